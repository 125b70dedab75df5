using Azure;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;

namespace WeStore.LocalHost.Timers;

/// <summary>
/// Each timer's schedule status (last run, next due), kept in storage like the host's schedule monitor, so a
/// restart can tell that a run was missed.
/// </summary>
internal sealed class TimerStatusStore(TableClient table, string hostId)
{
    public async Task<ScheduleStatus?> GetAsync(string functionName, CancellationToken cancellationToken)
    {
        await table.CreateIfNotExistsAsync(cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(hostId, functionName, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is null) return null;
        var entity = response.Value;
        return new ScheduleStatus
        {
            Last = entity.GetDateTimeOffset("Last")?.UtcDateTime ?? DateTime.MinValue,
            Next = entity.GetDateTimeOffset("Next")?.UtcDateTime ?? DateTime.MinValue,
            LastUpdated = entity.GetDateTimeOffset("LastUpdated")?.UtcDateTime ?? DateTime.MinValue,
        };
    }

    public Task SaveAsync(string functionName, DateTimeOffset last, DateTimeOffset next, DateTimeOffset updated, CancellationToken cancellationToken)
        => table.UpsertEntityAsync(new TableEntity(hostId, functionName)
        {
            ["Last"] = last.ToUniversalTime(),
            ["Next"] = next.ToUniversalTime(),
            ["LastUpdated"] = updated.ToUniversalTime(),
        }, TableUpdateMode.Replace, cancellationToken);
}
