#!/usr/bin/env python3
"""Redis's own time per command (INFO commandstats: calls and usec, the time spent executing each command; a script's
redis.call()s are inside its evalsha's usec and also counted on their own).
Usage: redis-commandstats.py PID > snapshot.json   (PID of a redis-server; its listening port is read from /proc)
       redis-commandstats.py --diff before.json after.json COUNT   (per command: calls, us per call, us per COUNT)"""
import json, os, re, socket, sys


def port_of(pid):
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            m = re.match(r"socket:\[(\d+)\]", os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            continue
        if m:
            inodes.add(m.group(1))
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        f = line.split()
        if f[3] == "0A" and f[9] in inodes:  # LISTEN
            return int(f[1].split(":")[1], 16)
    raise SystemExit(f"redis-server {pid} listens on no IPv4 TCP port")


def snapshot(pid):
    s = socket.create_connection(("127.0.0.1", port_of(pid)), timeout=5)
    s.sendall(b"*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n")
    buf = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
        m = re.match(rb"\$(\d+)\r\n", buf)
        if m and len(buf) >= m.end() + int(m.group(1)):
            break
    return {c: [int(n), int(u)] for c, n, u in re.findall(r"cmdstat_([a-z|_-]+):calls=(\d+),usec=(\d+)", buf.decode())}


if sys.argv[1] == "--diff":
    a, b, n = json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), float(sys.argv[4])
    rows = []
    for cmd, (calls, usec) in b.items():
        dc, du = calls - a.get(cmd, [0, 0])[0], usec - a.get(cmd, [0, 0])[1]
        if dc > 0:
            rows.append((du, cmd, dc))
    for du, cmd, dc in sorted(rows, reverse=True):
        print(f"  {cmd:<10} {dc:9d} calls  {du / dc:6.1f} us/call  {du / n:5.1f} us per unit")
else:
    json.dump(snapshot(sys.argv[1]), sys.stdout)
