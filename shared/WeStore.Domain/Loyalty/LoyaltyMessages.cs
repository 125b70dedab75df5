namespace WeStore.Domain.Loyalty;

/// <summary>The loyalty capability's queues.</summary>
public static class LoyaltyQueues
{
    /// <summary>A batch of members whose lots expire on a day: the daily expiry's fan-out.</summary>
    public const string Expiry = "points-expiry";

    /// <summary>The same, for the day the reminder looks ahead to.</summary>
    public const string Reminder = "points-reminder";
}

/// <summary>One member's lots in a fan-out message.</summary>
public sealed record MemberLots(string OpenId, IReadOnlyList<string> LotKeys);

/// <summary>One fan-out message: a batch of members with their lots expiring on <paramref name="Day"/> (yyyy-MM-dd).</summary>
public sealed record PointsExpiryMessage(string Day, IReadOnlyList<MemberLots> Members);
