using Microsoft.Extensions.Time.Testing;
using WeStore.Application.Attribution;
using WeStore.Domain.Attribution;

namespace WeStore.UnitTests.Application.Attribution;

public sealed class AttributionReportServiceTests
{
    private sealed class FixedCounters(Dictionary<string, CounterRow[]> days) : IAttributionCounters
    {
        public List<string> DaysRead { get; } = [];

        public Task AddAsync(string day, CounterKey key, AttributionCounts delta, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> AddOnceAsync(string day, CounterKey key, string orderNo, AttributionCounts delta, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<CounterRow>> ReadDayAsync(string day, CancellationToken cancellationToken)
        {
            lock (DaysRead) DaysRead.Add(day);
            return Task.FromResult<IReadOnlyList<CounterRow>>(days.TryGetValue(day, out var rows) ? rows : []);
        }
    }

    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 25, 17, 0, 0, TimeSpan.Zero)); // 26 Nov in Shanghai

    [Fact]
    public async Task Build_GroupsAcrossDaysAndCodes_VisitorsPerGrouping()
    {
        var counters = new FixedCounters(new()
        {
            ["20261125"] =
            [
                new(new CounterKey("a", "packaging", null), new AttributionCounts(Scans: 10, Visitors: 4, ChannelVisitors: 3, NewMembers: 2, Orders: 2, PaidOrders: 1, PaidGmv: 1000)),
                new(new CounterKey("b", "packaging", "s1"), new AttributionCounts(Scans: 5, Visitors: 2, ChannelVisitors: 1, StaffVisitors: 2)),
                new(CounterKey.UnknownScene, new AttributionCounts(Scans: 7)),
            ],
            ["20261126"] = [new(new CounterKey("a", "packaging", null), new AttributionCounts(Scans: 1, Visitors: 1, ChannelVisitors: 1, PaidOrders: 1, Orders: 1, PaidGmv: 500))],
        });
        var service = new AttributionReportService(counters, Time);

        var byChannel = (await service.BuildAsync(new DateOnly(2026, 11, 25), null, ReportGrouping.Channel, default)).Value!;
        var byCode = (await service.BuildAsync(new DateOnly(2026, 11, 25), null, ReportGrouping.QrCode, default)).Value!;
        var byStaff = (await service.BuildAsync(new DateOnly(2026, 11, 25), null, ReportGrouping.Staff, default)).Value!;

        var packaging = byChannel.Rows.Single(r => r.Key == "packaging");
        Assert.Equal((16L, 5L, 2L, 3L, 2L, 1500L), (packaging.Scans, packaging.UniqueVisitors, packaging.NewMembers, packaging.Orders, packaging.PaidOrders, packaging.PaidGmv));
        Assert.Equal(0.4, packaging.ConversionRate);
        Assert.Equal(7, byChannel.Rows.Single(r => r.Key == "unknown").UniqueVisitors);
        Assert.Equal(5, byCode.Rows.Single(r => r.Key == "a").UniqueVisitors);
        Assert.Equal("a", byCode.Rows[0].Key); // highest paid GMV first
        Assert.Equal(2, Assert.Single(byStaff.Rows).UniqueVisitors);
        Assert.Equal(new DateOnly(2026, 11, 26), byChannel.To);
    }

