using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace WeStore.Sandbox;

/// <summary>One payment's shipping as WeChat's order shipping management holds it.</summary>
public sealed class SandboxShipment
{
    public required string TransactionId { get; init; }
    public required string OutTradeNo { get; init; }
    public required string OpenId { get; init; }

    /// <summary>1 待发货, 2 已发货, 3 确认收货, 4 交易完成, 5 已退款, 6 资金待结算.</summary>
    public int OrderState { get; set; } = 1;
    public int? LogisticsType { get; set; }
    public int? DeliveryMode { get; set; }
    public bool FinishShipping { get; set; }

    /// <summary>0 not done, 1 done, 2 re-shipped and done.</summary>
    public int FinishShippingCount { get; set; }
    public List<JsonObject> ShippingList { get; } = [];
    public bool ReshipUsed { get; set; }
    public DateTimeOffset? LastUploadTime { get; set; }
    public DateTimeOffset? ShippedAt { get; set; }
    public DateTimeOffset? ConfirmReceiveTime { get; set; }
    public DateTimeOffset? SettlementTime { get; set; }
    public int Accepted { get; set; }
    public List<int> Refused { get; } = [];
}

/// <summary>The sandbox's shipping records, injected faults and is_trade_managed answer.</summary>
public sealed class ShippingState(IOptions<SandboxOptions> options)
{
    public ConcurrentDictionary<string, SandboxShipment> Shipments { get; } = new(StringComparer.Ordinal);

    /// <summary>Errcodes the next upload_shipping_info calls answer with, in order (tests play WeChat's failures).</summary>
    public ConcurrentQueue<int> UploadFaults { get; } = new();

    public bool TradeManaged { get; set; } = options.Value.TradeManaged;
}

