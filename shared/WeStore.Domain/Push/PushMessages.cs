namespace WeStore.Domain.Push;

/// <summary>The queues pushed events wait in: the push endpoints answer at once, the work happens in their consumers.</summary>
public static class PushQueues
{
    /// <summary>Events of the Mini Program's message push (shipping management, subscription grants).</summary>
    public const string MiniProgramEvents = "miniprogram-events";

    /// <summary>Events of the WeCom callback (customer contacts added, deleted, edited).</summary>
    public const string WeComEvents = "wecom-events";

    /// <summary>A unionid newly joined to a member: WeCom contacts waiting at it are linked.</summary>
    public const string UnionIdLinks = "unionid-links";
}

/// <summary>A unionid that now names a member.</summary>
public sealed record UnionIdLinkMessage(string UnionId, string OpenId);

/// <summary>
/// A verified, decrypted push: the event document as JSON (XML documents are converted), when it arrived, and an id of
/// this copy (a retry of the queue message is the same copy; WeChat's own retries are other copies).
/// </summary>
public sealed record PushEventMessage(string Document, DateTimeOffset ReceivedAt, int Rechecks = 0, string? CopyId = null);
