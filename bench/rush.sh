#!/usr/bin/env bash
# Issue 14's rush in production shape: BUYERS distinct buyers, each with a token and an Idempotency-Key of its own,
# purchase once over CONN keep-alive connections (wrk, bench/rush.lua) for STOCK units of one sale. The gateway runs as
# `./seckill gateway`, a JVM of its own with a HEAP heap (-Xms = -Xmx, ParallelGC, GC log); Kafka, Redis, PostgreSQL,
# the order worker and the delay service come from `./seckill up --services order_worker,delay_service`.
# Prints: when every buyer had been answered, latency p50/p99/max, answers by status, orders in PostgreSQL, the audit,
# the gateway's heap peak during the rush (largest heap-before-GC in the GC log; the heap at the end beside it), the
# admission group sizes.
# Usage: [PORT=18080] [WARM=10] [HEAP=512m] [GATEWAY_JAVA_OPTS=... KEEP=file: the gateway's output during the rush]
#        bench/rush.sh [buyers=100000] [stock=10000] [connections=1000]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUYERS="${1:-100000}"
STOCK="${2:-10000}"
CONN="${3:-1000}"
PORT="${PORT:-18080}"
HEAP="${HEAP:-512m}"
# A production gateway refuses the public development secret; tokens and the admin token are signed with this one.
export SECKILL_JWT_SECRET="rush-bench-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
. "$ROOT/bench/lib.sh"
GW=""
trap '[ -n "$GW" ] && { kill $GW 2>/dev/null; wait $GW 2>/dev/null || true; }
      [ -n "$UP" ] && { kill $UP 2>/dev/null; wait $UP 2>/dev/null || true; }; rm -rf "$WORK"' EXIT

# The servers, the order worker and the delay service; no management port (other engineers' processes use 9464).
SECKILL_MANAGEMENT_PORT=0 "$ROOT/seckill" up --services order_worker,delay_service > "$WORK/up.log" 2>&1 &
UP=$!
for _ in $(seq 1 180); do grep -q 'Seckill is up' "$WORK/up.log" && break; sleep 1; done
grep -q 'Seckill is up' "$WORK/up.log" || { echo "up did not start; its log:" >&2; tail -20 "$WORK/up.log" >&2; exit 1; }
KAFKA=$(awk '$1 == "kafka" {print $2}' "$WORK/up.log")
REDIS=$(awk '$1 == "redis" {print $2}' "$WORK/up.log")
PG=$(awk '$1 == "postgresql" {print $2}' "$WORK/up.log") # host:port/database
PGURI="postgresql://seckill:seckill@$PG"

# The gateway alone in its JVM. `seckill` execs java, so $GW is that JVM.
SECKILL_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError -Xlog:gc:file=$WORK/gc.log ${GATEWAY_JAVA_OPTS:-}" \
SECKILL_HTTP_HOST=127.0.0.1 SECKILL_HTTP_PORT=$PORT SECKILL_KAFKA_BOOTSTRAP=$KAFKA SECKILL_REDIS_URI=$REDIS \
SECKILL_PG_URI=$PGURI SECKILL_MANAGEMENT_PORT=0 "$ROOT/seckill" gateway > "$WORK/gateway.log" 2>&1 &
GW=$!
t0=$(date +%s)
for _ in $(seq 1 180); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 1; done
curl -sf "$BASE/health/ready" >/dev/null || { echo "gateway not ready; its log:" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1; }
echo "gateway ready $(( $(date +%s) - t0 )) s after start ($(grep -o 'warmed up in [^ ]* [^ ]*' "$WORK/gateway.log" | head -1))"

audit() { curl -sf "$BASE/admin/sales/$1/audit" -H "Authorization: Bearer $ADMIN"; }
drained() { audit "$1" | python3 -c 'import json,sys; a=json.load(sys.stdin); print(a["drained"], a["consistent"])'; }
rows() { psql -qtA "$PGURI" -c "select count(*) from orders where sale_id = $1"; }

if [ "${WARM:-10}" -gt 0 ]; then # the crowd of an earlier sale: the JIT's second tier, the connections' buffers
  tokens warm 20000
  W=$(sale 10000000 3600)
  TOKENS="$WORK/tokens.txt" SALE=$W wrk -t2 -c64 -d${WARM:-10}s -s "$ROOT/bench/purchase.lua" "$BASE" >/dev/null
  for _ in $(seq 1 60); do read -r d _ < <(drained "$W"); [ "$d" = True ] && break; sleep 1; done
