using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace WeStore.Load;

/// <summary>
/// The floor for the CSV import: per shipment the storage operations the store makes, straight at the emulator, with
/// no host, no CSV, no WeChat and no business logic. The request's: the order number's lookup row, the order, its
/// conditional replace, then at once the index move (shipped added, toShip removed), the auto-confirm entry and the two
/// messages; eight shipments of a file at a time, as the import runs them. Beside it the two consumers, as the host
/// runs them: the upload (the order, the ledger, the ledger taken, the ledger saved, the message deleted) and the
/// shipped notice (the order, the member's grant, the message deleted).
/// </summary>
public sealed class ShipmentFloor(string connectionString, string run, int linesPerFile) : IAsyncDisposable
{
    private const int Parallelism = 8;
    private static readonly QueueClientOptions QueueOptions = new() { MessageEncoding = QueueMessageEncoding.Base64 };
    private readonly TableClient _members = new(connectionString, "FloorMembers");
    private readonly TableClient _index = new(connectionString, "FloorOrderIndex");
    private readonly TableClient _schedule = new(connectionString, "FloorSchedule");
    private readonly QueueClient _upload = new(connectionString, "floor-shipping-upload", QueueOptions);
    private readonly QueueClient _shipped = new(connectionString, "floor-order-shipped", QueueOptions);
    private readonly string _order = new('x', 1500);
    private readonly string _ledger = new('l', 300);
    private FloorConsumer? _uploads;
    private FloorConsumer? _notices;

    public async Task SetupAsync(int files)
    {
        foreach (var table in new[] { _members, _index, _schedule }) await table.CreateIfNotExistsAsync();
        await _upload.CreateIfNotExistsAsync();
        await _shipped.CreateIfNotExistsAsync();
        await LoadRunner.RunAsync("setup", 16, files * linesPerFile, TimeSpan.FromMinutes(10), async (n, ct) =>
        {
            var orderNo = OrderNo(n);
            await _members.UpsertEntityAsync(new TableEntity(OpenId(n), "order|" + orderNo) { ["Body"] = _order, ["Status"] = "Paid" }, cancellationToken: ct);
            await _index.UpsertEntityAsync(new TableEntity(Lookup(orderNo), orderNo) { ["OpenId"] = OpenId(n) }, cancellationToken: ct);
            await _index.UpsertEntityAsync(new TableEntity("toShip", Row(n)) { ["OpenId"] = OpenId(n) }, cancellationToken: ct);
            return 200;
        });
        _uploads = new FloorConsumer(_upload, UploadAsync).Start();
        _notices = new FloorConsumer(_shipped, NoticeAsync).Start();
    }

    public async Task<int> SendAsync(int file, CancellationToken ct)
    {
        await Parallel.ForEachAsync(Enumerable.Range(file * linesPerFile, linesPerFile), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (n, token) =>
        {
            var orderNo = OrderNo(n);
            var openId = (await _index.GetEntityAsync<TableEntity>(Lookup(orderNo), orderNo, ["OpenId"], token)).Value.GetString("OpenId")!;
            var order = (await _members.GetEntityAsync<TableEntity>(openId, "order|" + orderNo, cancellationToken: token)).Value;
            order["Status"] = "Shipped";
            order["Fulfilment"] = "{\"packages\":[{\"id\":\"P1\",\"trackingNo\":\"YT" + n + "\"}]}";
            await _members.UpdateEntityAsync(order, order.ETag, TableUpdateMode.Replace, token);
            var message = $$"""{"openId":"{{openId}}","orderNo":"{{orderNo}}"}""";
            await Task.WhenAll(
                _index.UpsertEntityAsync(new TableEntity("shipped", Row(n)) { ["OpenId"] = openId }, cancellationToken: token),
                _index.DeleteEntityAsync("toShip", Row(n), ETag.All, token),
                _schedule.UpsertEntityAsync(new TableEntity("20991231", Row(n)) { ["OpenId"] = openId }, cancellationToken: token),
                _upload.SendMessageAsync(message, cancellationToken: token),
                _shipped.SendMessageAsync(message, cancellationToken: token));
        });
        return 200;
    }

    public async ValueTask DisposeAsync()
    {
        if (_uploads is not null) await _uploads.DisposeAsync();
        if (_notices is not null) await _notices.DisposeAsync();
    }

    private async Task UploadAsync(QueueMessage message)
    {
        var (openId, orderNo) = Parse(message);
        await _members.GetEntityAsync<TableEntity>(openId, "order|" + orderNo);
        await _members.GetEntityIfExistsAsync<TableEntity>(openId, "shipping|" + orderNo);
        var taken = await _members.AddEntityAsync(new TableEntity(openId, "shipping|" + orderNo) { ["State"] = "Pending", ["Lease"] = _ledger });
        await _members.UpdateEntityAsync(new TableEntity(openId, "shipping|" + orderNo) { ["State"] = "Uploaded", ["Ledger"] = _ledger }, taken.Headers.ETag!.Value, TableUpdateMode.Replace);
        await _upload.DeleteMessageAsync(message.MessageId, message.PopReceipt);
    }

    private async Task NoticeAsync(QueueMessage message)
    {
        var (openId, orderNo) = Parse(message);
        await _members.GetEntityAsync<TableEntity>(openId, "order|" + orderNo);
        await _members.GetEntityIfExistsAsync<TableEntity>(openId, "grant|tmpl-order-shipped");
        await _shipped.DeleteMessageAsync(message.MessageId, message.PopReceipt);
    }

    private static (string OpenId, string OrderNo) Parse(QueueMessage message)
    {
        using var body = JsonDocument.Parse(message.Body);
        return (body.RootElement.GetProperty("openId").GetString()!, body.RootElement.GetProperty("orderNo").GetString()!);
    }

    private string OrderNo(int n) => $"WS{run}{n:D10}";

    private static string Lookup(string orderNo) => "lookup-" + orderNo[^2..];

    private static string OpenId(int n) => $"ofloor{n % 64:D2}";

    private string Row(int n) => $"{n:D21}|{OrderNo(n)}";
}
