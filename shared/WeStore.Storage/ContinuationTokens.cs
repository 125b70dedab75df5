using System.Text;
using System.Text.RegularExpressions;

namespace WeStore.Storage;

/// <summary>
/// Page tokens the store makes itself: the last key of a page, base64url. A token is only accepted back when it decodes
/// to the shape its reader expects, so a forged or garbled one reads as "from the start" and never reaches a query as
/// anything but a bounded key.
/// </summary>
internal static class ContinuationTokens
{
    private const int MaxLength = 300;

    public static string Encode(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? Decode(string? token, Regex shape)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength) return null;
        try
        {
            var s = token.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=')));
            return shape.IsMatch(text) ? text : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