    [Fact]
    public async Task Build_ContactWaysBesideQrCodes_KindsApartByCodeTogetherByChannelAndStaff()
    {
        var counters = new FixedCounters(new()
        {
            ["20261126"] =
            [
                new(new CounterKey("a", "packaging", "li"), new AttributionCounts(Scans: 10, Visitors: 4, ChannelVisitors: 4, StaffVisitors: 4, Orders: 1, PaidOrders: 1, PaidGmv: 1000)),
                // A contact-me code whose state happens to equal a QR scene: still its own row.
                new(CounterKey.ForContact("a", "packaging", "li"), new AttributionCounts(WecomAdds: 6, WecomLost: 1, NewMembers: 2, Orders: 2, PaidOrders: 2, PaidGmv: 3000)),
                new(CounterKey.ForContact("cw2", "shelf", "wang"), new AttributionCounts(WecomAdds: 1)),
            ],
        });
        var service = new AttributionReportService(counters, Time);

        var byWay = (await service.BuildAsync(new DateOnly(2026, 11, 26), null, ReportGrouping.ContactWay, default)).Value!;
        var byCode = (await service.BuildAsync(new DateOnly(2026, 11, 26), null, ReportGrouping.QrCode, default)).Value!;
        var byChannel = (await service.BuildAsync(new DateOnly(2026, 11, 26), null, ReportGrouping.Channel, default)).Value!;
        var byStaff = (await service.BuildAsync(new DateOnly(2026, 11, 26), null, ReportGrouping.Staff, default)).Value!;

        Assert.Equal("contactWay", byWay.GroupBy);
        Assert.Equal(["a", "cw2"], byWay.Rows.Select(r => r.Key));
        var way = byWay.Rows[0];
        Assert.Equal((6L, 1L, 2L, 2L, 3000L, 0L), (way.WecomAdds, way.WecomLost, way.NewMembers, way.PaidOrders, way.PaidGmv, way.UniqueVisitors));
        Assert.Equal(Math.Round(2.0 / 6, 4), way.ConversionRate);
        var code = Assert.Single(byCode.Rows);
        Assert.Equal((10L, 0L, 1000L), (code.Scans, code.WecomAdds, code.PaidGmv));
        var packaging = byChannel.Rows.Single(r => r.Key == "packaging");
        Assert.Equal((10L, 6L, 4000L, 4L), (packaging.Scans, packaging.WecomAdds, packaging.PaidGmv, packaging.UniqueVisitors));
        Assert.Equal(Math.Round(3.0 / 10, 4), packaging.ConversionRate);
        var li = byStaff.Rows.Single(r => r.Key == "li");
        Assert.Equal((10L, 6L), (li.Scans, li.WecomAdds));
        Assert.Equal(1, byStaff.Rows.Single(r => r.Key == "wang").WecomAdds);
    }

    [Fact]
    public async Task Build_ReadsOnePartitionPerDay_DefaultLastSevenDays()
    {
        var counters = new FixedCounters([]);
        var report = (await new AttributionReportService(counters, Time).BuildAsync(null, null, ReportGrouping.Channel, default)).Value!;
        Assert.Equal(7, counters.DaysRead.Distinct().Count());
        Assert.Equal(new DateOnly(2026, 11, 20), report.From);
    }

    [Fact]
    public async Task Build_RangeTooLongOrReversed_Invalid()
    {
        var service = new AttributionReportService(new FixedCounters([]), Time);
        Assert.False((await service.BuildAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), ReportGrouping.Channel, default)).IsSuccess);
        Assert.False((await service.BuildAsync(new DateOnly(2026, 2, 1), new DateOnly(2026, 1, 1), ReportGrouping.Channel, default)).IsSuccess);
    }

    [Theory]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@x", "'@x")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("plain", "plain")]
    public void ToCsv_Cells_Escaped(string key, string expected)
    {
        var csv = AttributionReportService.ToCsv(new AttributionReport(default, default, "qrcode", [new(key, "ad", 1, 1, 0, 0, 0, 0, 0)]));
        Assert.Equal(expected + ",ad,1,1,0,0,0,0,0,0,0,0,0", csv.Split("\r\n")[1]);
    }

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("q%3D1%2C2", "q=1,2")]
    [InlineData("%E0%A4%A", null)]
    [InlineData("a%2Fb", null)]
    [InlineData("x' or PartitionKey ne 'x", null)]
    public void Decode_Scene(string raw, string? expected) => Assert.Equal(expected, ScanService.Decode(raw));
}
