using Microsoft.Extensions.DependencyInjection;

namespace WeStore.WeChat.OfficialAccount;

/// <summary>api.weixin.qq.com calls with the Official Account's central token, refreshed once on 40001/42001/40014.</summary>
public sealed class OfficialAccountApiClient(OfficialAccountHttp http, [FromKeyedServices(OfficialAccountApiClient.TokenKey)] IAccessTokenProvider tokens)
{
    public const string TokenKey = "official-account";

    public OfficialAccountOptions Options => http.Options;

    public Task<CgiBinQrcodeCreateResponse> CreateQrCodeAsync(CgiBinQrcodeCreateRequest request, CancellationToken cancellationToken)
        => TokenRetry.RunAsync(tokens, IsTokenInvalid,
            token => http.PostJsonAsync<CgiBinQrcodeCreateRequest, CgiBinQrcodeCreateResponse>(CgiBinQrcodeCreateRequest.Path, TokenRetry.WithToken(CgiBinQrcodeCreateRequest.Path, token), request, cancellationToken),
            cancellationToken);

    public Task<CgiBinUserInfoResponse> GetUserInfoAsync(CgiBinUserInfoRequest request, CancellationToken cancellationToken)
        => TokenRetry.RunAsync(tokens, IsTokenInvalid,
            token => http.GetAsync<CgiBinUserInfoResponse>(CgiBinUserInfoRequest.Path, TokenRetry.WithToken(request.PathWithQuery, token), cancellationToken), cancellationToken);

    public Task<CgiBinMessageTemplateSendResponse> SendTemplateMessageAsync(CgiBinMessageTemplateSendRequest request, CancellationToken cancellationToken)
        => TokenRetry.RunAsync(tokens, IsTokenInvalid,
            token => http.PostJsonAsync<CgiBinMessageTemplateSendRequest, CgiBinMessageTemplateSendResponse>(CgiBinMessageTemplateSendRequest.Path,
                TokenRetry.WithToken(CgiBinMessageTemplateSendRequest.Path, token), request, cancellationToken), cancellationToken);

    public string ImageUrl(string ticket) => $"{Options.QrImageBaseUrl.TrimEnd('/')}/cgi-bin/showqrcode?ticket={Uri.EscapeDataString(ticket)}";

    private static bool IsTokenInvalid(int code) => WeChatErrorCodes.IsAccessTokenInvalid(code) || code == 40014;
}
