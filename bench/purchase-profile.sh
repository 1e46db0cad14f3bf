#!/usr/bin/env bash
# Where the purchase path's CPU goes: the gateway tier alone (`up --services gateway`), 20 s of purchases to warm, then
# a JFR recording (JFR_SETTINGS: default, execution samples every 20 ms; or profile, every 10 ms, dearer) during 15 s
# of purchases; prints the hottest frames of the event-loop threads, self (top of stack) and total (on the stack).
# THREADS: a regular expression of the thread names counted (default: the event loops; `.` for every thread, and then
# the samples by thread group too: broker, producer I/O, ...).
# JFR_OUT=path keeps the recording there (to read it again with other filters).
# Usage: [PORT=18080] [THREADS=regex] [JFR_OUT=path] bench/purchase-profile.sh [seconds=15] [connections=64] [top=40]
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
[ -n "${JFR_OUT:-}" ] && cp "$WORK/purchase.jfr" "$JFR_OUT"
jfr print --json --events jdk.ExecutionSample "$WORK/purchase.jfr" > "$WORK/samples.json"
python3 - "$WORK/samples.json" "$TOP" "${THREADS:-^vert\.x-eventloop}" <<'PY'
import json, re, sys, collections
events = json.load(open(sys.argv[1]))["recording"]["events"]
top = int(sys.argv[2])
threads = re.compile(sys.argv[3])
self_, total, groups, n = collections.Counter(), collections.Counter(), collections.Counter(), 0
for e in events:
    v = e["values"]
    name = (v.get("sampledThread") or {}).get("javaName") or ""
    if not threads.search(name):
        continue
    groups[re.sub(r"[0-9]+", "N", name)] += 1
    frames = [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in v["stackTrace"]["frames"]]
    if not frames:
        continue
    n += 1
    self_[frames[0]] += 1
    for f in set(frames):
        total[f] += 1
print(f"{n} samples of threads matching {threads.pattern}, by thread group:")
for g, c in groups.most_common(12):
    print(f"  {100 * c / n:5.1f}%  {g}")
print("self (top of stack):")
for f, c in self_.most_common(top):
    print(f"  {100 * c / n:5.1f}%  {f}")
print("total (on the stack):")
for f, c in total.most_common(top):
    print(f"  {100 * c / n:5.1f}%  {f}")
PY
