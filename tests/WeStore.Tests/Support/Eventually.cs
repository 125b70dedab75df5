namespace WeStore.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until the condition holds, failing the test after the timeout.</summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#}s waiting until {because}.");
            await Task.Delay(50);
        }
    }
}
