using WeStore.Domain.OfficialAccount;

namespace WeStore.UnitTests.Domain.OfficialAccount;

public sealed class FollowerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Follow_Twice_SameEvent_Once()
    {
        var f = Follower.New("o1");
        Assert.True(f.Follow("fc1", "live", "ADD_SCENE_QR_CODE", "u1", T0));
        Assert.False(f.Follow("fc1", "live", "ADD_SCENE_QR_CODE", "u1", T0));
        Assert.Equal(1, f.Follows);
    }

    [Fact]
    public void FollowUnfollowRefollow_FirstSceneStays_LastMoves()
    {
        var f = Follower.New("o1");
        f.Follow("fc1", "live", null, "u1", T0);
        Assert.True(f.Unfollow(T0.AddMinutes(1)));
        Assert.False(f.Unfollow(T0.AddMinutes(2)));
        Assert.True(f.Follow("fc2", "ad", null, null, T0.AddMinutes(3)));
        Assert.Equal((FollowStatus.Following, "fc1", "fc2", "ad", 2, "u1"), (f.Status, f.FirstScene, f.LastScene, f.LastChannel, f.Follows, f.UnionId));
    }

    [Fact]
    public void Follow_OlderThanAnUnfollow_Ignored()
    {
        var f = Follower.New("o1");
        f.Follow("fc1", "live", null, null, T0);
        f.Unfollow(T0.AddMinutes(5));
        Assert.False(f.Follow("fc1", "live", null, null, T0.AddMinutes(4)));
        Assert.Equal(FollowStatus.Unfollowed, f.Status);
    }

    [Fact]
    public void Unfollow_NeverFollowed_False() => Assert.False(Follower.New("o1").Unfollow(T0));

    [Theory]
    [InlineData("")]
    [InlineData("fc 1")]
    [InlineData("fc/1")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345")]
    public void Rules_BadScene_Invalid(string scene) => Assert.False(FollowCodeRules.IsValidScene(scene));

    [Fact]
    public void Create_PermanentWithExpiry_Refused()
        => Assert.Throws<ArgumentException>(() => FollowCode.Create("fc1", "n", "live", permanent: true, null, "t", "u", T0, T0.AddDays(1)));
}
