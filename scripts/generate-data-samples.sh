#!/usr/bin/env bash
# Regenerates data-samples/ exactly as data-samples/README.md says (keeps the README).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
exec bin/cytolake generate --out data-samples --overwrite --patients 11 --visits D1,D8,M6 \
  --events-per-sample 4500 "$@"
