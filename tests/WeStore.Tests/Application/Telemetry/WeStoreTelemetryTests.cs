using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WeStore.Application.Telemetry;
using WeStore.Tests.Support;

namespace WeStore.Tests.Application.Telemetry;

/// <summary>The business metrics count what happened, and no attribute carries an openid or any other secret.</summary>
[Collection(ProcessWideCollection.Name)]
public sealed class WeStoreTelemetryTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task Journey_MetricsCountEvents_AttributesCarryOnlyHashedMembers()
    {
        var metrics = new List<Metric>();
        var activities = new List<Activity>();
        using var meterProvider = Sdk.CreateMeterProviderBuilder().AddMeter(WeStoreTelemetry.Name).AddInMemoryExporter(metrics).Build();
        using var tracerProvider = Sdk.CreateTracerProviderBuilder().SetSampler(new AlwaysOnSampler()).AddSource(WeStoreTelemetry.Name).AddInMemoryExporter(activities).Build();
        var store = shared.Store;
        var code = await AttributionData.CreateCodeAsync(store, AttributionData.Code("kol"));
        var (token, orderNo, stem, _) = await store.PlaceOrderAsync();
        var openId = store.OpenIdOf(stem);
        await AttributionData.ScanAsync(store, token, code);
        await AttributionData.ScanAsync(store, token, "nosuchscene");
        await store.PayAsync(orderNo);
        var forged = await store.Client.PostAsync("/api/pay/notify", TestData.Json("""{"id":"x"}"""));

        meterProvider.ForceFlush();
        tracerProvider.ForceFlush();

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(1, Sum(metrics, "westore.orders.placed"));
        Assert.Equal(1, Sum(metrics, "westore.scans", ("channel", "kol")));
        Assert.Equal(1, Sum(metrics, "westore.scans", ("channel", "unknown")));
        Assert.Equal(1, Sum(metrics, "westore.payment.notifications", ("outcome", "accepted")));
        Assert.Equal(1, Sum(metrics, "westore.payment.notifications", ("outcome", "rejected")));
        Assert.Contains(activities, a => a.OperationName == "order.place" && (string?)a.GetTagItem("westore.member") == WeStoreTelemetry.MemberTag(openId));
        Assert.Contains(activities, a => a.OperationName == "payment.notify");
        var everything = string.Join('\n', activities.SelectMany(a => a.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(metrics.SelectMany(TagsOf)));
        Assert.DoesNotContain(openId, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(token, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(store.Sandbox.Keys.ApiV3Key, everything, StringComparison.Ordinal);
    }

    [Fact]
    public void MemberTag_StableAndNotTheOpenId()
    {
        Assert.Equal(WeStoreTelemetry.MemberTag("oABC"), WeStoreTelemetry.MemberTag("oABC"));
        Assert.NotEqual(WeStoreTelemetry.MemberTag("oABC"), WeStoreTelemetry.MemberTag("oABD"));
        Assert.Equal(16, WeStoreTelemetry.MemberTag("oABC").Length);
        Assert.DoesNotContain("oABC", WeStoreTelemetry.MemberTag("oABC"), StringComparison.Ordinal);
    }

    private static long Sum(List<Metric> metrics, string name, params (string Key, object Value)[] tags)
    {
        long sum = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags) pointTags[tag.Key] = tag.Value;
                if (tags.All(t => Equals(pointTags.GetValueOrDefault(t.Key)?.ToString(), t.Value.ToString()))) sum += point.GetSumLong();
            }
        }

        return sum;
    }

    private static IEnumerable<string> TagsOf(Metric metric)
    {
        var all = new List<string>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            foreach (var tag in point.Tags) all.Add($"{tag.Key}={tag.Value}");
        }

        return all;
    }
}
