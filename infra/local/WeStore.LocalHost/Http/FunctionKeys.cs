using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace WeStore.LocalHost.Http;

/// <summary>
/// Checks <c>AuthorizationLevel.Function</c>/<c>Admin</c> routes the way the Functions host does: the key comes in
/// the <c>x-functions-key</c> header or the <c>code</c> query parameter. The local host has one key, the master key.
/// </summary>
public sealed class FunctionKeys(string masterKey)
{
    private readonly byte[] _master = Encoding.UTF8.GetBytes(masterKey);

    public string MasterKey { get; } = masterKey;

    public static bool RequiresKey(string authLevel) => !string.Equals(authLevel, "Anonymous", StringComparison.OrdinalIgnoreCase);

    public bool IsAuthorized(HttpRequest request)
    {
        string? presented = request.Headers["x-functions-key"];
        if (string.IsNullOrEmpty(presented)) presented = request.Query["code"];
        return !string.IsNullOrEmpty(presented) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _master);
    }
}
