#!/usr/bin/env bash
# Chooses the gateway producer's settings by measurement: for each variant (env assignments), the gateway tier alone
# (`up --services gateway`), 20 s of purchases to warm, then 15 s measured: purchases/s and CPU per purchase.
# Usage: PORT=18080 bench/producer-variants.sh "SECKILL_ORDERS_COMPRESSION=lz4" "SECKILL_ORDERS_COMPRESSION=none" ...
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PORT:-18080}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
# Without the order worker nothing consumes the orders topic: lift the lag cap (as gateway-throughput.sh does), or
# after ~500,000 orders purchases turn into cheap 503s and the figure measures those.
export SECKILL_MAX_ORDERS_LAG=1000000000
trap 'kill $UP 2>/dev/null; wait $UP 2>/dev/null; rm -rf "$WORK"' EXIT
"$ROOT/seckill" token --user bench --count 50000 > "$WORK/tokens.txt"
ADMIN="$("$ROOT/seckill" token --admin)"
for variant in "$@"; do
  env $variant SECKILL_HTTP_PORT=$PORT "$ROOT/seckill" up --verbose --services gateway > "$WORK/up.log" 2>&1 &
  UP=$!
  for i in $(seq 1 120); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 1; done
  SALE=$(curl -sf -X POST "$BASE/admin/sales" -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' \
    -d '{"item":"bench","stock":10000000,"priceCents":100,"startsAt":"2020-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z","perUserLimit":100,"paymentTimeoutSeconds":900}' \
    | sed -E 's/.*"saleId":"([0-9]+)".*/\1/')
  TOKENS="$WORK/tokens.txt" SALE=$SALE wrk -t2 -c64 -d20s -s "$ROOT/bench/purchase.lua" "$BASE" >/dev/null
  left0=$(curl -sf "$BASE/api/sales/$SALE" | sed -E 's/.*"stockLeft":([0-9]+).*/\1/')
  "$ROOT/bench/thread-cpu.py" "$UP" > "$WORK/cpu0.json"
  buy=$(TOKENS="$WORK/tokens.txt" SALE=$SALE wrk -t2 -c64 -d15s -s "$ROOT/bench/purchase.lua" "$BASE" | tail -1)
  "$ROOT/bench/thread-cpu.py" "$UP" > "$WORK/cpu1.json"
  left1=$(curl -sf "$BASE/api/sales/$SALE" | sed -E 's/.*"stockLeft":([0-9]+).*/\1/')
  echo "== $variant: purchase $buy ($((left0 - left1)) sold)"
  "$ROOT/bench/thread-cpu.py" --diff "$WORK/cpu0.json" "$WORK/cpu1.json" "$((left0 - left1))"
  kill $UP; wait $UP 2>/dev/null || true
done
