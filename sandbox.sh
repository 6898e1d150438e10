#!/bin/sh
# nifi-publicdata sandbox: a real Apache NiFi 2.3.0, assembled from Maven Central, on http://127.0.0.1:18480/nifi/
# with this project's NAR and the example policy flow. Plain HTTP on loopback without login: a sandbox, not production.
#
#   ./sandbox.sh          (re)start it from a clean state and run the sample data through the flow
#   ./sandbox.sh stop     stop it
#   ./sandbox.sh status   is it running?
#   ./sandbox.sh test     end-to-end test in a NiFi of its own, stopped afterwards whatever the outcome
#
# Needs a JDK 21+ (found like ./mvnw finds it) and Python 3.9+. Options: ./sandbox.sh --help
set -eu
cd "$(dirname "$0")"
. ./.mvn/jdk.sh
command -v python3 >/dev/null 2>&1 || { echo "The sandbox needs Python 3.9 or newer (python3)." >&2; exit 1; }
exec python3 -B sandbox/main.py "$@"
