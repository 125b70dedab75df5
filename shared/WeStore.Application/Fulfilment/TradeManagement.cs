using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.WeChat;
using WeStore.WeChat.MiniProgram;

namespace WeStore.Application.Fulfilment;

/// <summary>
/// Whether WeChat's order shipping management applies to this Mini Program (is_trade_managed), cached per instance for
/// an hour: a store it does not manage ships here and uploads nothing.
/// </summary>
public sealed class TradeManagement(WeChatApiClient wechat, IOptions<WeChatOptions> options, TimeProvider time, ILogger<TradeManagement> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);
    private (bool Managed, DateTimeOffset Until)? _cached;

    public async Task<bool> IsManagedAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } c && c.Until > time.GetUtcNow()) return c.Managed;
        var response = await wechat.IsTradeManagedAsync(new WxaSecOrderIsTradeManagedRequest { AppId = options.Value.AppId }, cancellationToken);
        if (_cached?.Managed != response.IsTradeManaged) logger.LogInformation("WeChat's order shipping management applies: {Managed}", response.IsTradeManaged);
        _cached = (response.IsTradeManaged, time.GetUtcNow() + CacheFor);
        return response.IsTradeManaged;
    }
}
