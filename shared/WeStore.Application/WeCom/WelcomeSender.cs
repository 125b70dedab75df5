using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Telemetry;
using WeStore.Domain.WeCom;
using WeStore.WeChat;
using WeStore.WeChat.WeCom;

namespace WeStore.Application.WeCom;

/// <summary>
/// Sends an add's welcome through <c>send_welcome_msg</c> inside the 20 s its code lives, on the event's own
/// processing path, never from a batch (https://developer.work.weixin.qq.com/document/path/92137). 41051 (already
/// delivered) counts as done; 41096 (another app is distributing it) and an unreachable WeCom are retried with a short
/// back-off while the code lives; past its 20 s the welcome is recorded as missed, with no retry storm.
/// </summary>
public sealed class WelcomeSender(WeComApiClient wecom, WelcomeCard card, TimeProvider time, ILogger<WelcomeSender> logger)
{
    private const int MaxAttempts = 4;

    public async Task<WelcomeStatus> SendAsync(ContactAdd add, ContactWay? way, CancellationToken cancellationToken)
    {
        if (add.WelcomeCode is not { Length: > 0 } code || way is null || way.Welcome.Text.Length == 0) return WelcomeStatus.NotOffered;
        for (var attempt = 1; ; attempt++)
        {
            if (add.WelcomeExpired(time.GetUtcNow()))
            {
                logger.LogWarning("The welcome for an add through {State} missed its 20 s (after {Attempts} attempts)", way.State, add.WelcomeAttempts);
                return Outcome(WelcomeStatus.Missed);
            }

            add.CountWelcomeAttempt();
            try
            {
                await wecom.SendWelcomeAsync(await RequestAsync(code, way, cancellationToken), cancellationToken);
                return Outcome(WelcomeStatus.Sent);
            }
            catch (WeChatApiException e) when (e.ErrorCode == WeComErrorCodes.WelcomeAlreadySent)
            {
                return Outcome(WelcomeStatus.AlreadySent);
            }
            catch (Exception e) when ((e is WeChatUnavailableException || e is WeChatApiException { ErrorCode: WeComErrorCodes.WelcomeBeingDistributed }) && attempt < MaxAttempts)
            {
                logger.LogInformation("The welcome through {State} is retried ({Reason})", way.State, e is WeChatApiException api ? api.ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unavailable");
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), time, cancellationToken);
            }
            catch (WeChatApiException e)
            {
                logger.LogWarning("send_welcome_msg refused the welcome through {State}: errcode {ErrorCode}", way.State, e.ErrorCode);
                if (e.ErrorCode == WeComErrorCodes.InvalidParameter) card.Forget();
                return Outcome(WelcomeStatus.Refused);
            }
            catch (WeChatUnavailableException)
            {
                return Outcome(add.WelcomeExpired(time.GetUtcNow()) ? WelcomeStatus.Missed : WelcomeStatus.Refused);
            }
        }
    }

    private async Task<ExternalContactSendWelcomeMsgRequest> RequestAsync(string code, ContactWay way, CancellationToken cancellationToken)
    {
        var welcome = way.Welcome;
        var attachments = welcome.HasCard ? await card.AttachmentsAsync(welcome.MiniProgramTitle!, welcome.MiniProgramPage!, cancellationToken) : null;
        return new ExternalContactSendWelcomeMsgRequest { WelcomeCode = code, Text = new WelcomeText(welcome.Text), Attachments = attachments };
    }

    private static WelcomeStatus Outcome(WelcomeStatus status)
    {
        WeStoreTelemetry.WeComWelcomes.Add(1, new KeyValuePair<string, object?>("outcome", status.ToString()));
        return status;
    }
}
