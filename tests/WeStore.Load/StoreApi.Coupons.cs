using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WeStore.Load;

public sealed partial class StoreApi
{
    public async Task<string> CreateCampaignAsync(int totalStock, int perMemberLimit, string issueOn = "claim")
    {
        var body = $$"""{"name":"load","type":"fixed","amountOff":100,"totalStock":{{totalStock}},"perMemberLimit":{{perMemberLimit}},"issueOn":"{{issueOn}}","validDays":30}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/manage/coupons/campaigns") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", masterKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public Task<int> ClaimAsync(string token, string campaignId, CancellationToken ct)
        => SendAsync(HttpMethod.Post, $"/api/coupons/campaigns/{campaignId}/claim", token, ct);
}
