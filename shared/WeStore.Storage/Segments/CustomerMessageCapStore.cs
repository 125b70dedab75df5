using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.Segments;

namespace WeStore.Storage.Segments;

/// <summary>
/// In the customer's <c>WeComContacts</c> partition (external_userid): <c>cap|{period}</c> counts the messages sent
/// in the period, and <c>capx|{sendId}</c> marks each send counted, written in the same batch, so a retried send
/// takes its slot once.
/// </summary>
internal sealed class CustomerMessageCapStore(StorageClients clients) : ICustomerMessageCap
{
    public async Task<bool> TryReserveAsync(string externalUserId, string period, int limit, string sendId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeComContacts, cancellationToken);
        return await Optimistic.RetryAsync<bool>("A customer's message count", async _ =>
        {
            var rows = new List<TableEntity>();
            var marker = await table.GetEntityIfExistsAsync<TableEntity>(externalUserId, "capx|" + sendId, ["RowKey"], cancellationToken);
            if (marker.HasValue) return true;
            var counter = await table.GetEntityIfExistsAsync<TableEntity>(externalUserId, "cap|" + period, cancellationToken: cancellationToken);
            var count = counter.HasValue ? counter.Value!.GetInt32("Count") ?? 0 : 0;
            if (count >= limit) return false;
            var row = new TableEntity(externalUserId, "cap|" + period) { ["Count"] = count + 1 };
            try
            {
                await table.SubmitBatchAsync(
                [
                    new(TableTransactionActionType.Add, new TableEntity(externalUserId, "capx|" + sendId) { ["Period"] = period }),
                    counter.HasValue ? new(TableTransactionActionType.UpdateReplace, row, counter.Value!.ETag) : new(TableTransactionActionType.Add, row),
                ], cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                return Attempt<bool>.Again;
            }
        }, cancellationToken);
    }

    public async Task<int> CountAsync(string externalUserId, string period, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeComContacts, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(externalUserId, "cap|" + period, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetInt32("Count") ?? 0 : 0;
    }
}
