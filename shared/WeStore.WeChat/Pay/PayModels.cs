using System.Text.Json.Serialization;

namespace WeStore.WeChat.Pay;

/// <summary><c>POST /v3/pay/transactions/jsapi</c>: the prepay order for a Mini Program payment.</summary>
public sealed class PayTransactionsJsapiRequest
{
    [JsonPropertyName("appid")] public required string AppId { get; init; }
    [JsonPropertyName("mchid")] public required string MchId { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("out_trade_no")] public required string OutTradeNo { get; init; }
    [JsonPropertyName("time_expire")] public required string TimeExpire { get; init; }
    [JsonPropertyName("attach"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Attach { get; init; }
    [JsonPropertyName("notify_url")] public required string NotifyUrl { get; init; }
    [JsonPropertyName("amount")] public required PayAmount Amount { get; init; }
    [JsonPropertyName("payer")] public required PayPayer Payer { get; init; }
}

public sealed class PayTransactionsJsapiResponse
{
    [JsonPropertyName("prepay_id")] public string? PrepayId { get; set; }
}

public sealed class PayAmount
{
    [JsonPropertyName("total")] public long Total { get; init; }
    [JsonPropertyName("currency")] public string Currency { get; init; } = "CNY";
    [JsonPropertyName("payer_total"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? PayerTotal { get; init; }
    [JsonPropertyName("payer_currency"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PayerCurrency { get; init; }
}

public sealed class PayPayer
{
    [JsonPropertyName("openid")] public required string OpenId { get; init; }
}

/// <summary><c>POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close</c>.</summary>
public sealed class PayTransactionsOutTradeNoCloseRequest
{
    [JsonPropertyName("mchid")] public required string MchId { get; init; }
}

/// <summary>
/// A transaction: the answer of <c>GET /v3/pay/transactions/out-trade-no/{out_trade_no}</c>, and the decrypted
/// resource of a TRANSACTION.SUCCESS notification. Unknown trade states are kept as text.
/// </summary>
public sealed class PayTransaction
{
    [JsonPropertyName("appid")] public string? AppId { get; set; }
    [JsonPropertyName("mchid")] public string? MchId { get; set; }
    [JsonPropertyName("out_trade_no")] public string? OutTradeNo { get; set; }
    [JsonPropertyName("transaction_id")] public string? TransactionId { get; set; }
    [JsonPropertyName("trade_type")] public string? TradeType { get; set; }
    [JsonPropertyName("trade_state")] public string? TradeState { get; set; }
    [JsonPropertyName("trade_state_desc")] public string? TradeStateDesc { get; set; }
    [JsonPropertyName("bank_type")] public string? BankType { get; set; }
    [JsonPropertyName("attach")] public string? Attach { get; set; }
    [JsonPropertyName("success_time")] public DateTimeOffset? SuccessTime { get; set; }
    [JsonPropertyName("payer")] public PayPayer? Payer { get; set; }
    [JsonPropertyName("amount")] public PayAmount? Amount { get; set; }

    public bool IsPaid => TradeState is "SUCCESS" or "REFUND";
}

/// <summary>WeChat Pay's error body.</summary>
public sealed class WeChatPayError
{
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

/// <summary>What <c>wx.requestPayment</c> needs; paySign is over appId, timeStamp, nonceStr and package.</summary>
public sealed record RequestPaymentParameters(string TimeStamp, string NonceStr, string Package, string SignType, string PaySign);

/// <summary>WeChat Pay refused the request (4xx) with a code such as PARAM_ERROR or ORDERPAID.</summary>
public sealed class WeChatPayException(int status, string? code, string? message)
    : Exception($"WeChat Pay answered {status} {code}: {message}")
{
    public int Status { get; } = status;

    public string? Code { get; } = code;

    public string? ErrorMessage { get; } = message;
}

/// <summary><c>POST /v3/refund/domestic/refunds</c>: refunds part or all of a paid order, once per out_refund_no.</summary>
public sealed class RefundDomesticRefundsRequest
{
    [JsonPropertyName("out_trade_no")] public required string OutTradeNo { get; init; }
    [JsonPropertyName("out_refund_no")] public required string OutRefundNo { get; init; }
    [JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Reason { get; init; }
    [JsonPropertyName("notify_url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? NotifyUrl { get; init; }
    [JsonPropertyName("amount")] public required RefundAmount Amount { get; init; }
}

public sealed class RefundAmount
{
    [JsonPropertyName("refund")] public long Refund { get; init; }
    [JsonPropertyName("total")] public long Total { get; init; }
    [JsonPropertyName("currency"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Currency { get; init; } = "CNY";
    [JsonPropertyName("payer_total"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? PayerTotal { get; init; }
    [JsonPropertyName("payer_refund"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? PayerRefund { get; init; }
}

/// <summary>The refund as WeChat Pay holds it (answer of the refund and refund-query calls).</summary>
public sealed class RefundDomesticRefund
{
    [JsonPropertyName("refund_id")] public string? RefundId { get; set; }
    [JsonPropertyName("out_refund_no")] public string? OutRefundNo { get; set; }
    [JsonPropertyName("transaction_id")] public string? TransactionId { get; set; }
    [JsonPropertyName("out_trade_no")] public string? OutTradeNo { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("success_time")] public DateTimeOffset? SuccessTime { get; set; }
    [JsonPropertyName("amount")] public RefundAmount? Amount { get; set; }
}

/// <summary>
/// <c>POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund</c>: pays an ABNORMAL refund out again, to
/// the buyer's card (<c>USER_BANK_CARD</c>, with the bank account details encrypted) or to the merchant's own account
/// for a hand-over (<c>MERCHANT_BANK_CARD</c>) (https://pay.weixin.qq.com/docs/merchant/apis/refund/refunds/create-abnormal-refund.html).
/// </summary>
public sealed class RefundDomesticRefundsApplyAbnormalRefundRequest
{
    [JsonPropertyName("out_refund_no")] public required string OutRefundNo { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("bank_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? BankType { get; init; }
    [JsonPropertyName("bank_account"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? BankAccount { get; init; }
    [JsonPropertyName("real_name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? RealName { get; init; }
}

/// <summary>
/// <c>GET /v3/bill/tradebill</c>: where a day's trade bill can be fetched (for minutes), and the SHA1 of the file
/// once decompressed (https://pay.weixin.qq.com/doc/v3/merchant/4012556654).
/// </summary>
public sealed class BillTradeBillResponse
{
    [JsonPropertyName("hash_type")] public string? HashType { get; set; }
    [JsonPropertyName("hash_value")] public string? HashValue { get; set; }
    [JsonPropertyName("download_url")] public string? DownloadUrl { get; set; }
}
