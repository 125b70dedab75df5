using System.Text;
using WeStore.WeChat.Push;

namespace WeStore.UnitTests.WeChat.Push;

/// <summary>
/// The push crypto against published vectors: the Mini Program message-push page's own examples (token AAAAA,
/// EncodingAESKey 43 × A, appid wxba5fad812f8e6fb9:
/// https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html) and wechatpy's WeCom
/// test case (tests/test_crypto.py), whose deterministic encryption its Rust port also asserts.
/// </summary>
public sealed class WxBizMsgCryptTests
{
    private const string DocToken = "AAAAA";
    private static readonly string DocKey = new('A', 43);
    private const string DocAppId = "wxba5fad812f8e6fb9";

    private const string DocSafeEncrypt =
        "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=";

    private const string DocSafeMessage =
        "{\"ToUserName\":\"gh_97417a04a28d\",\"FromUserName\":\"o9AgO5Kd5ggOC-bXrbNODIiE3bGY\",\"CreateTime\":1714112445,\"MsgType\":\"event\",\"Event\":\"debug_demo\",\"debug_str\":\"hello world\"}";

    private const string WeComToken = "123456";
    private const string WeComKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
    private const string WeComId = "wx49f0ab532d5d035a";

    private static WxBizMsgCrypt Doc() => new(DocToken, DocKey, DocAppId);

    [Fact]
    public void Sign_UrlCheck_DocVector() => Assert.Equal("f464b24fc39322e44b38aa78f5edd27bd1441696", Doc().Sign("1714036504", "1514711492"));

    [Fact]
    public void Sign_PlainPost_DocVector() => Assert.Equal("899cf89e464efb63f54ddac96b0a0a235f53aa78", Doc().Sign("1714037059", "486452656"));

    [Fact]
    public void Sign_SafePost_DocVector() => Assert.Equal("046e02f8204d34f8ba5fa3b1db94908f3df2e9b3", Doc().Sign("1714112445", "415670741", DocSafeEncrypt));

    [Fact]
    public void VerifyAndDecrypt_SafePost_DocVectorMessage()
    {
        var result = Doc().VerifyAndDecrypt("046e02f8204d34f8ba5fa3b1db94908f3df2e9b3", "1714112445", "415670741", DocSafeEncrypt);

        Assert.True(result.Ok);
        Assert.Equal(DocSafeMessage, result.Message);
        Assert.Equal(167, Encoding.UTF8.GetByteCount(result.Message!));
    }

    [Fact]
    public void Decrypt_SafePost_PadOf19_NotAStock16BytePad()
    {
        // 16 random + 4 length + 167 message + 18 appid = 205 bytes; the next multiple of 32 is 224: a pad of 19.
        var plain = 16 + 4 + 167 + DocAppId.Length;
        Assert.Equal(19, 32 - (plain % 32));
        Assert.Equal(224, Convert.FromBase64String(DocSafeEncrypt).Length);
    }

    [Fact]
    public void Encrypt_DocRandom_ReproducesDocCiphertext()
        => Assert.Equal(DocSafeEncrypt, Doc().Encrypt(DocSafeMessage, Encoding.ASCII.GetBytes("a8eedb185eb2fecf")));

    [Fact]
    public void VerifyAndDecrypt_ReplyVector_Message()
    {
        const string encrypt = "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==";

        var result = Doc().VerifyAndDecrypt("1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1", "1713424427", "415670741", encrypt);

        Assert.Equal("{\"demo_resp\":\"good luck\"}", result.Message);
    }

