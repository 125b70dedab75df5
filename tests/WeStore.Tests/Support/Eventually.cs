namespace WeStore.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until the condition holds, failing the test after the timeout.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string because)
        => TrueAsync(() => Task.FromResult(condition()), timeout, because);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#}s waiting until {because}.");
            await Task.Delay(50);
        }
    }
}
