#!/usr/bin/env bash
# Where the purchase path's CPU goes: the gateway tier alone (`up --services gateway`), 20 s of purchases to warm, then
# a JFR recording (JFR_SETTINGS: default, execution samples every 20 ms; or profile, every 10 ms, dearer) during 15 s
# of purchases; prints the hottest frames of the event-loop threads, self (top of stack) and total (on the stack).
# Usage: [PORT=18080] bench/purchase-profile.sh [seconds=15] [connections=64] [top=40]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DUR="${1:-15}"
CONN="${2:-64}"
TOP="${3:-40}"
PORT="${PORT:-18080}"
. "$ROOT/bench/lib.sh"
export SECKILL_MAX_ORDERS_LAG=1000000000 # no worker consumes the orders topic
start_up --services gateway
tokens bench 50000
S=$(sale 10000000)
TOKENS="$WORK/tokens.txt" SALE=$S wrk -t2 -c$CONN -d20s -s "$ROOT/bench/purchase.lua" "$BASE" >/dev/null
jcmd "$UP" JFR.configure stackdepth=96 >/dev/null 2>&1 || true
jcmd "$UP" JFR.start name=purchase settings="${JFR_SETTINGS:-default}" filename="$WORK/purchase.jfr" >/dev/null
TOKENS="$WORK/tokens.txt" SALE=$S wrk -t2 -c$CONN -d${DUR}s -s "$ROOT/bench/purchase.lua" "$BASE" | tail -1
jcmd "$UP" JFR.stop name=purchase >/dev/null
jfr print --json --events jdk.ExecutionSample "$WORK/purchase.jfr" > "$WORK/samples.json"
python3 - "$WORK/samples.json" "$TOP" <<'PY'
import json, sys, collections
events = json.load(open(sys.argv[1]))["recording"]["events"]
top = int(sys.argv[2])
self_, total, n = collections.Counter(), collections.Counter(), 0
for e in events:
    v = e["values"]
    if not (v.get("sampledThread") or {}).get("javaName", "").startswith("vert.x-eventloop"):
        continue
    frames = [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in v["stackTrace"]["frames"]]
    if not frames:
        continue
    n += 1
    self_[frames[0]] += 1
    for f in set(frames):
        total[f] += 1
print(f"{n} event-loop samples")
print("self (top of stack):")
for f, c in self_.most_common(top):
    print(f"  {100 * c / n:5.1f}%  {f}")
print("total (on the stack):")
for f, c in total.most_common(top):
    print(f"  {100 * c / n:5.1f}%  {f}")
PY
