using System.Globalization;

namespace WeStore.Domain.Segments;

public enum FactType
{
    Date,
    Number,
    Text,
    Flag,
}

/// <summary>The facts a segment rule can name, each with its type. Names are the API's camelCase.</summary>
public static class Facts
{
    public const string JoinedAt = "joinedAt";
    public const string AcquisitionChannel = "acquisitionChannel";
    public const string AcquisitionCode = "acquisitionCode";
    public const string Tier = "tier";
    public const string PointsBalance = "pointsBalance";
    public const string UnusedCoupons = "unusedCoupons";
    public const string PaidOrderCount = "paidOrderCount";
    public const string FirstPaidAt = "firstPaidAt";
    public const string LastPaidAt = "lastPaidAt";
    public const string Spend12m = "spend12m";
    public const string Province = "province";
    public const string WecomLinked = "wecomLinked";
    public const string WecomStaff = "wecomStaff";
    public const string OaFollower = "oaFollower";
    public const string Stage = "stage";

    public static readonly IReadOnlyDictionary<string, FactType> Types = new Dictionary<string, FactType>(StringComparer.Ordinal)
    {
        [JoinedAt] = FactType.Date, [AcquisitionChannel] = FactType.Text, [AcquisitionCode] = FactType.Text, [Tier] = FactType.Text,
        [PointsBalance] = FactType.Number, [UnusedCoupons] = FactType.Number, [PaidOrderCount] = FactType.Number,
        [FirstPaidAt] = FactType.Date, [LastPaidAt] = FactType.Date, [Spend12m] = FactType.Number, [Province] = FactType.Text,
        [WecomLinked] = FactType.Flag, [WecomStaff] = FactType.Text, [OaFollower] = FactType.Flag, [Stage] = FactType.Text,
    };
}

/// <summary>The lifecycle stages, derived from the paid orders and the time since the last one.</summary>
public static class Stages
{
    public const string New = "new";
    public const string FirstPurchase = "firstPurchase";
    public const string Repeat = "repeat";
    public const string Lapsing = "lapsing";
    public const string Churned = "churned";

    public static readonly IReadOnlyList<string> All = [New, FirstPurchase, Repeat, Lapsing, Churned];
}

/// <summary>The days behind the time-driven stages (settings <c>Segments:LapsingDays</c>, <c>Segments:ChurnedDays</c>).</summary>
public sealed record StageRules(int LapsingDays = 60, int ChurnedDays = 180)
{
    public string StageOf(int paidOrderCount, DateTimeOffset? lastPaidAt, DateTimeOffset now)
    {
        if (paidOrderCount <= 0 || lastPaidAt is not { } last) return Stages.New;
        if (now - last >= TimeSpan.FromDays(ChurnedDays)) return Stages.Churned;
        if (now - last >= TimeSpan.FromDays(LapsingDays)) return Stages.Lapsing;
        return paidOrderCount == 1 ? Stages.FirstPurchase : Stages.Repeat;
    }

    /// <summary>When the stage next changes with time alone (null when only an event can change it).</summary>
    public DateTimeOffset? NextStageChange(int paidOrderCount, DateTimeOffset? lastPaidAt, DateTimeOffset now)
    {
        if (paidOrderCount <= 0 || lastPaidAt is not { } last) return null;
        var lapsing = last.AddDays(LapsingDays);
        if (lapsing > now) return lapsing;
        var churned = last.AddDays(ChurnedDays);
        return churned > now ? churned : null;
    }
}

/// <summary>A fact's value at one moment: a date, a number, a text or a flag; null when the member has none.</summary>
public readonly record struct FactValue(DateTimeOffset? Date = null, long? Number = null, string? Text = null, bool? Flag = null)
{
    public bool IsMissing => Date is null && Number is null && Text is null && Flag is null;
}

public static class RuleOps
{
    public const string Eq = "eq";
    public const string Ne = "ne";
    public const string Gte = "gte";
    public const string Lte = "lte";
    public const string In = "in";
    public const string WithinDays = "withinDays";

    public static readonly IReadOnlyList<string> All = [Eq, Ne, Gte, Lte, In, WithinDays];

    /// <summary>Which ops each fact type takes: a date compares by day or by age, a flag only by equality.</summary>
    public static bool Allows(FactType type, string op) => (type, op) switch
    {
        (FactType.Date, Gte or Lte or WithinDays) => true,
        (FactType.Number, Eq or Ne or Gte or Lte or In) => true,
        (FactType.Text, Eq or Ne or In) => true,
        (FactType.Flag, Eq or Ne) => true,
        _ => false,
    };
}

/// <summary>
/// One rule, already parsed: <c>{fact, op, value}</c>. The value is a date (yyyy-MM-dd, Shanghai), a number, a text,
/// a flag, a list of texts or numbers (for <c>in</c>), or a number of days (for <c>withinDays</c>).
/// </summary>
public sealed record SegmentRule(string Fact, string Op, string? Text = null, long? Number = null, bool? Flag = null, DateOnly? Day = null, IReadOnlyList<string>? Values = null)
{
    public const int MaxValues = 100;

    public FactType Type => Facts.Types[Fact];

