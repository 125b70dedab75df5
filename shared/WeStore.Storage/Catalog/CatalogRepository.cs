using System.Text.Json;
using Azure.Data.Tables;
using WeStore.Domain.Catalog;

namespace WeStore.Storage.Catalog;

/// <summary>Products in one partition, each row holding the product as JSON (SKUs included).</summary>
internal sealed class CatalogRepository(StorageClients clients) : ICatalogRepository
{
    private const string Partition = "product";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<Product>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Catalog, cancellationToken);
        var rows = table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken);
        var products = new List<Product>();
        await foreach (var row in rows) products.Add(Read(row));
        return products;
    }

    public async Task<Product?> GetAsync(string productId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Catalog, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, productId, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } row ? Read(row) : null;
    }

    public async Task SaveAsync(Product product, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Catalog, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Partition, product.Id) { ["Json"] = JsonSerializer.Serialize(product, Json) }, TableUpdateMode.Replace, cancellationToken);
    }

    private static Product Read(TableEntity row) => JsonSerializer.Deserialize<Product>(row.GetString("Json")!, Json)!;
}
