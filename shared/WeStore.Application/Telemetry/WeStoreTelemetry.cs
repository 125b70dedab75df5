using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;

namespace WeStore.Application.Telemetry;

/// <summary>
/// WeStore's traces and business metrics (OpenTelemetry through .NET's own ActivitySource and Meter). Attributes
/// never carry personal data or secrets: a member appears only as a hash of their openid, which lets traces of one
/// member be grouped without naming them.
/// </summary>
public static class WeStoreTelemetry
{
    public const string Name = "WeStore";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> OrdersPlaced = Meter.CreateCounter<long>("westore.orders.placed", "{order}", "Orders written (after prepay).");

    public static readonly Counter<long> Notifications = Meter.CreateCounter<long>("westore.payment.notifications", "{notification}",
        "WeChat Pay notifications by outcome: accepted, or rejected (with the status answered).");

    public static readonly Counter<long> CouponsClaimed = Meter.CreateCounter<long>("westore.coupons.claimed", "{coupon}", "Coupons issued, by how.");

    public static readonly Counter<long> Scans = Meter.CreateCounter<long>("westore.scans", "{scan}", "QR scans, by channel (unknown scenes as 'unknown').");

    public static readonly Counter<long> PointsExpired = Meter.CreateCounter<long>("westore.points.expired", "{point}", "Points expired by the daily run.");

    public static readonly Counter<long> Shipments = Meter.CreateCounter<long>("westore.shipments", "{shipment}", "Shipments recorded, by logistics type.");

    public static readonly Counter<long> ShippingUploads = Meter.CreateCounter<long>("westore.shipping.uploads", "{upload}",
        "Shipping uploads to WeChat, by outcome (uploaded, retried, reconciled, failed, notManaged).");

    public static readonly Counter<long> OperatorAlerts = Meter.CreateCounter<long>("westore.operator.alerts", "{alert}", "Alerts raised for operators, by kind.");

    public static readonly Counter<long> WeComWelcomes = Meter.CreateCounter<long>("westore.wecom.welcomes", "{welcome}", "WeCom welcomes, by outcome (Sent, AlreadySent, Missed, Refused).");

    public static readonly Counter<long> WeComAdds = Meter.CreateCounter<long>("westore.wecom.adds", "{add}", "WeCom contacts added, by channel.");

    public static readonly Counter<long> PushEvents = Meter.CreateCounter<long>("westore.push.events", "{event}", "Pushed events received, by source and outcome.");

    public static readonly Counter<long> ReconciliationDifferences = Meter.CreateCounter<long>("westore.reconciliation.differences", "{difference}",
        "Lines the trade bill and the store disagree on, by kind.");

    public static readonly Counter<long> OrdersCompleted = Meter.CreateCounter<long>("westore.orders.completed", "{order}", "Orders completed (after-sale window closed).");

    /// <summary>The tag a member appears under: 16 hex characters of SHA-256 over a fixed prefix and the openid.</summary>
    public static string MemberTag(string openId)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("westore-member:" + openId)))[..16].ToLowerInvariant();

    /// <summary>Starts an activity for one operation, tagged with the hashed member when there is one.</summary>
    public static Activity? Start(string operation, string? openId = null)
    {
        var activity = Source.StartActivity(operation);
        if (activity is not null && openId is not null) activity.SetTag("westore.member", MemberTag(openId));
        return activity;
    }
}
