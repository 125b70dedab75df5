using WeStore.Storage;

namespace WeStore.Tests.Support;

/// <summary>Forged or malformed pushes: each must be a 4xx problem+json, and none may write anything.</summary>
public static class Forgeries
{
    public static async Task AssertRefusedNothingWrittenAsync(StoreFixture store, IEnumerable<(string Name, HttpRequestMessage Request)> cases)
    {
        await store.IdleAsync();
        var counter = store.Service<StorageRequestCounter>();
        var writes = counter.Writes;

        foreach (var (name, request) in cases)
        {
            var response = await store.Client.SendAsync(request);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await store.IdleAsync();
        Assert.Equal(0, counter.Writes - writes);
    }
}
