using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WeStore.Application.Security;
using WeStore.Domain.Members;

namespace WeStore.Application.Auth;

public sealed record SessionToken(string Token, int ExpiresIn);

/// <summary>An authenticated member, from a verified session token. <paramref name="IsNewMember"/>: the login that issued
/// this token created the member (so a scan posted in this session brought in a new member).</summary>
public sealed record MemberSession(string OpenId, string TokenId, DateTimeOffset ExpiresAt, bool IsNewMember = false);

/// <summary>
/// WeStore's own session tokens: HS256 JWTs with a key id (kid), 2 hours, verified with the keys listed in
/// <c>Session:SigningKeys</c>. Lifetime is checked against the injected clock with a small skew. Unknown key ids,
/// other algorithms (including <c>none</c>) and tampered tokens are refused.
/// </summary>
public sealed class SessionTokenService(KeyRing signingKeys, TimeProvider time)
{
    public const string Issuer = "westore";
    public const string Audience = "westore-miniprogram";
    public const int MaxTokenLength = 4096;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SecurityKey[] _verifyKeys = signingKeys.All.Select(k => (SecurityKey)new SymmetricSecurityKey(k.Key) { KeyId = k.Id }).ToArray();
    private readonly SigningCredentials _signing = new(new SymmetricSecurityKey(signingKeys.ActiveKey) { KeyId = signingKeys.ActiveKeyId }, SecurityAlgorithms.HmacSha256);

    private const string NewMemberClaim = "new";

    public SessionToken Issue(string openId, bool newMember = false)
    {
        OpenIdRules.EnsureValid(openId);
        var now = time.GetUtcNow();
        Claim[] claims = [new(JwtRegisteredClaimNames.Sub, openId), new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N"))];
        if (newMember) claims = [.. claims, new Claim(NewMemberClaim, "1")];
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = _signing,
        });
        return new SessionToken(token, (int)Lifetime.TotalSeconds);
    }

    public async Task<MemberSession?> ValidateAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength) return null;
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = _verifyKeys,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
            RequireExpirationTime = true,
            // Lifetime is checked below against the injected clock.
            ValidateLifetime = false,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return null;

        var now = time.GetUtcNow();
        var expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        var notBefore = new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero);
        if (jwt.ValidTo == DateTime.MinValue || expires + ClockSkew <= now || notBefore - ClockSkew > now) return null;

        var subject = jwt.Subject;
        var isNew = jwt.TryGetPayloadValue<string>(NewMemberClaim, out var flag) && flag == "1";
        return OpenIdRules.IsValid(subject) ? new MemberSession(subject, jwt.Id, expires, isNew) : null;
    }
}
