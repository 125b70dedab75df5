#!/usr/bin/env bash
# The demo journey against a running store: each step says what it did and what came back; the script exits 0
# only if every step did what it should. Usage: infra/local/demo.sh HOST_URL SANDBOX_URL MASTER_KEY
set -uo pipefail
host="${1:-http://127.0.0.1:7071}" sandbox="${2:-http://127.0.0.1:7072}" key="${3:-${Host__MasterKey:-}}"
step=0
ok() { printf '  \033[32m✓\033[0m %s\n' "$*"; }
fail() { printf '  \033[31m✗ %s\033[0m\n' "$*"; exit 1; }
title() { step=$((step + 1)); printf '\n\033[1m%d. %s\033[0m\n' "$step" "$*"; }
# field JSON PATH: reads a dotted path from JSON text (node is already a prerequisite).
field() { node -e 'let v=JSON.parse(process.argv[1]);for(const k of process.argv[2].split(".")){v=v?.[k]};process.stdout.write(v===undefined||v===null?"":String(v))' "$1" "$2" 2>/dev/null; }
call() { # METHOD URL [BODY] [extra curl args...] -> sets STATUS and BODY
  local method=$1 url=$2 data=${3:-}; shift 3 2>/dev/null || shift $#
  local out
  out="$(curl -s -w '\n%{http_code}' -X "$method" "$url" -H 'content-type: application/json' ${data:+--data-binary "$data"} "$@")"
  STATUS="${out##*$'\n'}"; BODY="${out%$'\n'*}"
}

# poll CONDITION COMMAND...: runs COMMAND (usually a call) up to 100 times, 0.1 s apart, until CONDITION holds.
poll() { local condition=$1 i; shift; for ((i = 0; i < 100; i++)); do "$@"; eval "$condition" && return 0; sleep 0.1; done; return 1; }

[[ -n "$key" ]] || fail "no operator key: pass it as the third argument or in Host__MasterKey"
state_file="${WESTORE_DATA_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/.data}/demo-state"

if [[ "${4:-}" == later ]]; then
  # The second half of ./run.sh demo: the same store, restarted with its clock 400 days ahead.
  [[ -f "$state_file" ]] || fail "no $state_file: run the first half of the demo first"
  read -r code earned expires_on order_no <"$state_file"
  title "400 days later, the member comes back: POST /api/auth/login, GET /api/me/points"
  call POST "$host/api/auth/login" "{\"code\":\"$code\"}"
  [[ "$STATUS" == 200 ]] || fail "login answered $STATUS: $BODY"
  token="$(field "$BODY" token)"
  call GET "$host/api/me/points" "" -H "authorization: Bearer $token"
  [[ "$STATUS" == 200 && "$(field "$BODY" balance)" == "$earned" ]] || fail "expected $earned points before the expiry run: $BODY"
  ok "balance $(field "$BODY" balance), of which available $(field "$BODY" available): the lot's last day, $expires_on, has passed"

  title "The daily expiry reaches that day (an operator runs it now): POST /api/manage/points/expiry?day=$expires_on"
  call POST "$host/api/manage/points/expiry?day=$expires_on" "" -H "x-functions-key: $key"
  [[ "$STATUS" == 200 ]] || fail "the expiry run answered $STATUS: $BODY"
  ok "fanned out $(field "$BODY" lots) lot(s) of $(field "$BODY" members) member(s) in $(field "$BODY" messages) queue message(s)"
  for ((i = 0; i < 100; i++)); do
    call GET "$host/api/me/points" "" -H "authorization: Bearer $token"
    [[ "$(field "$BODY" balance)" == 0 ]] && break
    sleep 0.1
  done
  [[ "$(field "$BODY" balance)" == 0 ]] || fail "the points did not expire: $BODY"
  latest="$(node -e 'const e=JSON.parse(process.argv[1]).ledger[0];process.stdout.write(e.kind+" "+e.delta)' "$BODY")"
  [[ "$latest" == "expire -$earned" ]] || fail "the newest ledger entry is '$latest', not 'expire -$earned'"
  ok "balance 0; the ledger's newest entry: $latest"

  title "Running the same day again changes nothing"
  call POST "$host/api/manage/points/expiry?day=$expires_on" "" -H "x-functions-key: $key"
  sleep 1
  call GET "$host/api/me/points" "" -H "authorization: Bearer $token"
  entries="$(node -e 'process.stdout.write(String(JSON.parse(process.argv[1]).ledger.filter(e=>e.kind==="expire").length))' "$BODY")"
  [[ "$(field "$BODY" balance)" == 0 && "$entries" == 1 ]] || fail "a re-run changed the points: $BODY"
  ok "balance still 0, one expiry entry"

  title "The after-sale window of $order_no closed long ago: the fulfilment timer runs (POST /admin/functions/RunFulfilmentScheduleFunction)"
  call POST "$host/admin/functions/RunFulfilmentScheduleFunction" '{}' -H "x-functions-key: $key"
  [[ "$STATUS" == 2* ]] || fail "running the fulfilment timer answered $STATUS: $BODY"
  poll '[[ "$(field "$BODY" status)" == completed ]]' call GET "$host/api/orders/$order_no" "" -H "authorization: Bearer $token" || fail "the order is $(field "$BODY" status), not completed: $BODY"
  ok "order $order_no completed at $(field "$BODY" fulfilment.completedAt) (received $(field "$BODY" fulfilment.receivedAt)); order-completed was sent"
  printf '\n\033[32mThe points expired and the order completed as they should.\033[0m\n'
  exit 0
fi
title "An operator prints a QR code on the gift-box packaging: POST /api/manage/qrcodes"
call POST "$host/api/manage/qrcodes" '{"name":"龙井礼盒包装码","channel":"packaging","source":"gift box, print run 2026-11","page":"pages/index/index"}' -H "x-functions-key: $key"
[[ "$STATUS" == 201 ]] || fail "creating the code answered $STATUS: $BODY"
scene="$(field "$BODY" sceneId)"
png_bytes="$(curl -s -H "x-functions-key: $key" "$host/api/manage/qrcodes/$scene.png" | head -c 8 | od -An -tx1 | tr -d ' \n')"
[[ "$png_bytes" == 89504e470d0a1a0a ]] || fail "the code's image is not a PNG ($png_bytes)"
ok "scene $scene (channel packaging); its PNG came from wxa/getwxacodeunlimit: $host/api/manage/qrcodes/$scene.png"

title "The shopper opens the Mini Program: wx.login, then POST /api/auth/login"
code="demo-shopper-$RANDOM.1"
call POST "$host/api/auth/login" "{\"code\":\"$code\"}"
[[ "$STATUS" == 200 ]] || fail "login answered $STATUS: $BODY"
token="$(field "$BODY" token)"
ok "session token issued (expires in $(field "$BODY" expiresIn) s), new member: $(field "$BODY" isNewMember)"

