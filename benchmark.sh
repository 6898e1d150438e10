#!/bin/sh
# JMH benchmarks of the nifi-publicdata processors against NiFi's ConvertRecord: same reader, writer and generated data,
# in the same fork. Not part of the test run. Takes JMH's own options; 27 minutes for everything on 2 cores.
#
#   ./benchmark.sh                                  every scenario, JSON and CSV, each against ConvertRecord
#   ./benchmark.sh -p scenario=ProtectRecord        one scenario (ClassifyRecord, EnforceGrantScope,
#                                                   EnforceGrantScope-6-fields, EnforceGrantScope-signed-request,
#                                                   ProtectRecord, DecryptRecord, AssessDisclosureRisk, EmitLineage, Chain)
#   ./benchmark.sh -p format=CSV -f 1               one format, one fork: a quicker look
#   ./benchmark.sh -prof gc                         bytes allocated per record and GC time, beside the scores
#   ./benchmark.sh -prof jfr                        a JFR recording per fork (see docs/benchmarks.md)
#   ./benchmark.sh -h                               every JMH option
#   ./benchmark.sh large                            1 GB through the whole chain in a real NiFi with a 512 MB heap
#   ./benchmark.sh quality                          detection quality: recall and false positives per label (not JMH)
#
# Scores are records/s; the table at the end gives each ratio to ConvertRecord with its error. JMH's JSON results go
# to nifi-publicdata-benchmarks/target/jmh-result.json. See docs/benchmarks.md.
set -eu
cd "$(dirname "$0")"
. ./.mvn/jdk.sh

build() {
  ./mvnw -B -q -Pbenchmark -pl nifi-publicdata-benchmarks -am package -DskipTests
}

case "${1:-}" in
  quality)
    # Detection quality (recall and false positives per label) on a generated corpus; args: per-writing count, non-identifiers, seed
    shift
    build
    target=nifi-publicdata-benchmarks/target
    exec "$JAVA_HOME/bin/java" -cp "$target/classes:$(cat "$target/benchmark.classpath")" io.publicdata.nifi.benchmarks.DetectionQuality "$@" ;;
  large)
    shift
    ./mvnw -B -q package -DskipTests
    build
    exec python3 -B sandbox/large_input.py "$@" ;;
esac

build
target=nifi-publicdata-benchmarks/target
# One benchmark run at a time on a machine (JMH itself refuses to start beside another): wait for the one running
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/nifi-publicdata-benchmark.lock"
  if ! flock -n 9; then
    echo "Another benchmark run is in progress on this machine; waiting for it to finish ..." >&2
    flock 9
  fi
fi
exec "$JAVA_HOME/bin/java" -Dbenchmark.result="$target/jmh-result.json" \
  -cp "$target/classes:$(cat "$target/benchmark.classpath")" io.publicdata.nifi.benchmarks.Benchmarks "$@"
