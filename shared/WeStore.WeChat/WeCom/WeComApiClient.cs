using Microsoft.Extensions.DependencyInjection;

namespace WeStore.WeChat.WeCom;

/// <summary>qyapi.weixin.qq.com calls with the WeCom app's central token, refreshed once on 40014/42001/41001.</summary>
public sealed class WeComApiClient(WeComHttp http, [FromKeyedServices(WeComApiClient.TokenKey)] IAccessTokenProvider tokens)
{
    public const string TokenKey = "wecom";

    public WeComOptions Options => http.Options;

    public Task<ExternalContactAddContactWayResponse> AddContactWayAsync(ExternalContactAddContactWayRequest request, CancellationToken cancellationToken)
        => PostAsync<ExternalContactAddContactWayRequest, ExternalContactAddContactWayResponse>(ExternalContactAddContactWayRequest.Path, request, cancellationToken);

    public Task<ExternalContactGetContactWayResponse> GetContactWayAsync(ExternalContactGetContactWayRequest request, CancellationToken cancellationToken)
        => PostAsync<ExternalContactGetContactWayRequest, ExternalContactGetContactWayResponse>(ExternalContactGetContactWayRequest.Path, request, cancellationToken);

    public Task<ExternalContactListContactWayResponse> ListContactWaysAsync(ExternalContactListContactWayRequest request, CancellationToken cancellationToken)
        => PostAsync<ExternalContactListContactWayRequest, ExternalContactListContactWayResponse>(ExternalContactListContactWayRequest.Path, request, cancellationToken);

    public Task<ExternalContactDelContactWayResponse> DeleteContactWayAsync(ExternalContactDelContactWayRequest request, CancellationToken cancellationToken)
        => PostAsync<ExternalContactDelContactWayRequest, ExternalContactDelContactWayResponse>(ExternalContactDelContactWayRequest.Path, request, cancellationToken);

    public Task<ExternalContactGetResponse> GetExternalContactAsync(ExternalContactGetRequest request, CancellationToken cancellationToken)
        => TokenRetry.RunAsync(tokens, WeComErrorCodes.IsAccessTokenInvalid,
            token => http.GetAsync<ExternalContactGetResponse>(ExternalContactGetRequest.Path, TokenRetry.WithToken(request.PathWithQuery, token), cancellationToken), cancellationToken);

    public Task<ExternalContactSendWelcomeMsgResponse> SendWelcomeAsync(ExternalContactSendWelcomeMsgRequest request, CancellationToken cancellationToken)
        => PostAsync<ExternalContactSendWelcomeMsgRequest, ExternalContactSendWelcomeMsgResponse>(ExternalContactSendWelcomeMsgRequest.Path, request, cancellationToken);

    public Task<CgiBinMediaUploadResponse> UploadMediaAsync(CgiBinMediaUploadRequest request, CancellationToken cancellationToken)
        => TokenRetry.RunAsync(tokens, WeComErrorCodes.IsAccessTokenInvalid,
            token => http.PostFileAsync<CgiBinMediaUploadResponse>(CgiBinMediaUploadRequest.Path,
                TokenRetry.WithToken($"{CgiBinMediaUploadRequest.Path}?type={request.Type}", token), "media", request.FileName, request.ContentType, request.File, cancellationToken),
            cancellationToken);

    public Task<ExternalContactGetCorpTagListResponse> GetCorpTagsAsync(ExternalContactGetCorpTagListRequest request, CancellationToken cancellationToken)
        => PostAsync<ExternalContactGetCorpTagListRequest, ExternalContactGetCorpTagListResponse>(ExternalContactGetCorpTagListRequest.Path, request, cancellationToken);

    public Task<ExternalContactAddCorpTagResponse> AddCorpTagsAsync(ExternalContactAddCorpTagRequest request, CancellationToken cancellationToken)
        => PostAsync<ExternalContactAddCorpTagRequest, ExternalContactAddCorpTagResponse>(ExternalContactAddCorpTagRequest.Path, request, cancellationToken);

    public Task<ExternalContactMarkTagResponse> MarkTagAsync(ExternalContactMarkTagRequest request, CancellationToken cancellationToken)
        => PostAsync<ExternalContactMarkTagRequest, ExternalContactMarkTagResponse>(ExternalContactMarkTagRequest.Path, request, cancellationToken);

    public Task<ExternalContactAddMsgTemplateResponse> AddMsgTemplateAsync(ExternalContactAddMsgTemplateRequest request, CancellationToken cancellationToken)
        => PostAsync<ExternalContactAddMsgTemplateRequest, ExternalContactAddMsgTemplateResponse>(ExternalContactAddMsgTemplateRequest.Path, request, cancellationToken);

    public Task<ExternalContactGetGroupMsgTaskResponse> GetGroupMsgTaskAsync(ExternalContactGetGroupMsgTaskRequest request, CancellationToken cancellationToken)
        => PostAsync<ExternalContactGetGroupMsgTaskRequest, ExternalContactGetGroupMsgTaskResponse>(ExternalContactGetGroupMsgTaskRequest.Path, request, cancellationToken);

    public Task<ExternalContactGetGroupMsgSendResultResponse> GetGroupMsgSendResultAsync(ExternalContactGetGroupMsgSendResultRequest request, CancellationToken cancellationToken)
        => PostAsync<ExternalContactGetGroupMsgSendResultRequest, ExternalContactGetGroupMsgSendResultResponse>(ExternalContactGetGroupMsgSendResultRequest.Path, request, cancellationToken);

    /// <summary>The app's token refreshed ahead of expiry (the token timer).</summary>
    public Task RefreshTokenIfExpiringAsync(TimeSpan within, CancellationToken cancellationToken) => tokens.RefreshIfExpiringAsync(within, cancellationToken);

    private Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, CancellationToken cancellationToken)
        where TResponse : WeStore.WeChat.MiniProgram.WeChatResponse
        => TokenRetry.RunAsync(tokens, WeComErrorCodes.IsAccessTokenInvalid,
            token => http.PostJsonAsync<TRequest, TResponse>(path, TokenRetry.WithToken(path, token), body, cancellationToken), cancellationToken);
}
