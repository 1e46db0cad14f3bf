#!/usr/bin/env python3
"""Admission group sizes between two scrapes of a gateway's /metrics (the seckill_admission_group_size summary):
script calls, purchases, mean group size, and the share of calls and of purchases by size bucket.
Usage: group-sizes.py before.txt after.txt"""
import re, sys

def read(path):
    buckets, count, total = {}, 0.0, 0.0
    for line in open(path):
        if not line.startswith("seckill_admission_group_size"):
            continue
        name, value = line.rsplit(" ", 1)
        m = re.search(r'le="([^"]+)"', name)
        if "_bucket" in name and m:
            buckets[m.group(1)] = float(value)
        elif name.split("{")[0].endswith("_count"):
            count = float(value)
        elif name.split("{")[0].endswith("_sum"):
            total = float(value)
    return buckets, count, total

b0, c0, s0 = read(sys.argv[1])
b1, c1, s1 = read(sys.argv[2])
calls, purchases = c1 - c0, s1 - s0
if calls <= 0:
    print("no admission groups in the interval")
    sys.exit(0)
print(f"admission groups: {calls:.0f} script calls for {purchases:.0f} purchases, mean {purchases / calls:.1f} per call")
prev_le, prev = 0.0, 0.0
parts = []
for le in sorted((k for k in b1 if k != "+Inf"), key=float):
    cum = b1[le] - b0.get(le, 0.0)
    if cum - prev > 0:
        lo, hi = int(prev_le) + 1, int(float(le))
        parts.append(f"{lo if lo == hi else f'{lo}-{hi}'}: {100 * (cum - prev) / calls:.0f}%")
    prev_le, prev = float(le), cum
print("calls by group size: " + ", ".join(parts))
