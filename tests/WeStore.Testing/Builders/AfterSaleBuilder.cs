using WeStore.Domain.AfterSales;

namespace WeStore.Testing.Builders;

/// <summary>A domain <see cref="AfterSale"/>: by default a refund of 1,000 fen on order WS0001, just requested.</summary>
public sealed class AfterSaleBuilder
{
    private AfterSaleType _type = AfterSaleType.Refund;
    private IReadOnlyList<AfterSaleLine> _lines = [];
    private long _amount = 1000;
    private DateTimeOffset _at = OrderBuilder.DefaultNow.AddDays(2);

    public AfterSaleBuilder Return(string skuId = "s1", int quantity = 1)
    {
        _type = AfterSaleType.Return;
        _lines = [new AfterSaleLine(skuId, quantity)];
        return this;
    }

    public AfterSaleBuilder ForAmount(long amount)
    {
        _amount = amount;
        return this;
    }

    public AfterSaleBuilder At(DateTimeOffset at)
    {
        _at = at;
        return this;
    }

    public AfterSale Build() => AfterSale.Request("ASTESTTESTTESTTESTTESTTE", "oMember0000000000000000000001", "WS0001", _type, _lines, _amount, "不想要了", null, [], "hash", _at);

    /// <summary>Requested, approved, and (a return) shipped back and received: ready for its refund.</summary>
    public AfterSale BuildReadyToRefund()
    {
        var a = Build();
        a.Approve(null, _type == AfterSaleType.Return ? "浙江省杭州市西湖区 退货仓" : null, _at);
        if (_type == AfterSaleType.Return)
        {
            a.ShipReturn("YTO", "YT9", _at);
            a.Receive(restock: true, _at);
        }

        return a;
    }
}
