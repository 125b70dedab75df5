#!/usr/bin/env bash
# Sets up on a fresh clone and runs the store locally: Azurite with a data folder, the WeChat sandbox (once it
# exists), and the local host at http://127.0.0.1:7071/api. Settings already in the environment win.
# Ctrl+C stops everything it started, by pid.
set -euo pipefail
cd "$(dirname "$0")"
source infra/local/lib.sh

# ./run.sh demo: the scripted journey, against the store already running here or one started for it.
if [[ "${1:-}" == demo ]]; then
  url="http://127.0.0.1:${WESTORE_HOST_PORT:-7071}"
  sandbox_url="http://127.0.0.1:${WESTORE_SANDBOX_PORT:-7072}"
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/health" 2>/dev/null || true)" == 200 ]]; then
    say "using the store already running at $url"
    exec infra/local/demo.sh "$url" "$sandbox_url" "${Host__MasterKey:-$(tr '+/' '-_' <"${WESTORE_DATA_DIR:-$WESTORE_ROOT/.data}/master.key" 2>/dev/null)}"
  fi
  data_dir="${WESTORE_DATA_DIR:-$WESTORE_ROOT/.data}"
  store_pid=""
  trap 'if [[ -n "$store_pid" ]]; then kill -TERM $store_pid 2>/dev/null || true; wait $store_pid 2>/dev/null || true; fi' EXIT
  start_for_demo() { # starts the store in the background and waits until run.sh marks it ready
    "$0" >/dev/null 2>&1 &
    store_pid=$!
    rm -f "$data_dir/ready"
    # run.sh marks the store ready once the demo catalog and welcome campaign are in place.
    for ((i = 0; i < 1800; i++)); do
      [[ -f "$data_dir/ready" ]] && return 0
      kill -0 "$store_pid" 2>/dev/null || die "the store did not start (see .data/logs/)"
      sleep 0.1
    done
    die "the store did not become ready within 3 minutes"
  }
  say "starting the store for the demo (logs in .data/logs/)"
  start_for_demo
  key="${Host__MasterKey:-$(tr '+/' '-_' <"$data_dir/master.key")}"
  infra/local/demo.sh "$url" "$sandbox_url" "$key" || exit $?
  # A year and a bit later: the same store and data, with the app's clock moved on, so the points expire.
  say "restarting the store with its clock 400 days ahead (WESTORE_CLOCK_OFFSET_DAYS)"
  kill -TERM "$store_pid" 2>/dev/null || true
  wait "$store_pid" 2>/dev/null || true
  WESTORE_CLOCK_OFFSET_DAYS=400 start_for_demo
  infra/local/demo.sh "$url" "$sandbox_url" "$key" later
  exit $?
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
require_tools
ensure_azurite
ensure_console_assets

data="${WESTORE_DATA_DIR:-$WESTORE_ROOT/.data}"
mkdir -p "$data/logs"
rm -f "$data/ready"
host_port="${WESTORE_HOST_PORT:-7071}"
sandbox_port="${WESTORE_SANDBOX_PORT:-7072}"
azurite_base="${WESTORE_AZURITE_PORT:-10000}"
host_url="http://127.0.0.1:$host_port"
require_free_port "$host_port" "the local host" "WESTORE_HOST_PORT"
require_free_port "$sandbox_port" "the WeChat sandbox" "WESTORE_SANDBOX_PORT"

config="${WESTORE_CONFIGURATION:-Debug}"
host_dll="infra/local/WeStore.LocalHost/bin/$config/net10.0/WeStore.LocalHost.dll"
stamp="$data/build-$config.stamp"
# A no-op build costs seconds; build only when a source changed since the last successful build.
if [[ "${WESTORE_SKIP_BUILD:-}" == 1 && -f "$host_dll" ]]; then
  : # the caller (the test suite) has just built everything
