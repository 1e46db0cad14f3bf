#!/usr/bin/env bash
# Every fault scenario, the bad-input corpora, the Redis recovery path and the scale-out run, against the pipeline as
# separate processes (2 gateways, 2 order workers, delay service; a KRaft controller and 3 Kafka brokers, Redis AOF,
# PostgreSQL).
# Builds what it needs; runs only this module's tests. Results: reliability/target/reliability/{results.md,scale-out.md}.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -Pfaults -pl reliability -am verify \
  -Dtest=skip -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='MalformedInputIT,ScaleOutIT,FaultScenariosIT,RedisRecoveryIT' -Dfailsafe.failIfNoSpecifiedTests=false "$@"
