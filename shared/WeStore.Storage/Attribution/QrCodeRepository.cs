using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Attribution;

namespace WeStore.Storage.Attribution;

/// <summary>
/// QR codes in one small partition (<c>qrcode</c>, row = scene), so listing them is one partition query and a scene
/// is unique by its row key. The image rides in the code's own row, split into 60,000-byte binary properties (one
/// property holds at most 64 KiB), so creating a code is one insert that either wins or finds the scene taken; the
/// list selects the text columns only and never downloads images.
/// </summary>
internal sealed class QrCodeRepository(StorageClients clients) : IQrCodeRepository
{
    private const string CodePartition = "qrcode";
    private const int ChunkBytes = 60_000;
    private const int MaxChunks = 15;
    private static readonly string[] ListColumns = ["RowKey", "Name", "Channel", "Source", "Page", "CouponCampaignId", "StaffId", "CreatedAt"];

    public const int MaxImageBytes = ChunkBytes * MaxChunks;

    public async Task<bool> TryCreateAsync(QrCode code, byte[] png, CancellationToken cancellationToken)
    {
        if (png.Length is 0 or > MaxImageBytes) throw new ArgumentOutOfRangeException(nameof(png), png.Length, "The image is empty or too large to store.");
        var table = await clients.GetTableAsync(TableNames.QrCodes, cancellationToken);
        var row = new TableEntity(CodePartition, code.SceneId)
        {
            ["Name"] = code.Name,
            ["Channel"] = code.Channel,
            ["Source"] = code.Source,
            ["Page"] = code.Page,
            ["CouponCampaignId"] = code.CouponCampaignId,
            ["StaffId"] = code.StaffId,
            ["CreatedAt"] = code.CreatedAt,
            ["Chunks"] = (png.Length + ChunkBytes - 1) / ChunkBytes,
            ["Length"] = png.Length,
        };
        for (var i = 0; i * ChunkBytes < png.Length; i++)
        {
            row["Png" + i] = png.AsSpan(i * ChunkBytes, Math.Min(ChunkBytes, png.Length - (i * ChunkBytes))).ToArray();
        }

        try
        {
            await table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<QrCode?> GetAsync(string sceneId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.QrCodes, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(CodePartition, sceneId, ListColumns, cancellationToken);
        return response.HasValue && response.Value is { } e ? Read(e) : null;
    }

    public async Task<byte[]?> GetImageAsync(string sceneId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.QrCodes, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(CodePartition, sceneId, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } e) return null;
        var chunks = e.GetInt32("Chunks") ?? 0;
        var png = new byte[e.GetInt32("Length") ?? 0];
        var offset = 0;
        for (var i = 0; i < chunks; i++)
        {
            var chunk = e.GetBinary("Png" + i);
            chunk.CopyTo(png, offset);
            offset += chunk.Length;
        }

        return png;
    }

    public async Task<IReadOnlyList<QrCode>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.QrCodes, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CodePartition}");
        return await table.QueryAsync<TableEntity>(filter, select: ListColumns, cancellationToken: cancellationToken)
            .Select(Read).ToListAsync(cancellationToken);
    }

    private static QrCode Read(TableEntity e) => QrCode.Restore(
        e.RowKey, e.GetString("Name") ?? string.Empty, e.GetString("Channel") ?? Channels.Unknown, e.GetString("Source") ?? string.Empty,
        e.GetString("Page") ?? string.Empty, e.GetString("CouponCampaignId"), e.GetString("StaffId"), e.GetDateTimeOffset("CreatedAt") ?? default);
}