title "The Mini Program reports how it was opened: POST /api/scans (the scene as WeChat passed it, URL-encoded; entry scene 1047)"
call POST "$host/api/scans" "{\"scene\":\"$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$scene")\",\"entryScene\":1047,\"path\":\"pages/index/index\"}" -H "authorization: Bearer $token"
[[ "$STATUS" == 200 && "$(field "$BODY" known)" == true ]] || fail "the scan answered $STATUS: $BODY"
[[ "$(field "$BODY" firstTouch.sceneId)" == "$scene" ]] || fail "the first touch is not the packaging code: $BODY"
ok "first touch: channel $(field "$BODY" firstTouch.channel), scene $(field "$BODY" firstTouch.sceneId), entry scene $(field "$BODY" firstTouch.entryScene)"

title "The new member finds a welcome coupon: GET /api/me/coupons"
call GET "$host/api/me/coupons" "" -H "authorization: Bearer $token"
[[ "$STATUS" == 200 ]] || fail "the wallet answered $STATUS"
coupon="$(node -e 'const c=JSON.parse(process.argv[1]).available[0];process.stdout.write(c?c.couponId+" "+c.amountOff+" "+c.name:"")' "$BODY")"
[[ -n "$coupon" ]] || fail "no welcome coupon in the wallet: $BODY"
read -r coupon_id coupon_off coupon_name <<<"$coupon"
ok "$coupon_name: $coupon_off fen off ($coupon_id)"

title "The shopper browses GET /api/catalog/products"
call GET "$host/api/catalog/products"
[[ "$STATUS" == 200 ]] || fail "catalog answered $STATUS"
sku="$(node -e 'const p=JSON.parse(process.argv[1]).products;const s=p.flatMap(x=>x.skus).find(s=>s.id==="tea-longjing-50g")||p[0]?.skus[0];process.stdout.write(s?s.id+" "+s.price+" "+s.name:"")' "$BODY")"
[[ -n "$sku" ]] || fail "the catalog is empty"
read -r sku_id sku_price sku_name <<<"$sku"
ok "$(node -e 'process.stdout.write(String(JSON.parse(process.argv[1]).products.length))' "$BODY") products; picking $sku_id ($sku_name) at $sku_price fen"

title "The shopper orders 2 × $sku_id with the coupon: POST /api/orders (the client sends a price of 1 fen; the server ignores it)"
order_body="{\"couponId\":\"$coupon_id\",\"items\":[{\"skuId\":\"$sku_id\",\"quantity\":2,\"price\":1}],\"address\":{\"userName\":\"张三\",\"telNumber\":\"13800138000\",\"provinceName\":\"广东省\",\"cityName\":\"广州市\",\"countyName\":\"海珠区\",\"detailInfo\":\"新港中路397号\",\"postalCode\":\"510000\"}}"
call POST "$host/api/orders" "$order_body" -H "authorization: Bearer $token" -H "idempotency-key: demo-$RANDOM"
[[ "$STATUS" == 201 ]] || fail "placing the order answered $STATUS: $BODY"
order_no="$(field "$BODY" orderNo)"
payable="$(field "$BODY" amounts.payable)"
[[ "$payable" == $((sku_price * 2 - coupon_off)) ]] || fail "payable is $payable, expected $((sku_price * 2)) from the catalog less $coupon_off"
[[ "$(field "$BODY" payment.package)" == prepay_id=* ]] || fail "no requestPayment parameters"
ok "order $order_no, payable $payable fen, status $(field "$BODY" status); wx.requestPayment gets package $(field "$BODY" payment.package)"

title "The shopper pays (the sandbox plays WeChat Pay and posts the signed, encrypted notification)"
call POST "$sandbox/sandbox/pay/$order_no"
[[ "$STATUS" == 200 ]] || fail "the sandbox answered $STATUS: $BODY"
[[ "$(field "$BODY" notifyStatus)" == 204 ]] || fail "the notify function answered $(field "$BODY" notifyStatus): $(field "$BODY" notifyBody)"
ok "WeChat Pay reported $(field "$BODY" tradeState); the store answered its notification with 204"

title "The shopper sees the order: GET /api/orders/$order_no"
call GET "$host/api/orders/$order_no" "" -H "authorization: Bearer $token"
[[ "$STATUS" == 200 ]] || fail "reading the order answered $STATUS"
[[ "$(field "$BODY" status)" == paid ]] || fail "the order is $(field "$BODY" status), not paid"
ok "status $(field "$BODY" status), paid at $(field "$BODY" paidAt)"
for ((i = 0; i < 100; i++)); do
  call GET "$host/api/me/coupons" "" -H "authorization: Bearer $token"
  [[ "$(node -e 'process.stdout.write(String(JSON.parse(process.argv[1]).used.length))' "$BODY")" == 1 ]] && break
  sleep 0.1
done
[[ "$(node -e 'process.stdout.write(String(JSON.parse(process.argv[1]).used.length))' "$BODY")" == 1 ]] || fail "the coupon was not marked used"
ok "the welcome coupon is now used (the order-paid pipeline ran)"

title "The member earned points: GET /api/me/points"
earned=$((payable / 100))
for ((i = 0; i < 100; i++)); do
  call GET "$host/api/me/points" "" -H "authorization: Bearer $token"
  [[ "$(field "$BODY" balance)" == "$earned" ]] && break
  sleep 0.1
done
[[ "$(field "$BODY" balance)" == "$earned" ]] || fail "expected $earned points (1 per yuan paid): $BODY"
expires_on="$(node -e 'const b=JSON.parse(process.argv[1]);process.stdout.write(b.ledger[0].kind==="earn"?b.ledger[0].at:"")' "$BODY")"
# 12 months after the Shanghai day it was earned, clamped to the month's end as .NET's AddMonths does (29 Feb → 28 Feb).
expires_on="$(node -e 'const d=new Date(Date.parse(process.argv[1])+8*3600e3),y=d.getUTCFullYear()+1,m=d.getUTCMonth(),last=new Date(Date.UTC(y,m+1,0)).getUTCDate();process.stdout.write(new Date(Date.UTC(y,m,Math.min(d.getUTCDate(),last))).toISOString().slice(0,10))' "$expires_on")"
mkdir -p "$(dirname "$state_file")" && echo "$code $earned $expires_on $order_no" >"$state_file"
ok "$(field "$BODY" balance) points (tier $(field "$BODY" tier)), a lot that expires at the end of $expires_on (Shanghai)"

title "A forged notification is refused"
call POST "$host/api/pay/notify" '{"id":"forged","event_type":"TRANSACTION.SUCCESS"}' -H 'Wechatpay-Serial: PUB_KEY_ID_FORGED' -H 'Wechatpay-Timestamp: 0' -H 'Wechatpay-Nonce: x' -H 'Wechatpay-Signature: WECHATPAY/SIGNTEST/x'
[[ "$STATUS" == 401 ]] || fail "the forged notification got $STATUS"
ok "401 $(field "$BODY" code): $(field "$BODY" message)"

