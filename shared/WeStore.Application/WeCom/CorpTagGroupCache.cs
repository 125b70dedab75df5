using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WeStore.Domain.WeCom;
using WeStore.WeChat.WeCom;

namespace WeStore.Application.WeCom;

/// <summary>
/// One corp tag group the store owns and its tags' ids: created once with <c>add_corp_tag</c> (WeCom collapses
/// duplicate names, so two instances creating it at once get the same tags) and remembered by id, in the store and
/// in memory (https://developer.work.weixin.qq.com/document/path/92117).
/// </summary>
public abstract class CorpTagGroupCache(WeComApiClient wecom, IWeComContactStore store, ILogger logger)
{
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    protected abstract string GroupName { get; }

    protected abstract IReadOnlyList<string> Names { get; }

    /// <summary>Where each tag's id is remembered: a setting named prefix + tag name.</summary>
    protected abstract string SettingPrefix { get; }

    public async Task<string?> TagIdAsync(string name, CancellationToken cancellationToken)
        => (await TagIdsAsync(cancellationToken)).GetValueOrDefault(name);

    public async Task<IReadOnlyDictionary<string, string>> TagIdsAsync(CancellationToken cancellationToken)
    {
        if (_ids.Count >= Names.Count) return _ids;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ids.Count >= Names.Count) return _ids;
            foreach (var name in Names)
            {
                var (stored, _) = await store.GetSettingAsync(SettingPrefix + name, cancellationToken);
                if (stored is not null) _ids[name] = stored;
            }

            if (_ids.Count < Names.Count) await CreateGroupAsync(cancellationToken);
            return _ids;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CreateGroupAsync(CancellationToken cancellationToken)
    {
        var groupName = GroupName;
        var list = await wecom.GetCorpTagsAsync(new ExternalContactGetCorpTagListRequest(), cancellationToken);
        var group = list.TagGroup?.FirstOrDefault(g => g.GroupName == groupName);
        var missing = Names.Where(c => group?.Tag?.Any(t => t.Name == c) != true).ToList();
        if (missing.Count > 0)
        {
            var added = await wecom.AddCorpTagsAsync(new ExternalContactAddCorpTagRequest
            {
                GroupId = group?.GroupId, GroupName = group is null ? groupName : null, Tag = [.. missing.Select(c => new NewCorpTag(c))],
            }, cancellationToken);
            group = new CorpTagGroup { GroupId = added.TagGroup?.GroupId ?? group?.GroupId, GroupName = groupName, Tag = [.. group?.Tag ?? [], .. added.TagGroup?.Tag ?? []] };
            logger.LogInformation("Created {Count} tags in the corp tag group {Group}", missing.Count, groupName);
        }

        foreach (var tag in group?.Tag ?? [])
        {
            if (tag.Name is { } name && tag.Id is { } tagId && Names.Contains(name))
            {
                await store.SetSettingAsync(SettingPrefix + name, tagId, DateTimeOffset.UnixEpoch, cancellationToken);
                _ids[name] = tagId;
            }
        }
    }
}
