using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.Notifications;

namespace WeStore.Storage.Notifications;

/// <summary>
/// Grants in the member's partition: <c>grant|{templateId}</c> holds the number of sends allowed; an applied event
/// leaves <c>grant|~event|{id}</c> and a send <c>grant|~sent|{id}</c>, each written in the same batch as its change, so
/// a redelivered event or send changes nothing.
/// </summary>
internal sealed class SubscriptionGrantStore(StorageClients clients) : ISubscriptionGrants
{
    private const string Prefix = "grant|";
    private const string EventPrefix = "grant|~event|";
    private const string SentPrefix = "grant|~sent|";

    public async Task<bool> ApplyAsync(string openId, string eventId, IReadOnlyList<GrantChange> changes, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var templates = changes.Select(c => c.TemplateId).Distinct(StringComparer.Ordinal).Take(20).ToList();
        return await Optimistic.RetryAsync<bool>("A member's subscription grants", async _ =>
        {
            if ((await table.GetEntityIfExistsAsync<TableEntity>(openId, EventPrefix + eventId, ["RowKey"], cancellationToken)).HasValue) return false;
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, new TableEntity(openId, EventPrefix + eventId)) };
            foreach (var template in templates)
            {
                var current = await table.GetEntityIfExistsAsync<TableEntity>(openId, Prefix + template, cancellationToken: cancellationToken);
                var count = current.HasValue ? current.Value!.GetInt32("Count") ?? 0 : 0;
                foreach (var change in changes.Where(c => c.TemplateId == template)) count = change.Accepted ? count + 1 : 0;
                var entity = new TableEntity(openId, Prefix + template) { ["Count"] = count };
                actions.Add(current.HasValue
                    ? new(TableTransactionActionType.UpdateReplace, entity, current.Value!.ETag)
                    : new(TableTransactionActionType.Add, entity));
            }

            try
            {
                await table.SubmitBatchAsync(actions, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // The event was applied meanwhile (its marker exists), or a grant changed: read again.
                return Attempt<bool>.Again;
            }
        }, cancellationToken);
    }

    public async Task<int> CountAsync(string openId, string templateId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(openId, Prefix + templateId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetInt32("Count") ?? 0 : 0;
    }

    public Task<bool> TryTakeAsync(string openId, string templateId, string sendId, CancellationToken cancellationToken)
        => ChangeAsync(openId, templateId, sendId, take: true, cancellationToken);

    public Task GiveBackAsync(string openId, string templateId, string sendId, CancellationToken cancellationToken)
        => ChangeAsync(openId, templateId, sendId, take: false, cancellationToken);

    /// <summary>Takes (marker added, count down) or gives back (marker removed, count up), in one batch.</summary>
    private async Task<bool> ChangeAsync(string openId, string templateId, string sendId, bool take, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        return await Optimistic.RetryAsync<bool>("A member's subscription grants", async _ =>
        {
            var marker = await table.GetEntityIfExistsAsync<TableEntity>(openId, SentPrefix + sendId, ["RowKey"], cancellationToken);
            if (marker.HasValue == take) return false; // taken already, or nothing to give back
            var current = await table.GetEntityIfExistsAsync<TableEntity>(openId, Prefix + templateId, cancellationToken: cancellationToken);
            var count = current.HasValue ? current.Value!.GetInt32("Count") ?? 0 : 0;
            if (take && count < 1) return false;
            var entity = new TableEntity(openId, Prefix + templateId) { ["Count"] = count + (take ? -1 : 1) };
            List<TableTransactionAction> actions =
            [
                current.HasValue ? new(TableTransactionActionType.UpdateReplace, entity, current.Value!.ETag) : new(TableTransactionActionType.Add, entity),
                take ? new(TableTransactionActionType.Add, new TableEntity(openId, SentPrefix + sendId)) : new(TableTransactionActionType.Delete, new TableEntity(openId, SentPrefix + sendId), ETag.All),
            ];
            try
            {
                await table.SubmitBatchAsync(actions, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
            {
                return Attempt<bool>.Again;
            }
        }, cancellationToken);
    }
}
