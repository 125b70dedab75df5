using Microsoft.Extensions.Options;
using WeStore.Application.Push;
using WeStore.WeChat.OfficialAccount;
using WeStore.WeChat.Push;

namespace WeStore.Application.OfficialAccount;

/// <summary>
/// The Official Account's push (<c>OfficialAccount:Token</c>, <c>OfficialAccount:EncodingAesKey</c>; the receive id is
/// its appid), safe mode only, answered <c>success</c> (https://developers.weixin.qq.com/doc/oplatform/developers/dev/push/encryption.html).
/// </summary>
public sealed class OfficialAccountPush(IOptions<OfficialAccountOptions> options)
{
    public const string Queue = "official-account-events";

    private readonly Lazy<PushSource> _source = new(() =>
    {
        var o = options.Value;
        var crypt = o.Token is { Length: > 0 } && o.EncodingAesKey is { Length: 43 } && o.AppId.Length > 0 ? new WxBizMsgCrypt(o.Token, o.EncodingAesKey, o.AppId) : null;
        return new PushSource("officialAccount", crypt, Queue, "success", EncryptedEcho: false);
    });

    public PushSource Source => _source.Value;
}
