namespace WeStore.Storage;

/// <summary>Every table the app owns. Names are alphanumeric, as Azure requires.</summary>
public static class TableNames
{
    public const string Health = "Health";

    /// <summary>Everything a member owns, partitioned by openid, so one member action is one batch.</summary>
    public const string Members = "Members";

    /// <summary>Products as imported; one partition, read through a short per-instance cache.</summary>
    public const string Catalog = "Catalog";

    /// <summary>Per SKU (partition): offer, stock shards, and a hold row per order that took stock.</summary>
    public const string Stock = "Stock";

    /// <summary>Payments being recorded (an outbox entry per order while its payment is in flight).</summary>
    public const string PaidOutbox = "PaidOutbox";

    /// <summary>Per campaign (partition): the definition with its claim counter, claim rows, codes; plus an index partition.</summary>
    public const string CouponCampaigns = "CouponCampaigns";

    /// <summary>Channel QR codes, each with its image (partition <c>qrcode</c>, row = scene).</summary>
    public const string QrCodes = "QrCodes";

    /// <summary>Report counters per business day (partition), sharded rows per QR code, plus once-per-order markers.</summary>
    public const string AttributionCounters = "AttributionCounters";

    /// <summary>Points lots by expiry day (partition), so the daily run reads only what expires; plus the runs' cursors.</summary>
    public const string PointsExpiry = "PointsExpiry";

    /// <summary>The central WeChat access token and its fetch lease.</summary>
    public const string WeChatTokens = "WeChatTokens";

    /// <summary>Orders by number (partition <c>lookup-XX</c>) and the operators' buckets (partition = bucket).</summary>
    public const string OrderIndex = "OrderIndex";

    /// <summary>Auto-confirms and completions by the Shanghai day they fall due (partition), plus the run's cursor.</summary>
    public const string FulfilmentSchedule = "FulfilmentSchedule";

    /// <summary>Alerts for operators by Shanghai day (partition).</summary>
    public const string OperatorAlerts = "OperatorAlerts";

    /// <summary>After-sale requests by id (partition <c>lookup-XX</c>) and by status (partition = status).</summary>
    public const string AfterSaleIndex = "AfterSaleIndex";

    /// <summary>Money moved at WeChat Pay by Shanghai day (partition): the store's side of the daily reconciliation.</summary>
    public const string PaymentLedger = "PaymentLedger";

    /// <summary>A day's reconciliation (partition = day): the summary and the differences.</summary>
    public const string Reconciliations = "Reconciliations";

    /// <summary>WeCom contact-me codes (partition <c>way</c>, row = state): the durable state → config_id map.</summary>
    public const string ContactWays = "ContactWays";

    /// <summary>Per external_userid (partition): the add events being handled, the follow relations, seen events; plus the app's cached ids.</summary>
    public const string WeComContacts = "WeComContacts";

    /// <summary>Per unionid (partition): the member it belongs to and the person's WeCom contacts.</summary>
    public const string UnionIds = "UnionIds";

    /// <summary>Official Account follow codes (partition <c>code</c>, row = scene_str) and the count of permanent ones.</summary>
    public const string FollowCodes = "FollowCodes";

    /// <summary>Per Official Account openid (partition): the follower, and the events and notices handled once.</summary>
    public const string Followers = "Followers";

    /// <summary>Per member (partition = a hash of the openid, 16 ways): the facts segments are decided on.</summary>
    public const string MemberFacts = "MemberFacts";

    /// <summary>Members whose facts change with time alone, by the Shanghai day they do (partition), plus the run's cursor.</summary>
    public const string FactsDue = "FactsDue";

    /// <summary>Segment definitions, their members (8 partitions each, with exact counts) and daily sizes.</summary>
    public const string Segments = "Segments";

    /// <summary>Lifecycle flow definitions and their runs (16 partitions per flow, with counters).</summary>
    public const string Flows = "Flows";

    /// <summary>Mass messages: the broadcast, its recipients per staff member, its tasks at WeCom and who was skipped.</summary>
    public const string Broadcasts = "Broadcasts";

    /// <summary>Group-buys (<c>gb|{id}</c>: definition and stock), teams (<c>t|{id}</c>, one row each) and members' seats (<c>m|{openid}</c>).</summary>
    public const string GroupBuys = "GroupBuys";

    /// <summary>Referral codes (<c>c|{code}</c>), each member's referral (<c>m|{openid}</c>), a referrer's referred members (<c>r|{openid}</c>) and daily counts per referrer.</summary>
    public const string Referrals = "Referrals";
}
