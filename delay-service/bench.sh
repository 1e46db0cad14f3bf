#!/usr/bin/env bash
# The delay-service benchmark against an embedded dev stack: bench.sh [orders=100000] [spreadMillis=10000] [worker|late]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -pl delay-service -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="delay-service/target/test-classes:delay-service/target/classes:$(cat delay-service/target/test-classpath.txt)"
exec java -Xmx2g -cp "$cp" io.seckill.delay.DelayBenchmark "$@"
