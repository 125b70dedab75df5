namespace WeStore.WeChat;

/// <summary>WeChat answered with a non-zero <c>errcode</c>; the code and message are kept as WeChat sent them.</summary>
public sealed class WeChatApiException(string endpoint, int errorCode, string? errorMessage)
    : Exception($"{endpoint} failed: errcode {errorCode} ({errorMessage})")
{
    public string Endpoint { get; } = endpoint;

    public int ErrorCode { get; } = errorCode;

    public string? ErrorMessage { get; } = errorMessage;
}

/// <summary>WeChat could not be reached or stayed busy (-1, 5xx, timeouts) after the allowed retries.</summary>
public sealed class WeChatUnavailableException(string endpoint, string reason, Exception? inner = null)
    : Exception($"{endpoint} is unavailable: {reason}", inner)
{
    public string Endpoint { get; } = endpoint;
}

/// <summary>The error codes this app acts on (each endpoint's page under https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/).</summary>
public static class WeChatErrorCodes
{
    public const int Busy = -1;
    public const int InvalidCredential = 40001;
    public const int InvalidCode = 40029;
    public const int CodeUsed = 40163;
    public const int AccessTokenExpired = 42001;
    public const int RateLimited = 45011;
    public const int HighRiskUser = 40226;
    public const int UserRefusedSubscription = 43101;
    public const int QrCodeRateLimited = 45009;
    public const int PageInvalid = 41030;
    public const int SceneInvalid = 40129;
    public const int SceneMissingOrTooLong = 40169;
    public const int DataFormatError = 47001;

    // Order shipping management (https://developers.weixin.qq.com/miniprogram/dev/server/API/order_shipping/api_uploadshippinginfo.html).
    public const int PaymentNotFound = 10060001;
    public const int ShippingAlreadyComplete = 10060002;
    public const int ReshipChanceUsed = 10060003;
    public const int PaymentNotShippable = 10060004;
    public const int ShippingSystemBusy = 10060012;
    public const int ShippingSystemError = 10060019;
    public const int ShippingUnchanged = 10060023;

    public static bool IsAccessTokenInvalid(int code) => code is InvalidCredential or AccessTokenExpired;
}
