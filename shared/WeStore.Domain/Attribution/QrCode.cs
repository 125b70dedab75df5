namespace WeStore.Domain.Attribution;

/// <summary>Where a QR code is placed; the report groups by these.</summary>
public static class Channels
{
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> All = ["packaging", "shelf", "kol", "live", "staff", "event", "ad", "share", "other"];

    public static bool IsValid(string? channel) => channel is not null && All.Contains(channel);
}

/// <summary>
/// The <c>scene</c> a QR code carries: at most 32 characters from WeChat's documented set, minus '#', '/' and '?'
/// (table keys and URL paths refuse them) and '&amp;' (WeChat answers 40129 for it, per the community). Every accepted
/// scene is then a valid table key and route segment as it is, with no escaping to get wrong.
/// </summary>
public static class SceneRules
{
    public const int MaxLength = 32;
    public const string Symbols = "!$'()*+,:;=@-._~";

    public static bool IsValid(string? scene)
        => !string.IsNullOrEmpty(scene) && scene.Length <= MaxLength && scene.All(c => char.IsAsciiLetterOrDigit(c) || Symbols.Contains(c));
}

/// <summary>A channel QR code. Its scene is the id; the image is fetched once from WeChat when it is created.</summary>
public sealed class QrCode
{
    private QrCode(string sceneId)
    {
        SceneId = sceneId;
    }

    public string SceneId { get; }

    public string Name { get; private set; } = string.Empty;

    public string Channel { get; private set; } = string.Empty;

    /// <summary>Free text: the shelf, the KOL, the live room, the print run.</summary>
    public string Source { get; private set; } = string.Empty;

    public string Page { get; private set; } = string.Empty;

    /// <summary>A campaign whose coupon a scan issues, once per member.</summary>
    public string? CouponCampaignId { get; private set; }

    public string? StaffId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static QrCode Create(string sceneId, string name, string channel, string source, string page, string? couponCampaignId, string? staffId, DateTimeOffset now)
    {
        if (!SceneRules.IsValid(sceneId)) throw new ArgumentException("The scene is not a valid Mini Program code scene.", nameof(sceneId));
        if (!Channels.IsValid(channel)) throw new ArgumentException("Unknown channel.", nameof(channel));
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Restore(sceneId, name, channel, source, page, couponCampaignId, staffId, now);
    }

    public static QrCode Restore(string sceneId, string name, string channel, string source, string page, string? couponCampaignId, string? staffId, DateTimeOffset createdAt)
        => new(sceneId)
        {
            Name = name, Channel = channel, Source = source, Page = page, CouponCampaignId = couponCampaignId, StaffId = staffId, CreatedAt = createdAt,
        };
}

public interface IQrCodeRepository
{
    /// <summary>Stores the code and its image; false if the scene is already taken.</summary>
    Task<bool> TryCreateAsync(QrCode code, byte[] png, CancellationToken cancellationToken);

    Task<QrCode?> GetAsync(string sceneId, CancellationToken cancellationToken);

    Task<byte[]?> GetImageAsync(string sceneId, CancellationToken cancellationToken);

    Task<IReadOnlyList<QrCode>> ListAsync(CancellationToken cancellationToken);
}
