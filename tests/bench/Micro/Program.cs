using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.Time.Testing;
using WeStore.Application.Auth;
using WeStore.Application.Security;
using WeStore.Domain.Coupons;
using WeStore.Domain.Loyalty;
using WeStore.Domain.Orders;
using WeStore.WeChat.Pay;

BenchmarkSwitcher.FromAssembly(typeof(PayCryptoBenchmarks).Assembly).Run(args);

/// <summary>WeChat Pay v3 crypto: what each prepay, each paySign and each notification costs in CPU.</summary>
[MemoryDiagnoser]
public class PayCryptoBenchmarks
{
    private readonly RSA _merchant = RSA.Create(2048);
    private readonly RSA _platform = RSA.Create(2048);
    private readonly byte[] _apiV3Key = Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef");
    private MerchantSigner _signer = null!;
    private PlatformVerifier _verifier = null!;
    private byte[] _body = null!;
    private string _timestamp = null!;
    private string _signature = null!;
    private string _ciphertext = null!;
    private const string Nonce = "5K8264ILTKCH";
    private const string RequestBody = """{"appid":"wx0000000000000000","mchid":"1900000001","description":"龙井 50g","out_trade_no":"WS0000000000000000000000000","notify_url":"https://example.com/api/pay/notify","amount":{"total":16600},"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}""";

    [GlobalSetup]
    public void Setup()
    {
        _signer = new MerchantSigner(_merchant, "1900000001", "3775B6A45ACD588826D15E583A95F5DD");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _verifier = new PlatformVerifier(new Dictionary<string, RSA> { ["PUB_KEY_ID_0001"] = _platform }, time);
        _ciphertext = ResourceDecryptor.Encrypt(_apiV3Key, Nonce, "transaction", """{"out_trade_no":"WS0000000000000000000000000","trade_state":"SUCCESS","amount":{"total":16600}}""");
        _body = Encoding.UTF8.GetBytes("{\"id\":\"n1\",\"event_type\":\"TRANSACTION.SUCCESS\",\"resource\":{\"ciphertext\":\"" + _ciphertext + "\",\"nonce\":\"" + Nonce + "\",\"associated_data\":\"transaction\"}}");
        _timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _signature = Convert.ToBase64String(_platform.SignData(WeChatPaySignatures.ResponseMessage(_timestamp, Nonce, _body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Benchmark(Description = "request signing (Authorization header)")]
    public string SignRequest() => _signer.Authorization("POST", "/v3/pay/transactions/jsapi", 1_700_000_000, Nonce, RequestBody);

    [Benchmark(Description = "paySign for wx.requestPayment")]
    public string PaySign() => _signer.Sign(WeChatPaySignatures.PaySignMessage("wx0000000000000000", "1700000000", Nonce, "prepay_id=wx201410272009395522657a690389285100"));

    [Benchmark(Description = "notification verify + decrypt")]
    public string? VerifyAndDecrypt()
        => _verifier.Verify("PUB_KEY_ID_0001", _timestamp, Nonce, _signature, _body) == SignatureCheck.Valid
            ? ResourceDecryptor.TryDecrypt(_apiV3Key, Nonce, "transaction", _ciphertext)
            : null;
}

/// <summary>Pricing an order from catalog lines with a coupon and points; validating a session token.</summary>
[MemoryDiagnoser]
public class CheckoutBenchmarks
{
    private readonly OrderLine[] _lines = Enumerable.Range(0, 5).Select(i => new OrderLine("sku" + i, "p" + (i % 2), "商品" + i, 1990 + (i * 500), 1 + (i % 3), 0)).ToArray();
    private readonly CouponTerms _coupon = new(CouponType.Percent, 0, 15, 3000, 0, [], ["p1"]);
    private readonly LoyaltyRules _rules = new();
    private SessionTokenService _tokens = null!;
    private string _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _tokens = new SessionTokenService(new KeyRing([("k1", RandomNumberGenerator.GetBytes(32))], "k1"), time);
        _token = _tokens.Issue("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o").Token;
    }

    [Benchmark(Description = "pricing with a coupon and points")]
    public OrderAmounts Price()
    {
        var eligible = _lines.Where(l => _coupon.Covers(l.SkuId, l.ProductId)).Sum(l => l.Total);
        var couponDiscount = _coupon.DiscountFor(eligible);
        var subtotal = _lines.Sum(l => l.Total);
        var points = Math.Min(500, _rules.MaxPointsFor(subtotal - couponDiscount));
        return OrderPricing.Price(_lines, couponDiscount + (points * _rules.FenPerPoint));
    }

    [Benchmark(Description = "session token validation")]
    public Task<MemberSession?> ValidateToken() => _tokens.ValidateAsync(_token);
}
