using Microsoft.Extensions.Options;
using WeStore.Domain.Push;
using WeStore.WeChat;
using WeStore.WeChat.Push;

namespace WeStore.Application.Push;

/// <summary>
/// The Mini Program's message push (<c>WeChat:PushToken</c>, <c>WeChat:PushEncodingAesKey</c>; the receive id is the
/// appid), answered <c>success</c> (https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html).
/// </summary>
public sealed class MiniProgramPush(IOptions<WeChatOptions> options)
{
    private readonly Lazy<PushSource> _source = new(() =>
    {
        var o = options.Value;
        var crypt = o.PushToken is { Length: > 0 } && o.PushEncodingAesKey is { Length: 43 } ? new WxBizMsgCrypt(o.PushToken, o.PushEncodingAesKey, o.AppId) : null;
        return new PushSource("miniProgram", crypt, PushQueues.MiniProgramEvents, "success", EncryptedEcho: false);
    });

    public PushSource Source => _source.Value;
}
