using System.Globalization;
using Microsoft.AspNetCore.Http;
using WeStore.Application.Reconciliation;
using WeStore.Domain.Reconciliation;
using Microsoft.AspNetCore.Mvc;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Reconciliation;

/// <summary>The reconciliation routes' shared edges: the day in the path, and the answer as JSON or CSV.</summary>
public static class ReconciliationRequests
{
    /// <summary>WeChat Pay keeps three months of bills.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(92);

    /// <summary>The day as yyyy-MM-dd, no later than today (Shanghai) and within the bills' three months; else the problem.</summary>
    public static (DateOnly Day, IActionResult? Problem) Day(string text, DateOnly today)
    {
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return (default, Problems.Validation(new Dictionary<string, string[]> { ["day"] = ["day is a date as yyyy-MM-dd."] }));
        }

        if (day > today || day < today.AddDays(-(int)History.TotalDays))
        {
            return (default, Problems.Validation(new Dictionary<string, string[]> { ["day"] = ["day is today or a day of the last three months (WeChat Pay keeps bills that long)."] }));
        }

        return (day, null);
    }

    public static IActionResult Answer(HttpRequest request, DayReconciliation result)
        => request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase)
            ? new ContentResult { Content = ReconciliationService.ToCsv(result), ContentType = "text/csv; charset=utf-8", StatusCode = StatusCodes.Status200OK }
            : new OkObjectResult(ReconciliationView.From(result));
}

public sealed record DifferenceView(string Kind, string Entry, string Key, string OrderNo, long? StoreAmount, long? BillAmount, string? StoreState, string? BillState);

public sealed record ReconciliationView(
    string Day, string Outcome, bool Clean, int BillLines, int StoreEntries, int Matched, long MatchedPayments, long MatchedRefunds, IReadOnlyList<DifferenceView> Differences,
    string? BillHash, string? Archive, DateTimeOffset RanAt)
{
    public static ReconciliationView From(DayReconciliation r) => new(
        r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Camel(r.Outcome.ToString()), r.Clean, r.BillLines, r.StoreEntries, r.Matched, r.MatchedPayments,
        r.MatchedRefunds, [.. r.Differences.Select(d => new DifferenceView(Camel(d.Kind.ToString()), Camel(d.Entry.ToString()), d.Key, d.OrderNo, d.StoreAmount, d.BillAmount,
            d.StoreState, d.BillState))], r.BillHash, r.Archive, r.RanAt);

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
