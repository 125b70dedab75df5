using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Coupons;

namespace WeStore.Storage.Coupons;

/// <summary>How campaigns and coupons become table rows (shared by the repositories and the order batch).</summary>
internal static class CouponEntities
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string CouponRow(string couponId) => "coupon|" + couponId;

    public static TableEntity FromCampaign(CouponCampaign c, string partition, string row) => new(partition, row)
    {
        ["Name"] = c.Name,
        ["Terms"] = JsonSerializer.Serialize(c.Terms, Json),
        ["ValidFrom"] = c.ValidFrom,
        ["ValidTo"] = c.ValidTo,
        ["ValidDays"] = c.ValidDays,
        ["ClaimFrom"] = c.ClaimFrom,
        ["ClaimTo"] = c.ClaimTo,
        ["TotalStock"] = c.TotalStock,
        ["PerMemberLimit"] = c.PerMemberLimit,
        ["IssueOn"] = c.IssueOn.ToString(),
        ["Paused"] = c.Paused,
        ["Claimed"] = c.Claimed,
        ["Shards"] = c.Shards,
        ["CreatedAt"] = c.CreatedAt,
    };

    public static CouponCampaign ToCampaign(string id, TableEntity e) => CouponCampaign.Restore(
        id, e.GetString("Name") ?? id, JsonSerializer.Deserialize<CouponTerms>(e.GetString("Terms")!, Json)!,
        e.GetDateTimeOffset("ValidFrom"), e.GetDateTimeOffset("ValidTo"), e.GetInt32("ValidDays"), e.GetDateTimeOffset("ClaimFrom"),
        e.GetDateTimeOffset("ClaimTo"), e.GetInt32("TotalStock") ?? 0, e.GetInt32("PerMemberLimit") ?? 1,
        Enum.Parse<IssueOn>(e.GetString("IssueOn") ?? nameof(IssueOn.Claim)), e.GetBoolean("Paused") ?? false, e.GetInt32("Claimed") ?? 0,
        e.GetDateTimeOffset("CreatedAt") ?? default, e.ETag.ToString(), e.GetInt32("Shards") ?? 1);

    public static TableEntity FromCoupon(Coupon c) => new(c.OpenId, CouponRow(c.Id))
    {
        ["CampaignId"] = c.CampaignId,
        ["Name"] = c.Name,
        ["Terms"] = JsonSerializer.Serialize(c.Terms, Json),
        ["ValidFrom"] = c.ValidFrom,
        ["ValidTo"] = c.ValidTo,
        ["ClaimedAt"] = c.ClaimedAt,
        ["State"] = c.State.ToString(),
        ["OrderNo"] = c.OrderNo,
    };

    public static Coupon ToCoupon(TableEntity e) => Coupon.Restore(
        e.RowKey["coupon|".Length..], e.PartitionKey, e.GetString("CampaignId") ?? string.Empty, e.GetString("Name") ?? string.Empty,
        JsonSerializer.Deserialize<CouponTerms>(e.GetString("Terms")!, Json)!, e.GetDateTimeOffset("ValidFrom") ?? default,
        e.GetDateTimeOffset("ValidTo") ?? default, e.GetDateTimeOffset("ClaimedAt") ?? default,
        Enum.Parse<CouponState>(e.GetString("State") ?? nameof(CouponState.Available)), e.GetString("OrderNo"), e.ETag.ToString());

    public static TableTransactionAction SaveCoupon(Coupon c)
        => new(TableTransactionActionType.UpdateReplace, FromCoupon(c), c.Version is null ? ETag.All : new ETag(c.Version));
}
