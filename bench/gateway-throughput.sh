#!/usr/bin/env bash
# Issue 3 benchmark: purchase (stock available: auth + Lua + Kafka ack) and sold-out answers (local flag) against a
# no-op endpoint of the same gateway, one run, the same load tool (wrk). Prints a BENCHMARKS.md row set.
# Usage: [SERVICES=gateway] [PORT=18080] [WARM=20] bench/gateway-throughput.sh [seconds] [connections]
# SERVICES=gateway runs the gateway tier alone (`up --services gateway`); the default runs the whole `up`.
# Also prints the CPU of one purchase by thread group (gateway JVM, from /proc/<pid>/task/*/stat) and Redis's.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DUR="${1:-15}"
CONN="${2:-64}"
PORT="${PORT:-18080}"
. "$ROOT/bench/lib.sh"

# The per-user bucket is the only limit a rotating pool of users could hit; the IP limit exempts loopback.
# Without the order worker nothing consumes the orders topic: lift the lag cap, or purchases turn into cheap 503s.
[ -n "${SERVICES:-}" ] && export SECKILL_MAX_ORDERS_LAG=1000000000
start_up ${SERVICES:+--services $SERVICES}
tokens bench 50000
BIG=$(sale 10000000)
SMALL=$(sale 1)
TOKENS="$WORK/tokens.txt" SALE=$SMALL wrk -t1 -c1 -d1s -s "$ROOT/bench/purchase.lua" "$BASE" >/dev/null # sells the one unit

echo "warm-up"; wrk -t2 -c$CONN -d5s -s "$ROOT/bench/noop.lua" "$BASE/api/noop" >/dev/null
TOKENS="$WORK/tokens.txt" SALE=$BIG wrk -t2 -c$CONN -d${WARM:-20}s -s "$ROOT/bench/purchase.lua" "$BASE" >/dev/null

JVM=$UP # `seckill` execs java, so this is the gateway JVM (not another engineer's)
REDIS=$(pgrep -P "$JVM" redis-server | head -1)
heap() { jcmd "$JVM" GC.heap_info 2>/dev/null | grep -E 'total|used' | head -2 | tr -s ' ' | tr '\n' ' '; }
noop=$(wrk -t2 -c$CONN -d${DUR}s -s "$ROOT/bench/noop.lua" "$BASE/api/noop" | tail -1)
left0=$(stock_left "$BIG")
"$ROOT/bench/thread-cpu.py" "$JVM" "$REDIS" > "$WORK/cpu0.json"
curl -sf "$BASE/metrics" > "$WORK/metrics0.txt"
buy=$(TOKENS="$WORK/tokens.txt" SALE=$BIG wrk -t2 -c$CONN -d${DUR}s -s "$ROOT/bench/purchase.lua" "$BASE" | tail -1)
"$ROOT/bench/thread-cpu.py" "$JVM" "$REDIS" > "$WORK/cpu1.json"
curl -sf "$BASE/metrics" > "$WORK/metrics1.txt"
left1=$(stock_left "$BIG")
soldout=$(TOKENS="$WORK/tokens.txt" SALE=$SMALL wrk -t2 -c$CONN -d${DUR}s -s "$ROOT/bench/purchase.lua" "$BASE" | tail -1)
keyed=$(KEYED=1 TOKENS="$WORK/tokens.txt" SALE=$SMALL wrk -t2 -c$CONN -d${DUR}s -s "$ROOT/bench/purchase.lua" "$BASE" | tail -1)
noop2=$(wrk -t2 -c$CONN -d${DUR}s -s "$ROOT/bench/noop.lua" "$BASE/api/noop" | tail -1)
h=$(heap)
left=$(stock_left "$BIG")

rps() { echo "$1" | sed -E 's/rps=([0-9]+).*/\1/'; }
echo "noop (before)   $noop"
echo "purchase        $buy   (admitted in the phase: $((left0 - left1)), $(( (left0 - left1) / DUR ))/s; units sold in all: $((10000000 - left)))"
echo "sold-out        $soldout"
echo "sold-out, keyed $keyed"
echo "noop (after)    $noop2"
echo "gateway heap    $h"
python3 - "$(rps "$noop")" "$(rps "$noop2")" "$(rps "$buy")" "$(rps "$soldout")" "$(rps "$keyed")" <<'PY'
import sys
n1, n2, buy, so, keyed = map(float, sys.argv[1:])
noop = (n1 + n2) / 2
print(f"purchase / noop = {buy/noop:.2f}   sold-out / noop = {so/noop:.2f}   keyed sold-out / noop = {keyed/noop:.2f}")
PY
sold=$((left0 - left1))
"$ROOT/bench/group-sizes.py" "$WORK/metrics0.txt" "$WORK/metrics1.txt"
echo "CPU per purchase during the purchase phase ($sold purchases), by thread group of the gateway JVM, and Redis:"
"$ROOT/bench/thread-cpu.py" --diff "$WORK/cpu0.json" "$WORK/cpu1.json" "$sold"