title "The operator sees what the packaging code brought in: GET /api/manage/reports/attribution?groupBy=qrcode"
for ((i = 0; i < 100; i++)); do
  call GET "$host/api/manage/reports/attribution?groupBy=qrcode" "" -H "x-functions-key: $key"
  row="$(node -e 'const r=JSON.parse(process.argv[1]).rows.find(r=>r.key===process.argv[2]);process.stdout.write(r?[r.scans,r.uniqueVisitors,r.newMembers,r.orders,r.paidOrders,r.paidGmv,r.conversionRate].join(" "):"")' "$BODY" "$scene")"
  [[ "$(cut -d' ' -f5 <<<"$row")" == 1 ]] && break
  sleep 0.1
done
read -r r_scans r_visitors r_new r_orders r_paid r_gmv r_rate <<<"$row"
[[ "$r_scans" == 1 && "$r_new" == 1 && "$r_paid" == 1 && "$r_gmv" == "$payable" ]] || fail "the report row for $scene is: ${row:-missing} ($BODY)"
ok "scene $scene: $r_scans scan, $r_visitors visitor, $r_new new member, $r_orders order, $r_paid paid, $r_gmv fen paid GMV, conversion $r_rate"
call GET "$host/api/manage/reports/attribution?groupBy=channel" "" -H "x-functions-key: $key" -H 'accept: text/csv'
[[ "$STATUS" == 200 ]] || fail "the CSV report answered $STATUS"
ok "as CSV, by channel: $(grep '^packaging,' <<<"$BODY" | tr -d '\r')"

title "The order waits in the operators' list to ship: GET /api/manage/orders?status=toShip"
listed() { node -e 'process.stdout.write(String(JSON.parse(process.argv[1]).orders.some(o=>o.order.orderNo===process.argv[2])))' "$BODY" "$order_no" 2>/dev/null; }
poll '[[ "$STATUS" == 200 && "$(listed)" == true ]]' call GET "$host/api/manage/orders?status=toShip&pageSize=100" "" -H "x-functions-key: $key" || fail "$order_no is not in the toShip list: $BODY"
ok "$order_no is to ship"

title "The operator ships it by SF Express: POST /api/manage/orders/$order_no/shipments"
tracking="SF$(date +%s)$RANDOM"
call POST "$host/api/manage/orders/$order_no/shipments" "{\"logisticsType\":\"express\",\"packages\":[{\"expressCompany\":\"SF\",\"trackingNo\":\"$tracking\",\"items\":[{\"skuId\":\"$sku_id\",\"quantity\":2}]}]}" \
  -H "x-functions-key: $key" -H "idempotency-key: ship-$order_no"
[[ "$STATUS" == 200 && "$(field "$BODY" order.status)" == shipped ]] || fail "shipping answered $STATUS: $BODY"
ok "status shipped; package P1, SF $tracking"

title "WeChat's order shipping management holds the upload: GET $sandbox/sandbox/wxa/orders/$order_no"
poll '[[ "$(field "$BODY" shipping.finish_shipping)" == true && "$(field "$BODY" order_state)" == 2 ]]' call GET "$sandbox/sandbox/wxa/orders/$order_no" || fail "the sandbox holds no complete shipment: $BODY"
ok "order_state $(field "$BODY" order_state) (shipped), delivery_mode $(field "$BODY" shipping.delivery_mode), item_desc \"$(field "$BODY" shipping.shipping_list.0.goods_desc)\", contact $(field "$BODY" shipping.shipping_list.0.contact.receiver_contact)"
poll '[[ "$(field "$BODY" fulfilment.upload.state)" == uploaded ]]' call GET "$host/api/orders/$order_no" "" -H "authorization: Bearer $token" || fail "the order does not show the upload: $BODY"
ok "the shopper's order view: $(field "$BODY" fulfilment.packages.0.expressCompany) $(field "$BODY" fulfilment.packages.0.trackingNo), WeChat upload $(field "$BODY" fulfilment.upload.state)"

title "The buyer confirms receipt in WeChat; WeChat pushes trade_manage_order_settlement (signed, encrypted) to /api/wechat/push"
call POST "$sandbox/sandbox/wxa/orders/$order_no/confirm-receipt"
[[ "$STATUS" == 200 && "$(field "$BODY" pushStatus)" == 200 ]] || fail "the confirmation answered $STATUS: $BODY"
ok "the push was answered $(field "$BODY" pushStatus) $(field "$BODY" pushBody)"
poll '[[ "$(field "$BODY" status)" == received ]]' call GET "$host/api/orders/$order_no" "" -H "authorization: Bearer $token" || fail "the order is $(field "$BODY" status), not received: $BODY"
ok "status received ($(field "$BODY" fulfilment.receiptSource)) at $(field "$BODY" fulfilment.receivedAt); it completes when the after-sale window closes"

title "A forged push is refused"
call POST "$host/api/wechat/push?signature=0&timestamp=$(date +%s)&nonce=1&encrypt_type=aes&msg_signature=0000000000000000000000000000000000000000" '{"ToUserName":"gh_x","Encrypt":"AAAA"}'
[[ "$STATUS" == 401 ]] || fail "the forged push got $STATUS"
ok "401: $(field "$BODY" title)"

title "The buyer sends one item back: POST /api/orders/$order_no/after-sales {type: return, 1 × $sku_id}"
call POST "$host/api/orders/$order_no/after-sales" "{\"type\":\"return\",\"lines\":[{\"skuId\":\"$sku_id\",\"quantity\":1}],\"reason\":\"买多了一盒\"}" \
  -H "authorization: Bearer $token" -H "idempotency-key: return-$order_no"
[[ "$STATUS" == 201 ]] || fail "the request answered $STATUS: $BODY"
after_sale="$(field "$BODY" afterSaleId)"
ok "after-sale $after_sale: $(field "$BODY" status), $(field "$BODY" requestedAmount) fen (the item's share of what was paid)"

title "The operator approves it with the return address; the buyer ships it back; the warehouse receives and restocks it"
call POST "$host/api/manage/after-sales/$after_sale/approve" '{"returnAddress":"浙江省杭州市西湖区龙井路1号 退货仓"}' -H "x-functions-key: $key"
[[ "$STATUS" == 200 && "$(field "$BODY" status)" == approved ]] || fail "approving answered $STATUS: $BODY"
call POST "$host/api/after-sales/$after_sale/return-shipment" '{"expressCompany":"YTO","trackingNo":"YT9876543210"}' -H "authorization: Bearer $token"
[[ "$STATUS" == 200 && "$(field "$BODY" status)" == returnShipped ]] || fail "the return shipment answered $STATUS: $BODY"
call POST "$host/api/manage/after-sales/$after_sale/receive" '{"restock":true}' -H "x-functions-key: $key"
[[ "$STATUS" == 200 && "$(field "$BODY" status)" == refunding ]] || fail "receiving answered $STATUS: $BODY"
out_refund_no="$(field "$BODY" outRefundNo)"
ok "approved, shipped back (YTO YT9876543210), received and restocked; refund $out_refund_no asked of WeChat Pay"

