using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Storage;

namespace WeStore.Tests.Support;

/// <summary>
/// A caller hanging up in the middle of a request. Once the app's first storage request of kind
/// <paramref name="operation"/> (as the request counter names it: <c>POST $batch</c>, <c>PUT Members</c>) has been
/// answered, <see cref="Reached"/> completes so the test can cancel its HTTP call; the app's flow is then held until
/// the cancellation token the app gave that request fires (it would if the caller's hang-up reached the app's work)
/// or two seconds pass, and goes on.
/// </summary>
public sealed class HangUpAfter(string operation) : HttpPipelinePolicy
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _fired;

    public Task Reached => _reached.Task;

    /// <summary>Whether the app's work was cancelled by the hang-up.</summary>
    public bool WorkCancelled { get; private set; }

    public static HangUpAfter Install(IServiceCollection services, string operation)
    {
        var policy = new HangUpAfter(operation);
        services.AddSingleton<HttpPipelinePolicy>(policy);
        return policy;
    }

    /// <summary>Sends <paramref name="request"/>, hangs up once the operation is reached, and checks the call was cut.</summary>
    public async Task SendAndHangUpAsync(HttpClient client, HttpRequestMessage request)
    {
        using var caller = new CancellationTokenSource();
        var call = client.SendAsync(request, caller.Token);
        await Reached.WaitAsync(TimeSpan.FromSeconds(30));
        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    /// <summary>The operation as named without the store's storage prefix (TestStorage.NewPrefix: "t" and 9 hex digits).</summary>
    private static string Logical(string operation) => System.Text.RegularExpressions.Regex.Replace(operation, "(?<=[ /])t[0-9a-f]{9}-?", string.Empty);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        => throw new NotSupportedException("The app's storage calls are asynchronous.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        if (message.Response.Status >= 300 || Logical(StorageRequestCounter.OperationName(message.Request)) != operation) return;
        if (Interlocked.Exchange(ref _fired, 1) != 0) return;

        _reached.TrySetResult();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), message.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            WorkCancelled = true;
        }
    }
}
