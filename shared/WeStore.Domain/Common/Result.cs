namespace WeStore.Domain.Common;

/// <summary>Why an operation did not succeed, in terms a caller can act on (each maps to one HTTP status).</summary>
public enum ErrorKind
{
    Invalid,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    TooManyRequests,
    Unavailable,
}

public sealed record Error(ErrorKind Kind, string Code, string Message, TimeSpan? RetryAfter = null)
{
    public static Error Invalid(string code, string message) => new(ErrorKind.Invalid, code, message);

    public static Error Unauthorized(string code, string message) => new(ErrorKind.Unauthorized, code, message);

    public static Error Forbidden(string code, string message) => new(ErrorKind.Forbidden, code, message);

    public static Error NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);

    public static Error Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);

    public static Error TooManyRequests(string code, string message, TimeSpan retryAfter) => new(ErrorKind.TooManyRequests, code, message, retryAfter);

    public static Error Unavailable(string code, string message, TimeSpan retryAfter) => new(ErrorKind.Unavailable, code, message, retryAfter);
}

/// <summary>A value or an <see cref="Error"/>; services return this instead of throwing for expected failures.</summary>
public readonly struct Result<T>
{
    private Result(T? value, Error? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Error error) => new(default, error);
}
