using System.Text.Json;
using WeStore.Domain.Segments;

namespace WeStore.UnitTests.Domain.Segments;

public sealed class SegmentRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 4, 0, 0, TimeSpan.Zero);

    private static SegmentRule Parse(string fact, string op, string json)
        => SegmentRule.TryParse(fact, op, JsonDocument.Parse(json).RootElement, out var error) ?? throw new InvalidOperationException(error);

    private static string? ErrorOf(string? fact, string? op, string json)
    {
        SegmentRule.TryParse(fact, op, JsonDocument.Parse(json).RootElement, out var error);
        return error;
    }

    [Theory]
    [InlineData("nosuchfact", "eq", "1", "fact is one of")]
    [InlineData("paidOrderCount", "like", "1", "op is one of")]
    [InlineData("oaFollower", "gte", "true", "does not apply")]
    [InlineData("province", "withinDays", "3", "does not apply")]
    [InlineData("lastPaidAt", "withinDays", "-1", "withinDays takes")]
    [InlineData("lastPaidAt", "gte", "\"2026-13-01\"", "yyyy-MM-dd")]
    [InlineData("paidOrderCount", "eq", "\"3\"", "whole number")]
    [InlineData("paidOrderCount", "eq", "1.5", "whole number")]
    [InlineData("province", "in", "[]", "1 to 100")]
    [InlineData("province", "eq", "\"\"", "1 to 64")]
    [InlineData("oaFollower", "eq", "1", "true or false")]
    public void TryParse_BadRule_SaysWhy(string fact, string op, string json, string expected)
        => Assert.Contains(expected, ErrorOf(fact, op, json), StringComparison.Ordinal);

    [Fact]
    public void TryParse_NullFactOrOp_Refused()
    {
        Assert.NotNull(ErrorOf(null, "eq", "1"));
        Assert.NotNull(ErrorOf("tier", null, "\"gold\""));
    }

    [Fact]
    public void Matches_NumberOps_CompareAsNumbers()
    {
        var v = new FactValue(Number: 3);
        Assert.True(Parse("paidOrderCount", "gte", "3").Matches(v, Now));
        Assert.False(Parse("paidOrderCount", "gte", "4").Matches(v, Now));
        Assert.True(Parse("paidOrderCount", "lte", "3").Matches(v, Now));
        Assert.True(Parse("paidOrderCount", "ne", "2").Matches(v, Now));
        Assert.True(Parse("paidOrderCount", "in", "[1,3]").Matches(v, Now));
        Assert.False(Parse("paidOrderCount", "in", "[1,2]").Matches(v, Now));
    }

    [Fact]
    public void Matches_Missing_OnlyNe()
    {
        Assert.True(Parse("province", "ne", "\"浙江省\"").Matches(default, Now));
        Assert.False(Parse("province", "eq", "\"浙江省\"").Matches(default, Now));
        Assert.False(Parse("lastPaidAt", "withinDays", "30").Matches(default, Now));
    }

    [Fact]
    public void WithinDays_ClosesAfterItsDays_AndSaysWhen()
    {
        var rule = Parse("lastPaidAt", "withinDays", "30");
        var paid = new FactValue(Date: Now.AddDays(-29));
        Assert.True(rule.Matches(paid, Now));
        Assert.False(rule.Matches(paid, Now.AddDays(2)));
        var next = rule.NextChange(paid, Now);
        Assert.NotNull(next);
        Assert.True(rule.Matches(paid, next!.Value.AddSeconds(-2)));
        Assert.False(rule.Matches(paid, next.Value));
    }

    [Fact]
    public void DateOps_CompareShanghaiDays()
    {
        // 2026-11-30 17:00 UTC is already 1 December in Shanghai.
        var v = new FactValue(Date: new DateTimeOffset(2026, 11, 30, 17, 0, 0, TimeSpan.Zero));
        Assert.True(Parse("joinedAt", "gte", "\"2026-12-01\"").Matches(v, Now));
        Assert.False(Parse("joinedAt", "lte", "\"2026-11-30\"").Matches(v, Now));
    }

    [Theory]
    [InlineData(0, null, "new")]
    [InlineData(1, 10, "firstPurchase")]
    [InlineData(2, 10, "repeat")]
    [InlineData(3, 60, "lapsing")]
    [InlineData(1, 179, "lapsing")]
    [InlineData(5, 180, "churned")]
    public void StageOf_DaysSinceLastPaid_Stage(int paid, int? daysAgo, string stage)
        => Assert.Equal(stage, new StageRules().StageOf(paid, daysAgo is { } d ? Now.AddDays(-d) : null, Now));

    [Fact]
    public void NextStageChange_LapsingThenChurned()
    {
        var rules = new StageRules(60, 180);
        var paidAt = Now.AddDays(-10);
        Assert.Equal(paidAt.AddDays(60), rules.NextStageChange(1, paidAt, Now));
        Assert.Equal(paidAt.AddDays(180), rules.NextStageChange(1, paidAt, Now.AddDays(55)));
        Assert.Null(rules.NextStageChange(1, paidAt, Now.AddDays(200)));
        Assert.Null(rules.NextStageChange(0, null, Now));
    }
}