title "WeChat Pay pays the money back (the sandbox settles the refund and notifies)"
call POST "$sandbox/sandbox/pay/$order_no?refund=$out_refund_no"
[[ "$STATUS" == 200 && "$(field "$BODY" notifyStatus)" == 204 ]] || fail "the refund notification got $(field "$BODY" notifyStatus): $BODY"
poll '[[ "$(field "$BODY" status)" == refunded ]]' call GET "$host/api/after-sales/$after_sale" "" -H "authorization: Bearer $token" || fail "the request is $(field "$BODY" status), not refunded: $BODY"
call GET "$host/api/orders/$order_no" "" -H "authorization: Bearer $token"
ok "after-sale refunded; the order: $(field "$BODY" status), $(field "$BODY" refundedAmount) fen refunded of $(field "$BODY" amounts.payable)"
call GET "$host/api/me/points" "" -H "authorization: Bearer $token"
earned="$(field "$BODY" balance)"
echo "$code $earned $expires_on $order_no" >"$state_file"
ok "points after the refund's claw-back: $earned"

title "The day's reconciliation with WeChat Pay's trade bill: POST /api/manage/reconciliation/$(date -u -d '+8 hours' +%Y-%m-%d)/run"
day="$(date -u -d '+8 hours' +%Y-%m-%d)"
call POST "$host/api/manage/reconciliation/$day/run" "" -H "x-functions-key: $key"
[[ "$STATUS" == 200 ]] || fail "the reconciliation answered $STATUS: $BODY"
[[ "$(field "$BODY" clean)" == true ]] || fail "the books and the bill disagree: $BODY"
ok "$(field "$BODY" matched) bill lines matched ($(field "$BODY" matchedPayments) fen paid, $(field "$BODY" matchedRefunds) fen refunded), no difference; the bill is archived as $(field "$BODY" archive)"
ok "(WeChat Pay makes a day's bill at 9:00 the next morning, when the timer runs; the sandbox serves today's so far)"

title "The brand's WeCom: a contact-me code on the packaging, with a first-purchase coupon: POST /api/manage/contact-ways"
call POST "$host/api/manage/coupons/campaigns" '{"name":"企微首单券","type":"fixed","amountOff":800,"totalStock":1000,"perMemberLimit":1,"issueOn":"scan","validDays":30}' -H "x-functions-key: $key"
[[ "$STATUS" == 201 ]] || fail "creating the WeCom campaign answered $STATUS: $BODY"
wecom_campaign="$(field "$BODY" id)"
call POST "$host/api/manage/contact-ways" "{\"name\":\"龙井礼盒 企微码\",\"channel\":\"packaging\",\"staffUserIds\":[\"tea.advisor\"],\"couponCampaignId\":\"$wecom_campaign\",\"welcome\":{\"text\":\"您好，我是您的茶顾问。首单立减券已为您准备好，点开小程序即可使用。\",\"miniProgramTitle\":\"龙井礼盒 新客专享\",\"miniProgramPage\":\"pages/index/index\"}}" \
  -H "x-functions-key: $key" -H "idempotency-key: demo-way-$RANDOM"
[[ "$STATUS" == 201 ]] || fail "creating the contact way answered $STATUS: $BODY"
way_state="$(field "$BODY" state)"
ok "state $way_state (channel packaging), config_id $(field "$BODY" configId), QR $(field "$BODY" qrCode)"

title "A new shopper scans it and adds the tea advisor (the sandbox plays WeChat and pushes the signed, encrypted add event to /api/wecom/callback)"
wecom_stem="demo-wecom-$RANDOM"
call POST "$sandbox/sandbox/wecom/add" "{\"state\":\"$way_state\",\"shopper\":\"$wecom_stem\"}"
[[ "$STATUS" == 200 && "$(field "$BODY" pushStatus)" == 200 ]] || fail "the add answered $STATUS: $BODY"
external_user="$(field "$BODY" externalUserId)"
ok "external_userid $external_user; the callback answered $(field "$BODY" pushStatus) with an empty body"
welcomed() { node -e 'const w=JSON.parse(process.argv[1]).welcomes[0];process.stdout.write(w?w.secondsAfterAdd+" s after the add: \""+w.text+"\" + card \""+w.miniProgramTitle+"\" → "+w.miniProgramPage:"")' "$BODY" 2>/dev/null; }
poll '[[ -n "$(welcomed)" ]]' call GET "$sandbox/sandbox/wecom/welcome/$external_user" || fail "no welcome was sent: $BODY"
ok "welcome sent $(welcomed)"

title "The shopper opens the Mini Program from the card and logs in (the same unionid): the add's coupon is in the wallet"
call POST "$host/api/auth/login" "{\"code\":\"$wecom_stem.1\"}"
[[ "$STATUS" == 200 ]] || fail "login answered $STATUS: $BODY"
wecom_token="$(field "$BODY" token)"
wecom_coupon() { node -e 'const c=JSON.parse(process.argv[1]).available.find(c=>c.campaignId===process.argv[2]);process.stdout.write(c?c.couponId:"")' "$BODY" "$wecom_campaign" 2>/dev/null; }
poll '[[ -n "$(wecom_coupon)" ]]' call GET "$host/api/me/coupons" "" -H "authorization: Bearer $wecom_token" || fail "the WeCom coupon is not in the wallet: $BODY"
wecom_coupon_id="$(wecom_coupon)"
ok "coupon $wecom_coupon_id (800 fen off), issued once for this contact"

title "They buy with it: POST /api/orders, then pay"
call POST "$host/api/orders" "{\"couponId\":\"$wecom_coupon_id\",\"items\":[{\"skuId\":\"$sku_id\",\"quantity\":1}],\"address\":{\"userName\":\"李四\",\"telNumber\":\"13900139000\",\"provinceName\":\"浙江省\",\"cityName\":\"杭州市\",\"countyName\":\"西湖区\",\"detailInfo\":\"龙井路1号\"}}" \
  -H "authorization: Bearer $wecom_token" -H "idempotency-key: demo-wecom-$RANDOM"
[[ "$STATUS" == 201 ]] || fail "placing the order answered $STATUS: $BODY"
wecom_order="$(field "$BODY" orderNo)" wecom_payable="$(field "$BODY" amounts.payable)"
call POST "$sandbox/sandbox/pay/$wecom_order"
[[ "$(field "$BODY" notifyStatus)" == 204 ]] || fail "the payment notification got $(field "$BODY" notifyStatus): $BODY"
ok "order $wecom_order paid, $wecom_payable fen"

