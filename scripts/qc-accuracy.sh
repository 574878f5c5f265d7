#!/usr/bin/env bash
# Acquisition QC (org.cytolake.qc, defaults) against a generated trial's per-event anomaly truth:
# precision, recall (per kind too) and the share flagged in files without an injected anomaly
# (BENCHMARKS.md, "Acquisition QC accuracy"). A trial without anomaly truth (data-samples) counts
# every file as clean.
#   scripts/qc-accuracy.sh TRIAL_DIR          # e.g. the output of bin/cytolake generate --out TRIAL_DIR
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $# -eq 1 ]] || { echo "usage: scripts/qc-accuracy.sh TRIAL_DIR" >&2; exit 2; }
"$ROOT/bin/cytolake" --version > /dev/null # builds the jars when stale
JAR="$(ls "$ROOT"/jobs/target/cytolake-jobs-*.jar | grep -v -- '-cluster.jar$' | head -n 1)"
exec java -Xmx${CYTOLAKE_DRIVER_MEMORY:-4g} -cp "$JAR:$(cat "$ROOT/jobs/target/local-classpath.txt")" \
  org.cytolake.bench.QcAccuracy "$1"
