namespace WeStore.Application.Orders;

public sealed class OrdersOptions
{
    public const string Section = "Orders";

    /// <summary>How long a shopper has to pay; also WeChat Pay's time_expire.</summary>
    public int PaymentWindowMinutes { get; set; } = 15;

    public TimeSpan PaymentWindow => TimeSpan.FromMinutes(Math.Clamp(PaymentWindowMinutes, 1, 24 * 60));
}
