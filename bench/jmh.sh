#!/usr/bin/env bash
# JMH benchmarks of the gateway (gateway/src/test/java/io/seckill/gateway/jmh; the normal build compiles them, no test
# runs them): compiles them with the reactor, writes the test class path, then runs org.openjdk.jmh.Main on it.
# Usage: [BUILD=0] bench/jmh.sh [JMH arguments, e.g. TokenCheckBench, GroupScriptBench, -l to list]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ "${BUILD:-1}" != 0 ]; then
  mvn -B -q -o -pl gateway -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/jmh.classpath
fi
exec java -cp "gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/jmh.classpath)" org.openjdk.jmh.Main "$@"
