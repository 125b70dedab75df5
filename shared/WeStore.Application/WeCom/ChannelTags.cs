using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WeStore.Domain.Attribution;
using WeStore.Domain.WeCom;
using WeStore.WeChat.WeCom;

namespace WeStore.Application.WeCom;

/// <summary>
/// The corp tags that mark a contact's channel: one group (<c>WeCom:ChannelTagGroup</c>) holding a tag per channel,
/// created once with <c>add_corp_tag</c> (WeCom collapses duplicate names, so two instances creating it at once get
/// the same tags) and remembered by id (https://developer.work.weixin.qq.com/document/path/92117).
/// </summary>
public sealed class ChannelTags(WeComApiClient wecom, IWeComContactStore store, ILogger<ChannelTags> logger)
{
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<string?> TagIdAsync(string channel, CancellationToken cancellationToken)
    {
        if (_ids.TryGetValue(channel, out var id)) return id;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ids.TryGetValue(channel, out id)) return id;
            var (stored, _) = await store.GetSettingAsync("tag|" + channel, cancellationToken);
            if (stored is not null) return _ids[channel] = stored;
            await CreateGroupAsync(cancellationToken);
            return _ids.TryGetValue(channel, out id) ? id : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CreateGroupAsync(CancellationToken cancellationToken)
    {
        var groupName = wecom.Options.ChannelTagGroup;
        var wanted = Channels.All.Append(Channels.Unknown).ToList();
        var list = await wecom.GetCorpTagsAsync(new ExternalContactGetCorpTagListRequest(), cancellationToken);
        var group = list.TagGroup?.FirstOrDefault(g => g.GroupName == groupName);
        var missing = wanted.Where(c => group?.Tag?.Any(t => t.Name == c) != true).ToList();
        if (missing.Count > 0)
        {
            var added = await wecom.AddCorpTagsAsync(new ExternalContactAddCorpTagRequest
            {
                GroupId = group?.GroupId, GroupName = group is null ? groupName : null, Tag = [.. missing.Select(c => new NewCorpTag(c))],
            }, cancellationToken);
            group = new CorpTagGroup { GroupId = added.TagGroup?.GroupId ?? group?.GroupId, GroupName = groupName, Tag = [.. group?.Tag ?? [], .. added.TagGroup?.Tag ?? []] };
            logger.LogInformation("Created {Count} channel tags in the corp tag group", missing.Count);
        }

        foreach (var tag in group?.Tag ?? [])
        {
            if (tag.Name is { } name && tag.Id is { } tagId && wanted.Contains(name))
            {
                await store.SetSettingAsync("tag|" + name, tagId, DateTimeOffset.UnixEpoch, cancellationToken);
                _ids[name] = tagId;
            }
        }
    }
}
