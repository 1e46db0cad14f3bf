# Shared by the bench scripts (source it after setting ROOT and PORT): wrk, a work folder, `./seckill up` on $PORT in
# the background (stopped on exit), an admin token, tokens for distinct users, sales.
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
WORK="$(mktemp -d)"
UP=""
trap '[ -n "$UP" ] && { kill $UP 2>/dev/null; wait $UP 2>/dev/null || true; }; rm -rf "$WORK"' EXIT
BASE="http://127.0.0.1:$PORT"
ADMIN="$("$ROOT/seckill" token --admin)"

# `seckill` execs java, so $UP is the JVM of up; it is ready once the gateway has warmed up.
start_up() { # up's arguments
  SECKILL_HTTP_PORT=$PORT "$ROOT/seckill" up --verbose "$@" > "$WORK/up.log" 2>&1 &
  UP=$!
  for _ in $(seq 1 180); do curl -sf "$BASE/health/ready" >/dev/null && return; sleep 1; done
  echo "up did not become ready on $BASE; its log:" >&2
  tail -20 "$WORK/up.log" >&2
  exit 1
}

tokens() { # user-id prefix, count -> $WORK/tokens.txt
  "$ROOT/seckill" token --user "$1" --count "$2" > "$WORK/tokens.txt"
}

sale() { # stock [payment timeout seconds] -> sale id (per-user limit 100, open for years)
  curl -sf -X POST "$BASE/admin/sales" -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' \
    -d "{\"item\":\"bench\",\"stock\":$1,\"priceCents\":100,\"startsAt\":\"2020-01-01T00:00:00Z\",\"endsAt\":\"2099-01-01T00:00:00Z\",\"perUserLimit\":100,\"paymentTimeoutSeconds\":${2:-900}}" \
    | sed -E 's/.*"saleId":"([0-9]+)".*/\1/'
}

stock_left() { # sale id
  curl -sf "$BASE/api/sales/$1" | sed -E 's/.*"stockLeft":([0-9]+).*/\1/'
}