elif [[ ! -f "$host_dll" || ! -f "$stamp" ]] || [[ -n "$(find functions shared infra/local host.json Directory.Build.props Directory.Packages.props \
      -path '*/bin' -prune -o -path '*/obj' -prune -o -path '*/node_modules' -prune -o -type f -newer "$stamp" -print -quit)" ]]; then
  say "building"
  touch "$stamp.next"
  dotnet build infra/local/local.slnf -c "$config" -nologo -clp:ErrorsOnly -v:quiet >&2 || die "the build failed"
  mv "$stamp.next" "$stamp"
fi

pids=()
cleanup() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_pid "${pids[$i]}"; done
}
trap 'cleanup; rm -f "$data/ready"' EXIT
trap 'exit 130' INT TERM

say "starting Azurite (data in .data/azurite) on 127.0.0.1:$azurite_base-$((azurite_base + 2))"
pids+=("$(start_azurite "$azurite_base" "$data/azurite" "$data/logs/azurite.log")")

# Local secrets are generated once into .data/ (ignored by git); anything already in the environment wins.
secret() { # file bytes
  [[ -s "$data/$1" ]] || (umask 077 && head -c "$2" /dev/urandom | base64 | tr -d '\n' >"$data/$1")
  cat "$data/$1"
}
export AzureWebJobsStorage="${AzureWebJobsStorage:-$(azurite_connection_string "$azurite_base" $((azurite_base + 1)) $((azurite_base + 2)))}"
export Host__MasterKey="${Host__MasterKey:-$(secret master.key 24 | tr '+/' '-_')}"
export WeChat__AppId="${WeChat__AppId:-wx5e57000000000001}"
export WeChat__AppSecret="${WeChat__AppSecret:-$(secret appsecret 24 | tr -dc 'a-zA-Z0-9')}"
export WeChat__ApiBaseUrl="${WeChat__ApiBaseUrl:-http://127.0.0.1:$sandbox_port}"
export Session__SigningKeys__k1="${Session__SigningKeys__k1:-$(secret session-signing.key 32)}"
export Coupons__WelcomeCampaignId="${Coupons__WelcomeCampaignId-demo-welcome}"
# 02:00 in Shanghai (the schedule is UTC); the reminder template is the sandbox's.
export Loyalty__ExpirySchedule="${Loyalty__ExpirySchedule:-0 0 18 * * *}"
# Every timer's schedule is a setting (NCRONTAB, UTC), as Azure needs them: the sweeper and the token refresh.
export Payments__SweepSchedule="${Payments__SweepSchedule:-0 */5 * * * *}"
export WeChat__TokenRefreshSchedule="${WeChat__TokenRefreshSchedule:-0 */5 * * * *}"
export Loyalty__ReminderTemplateId="${Loyalty__ReminderTemplateId-tmpl-points-expiring}"
export Session__EncryptionKeys__e1="${Session__EncryptionKeys__e1:-$(secret session-encryption.key 32)}"
# The Mini Program message push: the sandbox signs and encrypts with the same Token and EncodingAESKey (43 characters).
export WeChat__PushToken="${WeChat__PushToken:-$(secret push.token 24 | tr -dc 'a-zA-Z0-9')}"
export WeChat__PushEncodingAesKey="${WeChat__PushEncodingAesKey:-$(secret push-aes.key 32 | tr -d '=')}"
# WeCom: the corp, its self-built customer-contact app and the callback, all the sandbox's unless set (43 letters and digits).
export WeCom__CorpId="${WeCom__CorpId:-ww5e570000000001}"
export WeCom__ContactSecret="${WeCom__ContactSecret:-$(secret wecom.secret 32 | tr -dc 'a-zA-Z0-9')}"
export WeCom__ApiBaseUrl="${WeCom__ApiBaseUrl:-http://127.0.0.1:$sandbox_port}"
export WeCom__CallbackToken="${WeCom__CallbackToken:-$(secret wecom.token 24 | tr -dc 'a-zA-Z0-9')}"
export WeCom__CallbackEncodingAesKey="${WeCom__CallbackEncodingAesKey:-$(secret wecom-aes.key 48 | tr -dc 'a-zA-Z0-9' | head -c 43)}"
# The Official Account (a service account): its own app, token and push, the sandbox's unless set.
export OfficialAccount__AppId="${OfficialAccount__AppId:-wx5e5700000000000a}"
export OfficialAccount__AppSecret="${OfficialAccount__AppSecret:-$(secret oa.secret 24 | tr -dc 'a-zA-Z0-9')}"
export OfficialAccount__ApiBaseUrl="${OfficialAccount__ApiBaseUrl:-http://127.0.0.1:$sandbox_port}"
export OfficialAccount__QrImageBaseUrl="${OfficialAccount__QrImageBaseUrl:-http://127.0.0.1:$sandbox_port}"
export OfficialAccount__Token="${OfficialAccount__Token:-$(secret oa.token 24 | tr -dc 'a-zA-Z0-9')}"
export OfficialAccount__EncodingAesKey="${OfficialAccount__EncodingAesKey:-$(secret oa-aes.key 48 | tr -dc 'a-zA-Z0-9' | head -c 43)}"
export OfficialAccount__ShippedTemplateId="${OfficialAccount__ShippedTemplateId-tmpl-oa-shipped}"
export Fulfilment__Schedule="${Fulfilment__Schedule:-0 5 * * * *}"
# 10:30 in Shanghai: yesterday's WeChat Pay trade bill against the store's books.
export Reconciliation__Schedule="${Reconciliation__Schedule:-0 30 2 * * *}"
export Segments__DueSchedule="${Segments__DueSchedule:-0 10 16 * * *}"
# The local clock can be moved on (POST /admin/clock); a waiting flow step looks again this often.
export Segments__MaxStepWaitSeconds="${Segments__MaxStepWaitSeconds:-3}"
# A broadcast's tasks are first looked at after this many seconds, then doubling (Azure: 10 minutes).
export Segments__BroadcastFollowSeconds="${Segments__BroadcastFollowSeconds:-2}"
# A group-buy team's timeout looks at most every 3 s, so a deadline passed on the moved clock ends the team at once.
export GroupBuys__MaxWaitSeconds="${GroupBuys__MaxWaitSeconds:-3}"
# A referrer earns 200 points when a member they brought completes a first order.
export Referral__RewardPoints="${Referral__RewardPoints:-200}"
export Referral__WeComStaffUserId="${Referral__WeComStaffUserId:-tea.advisor}"
export Fulfilment__ShippedTemplateId="${Fulfilment__ShippedTemplateId-tmpl-order-shipped}"
export WESTORE_HOST_URL="$host_url"

