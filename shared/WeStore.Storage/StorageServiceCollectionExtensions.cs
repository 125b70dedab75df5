using Azure.Core.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WeStore.Domain.Attribution;
using WeStore.Domain.Catalog;
using WeStore.Domain.Coupons;
using WeStore.Domain.Members;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;
using WeStore.Storage.Attribution;
using WeStore.Storage.Catalog;
using WeStore.Storage.Coupons;
using WeStore.Storage.Members;
using WeStore.Storage.Orders;
using WeStore.Storage.WeChat;
using WeStore.WeChat;

namespace WeStore.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the storage clients once, from <c>AzureWebJobsStorage</c>.</summary>
    public static IServiceCollection AddWeStoreStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<StorageRequestCounter>();
        // Chaos testing only: nothing is injected unless a Storage:Faults rate is set.
        var faults = FaultInjectionOptions.FromConfiguration(configuration);
        if (faults.Any && !services.Any(d => d.ServiceType == typeof(FaultInjectionPolicy)))
        {
            services.AddSingleton(new FaultInjectionPolicy(faults));
            services.AddSingleton<HttpPipelinePolicy>(sp => sp.GetRequiredService<FaultInjectionPolicy>());
        }

        services.TryAddSingleton(_ => StorageConnection.FromConfiguration(configuration));
        services.TryAddSingleton(_ => StorageNames.FromConfiguration(configuration));
        services.TryAddSingleton(sp => new StorageClients(
            sp.GetRequiredService<StorageConnection>(),
            sp.GetRequiredService<StorageRequestCounter>(),
            sp.GetServices<HttpPipelinePolicy>(),
            sp.GetRequiredService<StorageNames>()));
        services.TryAddSingleton<IMessageSender, QueueSender>();
        services.TryAddSingleton<IStorageHealth, StorageHealth>();
        services.TryAddSingleton<IMemberRepository, MemberRepository>();
        services.TryAddSingleton<IAccessTokenStore, AccessTokenStore>();
        services.TryAddSingleton<ICatalogRepository, CatalogRepository>();
        services.TryAddSingleton<IStockRepository, StockRepository>();
        services.TryAddSingleton<IOrderRepository, OrderRepository>();
        services.TryAddSingleton<IPaidOutbox, PaidOutbox>();
        services.TryAddSingleton<ICouponCampaignRepository, CouponCampaignRepository>();
        services.TryAddSingleton<ICouponRepository, CouponRepository>();
        services.TryAddSingleton<IQrCodeRepository, QrCodeRepository>();
        services.TryAddSingleton<WeStore.Domain.Loyalty.IPointsRepository, Loyalty.PointsRepository>();
        services.TryAddSingleton<WeStore.Domain.Loyalty.IPointsExpiryIndex, Loyalty.PointsExpiryIndex>();
        services.TryAddSingleton<IMemberAttributionRepository, MemberAttributionRepository>();
        services.TryAddSingleton<IOrderIndex, OrderIndex>();
        services.TryAddSingleton<WeStore.Domain.Reconciliation.IPaymentLedger, Reconciliation.PaymentLedger>();
        services.TryAddSingleton<WeStore.Domain.Reconciliation.IReconciliationStore, Reconciliation.ReconciliationStore>();
        services.TryAddSingleton<WeStore.Domain.Reconciliation.IBillArchive, Reconciliation.BillArchive>();
        services.TryAddSingleton<WeStore.Domain.AfterSales.IAfterSaleRepository, AfterSales.AfterSaleRepository>();
        services.TryAddSingleton<WeStore.Domain.AfterSales.IAfterSaleIndex, AfterSales.AfterSaleIndex>();
        services.TryAddSingleton<WeStore.Domain.Fulfilment.IShippingUploadRepository, Fulfilment.ShippingUploadRepository>();
        services.TryAddSingleton<WeStore.Domain.Fulfilment.IFulfilmentSchedule, Fulfilment.FulfilmentSchedule>();
        services.TryAddSingleton<WeStore.Domain.Notifications.ISubscriptionGrants, Notifications.SubscriptionGrantStore>();
        services.TryAddSingleton<WeStore.Domain.Operations.IOperatorAlerts, Operations.OperatorAlertStore>();
        services.TryAddSingleton<WeStore.Domain.WeCom.IContactWayRepository, WeCom.ContactWayRepository>();
        services.TryAddSingleton<WeStore.Domain.WeCom.IWeComContactStore, WeCom.WeComContactStore>();
        services.TryAddSingleton<IUnionIdIndex, UnionIdIndex>();
        services.TryAddSingleton<WeStore.Domain.OfficialAccount.IFollowCodeRepository, OfficialAccount.FollowCodeRepository>();
        services.TryAddSingleton<WeStore.Domain.OfficialAccount.IFollowerStore, OfficialAccount.FollowerStore>();
        services.TryAddSingleton<WeStore.Domain.Segments.IMemberFactsStore, Segments.MemberFactsStore>();
        services.TryAddSingleton<WeStore.Domain.Segments.ISegmentStore, Segments.SegmentStore>();
        services.TryAddSingleton<WeStore.Domain.Segments.IFlowStore, Segments.FlowStore>();
        services.TryAddSingleton<WeStore.Domain.Segments.ICustomerMessageCap, Segments.CustomerMessageCapStore>();
        services.TryAddSingleton<WeStore.Domain.Segments.IBroadcastStore, Segments.BroadcastStore>();
        services.TryAddSingleton<WeStore.Domain.GroupBuys.IGroupBuyStore, GroupBuys.GroupBuyStore>();
        services.TryAddSingleton<WeStore.Domain.Referrals.IReferralStore, Referrals.ReferralStore>();
        // One per process: it coalesces concurrent additions to a counter and remembers each counter's version.
        services.TryAddSingleton<IAttributionCounters, AttributionCounterStore>();
        return services;
    }
}
