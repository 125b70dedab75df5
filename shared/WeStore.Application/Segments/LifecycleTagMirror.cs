using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.WeCom;
using WeStore.Domain.Segments;
using WeStore.Domain.WeCom;
using WeStore.WeChat;
using WeStore.WeChat.WeCom;

namespace WeStore.Application.Segments;

/// <summary>The corp tags for the lifecycle stages: one group (<c>Segments:LifecycleTagGroup</c>) with a tag per stage.</summary>
public sealed class LifecycleTags(WeComApiClient wecom, IWeComContactStore store, IOptions<SegmentsOptions> options, ILogger<LifecycleTags> logger)
    : CorpTagGroupCache(wecom, store, logger)
{
    protected override string GroupName => options.Value.LifecycleTagGroup;

    protected override IReadOnlyList<string> Names => Stages.All;

    protected override string SettingPrefix => "stagetag|";
}

/// <summary>
/// Mirrors a contact's lifecycle stage to their WeCom tags with mark_tag: the stage's tag added, the other stages'
/// removed. mark_tag emits no callback, so the stage last mirrored is kept in the facts (https://developer.work.weixin.qq.com/document/path/92118).
/// Calls are paced per instance (<c>Segments:TagCallsPerSecond</c>); WeCom's frequency errcodes fail the message,
/// which the queue retries later.
/// </summary>
public sealed class LifecycleTagMirror(WeComApiClient wecom, LifecycleTags tags, IOptions<SegmentsOptions> options, TimeProvider time, ILogger<LifecycleTagMirror> logger)
{
    private readonly SemaphoreSlim _pace = new(1, 1);
    private DateTimeOffset _next;

    public async Task MirrorAsync(WeComTagMessage message, CancellationToken cancellationToken)
    {
        var ids = await tags.TagIdsAsync(cancellationToken);
        if (!ids.TryGetValue(message.Stage, out var add)) return;
        var remove = Stages.All.Where(s => s != message.Stage && ids.ContainsKey(s)).Select(s => ids[s]).ToList();
        await PaceAsync(cancellationToken);
        try
        {
            await wecom.MarkTagAsync(new ExternalContactMarkTagRequest { UserId = message.StaffUserId, ExternalUserId = message.ExternalUserId, AddTag = [add], RemoveTag = remove }, cancellationToken);
        }
        catch (WeChatApiException e) when (e.ErrorCode is 84061 or 40096)
        {
            logger.LogInformation("The lifecycle tag was not mirrored: the contact is gone (errcode {ErrorCode})", e.ErrorCode);
        }
    }

    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        var gap = TimeSpan.FromSeconds(1.0 / Math.Clamp(options.Value.TagCallsPerSecond, 1, 1000));
        await _pace.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_next > now) await Task.Delay(_next - now, time, cancellationToken);
            _next = (now > _next ? now : _next) + gap;
        }
        finally
        {
            _pace.Release();
        }
    }
}
