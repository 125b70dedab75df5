using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WeStore.Load;

public sealed partial class StoreApi
{
    public async Task<string> CreateQrCodeAsync(string channel)
    {
        var body = $$"""{"name":"load","channel":"{{channel}}","source":"load test","page":"pages/index/index"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/manage/qrcodes") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", masterKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sceneId").GetString()!;
    }

    public async Task<int> ScanAsync(string token, string scene, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/scans")
        {
            Content = new StringContent($$"""{"scene":"{{scene}}","entryScene":1047,"path":"pages/index/index"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Authorization", "Bearer " + token);
        using var response = await client.SendAsync(request, ct);
        await response.Content.CopyToAsync(Stream.Null, ct);
        return (int)response.StatusCode;
    }
}
