using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using WeStore.Application.Auth;
using WeStore.Application.Security;

namespace WeStore.UnitTests.Application.Auth;

public sealed class SessionTokenServiceTests
{
    private static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    private SessionTokenService Service(params (string, byte[])[] keys) => new(new KeyRing(keys, keys[0].Item1), _time);

    private static string B64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string B64Url(string s) => B64Url(Encoding.UTF8.GetBytes(s));

    private static byte[] FromB64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    /// <summary>Hand-builds an HS256 token, to forge what the service itself would never issue.</summary>
    private static string Forge(string headerJson, string payloadJson, byte[] key)
    {
        var signingInput = B64Url(headerJson) + "." + B64Url(payloadJson);
        return signingInput + "." + B64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput)));
    }

    private string Payload(string sub = "oMember_1", int expiresInSeconds = 3600, string aud = SessionTokenService.Audience)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        return $$"""{"sub":"{{sub}}","iss":"westore","aud":"{{aud}}","iat":{{now}},"nbf":{{now}},"exp":{{now + expiresInSeconds}},"jti":"x"}""";
    }

    [Fact]
    public async Task ValidateAsync_IssuedToken_ReturnsMember()
    {
        var service = Service(("k1", Key1));

        var session = await service.ValidateAsync(service.Issue("oMember_1").Token);

        Assert.Equal("oMember_1", session?.OpenId);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(2), session!.ExpiresAt);
    }

    [Fact]
    public async Task ValidateAsync_AfterTwoHoursAndSkew_Null()
    {
        var service = Service(("k1", Key1));
        var token = service.Issue("oMember_1").Token;

        _time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(20));
        Assert.NotNull(await service.ValidateAsync(token));
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(await service.ValidateAsync(token));
    }

    [Fact]
    public async Task ValidateAsync_NotYetValid_Null()
    {
        var aheadClock = new FakeTimeProvider(_time.GetUtcNow().AddMinutes(5));
        var token = new SessionTokenService(new KeyRing([("k1", Key1)], "k1"), aheadClock).Issue("oMember_1").Token;

        Assert.Null(await Service(("k1", Key1)).ValidateAsync(token));
    }

    [Fact]
    public async Task ValidateAsync_TamperedPayload_Null()
    {
        var service = Service(("k1", Key1));
        var parts = service.Issue("oMember_1").Token.Split('.');
        var payload = Encoding.UTF8.GetString(FromB64Url(parts[1])).Replace("oMember_1", "oMember_2", StringComparison.Ordinal);

        Assert.Null(await service.ValidateAsync(parts[0] + "." + B64Url(payload) + "." + parts[2]));
    }

    [Fact]
    public async Task ValidateAsync_TamperedSignature_Null()
    {
        var service = Service(("k1", Key1));
        var token = service.Issue("oMember_1").Token;
        var last = token[^1] == 'A' ? 'B' : 'A';

        Assert.Null(await service.ValidateAsync(token[..^1] + last));
    }

    [Fact]
    public async Task ValidateAsync_AlgNone_Null()
    {
        var service = Service(("k1", Key1));
        var token = B64Url("""{"alg":"none","typ":"JWT","kid":"k1"}""") + "." + B64Url(Payload()) + ".";

        Assert.Null(await service.ValidateAsync(token));
    }

    [Fact]
    public async Task ValidateAsync_ForgedWithListedKey_Valid_ButUnknownKid_Null()
    {
        var service = Service(("k1", Key1));

        Assert.NotNull(await service.ValidateAsync(Forge("""{"alg":"HS256","typ":"JWT","kid":"k1"}""", Payload(), Key1)));
        Assert.Null(await service.ValidateAsync(Forge("""{"alg":"HS256","typ":"JWT","kid":"k9"}""", Payload(), Key1)));
        Assert.Null(await service.ValidateAsync(Forge("""{"alg":"HS256","typ":"JWT"}""", Payload(), Key1)));
    }

    [Fact]
    public async Task ValidateAsync_WrongKeyAudienceOrAlgorithm_Null()
    {
        var service = Service(("k1", Key1));

        Assert.Null(await service.ValidateAsync(Forge("""{"alg":"HS256","typ":"JWT","kid":"k1"}""", Payload(), Key2)));
        Assert.Null(await service.ValidateAsync(Forge("""{"alg":"HS256","typ":"JWT","kid":"k1"}""", Payload(aud: "someone-else"), Key1)));
        var hs512Input = B64Url("""{"alg":"HS512","typ":"JWT","kid":"k1"}""") + "." + B64Url(Payload());
        Assert.Null(await service.ValidateAsync(hs512Input + "." + B64Url(HMACSHA512.HashData(Key1, Encoding.ASCII.GetBytes(hs512Input)))));
    }

    [Fact]
    public async Task ValidateAsync_HostileSubject_Null()
        => Assert.Null(await Service(("k1", Key1)).ValidateAsync(
            Forge("""{"alg":"HS256","typ":"JWT","kid":"k1"}""", Payload(sub: "a' or PartitionKey ne '"), Key1)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("....")]
    public async Task ValidateAsync_Garbage_Null(string? token)
        => Assert.Null(await Service(("k1", Key1)).ValidateAsync(token));

    [Fact]
    public async Task ValidateAsync_Oversized_Null()
        => Assert.Null(await Service(("k1", Key1)).ValidateAsync(new string('a', 5000)));

    [Fact]
    public async Task ValidateAsync_KeyRotation_OldTokenValidWhileKeyListed()
    {
        var oldToken = Service(("k1", Key1)).Issue("oMember_1").Token;

        var rotated = Service(("k2", Key2), ("k1", Key1));
        Assert.NotNull(await rotated.ValidateAsync(oldToken));
        Assert.NotNull(await rotated.ValidateAsync(rotated.Issue("oMember_1").Token));
        Assert.Contains("\"kid\":\"k2\"", Encoding.UTF8.GetString(FromB64Url(rotated.Issue("oMember_1").Token.Split('.')[0])));

        var retired = Service(("k2", Key2));
        Assert.Null(await retired.ValidateAsync(oldToken));
    }
}
