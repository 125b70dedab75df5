namespace WeStore.WeChat.MiniProgram;

/// <summary>
/// Calls that carry the central access token. On 40001/42001 the token is refreshed once and the call retried,
/// because another instance (or WeChat) may have replaced it.
/// </summary>
public sealed class WeChatApiClient(WeChatHttp http, IAccessTokenProvider tokens)
{
    public Task<WxaBusinessGetUserPhoneNumberResponse> GetUserPhoneNumberAsync(WxaBusinessGetUserPhoneNumberRequest request, CancellationToken cancellationToken)
        => PostAsync<WxaBusinessGetUserPhoneNumberRequest, WxaBusinessGetUserPhoneNumberResponse>("wxa/business/getuserphonenumber", request, cancellationToken);

    public Task<CgiBinMessageSubscribeSendResponse> SendSubscribeMessageAsync(CgiBinMessageSubscribeSendRequest request, CancellationToken cancellationToken)
        => PostAsync<CgiBinMessageSubscribeSendRequest, CgiBinMessageSubscribeSendResponse>(CgiBinMessageSubscribeSendRequest.Path, request, cancellationToken);

    public Task<WxaSecOrderUploadShippingInfoResponse> UploadShippingInfoAsync(WxaSecOrderUploadShippingInfoRequest request, CancellationToken cancellationToken)
        => PostAsync<WxaSecOrderUploadShippingInfoRequest, WxaSecOrderUploadShippingInfoResponse>(WxaSecOrderUploadShippingInfoRequest.Path, request, cancellationToken);

    public Task<WxaSecOrderGetOrderResponse> GetShippingOrderAsync(WxaSecOrderGetOrderRequest request, CancellationToken cancellationToken)
        => PostAsync<WxaSecOrderGetOrderRequest, WxaSecOrderGetOrderResponse>(WxaSecOrderGetOrderRequest.Path, request, cancellationToken);

    public Task<WxaSecOrderIsTradeManagedResponse> IsTradeManagedAsync(WxaSecOrderIsTradeManagedRequest request, CancellationToken cancellationToken)
        => PostAsync<WxaSecOrderIsTradeManagedRequest, WxaSecOrderIsTradeManagedResponse>(WxaSecOrderIsTradeManagedRequest.Path, request, cancellationToken);

    public Task<CgiBinExpressDeliveryOpenMsgGetDeliveryListResponse> GetDeliveryListAsync(CancellationToken cancellationToken)
        => PostAsync<CgiBinExpressDeliveryOpenMsgGetDeliveryListRequest, CgiBinExpressDeliveryOpenMsgGetDeliveryListResponse>(
            CgiBinExpressDeliveryOpenMsgGetDeliveryListRequest.Path, new CgiBinExpressDeliveryOpenMsgGetDeliveryListRequest(), cancellationToken);

    /// <summary>A Mini Program code (PNG) for a page and scene; WeChat's refusals arrive as <see cref="WeChatApiException"/>.</summary>
    public async Task<WxaGetWxaCodeUnlimitResponse> GetUnlimitedQrCodeAsync(WxaGetWxaCodeUnlimitRequest request, CancellationToken cancellationToken)
    {
        var (body, contentType) = await PostForBytesAsync(WxaGetWxaCodeUnlimitRequest.Path, request, cancellationToken);
        return new WxaGetWxaCodeUnlimitResponse(body, contentType ?? "image/png");
    }

    /// <summary>POSTs JSON to a token-authenticated endpoint and reads a JSON answer.</summary>
    public Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, CancellationToken cancellationToken)
        where TResponse : WeChatResponse
        => WithTokenAsync(path, token => http.PostJsonAsync<TRequest, TResponse>(path, WithToken(path, token), body, cancellationToken), cancellationToken);

    /// <summary>POSTs JSON to a token-authenticated endpoint that answers with bytes (an image) on success.</summary>
    public Task<(byte[] Body, string? ContentType)> PostForBytesAsync<TRequest>(string path, TRequest body, CancellationToken cancellationToken)
        => WithTokenAsync(path, token => http.PostJsonForBytesAsync(path, WithToken(path, token), body, cancellationToken), cancellationToken);

    private Task<T> WithTokenAsync<T>(string path, Func<string, Task<T>> call, CancellationToken cancellationToken)
        => TokenRetry.RunAsync(tokens, WeChatErrorCodes.IsAccessTokenInvalid, call, cancellationToken);

    private static string WithToken(string path, string token) => TokenRetry.WithToken(path, token);
}