/// <summary>
/// WeChat's order shipping management (发货信息管理服务) with its rules: the field checks and errcodes of
/// upload_shipping_info; a payment ships once (unified, or split express packages ending with is_all_delivered), and
/// a call on a completed shipment, or a change of delivery_mode or logistics_type, is its one re-ship chance
/// (10060003 after); an identical re-upload is 10060023; optionally 10060001 for a while after payment; get_order,
/// get_delivery_list and is_trade_managed. Shipping completion and settlement are pushed to the store, signed and
/// encrypted (https://developers.weixin.qq.com/miniprogram/dev/platform-capabilities/business-capabilities/order-shipping/order-shipping.html).
/// </summary>
internal static class ShippingApi
{
    /// <summary>A slice of get_delivery_list's 1,000-odd carriers: the common ones, by delivery_id.</summary>
    public static readonly IReadOnlyDictionary<string, string> Carriers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SF"] = "顺丰速运", ["YTO"] = "圆通速递", ["ZTO"] = "中通快递", ["STO"] = "申通快递", ["YD"] = "韵达速递", ["JD"] = "京东物流",
        ["EMS"] = "中国邮政速递物流", ["JTSD"] = "极兔速递", ["DBL"] = "德邦快递", ["HTKY"] = "百世快递",
    };

    public static void Map(WebApplication app)
    {
        app.MapPost("/wxa/sec/order/upload_shipping_info", async (HttpRequest request, SandboxState state, ShippingState shipping, PayState pay, SandboxKeys keys,
            PushSender push, IOptions<SandboxOptions> options, TimeProvider time) =>
        {
            state.Record("wxa/sec/order/upload_shipping_info");
            if (MiniProgramApi.TokenError(request, state, time) is { } denied) return denied;
            if (await MiniProgramApi.ReadJsonAsync(request) is not JsonObject body) return MiniProgramApi.Error(47001, "data format error");
            if (shipping.UploadFaults.TryDequeue(out var fault)) return MiniProgramApi.Error(fault, "injected by the sandbox");
            var (transaction, keyError) = FindByOrderKey(body["order_key"], pay, keys);
            if (keyError is not null) return keyError;
            var answer = Upload(body, transaction!, shipping, options.Value, time.GetUtcNow(), out var finished);
            if (finished is { } shipment && push.Configured)
            {
                // WeChat pushes the shipping completion with the estimated settlement time; not awaited, as WeChat's is not.
                _ = Task.Run(() => push.PushAsync(SettlementEvent(shipment, transaction!, keys, time.GetUtcNow(), settled: false, autoConfirmed: false), CancellationToken.None));
            }

            return answer;
        });

        app.MapPost("/wxa/sec/order/get_order", async (HttpRequest request, SandboxState state, ShippingState shipping, PayState pay, SandboxKeys keys, TimeProvider time) =>
        {
            state.Record("wxa/sec/order/get_order");
            if (MiniProgramApi.TokenError(request, state, time) is { } denied) return denied;
            if (await MiniProgramApi.ReadJsonAsync(request) is not JsonObject body) return MiniProgramApi.Error(47001, "data format error");
            var transactionId = Text(body, "transaction_id");
            var merchantId = Text(body, "merchant_id");
            var tradeNo = Text(body, "merchant_trade_no");
            if (transactionId is null && (merchantId is null || tradeNo is null)) return MiniProgramApi.Error(10060014, "参数错误");
            var t = transactionId is not null
                ? pay.Transactions.Values.FirstOrDefault(x => x.TransactionId == transactionId)
                : merchantId == keys.MchId && pay.Transactions.TryGetValue(tradeNo!, out var found) ? found : null;
            if (t?.TransactionId is null) return MiniProgramApi.Error(10060001, "支付单不存在");
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["order"] = OrderObject(t, shipping, keys) });
        });

        app.MapPost("/wxa/sec/order/is_trade_managed", async (HttpRequest request, SandboxState state, ShippingState shipping, IOptions<SandboxOptions> options, TimeProvider time) =>
        {
            state.Record("wxa/sec/order/is_trade_managed");
            if (MiniProgramApi.TokenError(request, state, time) is { } denied) return denied;
            if (await MiniProgramApi.ReadJsonAsync(request) is not JsonObject body) return MiniProgramApi.Error(47001, "data format error");
            var appId = Text(body, "appid");
            if (appId is null) return MiniProgramApi.Error(40097, "invalid args");
            if (appId != options.Value.AppId) return MiniProgramApi.Error(40013, "invalid appid");
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["is_trade_managed"] = shipping.TradeManaged });
        });

        app.MapPost("/cgi-bin/express/delivery/open_msg/get_delivery_list", (HttpRequest request, SandboxState state, TimeProvider time) =>
        {
            state.Record("cgi-bin/express/delivery/open_msg/get_delivery_list");
            if (MiniProgramApi.TokenError(request, state, time) is { } denied) return denied;
            var list = new JsonArray([.. Carriers.Select(c => (JsonNode)new JsonObject { ["delivery_id"] = c.Key, ["delivery_name"] = c.Value })]);
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["delivery_list"] = list, ["count"] = Carriers.Count });
        });

        // The buyer confirms receipt in WeChat (or, with ?method=auto, WeChat confirms it itself); the payment settles
        // and trade_manage_order_settlement is pushed to the store. Answers with what the store answered.
        app.MapPost("/sandbox/wxa/orders/{outTradeNo}/confirm-receipt", async (string outTradeNo, string? method, ShippingState shipping, PayState pay, SandboxKeys keys,
            PushSender push, TimeProvider time, CancellationToken ct) =>
        {
            if (!pay.Transactions.TryGetValue(outTradeNo, out var t) || t.TransactionId is null) return Results.NotFound(new { errcode = 10060001, errmsg = "支付单不存在" });
            if (!shipping.Shipments.TryGetValue(t.TransactionId, out var shipment)) return Results.Conflict(new { errcode = 10060028, errmsg = "支付单不是已发货状态" });
            JsonObject evt;
            lock (shipment)
            {
                if (shipment.OrderState != 2) return Results.Conflict(new { errcode = 10060028, errmsg = "支付单不是已发货状态", orderState = shipment.OrderState });
                var now = time.GetUtcNow();
                shipment.ConfirmReceiveTime = now;
                shipment.SettlementTime = now;
                shipment.OrderState = 4;
                evt = SettlementEvent(shipment, t, keys, now, settled: true, autoConfirmed: method == "auto");
            }

            var (status, body) = await push.PushAsync(evt, ct);
            return Results.Json(new { outTradeNo, orderState = 4, pushStatus = status, pushBody = body });
        });

        app.MapGet("/sandbox/wxa/orders/{outTradeNo}", (string outTradeNo, ShippingState shipping, PayState pay, SandboxKeys keys) =>
        {
            if (!pay.Transactions.TryGetValue(outTradeNo, out var t) || t.TransactionId is null) return Results.NotFound(new { errcode = 10060001, errmsg = "支付单不存在" });
            var order = OrderObject(t, shipping, keys);
            if (shipping.Shipments.TryGetValue(t.TransactionId, out var s))
            {
                lock (s)
                {
                    order["sandbox"] = new JsonObject
                    {
                        ["accepted_uploads"] = s.Accepted, ["refused_errcodes"] = new JsonArray([.. s.Refused.Select(c => (JsonNode)c)]), ["reship_used"] = s.ReshipUsed,
                    };
                }
            }

            return Results.Json(order);
        });

        // Tests play WeChat's failures: the next `count` uploads answer `errcode`.
        app.MapPost("/sandbox/wxa/faults", (int errcode, int? count, ShippingState shipping) =>
        {
            for (var i = 0; i < Math.Clamp(count ?? 1, 1, 100); i++) shipping.UploadFaults.Enqueue(errcode);
            return Results.NoContent();
        });

        app.MapPost("/sandbox/wxa/trade-managed", (bool managed, ShippingState shipping) =>
        {
            shipping.TradeManaged = managed;
            return Results.NoContent();
        });

        // Any event, pushed to the store as WeChat would push it (a shipping reminder, a subscription change).
        app.MapPost("/sandbox/wxa/push", async (HttpRequest request, PushSender push, CancellationToken ct) =>
        {
            if (await MiniProgramApi.ReadJsonAsync(request) is not JsonObject evt || evt["Event"] is null) return Results.BadRequest(new { error = "a JSON event with Event" });
            var (status, body) = await push.PushAsync(evt, ct);
            return Results.Json(new { pushStatus = status, pushBody = body });
        });
    }

    private static (SandboxTransaction? Transaction, IResult? Error) FindByOrderKey(JsonNode? key, PayState pay, SandboxKeys keys)
    {
        if (key is not JsonObject k) return (null, MiniProgramApi.Error(10060014, "参数错误"));
        var type = Number(k, "order_number_type");
        SandboxTransaction? t;
        switch (type)
        {
            case 2:
                var transactionId = Text(k, "transaction_id");
                if (transactionId is null) return (null, MiniProgramApi.Error(268485195, "transaction_id is empty"));
                t = pay.Transactions.Values.FirstOrDefault(x => x.TransactionId == transactionId);
                break;
            case 1:
                var mchId = Text(k, "mchid");
                var tradeNo = Text(k, "out_trade_no");
                if (mchId is null) return (null, MiniProgramApi.Error(268485196, "mchid is empty"));
                if (tradeNo is null) return (null, MiniProgramApi.Error(268485197, "out_trade_no is empty"));
                t = mchId == keys.MchId && pay.Transactions.TryGetValue(tradeNo, out var found) ? found : null;
                break;
            default:
                return (null, MiniProgramApi.Error(268485194, "order_number_type is invalid"));
        }

        return t?.TransactionId is null || t.TradeState is not ("SUCCESS" or "REFUND") ? (null, MiniProgramApi.Error(10060001, "支付单不存在")) : (t, null);
    }

    private static IResult Upload(JsonObject body, SandboxTransaction t, ShippingState shipping, SandboxOptions options, DateTimeOffset now, out SandboxShipment? finished)
    {
        finished = null;
        if (options.ShippingNotIngestedWindow > TimeSpan.Zero && t.SuccessTime is { } paidAt && now - paidAt < options.ShippingNotIngestedWindow)
        {
            return MiniProgramApi.Error(10060001, "支付单不存在");
        }

        var logistics = Number(body, "logistics_type");
        var mode = Number(body, "delivery_mode");
        if (logistics is not (1 or 2 or 3 or 4)) return MiniProgramApi.Error(10060005, "物流模式有误");
        if (mode is not (1 or 2)) return MiniProgramApi.Error(268485224, "delivery_mode is invalid");
        if (body["shipping_list"] is not JsonArray list) return MiniProgramApi.Error(47001, "data format error");
        if (list.Count > 15) return MiniProgramApi.Error(10060024, "物流信息列表过长");
        if (list.Count == 0) return MiniProgramApi.Error(10060014, "参数错误");
        if (mode == 2 && logistics != 1) return MiniProgramApi.Error(10060006, "非快递发货不允许分拆发货");
        if (mode == 2 && body["is_all_delivered"]?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) return MiniProgramApi.Error(10060007, "分拆发货模式下必须填写 is_all_delivered 字段");
        if (mode == 1 && list.Count != 1) return MiniProgramApi.Error(268485228, "统一发货模式下，物流信息列表长度必须为 1");
        foreach (var node in list)
        {
            if (node is not JsonObject item) return MiniProgramApi.Error(47001, "data format error");
            var desc = Text(item, "item_desc");
            if (desc is null) return MiniProgramApi.Error(10060008, "商品描述不能为空");
            if (desc.Length > 120) return MiniProgramApi.Error(10060009, "商品描述长度超过限制");
            if (logistics != 1) continue;
            var tracking = Text(item, "tracking_no");
            var company = Text(item, "express_company");
            if (tracking is null) return MiniProgramApi.Error(268485226, "物流单号不能为空");
            if (company is null) return MiniProgramApi.Error(268485227, "快递公司不能为空");
            if (Encoding.UTF8.GetByteCount(company) > 128) return MiniProgramApi.Error(10060025, "物流公司编码过长");
            if (Encoding.UTF8.GetByteCount(tracking) > 128) return MiniProgramApi.Error(10060026, "物流单号过长");
            if (!Carriers.ContainsKey(company)) return MiniProgramApi.Error(10060014, "参数错误");
            if (company == "SF")
            {
                // 顺丰 needs a contact, masked but for its last four digits.
                var contact = item["contact"] as JsonObject;
                var phone = Text(contact, "receiver_contact") ?? Text(contact, "consignor_contact");
                if (phone is null || phone.Length > 1024 || phone.Length < 4 || !phone[^4..].All(char.IsAsciiDigit)) return MiniProgramApi.Error(10060014, "参数错误");
            }
        }

        if (!DateTimeOffset.TryParse(Text(body, "upload_time"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var uploadTime)
            || Text(body, "upload_time") is not { } raw || !raw.Contains('T') || !(raw.EndsWith('Z') || raw[^6] is '+' or '-'))
        {
            return MiniProgramApi.Error(268485216, "upload_time 必须为 RFC 3339 格式");
        }

        var payer = Text(body["payer"] as JsonObject, "openid");
        if (payer is null) return MiniProgramApi.Error(10060014, "参数错误");
        if (payer != t.OpenId) return MiniProgramApi.Error(10060031, "支付单不属于该 openid");
        if (t.Refunds.Where(r => r.Status == "SUCCESS").Sum(r => r.Amount) >= t.Total) return MiniProgramApi.Error(10060004, "支付单处于不可发货的状态");

        var shipment = shipping.Shipments.GetOrAdd(t.TransactionId!, id => new SandboxShipment { TransactionId = id, OutTradeNo = t.OutTradeNo, OpenId = t.OpenId });
        lock (shipment)
        {
            var refusal = Apply(shipment, body, list, logistics.Value, mode.Value, uploadTime, now);
            if (refusal is { } code)
            {
                shipment.Refused.Add(code);
                return MiniProgramApi.Error(code, code switch
                {
                    10060002 => "支付单已完成发货，无法继续发货",
                    10060003 => "支付单已使用重新发货机会",
                    10060004 => "支付单处于不可发货的状态",
                    10060023 => "发货信息未更新",
                    _ => "参数错误",
                });
            }

            shipment.Accepted++;
            if (shipment.FinishShipping && shipment.FinishShippingCount > 0 && shipment.OrderState == 2 && shipment.ShippedAt == now) finished = shipment;
        }

        return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" });
    }

    /// <summary>The one-shipment, one-re-ship rules; the errcode that refuses the upload, or null when it is taken.</summary>
    private static int? Apply(SandboxShipment s, JsonObject body, JsonArray list, int logistics, int mode, DateTimeOffset uploadTime, DateTimeOffset now)
    {
        if (s.OrderState is 3 or 4 or 5 or 6) return 10060004;
        var items = list.Select(n => Item(n!.AsObject(), uploadTime)).ToList();
        var allDelivered = mode == 1 || body["is_all_delivered"]?.GetValue<bool>() == true;
        if (s.FinishShipping || (s.DeliveryMode is { } m && (m != mode || s.LogisticsType != logistics)))
        {
            var identical = s.FinishShipping && s.DeliveryMode == mode && s.LogisticsType == logistics && mode == 1
                && s.ShippingList.Count == 1 && Same(s.ShippingList[0], items[0]);
            if (identical) return 10060023;
            if (s.FinishShipping && mode == 2 && s.DeliveryMode == 2 && s.LogisticsType == logistics) return 10060002;
            if (s.ReshipUsed) return 10060003;
            if (s.LastUploadTime is { } last && uploadTime <= last) return 10060014;
            // The one re-ship chance: what was uploaded is replaced.
            s.ReshipUsed = true;
            s.ShippingList.Clear();
        }

        s.LogisticsType = logistics;
        s.DeliveryMode = mode;
        s.ShippingList.AddRange(items);
        s.LastUploadTime = uploadTime;
        if (allDelivered)
        {
            s.FinishShipping = true;
            s.FinishShippingCount = s.ReshipUsed ? 2 : 1;
            s.OrderState = 2;
            s.ShippedAt = now;
        }

        return null;
    }

    private static JsonObject Item(JsonObject item, DateTimeOffset uploadTime) => new()
    {
        ["tracking_no"] = Text(item, "tracking_no"),
        ["express_company"] = Text(item, "express_company"),
        ["goods_desc"] = Text(item, "item_desc"),
        ["upload_time"] = uploadTime.ToUnixTimeSeconds(),
        ["contact"] = item["contact"]?.DeepClone(),
    };

    private static bool Same(JsonObject a, JsonObject b)
        => Text(a, "tracking_no") == Text(b, "tracking_no") && Text(a, "express_company") == Text(b, "express_company") && Text(a, "goods_desc") == Text(b, "goods_desc");

    private static JsonObject OrderObject(SandboxTransaction t, ShippingState shipping, SandboxKeys keys)
    {
        shipping.Shipments.TryGetValue(t.TransactionId!, out var s);
        var refunded = t.Refunds.Where(r => r.Status == "SUCCESS").Sum(r => r.Amount) >= t.Total;
        var order = new JsonObject
        {
            ["transaction_id"] = t.TransactionId, ["merchant_id"] = keys.MchId, ["sub_merchant_id"] = string.Empty, ["merchant_trade_no"] = t.OutTradeNo,
            ["description"] = t.Description.Length > 120 ? t.Description[..117] + "..." : t.Description, ["paid_amount"] = t.Total, ["openid"] = t.OpenId,
            ["trade_create_time"] = t.SuccessTime?.ToUnixTimeSeconds(), ["pay_time"] = t.SuccessTime?.ToUnixTimeSeconds(), ["in_complaint"] = false,
        };
        if (s is null)
        {
            order["order_state"] = refunded ? 5 : 1;
            return order;
        }

        lock (s)
        {
            order["order_state"] = refunded && s.OrderState < 3 ? 5 : s.OrderState;
            order["shipping"] = new JsonObject
            {
                ["delivery_mode"] = s.DeliveryMode, ["logistics_type"] = s.LogisticsType, ["finish_shipping"] = s.FinishShipping,
                ["finish_shipping_count"] = s.FinishShippingCount, ["goods_desc"] = string.Join(';', s.ShippingList.Select(i => Text(i, "goods_desc"))),
                ["shipping_list"] = new JsonArray([.. s.ShippingList.Select(i => (JsonNode)i.DeepClone())]),
            };
        }

        return order;
    }

    /// <summary>
    /// trade_manage_order_settlement: sent when shipping completes (with estimated_settlement_time) and again at
    /// settlement (with confirm_receive_method 1 auto / 2 by the buyer, confirm_receive_time and settlement_time).
    /// </summary>
    private static JsonObject SettlementEvent(SandboxShipment s, SandboxTransaction t, SandboxKeys keys, DateTimeOffset now, bool settled, bool autoConfirmed)
    {
        var evt = new JsonObject
        {
            ["FromUserName"] = t.OpenId, ["Event"] = "trade_manage_order_settlement", ["transaction_id"] = t.TransactionId, ["merchant_id"] = keys.MchId,
            ["sub_merchant_id"] = string.Empty, ["merchant_trade_no"] = t.OutTradeNo, ["pay_time"] = t.SuccessTime?.ToUnixTimeSeconds(),
            ["shipped_time"] = (s.ShippedAt ?? now).ToUnixTimeSeconds(),
        };
        if (settled)
        {
            evt["confirm_receive_method"] = autoConfirmed ? 1 : 2;
            evt["confirm_receive_time"] = (s.ConfirmReceiveTime ?? now).ToUnixTimeSeconds();
            evt["settlement_time"] = (s.SettlementTime ?? now).ToUnixTimeSeconds();
        }
        else
        {
            evt["estimated_settlement_time"] = (s.ShippedAt ?? now).AddDays(s.LogisticsType == 1 ? 10 : 2).ToUnixTimeSeconds();
        }

        return evt;
    }

    private static string? Text(JsonObject? o, string name)
        => o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s ? s : null;

    private static int? Number(JsonObject o, string name)
        => o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) ? n : null;
}
