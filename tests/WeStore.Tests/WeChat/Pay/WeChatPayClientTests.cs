using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Tests.Support;
using WeStore.WeChat;
using WeStore.WeChat.Pay;

namespace WeStore.Tests.WeChat.Pay;

public sealed class WeChatPayClientTests
{
    private static ServiceProvider Services(RunningSandbox sandbox, Action<Dictionary<string, string?>>? change = null)
    {
        var settings = sandbox.StoreSettings();
        change?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddWeChatPay(configuration).BuildServiceProvider();
    }

    private static PayTransactionsJsapiRequest Prepay(RunningSandbox sandbox, string outTradeNo, long total = 1999) => new()
    {
        AppId = sandbox.Options.AppId,
        MchId = sandbox.Keys.MchId,
        Description = "WeStore 测试商品 × 2",
        OutTradeNo = outTradeNo,
        TimeExpire = DateTimeOffset.UtcNow.AddMinutes(15).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
        NotifyUrl = "https://store.example/api/pay/notify",
        Amount = new PayAmount { Total = total },
        Payer = new PayPayer { OpenId = "oShopper0000000000000000001" },
    };

    private static string OrderNo() => "T" + Guid.NewGuid().ToString("N")[..20];

    [Fact]
    public async Task PrepayQueryClose_AgainstSandbox_SignedBothWays()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await using var services = Services(sandbox);
        var client = services.GetRequiredService<WeChatPayClient>();
        var orderNo = OrderNo();

        var prepay = await client.JsapiPrepayAsync(Prepay(sandbox, orderNo), CancellationToken.None);
        var before = await client.QueryByOutTradeNoAsync(orderNo, CancellationToken.None);
        await client.CloseAsync(orderNo, CancellationToken.None);
        var after = await client.QueryByOutTradeNoAsync(orderNo, CancellationToken.None);

        Assert.StartsWith("wx", prepay.PrepayId);
        Assert.Equal("NOTPAY", before!.TradeState);
        Assert.Equal(1999, before.Amount!.Total);
        Assert.Equal("CLOSED", after!.TradeState);
        Assert.Equal(0, sandbox.Pay.Count("sign_error"));
    }

    [Fact]
    public async Task Query_UnknownOrder_Null()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await using var services = Services(sandbox);

        Assert.Null(await services.GetRequiredService<WeChatPayClient>().QueryByOutTradeNoAsync(OrderNo(), CancellationToken.None));
    }

    [Fact]
    public async Task Prepay_SameOrderNoAnotherAmount_Refused()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await using var services = Services(sandbox);
        var client = services.GetRequiredService<WeChatPayClient>();
        var orderNo = OrderNo();
        await client.JsapiPrepayAsync(Prepay(sandbox, orderNo), CancellationToken.None);

        var again = await client.JsapiPrepayAsync(Prepay(sandbox, orderNo), CancellationToken.None);
        var error = await Assert.ThrowsAsync<WeChatPayException>(() => client.JsapiPrepayAsync(Prepay(sandbox, orderNo, total: 1), CancellationToken.None));

        Assert.NotNull(again.PrepayId);
        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async Task Prepay_AnswerSignedWithAnotherKey_TreatedAsForged()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var other = RSA.Create(2048);
        await using var services = Services(sandbox, s => s["WeChatPay:PlatformPublicKey"] = other.ExportSubjectPublicKeyInfoPem());

        var error = await Assert.ThrowsAsync<WeChatUnavailableException>(() =>
            services.GetRequiredService<WeChatPayClient>().JsapiPrepayAsync(Prepay(sandbox, OrderNo()), CancellationToken.None));

        Assert.Contains("signature", error.Message);
    }

    [Fact]
    public async Task Prepay_WrongMerchantKey_SignErrorFromWeChatPay()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var other = RSA.Create(2048);
        await using var services = Services(sandbox, s => s["WeChatPay:MerchantPrivateKey"] = other.ExportPkcs8PrivateKeyPem());

        var error = await Assert.ThrowsAsync<WeChatPayException>(() =>
            services.GetRequiredService<WeChatPayClient>().JsapiPrepayAsync(Prepay(sandbox, OrderNo()), CancellationToken.None));

        Assert.Equal(401, error.Status);
        Assert.Equal("SIGN_ERROR", error.Code);
    }

    [Fact]
    public async Task CreateRequestPayment_PaySignVerifiesWithMerchantPublicKey()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await using var services = Services(sandbox);

        var p = services.GetRequiredService<WeChatPayClient>().CreateRequestPayment(sandbox.Options.AppId, "wx123");

        Assert.Equal(10, p.TimeStamp.Length);
        Assert.Equal("prepay_id=wx123", p.Package);
        Assert.Equal("RSA", p.SignType);
        Assert.Equal(32, p.NonceStr.Length);
        var message = WeChatPaySignatures.PaySignMessage(sandbox.Options.AppId, p.TimeStamp, p.NonceStr, p.Package);
        Assert.True(sandbox.Keys.MerchantPublicKey.VerifyData(System.Text.Encoding.UTF8.GetBytes(message), Convert.FromBase64String(p.PaySign),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task Keys_PrivateKeyGivenAsPublicKey_ClearError()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await using var services = Services(sandbox, s => s["WeChatPay:PlatformPublicKey"] = sandbox.Keys.MerchantPrivateKeyPath);

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<WeChatPayKeys>().Verifier);

        Assert.Contains("private key", error.Message);
    }
}
