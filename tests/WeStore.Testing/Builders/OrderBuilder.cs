using WeStore.Domain.Attribution;
using WeStore.Domain.Orders;

namespace WeStore.Testing.Builders;

/// <summary>A domain <see cref="Order"/> with sensible defaults: one line of 2 × 1,000 fen, pending payment, placed at <see cref="DefaultNow"/>.</summary>
public sealed class OrderBuilder
{
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private readonly List<OrderLine> _lines = [];
    private string _orderNo = "WS0001";
    private string _openId = "oMember0000000000000000000001";
    private long _discount;
    private string? _couponId;
    private DateTimeOffset _now = DefaultNow;
    private OrderAttribution? _attribution = OrderAttribution.None;
    private string? _paidWith;

    public OrderBuilder Numbered(string orderNo)
    {
        _orderNo = orderNo;
        return this;
    }

    public OrderBuilder For(string openId)
    {
        _openId = openId;
        return this;
    }

    public OrderBuilder WithLine(string skuId, long unitPrice, int quantity, string productId = "p1")
    {
        _lines.Add(new OrderLine(skuId, productId, "商品 " + skuId, unitPrice, quantity, 0));
        return this;
    }

    public OrderBuilder WithCoupon(string couponId, long discount)
    {
        _couponId = couponId;
        _discount = discount;
        return this;
    }

    public OrderBuilder PlacedAt(DateTimeOffset now)
    {
        _now = now;
        return this;
    }

    /// <summary>Placed as the store places orders now: the attribution still to be copied.</summary>
    public OrderBuilder AttributionPending()
    {
        _attribution = null;
        return this;
    }

    /// <summary>Paid under this transaction id, a minute after placing.</summary>
    public OrderBuilder Paid(string transactionId = "4200000001")
    {
        _paidWith = transactionId;
        return this;
    }

    public Order Build()
    {
        var lines = _lines.Count > 0 ? _lines.ToList() : [new OrderLine("s1", "p1", "商品 s1", 1000, 2, 0)];
        var order = Order.Place(_orderNo, _openId, lines, OrderPricing.Price(lines, _discount), _couponId,
            new ShippingAddress("张三", "13800138000", "广东省", "广州市", "海珠区", "新港中路397号", null), null,
            _now, _now.AddMinutes(15), "wx_prepay", "hash", "{}", _attribution);
        if (_paidWith is not null) order.MarkPaid(_paidWith, _now.AddMinutes(1));
        return order;
    }
}
