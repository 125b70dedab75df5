using System.Security.Cryptography;
using System.Text;

namespace WeStore.Application.Orders;

/// <summary>
/// Order numbers are WeChat Pay's out_trade_no: "WS" + 24 base32 characters (26 in all, within 6-32 of
/// <c>0-9 A-Z a-z _ -</c>). They are derived from the member and the Idempotency-Key, so a retry computes the same
/// number and collides with its first attempt's stock holds and order row instead of creating a second order.
/// </summary>
public static class OrderNumbers
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string FromIdempotencyKey(string openId, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(openId + "\n" + idempotencyKey));
        var chars = new char[24];
        for (var i = 0; i < chars.Length; i++)
        {
            // 5 bits per character from the hash's bit stream.
            var bit = i * 5;
            var value = ((hash[bit / 8] << 8) | hash[(bit / 8) + 1]) >> (11 - (bit % 8)) & 0x1F;
            chars[i] = Alphabet[value];
        }

        return "WS" + new string(chars);
    }

    public static bool IsValid(string? orderNo)
        => orderNo is { Length: >= 6 and <= 32 } && orderNo.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
