namespace WeStore.Functions.Infrastructure;

/// <summary>
/// What stops a request's work when its caller hangs up. Reading the request and answering a read follow the
/// caller (<c>HttpContext.RequestAborted</c>). Changing state does not: a shopper closing the Mini Program mid-login,
/// or WeChat Pay giving up on a slow notification, must not stop a sequence of writes half-way (a coupon claimed but
/// never put in the wallet, a paid order whose event was never sent, a stock hold with no order behind it) when
/// nobody may ever retry it. Storage's and WeChat's own timeouts bound that work instead.
/// </summary>
public static class RequestCancellation
{
    public static CancellationToken Writes => CancellationToken.None;
}
