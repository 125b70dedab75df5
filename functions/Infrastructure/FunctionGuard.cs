using Azure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using WeStore.Domain.Common;
using WeStore.WeChat;

namespace WeStore.Functions.Infrastructure;

/// <summary>
/// Every HTTP function runs inside this: storage or WeChat being unreachable, or data that kept changing under an
/// optimistic write, becomes 503 with Retry-After (the request is safe to retry, since writes are atomic batches),
/// instead of a bare 500. This is the one place those outcomes are mapped.
/// </summary>
public static class FunctionGuard
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public static async Task<IActionResult> RunAsync(ILogger logger, string functionName, Func<Task<IActionResult>> action)
    {
        try
        {
            return await action();
        }
        catch (RequestFailedException e) when (e.Status is 0 or 408 or 429 or >= 500)
        {
            logger.LogWarning("{Function}: storage answered {Status} ({ErrorCode})", functionName, e.Status, e.ErrorCode);
            return Problems.ServiceUnavailable("Storage is unavailable; try again shortly.", RetryAfter);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or AggregateException { InnerException: HttpRequestException or RequestFailedException })
        {
            logger.LogWarning("{Function}: storage could not be reached: {Reason}", functionName, e.GetType().Name);
            return Problems.ServiceUnavailable("Storage is unavailable; try again shortly.", RetryAfter);
        }
        catch (ContentionException e)
        {
            // Nothing was written by the attempt that gave up; the caller may simply repeat the request.
            logger.LogWarning("{Function}: {What} kept changing after {Attempts} attempts", functionName, e.What, e.Attempts);
            return Problems.ServiceUnavailable("The data is busy changing; try again shortly.", TimeSpan.FromSeconds(1));
        }
        catch (WeChatUnavailableException e)
        {
            logger.LogWarning("{Function}: {Endpoint} is unavailable", functionName, e.Endpoint);
            return Problems.ServiceUnavailable("WeChat is unavailable; try again shortly.", RetryAfter);
        }
    }
}
