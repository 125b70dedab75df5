using WeStore.WeChat.Push;

namespace WeStore.UnitTests.WeChat.Push;

/// <summary>
/// The published vector sets for the WeCom callback and the Official Account push (V1–V5 of the private-domain
/// reference): the official WeCom PHP/C# and Python samples, wechatpy's WeCom case, the Official Account sample and
/// WxJava's. The same implementation serves all three push endpoints; only the receive id differs.
/// </summary>
public sealed class WxBizMsgCryptVectorSetTests
{
    // V1: the official WeCom sample (sbzhu/weworkapi_php callback/Sample.php; the same values in Sample.cs).
    private static readonly WxBizMsgCrypt V1 = new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7");

    private const string V1Post =
        "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

    // V2: the official WeCom Python sample (sbzhu/weworkapi_python callback/Sample.py).
    private static readonly WxBizMsgCrypt V2 = new("hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", "ww1436e0e65a779aee");

    private const string V2Post =
        "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+";

    [Fact]
    public void VerifyAndDecrypt_V1UrlCheck_Echostr()
    {
        const string echo = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
        var decrypted = V1.VerifyAndDecrypt("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", echo);
        Assert.True(decrypted.Ok, decrypted.Failure.ToString());
        Assert.Equal("1616140317555161061", decrypted.Message);
    }

    [Fact]
    public void VerifyAndDecrypt_V1Post_TextMessageWithPadOf30()
    {
        var decrypted = V1.VerifyAndDecrypt("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", V1Post);
        Assert.True(decrypted.Ok, decrypted.Failure.ToString());
        var document = PushDocument.Parse(decrypted.Message!)!;
        Assert.Equal("wx5823bf96d3bd56c7", PushDocument.Text(document, "ToUserName"));
        Assert.Equal("mycreate", PushDocument.Text(document, "FromUserName"));
        Assert.Equal("1409659813", PushDocument.Text(document, "CreateTime"));
        Assert.Equal("hello", PushDocument.Text(document, "Content"));
        Assert.Equal("4561255354251345929", PushDocument.Text(document, "MsgId"));
        Assert.Equal("218", PushDocument.Text(document, "AgentID"));
    }

    [Fact]
    public void VerifyAndDecrypt_V2UrlCheck_Echostr()
    {
        const string echo = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";
        var decrypted = V2.VerifyAndDecrypt("012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", "1476416373", "47744683", echo);
        Assert.Equal("1288432023552776189", decrypted.Message);
    }

    [Fact]
    public void VerifyAndDecrypt_V2Post_ChineseTextCountedInBytes()
    {
        var decrypted = V2.VerifyAndDecrypt("0c3914025cb4b4d68103f6bfc8db550f79dcf48e", "1476422779", "1597212914", V2Post);
        Assert.Equal(
            "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>",
            decrypted.Message);
    }

    [Fact]
    public void VerifyAndDecrypt_V2PostForAnotherCorp_WrongReceiver()
    {
        var otherCorp = new WxBizMsgCrypt("hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", "ww0000000000000000");
        Assert.Equal(PushCryptoFailure.WrongReceiver, otherCorp.VerifyAndDecrypt("0c3914025cb4b4d68103f6bfc8db550f79dcf48e", "1476422779", "1597212914", V2Post).Failure);
    }

    [Fact]
    public void VerifyAndDecrypt_V1PostOneCharacterTampered_BadSignature()
    {
        var tampered = (V1Post[0] == 'R' ? "S" : "R") + V1Post[1..];
        Assert.Equal(PushCryptoFailure.BadSignature, V1.VerifyAndDecrypt("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", tampered).Failure);
    }

    [Fact]
    public void VerifyAndDecrypt_V3UrlCheck_Echostr()
    {
        var v3 = new WxBizMsgCrypt("123456", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", "wx49f0ab532d5d035a");
        const string echo = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==";
        Assert.Equal("5927782489442352469", v3.VerifyAndDecrypt("dd6b9c95b495b3f7e2901bfbc76c664930ffdb96", "1411443780", "437374425", echo).Message);
    }

    [Fact]
    public void VerifyAndDecrypt_V4OfficialAccount_ReceiveIdIsTheAppId()
    {
        var v4 = new WxBizMsgCrypt("spamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx2c2769f8efd9abc2");
        const string encrypt =
            "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";
        var decrypted = v4.VerifyAndDecrypt("5d197aaffba7e9b25a30732f161a50dee96bd5fa", "1409735669", "1320562132", encrypt);
        Assert.True(decrypted.Ok, decrypted.Failure.ToString());
        var document = PushDocument.Parse(decrypted.Message!)!;
        Assert.Equal("abcdteT", PushDocument.Text(document, "Content"));
        Assert.Equal("gh_10f6c3c3ac5a", PushDocument.Text(document, "ToUserName"));
        Assert.Equal("6054768590064713728", PushDocument.Text(document, "MsgId"));
    }

    [Fact]
    public void Encrypt_V5WxJava_ChineseMessageKnownCiphertext()
    {
        var v5 = new WxBizMsgCrypt("any-token", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFE", "wxb11529c136998cb6");
        var cipher = v5.Encrypt("我是中文abcd123", "aaaabbbbccccdddd"u8);
        Assert.Equal("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==", cipher);
        Assert.Equal("我是中文abcd123", v5.Decrypt(cipher).Message);
    }
}
