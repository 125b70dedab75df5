namespace WeStore.Domain.Push;

/// <summary>The queues pushed events wait in: the push endpoints answer at once, the work happens in their consumers.</summary>
public static class PushQueues
{
    /// <summary>Events of the Mini Program's message push (shipping management, subscription grants).</summary>
    public const string MiniProgramEvents = "miniprogram-events";
}

/// <summary>A verified, decrypted push: the event document as JSON (XML documents are converted), and when it arrived.</summary>
public sealed record PushEventMessage(string Document, DateTimeOffset ReceivedAt);
