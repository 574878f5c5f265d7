#!/usr/bin/env bash
# Issue 16: gating and clustering accuracy on the realistic 46-patient trial, all visits, P1-P3.
# Usage: scripts/bench/accuracy-trial.sh [WORK_DIR]   (default /tmp/accbench; then scripts/bench/accuracy-by-period.sh WORK_DIR/lake <setup change date>)
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${1:-/tmp/accbench}; mkdir -p $B
rm -rf $B/trial $B/lake
t0=$(date +%s)
bin/cytolake generate --out $B/trial --patients 46 --events-per-sample 8000 > $B/generate.log 2>&1
echo "generate $(( $(date +%s)-t0 )) s"
for step in "ingest-clinical --input $B/trial/clinical" "ingest-fcs --input $B/trial --manifest $B/trial/manifest.csv" "gate" "cluster" ; do
  t=$(date +%s)
  bin/cytolake $step --lake $B/lake > $B/$(echo $step | cut -d' ' -f1).log 2>&1
  echo "$(echo $step | cut -d' ' -f1) $(( $(date +%s)-t )) s"
done
t=$(date +%s)
bin/cytolake evaluate --lake $B/lake --labels $B/trial/truth/event_labels.csv.gz --json > $B/evaluate.json 2> $B/evaluate.log
echo "evaluate $(( $(date +%s)-t )) s"
echo "total $(( $(date +%s)-t0 )) s"