    [Fact]
    public void VerifyAndDecrypt_WeComVector_TextMessage()
    {
        const string encrypt =
            "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=";
        var crypt = new WxBizMsgCrypt(WeComToken, WeComKey, WeComId);

        var result = crypt.VerifyAndDecrypt("74d92dfeb87ba7c714f89d98870ae5eb62dff26d", "1411525903", "461056294", encrypt);

        Assert.True(result.Ok);
        Assert.Equal(281, Encoding.UTF8.GetByteCount(result.Message!));
        Assert.Contains("<Content><![CDATA[test]]></Content>", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypt_WeComDeterministicCase_KnownCiphertextAndSignature()
    {
        const string message = "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n"
            + "<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>";
        const string expected =
            "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3";
        var crypt = new WxBizMsgCrypt(WeComToken, WeComKey, WeComId);

        var encrypted = crypt.Encrypt(message, Encoding.ASCII.GetBytes("1234567890123456"));

        Assert.Equal(expected, encrypted);
        Assert.Equal("407518b7649e86ef23978113f92d27afa9296533", crypt.Sign("1411525903", "461056294", encrypted));
    }

    [Fact]
    public void Signature_SortsOrdinally_NotByCulture()
    {
        // Ordinal: 'B' (0x42) before 'a' (0x61); a culture-aware sort would put "abc" first.
        var expected = Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes("Bxyzabc"))).ToLowerInvariant();
        Assert.Equal(expected, WxBizMsgCrypt.Signature("abc", "Bxyz"));
    }

    [Fact]
    public void VerifyAndDecrypt_BadSignature_Refused()
        => Assert.Equal(PushCryptoFailure.BadSignature, Doc().VerifyAndDecrypt("046e02f8204d34f8ba5fa3b1db94908f3df2e9b4", "1714112445", "415670741", DocSafeEncrypt).Failure);

    [Fact]
    public void VerifyAndDecrypt_SignatureOverOtherTimestamp_Refused()
        => Assert.Equal(PushCryptoFailure.BadSignature, Doc().VerifyAndDecrypt("046e02f8204d34f8ba5fa3b1db94908f3df2e9b3", "1714112446", "415670741", DocSafeEncrypt).Failure);

    [Fact]
    public void Decrypt_WrongAppId_WrongReceiver()
        => Assert.Equal(PushCryptoFailure.WrongReceiver, new WxBizMsgCrypt(DocToken, DocKey, "wx0000000000000000").Decrypt(DocSafeEncrypt).Failure);

    [Fact]
    public void Decrypt_WrongKey_Undecryptable()
    {
        var other = new WxBizMsgCrypt(DocToken, new string('B', 42) + "A", DocAppId);
        Assert.NotEqual(PushCryptoFailure.None, other.Decrypt(DocSafeEncrypt).Failure);
    }

    [Fact]
    public void Decrypt_TamperedCiphertext_NeverTheMessage()
    {
        var bytes = Convert.FromBase64String(DocSafeEncrypt);
        for (var i = 0; i < bytes.Length; i += 7)
        {
            var copy = bytes.ToArray();
            copy[i] ^= 0x5A;
            var result = Doc().Decrypt(Convert.ToBase64String(copy));
            Assert.NotEqual(DocSafeMessage, result.Message);
        }
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("")]
    [InlineData("AAAA")]
    public void Decrypt_Malformed_Undecryptable(string encrypted) => Assert.Equal(PushCryptoFailure.Undecryptable, Doc().Decrypt(encrypted).Failure);

    [Fact]
    public void Decrypt_PadOver32_Undecryptable()
    {
        // 64 bytes whose last byte decrypts to 33: a pad no sender makes.
        var key = Convert.FromBase64String(DocKey + "=");
        var plain = new byte[64];
        plain.AsSpan(31).Fill(33);
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = key;
        var cipher = aes.EncryptCbc(plain, key.AsSpan(0, 16), System.Security.Cryptography.PaddingMode.None);

        Assert.Equal(PushCryptoFailure.Undecryptable, Doc().Decrypt(Convert.ToBase64String(cipher)).Failure);
    }

    [Fact]
    public void EncryptThenDecrypt_Unicode_RoundTrips()
    {
        var crypt = Doc();
        const string message = "{\"Event\":\"trade_manage_order_settlement\",\"msg\":\"确认收货 ✓\"}";
        Assert.Equal(message, crypt.Decrypt(crypt.Encrypt(message)).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    public void Constructor_BadKey_Throws(string key) => Assert.Throws<ArgumentException>(() => new WxBizMsgCrypt(DocToken, key, DocAppId));
}
