#!/bin/sh
# Throughput of the nifi-publicdata processors against NiFi's ConvertRecord, same reader, writer and data,
# in one JVM. Not part of the test run. Options are Maven properties, e.g.
#   ./benchmark.sh -Dbenchmark.records=500000 -Dbenchmark.rounds=7
#   ./benchmark.sh -Dbenchmark.only=ProtectRecord
set -eu
cd "$(dirname "$0")"
exec ./mvnw -B -q -Pbenchmark -pl nifi-publicdata-benchmarks -am verify -DskipTests "$@"
