namespace WeStore.Load;

/// <summary>Setup steps retried while storage faults are injected: the scenario's subject is what follows, not the setup.</summary>
public static class Retry
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> step, int attempts = 10)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step();
            }
            catch (HttpRequestException) when (attempt < attempts)
            {
                await Task.Delay(200 * attempt);
            }
        }
    }

    public static Task UntilAsync(Func<Task> step, int attempts = 10) => UntilAsync(async () =>
    {
        await step();
        return true;
    }, attempts);
}
