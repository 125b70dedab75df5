using System.Globalization;
using System.Text;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;

namespace WeStore.Application.Attribution;

public enum ReportGrouping
{
    Channel,
    QrCode,
    Staff,
    ContactWay,
    FollowCode,

    /// <summary>A member's share scene: scans, members bound (newMembers), first orders completed (paidOrders, paidGmv).</summary>
    Referrer,
}

/// <summary>
/// The channel report, summed from the daily counters: one partition read per day in the range, whatever the number
/// of scans. Unique visitors are per day (a member scanning on two days is two visitors), as WeChat's own analytics
/// count them. Orders are credited to the last touch, a scan, a WeCom add or a follow alike; conversion is paid orders
/// per person reached (unique visitors plus WeCom adds plus follows). QR codes, contact-me codes and follow codes sit
/// side by side by channel; <see cref="ReportGrouping.QrCode"/>, <see cref="ReportGrouping.ContactWay"/> and
/// <see cref="ReportGrouping.FollowCode"/> show one kind each.
/// </summary>
public sealed class AttributionReportService(IAttributionCounters counters, TimeProvider time)
{
    public const int MaxDays = 92;
    private const int ParallelDays = 8;

    public async Task<Result<AttributionReport>> BuildAsync(DateOnly? from, DateOnly? to, ReportGrouping groupBy, CancellationToken cancellationToken)
    {
        var last = to ?? BusinessCalendar.DayOf(time.GetUtcNow());
        var first = from ?? last.AddDays(-6);
        if (first > last) return Error.Invalid("range_invalid", "from must not be after to.");
        if (last.DayNumber - first.DayNumber + 1 > MaxDays) return Error.Invalid("range_too_long", $"A report covers at most {MaxDays} days.");

        var days = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(i => first.AddDays(i)).ToList();
        var perDay = new IReadOnlyList<CounterRow>[days.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, days.Count), new ParallelOptions { MaxDegreeOfParallelism = ParallelDays, CancellationToken = cancellationToken },
            async (i, ct) => perDay[i] = await counters.ReadDayAsync(BusinessCalendar.DayKey(days[i]), ct));

        var groups = new Dictionary<string, (string Channel, AttributionCounts Counts)>(StringComparer.Ordinal);
        foreach (var row in perDay.SelectMany(d => d))
        {
            var relation = row.Key.Kind != TouchKind.QrCode;
            var key = groupBy switch
            {
                ReportGrouping.Channel when row.Key.Kind == TouchKind.Referral => null,
                ReportGrouping.Channel => row.Key.Channel,
                ReportGrouping.QrCode => relation ? null : row.Key.SceneId ?? Channels.Unknown,
                ReportGrouping.ContactWay => row.Key.Kind == TouchKind.WeComAdd ? row.Key.SceneId : null,
                ReportGrouping.FollowCode => row.Key.Kind == TouchKind.Follow ? row.Key.SceneId : null,
                ReportGrouping.Referrer => row.Key.Kind == TouchKind.Referral ? row.Key.SceneId : null,
                // Referral rows count first orders completed, not the channel's orders: only the referrer grouping shows them.
                _ when row.Key.Kind == TouchKind.Referral => null,
                _ => row.Key.StaffId,
            };
            if (key is null) continue;
            var visitors = groupBy switch
            {
                ReportGrouping.Channel => row.Counts.ChannelVisitors,
                ReportGrouping.QrCode or ReportGrouping.ContactWay or ReportGrouping.FollowCode or ReportGrouping.Referrer => row.Counts.Visitors,
                _ => row.Counts.StaffVisitors,
            };
            // Unknown scenes have no member touch, so each of their scans stands for a visit.
            var counts = row.Key.SceneId is null ? row.Counts with { Visitors = row.Counts.Scans } : row.Counts with { Visitors = relation ? 0 : visitors };
            groups[key] = groups.TryGetValue(key, out var sum)
                ? (sum.Channel == row.Key.Channel ? sum.Channel : "mixed", sum.Counts.Add(counts))
                : (row.Key.Channel, counts);
        }

        var rows = groups
            .Select(g => new AttributionReportRow(g.Key, g.Value.Channel, g.Value.Counts.Scans, g.Value.Counts.Visitors, g.Value.Counts.NewMembers,
                g.Value.Counts.Orders, g.Value.Counts.PaidOrders, g.Value.Counts.PaidGmv,
                Reached(g.Value.Counts) == 0 ? 0 : Math.Round((double)g.Value.Counts.PaidOrders / Reached(g.Value.Counts), 4),
                g.Value.Counts.WecomAdds, g.Value.Counts.WecomLost, g.Value.Counts.Follows, g.Value.Counts.Unfollows))
            .OrderByDescending(r => r.PaidGmv).ThenByDescending(r => r.Scans + r.WecomAdds).ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        var name = groupBy switch { ReportGrouping.Channel => "channel", ReportGrouping.QrCode => "qrcode", ReportGrouping.ContactWay => "contactWay", ReportGrouping.FollowCode => "followCode", ReportGrouping.Referrer => "referrer", _ => "staff" };
        return new AttributionReport(first, last, name, rows);
    }

    /// <summary>RFC 4180 CSV. Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading apostrophe.</summary>
    public static string ToCsv(AttributionReport report)
    {
        var csv = new StringBuilder("key,channel,scans,uniqueVisitors,newMembers,orders,paidOrders,paidGmv,conversionRate,wecomAdds,wecomLost,follows,unfollows\r\n");
        foreach (var r in report.Rows)
        {
            csv.Append(Cell(r.Key)).Append(',').Append(Cell(r.Channel)).Append(',')
                .Append(string.Join(',', new[] { r.Scans, r.UniqueVisitors, r.NewMembers, r.Orders, r.PaidOrders, r.PaidGmv }.Select(n => n.ToString(CultureInfo.InvariantCulture))))
                .Append(',').Append(r.ConversionRate.ToString("0.####", CultureInfo.InvariantCulture))
                .Append(',').Append(r.WecomAdds.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.WecomLost.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(r.Follows.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Unfollows.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Cell(string value) => CsvCells.Cell(value);

    private static long Reached(AttributionCounts c) => c.Visitors + c.WecomAdds + c.Follows;
}
