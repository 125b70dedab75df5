namespace WeStore.Tests.Support;

/// <summary>
/// One store for all the tests of a class (<c>IClassFixture&lt;SharedStore&gt;</c>), started once with the default
/// settings. Tests keep to their own members, SKUs, campaigns and codes (fresh ids), and a test that counts storage
/// requests waits for <see cref="StoreFixture.IdleAsync"/> first, so what other tests left running is not counted.
/// Tests that need other settings or services start their own <see cref="StoreFixture"/>.
/// </summary>
public sealed class SharedStore : IAsyncLifetime
{
    private StoreFixture? _store;

    public StoreFixture Store => _store ?? throw new InvalidOperationException("The shared store has not started.");

    public async Task InitializeAsync() => _store = await StoreFixture.StartAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
    }
}
