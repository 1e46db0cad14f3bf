#!/usr/bin/env python3
"""CPU time of processes, from /proc/<pid>/task/*/stat: a JVM's threads grouped by thread name (digits dropped), any
other process (redis-server, postgres) as one group named after it.
Usage: thread-cpu.py PID... > snapshot.json ; thread-cpu.py --diff before.json after.json COUNT
prints microseconds per unit of COUNT by group."""
import json, os, re, sys

TICK = os.sysconf("SC_CLK_TCK")

def snapshot(pid, out):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return out
    process = s[s.index("(") + 1:s.rindex(")")]
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        ticks = int(fields[11]) + int(fields[12])  # utime + stime
        group = re.sub(r"[0-9]+", "N", name) if process == "java" else f"{process} (process)"
        out[group] = out.get(group, 0) + ticks
    return out

if sys.argv[1] == "--diff":
    a = json.load(open(sys.argv[2])); b = json.load(open(sys.argv[3])); n = float(sys.argv[4])
    rows = sorted(((b[k] - a.get(k, 0)) * 1e6 / TICK / n, k) for k in b)
    total = 0
    for us, k in reversed(rows):
        total += us
        if us >= 0.5:
            print(f"  {k:<40} {us:7.1f} us")
    print(f"  {'total':<40} {total:7.1f} us")
else:
    out = {}
    for pid in sys.argv[1:]:
        snapshot(pid, out)
    json.dump(out, sys.stdout)