title "The operator sees the code's funnel: GET /api/manage/reports/attribution?groupBy=contactWay"
way_row() { node -e 'const r=JSON.parse(process.argv[1]).rows.find(r=>r.key===process.argv[2]);process.stdout.write(r?[r.wecomAdds,r.newMembers,r.orders,r.paidOrders,r.paidGmv].join(" "):"")' "$BODY" "$way_state" 2>/dev/null; }
poll '[[ "$(cut -d" " -f4 <<<"$(way_row)")" == 1 ]]' call GET "$host/api/manage/reports/attribution?groupBy=contactWay" "" -H "x-functions-key: $key" || fail "the report row for $way_state is: $(way_row) ($BODY)"
read -r w_adds w_new w_orders w_paid w_gmv <<<"$(way_row)"
[[ "$w_adds" == 1 && "$w_new" == 1 && "$w_gmv" == "$wecom_payable" ]] || fail "the report row for $way_state is: $w_adds $w_new $w_orders $w_paid $w_gmv"
ok "contact way $way_state: $w_adds WeCom add, $w_new new member, $w_orders order, $w_paid paid, $w_gmv fen paid GMV"

title "The Official Account: a follow code shown in tonight's live stream: POST /api/manage/follow-codes"
call POST "$host/api/manage/follow-codes" '{"name":"双十二直播间关注码","channel":"live","expireSeconds":86400}' -H "x-functions-key: $key"
[[ "$STATUS" == 201 ]] || fail "creating the follow code answered $STATUS: $BODY"
follow_scene="$(field "$BODY" sceneStr)"
ok "scene_str $follow_scene (channel live), expires $(field "$BODY" expiresAt); image $(field "$BODY" imageUrl)"

title "A viewer scans it and follows (the sandbox pushes the signed, encrypted subscribe event to /api/wechat/official-account/push)"
viewer="demo-viewer-$RANDOM"
call POST "$sandbox/sandbox/oa/scan" "{\"sceneStr\":\"$follow_scene\",\"shopper\":\"$viewer\"}"
[[ "$STATUS" == 200 && "$(field "$BODY" pushStatus)" == 200 ]] || fail "the follow answered $STATUS: $BODY"
viewer_openid="$(field "$BODY" openid)"
ok "$(field "$BODY" event) by $viewer_openid; the push was answered $(field "$BODY" pushBody)"
follows_of() { node -e 'const r=JSON.parse(process.argv[1]).rows.find(r=>r.key===process.argv[2]);process.stdout.write(r?String(r.follows):"0")' "$BODY" "$1" 2>/dev/null; }
poll '[[ "$(follows_of "$follow_scene")" == 1 ]]' call GET "$host/api/manage/reports/attribution?groupBy=followCode" "" -H "x-functions-key: $key" || fail "the follow was not recorded: $BODY"
ok "the follow is recorded for $follow_scene (the consumer fetched user/info for the unionid)"

title "Later the viewer opens the Mini Program, logs in (the same unionid) and buys"
call POST "$host/api/auth/login" "{\"code\":\"$viewer.1\"}"
[[ "$STATUS" == 200 ]] || fail "login answered $STATUS: $BODY"
viewer_token="$(field "$BODY" token)"
call POST "$host/api/orders" "{\"items\":[{\"skuId\":\"$sku_id\",\"quantity\":1}],\"address\":{\"userName\":\"王五\",\"telNumber\":\"13700137000\",\"provinceName\":\"上海市\",\"cityName\":\"上海市\",\"countyName\":\"徐汇区\",\"detailInfo\":\"漕溪北路1号\"}}" \
  -H "authorization: Bearer $viewer_token" -H "idempotency-key: demo-viewer-$RANDOM"
[[ "$STATUS" == 201 ]] || fail "placing the order answered $STATUS: $BODY"
viewer_order="$(field "$BODY" orderNo)" viewer_payable="$(field "$BODY" amounts.payable)"
call POST "$sandbox/sandbox/pay/$viewer_order"
[[ "$(field "$BODY" notifyStatus)" == 204 ]] || fail "the payment notification got $(field "$BODY" notifyStatus): $BODY"
ok "order $viewer_order paid, $viewer_payable fen"

title "It ships, and the follower gets the shipped notice as an Official Account template message (not a subscription message)"
listed_viewer() { node -e 'process.stdout.write(String(JSON.parse(process.argv[1]).orders.some(o=>o.order.orderNo===process.argv[2])))' "$BODY" "$viewer_order" 2>/dev/null; }
poll '[[ "$(listed_viewer)" == true ]]' call GET "$host/api/manage/orders?status=toShip&pageSize=100" "" -H "x-functions-key: $key" || fail "$viewer_order is not in the toShip list"
call POST "$host/api/manage/orders/$viewer_order/shipments" "{\"logisticsType\":\"express\",\"packages\":[{\"expressCompany\":\"SF\",\"trackingNo\":\"SF$(date +%s)9\",\"items\":[{\"skuId\":\"$sku_id\",\"quantity\":1}]}]}" \
  -H "x-functions-key: $key" -H "idempotency-key: ship-$viewer_order"
[[ "$STATUS" == 200 ]] || fail "shipping answered $STATUS: $BODY"
notice() { node -e 'const m=JSON.parse(process.argv[1]).messages.find(m=>m.toUser===process.argv[2]);process.stdout.write(m?m.templateId+" → "+m.pagePath:"")' "$BODY" "$viewer_openid" 2>/dev/null; }
poll '[[ -n "$(notice)" ]]' call GET "$sandbox/sandbox/oa/messages" || fail "no template message reached the follower: $BODY"
ok "template message $(notice)"

title "The operator sees the follow code's conversion: GET /api/manage/reports/attribution?groupBy=followCode"
code_row() { node -e 'const r=JSON.parse(process.argv[1]).rows.find(r=>r.key===process.argv[2]);process.stdout.write(r?[r.follows,r.newMembers,r.orders,r.paidOrders,r.paidGmv,r.conversionRate].join(" "):"")' "$BODY" "$follow_scene" 2>/dev/null; }
poll '[[ "$(cut -d" " -f4 <<<"$(code_row)")" == 1 ]]' call GET "$host/api/manage/reports/attribution?groupBy=followCode" "" -H "x-functions-key: $key" || fail "the report row for $follow_scene is: $(code_row) ($BODY)"
read -r f_follows f_new f_orders f_paid f_gmv f_rate <<<"$(code_row)"
[[ "$f_follows" == 1 && "$f_new" == 1 && "$f_gmv" == "$viewer_payable" ]] || fail "the report row for $follow_scene is: $(code_row)"
ok "follow code $follow_scene: $f_follows follow, $f_new new member, $f_orders order, $f_paid paid, $f_gmv fen paid GMV, conversion $f_rate"


