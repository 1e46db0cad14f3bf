#!/usr/bin/env python3
# Measures Redis memory per admitted buyer with Seckill's own Lua scripts (README "Sizing").
# Runs N admissions of one sale (admit.lua), then the workers' claim.lua + forget.lua, and prints used_memory per
# buyer at the peak (reservations not yet persisted) and once settled. FLUSHALLs the Redis it is given: use a
# throwaway one, e.g. the binary bundled in embedded-redis:
#   unzip -o -j ~/.m2/repository/com/github/codemonstur/embedded-redis/1.4.3/embedded-redis-1.4.3.jar \
#     redis-server-6.2.6-v5-linux-amd64 -d /tmp && chmod +x /tmp/redis-server-6.2.6-v5-linux-amd64
#   /tmp/redis-server-6.2.6-v5-linux-amd64 --port 26399 --bind 127.0.0.1 --save '' --appendonly no &
#   python3 infra/deploy/sizing/redis-memory.py 26399 1000000 key     # or nokey (no Idempotency-Key)
# Order ids are 18 digits, user ids 12 characters, Idempotency-Keys 36 (a UUID).
import os, socket, sys, time
D = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../inventory/src/main/resources/io/seckill/inventory/')
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
f = s.makefile('rb')
def enc(*a):
    out = b'*%d\r\n' % len(a)
    for x in a:
        x = x if isinstance(x, bytes) else str(x).encode()
        out += b'$%d\r\n%s\r\n' % (len(x), x)
    return out
def read():
    l = f.readline()
    t = l[:1]
    if t in (b'+', b'-', b':'):
        if t == b'-': raise Exception(l)
        return l[1:-2]
    if t == b'$':
        n = int(l[1:-2]); 
        if n < 0: return None
        d = f.read(n + 2); return d[:-2]
    if t == b'*':
        n = int(l[1:-2]); return [read() for _ in range(n)]
def cmd(*a):
    s.sendall(enc(*a)); return read()
def load(name): return cmd('SCRIPT', 'LOAD', open(D + name).read()).decode()
admit, claim, forget, loadsale = load('admit.lua'), load('claim.lua'), load('forget.lua'), load('load-sale.lua')
N = int(sys.argv[2]); useKey = sys.argv[3] == 'key'
sale = 249902990188613632
p = 'seckill:{%d}:' % sale
K = dict(sale=p+'sale', users=p+'users', idem=p+'idem', resv=p+'resv', pending=p+'pending', done=p+'done')
cmd('FLUSHALL')
now = int(time.time()*1000)
cmd('EVALSHA', loadsale, 1, K['sale'], N, now - 1000, now + 10**9, 1)
def mem(): 
    info = cmd('INFO', 'memory').decode()
    return int([l for l in info.split('\r\n') if l.startswith('used_memory:')][0].split(':')[1])
base = mem()
B = 2000
ids = []
for start in range(0, N, B):
    buf = b''
    for i in range(start, min(N, start + B)):
        oid = str(249903052457250816 + i * 4097)
        uid = 'user-%07d' % i
        key = '%08x-1c2d-4e5f-8a9b-%012x' % (i, i) if useKey else ''
        buf += enc('EVALSHA', admit, 5, K['sale'], K['users'], K['idem'], K['resv'], K['pending'], oid, uid, 1, key)
    s.sendall(buf)
    for i in range(start, min(N, start + B)):
        r = read()
        assert r[0] == b'OK', r
admitted = mem()
for start in range(0, N, B):
    batch = [str(249903052457250816 + i * 4097) for i in range(start, min(N, start + B))]
    cmd('EVALSHA', claim, 3, K['resv'], K['pending'], K['done'], *batch)
    cmd('EVALSHA', forget, 1, K['resv'], *batch)
settled = mem()
print(f'N={N} idempotency-key={useKey} base={base} admitted(+resv+pending)={(admitted-base)/N:.1f} B/buyer settled(users+idem+done)={(settled-base)/N:.1f} B/buyer')
for k in ('users','idem','resv','pending','done'):
    print(k, cmd('MEMORY','USAGE',K[k],'SAMPLES','0'), cmd('TYPE', K[k]))
