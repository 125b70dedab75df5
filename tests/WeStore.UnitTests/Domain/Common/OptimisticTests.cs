using WeStore.Domain.Common;

namespace WeStore.UnitTests.Domain.Common;

public sealed class OptimisticTests
{
    [Fact]
    public async Task RetryAsync_DoneOnThirdAttempt_ValueReturnedAfterThreeCalls()
    {
        var calls = 0;

        var value = await Optimistic.RetryAsync<int>("row", async i =>
        {
            calls++;
            await Task.Yield();
            return i < 2 ? Attempt<int>.Again : 42;
        }, default);

        Assert.Equal((42, 3), (value, calls));
    }

    [Fact]
    public async Task RetryAsync_NeverDone_ContentionExceptionAfterMaxAttempts()
    {
        var calls = 0;

        var e = await Assert.ThrowsAsync<ContentionException>(() => Optimistic.RetryAsync("The order WS1", _ => Task.FromResult(++calls < 0), default, maxAttempts: 4));

        Assert.Equal(4, calls);
        Assert.Equal(("The order WS1", 4), (e.What, e.Attempts));
    }

    [Fact]
    public async Task RetryAsync_FalseValueIsAValue_NotARetry()
    {
        var calls = 0;
        var value = await Optimistic.RetryAsync<bool>("row", _ => { calls++; return Task.FromResult<Attempt<bool>>(false); }, default);
        Assert.Equal((false, 1), (value, calls));
    }

    [Fact]
    public void Jitter_WithinOneAndTheCap()
    {
        var pause = Optimistic.Jitter(5, 45);
        for (var i = 0; i < 200; i++)
        {
            var ms = pause(i % 40).TotalMilliseconds;
            Assert.InRange(ms, 1, 45);
        }
    }
}
