using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace WeStore.TestFunctionApp;

public sealed class FailQueueFunction
{
    [Function(nameof(FailQueueFunction))]
    public void Run([QueueTrigger("test-always-fails")] string message, long dequeueCount)
    {
        Probe.Record("fail:" + message, dequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        throw new InvalidOperationException("This function always fails.");
    }
}

public sealed class EchoQueueFunction
{
    [Function(nameof(EchoQueueFunction))]
    public void Run([QueueTrigger("test-echo")] EchoMessage message) => Probe.Record("echo:" + message.Id, message.Text);
}

public sealed record EchoMessage(string Id, string Text);

public sealed class SlowQueueFunction
{
    [Function(nameof(SlowQueueFunction))]
    public async Task Run([QueueTrigger("test-slow")] string message)
    {
        Probe.Record("slow-started:" + message, "started");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Probe.Record("slow-finished:" + message, "finished");
    }
}

public sealed class GetTestOrderFunction
{
    [Function(nameof(GetTestOrderFunction))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders/{orderNo}")] HttpRequest request, string orderNo)
        => new OkObjectResult(new { orderNo, query = request.Query["q"].ToString() });
}

public sealed class GetSecretFunction
{
    [Function(nameof(GetSecretFunction))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "secret")] HttpRequest request)
        => new OkObjectResult(new { secret = "ok" });
}

public sealed class PingFunction
{
    [Function(nameof(PingFunction))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ping")] HttpRequest request)
        => new OkObjectResult(new { pong = true });
}

public sealed class TickTimerFunction
{
    // Once a year: it only runs when caught up, run on start-up, or run through the admin route.
    [Function(nameof(TickTimerFunction))]
    public void Run([TimerTrigger("0 0 0 1 1 *")] TimerInfo timer)
        => Probe.Record("tick", timer.IsPastDue ? "past-due" : "on-time");
}
