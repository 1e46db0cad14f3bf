#!/usr/bin/env bash
# Whole pipeline (docs/SPEC.md §6): purchases sustained for DUR seconds against `./seckill up` (gateway, order worker, delay
# service and embedded Kafka, Redis, PostgreSQL, all on this machine, with wrk), then the time until every admitted
# order is a row. Prints purchases/s admitted, rows/s, drain time after the load, CPU per order by thread group.
# Usage: bench/pipeline.sh [seconds=30] [connections=64] [warm-up seconds=20]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DUR="${1:-30}"
CONN="${2:-64}"
WARM="${3:-20}"
PORT="${PORT:-18080}"
. "$ROOT/bench/lib.sh"
start_up
tokens pipe 50000

audit() { curl -sf "$BASE/admin/sales/$1/audit" -H "Authorization: Bearer $ADMIN"; }
rows_and_drained() { # saleId -> "rows drained consistent"
  audit "$1" | python3 -c 'import json,sys; a=json.load(sys.stdin); print(sum(a["ordersByStatus"].values()), a["drained"], a["consistent"])'
}

WARMSALE=$(sale 10000000 3600)
echo "warm-up ${WARM}s on sale $WARMSALE"
TOKENS="$WORK/tokens.txt" SALE=$WARMSALE wrk -t2 -c$CONN -d${WARM}s -s "$ROOT/bench/purchase.lua" "$BASE" >/dev/null
for i in $(seq 1 120); do read -r _ d _ < <(rows_and_drained "$WARMSALE"); [ "$d" = True ] && break; sleep 1; done
sleep 3

STOCK=10000000
SALE=$(sale $STOCK 3600)
# `seckill` execs java, so $UP is the JVM of up (gateway, worker, delay service, broker); Redis and PostgreSQL are its
# descendants.
descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
PIDS="$UP $(descendants "$UP" | tr '\n' ' ')"
"$ROOT/bench/thread-cpu.py" $PIDS > "$WORK/cpu0.json"
counters() { curl -sf "$BASE/metrics" | grep -E '^seckill_(worker_(batches|commits|records_consumed)|delay_[a-z_]+)_total ' || true; }
counters > "$WORK/m0.txt"
load0=$(cut -d' ' -f1 /proc/loadavg)
out=$(TOKENS="$WORK/tokens.txt" SALE=$SALE wrk -t2 -c$CONN -d${DUR}s -s "$ROOT/bench/purchase.lua" "$BASE" | tail -1)
stop=$(date +%s.%N)
sold=$((STOCK - $(stock_left "$SALE")))
while :; do
  read -r rows drained consistent < <(rows_and_drained "$SALE")
  [ "$drained" = True ] && [ "$rows" -ge "$sold" ] && break
  sleep 0.2
done
drain=$(python3 -c "import time; print(f'{time.time() - $stop:.1f}')")
"$ROOT/bench/thread-cpu.py" $PIDS > "$WORK/cpu1.json"
counters > "$WORK/m1.txt"
read -r rows drained consistent < <(rows_and_drained "$SALE")
echo "wrk                 $out   (load average before: $load0)"
echo "admitted            $sold in ${DUR} s = $((sold / DUR))/s"
echo "rows                $rows, every admitted order a row ${drain} s after the load stopped; audit consistent: $consistent"
echo "CPU from the start of the load until drained, per admitted order (wrk not included):"
"$ROOT/bench/thread-cpu.py" --diff "$WORK/cpu0.json" "$WORK/cpu1.json" "$sold"
echo "consumer counters during the run (worker batches and commits per admitted order show how the rows were cut):"
python3 - "$WORK/m0.txt" "$WORK/m1.txt" "$sold" <<'PY'
import sys
def load(p):
    d = {}
    for line in open(p):
        k, v = line.rsplit(' ', 1)
        d[k] = float(v)
    return d
a, b, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
for k in sorted(b):
    delta = b[k] - a.get(k, 0)
    if delta:
        print(f"  {k:<60} {delta:>12.0f}  ({n / delta:,.1f} orders each)" if 'batches' in k or 'commits' in k else f"  {k:<60} {delta:>12.0f}")
PY