say "starting the WeChat sandbox on http://127.0.0.1:$sandbox_port"
Sandbox__Url="http://127.0.0.1:$sandbox_port" Sandbox__AppId="$WeChat__AppId" Sandbox__AppSecret="$WeChat__AppSecret" \
  Sandbox__PushUrl="$host_url/api/wechat/push" Sandbox__PushToken="$WeChat__PushToken" Sandbox__PushEncodingAesKey="$WeChat__PushEncodingAesKey" \
  Sandbox__WeComCorpId="$WeCom__CorpId" Sandbox__WeComSecret="$WeCom__ContactSecret" Sandbox__WeComCallbackUrl="$host_url/api/wecom/callback" \
  Sandbox__WeComCallbackToken="$WeCom__CallbackToken" Sandbox__WeComCallbackAesKey="$WeCom__CallbackEncodingAesKey" \
  Sandbox__OfficialAccountAppId="$OfficialAccount__AppId" Sandbox__OfficialAccountSecret="$OfficialAccount__AppSecret" \
  Sandbox__OfficialAccountPushUrl="$host_url/api/wechat/official-account/push" Sandbox__OfficialAccountToken="$OfficialAccount__Token" \
  Sandbox__OfficialAccountAesKey="$OfficialAccount__EncodingAesKey" \
  Sandbox__DataDirectory="$data/sandbox" dotnet "infra/local/WeStore.Sandbox/bin/$config/net10.0/WeStore.Sandbox.dll" >"$data/logs/sandbox.log" 2>&1 &
pids+=("$!")
# The host needs only the sandbox's key files, not the sandbox itself: wait for it only when they are new.
[[ -s "$data/sandbox/wechatpay.json" ]] || wait_for_port "$sandbox_port" 30 "the WeChat sandbox" "${pids[-1]}"

