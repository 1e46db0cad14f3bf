#!/usr/bin/env bash
# Every fault scenario, the bad-input corpora, the Redis recovery path and the scale-out run, against the pipeline as
# separate processes (2 gateways, 2 order workers, delay service; a KRaft controller and 3 Kafka brokers, Redis AOF,
# PostgreSQL).
# Builds what it needs; runs only this module's tests. Results: reliability/target/reliability/{results.md,scale-out.md}.
# The fault scenarios run at the load of a sale: -Dfaults.rate=N buyers offered per second (default 2000) for
# -Dfaults.seconds=S (default 8); pass either to change it, e.g. ./reliability/run-faults.sh -Dfaults.rate=5000
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -Pfaults -pl reliability -am verify \
  -Dtest=skip -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='MalformedInputIT,ScaleOutIT,FaultScenariosIT,RedisRecoveryIT' -Dfailsafe.failIfNoSpecifiedTests=false "$@"
