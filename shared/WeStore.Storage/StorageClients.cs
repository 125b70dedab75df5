using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace WeStore.Storage;

/// <summary>
/// The one place table and queue clients are built. Every client carries the request counter (and any extra
/// policies, such as fault injection), and queue messages are Base64 as the Functions host expects.
/// Tables and queues are created once per process, on first use.
/// </summary>
public sealed class StorageClients
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<Azure.Storage.Blobs.BlobContainerClient>>> _containers = new(StringComparer.Ordinal);
    private readonly Lazy<BlobServiceClient> _blobs;

    public StorageClients(StorageConnection connection, StorageRequestCounter counter, IEnumerable<HttpPipelinePolicy>? extraPolicies = null, StorageNames? names = null)
    {
        Connection = connection;
        Counter = counter;
        Names = names ?? StorageNames.None;
        var policies = extraPolicies?.ToArray() ?? [];

        var tableOptions = new TableClientOptions();
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var blobOptions = new BlobClientOptions();
        foreach (var options in new ClientOptions[] { tableOptions, queueOptions, blobOptions })
        {
            options.AddPolicy(counter.CreatePolicy(), HttpPipelinePosition.PerRetry);
            foreach (var policy in policies)
            {
                options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            }

            options.Retry.MaxRetries = 3;
            options.Retry.Delay = TimeSpan.FromMilliseconds(200);
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        }

        if (connection.UsesConnectionString)
        {
            TableService = new TableServiceClient(connection.ConnectionString, tableOptions);
            QueueService = new QueueServiceClient(connection.ConnectionString, queueOptions);
            _blobs = new Lazy<BlobServiceClient>(() => new BlobServiceClient(connection.ConnectionString, blobOptions));
        }
        else
        {
            var credential = connection.CreateCredential();
            TableService = new TableServiceClient(connection.TableServiceUri!, credential, tableOptions);
            QueueService = new QueueServiceClient(connection.QueueServiceUri!, credential, queueOptions);
            _blobs = new Lazy<BlobServiceClient>(() => new BlobServiceClient(
                connection.BlobServiceUri ?? throw new InvalidOperationException("Blob storage is not configured: set 'AzureWebJobsStorage__blobServiceUri'."),
                credential, blobOptions));
        }
    }

    public StorageConnection Connection { get; }

    public StorageRequestCounter Counter { get; }

    /// <summary>How logical names map to real ones (a prefix in test fixtures, none elsewhere).</summary>
    public StorageNames Names { get; }

    public TableServiceClient TableService { get; }

    public QueueServiceClient QueueService { get; }

    /// <summary>Blob storage (the archived bills), built on first use: most of the app never needs it.</summary>
    public BlobServiceClient BlobService => _blobs.Value;

    /// <summary>A blob container by its logical name, created on first use.</summary>
    public Task<Azure.Storage.Blobs.BlobContainerClient> GetContainerAsync(string name, CancellationToken cancellationToken = default)
        => _containers.GetOrAdd(Names.Container(name), n => new Lazy<Task<Azure.Storage.Blobs.BlobContainerClient>>(async () =>
        {
            var client = BlobService.GetBlobContainerClient(n);
            try
            {
                await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return client;
            }
            catch
            {
                _containers.TryRemove(n, out _);
                throw;
            }
        })).Value;

    /// <summary>A table by its logical name (<see cref="TableNames"/>), created on first use.</summary>
    public Task<TableClient> GetTableAsync(string name, CancellationToken cancellationToken = default)
        => _tables.GetOrAdd(Names.Table(name), n => new Lazy<Task<TableClient>>(() => CreateTableAsync(n, cancellationToken))).Value;

    /// <summary>A queue by its logical name (the one its queue trigger names), created on first use.</summary>
    public Task<QueueClient> GetQueueAsync(string name, CancellationToken cancellationToken = default)
        => _queues.GetOrAdd(Names.Queue(name), n => new Lazy<Task<QueueClient>>(() => CreateQueueAsync(n, cancellationToken))).Value;

    private async Task<TableClient> CreateTableAsync(string name, CancellationToken cancellationToken)
    {
        var client = TableService.GetTableClient(name);
        try
        {
            await client.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            _tables.TryRemove(name, out _);
            throw;
        }
    }

    private async Task<QueueClient> CreateQueueAsync(string name, CancellationToken cancellationToken)
    {
        var client = QueueService.GetQueueClient(name);
        try
        {
            await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            _queues.TryRemove(name, out _);
            throw;
        }
    }
}
