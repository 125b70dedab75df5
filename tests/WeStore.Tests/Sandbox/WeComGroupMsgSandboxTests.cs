using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Tests.Support;

namespace WeStore.Tests.Sandbox;

/// <summary>The sandbox's mass messages keep WeCom's rules: 10,000 ids, friends only, staff confirmation, the per-customer cap.</summary>
public sealed class WeComGroupMsgSandboxTests : IAsyncLifetime
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

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        var token = (await _client.GetFromJsonAsync<JsonElement>($"/cgi-bin/gettoken?corpid={_sandbox.Options.WeComCorpId}&corpsecret={_sandbox.Options.WeComSecret}")).GetProperty("access_token").GetString();
        return await (await _client.PostAsJsonAsync($"/cgi-bin/{path}?access_token={token}", body)).Content.ReadFromJsonAsync<JsonElement>();
    }

    private void Befriend(string userId, params string[] externalUserIds)
    {
        foreach (var id in externalUserIds) _sandbox.WeCom.Relations[(userId, id)] = true;
    }

    private static object Template(string sender, IEnumerable<string> ids, string text = "双十二") => new { chat_type = "single", external_userid = ids, sender, text = new { content = text } };

    [Fact]
    public async Task AddMsgTemplate_Limits_40058_NonFriendsInFailList()
    {
        Assert.Equal(40058, (await PostAsync("externalcontact/add_msg_template", Template("staff.li", Enumerable.Range(0, 10_001).Select(i => "wm" + i)))).GetProperty("errcode").GetInt32());
        Assert.Equal(40058, (await PostAsync("externalcontact/add_msg_template", Template("staff.li", []))).GetProperty("errcode").GetInt32());
        Assert.Equal(40058, (await PostAsync("externalcontact/add_msg_template", Template("staff.li", ["wm1"], new string('汉', 1400)))).GetProperty("errcode").GetInt32());
        Befriend("staff.li", "wm1");
        var sent = await PostAsync("externalcontact/add_msg_template", Template("staff.li", ["wm1", "wm2"]));
        Assert.Equal(0, sent.GetProperty("errcode").GetInt32());
        Assert.Equal(["wm2"], sent.GetProperty("fail_list").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("msg", sent.GetProperty("msgid").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroupMsg_UnconfirmedThenConfirmed_CapAnswersStatus3()
    {
        _sandbox.Options.WeComCustomerCap = "day";
        Befriend("staff.li", "wm1", "wm2");
        var first = (await PostAsync("externalcontact/add_msg_template", Template("staff.li", ["wm1", "wm2"]))).GetProperty("msgid").GetString()!;
        var task = await PostAsync("externalcontact/get_groupmsg_task", new { msgid = first, limit = 1000 });
        Assert.Equal(0, task.GetProperty("task_list")[0].GetProperty("status").GetInt32());
        Assert.Equal(40058, (await PostAsync("externalcontact/get_groupmsg_task", new { msgid = "nosuch" })).GetProperty("errcode").GetInt32());

        Assert.True((await _client.PostAsync($"/sandbox/wecom/groupmsg/confirm?msgid={first}", null)).IsSuccessStatusCode);
        task = await PostAsync("externalcontact/get_groupmsg_task", new { msgid = first });
        Assert.Equal(2, task.GetProperty("task_list")[0].GetProperty("status").GetInt32());
        var results = await PostAsync("externalcontact/get_groupmsg_send_result", new { msgid = first, userid = "staff.li", limit = 1 });
        Assert.Equal(1, results.GetProperty("send_list")[0].GetProperty("status").GetInt32());
        var rest = await PostAsync("externalcontact/get_groupmsg_send_result", new { msgid = first, userid = "staff.li", cursor = results.GetProperty("next_cursor").GetString() });
        Assert.Equal(1, rest.GetProperty("send_list").GetArrayLength());

        // The same day, with WeCom set to one a day: WeCom takes the task and, once confirmed, delivers nothing (status 3).
        _sandbox.WeCom.Relations[("staff.li", "wm2")] = false;
        var second = (await PostAsync("externalcontact/add_msg_template", Template("staff.li", ["wm1"]))).GetProperty("msgid").GetString()!;
        Assert.True((await _client.PostAsync("/sandbox/wecom/groupmsg/confirm?userid=staff.li", null)).IsSuccessStatusCode);
        var capped = await PostAsync("externalcontact/get_groupmsg_send_result", new { msgid = second, userid = "staff.li" });
        Assert.Equal(3, capped.GetProperty("send_list")[0].GetProperty("status").GetInt32());
        Assert.Equal(40058, (await PostAsync("externalcontact/get_groupmsg_send_result", new { msgid = second, userid = "someone.else" })).GetProperty("errcode").GetInt32());
    }
}