fi
tokens rush "$BUYERS"
S=$(sale "$STOCK" 3600)
sleep 2
gc0=$(wc -l < "$WORK/gc.log")
log0=$(wc -l < "$WORK/gateway.log")
curl -sf "$BASE/metrics" > "$WORK/metrics0.txt"
load0=$(cut -d' ' -f1 /proc/loadavg)
descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
REST="$UP $(descendants "$UP" | tr '\n' ' ')" # the up JVM (broker, order worker, delay service), Redis, PostgreSQL
"$ROOT/bench/thread-cpu.py" "$GW" > "$WORK/gw0.json"
"$ROOT/bench/thread-cpu.py" $REST > "$WORK/rest0.json"
TIMEFORMAT='%U %S'
{ time THREADS=2 TOKENS="$WORK/tokens.txt" SALE=$S wrk -t2 -c"$CONN" -d"${LIMIT:-20}"s --timeout 30s \
  -s "$ROOT/bench/rush.lua" "$BASE" > "$WORK/wrk.txt" ; } 2> "$WORK/wrk-time.txt"
out=$(tail -1 "$WORK/wrk.txt")
"$ROOT/bench/thread-cpu.py" "$GW" > "$WORK/gw1.json"
"$ROOT/bench/thread-cpu.py" $REST > "$WORK/rest1.json"
curl -sf "$BASE/metrics" > "$WORK/metrics1.txt"
heap_end=$(jcmd "$GW" GC.heap_info 2>/dev/null | grep -oE 'total [0-9]+K, used [0-9]+K' | grep -oE '[0-9]+K$' | tr -d K \
  | awk '{s += $1} END {printf "%d MB", s / 1024}' || true)
gc_peak=$(tail -n +"$((gc0 + 1))" "$WORK/gc.log" | grep -oE '[0-9]+M->' | sed 's/M->//' | sort -n | tail -1 || true)
gcs=$(tail -n +"$((gc0 + 1))" "$WORK/gc.log" | grep -c 'Pause' || true)
pauses=$(tail -n +"$((gc0 + 1))" "$WORK/gc.log" | grep -oE '[0-9.]+ms$' | sed 's/ms//' | sort -n | tail -1 || true)
for _ in $(seq 1 120); do read -r d c < <(drained "$S"); [ "$d" = True ] && break; sleep 0.5; done
echo "wrk                 $out   (load average before: $load0)"
echo "sale                $S: stock left $(stock_left "$S") of $STOCK; orders in PostgreSQL: $(rows "$S")"
echo "audit               drained $d, consistent $c"
echo "gateway heap        -Xmx$HEAP; peak during the rush ${gc_peak:-?} MB before a collection, ${heap_end:-?} used at the end;" \
  "$gcs collections during the rush, longest pause ${pauses:-?} ms"
"$ROOT/bench/group-sizes.py" "$WORK/metrics0.txt" "$WORK/metrics1.txt"
# GATEWAY_JAVA_OPTS=-XX:+PrintCompilation: what the gateway's JIT compiled during the rush and the drain after it.
if [ -n "${GATEWAY_JAVA_OPTS:-}" ] && [ -n "${KEEP:-}" ]; then tail -n +"$((log0 + 1))" "$WORK/gateway.log" > "$KEEP"; fi
echo "CPU per buyer during the wrk run (${LIMIT:-20} s: the rush, then the order worker's drain and idle time):"
echo " gateway JVM by thread group:"
"$ROOT/bench/thread-cpu.py" --diff "$WORK/gw0.json" "$WORK/gw1.json" "$BUYERS"
echo " up JVM (broker, order worker, delay service) by thread group, Redis, PostgreSQL:"
"$ROOT/bench/thread-cpu.py" --diff "$WORK/rest0.json" "$WORK/rest1.json" "$BUYERS"
read -r wu ws < "$WORK/wrk-time.txt"
python3 -c "print(f' wrk (user + sys)                            {($wu + $ws) * 1e6 / $BUYERS:7.1f} us')"