# Lifecycle flows and a broadcast, on a moved clock: the store's (POST /admin/clock) and WeChat's (POST /sandbox/clock) together.
long_poll() { local condition=$1 i; shift; for ((i = 0; i < 400; i++)); do "$@"; eval "$condition" && return 0; sleep 0.1; done; return 1; }
advance() { # HOURS: days pass for the store and for WeChat alike
  call POST "$host/admin/clock?advanceHours=$1" "" -H "x-functions-key: $key"
  [[ "$STATUS" == 200 ]] || fail "moving the store's clock answered $STATUS: $BODY"
  call POST "$sandbox/sandbox/clock?advanceHours=$1"
  [[ "$STATUS" == 200 ]] || fail "moving the sandbox's clock answered $STATUS: $BODY"
}
login_as() { call POST "$host/api/auth/login" "{\"code\":\"$1.$RANDOM\"}"; [[ "$STATUS" == 200 ]] || fail "login answered $STATUS: $BODY"; field "$BODY" token; }

title "A \"first week\" flow for new WeCom contacts: day 2 a product story, day 5 a coupon unless they bought: POST /api/manage/flows"
call POST "$host/api/manage/coupons/campaigns" '{"name":"首周回访券","type":"fixed","amountOff":500,"totalStock":1000,"perMemberLimit":1,"issueOn":"scan","validDays":30}' -H "x-functions-key: $key"
[[ "$STATUS" == 201 ]] || fail "creating the flow's campaign answered $STATUS: $BODY"
flow_campaign="$(field "$BODY" id)"
call POST "$host/api/manage/flows" "{\"name\":\"首周旅程\",\"trigger\":\"wecomAdded\",\"steps\":[{\"afterHours\":48,\"action\":{\"type\":\"wecomMessage\",\"text\":\"龙井的故事：明前采摘，一芽一叶，手工炒制。\"}},{\"afterHours\":120,\"action\":{\"type\":\"coupon\",\"couponCampaignId\":\"$flow_campaign\"}}],\"stopWhen\":[\"purchased\",\"contactLost\"]}" \
  -H "x-functions-key: $key"
[[ "$STATUS" == 201 ]] || fail "creating the flow answered $STATUS: $BODY"
flow_id="$(field "$BODY" id)"
ok "flow $flow_id: trigger wecomAdded, steps at 48 h and 120 h, stops when the contact buys or is lost (day 0 is the welcome)"

title "Two new shoppers add the tea advisor (day 0): each is welcomed, logs in, and enters the flow"
declare -A ext=()
for who in first second; do
  stem="demo-week-$who-$RANDOM"
  eval "stem_$who=$stem"
  call POST "$sandbox/sandbox/wecom/add" "{\"state\":\"$way_state\",\"shopper\":\"$stem\"}"
  [[ "$STATUS" == 200 && "$(field "$BODY" pushStatus)" == 200 ]] || fail "the add answered $STATUS: $BODY"
  ext[$who]="$(field "$BODY" externalUserId)"
  login_as "$stem" >/dev/null
done
flow_field() { call GET "$host/api/manage/flows/$flow_id" "" -H "x-functions-key: $key"; }
long_poll '[[ "$(field "$BODY" entered)" == 2 ]]' flow_field || fail "the two contacts did not enter the flow: $BODY"
ok "entered $(field "$BODY" entered), running $(field "$BODY" running)"

title "Day 2: the product story, to each contact from their own staff member (add_msg_template, single chat)"
advance 49
story_to() { node -e 'const m=JSON.parse(process.argv[1]).messages.filter(m=>m.text.startsWith("龙井的故事")&&m.results[process.argv[2]]!==undefined);process.stdout.write(String(m.length))' "$BODY" "$1" 2>/dev/null; }
long_poll '[[ "$(story_to "${ext[first]}")" == 1 && "$(story_to "${ext[second]}")" == 1 ]]' call GET "$sandbox/sandbox/wecom/groupmsg" || fail "the day-2 story did not go out: $BODY"
ok "one story task each for ${ext[first]} and ${ext[second]}, sender tea.advisor"

title "Day 3: the first shopper buys"
advance 24
first_token="$(login_as "$stem_first")"
call POST "$host/api/orders" "{\"items\":[{\"skuId\":\"$sku_id\",\"quantity\":1}],\"address\":{\"userName\":\"赵六\",\"telNumber\":\"13600136000\",\"provinceName\":\"浙江省\",\"cityName\":\"杭州市\",\"countyName\":\"上城区\",\"detailInfo\":\"河坊街8号\"}}" \
  -H "authorization: Bearer $first_token" -H "idempotency-key: demo-week-$RANDOM"
[[ "$STATUS" == 201 ]] || fail "placing the order answered $STATUS: $BODY"
week_order="$(field "$BODY" orderNo)" week_payable="$(field "$BODY" amounts.payable)"
call POST "$sandbox/sandbox/pay/$week_order"
[[ "$(field "$BODY" notifyStatus)" == 204 ]] || fail "the payment notification got $(field "$BODY" notifyStatus): $BODY"
# The member's facts take the payment in the background; the flow's report shows it credited once they have.
long_poll '[[ "$(field "$BODY" purchasedWithin7Days)" == 1 ]]' flow_field || fail "the purchase was not credited to the flow: $BODY"
ok "order $week_order paid, $week_payable fen, credited to the flow (bought within 7 days of entering)"

title "Day 5: the coupon step. The buyer's run stops (purchased); the other gets the coupon"
advance 48
long_poll '[[ "$(field "$BODY" running)" == 0 ]]' flow_field || fail "the runs did not end: $BODY"
read -r f_entered f_finished f_stopped f_bought f_gmv <<<"$(node -e 'const f=JSON.parse(process.argv[1]);process.stdout.write([f.entered,f.finished,f.stopped.purchased,f.purchasedWithin7Days,f.purchasedGmv].join(" "))' "$BODY")"
[[ "$f_entered" == 2 && "$f_finished" == 1 && "$f_stopped" == 1 && "$f_bought" == 1 && "$f_gmv" == "$week_payable" ]] || fail "the flow's report is: $BODY"
flow_coupons() { node -e 'const w=JSON.parse(process.argv[1]);process.stdout.write(String(["available","reserved","used","expired"].reduce((n,k)=>n+w[k].filter(c=>c.campaignId===process.argv[2]).length,0)))' "$BODY" "$flow_campaign" 2>/dev/null; }
call GET "$host/api/me/coupons" "" -H "authorization: Bearer $(login_as "$stem_first")"
[[ "$(flow_coupons)" == 0 ]] || fail "the buyer got the day-5 coupon: $BODY"
call GET "$host/api/me/coupons" "" -H "authorization: Bearer $(login_as "$stem_second")"
[[ "$(flow_coupons)" == 1 ]] || fail "the other shopper has no day-5 coupon: $BODY"
ok "entered $f_entered, finished $f_finished, stopped by a purchase $f_stopped; bought within 7 days $f_bought ($f_gmv fen); the buyer has no day-5 coupon, the other has one"

