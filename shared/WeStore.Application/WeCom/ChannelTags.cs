using Microsoft.Extensions.Logging;
using WeStore.Domain.Attribution;
using WeStore.Domain.WeCom;
using WeStore.WeChat.WeCom;

namespace WeStore.Application.WeCom;

/// <summary>The corp tags that mark a contact's channel: one group (<c>WeCom:ChannelTagGroup</c>) holding a tag per channel.</summary>
public sealed class ChannelTags(WeComApiClient wecom, IWeComContactStore store, ILogger<ChannelTags> logger) : CorpTagGroupCache(wecom, store, logger)
{
    private readonly string _groupName = wecom.Options.ChannelTagGroup;

    private static readonly IReadOnlyList<string> AllChannels = [.. Channels.All, Channels.Unknown];

    protected override string GroupName => _groupName;

    protected override IReadOnlyList<string> Names => AllChannels;

    protected override string SettingPrefix => "tag|";
}
