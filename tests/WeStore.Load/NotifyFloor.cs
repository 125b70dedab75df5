using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace WeStore.Load;

/// <summary>
/// The floor for a notification: the storage operations the store makes for one, straight at the emulator, with no
/// function host and no app code. The notify path's six, measured (read the order, add the outbox entry with the
/// member's attribution row read beside it, replace the order, send order-paid, remove the entry), and beside them a consumer of the order-paid queue as the host runs
/// one (batches of 16, a new batch when 8 or fewer are in flight), doing what the order-paid function does for each:
/// read the order, index it (two upserts, the second beside the ledger's entry), read and mark the stock hold, read the points account, add the expiry index entry, save the
/// account with its ledger and marker rows in one batch (re-read and retried on a conflict), delete the message.
/// The setup leaves what placing the orders leaves: order rows, holds and a timeout message per order.
/// </summary>
public sealed class NotifyFloor(string connectionString, string run) : IAsyncDisposable
{
    private const int Shoppers = 64;
    private static readonly QueueClientOptions QueueOptions = new() { MessageEncoding = QueueMessageEncoding.Base64 };
    private readonly TableClient _members = new(connectionString, "FloorMembers");
    private readonly TableClient _outbox = new(connectionString, "FloorOutbox");
    private readonly TableClient _stock = new(connectionString, "FloorStock");
    private readonly TableClient _expiry = new(connectionString, "FloorPointsExpiry");
    private readonly TableClient _index = new(connectionString, "FloorOrderIndex");
    private readonly TableClient _ledger = new(connectionString, "FloorPaymentLedger");
    private readonly QueueClient _paid = new(connectionString, "floor-paid", QueueOptions);
    private readonly QueueClient _timeouts = new(connectionString, "floor-timeout", QueueOptions);
    private readonly QueueClient _facts = new(connectionString, "floor-facts", QueueOptions);
    private readonly string _order = new('x', 1200);
    private readonly string _lots = new('l', 2000);
    private FloorConsumer? _consumer;

    public async Task SetupAsync(int count)
    {
        foreach (var table in new[] { _members, _outbox, _stock, _expiry, _index, _ledger }) await table.CreateIfNotExistsAsync();
        await _paid.CreateIfNotExistsAsync();
        await _facts.CreateIfNotExistsAsync();
        await _timeouts.CreateIfNotExistsAsync();
        for (var i = 0; i < Shoppers; i++)
        {
            await _members.UpsertEntityAsync(new TableEntity($"o{i}", "points") { ["Balance"] = 0L, ["Lots0"] = _lots });
        }

        await LoadRunner.RunAsync("floor-setup", 16, count, TimeSpan.FromMinutes(5), async (n, ct) =>
        {
            await _members.UpsertEntityAsync(new TableEntity(Shopper(n), Order(n)) { ["Body"] = _order, ["Status"] = "PendingPayment" }, cancellationToken: ct);
            await _stock.UpsertEntityAsync(new TableEntity(Sku, Hold(n)) { ["Quantity"] = 1, ["State"] = "held" }, cancellationToken: ct);
            await _timeouts.SendMessageAsync(Message(n), TimeSpan.FromMinutes(15), cancellationToken: ct);
            return 200;
        });
        _consumer = new FloorConsumer(_paid, FulfilAsync).Start();
    }

    public async Task<int> SendAsync(int n, CancellationToken ct)
    {
        var order = (await _members.GetEntityAsync<TableEntity>(Shopper(n), Order(n), cancellationToken: ct)).Value;
        var touches = _members.GetEntityIfExistsAsync<TableEntity>(Shopper(n), "attribution", cancellationToken: ct);
        await _outbox.AddEntityAsync(new TableEntity(OutboxPartition(n), $"{run}-{n}") { ["OpenId"] = Shopper(n) }, ct);
        await touches;
        order["Status"] = "Paid";
        await _members.UpdateEntityAsync(order, order.ETag, TableUpdateMode.Replace, ct);
        await _paid.SendMessageAsync(Message(n), ct);
        await _outbox.DeleteEntityAsync(OutboxPartition(n), $"{run}-{n}", cancellationToken: ct);
        return 204;
    }

    public async ValueTask DisposeAsync()
    {
        if (_consumer is not null) await _consumer.DisposeAsync();
    }

    private string Sku => $"nsku-{run}";

    private static string Shopper(int n) => $"o{n % Shoppers}";

    private string Order(int n) => $"order|{run}-{n}";

    private string Hold(int n) => $"hold-{run}-{n}";

    private static string OutboxPartition(int n) => "p" + (n % 16).ToString("X1", CultureInfo.InvariantCulture);

    private string Message(int n) => $$"""{"run":"{{run}}","n":{{n}}}""";

    private async Task FulfilAsync(QueueMessage message)
    {
        using var body = JsonDocument.Parse(message.Body);
        var n = body.RootElement.GetProperty("n").GetInt32();
        var messageRun = body.RootElement.GetProperty("run").GetString()!;
        if (messageRun != run)
        {
            // A message an earlier floor run left: its rows are that run's. Settled as the store would settle it.
            await _paid.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            return;
        }

        await _members.GetEntityAsync<TableEntity>(Shopper(n), Order(n));
        // The order indexed: its number's lookup row and its place in the to-ship list.
        await _index.UpsertEntityAsync(new TableEntity("lookup-" + n % 100, $"{run}-{n}") { ["OpenId"] = Shopper(n) }, TableUpdateMode.Replace);
        await Task.WhenAll(
            _index.UpsertEntityAsync(new TableEntity("toShip", $"{n:D21}|{run}-{n}") { ["OpenId"] = Shopper(n) }, TableUpdateMode.Replace),
            _ledger.UpsertEntityAsync(new TableEntity("20261201", $"pay|{run}-{n}") { ["Amount"] = 100L, ["State"] = "SUCCESS" }, TableUpdateMode.Replace));
        var hold = (await _stock.GetEntityAsync<TableEntity>(Sku, Hold(n))).Value;
        await _stock.UpdateEntityAsync(new TableEntity(Sku, hold.RowKey) { ["State"] = "sold" }, hold.ETag, TableUpdateMode.Merge);
        for (var attempt = 0; ; attempt++)
        {
            var points = (await _members.GetEntityAsync<TableEntity>(Shopper(n), "points")).Value;
            if (attempt == 0)
            {
                await _expiry.UpsertEntityAsync(new TableEntity("2027-11-30", $"{Shopper(n)}|{run}-{n}") { ["Points"] = 10L }, TableUpdateMode.Replace);
            }

            try
            {
                await _members.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(Shopper(n), $"points|marker|earn|{run}-{n}") { ["Value"] = 10L }),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(Shopper(n), $"points|ledger|{run}-{n}") { ["Points"] = 10L, ["Reason"] = "earn" }),
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace,
                        new TableEntity(Shopper(n), "points") { ["Balance"] = (points.GetInt64("Balance") ?? 0) + 10, ["Lots0"] = _lots }, points.ETag),
                ]);
                break;
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < 10)
            {
            }
        }

        // The member's facts message (paid), for the segments' consumer.
        await _facts.SendMessageAsync(Message(n));
        await _paid.DeleteMessageAsync(message.MessageId, message.PopReceipt);
    }
}
