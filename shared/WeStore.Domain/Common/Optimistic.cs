namespace WeStore.Domain.Common;

/// <summary>
/// An optimistic-concurrency loop ran out of attempts: what it read kept changing before it could write. The one
/// exhaustion outcome of every read-modify-write loop. HTTP routes answer it with 503 and Retry-After (the request
/// changed nothing and is safe to repeat); queue functions let it fail the invocation, so the message is retried.
/// </summary>
public sealed class ContentionException(string what, int attempts)
    : Exception($"{what} kept changing; gave up after {attempts} attempts.")
{
    public string What { get; } = what;

    public int Attempts { get; } = attempts;
}

/// <summary>What one optimistic attempt came to: a value (done), or <see cref="Again"/> (lost a race; read again).</summary>
public readonly struct Attempt<T>
{
    private Attempt(T value)
    {
        IsDone = true;
        Value = value;
    }

    public bool IsDone { get; }

    public T Value { get; }

    /// <summary>The write lost to another writer (a 412 or 409): read again and retry.</summary>
    public static Attempt<T> Again => default;

    public static implicit operator Attempt<T>(T value) => new(value);
}

/// <summary>
/// The one read-modify-write loop: run an attempt (read, decide, conditional write) until it is done or the attempts
/// run out, which throws <see cref="ContentionException"/>. An optional pause between attempts spreads out writers
/// contending for one row.
/// </summary>
public static class Optimistic
{
    /// <summary>Enough for a row a few writers share (a member's order or points).</summary>
    public const int DefaultAttempts = 10;

    /// <summary>For rows a flash sale or a campaign launch hammers (stock shards, coupon counters).</summary>
    public const int HotRowAttempts = 200;

    public static async Task<T> RetryAsync<T>(
        string what, Func<int, Task<Attempt<T>>> attempt, CancellationToken cancellationToken,
        int maxAttempts = DefaultAttempts, Func<int, TimeSpan>? pause = null)
    {
        for (var i = 0; i < maxAttempts; i++)
        {
            var result = await attempt(i);
            if (result.IsDone) return result.Value;
            if (pause is not null && i + 1 < maxAttempts) await Task.Delay(pause(i), cancellationToken);
        }

        throw new ContentionException(what, maxAttempts);
    }

    /// <summary>For attempts with no value: true when done, false to read again.</summary>
    public static Task RetryAsync(
        string what, Func<int, Task<bool>> attempt, CancellationToken cancellationToken,
        int maxAttempts = DefaultAttempts, Func<int, TimeSpan>? pause = null)
        => RetryAsync<bool>(what, async i => await attempt(i) ? true : Attempt<bool>.Again, cancellationToken, maxAttempts, pause);

    /// <summary>A random pause of 1 ms up to a bound that grows with the attempt, capped at <paramref name="capMilliseconds"/>.</summary>
    public static Func<int, TimeSpan> Jitter(int baseMilliseconds, int capMilliseconds)
        => i => TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(capMilliseconds, baseMilliseconds + (i * 2)) + 1));
}
