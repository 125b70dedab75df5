using WeStore.Domain.Attribution;

namespace WeStore.Domain.OfficialAccount;

/// <summary>
/// A parametric follow code of the Official Account: a channel of the same set as the QR codes and contact-me codes,
/// named by its <see cref="SceneStr"/>, which comes back in the follow event's EventKey.
/// </summary>
public sealed class FollowCode
{
    private FollowCode(string sceneStr)
    {
        SceneStr = sceneStr;
    }

    public string SceneStr { get; }

    public string Name { get; private set; } = string.Empty;

    public string Channel { get; private set; } = string.Empty;

    public bool Permanent { get; private set; }

    public string? CouponCampaignId { get; private set; }

    public string Ticket { get; private set; } = string.Empty;

    public string Url { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public static FollowCode Create(string sceneStr, string name, string channel, bool permanent, string? couponCampaignId, string ticket, string url, DateTimeOffset now, DateTimeOffset? expiresAt)
    {
        if (!FollowCodeRules.IsValidScene(sceneStr)) throw new ArgumentException("Not a valid follow-code scene.", nameof(sceneStr));
        if (!Channels.IsValid(channel)) throw new ArgumentException("Unknown channel.", nameof(channel));
        if (permanent == expiresAt.HasValue) throw new ArgumentException("A permanent code never expires; a temporary one does.", nameof(expiresAt));
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(ticket);
        return Restore(sceneStr, name, channel, permanent, couponCampaignId, ticket, url, now, expiresAt);
    }

    public static FollowCode Restore(string sceneStr, string name, string channel, bool permanent, string? couponCampaignId, string ticket, string url, DateTimeOffset createdAt, DateTimeOffset? expiresAt)
        => new(sceneStr)
        {
            Name = name, Channel = channel, Permanent = permanent, CouponCampaignId = couponCampaignId, Ticket = ticket, Url = url, CreatedAt = createdAt, ExpiresAt = expiresAt,
        };
}

public static class FollowCodeRules
{
    /// <summary>WeChat's limits: scene_str 1–64 characters, a temporary code 60 s to 30 days.</summary>
    public const int MaxSceneLength = 64;
    public const int MinExpireSeconds = 60;
    public const int MaxExpireSeconds = 2_592_000;

    /// <summary>A scene is a table key and an event key as it is: letters, digits, '-' and '_'.</summary>
    public static bool IsValidScene(string? scene)
        => !string.IsNullOrEmpty(scene) && scene.Length <= MaxSceneLength && scene.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

public interface IFollowCodeRepository
{
    /// <summary>False if the scene is taken.</summary>
    Task<bool> TryCreateAsync(FollowCode code, CancellationToken cancellationToken);

    Task<FollowCode?> GetAsync(string sceneStr, CancellationToken cancellationToken);

    Task<IReadOnlyList<FollowCode>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Takes one of the account's permanent codes; false when <paramref name="limit"/> are taken.</summary>
    Task<bool> TryReservePermanentAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Gives back a reserved permanent code WeChat did not make.</summary>
    Task ReleasePermanentAsync(CancellationToken cancellationToken);
}

public enum FollowStatus
{
    Following,
    Unfollowed,
}

/// <summary>
/// A follower of the Official Account (its own openid there), with the code that first brought them, the way WeChat
/// says they came (<c>subscribe_scene</c>), and their unionid when the account is bound to the Open Platform.
/// </summary>
public sealed class Follower
{
    private Follower(string openId)
    {
        OpenId = openId;
    }

    public string OpenId { get; }

    public FollowStatus Status { get; private set; }

    public string? FirstScene { get; private set; }

    public string? LastScene { get; private set; }

    public string LastChannel { get; private set; } = Channels.Unknown;

    public string? SubscribeScene { get; private set; }

    public string? UnionId { get; private set; }

    public DateTimeOffset FollowedAt { get; private set; }

    public DateTimeOffset? UnfollowedAt { get; private set; }

    public int Follows { get; private set; }

    public string? Version { get; private set; }

    public static Follower New(string openId) => new(openId) { Status = FollowStatus.Unfollowed, FollowedAt = DateTimeOffset.UnixEpoch };

    public static Follower Restore(
        string openId, FollowStatus status, string? firstScene, string? lastScene, string lastChannel, string? subscribeScene, string? unionId,
        DateTimeOffset followedAt, DateTimeOffset? unfollowedAt, int follows, string? version)
        => new(openId)
        {
            Status = status, FirstScene = firstScene, LastScene = lastScene, LastChannel = lastChannel, SubscribeScene = subscribeScene, UnionId = unionId,
            FollowedAt = followedAt, UnfollowedAt = unfollowedAt, Follows = follows, Version = version,
        };

    /// <summary>A follow; false when this follow (or a later event) was already applied. The first code stays the first.</summary>
    public bool Follow(string? scene, string channel, string? subscribeScene, string? unionId, DateTimeOffset at)
    {
        if (at <= FollowedAt || (UnfollowedAt is { } left && at <= left)) return false;
        FirstScene ??= scene;
        (Status, LastScene, LastChannel, FollowedAt, Follows) = (FollowStatus.Following, scene, channel, at, Follows + 1);
        SubscribeScene = subscribeScene ?? SubscribeScene;
        UnionId = unionId ?? UnionId;
        return true;
    }

    /// <summary>An unfollow; false when already unfollowed, or older than the follow it would end.</summary>
    public bool Unfollow(DateTimeOffset at)
    {
        if (Status == FollowStatus.Unfollowed || at < FollowedAt) return false;
        (Status, UnfollowedAt) = (FollowStatus.Unfollowed, at);
        return true;
    }

    public void Saved(string? version) => Version = version;
}

public interface IFollowerStore
{
    Task<Follower?> GetAsync(string openId, CancellationToken cancellationToken);

    /// <summary>Saves under the version read (inserts one never saved); false on a conflict.</summary>
    Task<bool> TrySaveAsync(Follower follower, CancellationToken cancellationToken);

    Task<bool> WasHandledAsync(string openId, string eventId, CancellationToken cancellationToken);

    /// <summary>Marks an event (or a notice sent) as handled; false if it already was.</summary>
    Task<bool> TryMarkHandledAsync(string openId, string eventId, CancellationToken cancellationToken);
}
