using System.Globalization;
using WeStore.Domain.Reconciliation;

namespace WeStore.Storage.Reconciliation;

/// <summary>The raw bills in the <c>bills</c> blob container, as <c>yyyy-MM-dd.csv.gz</c> (reached with the app's identity in Azure).</summary>
internal sealed class BillArchive(StorageClients clients) : IBillArchive
{
    public const string Container = "bills";

    public async Task<string> SaveAsync(DateOnly day, Stream gzip, CancellationToken cancellationToken)
    {
        var container = await clients.GetContainerAsync(Container, cancellationToken);
        var name = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".csv.gz";
        await container.GetBlobClient(name).UploadAsync(gzip, overwrite: true, cancellationToken);
        return Container + "/" + name;
    }
}
