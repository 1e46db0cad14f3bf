#!/usr/bin/env bash
# Issue 3 benchmark: purchase (stock available: auth + Lua + Kafka ack) and sold-out answers (local flag) against a
# no-op endpoint of the same gateway, one run, the same load tool (wrk). Prints a BENCHMARKS.md row set.
# Usage: [SERVICES=gateway] [PORT=18080] [WARM=20] bench/gateway-throughput.sh [seconds] [connections]
# SERVICES=gateway runs the gateway tier alone (`up --services gateway`); the default runs the whole `up`.
# Also prints the CPU of one purchase by thread group (gateway JVM, from /proc/<pid>/task/*/stat) and Redis's, and for
# every phase the CPU per request of the gateway JVM, Redis and wrk itself, and Redis's own execution time per command
# during the purchase phase (INFO commandstats). A second no-op phase sends the purchase's
# own requests (built per request by bench/purchase.lua: token header, body) to POST /api/noop, and the ratios are
# printed against both no-ops: the static GET (as before) and this same-shape one.
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
# One measured phase: CPU of the gateway JVM and Redis (from /proc) around it, and wrk's own CPU (the subshell's
# children, from `times`). Usage: phase NAME VAR=value... wrk args...; wrk's summary line lands in $WORK/NAME.out.
phase() {
  local name=$1; shift
  "$ROOT/bench/thread-cpu.py" "$JVM" "$REDIS" > "$WORK/$name.cpu0"
  ( env "$@" | tail -1 > "$WORK/$name.out"; times > "$WORK/$name.times" ) # no pipe after times: a subshell has no children
  "$ROOT/bench/thread-cpu.py" "$JVM" "$REDIS" > "$WORK/$name.cpu1"
}
PURCHASE=(TOKENS="$WORK/tokens.txt" wrk -t2 -c$CONN -d${DUR}s -s "$ROOT/bench/purchase.lua")
phase noop wrk -t2 -c$CONN -d${DUR}s -s "$ROOT/bench/noop.lua" "$BASE/api/noop"
left0=$(stock_left "$BIG")
curl -sf "$BASE/metrics" > "$WORK/metrics0.txt"
"$ROOT/bench/redis-commandstats.py" "$REDIS" > "$WORK/redis0.json"
phase buy SALE=$BIG "${PURCHASE[@]}" "$BASE"
"$ROOT/bench/redis-commandstats.py" "$REDIS" > "$WORK/redis1.json"
curl -sf "$BASE/metrics" > "$WORK/metrics1.txt"
left1=$(stock_left "$BIG")
phase soldout SALE=$SMALL "${PURCHASE[@]}" "$BASE"
phase keyed KEYED=1 SALE=$SMALL "${PURCHASE[@]}" "$BASE"
# The no-op in the purchase's shape: the same Lua builds every request (token header, body), sent to POST /api/noop.
phase shaped NOOP=1 SALE=$SMALL "${PURCHASE[@]}" "$BASE"
phase noop2 wrk -t2 -c$CONN -d${DUR}s -s "$ROOT/bench/noop.lua" "$BASE/api/noop"
h=$(heap)
left=$(stock_left "$BIG")

sold=$((left0 - left1))
echo "noop (before)   $(cat "$WORK/noop.out")"
echo "purchase        $(cat "$WORK/buy.out")   (admitted in the phase: $sold, $(( sold / DUR ))/s; units sold in all: $((10000000 - left)))"
echo "sold-out        $(cat "$WORK/soldout.out")"
echo "sold-out, keyed $(cat "$WORK/keyed.out")"
echo "noop, shaped    $(cat "$WORK/shaped.out")   (POST /api/noop, requests built like the purchases)"
echo "noop (after)    $(cat "$WORK/noop2.out")"
echo "gateway heap    $h"
python3 - "$WORK" <<'PY'
import json, os, re, sys
work = sys.argv[1]
tick = os.sysconf("SC_CLK_TCK")
def rps(name):
    return float(re.search(r"rps=([0-9]+)", open(f"{work}/{name}.out").read()).group(1))
noop = (rps("noop") + rps("noop2")) / 2
shaped = rps("shaped")
print(f"static no-op (GET, mean of before/after) {noop:.0f} rps; shaped no-op (POST, purchase's requests) {shaped:.0f} rps")
print("ratio vs static no-op:  purchase = %.2f   sold-out = %.2f   keyed sold-out = %.2f   shaped no-op = %.2f"
      % (rps("buy") / noop, rps("soldout") / noop, rps("keyed") / noop, shaped / noop))
print("ratio vs shaped no-op:  purchase = %.2f   sold-out = %.2f   keyed sold-out = %.2f"
      % (rps("buy") / shaped, rps("soldout") / shaped, rps("keyed") / shaped))
print("CPU per request (us), by phase:  gateway JVM | redis-server | wrk (user+sys) | all three")
for name, label in [("noop", "no-op (before)"), ("buy", "purchase"), ("soldout", "sold-out"),
                    ("keyed", "sold-out, keyed"), ("shaped", "no-op, shaped"), ("noop2", "no-op (after)")]:
    n = float(re.search(r"requests=([0-9]+)", open(f"{work}/{name}.out").read()).group(1))
    a, b = json.load(open(f"{work}/{name}.cpu0")), json.load(open(f"{work}/{name}.cpu1"))
    d = {k: (b[k] - a.get(k, 0)) * 1e6 / tick / n for k in b}
    redis = sum(v for k, v in d.items() if k.startswith("redis-server"))
    jvm = sum(v for k, v in d.items() if not k.endswith("(process)"))
    # `times`: the shell's own user/sys, then its children's (wrk and tail); the last line is wrk's share
    m = re.findall(r"([0-9]+)m([0-9.]+)s", open(f"{work}/{name}.times").read().strip().splitlines()[-1])
    wrk = sum(int(mm) * 60 + float(ss) for mm, ss in m) * 1e6 / n
    print(f"  {label:<16} {jvm:7.1f} | {redis:5.1f} | {wrk:5.1f} | {jvm + redis + wrk:7.1f}   ({n:.0f} requests)")
PY
"$ROOT/bench/group-sizes.py" "$WORK/metrics0.txt" "$WORK/metrics1.txt"
echo "CPU per purchase during the purchase phase ($sold purchases), by thread group of the gateway JVM, and Redis:"
"$ROOT/bench/thread-cpu.py" --diff "$WORK/buy.cpu0" "$WORK/buy.cpu1" "$sold"
echo "Redis's execution time by command during the purchase phase (INFO commandstats; a script's own calls are inside"
echo "its evalsha and counted again on their own), per call and per purchase admitted:"
"$ROOT/bench/redis-commandstats.py" --diff "$WORK/redis0.json" "$WORK/redis1.json" "$sold"
