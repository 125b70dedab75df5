using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Coupons;

namespace WeStore.Storage.Coupons;

/// <summary>A member's coupons live in the member's partition (<c>coupon|{id}</c>), beside the orders they back.</summary>
internal sealed class CouponRepository(StorageClients clients) : ICouponRepository
{
    public async Task<Coupon?> GetAsync(string openId, string couponId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(openId, CouponEntities.CouponRow(couponId), cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } e ? CouponEntities.ToCoupon(e) : null;
    }

    public async Task PutIfAbsentAsync(Coupon coupon, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        try
        {
            await table.AddEntityAsync(CouponEntities.FromCoupon(coupon), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
    }

    public async Task<IReadOnlyList<Coupon>> ListAsync(string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {openId} and RowKey ge {"coupon|"} and RowKey lt {"coupon}"}");
        var coupons = new List<Coupon>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) coupons.Add(CouponEntities.ToCoupon(row));
        return coupons;
    }

    public async Task<bool> TrySaveAsync(Coupon coupon, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(CouponEntities.FromCoupon(coupon), new ETag(coupon.Version!), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }
}
