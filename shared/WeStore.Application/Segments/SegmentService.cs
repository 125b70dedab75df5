using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Domain.Common;
using WeStore.Domain.Messaging;
using WeStore.Domain.Segments;

namespace WeStore.Application.Segments;

public sealed record CreateSegmentCommand(string Name, IReadOnlyList<SegmentRule> Rules);

public sealed record SegmentView(string Id, string Name, IReadOnlyList<SegmentRule> Rules, DateTimeOffset CreatedAt, long Size, bool Backfilled, IReadOnlyList<SegmentSizeOnDay> History);

public sealed record SegmentMembersView(IReadOnlyList<string> Members, string? ContinuationToken);

public sealed record DueRunResult(string Day, int Members);

/// <summary>
/// Segments: created by an operator, back-filled once in the background, then kept by each member's facts changes.
/// The back-fill reads the 16 facts partitions side by side, a page per queue message, and hands each member whose
/// membership is out of date to the facts consumer, so every membership change goes through one path. The daily run
/// reads the day index of members whose facts change with time alone, and records each segment's size for its history.
/// </summary>
public sealed class SegmentService(
    ISegmentStore store,
    IMemberFactsStore facts,
    SegmentCatalog catalog,
    IMessageSender messages,
    IOptions<SegmentsOptions> options,
    TimeProvider time,
    ILogger<SegmentService> logger)
{
    public const int BackfillPageSize = 200;

    /// <summary>Days one run reads at most; a run further behind catches up over the next runs.</summary>
    public const int MaxCatchUpDays = 400;

    /// <summary>Every segment's definition, newest first (one partition's read), for the operators' list.</summary>
    public async Task<OperatorList<SegmentSummary>> ListAsync(CancellationToken cancellationToken)
        => new([.. (await store.ListAsync(cancellationToken)).OrderByDescending(d => d.CreatedAt).Select(d => new SegmentSummary(d.Id, d.Name, d.Rules.Count, d.CreatedAt))]);

    public async Task<SegmentView> CreateAsync(CreateSegmentCommand command, CancellationToken cancellationToken)
    {
        var segment = new SegmentDefinition("sg" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), command.Name, command.Rules, time.GetUtcNow());
        await store.CreateAsync(segment, cancellationToken);
        catalog.Invalidate();
        // After the catalogs' cache time, so a change evaluated without the segment is already in the facts it reads.
        var delay = catalog.CacheFor + TimeSpan.FromSeconds(1);
        for (var p = 0; p < facts.Partitions; p++)
        {
            await messages.SendAsync(SegmentQueues.Backfill, new SegmentBackfillMessage(segment.Id, p, null), delay, cancellationToken);
        }

        logger.LogInformation("Segment {SegmentId} created with {Rules} rules; back-fill queued", segment.Id, segment.Rules.Count);
        return new SegmentView(segment.Id, segment.Name, segment.Rules, segment.CreatedAt, 0, false, []);
    }

    public async Task<Result<SegmentView>> GetAsync(string segmentId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(segmentId, cancellationToken) is not { } segment) return Error.NotFound("segment_not_found", "No segment has that id.");
        var size = store.SizeAsync(segmentId, cancellationToken);
        var history = store.HistoryAsync(segmentId, cancellationToken);
        var done = store.BackfilledAsync(segmentId, cancellationToken);
        return new SegmentView(segment.Id, segment.Name, segment.Rules, segment.CreatedAt, await size, await done >= facts.Partitions, await history);
    }

    public async Task<Result<SegmentMembersView>> MembersAsync(string segmentId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(segmentId, cancellationToken) is null) return Error.NotFound("segment_not_found", "No segment has that id.");
        var page = await store.ReadMembersAsync(segmentId, continuationToken, pageSize, cancellationToken);
        return new SegmentMembersView(page.OpenIds, page.ContinuationToken);
    }

    /// <summary>One page of one facts partition: each member whose membership of the segment is out of date is re-evaluated.</summary>
    public async Task BackfillAsync(SegmentBackfillMessage message, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(message.SegmentId, cancellationToken) is not { } segment) return;
        var now = time.GetUtcNow();
        var rules = options.Value.StageRules;
        var (page, next) = await facts.ReadPageAsync(message.Partition, message.ContinuationToken, BackfillPageSize, cancellationToken);
        var stale = page.Where(f => f.JoinedAt is not null && segment.Matches(f.ValuesAt(now, rules), now) != f.Segments.ContainsKey(segment.Id)).ToList();
        foreach (var f in stale)
        {
            await messages.SendAsync(SegmentQueues.MemberFacts, new MemberFactsMessage(f.OpenId, FactChanges.Reevaluate, now, segment.Id), cancellationToken: cancellationToken);
        }

        if (next is not null)
        {
            await messages.SendAsync(SegmentQueues.Backfill, message with { ContinuationToken = next }, cancellationToken: cancellationToken);
            return;
        }

        var done = await store.MarkBackfilledAsync(segment.Id, message.Partition, cancellationToken);
        if (done >= facts.Partitions) logger.LogInformation("Segment {SegmentId} back-filled", segment.Id);
    }

    /// <summary>The daily run: every day since the last one run, the members due that day get a look; then today's sizes.</summary>
    public async Task<IReadOnlyList<DueRunResult>> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = BusinessCalendar.DayOf(now);
        // The first run ever looks back as far as a run catches up (the index only holds days after a facts change).
        var from = (await facts.GetCursorAsync(cancellationToken))?.AddDays(1) ?? today.AddDays(-(MaxCatchUpDays - 1));
        var results = new List<DueRunResult>();
        for (var day = from; day <= today && day.DayNumber - from.DayNumber < MaxCatchUpDays; day = day.AddDays(1))
        {
            var count = 0;
            await foreach (var page in facts.ReadDueAsync(day, cancellationToken))
            {
                foreach (var openId in page)
                {
                    await messages.SendAsync(SegmentQueues.MemberFacts, new MemberFactsMessage(openId, FactChanges.Due, BusinessCalendar.StartOf(day)), cancellationToken: cancellationToken);
                    count++;
                }
            }

            results.Add(new DueRunResult(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), count));
            // Today is read again by the next run (members scheduled later today); earlier days are done.
            if (day < today) await facts.SetCursorAsync(day, cancellationToken);
        }

        foreach (var segment in await store.ListAsync(cancellationToken))
        {
            await store.RecordSizeAsync(segment.Id, today, await store.SizeAsync(segment.Id, cancellationToken), cancellationToken);
        }

        logger.LogInformation("Facts due: {Days} days looked at", results.Count);
        return results;
    }
}
