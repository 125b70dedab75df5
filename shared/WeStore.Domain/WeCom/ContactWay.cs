using WeStore.Domain.Attribution;

namespace WeStore.Domain.WeCom;

public enum ContactWayStatus
{
    /// <summary>Recorded before WeCom was asked, so a way WeCom made is never lost track of.</summary>
    Pending,

    Active,

    /// <summary>Deleted at WeCom; kept, because adds already counted under its state still name it.</summary>
    Deleted,
}

/// <summary>What a new contact receives: text, and optionally the Mini Program card (title and page).</summary>
public sealed record WelcomeMessage(string Text, string? MiniProgramTitle, string? MiniProgramPage)
{
    public bool HasCard => MiniProgramTitle is not null && MiniProgramPage is not null;
}

/// <summary>
/// A 「联系我」 code: a channel of the same set as the QR codes, named by its <see cref="State"/> (which WeCom returns in
/// the add event), with the staff it adds, the coupon campaign an add issues, and the welcome it sends. The state is
/// the table key, so the state → code map is as durable as the code: WeCom cannot give a lost config_id back.
/// </summary>
public sealed class ContactWay
{
    /// <summary>WeCom allows at most 100 members on one way.</summary>
    public const int MaxStaff = 100;

    private ContactWay(string state)
    {
        State = state;
    }

    public string State { get; }

    public string Name { get; private set; } = string.Empty;

    public string Channel { get; private set; } = string.Empty;

    public IReadOnlyList<string> StaffUserIds { get; private set; } = [];

    public string? CouponCampaignId { get; private set; }

    public WelcomeMessage Welcome { get; private set; } = new(string.Empty, null, null);

    public bool SkipVerify { get; private set; }

    public ContactWayStatus Status { get; private set; }

    public string? ConfigId { get; private set; }

    public string? QrCode { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? DeletedAt { get; private set; }

    public string? Version { get; private set; }

    public static ContactWay Create(string state, string name, string channel, IReadOnlyList<string> staffUserIds, string? couponCampaignId, WelcomeMessage welcome, bool skipVerify, DateTimeOffset now)
    {
        if (!ContactWayRules.IsValidState(state)) throw new ArgumentException("The state is not a valid contact-way state.", nameof(state));
        if (!Channels.IsValid(channel)) throw new ArgumentException("Unknown channel.", nameof(channel));
        if (staffUserIds.Count is 0 or > MaxStaff) throw new ArgumentException($"A contact way has 1 to {MaxStaff} staff members.", nameof(staffUserIds));
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Restore(state, name, channel, staffUserIds, couponCampaignId, welcome, skipVerify, ContactWayStatus.Pending, null, null, now, null, null);
    }

    public static ContactWay Restore(
        string state, string name, string channel, IReadOnlyList<string> staffUserIds, string? couponCampaignId, WelcomeMessage welcome, bool skipVerify,
        ContactWayStatus status, string? configId, string? qrCode, DateTimeOffset createdAt, DateTimeOffset? deletedAt, string? version)
        => new(state)
        {
            Name = name, Channel = channel, StaffUserIds = staffUserIds, CouponCampaignId = couponCampaignId, Welcome = welcome, SkipVerify = skipVerify,
            Status = status, ConfigId = configId, QrCode = qrCode, CreatedAt = createdAt, DeletedAt = deletedAt, Version = version,
        };

    /// <summary>WeCom made the way: its config id (the only handle to edit or delete it) and QR code.</summary>
    public void Activate(string configId, string? qrCode)
    {
        ArgumentException.ThrowIfNullOrEmpty(configId);
        if (Status != ContactWayStatus.Pending) throw new InvalidOperationException($"A {Status} contact way cannot be activated.");
        (Status, ConfigId, QrCode) = (ContactWayStatus.Active, configId, qrCode);
    }

    public void MarkDeleted(DateTimeOffset now)
    {
        if (Status == ContactWayStatus.Deleted) throw new InvalidOperationException("The contact way is already deleted.");
        (Status, DeletedAt) = (ContactWayStatus.Deleted, now);
    }

    /// <summary>The staff member an add names (the event's UserID) is one of the way's; an add naming another counts under its own staff id all the same.</summary>
    public bool HasStaff(string userId) => StaffUserIds.Contains(userId, StringComparer.Ordinal);
}

public static class ContactWayRules
{
    /// <summary>WeCom's limit on <c>state</c> (https://developer.work.weixin.qq.com/document/path/92228).</summary>
    public const int MaxStateLength = 30;

    /// <summary>A state is a table key, a route segment and a counter key as it is: letters, digits, '-' and '_'.</summary>
    public static bool IsValidState(string? state)
        => !string.IsNullOrEmpty(state) && state.Length <= MaxStateLength && state.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>WeCom member ids: letters, digits and "_-@." (at most 64).</summary>
    public static bool IsValidUserId(string? userId)
        => !string.IsNullOrEmpty(userId) && userId.Length <= 64 && userId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '@' or '.');

    /// <summary>external_userid: letters, digits, '-' and '_' (at most 64), so it can key a partition.</summary>
    public static bool IsValidExternalUserId(string? id)
        => !string.IsNullOrEmpty(id) && id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

public interface IContactWayRepository
{
    /// <summary>Records a pending way; false if its state is taken.</summary>
    Task<bool> TryCreateAsync(ContactWay way, CancellationToken cancellationToken);

    /// <summary>Saves a transition under the version it was read at; false if someone else changed it first.</summary>
    Task<bool> TrySaveAsync(ContactWay way, CancellationToken cancellationToken);

    Task<ContactWay?> GetAsync(string state, CancellationToken cancellationToken);

    Task<IReadOnlyList<ContactWay>> ListAsync(CancellationToken cancellationToken);
}
