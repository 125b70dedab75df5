using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WeStore.Application.Attribution;
using WeStore.Application.Auth;
using WeStore.Application.Catalog;
using WeStore.Application.Coupons;
using WeStore.Application.Fulfilment;
using WeStore.Application.Loyalty;
using WeStore.Application.Orders;
using WeStore.Application.Payments;
using WeStore.Application.Push;
using WeStore.Application.Security;

namespace WeStore.Application;

public static class ApplicationServiceCollectionExtensions
{
    public const string SigningKeysSection = "Session:SigningKeys";
    public const string ActiveSigningKeySetting = "Session:ActiveSigningKeyId";
    public const string EncryptionKeysSection = "Session:EncryptionKeys";
    public const string ActiveEncryptionKeySetting = "Session:ActiveEncryptionKeyId";

    public static IServiceCollection AddWeStoreApplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SessionTokenService(
            KeyRing.FromConfiguration(configuration, SigningKeysSection, ActiveSigningKeySetting, minimumBytes: 32),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(_ => new SecretProtector(
            KeyRing.FromConfiguration(configuration, EncryptionKeysSection, ActiveEncryptionKeySetting, minimumBytes: 32)));
        services.TryAddSingleton<LoginService>();
        services.TryAddTransient<PhoneService>();
        services.AddOptions<OrdersOptions>().Bind(configuration.GetSection(OrdersOptions.Section));
        services.TryAddSingleton<CatalogService>();
        services.TryAddTransient<OrderService>();
        services.TryAddTransient<OrderLifecycleService>();
        services.TryAddTransient<UnpaidOrderRelease>();
        services.TryAddTransient<PaymentRecorder>();
        services.TryAddTransient<RefundService>();
        services.AddOptions<CouponOptions>().Bind(configuration.GetSection(CouponOptions.Section));
        services.TryAddTransient<CampaignAdministration>();
        // Singleton: it remembers each campaign's shard count and empty shards.
        services.TryAddSingleton<CouponIssuance>();
        services.TryAddTransient<CouponWallet>();
        services.TryAddTransient<PaidOrderPipeline>();
        services.AddOptions<AttributionOptions>().Bind(configuration.GetSection(AttributionOptions.Section));
        services.TryAddTransient<QrCodeService>();
        // Singleton: it holds the per-instance QR code cache.
        services.TryAddSingleton<ScanService>();
        services.TryAddTransient<ConversionRecorder>();
        services.TryAddTransient<OrderAttributionCopier>();
        services.TryAddTransient<AttributionReportService>();
        services.AddOptions<LoyaltyOptions>().Bind(configuration.GetSection(LoyaltyOptions.Section));
        services.TryAddTransient<LoyaltyService>();
        services.TryAddTransient<PointsExpiryService>();
        services.AddOptions<FulfilmentOptions>().Bind(configuration.GetSection(FulfilmentOptions.Section));
        // Singletons: they cache WeChat's carrier list and whether WeChat manages the store's shipping.
        services.TryAddSingleton<DeliveryCompanies>();
        services.TryAddSingleton<TradeManagement>();
        services.TryAddTransient<ShippingService>();
        services.TryAddTransient<ShippingUploader>();
        services.TryAddTransient<ShippedNotifier>();
        services.TryAddTransient<ReceiptService>();
        services.TryAddTransient<CompletionService>();
        services.TryAddTransient<FulfilmentScheduler>();
        services.TryAddTransient<OrderCompletedPipeline>();
        services.TryAddSingleton<MiniProgramPush>();
        services.TryAddTransient<PushReceiver>();
        services.TryAddTransient<MiniProgramEventHandler>();
        services.TryAddTransient<WeStore.Application.Operations.OperatorAlertService>();
        services.TryAddSingleton<WeCom.WeComCallback>();
        services.TryAddTransient<WeCom.ContactWayService>();
        // Singletons: they cache the card's media id and the channel tags' ids.
        services.TryAddSingleton<WeCom.WelcomeCard>();
        services.TryAddSingleton<WeCom.ChannelTags>();
        services.TryAddTransient<WeCom.WelcomeSender>();
        services.TryAddTransient<WeCom.ContactLinker>();
        services.TryAddTransient<WeCom.ContactAddHandler>();
        services.TryAddTransient<WeCom.WeComEventHandler>();
        services.TryAddSingleton<OfficialAccount.OfficialAccountPush>();
        services.TryAddTransient<OfficialAccount.FollowCodeService>();
        services.TryAddTransient<OfficialAccount.OfficialAccountEventHandler>();
        services.TryAddTransient<OfficialAccount.FollowerShippedNotice>();
        services.TryAddTransient<AfterSales.AfterSaleService>();
        services.TryAddTransient<Reconciliation.ReconciliationService>();
        services.TryAddTransient<AfterSales.RefundFollower>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IRefundOutcomeListener, AfterSales.AfterSaleRefundListener>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IRefundOutcomeListener, Segments.RefundFactsListener>());
        services.AddOptions<Segments.SegmentsOptions>().Bind(configuration.GetSection(Segments.SegmentsOptions.Section));
        services.TryAddSingleton<Segments.MemberFactsNotifier>();
        // Singletons: the catalog caches the definitions; the tags cache their ids; the mirror paces its calls.
        services.TryAddSingleton<Segments.SegmentCatalog>();
        services.TryAddSingleton<Segments.LifecycleTags>();
        services.TryAddSingleton<Segments.LifecycleTagMirror>();
        services.TryAddTransient<Segments.MemberFactsService>();
        services.TryAddTransient<Segments.SegmentService>();
        services.TryAddTransient<Segments.FlowService>();
        services.TryAddTransient<Segments.BroadcastService>();
        services.AddOptions<Referrals.ReferralOptions>().Bind(configuration.GetSection(Referrals.ReferralOptions.Section));
        services.TryAddTransient<Referrals.ReferralService>();
        services.TryAddTransient<Referrals.ReferralRewards>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IOrderCompletedStep, Referrals.ReferralRewards>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IRefundOutcomeListener, Referrals.ReferralRewards>());
        services.AddOptions<GroupBuys.GroupBuyOptions>().Bind(configuration.GetSection(GroupBuys.GroupBuyOptions.Section));
        // Singleton: it caches the group-buys' definitions (they never change).
        services.TryAddSingleton<GroupBuys.GroupBuyCatalog>();
        services.TryAddTransient<GroupBuys.TeamSeats>();
        services.TryAddTransient<GroupBuys.GroupBuyService>();
        services.TryAddTransient<GroupBuys.TeamSettlement>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IRefundOutcomeListener, GroupBuys.TeamRefundListener>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICompletionGate, AfterSales.AfterSaleCompletionGate>());
        return services;
    }
}
