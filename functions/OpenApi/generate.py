#!/usr/bin/env python3
"""Writes functions/OpenApi/openapi.json, the API description served at GET /api/openapi.json.
Edit this file, run it, commit both. OpenApiDocumentTests fails if a route and the document disagree."""
import json, os

def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def obj(props, required=()):
    o = {"type": "object", "properties": props, "additionalProperties": False}
    if required: o["required"] = list(required)
    return o
S = lambda **kw: {"type": "string", **kw}
I = lambda **kw: {"type": "integer", "format": "int64", **kw}
I32 = lambda **kw: {"type": "integer", "format": "int32", **kw}
B = {"type": "boolean"}
DT = {"type": "string", "format": "date-time"}
D = {"type": "string", "format": "date"}
arr = lambda items: {"type": "array", "items": items}
fen = lambda d: I(minimum=0, description=d + " (fen)")

schemas = {
    "Problem": {"type": "object", "description": "RFC 9457 problem details", "properties": {
        "type": S(), "title": S(), "status": I32(), "detail": S(), "errors": {"type": "object", "additionalProperties": arr(S())}}},
    "LoginRequest": obj({"code": S(maxLength=128, description="the code from wx.login")}, ["code"]),
    "LoginResponse": obj({"token": S(), "expiresIn": I32(), "isNewMember": B}),
    "PhoneRequest": obj({"code": S(maxLength=128, description="the code from the getPhoneNumber button")}, ["code"]),
    "PhoneResponse": obj({"maskedPhoneNumber": S(), "countryCode": S(nullable=True)}),
    "Sku": {"type": "object", "properties": {"id": S(), "name": S(), "price": fen("price"), "onSale": B, "imageUrl": S(nullable=True)}},
    "Product": {"type": "object", "properties": {"id": S(), "name": S(), "description": S(nullable=True), "imageUrl": S(nullable=True), "onSale": B, "skus": arr(ref("Sku"))}},
    "ProductList": obj({"products": arr(ref("Product"))}),
    "ImportCatalogRequest": obj({"products": arr(obj({
        "id": S(), "name": S(), "description": S(), "imageUrl": S(format="uri"), "onSale": B,
        "skus": arr(obj({"id": S(), "name": S(), "price": fen("price"), "stock": I32(minimum=0), "onSale": B, "imageUrl": S(format="uri"), "stockShards": I32(minimum=1, maximum=16)}, ["id", "name", "price", "stock"]))},
        ["id", "name", "skus"]))}, ["products"]),
    "Address": obj({"userName": S(), "telNumber": S(), "provinceName": S(), "cityName": S(), "countyName": S(), "detailInfo": S(), "postalCode": S(nullable=True)},
                   ["userName", "telNumber", "provinceName", "cityName", "countyName", "detailInfo"]),
    "PlaceOrderRequest": obj({
        "items": arr(obj({"skuId": S(), "quantity": I32(minimum=1, maximum=99)}, ["skuId", "quantity"])),
        "couponId": S(nullable=True), "pointsToUse": I(minimum=1, nullable=True, description="points to spend; at most Loyalty:MaxShareOfOrderPercent of the amount"),
        "address": ref("Address"), "remark": S(maxLength=200, nullable=True)}, ["items", "address"]),
    "Amounts": {"type": "object", "properties": {"subtotal": fen("subtotal"), "discount": fen("coupon and points"), "payable": fen("to pay"), "pointsUsed": I()}},
    "Payment": {"type": "object", "description": "the wx.requestPayment parameters", "properties": {
        "timeStamp": S(), "nonceStr": S(), "package": S(), "signType": S(enum=["RSA"]), "paySign": S()}},
    "PlaceOrderResponse": {"type": "object", "properties": {"orderNo": S(), "status": S(), "amounts": ref("Amounts"), "expiresAt": DT, "payment": ref("Payment")}},
    "Order": {"type": "object", "properties": {"orderNo": S(), "status": S(enum=["pendingPayment", "paid", "closed", "cancelled", "refunded", "partiallyRefunded",
            "partiallyShipped", "shipped", "received", "completed"]),
        "amounts": ref("Amounts"), "lines": arr({"type": "object", "properties": {"skuId": S(), "productId": S(), "name": S(), "unitPrice": I(), "quantity": I32(), "total": I()}}),
        "address": ref("Address"), "remark": S(nullable=True), "couponId": S(nullable=True), "createdAt": DT, "expiresAt": DT,
        "paidAt": {**DT, "nullable": True}, "closedAt": {**DT, "nullable": True}, "refundedAmount": fen("refunded so far"),
        "fulfilment": {**ref("Fulfilment"), "nullable": True}}},
    "Fulfilment": {"type": "object", "description": "what shipped, and WeChat's shipping-management upload", "properties": {
        "logisticsType": S(enum=["express", "localDelivery", "virtual", "pickup"], nullable=True),
        "packages": arr({"type": "object", "properties": {"packageId": S(), "expressCompany": S(nullable=True), "trackingNo": S(nullable=True),
            "items": arr({"type": "object", "properties": {"skuId": S(), "quantity": I32()}}), "shippedAt": DT}}),
        "lastShippedAt": {**DT, "nullable": True}, "receivedAt": {**DT, "nullable": True}, "receiptSource": S(enum=["buyer", "weChat", "autoConfirm"], nullable=True),
        "completedAt": {**DT, "nullable": True},
        "upload": {"type": "object", "nullable": True, "properties": {"state": S(enum=["pending", "uploaded", "notManaged", "notRequired", "failed"]),
            "deliveryMode": S(enum=["unified", "split"], nullable=True), "uploadedPackages": arr(S()), "complete": B, "attempts": I32(),
            "lastErrorCode": I32(nullable=True), "lastErrorMessage": S(nullable=True), "lastAttemptAt": {**DT, "nullable": True}}}}},
    "ShipRequest": obj({"logisticsType": S(enum=["express", "localDelivery", "virtual", "pickup"]),
        "packages": arr(obj({"expressCompany": S(maxLength=64, description="a delivery_id from WeChat's get_delivery_list; express only"),
            "trackingNo": S(maxLength=128, pattern="^[0-9A-Za-z-]{1,128}$", description="express only"),
            "items": arr(obj({"skuId": S(), "quantity": I32(minimum=1, maximum=9999)}, ["skuId", "quantity"]))}, ["items"]))}, ["logisticsType", "packages"]),
    "OperatorOrder": {"type": "object", "properties": {"order": ref("Order"), "openId": S(), "paidAmount": I(), "refundedAmount": I(), "transactionId": S(nullable=True),
        "refunds": arr({"type": "object", "properties": {"outRefundNo": S(), "amount": I(), "status": S(), "requestedAt": DT}}), "fulfilment": ref("Fulfilment")}},
    "OperatorOrderList": {"type": "object", "properties": {"orders": arr(ref("OperatorOrder")), "continuationToken": S(nullable=True)}},
    "ShipmentImport": {"type": "object", "properties": {"lines": I32(), "shipped": I32(), "unchanged": I32(), "refused": I32(), "invalid": I32(),
        "results": arr({"type": "object", "properties": {"line": I32(), "orderNo": S(nullable=True), "outcome": S(enum=["shipped", "unchanged", "refused", "invalid"]),
            "message": S(nullable=True), "packageId": S(nullable=True)}})}},
    "AfterSaleRequest": obj({"type": S(enum=["refund", "return"]), "lines": arr(obj({"skuId": S(), "quantity": I32(minimum=1, maximum=9999)}, ["skuId", "quantity"])),
        "amount": I(minimum=1, nullable=True, description="fen; by default the lines' share of what was paid"), "reason": S(maxLength=80),
        "description": S(maxLength=500, nullable=True), "imageUrls": arr(S(format="uri"))}, ["type", "reason"]),
    "AfterSale": {"type": "object", "properties": {"afterSaleId": S(), "orderNo": S(), "type": S(enum=["refund", "return"]),
        "status": S(enum=["requested", "approved", "returnShipped", "returnReceived", "refunding", "refunded", "rejected", "cancelled", "refundAbnormal"]),
        "lines": arr({"type": "object", "properties": {"skuId": S(), "quantity": I32()}}), "requestedAmount": I(), "approvedAmount": I(nullable=True), "reason": S(),
        "description": S(nullable=True), "imageUrls": arr(S()), "returnAddress": S(nullable=True),
        "returnShipment": {"type": "object", "nullable": True, "properties": {"expressCompany": S(), "trackingNo": S(), "shippedAt": DT}}, "restock": {**B, "nullable": True},
        "rejectReason": S(nullable=True), "outRefundNo": S(nullable=True), "refundProblem": S(enum=["abnormal", "closed"], nullable=True),
        "requestedAt": DT, "updatedAt": DT, "closedAt": {**DT, "nullable": True}}},
    "AfterSaleList": {"type": "object", "properties": {"afterSales": arr(ref("AfterSale")), "continuationToken": S(nullable=True)}},
    "ReturnShipmentRequest": obj({"expressCompany": S(maxLength=64), "trackingNo": S(maxLength=128, pattern="^[0-9A-Za-z-]{1,128}$")}, ["expressCompany", "trackingNo"]),
    "ApproveAfterSaleRequest": obj({"amount": I(minimum=1, nullable=True), "returnAddress": S(maxLength=200, nullable=True)}),
    "RejectAfterSaleRequest": obj({"reason": S(maxLength=200)}, ["reason"]),
    "ReceiveReturnRequest": obj({"restock": B}, ["restock"]),
    "RetryRefundRequest": obj({"type": S(enum=["USER_BANK_CARD", "MERCHANT_BANK_CARD"], nullable=True), "bankType": S(nullable=True),
        "bankAccount": S(pattern="^[0-9]{12,24}$", nullable=True), "realName": S(maxLength=50, nullable=True)}),
    "Reconciliation": {"type": "object", "properties": {"day": D, "outcome": S(enum=["compared", "noBill", "hashMismatch", "summaryMismatch"]), "clean": B,
        "billLines": I32(), "storeEntries": I32(), "matched": I32(), "matchedPayments": fen("paid, matched"), "matchedRefunds": fen("refunded, matched"),
        "differences": arr({"type": "object", "properties": {"kind": S(enum=["inBillNotInStore", "inStoreNotInBill", "amountDiffers", "stateDiffers"]),
            "entry": S(enum=["payment", "refund"]), "key": S(), "orderNo": S(), "storeAmount": I(nullable=True), "billAmount": I(nullable=True),
            "storeState": S(nullable=True), "billState": S(nullable=True)}}),
        "billHash": S(nullable=True), "archive": S(nullable=True), "ranAt": DT}},
    "ConfirmReceiptRequest": obj({"status": S(enum=["success", "fail", "cancel"], description="extraData.status from the weappOrderConfirm page"),
        "errorMessage": S(maxLength=200, nullable=True)}, ["status"]),
    "AlertList": {"type": "object", "properties": {"day": D, "alerts": arr({"type": "object", "properties": {"id": S(), "kind": S(enum=["remindShipping", "remindAccessApi", "shippingUploadFailed"]),
        "message": S(), "orderNo": S(nullable=True), "at": DT}})}},
    "OrderList": {"type": "object", "properties": {"orders": arr(ref("Order")), "continuationToken": S(nullable=True)}},
    "RefundRequest": obj({"amount": I(minimum=1, nullable=True, description="fen; omit for a full refund"), "reason": S(maxLength=80)}, ["reason"]),
    "Refund": {"type": "object", "properties": {"orderNo": S(), "outRefundNo": S(), "amount": I(), "status": S(), "refundedAmount": I(), "orderStatus": S()}},
    "CampaignRequest": obj({"id": S(nullable=True), "name": S(), "type": S(enum=["fixed", "percent", "threshold"]), "amountOff": I(), "percentOff": I32(minimum=1, maximum=99),
        "maxDiscount": I(), "minSpend": I(), "scope": obj({"skuIds": arr(S()), "productIds": arr(S())}), "validFrom": DT, "validTo": DT, "validDays": I32(minimum=1, maximum=3650),
        "claimFrom": DT, "claimTo": DT, "totalStock": I32(minimum=1), "perMemberLimit": I32(minimum=1, maximum=100),
        "issueOn": S(enum=["claim", "welcome", "scan", "postPurchase", "code"])}, ["name", "type", "totalStock", "perMemberLimit", "issueOn"]),
    "Campaign": {"type": "object", "properties": {"id": S(), "name": S(), "issueOn": S(), "type": S(), "amountOff": I(), "percentOff": I32(), "maxDiscount": I(), "minSpend": I(),
        "skuIds": arr(S()), "productIds": arr(S()), "validFrom": {**DT, "nullable": True}, "validTo": {**DT, "nullable": True}, "validDays": I32(nullable=True),
        "claimFrom": {**DT, "nullable": True}, "claimTo": {**DT, "nullable": True}, "totalStock": I32(), "perMemberLimit": I32(), "claimed": I32(), "paused": B}},
    "CampaignList": obj({"campaigns": arr(ref("Campaign"))}),
    "CodesRequest": obj({"count": I32(minimum=1, maximum=1000)}, ["count"]),
    "Codes": obj({"campaignId": S(), "codes": arr(S())}),
    "RedeemRequest": obj({"code": S(maxLength=80)}, ["code"]),
    "Coupon": {"type": "object", "properties": {"couponId": S(), "campaignId": S(), "name": S(), "type": S(), "amountOff": I(), "percentOff": I32(), "maxDiscount": I(), "minSpend": I(),
        "skuIds": arr(S()), "productIds": arr(S()), "validFrom": DT, "validTo": DT, "state": S(), "orderNo": S(nullable=True)}},
    "Wallet": {"type": "object", "properties": {k: arr(ref("Coupon")) for k in ["available", "reserved", "used", "expired"]}},
    "QrCodeRequest": obj({"scene": S(maxLength=32, pattern="^[0-9A-Za-z!$'()*+,:;=@._~-]{1,32}$", nullable=True),
        "name": S(maxLength=60), "channel": S(enum=["packaging", "shelf", "kol", "live", "staff", "event", "ad", "share", "other"]), "source": S(maxLength=100),
        "page": S(maxLength=200, description="a page path without a leading '/' or a query"), "couponCampaignId": S(nullable=True), "staffId": S(nullable=True),
        "checkPath": B, "envVersion": S(enum=["release", "trial", "develop"]), "width": I32(minimum=280, maximum=1280)}, ["name", "channel", "page"]),
    "QrCode": {"type": "object", "properties": {"sceneId": S(), "name": S(), "channel": S(), "source": S(), "page": S(), "couponCampaignId": S(nullable=True),
        "staffId": S(nullable=True), "createdAt": DT, "imageUrl": S()}},
    "QrCodeList": obj({"qrcodes": arr(ref("QrCode"))}),
    "ScanRequest": obj({"scene": S(maxLength=128, description="query.scene as the page received it (URL-encoded by WeChat, or decoded)"),
        "entryScene": I32(minimum=1000, maximum=9999, description="the launch scene: 1047 scan, 1048 long-press, 1049 from the album"), "path": S(maxLength=512, nullable=True)}, ["scene", "entryScene"]),
    "Touch": {"type": "object", "properties": {"sceneId": S(), "channel": S(), "source": S(), "staffId": S(nullable=True), "entryScene": I32(), "at": DT}},
    "Scan": {"type": "object", "properties": {"known": B, "sceneId": S(nullable=True), "channel": S(nullable=True), "page": S(nullable=True),
        "firstTouch": {**ref("Touch"), "nullable": True}, "lastTouch": {**ref("Touch"), "nullable": True}}},
    "AttributionReport": {"type": "object", "properties": {"from": D, "to": D, "groupBy": S(enum=["channel", "qrcode", "contactWay", "followCode", "staff"]), "rows": arr({"type": "object", "properties": {
        "key": S(), "channel": S(), "scans": I(), "uniqueVisitors": I(), "newMembers": I(), "orders": I(), "paidOrders": I(), "paidGmv": fen("paid GMV"),
        "conversionRate": {"type": "number", "description": "paid orders per person reached (unique visitors plus WeCom adds)"},
        "wecomAdds": I(description="contacts added through WeCom contact-me codes"), "wecomLost": I(description="WeCom relations lost (deleted by either side)"),
        "follows": I(description="Official Account follows through follow codes"), "unfollows": I(description="Official Account unfollows")}})}},
    "FollowCodeRequest": obj({"name": S(maxLength=60), "channel": S(enum=["packaging", "shelf", "kol", "live", "staff", "event", "ad", "share", "other"]),
        "permanent": B, "expireSeconds": I32(minimum=60, maximum=2592000, nullable=True, description="temporary codes only; 30 days when left out"),
        "couponCampaignId": S(nullable=True, description="a campaign issued by a channel (issueOn: scan), once per follower")}, ["name", "channel"]),
    "FollowCode": {"type": "object", "properties": {"sceneStr": S(description="at most 64 characters; WeChat returns it as EventKey qrscene_{sceneStr}"), "name": S(), "channel": S(),
        "permanent": B, "couponCampaignId": S(nullable=True), "ticket": S(), "url": S(), "imageUrl": S(), "createdAt": DT, "expiresAt": {**DT, "nullable": True}}},
    "FollowCodeList": obj({"followCodes": arr(ref("FollowCode"))}),
    "ContactWayRequest": obj({"name": S(maxLength=60), "channel": S(enum=["packaging", "shelf", "kol", "live", "staff", "event", "ad", "share", "other"]),
        "staffUserIds": arr(S(maxLength=64)), "couponCampaignId": S(nullable=True, description="a campaign issued by a channel (issueOn: scan), once per contact"),
        "welcome": obj({"text": S(description="at most 4000 UTF-8 bytes"), "miniProgramTitle": S(nullable=True, description="at most 64 UTF-8 bytes"),
            "miniProgramPage": S(nullable=True)}, ["text"]), "skipVerify": B}, ["name", "channel", "staffUserIds", "welcome"]),
    "ContactWay": {"type": "object", "properties": {"state": S(description="at most 30 characters; WeCom returns it in the add event"), "name": S(), "channel": S(),
        "staffUserIds": arr(S()), "couponCampaignId": S(nullable=True), "welcomeText": S(), "miniProgramTitle": S(nullable=True), "miniProgramPage": S(nullable=True),
        "skipVerify": B, "status": S(enum=["pending", "active", "deleted"]), "configId": S(nullable=True), "qrCode": S(nullable=True), "createdAt": DT, "deletedAt": {**DT, "nullable": True}}},
    "ContactWayList": obj({"contactWays": arr(ref("ContactWay"))}),
    "SegmentRule": obj({"fact": S(enum=["joinedAt", "acquisitionChannel", "acquisitionCode", "tier", "pointsBalance", "unusedCoupons", "paidOrderCount", "firstPaidAt",
        "lastPaidAt", "spend12m", "province", "wecomLinked", "wecomStaff", "oaFollower", "stage"]), "op": S(enum=["eq", "ne", "gte", "lte", "in", "withinDays"]),
        "value": {"description": "a number, text, true/false, a date (yyyy-MM-dd), a list (in), or days (withinDays)"}}, ["fact", "op", "value"]),
    "SegmentRequest": obj({"name": S(maxLength=60), "rules": arr(ref("SegmentRule"))}, ["name", "rules"]),
    "Segment": {"type": "object", "properties": {"id": S(), "name": S(), "rules": arr({"type": "object"}), "createdAt": DT, "size": I(), "backfilled": B,
        "history": arr({"type": "object", "properties": {"day": D, "size": I()}})}},
    "SegmentMembers": obj({"members": arr(S()), "continuationToken": S(nullable=True)}),
    "FlowAction": obj({"type": S(enum=["wecomMessage", "subscribeMessage", "coupon"]), "text": S(nullable=True), "miniProgramTitle": S(nullable=True),
        "miniProgramPage": S(nullable=True), "templateId": S(nullable=True), "page": S(nullable=True), "data": {"type": "object", "additionalProperties": S()},
        "couponCampaignId": S(nullable=True)}, ["type"]),
    "FlowRequest": obj({"name": S(maxLength=60), "trigger": S(enum=["wecomAdded", "joined", "firstPurchase", "enteredSegment"]), "segmentId": S(nullable=True),
        "steps": arr(obj({"afterHours": I32(minimum=0, maximum=8784), "action": ref("FlowAction")}, ["afterHours", "action"])),
        "stopWhen": arr(S(enum=["purchased", "contactLost", "leftSegment"]))}, ["name", "trigger", "steps"]),
    "Flow": {"type": "object", "properties": {"id": S(), "name": S(), "trigger": S(), "segmentId": S(nullable=True), "steps": arr({"type": "object"}), "stopWhen": arr(S()),
        "createdAt": DT, "entered": I(), "running": I(), "stopped": {"type": "object", "additionalProperties": I()}, "finished": I(), "purchasedWithin7Days": I(),
        "purchasedGmv": fen("paid within 7 days of entering")}},
    "BroadcastRequest": obj({"segmentId": S(), "text": S(description="at most 4000 UTF-8 bytes"), "miniProgram": obj({"title": S(), "page": S()}, ["title", "page"]),
        "couponCampaignId": S(nullable=True)}, ["segmentId", "text"]),
    "Broadcast": {"type": "object", "properties": {"id": S(), "segmentId": S(), "text": S(), "createdAt": DT, "stage": S(enum=["selecting", "sending"]), "targeted": I(),
        "skipped": {"type": "object", "additionalProperties": I()}, "sent": I(), "notFriend": I(), "alreadyReceived": I(), "unconfirmed": I(),
        "purchasedWithin7Days": I(), "purchasedGmv": fen("paid within 7 days of the broadcast"), "tasks": arr({"type": "object"})}},
    "GroupBuyRequest": obj({"skuId": S(), "groupPrice": I(minimum=1, description="the price per unit in a team (fen), below the SKU's"), "teamSize": I32(minimum=2, maximum=10),
        "teamHours": I32(minimum=1, maximum=72), "startsAt": DT, "endsAt": DT, "perMemberLimit": I32(minimum=1, maximum=99),
        "stock": I32(minimum=2, maximum=1000000, nullable=True, description="units at the group price; each team reserves its seats when it opens")},
        ["skuId", "groupPrice", "teamSize", "teamHours", "startsAt", "endsAt", "perMemberLimit"]),
    "GroupBuy": {"type": "object", "properties": {"id": S(), "skuId": S(), "groupPrice": I(), "teamSize": I32(), "teamHours": I32(), "startsAt": DT, "endsAt": DT,
        "perMemberLimit": I32(), "stock": I32(nullable=True)}},
    "TeamSeatRequest": obj({"address": ref("Address")}, ["address"]),
    "TeamSeatResponse": {"type": "object", "description": "the order placed for the seat, with its team", "properties": {"teamId": S(), "orderNo": S(), "status": S(),
        "amounts": ref("Amounts"), "expiresAt": DT, "payment": ref("Payment")}},
    "Team": {"type": "object", "properties": {"teamId": S(), "groupBuyId": S(), "skuId": S(), "groupPrice": I(), "teamSize": I32(), "seatsTaken": I32(), "paidSeats": I32(),
        "seatsLeft": I32(), "status": S(enum=["open", "won", "failed"]), "deadline": DT, "secondsLeft": I(),
        "members": arr({"type": "object", "properties": {"label": S(description="a seat number, never who"), "leader": B, "paid": B}})}},
    "TeamForOperator": {"type": "object", "properties": {"team": ref("Team"), "freed": I32(), "settled": B,
        "seats": arr({"type": "object", "properties": {"orderNo": S(), "state": S(enum=["held", "paid"]), "heldAt": DT, "paidAt": {**DT, "nullable": True},
            "refund": S(enum=["none", "pending", "succeeded"])}})}},
    "ReferralCode": {"type": "object", "properties": {"scene": S(description="rf_ and 16 characters: a wxacode scene and a WeCom state"), "path": S(description="the card's path")}},
    "ReferralContact": {"type": "object", "properties": {"scene": S(), "qrCode": S(description="the contact-me QR's URL at WeCom")}},
    "Referrals": {"type": "object", "properties": {"scene": S(nullable=True), "pending": I32(), "earned": I32(), "clawedBack": I32(),
        "referred": arr({"type": "object", "properties": {"member": S(description="masked"), "boundAt": DT, "via": S(enum=["scan", "card", "wecom"]),
            "reward": S(enum=["pending", "earned", "clawedBack"]), "points": I(), "coupon": B}})}},
    "SegmentSummaries": obj({"items": arr({"type": "object", "properties": {"id": S(), "name": S(), "rules": I32(), "createdAt": DT}})}),
    "FlowSummaries": obj({"items": arr({"type": "object", "properties": {"id": S(), "name": S(), "trigger": S(), "steps": I32(), "createdAt": DT}})}),
    "BroadcastSummaries": obj({"items": arr({"type": "object", "properties": {"id": S(), "segmentId": S(), "text": S(), "createdAt": DT}})}),
    "CampaignSummaries": obj({"items": arr(ref("Campaign"))}),
    "DueRun": arr({"type": "object", "properties": {"day": D, "members": I32()}}),
    "Points": {"type": "object", "properties": {"balance": I(), "available": I(), "tier": S(), "rollingSpend": fen("paid over the last 12 months"),
        "expiringWithin30Days": arr({"type": "object", "properties": {"points": I(), "expiresOn": D, "source": S()}}),
        "ledger": arr({"type": "object", "properties": {"kind": S(enum=["earn", "spend", "release", "expire", "clawback"]), "delta": I(), "balanceAfter": I(), "reference": S(), "at": DT}}),
        "continuationToken": S(nullable=True)}},
    "ExpiryRun": {"type": "object", "properties": {"day": D, "lots": I32(), "members": I32(), "messages": I32()}},
    "ImportResult": obj({"imported": I32(), "skus": I32()}),
    "Health": {"type": "object", "properties": {"status": S(enum=["healthy", "unhealthy"]), "version": S(), "checks": {"type": "object", "properties": {"storage": S()}}}},
}

