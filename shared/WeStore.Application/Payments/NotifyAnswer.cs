namespace WeStore.Application.Payments;

/// <summary>The answer to WeChat Pay: 204, or a status with <c>{"code":"FAIL","message":...}</c> so it retries.</summary>
public sealed record NotifyAnswer(int Status, string? Message)
{
    public static readonly NotifyAnswer Accepted = new(204, null);

    public static readonly NotifyAnswer Unauthenticated = new(401, "signature verification failed");
}
