using System.Security.Cryptography;
using WeStore.Domain.Common;
using WeStore.Domain.Coupons;

namespace WeStore.Application.Coupons;

/// <summary>The operators' side of campaigns: create, read, pause and resume, list what members may claim, exchange codes.</summary>
public sealed class CampaignAdministration(ICouponCampaignRepository campaigns, TimeProvider time)
{
    private const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public async Task<Result<CampaignView>> CreateAsync(CouponCampaign campaign, CancellationToken cancellationToken)
        => await campaigns.CreateAsync(campaign, cancellationToken)
            ? CampaignView.From(campaign)
            : Error.Conflict("campaign_exists", $"A campaign with id {campaign.Id} already exists.");

    public static string NewCampaignId() => "c" + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 11);

    public async Task<Result<CampaignView>> GetAsync(string campaignId, CancellationToken cancellationToken)
        => await campaigns.GetAsync(campaignId, cancellationToken) is { } c ? CampaignView.From(c) : Error.NotFound("campaign_not_found", "No such campaign.");

    public Task<Result<CampaignView>> SetPausedAsync(string campaignId, bool paused, CancellationToken cancellationToken)
        => Optimistic.RetryAsync<Result<CampaignView>>($"Campaign {campaignId}", async _ =>
        {
            if (await campaigns.GetAsync(campaignId, cancellationToken) is null) return Done(Error.NotFound("campaign_not_found", "No such campaign."));
            if (!await campaigns.TrySetPausedAsync(campaignId, paused, cancellationToken)) return Attempt<Result<CampaignView>>.Again;
            return Done(CampaignView.From((await campaigns.GetAsync(campaignId, cancellationToken))!));
        }, cancellationToken, Optimistic.HotRowAttempts);

    /// <summary>Campaigns a member can claim by hand right now.</summary>
    /// <summary>Every campaign, newest first (one small partition), for the operators' list; claimed totals are on each campaign's own view.</summary>
    public async Task<WeStore.Application.Segments.OperatorList<CampaignView>> ListAsync(CancellationToken cancellationToken)
        => new([.. (await campaigns.ListAsync(cancellationToken)).OrderByDescending(c => c.CreatedAt).Select(CampaignView.From)]);

    public async Task<IReadOnlyList<CampaignView>> ListClaimableAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await campaigns.ListAsync(cancellationToken))
            .Where(c => c.IssueOn == IssueOn.Claim && !c.Paused && c.InClaimWindow(now) && (c.ValidTo is null || c.ValidTo > now))
            .OrderBy(c => c.CreatedAt).Select(CampaignView.From).ToList();
    }

    /// <summary>Exchange codes: "{campaignId}-{12 random characters}", single use.</summary>
    public async Task<Result<IReadOnlyList<string>>> GenerateCodesAsync(string campaignId, int count, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.GetAsync(campaignId, cancellationToken);
        if (campaign is null) return Error.NotFound("campaign_not_found", "No such campaign.");
        if (campaign.IssueOn != IssueOn.Code) return Error.Invalid("not_a_code_campaign", "Codes can only be generated for a campaign issued by code.");
        var codes = Enumerable.Range(0, count).Select(_ => campaignId + "-" + RandomNumberGenerator.GetString(CodeAlphabet, 12)).ToList();
        await campaigns.AddCodesAsync(campaignId, codes, cancellationToken);
        return codes;
    }

    private static Attempt<Result<CampaignView>> Done(Result<CampaignView> result) => result;
}