def problems(*codes):
    text = {"400": "malformed or invalid", "401": "missing, expired or forged credentials", "403": "forbidden", "404": "not found", "409": "conflict",
            "413": "body over 64 KiB", "429": "too many requests (Retry-After)", "503": "storage or WeChat unavailable (Retry-After)"}
    return {c: {"description": text[c], "content": {"application/problem+json": {"schema": ref("Problem")}}} for c in codes}

def op(summary, tag, security, ok_code="200", ok=None, body=None, params=(), errors=("400", "401", "503"), ok_content="application/json"):
    o = {"summary": summary, "tags": [tag], "responses": {}}
    if ok is None: o["responses"][ok_code] = {"description": "done"}
    else: o["responses"][ok_code] = {"description": "done", "content": {ok_content: {"schema": ok if ok_content == "application/json" else ok}}}
    o["responses"].update(problems(*errors))
    if body: o["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body)}}}; o["responses"].update(problems("413"))
    if params: o["parameters"] = list(params)
    o["security"] = ([{"session": []}] if security == "member" else [{"functionKey": []}] if security == "operator" else [{"wechatPaySignature": []}] if security == "wechatpay"
                     else [{"wechatPushSignature": []}] if security == "wechatpush" else [])
    return o

def path_param(name): return {"name": name, "in": "path", "required": True, "schema": S()}
def query(name, schema, desc=""): return {"name": name, "in": "query", "required": False, "schema": schema, "description": desc}
idem = {"name": "Idempotency-Key", "in": "header", "required": False, "schema": S(maxLength=64), "description": "a retry with the same key gets the first answer"}

paths = {
    "/api/health": {"get": op("Liveness and storage reachability (503, same body, when storage is unreachable)", "Health", None, ok=ref("Health"), errors=())},
    "/api/openapi.json": {"get": op("This document", "Health", None, ok={"type": "object"}, errors=())},
    "/api/auth/login": {"post": op("Exchange a wx.login code for a session token", "Members", None, ok=ref("LoginResponse"), body="LoginRequest", errors=("400", "401", "429", "503"))},
    "/api/auth/phone": {"post": op("Bind the member's phone number (getPhoneNumber code)", "Members", "member", ok=ref("PhoneResponse"), body="PhoneRequest", errors=("400", "401", "503"))},
    "/api/catalog/products": {"get": op("Products on sale", "Catalog", None, ok=ref("ProductList"), errors=("503",))},
    "/api/catalog/products/{productId}": {"get": op("One product", "Catalog", None, ok=ref("Product"), params=[path_param("productId")], errors=("404", "503"))},
    "/api/orders": {
        "post": op("Place an order: server-side prices, stock held, WeChat Pay prepay", "Orders", "member", ok_code="201", ok=ref("PlaceOrderResponse"), body="PlaceOrderRequest", params=[idem], errors=("400", "401", "409", "503")),
        "get": op("The member's orders, newest first", "Orders", "member", ok=ref("OrderList"), params=[query("continuationToken", S()), query("pageSize", I32(minimum=1, maximum=50))], errors=("400", "401", "503"))},
    "/api/orders/{orderNo}": {"get": op("One of the member's orders", "Orders", "member", ok=ref("Order"), params=[path_param("orderNo")], errors=("401", "404", "503"))},
    "/api/orders/{orderNo}/cancel": {"post": op("Cancel an unpaid order", "Orders", "member", ok=ref("Order"), params=[path_param("orderNo")], errors=("401", "404", "409", "503"))},
    "/api/pay/notify": {"post": op("WeChat Pay payment notification (signed, encrypted)", "WeChat Pay", "wechatpay", ok_code="204", errors=("400", "401", "503"))},
    "/api/pay/refund-notify": {"post": op("WeChat Pay refund notification (signed, encrypted)", "WeChat Pay", "wechatpay", ok_code="204", errors=("400", "401", "503"))},
    "/api/coupons/campaigns": {"get": op("Campaigns claimable by hand now", "Coupons", "member", ok=ref("CampaignList"), errors=("401", "503"))},
    "/api/coupons/campaigns/{campaignId}/claim": {"post": op("Claim a coupon", "Coupons", "member", ok_code="201", ok=ref("Coupon"), params=[path_param("campaignId")], errors=("401", "403", "404", "409", "503"))},
    "/api/coupons/redeem-code": {"post": op("Redeem an exchange code", "Coupons", "member", ok_code="201", ok=ref("Coupon"), body="RedeemRequest", errors=("400", "401", "404", "409", "503"))},
    "/api/me/coupons": {"get": op("The member's wallet", "Coupons", "member", ok=ref("Wallet"), errors=("401", "503"))},
    "/api/me/points": {"get": op("Balance, tier, points expiring soon, and the ledger", "Loyalty", "member", ok=ref("Points"),
        params=[query("pageSize", I32(minimum=1, maximum=100)), query("continuationToken", S())], errors=("400", "401", "503"))},
    "/api/scans": {"post": op("Record a QR-code scan as a touch on the member", "Attribution", "member", ok=ref("Scan"), body="ScanRequest", errors=("400", "401", "503"))},
    "/api/manage/catalog": {"post": op("Import products, SKUs, prices and stock", "Operators", "operator", ok=ref("ImportResult"), body="ImportCatalogRequest", errors=("400", "401", "503"))},
    "/api/manage/coupons/campaigns": {"get": op("Every campaign, newest first", "Operators", "operator", ok=ref("CampaignSummaries"), errors=("401", "403", "503")), "post": op("Create a coupon campaign", "Operators", "operator", ok_code="201", ok=ref("Campaign"), body="CampaignRequest", errors=("400", "401", "409", "503"))},
    "/api/manage/coupons/campaigns/{campaignId}": {"get": op("A campaign with its claimed total", "Operators", "operator", ok=ref("Campaign"), params=[path_param("campaignId")], errors=("401", "404", "503"))},
    "/api/manage/coupons/campaigns/{campaignId}/pause": {"post": op("Pause claims", "Operators", "operator", ok=ref("Campaign"), params=[path_param("campaignId")], errors=("401", "404", "503"))},
    "/api/manage/coupons/campaigns/{campaignId}/resume": {"post": op("Resume claims", "Operators", "operator", ok=ref("Campaign"), params=[path_param("campaignId")], errors=("401", "404", "503"))},
    "/api/manage/coupons/campaigns/{campaignId}/codes": {"post": op("Generate single-use exchange codes", "Operators", "operator", ok_code="201", ok=ref("Codes"), body="CodesRequest", params=[path_param("campaignId")], errors=("400", "401", "404", "503"))},
    "/api/manage/orders/{orderNo}/refunds": {"post": op("Refund an order, fully or in part", "Operators", "operator", ok=ref("Refund"), body="RefundRequest", params=[path_param("orderNo"), idem], errors=("400", "401", "404", "409", "503"))},
    "/api/manage/qrcodes": {
        "post": op("Create a channel QR code (image from getwxacodeunlimit)", "Operators", "operator", ok_code="201", ok=ref("QrCode"), body="QrCodeRequest", errors=("400", "401", "409", "429", "503")),
        "get": op("Every QR code", "Operators", "operator", ok=ref("QrCodeList"), errors=("401", "503"))},
    "/api/manage/qrcodes/{sceneId}.png": {"get": op("A QR code's image", "Operators", "operator", ok={"type": "string", "format": "binary"}, ok_content="image/png", params=[path_param("sceneId")], errors=("401", "404", "503"))},
    "/api/manage/reports/attribution": {"get": op("The channel report (JSON, or CSV with Accept: text/csv)", "Operators", "operator", ok=ref("AttributionReport"),
        params=[query("from", D, "first Shanghai day"), query("to", D, "last Shanghai day"), query("groupBy", S(enum=["channel", "qrcode", "contactWay", "followCode", "referrer", "staff"]))], errors=("400", "401", "503"))},
    "/api/manage/follow-codes": {
        "post": op("Create an Official Account follow code for a channel (qrcode/create)", "Operators", "operator", ok_code="201", ok=ref("FollowCode"), body="FollowCodeRequest",
            errors=("400", "401", "409", "503")),
        "get": op("Every follow code", "Operators", "operator", ok=ref("FollowCodeList"), errors=("401", "503"))},
    "/api/wechat/official-account/push": {
        "get": op("The Official Account's URL check: echostr back when the signature holds", "WeChat", "wechatpush", ok={"type": "string"}, ok_content="text/plain",
            params=[query("signature", S()), query("timestamp", S()), query("nonce", S()), query("echostr", S())], errors=("400", "401", "503")),
        "post": op("An Official Account push (safe mode, XML): verified, decrypted, queued, answered success", "WeChat", "wechatpush", ok={"type": "string"}, ok_content="text/plain",
            params=[query("signature", S()), query("timestamp", S()), query("nonce", S()), query("openid", S()), query("encrypt_type", S(enum=["aes"])), query("msg_signature", S())],
            errors=("400", "401", "403", "413", "503"))},
    "/api/manage/contact-ways": {
        "post": op("Create a WeCom contact-me code for a channel (add_contact_way)", "Operators", "operator", ok_code="201", ok=ref("ContactWay"), body="ContactWayRequest",
            params=[idem], errors=("400", "401", "409", "503")),
        "get": op("Every WeCom contact-me code", "Operators", "operator", ok=ref("ContactWayList"), errors=("401", "503"))},
    "/api/manage/contact-ways/{state}": {"delete": op("Delete a contact-me code at WeCom, then here (its adds stay counted)", "Operators", "operator", ok=ref("ContactWay"),
        params=[path_param("state")], errors=("400", "401", "404", "409", "503"))},
    "/api/manage/console/{*path}": {"get": op("The operator console's files (the page, its scripts and styles, the pinned ECharts), gzip when accepted; they hold no data",
        "Console", None, ok={"type": "string"}, ok_content="text/html", params=[path_param("*path")], errors=("404",))},
    "/api/manage/group-buys": {"post": op("Set up a group-buy (拼团) of one SKU", "Operators", "operator", ok_code="201", ok=ref("GroupBuy"), body="GroupBuyRequest", errors=("400", "401", "409", "503"))},
    "/api/group-buys/{id}": {"get": op("A group-buy's terms", "Group-buy", None, ok=ref("GroupBuy"), params=[path_param("id")], errors=("404", "503"))},
    "/api/group-buys/{id}/teams": {"post": op("Open a team: the member's order at the group price, its first seat", "Group-buy", "member", ok_code="201", ok=ref("TeamSeatResponse"),
        body="TeamSeatRequest", params=[path_param("id"), idem], errors=("400", "401", "404", "409", "503"))},
    "/api/teams/{teamId}": {"get": op("A team for its share card: seats, time left, members masked", "Group-buy", None, ok=ref("Team"), params=[path_param("teamId")], errors=("404", "503"))},
    "/api/teams/{teamId}/join": {"post": op("Join a team: a seat and its order at the group price (409 when full, closed or past its time)", "Group-buy", "member", ok_code="201",
        ok=ref("TeamSeatResponse"), body="TeamSeatRequest", params=[path_param("teamId"), idem], errors=("400", "401", "404", "409", "503"))},
    "/api/manage/teams/{teamId}": {"get": op("A team's seats, orders and refunds", "Operators", "operator", ok=ref("TeamForOperator"), params=[path_param("teamId")], errors=("401", "404", "503"))},
    "/api/me/referral-code": {"post": op("The member's share scene and card path (made once)", "Referral", "member", ok=ref("ReferralCode"), errors=("401", "503"))},
    "/api/me/referral-code/wecom": {"post": op("The member's own WeCom contact-me QR, whose state is their share scene (made once)", "Referral", "member", ok=ref("ReferralContact"),
        errors=("401", "409", "503"))},
    "/api/me/referrals": {"get": op("The members the member brought (masked) and their rewards", "Referral", "member", ok=ref("Referrals"), errors=("401", "503"))},
    "/api/manage/segments": {"get": op("Every segment, newest first", "Operators", "operator", ok=ref("SegmentSummaries"), errors=("401", "403", "503")), "post": op("Create a segment (the AND of its rules); back-filled in the background", "Operators", "operator", ok_code="201", ok=ref("Segment"),
        body="SegmentRequest", errors=("400", "401", "503"))},
    "/api/manage/segments/due": {"post": op("Run the daily facts look now (members whose facts change with time alone) and record segment sizes", "Operators", "operator",
        ok=ref("DueRun"), errors=("401", "503"))},
    "/api/manage/segments/{id}": {"get": op("A segment: its size, back-fill and daily sizes", "Operators", "operator", ok=ref("Segment"), params=[path_param("id")], errors=("401", "404", "503"))},
    "/api/manage/segments/{id}/members": {"get": op("A page of a segment's members (one partition's range read)", "Operators", "operator", ok=ref("SegmentMembers"),
        params=[path_param("id"), query("pageSize", I32(minimum=1, maximum=1000)), query("continuationToken", S())], errors=("400", "401", "404", "503"))},
    "/api/manage/flows": {"get": op("Every flow, newest first", "Operators", "operator", ok=ref("FlowSummaries"), errors=("401", "403", "503")), "post": op("Create a lifecycle flow", "Operators", "operator", ok_code="201", ok=ref("Flow"), body="FlowRequest", errors=("400", "401", "404", "503"))},
    "/api/manage/flows/{id}": {"get": op("A flow and its funnel", "Operators", "operator", ok=ref("Flow"), params=[path_param("id")], errors=("401", "404", "503"))},
    "/api/manage/broadcasts": {"get": op("The broadcasts of the last 92 days, newest first", "Operators", "operator", ok=ref("BroadcastSummaries"), errors=("401", "403", "503")), "post": op("Broadcast to a segment through WeCom (add_msg_template per staff member); a repeat with the same Idempotency-Key sends nothing again",
        "Operators", "operator", ok_code="202", ok=ref("Broadcast"), body="BroadcastRequest", params=[idem], errors=("400", "401", "404", "409", "503"))},
    "/api/manage/broadcasts/{id}": {"get": op("A broadcast's report: targeted, skipped by reason, sent, purchases within 7 days", "Operators", "operator", ok=ref("Broadcast"),
        params=[path_param("id"), query("skipped", B)], errors=("401", "404", "503"))},
    "/api/wecom/callback": {
        "get": op("The WeCom callback URL check: the decrypted echostr back", "WeCom", "wechatpush", ok={"type": "string"}, ok_content="text/plain",
            params=[query("msg_signature", S()), query("timestamp", S()), query("nonce", S()), query("echostr", S())], errors=("400", "401", "403", "503")),
        "post": op("A WeCom callback event (encrypted XML): verified, decrypted, queued, answered with an empty 200", "WeCom", "wechatpush", ok={"type": "string"}, ok_content="text/plain",
            params=[query("msg_signature", S()), query("timestamp", S()), query("nonce", S())], errors=("400", "401", "403", "413", "503"))},
    "/api/orders/{orderNo}/confirm-receipt": {"post": op("Confirm receipt after WeChat's confirm-receipt page (checked with get_order; once)", "Orders", "member", ok=ref("Order"),
        body="ConfirmReceiptRequest", params=[path_param("orderNo")], errors=("400", "401", "404", "409", "503"))},
    "/api/manage/orders": {"get": op("Operators' work list: orders to ship, shipped, received, or whose WeChat upload failed", "Operators", "operator", ok=ref("OperatorOrderList"),
        params=[{**query("status", S(enum=["toShip", "shipped", "received", "uploadFailed"])), "required": True}, query("pageSize", I32(minimum=1, maximum=100)), query("continuationToken", S())],
        errors=("400", "401", "503"))},
    "/api/manage/orders/{orderNo}": {"get": op("An order with its member, refunds, packages and WeChat upload", "Operators", "operator", ok=ref("OperatorOrder"), params=[path_param("orderNo")], errors=("401", "404", "503"))},
    "/api/manage/orders/{orderNo}/shipments": {"post": op("Ship packages (split express up to 15 in all); WeChat's shipping upload follows", "Operators", "operator", ok=ref("OperatorOrder"),
        body="ShipRequest", params=[path_param("orderNo"), {**idem, "required": True}], errors=("400", "401", "404", "409", "503"))},
    "/api/manage/shipments/import": {"post": op("Import a warehouse's shipments: text/csv orderNo,expressCompany,trackingNo[,skuId,quantity]; answers per line", "Operators", "operator",
        ok=ref("ShipmentImport"), errors=("400", "401", "413", "503"))},
    "/api/manage/alerts": {"get": op("What operators must act on, a Shanghai day at a time", "Operators", "operator", ok=ref("AlertList"), params=[query("day", D, "a Shanghai day; today by default")], errors=("400", "401", "503"))},
    "/api/wechat/push": {
        "get": op("The message-push URL check: echostr back when the signature holds", "WeChat", "wechatpush", ok={"type": "string"}, ok_content="text/plain",
            params=[query("signature", S()), query("timestamp", S()), query("nonce", S()), query("echostr", S())], errors=("400", "401", "503")),
        "post": op("A Mini Program message push (safe mode, JSON or XML): verified, decrypted, queued, answered success", "WeChat", "wechatpush", ok={"type": "string"}, ok_content="text/plain",
            params=[query("signature", S()), query("timestamp", S()), query("nonce", S()), query("encrypt_type", S(enum=["aes"])), query("msg_signature", S())],
            errors=("400", "401", "403", "413", "503"))},
    "/api/orders/{orderNo}/after-sales": {"post": op("Ask for a refund or a return (Idempotency-Key required)", "After-sale", "member", ok_code="201", ok=ref("AfterSale"),
        body="AfterSaleRequest", params=[path_param("orderNo"), {**idem, "required": True}], errors=("400", "401", "404", "409", "503"))},
    "/api/me/after-sales": {"get": op("The member's after-sale requests, newest first", "After-sale", "member", ok=ref("AfterSaleList"), errors=("401", "503"))},
    "/api/after-sales/{afterSaleId}": {"get": op("One of the member's after-sale requests", "After-sale", "member", ok=ref("AfterSale"), params=[path_param("afterSaleId")], errors=("401", "404", "503"))},
    "/api/after-sales/{afterSaleId}/cancel": {"post": op("Withdraw a request (before anything is on its way back)", "After-sale", "member", ok=ref("AfterSale"),
        params=[path_param("afterSaleId")], errors=("401", "404", "409", "503"))},
    "/api/after-sales/{afterSaleId}/return-shipment": {"post": op("The approved return is on its way back", "After-sale", "member", ok=ref("AfterSale"),
        body="ReturnShipmentRequest", params=[path_param("afterSaleId")], errors=("400", "401", "404", "409", "503"))},
    "/api/manage/after-sales": {"get": op("After-sale requests in one status, oldest first", "Operators", "operator", ok=ref("AfterSaleList"),
        params=[{**query("status", S(enum=["requested", "approved", "returnShipped", "returnReceived", "refunding", "refunded", "rejected", "cancelled", "refundAbnormal"])), "required": True},
            query("pageSize", I32(minimum=1, maximum=100)), query("continuationToken", S())], errors=("400", "401", "503"))},
    "/api/manage/after-sales/{afterSaleId}": {"get": op("One after-sale request", "Operators", "operator", ok=ref("AfterSale"), params=[path_param("afterSaleId")], errors=("401", "404", "503"))},
    "/api/manage/after-sales/{afterSaleId}/approve": {"post": op("Approve (a refund-only request is refunded at once)", "Operators", "operator", ok=ref("AfterSale"),
        body="ApproveAfterSaleRequest", params=[path_param("afterSaleId")], errors=("400", "401", "404", "409", "429", "503"))},
    "/api/manage/after-sales/{afterSaleId}/reject": {"post": op("Reject, saying why", "Operators", "operator", ok=ref("AfterSale"), body="RejectAfterSaleRequest",
        params=[path_param("afterSaleId")], errors=("400", "401", "404", "409", "503"))},
    "/api/manage/after-sales/{afterSaleId}/receive": {"post": op("The return arrived: restock once if asked, then refund", "Operators", "operator", ok=ref("AfterSale"),
        body="ReceiveReturnRequest", params=[path_param("afterSaleId")], errors=("400", "401", "404", "409", "503"))},
    "/api/manage/after-sales/{afterSaleId}/retry-refund": {"post": op("Retry a stopped refund (ABNORMAL via apply-abnormal-refund; CLOSED under a new out_refund_no)", "Operators",
        "operator", ok=ref("AfterSale"), body="RetryRefundRequest", params=[path_param("afterSaleId")], errors=("400", "401", "404", "409", "503"))},
    "/api/manage/reconciliation/{day}": {"get": op("A day's reconciliation with WeChat Pay's trade bill (JSON, or CSV with Accept: text/csv)", "Operators", "operator",
        ok=ref("Reconciliation"), params=[{**path_param("day"), "schema": D}], errors=("400", "401", "404", "503"))},
    "/api/manage/reconciliation/{day}/run": {"post": op("Reconcile a day now (a re-run writes the same result)", "Operators", "operator", ok=ref("Reconciliation"),
        params=[{**path_param("day"), "schema": D}], errors=("400", "401", "503"))},
    "/api/manage/points/expiry": {"post": op("Run one past day's points expiry now", "Operators", "operator", ok=ref("ExpiryRun"), params=[{**query("day", D), "required": True}], errors=("400", "401", "503"))},
}
paths["/api/health"]["get"]["responses"]["503"] = {"description": "storage unreachable (Retry-After)", "content": {"application/json": {"schema": ref("Health")}}}
paths["/api/manage/reports/attribution"]["get"]["responses"]["200"]["content"]["text/csv"] = {"schema": S()}
paths["/api/manage/reconciliation/{day}"]["get"]["responses"]["200"]["content"]["text/csv"] = {"schema": S()}
paths["/api/manage/reconciliation/{day}/run"]["post"]["responses"]["200"]["content"]["text/csv"] = {"schema": S()}
paths["/api/manage/shipments/import"]["post"]["requestBody"] = {"required": True, "content": {"text/csv": {"schema": S(description="UTF-8, an optional header row, at most 1 MiB and 5000 lines")}}}
paths["/api/manage/shipments/import"]["post"]["responses"]["415"] = {"description": "not text/csv", "content": {"application/problem+json": {"schema": ref("Problem")}}}
paths["/api/wechat/official-account/push"]["post"]["requestBody"] = {"required": True, "content": {"text/xml": {"schema": S(description="<xml><ToUserName/><Encrypt/></xml>")}}}
paths["/api/wecom/callback"]["post"]["requestBody"] = {"required": True, "content": {"text/xml": {"schema": S(description="<xml><ToUserName/><AgentID/><Encrypt/></xml>")}}}
paths["/api/wechat/push"]["post"]["requestBody"] = {"required": True, "content": {
    "application/json": {"schema": obj({"ToUserName": S(), "Encrypt": S()})}, "text/xml": {"schema": S(description="<xml><ToUserName/><Encrypt/></xml>")}}}

doc = {
    "openapi": "3.0.3",
    "info": {"title": "WeStore", "version": "1.0.0", "description": "The backend of a brand's WeChat Mini Program store. Money is in fen; times are UTC; business days are Asia/Shanghai days."},
    "servers": [{"url": "/"}],
    "paths": paths,
    "components": {
        "schemas": schemas,
        "securitySchemes": {
            "session": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "the token from /api/auth/login"},
            "functionKey": {"type": "apiKey", "in": "header", "name": "x-functions-key", "description": "a function or host key"},
            "wechatPaySignature": {"type": "apiKey", "in": "header", "name": "Wechatpay-Signature", "description": "WeChat Pay's RSA signature with Wechatpay-Serial, -Timestamp and -Nonce"},
            "wechatPushSignature": {"type": "apiKey", "in": "query", "name": "msg_signature", "description": "SHA1 over the push Token, timestamp, nonce and ciphertext"},
        },
    },
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "openapi.json"), "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write("\n")
