using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WeStore.WeChat.Pay;

/// <summary>
/// WeChat Pay API v3 for a direct merchant. Each request body is serialized once and the same string is signed and
/// sent. Every 2xx answer, an empty 204 included, must carry a valid platform signature or it is treated as forged.
/// All three calls are safe to repeat (prepay with the same out_trade_no and parameters, query, close), so
/// 5xx, 429 and timeouts are retried, re-signed each time.
/// </summary>
public sealed class WeChatPayClient(HttpClient http, WeChatPayKeys keys, IOptions<WeChatPayOptions> options, TimeProvider time, ILogger<WeChatPayClient> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public WeChatPayOptions Options => options.Value;

    public async Task<PayTransactionsJsapiResponse> JsapiPrepayAsync(PayTransactionsJsapiRequest request, CancellationToken cancellationToken)
    {
        var (_, body) = await SendAsync(HttpMethod.Post, "/v3/pay/transactions/jsapi", JsonSerializer.Serialize(request, Json), cancellationToken);
        var response = Parse<PayTransactionsJsapiResponse>(body);
        return string.IsNullOrEmpty(response.PrepayId)
            ? throw new WeChatUnavailableException("pay/transactions/jsapi", "the answer held no prepay_id")
            : response;
    }

    /// <summary>The transaction, or null when WeChat Pay has no order with that number.</summary>
    public async Task<PayTransaction?> QueryByOutTradeNoAsync(string outTradeNo, CancellationToken cancellationToken)
    {
        var path = $"/v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}?mchid={Uri.EscapeDataString(Options.MchId)}";
        try
        {
            var (_, body) = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
            return Parse<PayTransaction>(body);
        }
        catch (WeChatPayException e) when (e.Status == 404 || e.Code == "ORDER_NOT_EXIST")
        {
            return null;
        }
    }

    public Task CloseAsync(string outTradeNo, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, $"/v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}/close",
            JsonSerializer.Serialize(new PayTransactionsOutTradeNoCloseRequest { MchId = Options.MchId }, Json), cancellationToken);

    /// <summary>Requests a refund. Repeating the same out_refund_no refunds once, so this is safe to retry
    /// (a 429 or 5xx leaves the outcome unknown; the retry with the same number settles it).</summary>
    public async Task<RefundDomesticRefund> RefundAsync(RefundDomesticRefundsRequest request, CancellationToken cancellationToken)
    {
        var (_, body) = await SendAsync(HttpMethod.Post, "/v3/refund/domestic/refunds", JsonSerializer.Serialize(request, Json), cancellationToken);
        return Parse<RefundDomesticRefund>(body);
    }

    /// <summary>
    /// The refund as WeChat Pay holds it now (PROCESSING, SUCCESS, CLOSED or ABNORMAL), or null when it has no refund
    /// with that number (https://pay.weixin.qq.com/docs/merchant/apis/refund/refunds/query-by-out-refund-no.html).
    /// </summary>
    public async Task<RefundDomesticRefund?> QueryRefundAsync(string outRefundNo, CancellationToken cancellationToken)
    {
        try
        {
            var (_, body) = await SendAsync(HttpMethod.Get, $"/v3/refund/domestic/refunds/{Uri.EscapeDataString(outRefundNo)}", null, cancellationToken);
            return Parse<RefundDomesticRefund>(body);
        }
        catch (WeChatPayException e) when (e.Status == 404 || e.Code == "RESOURCE_NOT_EXISTS")
        {
            return null;
        }
    }

    /// <summary>A sensitive field encrypted with the WeChat Pay public key this client names in its requests.</summary>
    public string EncryptSensitive(string plaintext) => keys.Verifier.EncryptSensitive(Options.PlatformPublicKeyId, plaintext);

    /// <summary>Pays an ABNORMAL refund out again (it is PROCESSING after); the refund keeps its number.</summary>
    public async Task<RefundDomesticRefund> ApplyAbnormalRefundAsync(string refundId, RefundDomesticRefundsApplyAbnormalRefundRequest request, CancellationToken cancellationToken)
    {
        var (_, body) = await SendAsync(HttpMethod.Post, $"/v3/refund/domestic/refunds/{Uri.EscapeDataString(refundId)}/apply-abnormal-refund",
            JsonSerializer.Serialize(request, Json), cancellationToken);
        return Parse<RefundDomesticRefund>(body);
    }

    /// <summary>Where the day's trade bill (all transactions, gzipped) can be downloaded, or null when WeChat Pay has none for the day.</summary>
    public async Task<BillTradeBillResponse?> GetTradeBillAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var path = $"/v3/bill/tradebill?bill_date={day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}&bill_type=ALL&tar_type=GZIP";
        try
        {
            var (_, body) = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
            return Parse<BillTradeBillResponse>(body);
        }
        catch (WeChatPayException e) when (e.Code == "NO_STATEMENT_EXIST")
        {
            return null;
        }
    }

    /// <summary>
    /// Downloads a bill into <paramref name="destination"/>: a GET signed like every request, whose answer carries no
    /// WeChat Pay signature (the file is checked by its SHA1 instead). The URL lasts minutes: fetch at once
    /// (https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter7_3_9.shtml).
    /// </summary>
    public async Task DownloadBillAsync(string downloadUrl, Stream destination, CancellationToken cancellationToken)
    {
        var url = new Uri(downloadUrl, UriKind.Absolute);
        var expected = http.BaseAddress!;
        // The store only follows download links to WeChat Pay itself: a link elsewhere would carry our signature there.
        if (!string.Equals(url.Host, expected.Host, StringComparison.OrdinalIgnoreCase) || url.Port != expected.Port || url.Scheme != expected.Scheme)
        {
            throw new WeChatUnavailableException("bill download", "the download URL is not WeChat Pay's");
        }

        using var request = CreateRequest(HttpMethod.Get, url.PathAndQuery, null);
        request.RequestUri = url;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(30, Options.TimeoutSeconds * 10)));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            var error = TryParse<WeChatPayError>(await response.Content.ReadAsByteArrayAsync(timeout.Token));
            throw new WeChatPayException((int)response.StatusCode, error?.Code, error?.Message);
        }

        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        await body.CopyToAsync(destination, timeout.Token);
    }

    /// <summary>The parameters for <c>wx.requestPayment</c>, signed with the merchant key.</summary>
    public RequestPaymentParameters CreateRequestPayment(string appId, string prepayId)
    {
        var timeStamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nonce = WeChatPaySignatures.NewNonce();
        var package = "prepay_id=" + prepayId;
        var paySign = keys.Signer.Sign(WeChatPaySignatures.PaySignMessage(appId, timeStamp, nonce, package));
        return new RequestPaymentParameters(timeStamp, nonce, package, "RSA", paySign);
    }

    private async Task<(int Status, byte[] Body)> SendAsync(HttpMethod method, string pathAndQuery, string? body, CancellationToken cancellationToken)
    {
        var endpoint = pathAndQuery.Split('?')[0];
        for (var attempt = 0; ; attempt++)
        {
            var retryable = attempt < Options.MaxRetries;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(Options.TimeoutSeconds));
            try
            {
                using var request = CreateRequest(method, pathAndQuery, body);
                using var response = await http.SendAsync(request, timeout.Token);
                var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                var status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    var check = keys.Verifier.Verify(
                        Header(response, "Wechatpay-Serial"), Header(response, "Wechatpay-Timestamp"),
                        Header(response, "Wechatpay-Nonce"), Header(response, "Wechatpay-Signature"), bytes);
                    if (check != SignatureCheck.Valid)
                    {
                        logger.LogError("A WeChat Pay answer from {Endpoint} failed signature verification: {Check}", endpoint, check);
                        throw new WeChatUnavailableException(endpoint, $"the answer's signature failed verification ({check})");
                    }

                    return (status, bytes);
                }

                if ((status >= 500 || status == 429) && retryable)
                {
                    logger.LogWarning("WeChat Pay answered {Status} on {Endpoint}; retrying", status, endpoint);
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * (1 << attempt)), time, cancellationToken);
                    continue;
                }

                var error = TryParse<WeChatPayError>(bytes);
                if (status >= 500 || status == 429)
                {
                    throw new WeChatUnavailableException(endpoint, $"HTTP {status} {error?.Code}");
                }

                throw new WeChatPayException(status, error?.Code, error?.Message);
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (retryable)
                {
                    logger.LogWarning("WeChat Pay {Endpoint} failed ({Reason}); retrying", endpoint, e.GetType().Name);
                    continue;
                }

                throw new WeChatUnavailableException(endpoint, e.GetType().Name, e);
            }
        }
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string pathAndQuery, string? body)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var nonce = WeChatPaySignatures.NewNonce();
        var request = new HttpRequestMessage(method, pathAndQuery.TrimStart('/'));
        request.Headers.TryAddWithoutValidation("Authorization", keys.Signer.Authorization(method.Method, pathAndQuery, timestamp, nonce, body ?? string.Empty));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("WeStore", "1.0"));
        if (!string.IsNullOrEmpty(Options.PlatformPublicKeyId))
        {
            // Asks WeChat Pay to sign its answer with the public key (https://pay.weixin.qq.com/doc/v3/merchant/4012153196: during the switch from certificates, answers follow the request's Wechatpay-Serial).
            request.Headers.TryAddWithoutValidation("Wechatpay-Serial", Options.PlatformPublicKeyId);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            request.Content.Headers.ContentType!.CharSet = null;
        }

        return request;
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static T Parse<T>(byte[] body) where T : class
        => TryParse<T>(body) ?? throw new WeChatUnavailableException("wechatpay", "the answer was not the expected JSON");

    private static T? TryParse<T>(byte[] body) where T : class
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize<T>(body, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
