using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using WeStore.UnitTests.Support;
using WeStore.WeChat.Pay;

namespace WeStore.UnitTests.WeChat.Pay;

public sealed class PayCryptoVectorTests
{
    public static TheoryData<string> SignVectors => PayVectors.OfKind("rsa-sha256-sign");
    public static TheoryData<string> VerifyVectors => PayVectors.OfKind("rsa-sha256-verify");
    public static TheoryData<string> AesVectors => PayVectors.OfKind("aes-gcm-decrypt");

    [Theory]
    [MemberData(nameof(SignVectors))]
    public void Sign_KnownAnswer_MatchesExactly(string id)
    {
        var v = PayVectors.Get(id);
        using var signer = new MerchantSigner(PemKeys.LoadPrivateKey(v.Input("private_key_pem")), "1900000001", "SERIAL");

        Assert.Equal(v.Expected().GetProperty("signature_base64").GetString(), signer.Sign(v.Input("message")));
    }

    [Theory]
    [MemberData(nameof(VerifyVectors))]
    public void Verify_KnownAnswer_EveryKeyForm(string id)
    {
        var v = PayVectors.Get(id);
        var expected = v.Expected().GetProperty("valid").GetBoolean();
        var signature = Convert.FromBase64String(v.Input("signature_base64"));
        var message = Encoding.UTF8.GetBytes(v.Input("message"));
        var forms = new[] { "public_key_pem", "public_key_pem_pkcs1", "certificate_pem" }
            .Where(f => v.GetProperty("inputs").TryGetProperty(f, out _)).ToList();
        Assert.NotEmpty(forms);

        foreach (var form in forms)
        {
            using var key = PemKeys.LoadPublicKey(v.Input(form));
            Assert.Equal(expected, key.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
    }

    [Theory]
    [MemberData(nameof(AesVectors))]
    public void Decrypt_KnownAnswer_PlaintextOrAuthenticationFailure(string id)
    {
        var v = PayVectors.Get(id);

        var plaintext = ResourceDecryptor.TryDecrypt(Encoding.UTF8.GetBytes(v.Input("key")), v.Input("nonce"), v.Input("associated_data"), v.Input("ciphertext_base64"));

        if (v.Expected().TryGetProperty("error", out _)) Assert.Null(plaintext);
        else Assert.Equal(v.Expected().GetProperty("plaintext").GetString(), plaintext);
    }

    private static (PlatformVerifier Verifier, JsonElement Vector) NotifyVerifier(long? now = null)
    {
        var v = PayVectors.Get("wechatpay-go/notify-full");
        var serial = PemKeys.CertificateSerial(v.Input("certificate_pem"));
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(now ?? v.GetProperty("inputs").GetProperty("now_unix").GetInt64()));
        var verifier = new PlatformVerifier(new Dictionary<string, RSA> { [serial] = PemKeys.LoadPublicKey(v.Input("certificate_pem")) }, time);
        return (verifier, v);
    }

    private static string Header(JsonElement v, string name) => v.GetProperty("inputs").GetProperty("headers").GetProperty(name).GetString()!;

    [Fact]
    public void Notification_FullVector_VerifiesDecryptsAndParses()
    {
        var (verifier, v) = NotifyVerifier();
        var body = Encoding.UTF8.GetBytes(v.Input("body"));
        var expected = v.Expected();

        Assert.Equal(expected.GetProperty("signed_message").GetString(), Encoding.UTF8.GetString(
            WeChatPaySignatures.ResponseMessage(Header(v, "Wechatpay-Timestamp"), Header(v, "Wechatpay-Nonce"), body)));
        Assert.Equal(expected.GetProperty("certificate_serial_hex").GetString(), PemKeys.CertificateSerial(v.Input("certificate_pem")));
        Assert.Equal(SignatureCheck.Valid, verifier.Verify(Header(v, "Wechatpay-Serial"), Header(v, "Wechatpay-Timestamp"), Header(v, "Wechatpay-Nonce"), Header(v, "Wechatpay-Signature"), body));

        using var notification = JsonDocument.Parse(body);
        var resource = notification.RootElement.GetProperty("resource");
        var plaintext = ResourceDecryptor.TryDecrypt(Encoding.UTF8.GetBytes(v.Input("apiv3_key")), resource.GetProperty("nonce").GetString()!,
            resource.GetProperty("associated_data").GetString(), resource.GetProperty("ciphertext").GetString()!);
        Assert.Equal(expected.GetProperty("plaintext").GetString(), plaintext);
        Assert.Equal(expected.GetProperty("event_type").GetString(), notification.RootElement.GetProperty("event_type").GetString());
    }

    [Fact]
    public void Notification_SerialWithLeadingZero_SameCertificate()
    {
        var (verifier, v) = NotifyVerifier();

        Assert.Equal(SignatureCheck.Valid, verifier.Verify("00" + Header(v, "Wechatpay-Serial"), Header(v, "Wechatpay-Timestamp"),
            Header(v, "Wechatpay-Nonce"), Header(v, "Wechatpay-Signature"), Encoding.UTF8.GetBytes(v.Input("body"))));
    }

    [Theory]
    [InlineData(301, SignatureCheck.StaleTimestamp)]
    [InlineData(-301, SignatureCheck.StaleTimestamp)]
    [InlineData(300, SignatureCheck.Valid)]
    [InlineData(-300, SignatureCheck.Valid)]
    public void Notification_ClockSkew_RejectedBeyond300Seconds(int skew, SignatureCheck expected)
    {
        var (verifier, v) = NotifyVerifier(PayVectors.Get("wechatpay-go/notify-full").GetProperty("inputs").GetProperty("now_unix").GetInt64() + skew);

        Assert.Equal(expected, verifier.Verify(Header(v, "Wechatpay-Serial"), Header(v, "Wechatpay-Timestamp"),
            Header(v, "Wechatpay-Nonce"), Header(v, "Wechatpay-Signature"), Encoding.UTF8.GetBytes(v.Input("body"))));
    }

    [Theory]
    [InlineData("WECHATPAY/SIGNTEST/abcdefghijklmnopqrstuvwxyz")]
    [InlineData("not base64 at all!!")]
    [InlineData("AAAA")]
    public void Notification_ProbeOrGarbageSignature_BadSignatureWithoutThrowing(string signature)
    {
        var (verifier, v) = NotifyVerifier();

        Assert.Equal(SignatureCheck.BadSignature, verifier.Verify(Header(v, "Wechatpay-Serial"), Header(v, "Wechatpay-Timestamp"),
            Header(v, "Wechatpay-Nonce"), signature, Encoding.UTF8.GetBytes(v.Input("body"))));
    }

    [Fact]
    public void Notification_TamperedOrReserializedBody_BadSignature()
    {
        var (verifier, v) = NotifyVerifier();
        var raw = v.Input("body");
        var pretty = JsonSerializer.Serialize(JsonDocument.Parse(raw).RootElement, new JsonSerializerOptions { WriteIndented = true });

        foreach (var body in new[] { raw.Replace("3119dfba", "3119dfbb", StringComparison.Ordinal), pretty, raw + " " })
        {
            Assert.Equal(SignatureCheck.BadSignature, verifier.Verify(Header(v, "Wechatpay-Serial"), Header(v, "Wechatpay-Timestamp"),
                Header(v, "Wechatpay-Nonce"), Header(v, "Wechatpay-Signature"), Encoding.UTF8.GetBytes(body)));
        }
    }

    [Fact]
    public void Notification_UnknownSerialOrMissingHeader_Refused()
    {
        var (verifier, v) = NotifyVerifier();
        var body = Encoding.UTF8.GetBytes(v.Input("body"));

        Assert.Equal(SignatureCheck.UnknownSerial, verifier.Verify("PUB_KEY_ID_0000", Header(v, "Wechatpay-Timestamp"), Header(v, "Wechatpay-Nonce"), Header(v, "Wechatpay-Signature"), body));
        Assert.Equal(SignatureCheck.MissingHeaders, verifier.Verify(Header(v, "Wechatpay-Serial"), null, Header(v, "Wechatpay-Nonce"), Header(v, "Wechatpay-Signature"), body));
    }

    [Fact]
    public void PaySign_GeneratedKey_VerifiesOverTheFourLines()
    {
        using var rsa = RSA.Create(2048);
        using var signer = new MerchantSigner(RSA.Create(rsa.ExportParameters(true)), "1900000001", "SERIAL");
        var message = WeChatPaySignatures.PaySignMessage("wx8888888888888888", "1414561699", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "prepay_id=wx201410272009395522657a690389285100");

        var signature = signer.Sign(message);

        Assert.Equal("wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n", message);
        Assert.True(rsa.VerifyData(Encoding.UTF8.GetBytes(message), Convert.FromBase64String(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void RequestMessage_DocumentedExample_ExactString()
        => Assert.Equal("GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n",
            WeChatPaySignatures.RequestMessage("get", "/v3/certificates", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", ""));
}
