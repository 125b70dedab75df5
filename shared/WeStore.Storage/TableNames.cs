namespace WeStore.Storage;

/// <summary>Every table the app owns. Names are alphanumeric, as Azure requires.</summary>
public static class TableNames
{
    public const string Health = "Health";

    /// <summary>Everything a member owns, partitioned by openid, so one member action is one batch.</summary>
    public const string Members = "Members";

    /// <summary>The central WeChat access token and its fetch lease.</summary>
    public const string WeChatTokens = "WeChatTokens";
}