title "Two months on, the lapsing segment (no paid order for 60 days): POST /api/manage/segments"
call POST "$host/api/manage/segments" '{"name":"沉睡客户","rules":[{"fact":"stage","op":"eq","value":"lapsing"},{"fact":"wecomLinked","op":"eq","value":true}]}' -H "x-functions-key: $key"
[[ "$STATUS" == 201 ]] || fail "creating the segment answered $STATUS: $BODY"
segment_id="$(field "$BODY" id)"
advance $((62 * 24))
call POST "$host/api/manage/segments/due" "" -H "x-functions-key: $key"
[[ "$STATUS" == 200 ]] || fail "the daily facts run answered $STATUS: $BODY"
segment_field() { call GET "$host/api/manage/segments/$segment_id" "" -H "x-functions-key: $key"; }
long_poll '[[ "$(field "$BODY" backfilled)" == true && "$(field "$BODY" size)" -ge 1 ]]' segment_field || fail "the segment stayed empty: $BODY"
ok "segment $segment_id: $(field "$BODY" size) lapsing WeCom contact(s), back-filled in the background, then kept by each member's facts"

title "A broadcast to it, through each contact's own staff member: POST /api/manage/broadcasts (Idempotency-Key)"
broadcast_body='{"segmentId":"'"$segment_id"'","text":"好久不见！新茶已到，回来看看吧。"}'
call POST "$host/api/manage/broadcasts" "$broadcast_body" -H "x-functions-key: $key" -H "idempotency-key: demo-broadcast-$segment_id"
[[ "$STATUS" == 202 ]] || fail "the broadcast answered $STATUS: $BODY"
broadcast_id="$(field "$BODY" id)"
broadcast_field() { call GET "$host/api/manage/broadcasts/$broadcast_id" "" -H "x-functions-key: $key"; }
long_poll '[[ "$(field "$BODY" stage)" == sending && ( "$(field "$BODY" unconfirmed)" -ge 1 || "$(field "$BODY" targeted)" == 0 ) ]]' broadcast_field || fail "the broadcast did not reach WeCom: $BODY"
targeted="$(field "$BODY" targeted)"
call POST "$host/api/manage/broadcasts" "$broadcast_body" -H "x-functions-key: $key" -H "idempotency-key: demo-broadcast-$segment_id"
[[ "$STATUS" == 200 && "$(field "$BODY" id)" == "$broadcast_id" ]] || fail "re-posting the broadcast answered $STATUS: $BODY"
ok "broadcast $broadcast_id: $targeted targeted; re-posting it answered 200 with the same broadcast and sent nothing"
call POST "$sandbox/sandbox/wecom/groupmsg/confirm?userid=tea.advisor"
long_poll '[[ "$(field "$BODY" sent)" == "$targeted" ]]' broadcast_field || fail "the confirmed sends were not followed: $BODY"
ok "the tea advisor confirmed; get_groupmsg_task/get_groupmsg_send_result: $(field "$BODY" sent) sent, skipped $(node -e 'process.stdout.write(JSON.stringify(JSON.parse(process.argv[1]).skipped))' "$BODY")"


# Referral and group-buy (拼团): a member's share scene brings a friend into a team of two; a second team runs out of time.
address='{"userName":"钱七","telNumber":"13500135000","provinceName":"江苏省","cityName":"南京市","countyName":"鼓楼区","detailInfo":"中山路100号"}'
seat() { # TOKEN PATH KEY -> sets STATUS and BODY
  call POST "$host$2" "{\"address\":$address}" -H "authorization: Bearer $1" -H "idempotency-key: $3"
}
manage_get() { call GET "$host$1" "" -H "x-functions-key: $key"; }

title "The operator sets up a group-buy: $sku_id for teams of 2 within 24 h, 10 yuan off: POST /api/manage/group-buys"
call POST "$host/admin/clock?advanceHours=0" "" -H "x-functions-key: $key"
store_now="$(field "$BODY" now)"
read -r gb_starts gb_ends <<<"$(node -e 'const d=new Date(process.argv[1]);process.stdout.write(new Date(d-3600e3).toISOString()+" "+new Date(+d+30*864e5).toISOString())' "$store_now")"
group_price=$((sku_price - 1000))
call POST "$host/api/manage/group-buys" "{\"skuId\":\"$sku_id\",\"groupPrice\":$group_price,\"teamSize\":2,\"teamHours\":24,\"startsAt\":\"$gb_starts\",\"endsAt\":\"$gb_ends\",\"perMemberLimit\":1}" \
  -H "x-functions-key: $key"
[[ "$STATUS" == 201 ]] || fail "creating the group-buy answered $STATUS: $BODY"
gb_id="$(field "$BODY" id)"
ok "group-buy $gb_id: $group_price fen a unit (the SKU is $sku_price), teams of 2, 24 h to fill"

title "A member opens a team and shares it: POST /api/group-buys/$gb_id/teams, POST /api/me/referral-code"
leader_stem="demo-leader-$RANDOM"
leader_token="$(login_as "$leader_stem")"
call POST "$host/api/me/referral-code" "" -H "authorization: Bearer $leader_token"
[[ "$STATUS" == 200 ]] || fail "the share scene answered $STATUS: $BODY"
share_scene="$(field "$BODY" scene)" share_path="$(field "$BODY" path)"
seat "$leader_token" "/api/group-buys/$gb_id/teams" "demo-team-$RANDOM"
[[ "$STATUS" == 201 ]] || fail "opening the team answered $STATUS: $BODY"
team_id="$(field "$BODY" teamId)" leader_order="$(field "$BODY" orderNo)"
[[ "$(field "$BODY" amounts.payable)" == "$group_price" ]] || fail "the team's order is not at the group price: $BODY"
ok "team $team_id, order $leader_order at $group_price fen; the share card opens $share_path&teamId=$team_id"

title "A friend opens the card: the scan binds them to the member (POST /api/scans, entry scene 1007), then they join"
friend_stem="demo-friend-$RANDOM"
friend_token="$(login_as "$friend_stem")"
call POST "$host/api/scans" "{\"scene\":\"$share_scene\",\"entryScene\":1007,\"path\":\"pages/index/index\"}" -H "authorization: Bearer $friend_token"
[[ "$STATUS" == 200 && "$(field "$BODY" channel)" == share ]] || fail "the scan answered $STATUS: $BODY"
call GET "$host/api/me/referrals" "" -H "authorization: Bearer $leader_token"
[[ "$(field "$BODY" pending)" == 1 ]] || fail "the friend is not bound to the member: $BODY"
ok "bound: the member's referrals show $(field "$BODY" referred.0.member) via $(field "$BODY" referred.0.via), reward pending"
seat "$friend_token" "/api/teams/$team_id/join" "demo-join-$RANDOM"
[[ "$STATUS" == 201 ]] || fail "joining answered $STATUS: $BODY"
friend_order="$(field "$BODY" orderNo)"
late_token="$(login_as "demo-late-$RANDOM")"
seat "$late_token" "/api/teams/$team_id/join" "demo-late-$RANDOM"
[[ "$STATUS" == 409 ]] || fail "a third member joining a team of 2 answered $STATUS: $BODY"
call GET "$host/api/teams/$team_id"
ok "the friend's order $friend_order holds the second seat; a third member gets 409 ($(field "$BODY" seatsTaken) of $(field "$BODY" teamSize) seats taken)"

