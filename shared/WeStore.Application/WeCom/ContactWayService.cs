using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Domain.Common;
using WeStore.Domain.Coupons;
using WeStore.Domain.WeCom;
using WeStore.WeChat;
using WeStore.WeChat.WeCom;

namespace WeStore.Application.WeCom;

public sealed record CreateContactWayCommand(
    string Name, string Channel, IReadOnlyList<string> StaffUserIds, string? CouponCampaignId, WelcomeMessage Welcome, bool SkipVerify, string? IdempotencyKey);

public sealed record ContactWayView(
    string State, string Name, string Channel, IReadOnlyList<string> StaffUserIds, string? CouponCampaignId, string WelcomeText,
    string? MiniProgramTitle, string? MiniProgramPage, bool SkipVerify, string Status, string? ConfigId, string? QrCode, DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt)
{
    public static ContactWayView From(ContactWay w) => new(
        w.State, w.Name, w.Channel, w.StaffUserIds, w.CouponCampaignId, w.Welcome.Text, w.Welcome.MiniProgramTitle, w.Welcome.MiniProgramPage, w.SkipVerify,
        w.Status.ToString().ToLowerInvariant(), w.ConfigId, w.QrCode, w.CreatedAt, w.DeletedAt);
}

/// <summary>
/// 「联系我」 codes. The way is recorded (pending, under its state) before WeCom is asked, and completed with the
/// config_id WeCom returns: WeCom cannot give a lost config_id back, and a way it made but we did not record could
/// never be edited or deleted. A pending way (the answer was lost) is found again by its state through
/// <c>list_contact_way</c> + <c>get_contact_way</c> when the same request is repeated or the way is deleted.
/// With an <c>Idempotency-Key</c> the state is derived from the key, so a repeat is the same way.
/// </summary>
public sealed class ContactWayService(
    IContactWayRepository ways, WeComApiClient wecom, CampaignAdministration campaigns, TimeProvider time, ILogger<ContactWayService> logger)
{
    private const string StateAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private static readonly TimeSpan RecoverySpan = TimeSpan.FromMinutes(10);

    /// <summary>"cw" and 12 characters (60 bits), well inside WeCom's 30.</summary>
    public static string NewState(string? idempotencyKey)
    {
        if (idempotencyKey is null) return "cw" + RandomNumberGenerator.GetString(StateAlphabet, 12);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("contact-way|" + idempotencyKey));
        return "cw" + string.Concat(hash.Take(12).Select(b => StateAlphabet[b % StateAlphabet.Length]));
    }

    public Task<Result<ContactWayView>> CreateAsync(CreateContactWayCommand command, CancellationToken cancellationToken)
        => CreateAsync(NewState(command.IdempotencyKey), command, cancellationToken);

    /// <summary>
    /// A member's own contact-me code, whose state is their share scene, so a friend's WeCom add through it binds the
    /// friend to them. Made once per scene (the scene is the key): a repeat answers the same way.
    /// </summary>
    public async Task<Result<ContactWayView>> EnsureForReferrerAsync(string scene, CreateContactWayCommand template, CancellationToken cancellationToken)
    {
        if (await ways.GetAsync(scene, cancellationToken) is { Status: ContactWayStatus.Active } active) return ContactWayView.From(active);
        return await CreateAsync(scene, template with { IdempotencyKey = scene }, cancellationToken);
    }

    private async Task<Result<ContactWayView>> CreateAsync(string state, CreateContactWayCommand command, CancellationToken cancellationToken)
    {
        if (!wecom.Options.Configured) return Error.Unavailable("wecom_not_configured", "WeCom is not configured (WeCom:CorpId, WeCom:ContactSecret).", TimeSpan.FromMinutes(5));
        if (command.CouponCampaignId is { } campaignId)
        {
            var campaign = await campaigns.GetAsync(campaignId, cancellationToken);
            if (!campaign.IsSuccess) return Error.Invalid("campaign_not_found", "couponCampaignId names no campaign.");
            if (campaign.Value!.IssueOn != "scan") return Error.Invalid("campaign_not_automatic", "couponCampaignId must name a campaign issued by a channel (issueOn: scan).");
        }

        var way = ContactWay.Create(state, command.Name, command.Channel, command.StaffUserIds, command.CouponCampaignId, command.Welcome, command.SkipVerify, time.GetUtcNow());
        if (!await ways.TryCreateAsync(way, cancellationToken))
        {
            var existing = await ways.GetAsync(state, cancellationToken);
            if (existing is null || command.IdempotencyKey is null) return Error.Conflict("state_taken", "The state is taken; try again.");
            if (existing.Status == ContactWayStatus.Pending) return await RecoverOrCreateAsync(existing, cancellationToken);
            return ContactWayView.From(existing);
        }

        way = await ways.GetAsync(state, cancellationToken) ?? way;
        return await CreateAtWeComAsync(way, cancellationToken);
    }

    public async Task<IReadOnlyList<ContactWayView>> ListAsync(CancellationToken cancellationToken)
        => [.. (await ways.ListAsync(cancellationToken)).OrderBy(w => w.CreatedAt).Select(ContactWayView.From)];

    /// <summary>Deletes at WeCom first (a way left alive there keeps adding contacts), then here; the row stays, marked deleted.</summary>
    public async Task<Result<ContactWayView>> DeleteAsync(string state, CancellationToken cancellationToken)
    {
        if (!ContactWayRules.IsValidState(state) || await ways.GetAsync(state, cancellationToken) is not { } way) return Error.NotFound("contact_way_not_found", "No such contact way.");
        if (way.Status == ContactWayStatus.Deleted) return ContactWayView.From(way);
        var configId = way.ConfigId ?? await FindConfigIdAsync(way, cancellationToken);
        if (configId is not null)
        {
            try
            {
                await wecom.DeleteContactWayAsync(new ExternalContactDelContactWayRequest(configId), cancellationToken);
            }
            catch (WeChatApiException e)
            {
                logger.LogWarning("del_contact_way refused {State}: errcode {ErrorCode}", state, e.ErrorCode);
                return Refused(e);
            }
            catch (WeChatUnavailableException)
            {
                return Unavailable;
            }
        }

        way.MarkDeleted(time.GetUtcNow());
        if (!await ways.TrySaveAsync(way, cancellationToken)) return Error.Conflict("contact_way_changed", "The contact way changed meanwhile; try again.");
        logger.LogInformation("Contact way {State} deleted", state);
        return ContactWayView.From(way);
    }

    private async Task<Result<ContactWayView>> RecoverOrCreateAsync(ContactWay way, CancellationToken cancellationToken)
    {
        if (await FindAtWeComAsync(way, cancellationToken) is { } found) return await ActivateAsync(way, found.ConfigId!, found.QrCode, cancellationToken);
        return await CreateAtWeComAsync(way, cancellationToken);
    }

    private async Task<Result<ContactWayView>> CreateAtWeComAsync(ContactWay way, CancellationToken cancellationToken)
    {
        ExternalContactAddContactWayResponse created;
        try
        {
            created = await wecom.AddContactWayAsync(new ExternalContactAddContactWayRequest
            {
                Type = way.StaffUserIds.Count == 1 ? 1 : 2,
                Scene = 2,
                Remark = way.Name.Length <= 30 ? way.Name : way.Name[..30],
                SkipVerify = way.SkipVerify,
                State = way.State,
                User = way.StaffUserIds,
            }, cancellationToken);
        }
        catch (WeChatApiException e)
        {
            logger.LogWarning("add_contact_way refused {State}: errcode {ErrorCode}", way.State, e.ErrorCode);
            return Refused(e);
        }
        catch (WeChatUnavailableException)
        {
            // WeCom may have made it: the pending row keeps the state, and a repeat finds it by that state.
            return Unavailable;
        }

        if (string.IsNullOrEmpty(created.ConfigId)) return Error.Unavailable("wecom_error", "WeCom answered without a config_id.", TimeSpan.FromSeconds(5));
        return await ActivateAsync(way, created.ConfigId, created.QrCode, cancellationToken);
    }

    private async Task<Result<ContactWayView>> ActivateAsync(ContactWay way, string configId, string? qrCode, CancellationToken cancellationToken)
    {
        way.Activate(configId, qrCode);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await ways.TrySaveAsync(way, cancellationToken)) break;
                return Error.Conflict("contact_way_changed", "The contact way changed meanwhile.");
            }
            catch (Exception e) when (attempt < 5 && e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Recording config_id of contact way {State} failed (attempt {Attempt}); retrying", way.State, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), time, cancellationToken);
            }
        }

        logger.LogInformation("Contact way {State} created for channel {Channel}", way.State, way.Channel);
        return ContactWayView.From(way);
    }

    private async Task<string?> FindConfigIdAsync(ContactWay way, CancellationToken cancellationToken)
    {
        try
        {
            return (await FindAtWeComAsync(way, cancellationToken))?.ConfigId;
        }
        catch (Exception e) when (e is WeChatApiException or WeChatUnavailableException)
        {
            return null;
        }
    }

    /// <summary>
    /// A way WeCom made around the pending row's creation, found by its state (at most a few pages of ids). A lost
    /// answer retried at the transport can leave more than one way with the state: the first is kept, the others are
    /// deleted, so none is left that nobody can edit.
    /// </summary>
    private async Task<ContactWayInfo?> FindAtWeComAsync(ContactWay way, CancellationToken cancellationToken)
    {
        var found = new List<ContactWayInfo>();
        string? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var list = await wecom.ListContactWaysAsync(new ExternalContactListContactWayRequest
            {
                StartTime = (way.CreatedAt - RecoverySpan).ToUnixTimeSeconds(), EndTime = (way.CreatedAt + RecoverySpan).ToUnixTimeSeconds(), Cursor = cursor, Limit = 100,
            }, cancellationToken);
            foreach (var id in (list.ContactWay ?? []).Select(c => c.ConfigId).OfType<string>())
            {
                var one = await wecom.GetContactWayAsync(new ExternalContactGetContactWayRequest(id), cancellationToken);
                if (one.ContactWay is { State: var state, ConfigId: not null } info && state == way.State) found.Add(info);
            }

            if (string.IsNullOrEmpty(list.NextCursor)) break;
            cursor = list.NextCursor;
        }

        foreach (var extra in found.Skip(1))
        {
            await wecom.DeleteContactWayAsync(new ExternalContactDelContactWayRequest(extra.ConfigId!), cancellationToken);
            logger.LogWarning("A second contact way with state {State} was found at WeCom and deleted", way.State);
        }

        return found.FirstOrDefault();
    }

    private static readonly Error Unavailable = Error.Unavailable("wecom_unavailable", "WeCom could not be reached; repeat the request (with the same Idempotency-Key) shortly.", TimeSpan.FromSeconds(5));

    private static Error Refused(WeChatApiException e) => e.ErrorCode switch
    {
        WeComErrorCodes.UntrustedIp => Error.Unavailable("wecom_untrusted_ip", "WeCom refused the store's IP (60020): register the egress IP in the app's 企业可信IP.", TimeSpan.FromMinutes(1)),
        _ => Error.Invalid("wecom_refused", $"WeCom refused the contact way (errcode {e.ErrorCode}: {e.ErrorMessage})."),
    };
}