# WeChat Pay points at the sandbox and its generated keys unless the environment says otherwise.
pay_ids="$data/sandbox/wechatpay.json"
pay_field() { node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]]))' "$pay_ids" "$1"; }
export WeChatPay__MchId="${WeChatPay__MchId:-$(pay_field MchId)}"
export WeChatPay__MerchantSerialNo="${WeChatPay__MerchantSerialNo:-$(pay_field MerchantSerialNo)}"
export WeChatPay__MerchantPrivateKey="${WeChatPay__MerchantPrivateKey:-$data/sandbox/merchant_apiclient_key.pem}"
export WeChatPay__ApiV3Key="${WeChatPay__ApiV3Key:-$(pay_field ApiV3Key)}"
export WeChatPay__PlatformPublicKeyId="${WeChatPay__PlatformPublicKeyId:-$(pay_field PlatformPublicKeyId)}"
export WeChatPay__PlatformPublicKey="${WeChatPay__PlatformPublicKey:-$data/sandbox/pub_key.pem}"
export WeChatPay__BaseUrl="${WeChatPay__BaseUrl:-http://127.0.0.1:$sandbox_port}"
export WeChatPay__NotifyUrl="${WeChatPay__NotifyUrl:-$host_url/api/pay/notify}"
export WeChatPay__RefundNotifyUrl="${WeChatPay__RefundNotifyUrl:-$host_url/api/pay/refund-notify}"

say "starting the local host on $host_url"
dotnet "$host_dll" 2>&1 | tee "$data/logs/host.log" >&2 &
host_pid=$!
pids+=("$(pgrep -P $$ -f WeStore.LocalHost.dll | head -n 1 || echo "$host_pid")")
for ((i = 0; i < 600; i++)); do
  code="$(curl -s -o /dev/null -w '%{http_code}' "$host_url/api/health" 2>/dev/null || true)"
  [[ "$code" == 200 ]] && break
  kill -0 "$host_pid" 2>/dev/null || die "the local host exited during start-up (see .data/logs/host.log)"
  sleep 0.1
done
[[ "$code" == 200 ]] || die "the local host did not become healthy within 60 s"

# A demo catalog, once, into an empty store.
if [[ "$(curl -s "$host_url/api/catalog/products")" == '{"products":[]}' ]]; then
  curl -s -o /dev/null -w '' -X POST "$host_url/api/manage/catalog" -H "x-functions-key: $Host__MasterKey" \
    -H 'content-type: application/json' --data-binary @infra/local/demo-catalog.json && say "loaded the demo catalog (infra/local/demo-catalog.json)"
fi
if [[ "$Coupons__WelcomeCampaignId" == demo-welcome && "$(curl -s -o /dev/null -w '%{http_code}' -H "x-functions-key: $Host__MasterKey" "$host_url/api/manage/coupons/campaigns/demo-welcome")" == 404 ]]; then
  curl -s -o /dev/null -X POST "$host_url/api/manage/coupons/campaigns" -H "x-functions-key: $Host__MasterKey" \
    -H 'content-type: application/json' --data-binary @infra/local/demo-welcome-campaign.json && say "created the demo welcome coupon campaign"
fi

touch "$data/ready"
cat >&2 <<MSG

  WeStore is running.
    API          $host_url/api          (health: $host_url/api/health)
    Console      $host_url/api/manage/console/   (sign in with the master key)
    Operators    $host_url/api/manage/...   and   $host_url/admin/functions/{name}  (master key)
    Master key   $Host__MasterKey   (header x-functions-key, or ?code=)
    Storage      Azurite, data in .data/azurite
    WeChat       sandbox at http://127.0.0.1:$sandbox_port (WeChat__ApiBaseUrl=$WeChat__ApiBaseUrl, WeChatPay__BaseUrl=$WeChatPay__BaseUrl)
    Pay a order  curl -X POST http://127.0.0.1:$sandbox_port/sandbox/pay/{orderNo}
    Logs         .data/logs/
  Press Ctrl+C to stop.

MSG
wait "$host_pid"
