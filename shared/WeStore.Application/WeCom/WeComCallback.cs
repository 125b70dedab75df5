using Microsoft.Extensions.Options;
using WeStore.Application.Push;
using WeStore.Domain.Push;
using WeStore.WeChat.Push;
using WeStore.WeChat.WeCom;

namespace WeStore.Application.WeCom;

/// <summary>
/// The WeCom callback (<c>WeCom:CallbackToken</c>, <c>WeCom:CallbackEncodingAesKey</c>; the receive id is the corp id).
/// The URL check's echostr arrives encrypted and is answered decrypted; an event is answered with an empty 200, which
/// tells WeCom not to retry (https://developer.work.weixin.qq.com/document/path/90930).
/// </summary>
public sealed class WeComCallback(IOptions<WeComOptions> options)
{
    private readonly Lazy<PushSource> _source = new(() =>
    {
        var o = options.Value;
        var crypt = o.CallbackToken is { Length: > 0 } && o.CallbackEncodingAesKey is { Length: 43 } && o.CorpId.Length > 0
            ? new WxBizMsgCrypt(o.CallbackToken, o.CallbackEncodingAesKey, o.CorpId)
            : null;
        return new PushSource("wecom", crypt, PushQueues.WeComEvents, string.Empty, EncryptedEcho: true);
    });

    public PushSource Source => _source.Value;
}
