using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Tests.Support;

namespace WeStore.Tests.Sandbox;

/// <summary>The sandbox's qyapi keeps WeCom's rules, so the store is tested against them: tokens, codes, welcome codes, media, tags.</summary>
public sealed class WeComSandboxTests : IAsyncLifetime
{
    private RunningSandbox _sandbox = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await RunningSandbox.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_sandbox.Url) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    private async Task<int> ErrcodeAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errcode").GetInt32();

    private async Task<string> TokenAsync()
        => (await _client.GetFromJsonAsync<JsonElement>($"/cgi-bin/gettoken?corpid={_sandbox.Options.WeComCorpId}&corpsecret={_sandbox.Options.WeComSecret}")).GetProperty("access_token").GetString()!;

    private Task<HttpResponseMessage> PostAsync(string path, object body, string? token)
        => _client.PostAsJsonAsync($"/cgi-bin/{path}?access_token={token}", body);

    [Fact]
    public async Task GetToken_WrongCorpOrSecret_40013Or40001_SameTokenWhileValid()
    {
        Assert.Equal(40013, await ErrcodeAsync(await _client.GetAsync($"/cgi-bin/gettoken?corpid=wwother&corpsecret={_sandbox.Options.WeComSecret}")));
        Assert.Equal(40001, await ErrcodeAsync(await _client.GetAsync($"/cgi-bin/gettoken?corpid={_sandbox.Options.WeComCorpId}&corpsecret=wrong")));
        Assert.Equal(await TokenAsync(), await TokenAsync());
        Assert.Equal(40014, await ErrcodeAsync(await PostAsync("externalcontact/get_corp_tag_list", new { }, "forged")));
        Assert.Equal(41001, await ErrcodeAsync(await PostAsync("externalcontact/get_corp_tag_list", new { }, null)));
    }

    [Fact]
    public async Task AddContactWay_Rules_41037And40058()
    {
        var token = await TokenAsync();
        Assert.Equal(41037, await ErrcodeAsync(await PostAsync("externalcontact/add_contact_way", new { scene = 2, user = new[] { "a" }, state = "s" }, token)));
        Assert.Equal(40058, await ErrcodeAsync(await PostAsync("externalcontact/add_contact_way", new { type = 1, scene = 2, user = new[] { "a", "b" }, state = "s" }, token)));
        Assert.Equal(40058, await ErrcodeAsync(await PostAsync("externalcontact/add_contact_way", new { type = 1, scene = 2, user = new[] { "a" }, state = new string('s', 31) }, token)));
        var created = await (await PostAsync("externalcontact/add_contact_way", new { type = 1, scene = 2, user = new[] { "a" }, state = "cwok" }, token)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, created.GetProperty("errcode").GetInt32());
        Assert.True(created.TryGetProperty("qr_code", out _));
    }

    [Fact]
    public async Task WelcomeCode_UsedOnce_Then41051_Expired40058()
    {
        var token = await TokenAsync();
        var way = await (await PostAsync("externalcontact/add_contact_way", new { type = 1, scene = 2, user = new[] { "staff.li" }, state = "cwwelcome" }, token)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, way.GetProperty("errcode").GetInt32());
        var fresh = await (await _client.PostAsJsonAsync("/sandbox/wecom/add", new { state = "cwwelcome", shopper = "a" })).Content.ReadFromJsonAsync<JsonElement>();
        var old = await (await _client.PostAsJsonAsync("/sandbox/wecom/add", new { state = "cwwelcome", shopper = "b", ageSeconds = 25 })).Content.ReadFromJsonAsync<JsonElement>();
        object Welcome(JsonElement add) => new { welcome_code = add.GetProperty("welcomeCode").GetString(), text = new { content = "hi" } };

        Assert.Equal(0, await ErrcodeAsync(await PostAsync("externalcontact/send_welcome_msg", Welcome(fresh), token)));
        Assert.Equal(41051, await ErrcodeAsync(await PostAsync("externalcontact/send_welcome_msg", Welcome(fresh), token)));
        Assert.Equal(40058, await ErrcodeAsync(await PostAsync("externalcontact/send_welcome_msg", Welcome(old), token)));
        Assert.Equal(40058, await ErrcodeAsync(await PostAsync("externalcontact/send_welcome_msg", new { welcome_code = "wcforged", text = new { content = "hi" } }, token)));
    }

    [Fact]
    public async Task MarkTag_UnknownTag40068_BothEmpty40058_DuplicateNamesCollapse()
    {
        var token = await TokenAsync();
        var first = await (await PostAsync("externalcontact/add_corp_tag", new { group_name = "渠道", tag = new[] { new { name = "shelf" } } }, token)).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await PostAsync("externalcontact/add_corp_tag", new { group_name = "渠道", tag = new[] { new { name = "shelf" } } }, token)).Content.ReadFromJsonAsync<JsonElement>();
        var tagId = first.GetProperty("tag_group").GetProperty("tag")[0].GetProperty("id").GetString();
        Assert.Equal(tagId, again.GetProperty("tag_group").GetProperty("tag")[0].GetProperty("id").GetString());
        await PostAsync("externalcontact/add_contact_way", new { type = 1, scene = 2, user = new[] { "staff.li" }, state = "cwtag" }, token);
        var add = await (await _client.PostAsJsonAsync("/sandbox/wecom/add", new { state = "cwtag", shopper = "c" })).Content.ReadFromJsonAsync<JsonElement>();
        var external = add.GetProperty("externalUserId").GetString();

        Assert.Equal(40068, await ErrcodeAsync(await PostAsync("externalcontact/mark_tag", new { userid = "staff.li", external_userid = external, add_tag = new[] { "etnosuch" } }, token)));
        Assert.Equal(40058, await ErrcodeAsync(await PostAsync("externalcontact/mark_tag", new { userid = "staff.li", external_userid = external }, token)));
        Assert.Equal(0, await ErrcodeAsync(await PostAsync("externalcontact/mark_tag", new { userid = "staff.li", external_userid = external, add_tag = new[] { tagId } }, token)));
    }

    [Fact]
    public async Task MediaUpload_TooSmall44001_ThenAnIdForThreeDays()
    {
        var token = await TokenAsync();
        using var tiny = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "media", "a.png" } };
        Assert.Equal(44001, await ErrcodeAsync(await _client.PostAsync($"/cgi-bin/media/upload?access_token={token}&type=image", tiny)));
        using var image = new MultipartFormDataContent { { new ByteArrayContent(WeStore.Application.WeCom.WelcomeCard.PlainPng(52, 41, 1, 2, 3)), "media", "card.png" } };
        var uploaded = await (await _client.PostAsync($"/cgi-bin/media/upload?access_token={token}&type=image", image)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("image", uploaded.GetProperty("type").GetString());
        Assert.True(_sandbox.WeCom.Media.ContainsKey(uploaded.GetProperty("media_id").GetString()!));
    }
}
