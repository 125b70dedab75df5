using System.Text.Json.Serialization;

namespace WeStore.WeChat.MiniProgram;

/// <summary><c>POST /wxa/business/getuserphonenumber</c>: a phone-number button code for the shopper's number.</summary>
public sealed class WxaBusinessGetUserPhoneNumberRequest
{
    [JsonPropertyName("code")]
    public required string Code { get; init; }

    /// <summary>Makes WeChat check that the code belongs to this shopper.</summary>
    [JsonPropertyName("openid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OpenId { get; init; }
}

public sealed class WxaBusinessGetUserPhoneNumberResponse : WeChatResponse
{
    [JsonPropertyName("phone_info")]
    public PhoneInfo? PhoneInfo { get; set; }
}

public sealed class PhoneInfo
{
    [JsonPropertyName("phoneNumber")]
    public string? PhoneNumber { get; set; }

    [JsonPropertyName("purePhoneNumber")]
    public string? PurePhoneNumber { get; set; }

    [JsonPropertyName("countryCode")]
    public string? CountryCode { get; set; }

    [JsonPropertyName("watermark")]
    public PhoneWatermark? Watermark { get; set; }
}

public sealed class PhoneWatermark
{
    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }

    [JsonPropertyName("appid")]
    public string? AppId { get; set; }
}
