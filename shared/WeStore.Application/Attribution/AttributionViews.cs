using WeStore.Domain.Attribution;

namespace WeStore.Application.Attribution;

public sealed record TouchView(string SceneId, string Channel, string Source, string? StaffId, int EntryScene, DateTimeOffset At)
{
    public static TouchView? From(Touch? t) => t is null ? null : new(t.SceneId, t.Channel, t.Source, t.StaffId, t.EntryScene, t.At);
}

/// <summary>What the Mini Program learns from posting a scan: whether the scene was a known code, and the member's touches.</summary>
public sealed record ScanView(bool Known, string? SceneId, string? Channel, string? Page, TouchView? FirstTouch, TouchView? LastTouch);

public sealed record QrCodeView(
    string SceneId, string Name, string Channel, string Source, string Page, string? CouponCampaignId, string? StaffId, DateTimeOffset CreatedAt, string ImageUrl)
{
    public static QrCodeView From(QrCode c) => new(
        c.SceneId, c.Name, c.Channel, c.Source, c.Page, c.CouponCampaignId, c.StaffId, c.CreatedAt, $"/api/manage/qrcodes/{Uri.EscapeDataString(c.SceneId)}.png");
}

public sealed record AttributionReportRow(
    string Key, string Channel, long Scans, long UniqueVisitors, long NewMembers, long Orders, long PaidOrders, long PaidGmv, double ConversionRate,
    long WecomAdds = 0, long WecomLost = 0, long Follows = 0, long Unfollows = 0);

public sealed record AttributionReport(DateOnly From, DateOnly To, string GroupBy, IReadOnlyList<AttributionReportRow> Rows);