title "Both pay: the team is won and both orders go to shipping"
for o in "$leader_order" "$friend_order"; do
  call POST "$sandbox/sandbox/pay/$o"
  [[ "$(field "$BODY" notifyStatus)" == 204 ]] || fail "the payment notification of $o got $(field "$BODY" notifyStatus): $BODY"
done
poll '[[ "$(field "$BODY" status)" == won ]]' call GET "$host/api/teams/$team_id" || fail "the team is not won: $BODY"
team_orders() { node -e 'const o=JSON.parse(process.argv[1]).orders.map(o=>o.order.orderNo);process.stdout.write(String(process.argv.slice(2).every(n=>o.includes(n))))' "$BODY" "$leader_order" "$friend_order" 2>/dev/null; }
long_poll '[[ "$(team_orders)" == true ]]' manage_get "/api/manage/orders?status=toShip&pageSize=100" || fail "the team's orders are not to ship: $BODY"
ok "team $team_id won, $(node -e 'process.stdout.write(String(JSON.parse(process.argv[1]).paidSeats))' "$(curl -s "$host/api/teams/$team_id")") seats paid; both orders are to ship"

title "The friend's order ships, is received and completes after the after-sale window; the member's reward arrives"
call POST "$host/api/manage/orders/$friend_order/shipments" "{\"logisticsType\":\"express\",\"packages\":[{\"expressCompany\":\"SF\",\"trackingNo\":\"SF$RANDOM$RANDOM\",\"items\":[{\"skuId\":\"$sku_id\",\"quantity\":1}]}]}" \
  -H "x-functions-key: $key" -H "idempotency-key: ship-$friend_order"
[[ "$STATUS" == 200 ]] || fail "shipping the friend's order answered $STATUS: $BODY"
poll '[[ "$(field "$BODY" shipping.finish_shipping)" == true ]]' call GET "$sandbox/sandbox/wxa/orders/$friend_order" || fail "WeChat holds no shipment: $BODY"
call POST "$sandbox/sandbox/wxa/orders/$friend_order/confirm-receipt"
[[ "$STATUS" == 200 ]] || fail "the confirmation answered $STATUS: $BODY"
poll '[[ "$(field "$BODY" status)" == received ]]' call GET "$host/api/orders/$friend_order" "" -H "authorization: Bearer $friend_token" || fail "the order is not received: $BODY"
advance $((7 * 24 + 1))
call POST "$host/admin/functions/RunFulfilmentScheduleFunction" '{"input":"{}"}' -H "x-functions-key: $key"
[[ "$STATUS" == 200 || "$STATUS" == 202 ]] || fail "the fulfilment run answered $STATUS: $BODY"
leader_token="$(login_as "$leader_stem")"
long_poll '[[ "$(field "$BODY" earned)" == 1 ]]' call GET "$host/api/me/referrals" "" -H "authorization: Bearer $leader_token" || fail "the reward did not arrive: $BODY"
ok "the friend's order completed; the member's referral: earned $(field "$BODY" referred.0.points) points"
call GET "$host/api/me/points" "" -H "authorization: Bearer $leader_token"
ok "the member's points balance: $(field "$BODY" balance) (their own order's points and the reward)"

title "A second team is opened and times out on a moved clock: its paid member is refunded against their own order"
lone_stem="demo-lone-$RANDOM"
lone_token="$(login_as "$lone_stem")"
seat "$lone_token" "/api/group-buys/$gb_id/teams" "demo-lone-$RANDOM"
[[ "$STATUS" == 201 ]] || fail "opening the second team answered $STATUS: $BODY"
lone_team="$(field "$BODY" teamId)" lone_order="$(field "$BODY" orderNo)"
call POST "$sandbox/sandbox/pay/$lone_order"
[[ "$(field "$BODY" notifyStatus)" == 204 ]] || fail "the payment notification got $(field "$BODY" notifyStatus): $BODY"
poll '[[ "$(field "$BODY" paidSeats)" == 1 ]]' call GET "$host/api/teams/$lone_team" || fail "the seat is not paid: $BODY"
advance 25
long_poll '[[ "$(field "$BODY" status)" == failed ]]' call GET "$host/api/teams/$lone_team" || fail "the team did not fail at its deadline: $BODY"
refund_state() { node -e 'process.stdout.write(JSON.parse(process.argv[1]).seats[0]?.refund??"")' "$BODY" 2>/dev/null; }
long_poll '[[ "$(refund_state)" == pending ]]' manage_get "/api/manage/teams/$lone_team" || fail "no refund was asked for: $BODY"
ok "team $lone_team failed at its deadline; the refund of $lone_order is pending at WeChat Pay (visible, not marked done)"
call POST "$sandbox/sandbox/pay/$lone_order?refund=$lone_order-FULL"
[[ "$STATUS" == 200 ]] || fail "WeChat Pay's refund answered $STATUS: $BODY"
long_poll '[[ "$(field "$BODY" settled)" == true ]]' manage_get "/api/manage/teams/$lone_team" || fail "the team is not settled: $BODY"
call GET "$host/api/orders/$lone_order" "" -H "authorization: Bearer $(login_as "$lone_stem")"
[[ "$(field "$BODY" status)" == refunded ]] || fail "the order is $(field "$BODY" status): $BODY"
ok "refund $lone_order-FULL succeeded: the order is refunded, the team settled, its unit back in stock"

title "The operator sees referrals by referrer: GET /api/manage/reports/attribution?groupBy=referrer"
report_day="$(node -e 'process.stdout.write(new Date(+new Date(process.argv[1])+8*3600e3).toISOString().slice(0,10))' "$(field "$(curl -s -X POST "$host/admin/clock?advanceHours=0" -H "x-functions-key: $key")" now)")"
referrer_row() { node -e 'const r=JSON.parse(process.argv[1]).rows.find(r=>r.key===process.argv[2]);process.stdout.write(r?[r.scans,r.newMembers,r.paidOrders,r.paidGmv].join(" "):"")' "$BODY" "$share_scene" 2>/dev/null; }
manage_get "/api/manage/reports/attribution?groupBy=referrer&from=$(node -e 'process.stdout.write(new Date(+new Date(process.argv[1])-40*864e5).toISOString().slice(0,10))' "$report_day")&to=$report_day"
read -r rr_scans rr_new rr_paid rr_gmv <<<"$(referrer_row)"
[[ "$rr_new" == 1 && "$rr_paid" == 1 ]] || fail "the referrer's row is: $(referrer_row) ($BODY)"
ok "$share_scene: $rr_scans scan, $rr_new member brought, $rr_paid first order completed ($rr_gmv fen)"

printf '\n\033[32mThe journey worked: every step did what it should.\033[0m\n'
