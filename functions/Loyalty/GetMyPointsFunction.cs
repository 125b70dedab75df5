using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Loyalty;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Loyalty;

/// <summary><c>GET /api/me/points?pageSize=&amp;continuationToken=</c> (member): balance, tier, points expiring within 30 days, and the ledger, newest first.</summary>
public sealed class GetMyPointsFunction(MemberAuthenticator authenticator, LoyaltyService loyalty, ILogger<GetMyPointsFunction> logger)
{
    [Function(nameof(GetMyPointsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/points")] HttpRequest request)
        => Routes.MemberAsync(request, authenticator, logger, nameof(GetMyPointsFunction), async (session, ct) =>
        {
            var size = request.Query["pageSize"].ToString();
            var pageSize = 20;
            if (size.Length > 0 && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 100))
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["pageSize"] = ["pageSize is 1 to 100."] });
            }

            var token = request.Query["continuationToken"].ToString();
            return new OkObjectResult(await loyalty.ViewAsync(session, token.Length == 0 ? null : token, pageSize, ct));
        });
}