    /// <summary>A missing value matches only <c>ne</c>: a member with no province is "not in Zhejiang".</summary>
    public bool Matches(FactValue v, DateTimeOffset now)
    {
        if (v.IsMissing) return Op == RuleOps.Ne;
        return (Type, Op) switch
        {
            (FactType.Date, RuleOps.Gte) => Common.BusinessCalendar.DayOf(v.Date!.Value) >= Day,
            (FactType.Date, RuleOps.Lte) => Common.BusinessCalendar.DayOf(v.Date!.Value) <= Day,
            (FactType.Date, RuleOps.WithinDays) => v.Date!.Value.AddDays(Number!.Value) >= now,
            (FactType.Number, RuleOps.Eq) => v.Number == Number,
            (FactType.Number, RuleOps.Ne) => v.Number != Number,
            (FactType.Number, RuleOps.Gte) => v.Number >= Number,
            (FactType.Number, RuleOps.Lte) => v.Number <= Number,
            (FactType.Number, RuleOps.In) => Values!.Contains(v.Number!.Value.ToString(CultureInfo.InvariantCulture)),
            (FactType.Text, RuleOps.Eq) => string.Equals(v.Text, Text, StringComparison.Ordinal),
            (FactType.Text, RuleOps.Ne) => !string.Equals(v.Text, Text, StringComparison.Ordinal),
            (FactType.Text, RuleOps.In) => Values!.Contains(v.Text!, StringComparer.Ordinal),
            (FactType.Flag, RuleOps.Eq) => v.Flag == Flag,
            (FactType.Flag, RuleOps.Ne) => v.Flag != Flag,
            _ => false,
        };
    }

    /// <summary>When this rule's answer can next change with time alone (a <c>withinDays</c> window closing).</summary>
    public DateTimeOffset? NextChange(FactValue v, DateTimeOffset now)
        => Op == RuleOps.WithinDays && v.Date is { } d && d.AddDays(Number!.Value) >= now ? d.AddDays(Number.Value).AddSeconds(1) : null;

    /// <summary>Parses one rule as the API sends it; null with an error message when the fact, op or value does not fit.</summary>
    public static SegmentRule? TryParse(string? fact, string? op, System.Text.Json.JsonElement value, out string? error)
    {
        error = null;
        if (fact is null || !Facts.Types.TryGetValue(fact, out var type))
        {
            error = "fact is one of " + string.Join(", ", Facts.Types.Keys) + ".";
            return null;
        }

        if (op is null || !RuleOps.All.Contains(op, StringComparer.Ordinal))
        {
            error = "op is one of " + string.Join(", ", RuleOps.All) + ".";
            return null;
        }

        if (!RuleOps.Allows(type, op))
        {
            error = $"op '{op}' does not apply to {fact} (a {type.ToString().ToLowerInvariant()}).";
            return null;
        }

        const long MaxNumber = 1_000_000_000_000;
        switch (type, op)
        {
            case (FactType.Date, RuleOps.WithinDays):
                if (value.ValueKind == System.Text.Json.JsonValueKind.Number && value.TryGetInt64(out var days) && days is >= 0 and <= 3660) return new(fact, op, Number: days);
                error = "withinDays takes a whole number of days, 0 to 3660.";
                return null;
            case (FactType.Date, _):
                if (value.ValueKind == System.Text.Json.JsonValueKind.String
                    && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return new(fact, op, Day: day);
                error = "A date is yyyy-MM-dd (a Shanghai day).";
                return null;
            case (_, RuleOps.In):
                if (value.ValueKind != System.Text.Json.JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxValues)
                {
                    error = $"in takes a list of 1 to {MaxValues} values.";
                    return null;
                }

                var values = new List<string>();
                foreach (var item in value.EnumerateArray())
                {
                    if (type == FactType.Number && item.ValueKind == System.Text.Json.JsonValueKind.Number && item.TryGetInt64(out var n) && Math.Abs(n) <= MaxNumber) values.Add(n.ToString(CultureInfo.InvariantCulture));
                    else if (type == FactType.Text && item.ValueKind == System.Text.Json.JsonValueKind.String && IsText(item.GetString())) values.Add(item.GetString()!);
                    else
                    {
                        error = type == FactType.Number ? "in takes whole numbers here." : "in takes texts of 1 to 64 printable characters here.";
                        return null;
                    }
                }

                return new(fact, op, Values: values);
            case (FactType.Number, _):
                if (value.ValueKind == System.Text.Json.JsonValueKind.Number && value.TryGetInt64(out var number) && Math.Abs(number) <= MaxNumber) return new(fact, op, Number: number);
                error = $"{fact} compares with a whole number.";
                return null;
            case (FactType.Text, _):
                if (value.ValueKind == System.Text.Json.JsonValueKind.String && IsText(value.GetString())) return new(fact, op, Text: value.GetString());
                error = $"{fact} compares with a text of 1 to 64 printable characters.";
                return null;
            default:
                if (value.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False) return new(fact, op, Flag: value.GetBoolean());
                error = $"{fact} compares with true or false.";
                return null;
        }
    }

    private static bool IsText(string? s) => s is { Length: > 0 and <= 64 } && s.All(c => !char.IsControl(c));
}

/// <summary>A segment: the AND of its rules, evaluated on a member's facts.</summary>
public sealed record SegmentDefinition(string Id, string Name, IReadOnlyList<SegmentRule> Rules, DateTimeOffset CreatedAt)
{
    public const int MaxRules = 20;

    public bool Matches(IReadOnlyDictionary<string, FactValue> facts, DateTimeOffset now)
        => Rules.All(r => r.Matches(facts.TryGetValue(r.Fact, out var v) ? v : default, now));

    public DateTimeOffset? NextChange(IReadOnlyDictionary<string, FactValue> facts, DateTimeOffset now)
        => Rules.Select(r => r.NextChange(facts.TryGetValue(r.Fact, out var v) ? v : default, now)).Where(d => d is not null).Min();
}
