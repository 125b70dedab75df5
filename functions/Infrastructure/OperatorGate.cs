using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace WeStore.Functions.Infrastructure;

/// <summary>
/// Who may call <c>/api/manage/...</c>: the one gate both hosts run, since the routes are anonymous to the Functions
/// host (which checks its own keys before the worker runs, so a signed-in operator without one would never arrive).
/// A caller presents an operator key (<c>x-functions-key</c> or <c>?code=</c>: <c>Operators:Keys:*</c>, Key Vault
/// secrets in Azure; the local host's master key locally), or, only when the app runs behind the platform's
/// authentication (<c>Operators:PlatformAuth</c>, which the Bicep writes with Entra ID's sign-in turned on), the
/// signed-in principal App Service puts in <c>X-MS-CLIENT-PRINCIPAL</c> (it strips any a client sent), with a role
/// for the route's area: <c>operator</c> everything; <c>fulfilment</c> orders, shipping, after-sale; <c>marketing</c>
/// codes, campaigns, segments, flows, broadcasts, group-buys, reports; <c>finance</c> refunds, reconciliation, reports.
/// Anywhere else the principal header is a forgery and counts for nothing.
/// See https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities.
/// </summary>
public sealed class OperatorGate(IConfiguration configuration, ILogger<OperatorGate> logger)
{
    public const string PlatformAuthSetting = "Operators:PlatformAuth";
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    public static readonly IReadOnlyList<string> Roles = ["operator", "fulfilment", "marketing", "finance"];

    private readonly byte[][] _keys = [.. configuration.GetSection("Operators:Keys").GetChildren().Select(c => c.Value)
        .Append(configuration["Host:MasterKey"]).Where(k => !string.IsNullOrEmpty(k)).Select(k => Encoding.UTF8.GetBytes(k!))];

    private readonly bool _platformAuth = string.Equals(configuration[PlatformAuthSetting], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the caller may go on; otherwise the 401 or 403 problem to answer.</summary>
    public IActionResult? Check(HttpRequest request)
    {
        if (HasKey(request)) return null;
        if (!_platformAuth || Principal(request) is not { } roles)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "An operator key or a signed-in operator is required.");
        }

        var area = Area(request.Path.Value ?? string.Empty, request.Method);
        if (roles.Contains("operator") || roles.Any(r => Allows(r, area))) return null;
        logger.LogWarning("A signed-in operator without the role for {Area} was refused", area);
        return Problems.Create(StatusCodes.Status403Forbidden, $"Your roles do not cover {area}.");
    }

    /// <summary>The part of the store a manage route belongs to: its first segment, and refunds apart from the order they belong to.</summary>
    public static string Area(string path, string method)
    {
        var at = path.IndexOf("/manage/", StringComparison.Ordinal);
        var parts = (at < 0 ? string.Empty : path[(at + "/manage/".Length)..]).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return "unknown";
        if (parts[0] == "orders" && parts.Length >= 3 && parts[2] == "refunds") return "refunds";
        return parts[0];
    }

    /// <summary>Which areas each role opens (operator opens all of them).</summary>
    public static bool Allows(string role, string area) => role switch
    {
        "fulfilment" => area is "orders" or "shipments" or "after-sales" or "alerts" or "teams",
        "marketing" => area is "qrcodes" or "contact-ways" or "follow-codes" or "coupons" or "segments" or "flows" or "broadcasts" or "group-buys" or "teams" or "reports",
        "finance" => area is "refunds" or "reconciliation" or "reports" or "alerts",
        _ => false,
    };

    private bool HasKey(HttpRequest request)
    {
        string? presented = request.Headers["x-functions-key"];
        if (string.IsNullOrEmpty(presented)) presented = request.Query["code"];
        if (string.IsNullOrEmpty(presented) || presented.Length > 256) return false;
        var bytes = Encoding.UTF8.GetBytes(presented);
        var match = false;
        foreach (var key in _keys) match |= CryptographicOperations.FixedTimeEquals(bytes, key);
        return match;
    }

    /// <summary>The principal's roles (the claims named by its role_typ, or "roles"), or null if there is none or it does not parse.</summary>
    private static HashSet<string>? Principal(HttpRequest request)
    {
        var header = request.Headers[PrincipalHeader].ToString();
        if (header.Length is 0 or > 16_384) return null;
        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(header));
            var root = document.RootElement;
            var roleType = root.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : "roles";
            if (!root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array) return null;
            return [.. claims.EnumerateArray()
                .Where(c => c.TryGetProperty("typ", out var typ) && (typ.GetString() == roleType || typ.GetString() == "roles") && c.TryGetProperty("val", out _))
                .Select(c => c.GetProperty("val").GetString() ?? string.Empty).Where(Roles.Contains)];
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
