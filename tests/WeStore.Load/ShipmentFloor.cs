using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace WeStore.Load;

/// <summary>
/// The floor for the CSV import: per shipment the same storage operations the store makes (the order number's
/// lookup row, the order, its conditional replace, the operators' index moved from toShip to shipped, the
/// auto-confirm entry, the shipping-upload and order-shipped messages), straight at the emulator, eight shipments of
/// a file at once as the store does, with no host, no CSV and no business logic.
/// </summary>
public sealed class ShipmentFloor(string connectionString, string run, int linesPerFile)
{
    private const int Parallelism = 8;
    private readonly TableClient _members = new(connectionString, "FloorMembers");
    private readonly TableClient _index = new(connectionString, "FloorOrderIndex");
    private readonly TableClient _schedule = new(connectionString, "FloorSchedule");
    private readonly QueueClient _upload = new(connectionString, "floor-shipping-upload", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    private readonly QueueClient _shipped = new(connectionString, "floor-order-shipped", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    private readonly string _order = new('x', 1500);

    public async Task SetupAsync(int files)
    {
        await _members.CreateIfNotExistsAsync();
        await _index.CreateIfNotExistsAsync();
        await _schedule.CreateIfNotExistsAsync();
        await _upload.CreateIfNotExistsAsync();
        await _shipped.CreateIfNotExistsAsync();
        await LoadRunner.RunAsync("setup", 16, files * linesPerFile, TimeSpan.FromMinutes(10), async (n, ct) =>
        {
            var orderNo = OrderNo(n);
            await _members.UpsertEntityAsync(new TableEntity(OpenId(n), "order|" + orderNo) { ["Body"] = _order, ["Status"] = "Paid" }, cancellationToken: ct);
            await _index.UpsertEntityAsync(new TableEntity("lookup-" + orderNo[^2..], orderNo) { ["OpenId"] = OpenId(n) }, cancellationToken: ct);
            await _index.UpsertEntityAsync(new TableEntity("toShip", Row(n)) { ["OpenId"] = OpenId(n) }, cancellationToken: ct);
            return 200;
        });
    }

    public async Task<int> SendAsync(int file, CancellationToken ct)
    {
        await Parallel.ForEachAsync(Enumerable.Range(file * linesPerFile, linesPerFile), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (n, token) =>
        {
            var orderNo = OrderNo(n);
            var openId = (await _index.GetEntityAsync<TableEntity>("lookup-" + orderNo[^2..], orderNo, ["OpenId"], token)).Value.GetString("OpenId")!;
            var order = (await _members.GetEntityAsync<TableEntity>(openId, "order|" + orderNo, cancellationToken: token)).Value;
            order["Status"] = "Shipped";
            order["Fulfilment"] = "{\"packages\":[{\"id\":\"P1\",\"trackingNo\":\"YT" + n + "\"}]}";
            await _members.UpdateEntityAsync(order, order.ETag, TableUpdateMode.Replace, token);
            await _index.UpsertEntityAsync(new TableEntity("shipped", Row(n)) { ["OpenId"] = openId }, cancellationToken: token);
            await _index.DeleteEntityAsync("toShip", Row(n), ETag.All, token);
            await _schedule.UpsertEntityAsync(new TableEntity("20991231", Row(n)) { ["OpenId"] = openId }, cancellationToken: token);
            await _upload.SendMessageAsync($$"""{"openId":"{{openId}}","orderNo":"{{orderNo}}"}""", cancellationToken: token);
            await _shipped.SendMessageAsync($$"""{"openId":"{{openId}}","orderNo":"{{orderNo}}","packageIds":["P1"]}""", cancellationToken: token);
        });
        return 200;
    }

    private string OrderNo(int n) => $"WS{run}{n:D10}";

    private static string OpenId(int n) => $"ofloor{n % 64:D2}";

    private string Row(int n) => $"{n:D21}|{OrderNo(n)}";
}
