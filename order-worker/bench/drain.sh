#!/usr/bin/env bash
# Drains a backlog of admitted orders with one or more order-worker processes and prints orders/s, heap peak and CPU split.
# Usage: order-worker/bench/drain.sh [orders=500000] [partitions=12] [worker -Xmx=512m] [reserve|admit] [workers=1]
# Worker settings come from the environment, e.g. SECKILL_WORKER_CONCURRENCY=8 SECKILL_WORKER_BATCH_SIZE=2000.
# Run it without a lock around it: it builds under `flock -s /tmp/seckill-cpu.lock` and takes the backlog's
# exclusive lock (`flock -x`) itself only for the drain, so the figures are taken with nothing else running.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cp="$(mktemp)"
trap 'rm -f "$cp"' EXIT
flock -s /tmp/seckill-cpu.lock mvn -B -q -o -pl order-worker -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp" -Dmdep.includeScope=test >/dev/null
exec java -Xmx2g -cp "order-worker/target/test-classes:order-worker/target/classes:$(cat "$cp")" \
  io.seckill.worker.DrainBenchmark "$@"
