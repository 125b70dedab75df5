using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using WeStore.Application.Auth;

namespace WeStore.Functions.Infrastructure;

/// <summary>
/// The session check at the top of every member function: <c>Authorization: Bearer {token}</c>, verified by
/// <see cref="SessionTokenService"/>. Anything else is 401, with nothing about why (no oracle for forgers).
/// </summary>
public sealed class MemberAuthenticator(SessionTokenService sessions)
{
    public async Task<(MemberSession? Session, IActionResult? Problem)> AuthenticateAsync(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var token = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
        var session = await sessions.ValidateAsync(token);
        if (session is not null) return (session, null);

        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return (null, Problems.Create(StatusCodes.Status401Unauthorized, "A valid session token is required.", "Log in again with wx.login."));
    }
}
