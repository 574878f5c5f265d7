#!/usr/bin/env bash
# Treg % of CD4 as gated against the generator's truth, per setup period (BENCHMARKS.md "Data-adaptive
# Treg gate"): scripts/bench/treg-gate-truth.sh TRIAL LAKE
#   TRIAL: a trial written by bin/cytolake generate (its truth/ and generation.json), LAKE: a lake that
#   bin/cytolake ingest-fcs and gate wrote from it. Prints per period (before / after the setup change
#   of generation.json, by samples.acquisition_date): P1 samples, the median and 95th percentile of
#   |gated - truth| Treg % of CD4 (percentage points), the mean signed difference; then, when the lake
#   has gate_thresholds, per period the thresholds found and how many fell back. Needs Java 17 and
#   DuckDB's JDBC jar in the local Maven repository.
set -euo pipefail
TRIAL="$(cd "$1" && pwd)"
LAKE="$(cd "$2" && pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DUCK="$(ls "$HOME"/.m2/repository/org/duckdb/duckdb_jdbc/*/duckdb_jdbc-*.jar | grep -v sources | tail -n 1)"
CHANGE="$(grep -o '"setup_change_from" *: *"[0-9-]*"' "$TRIAL/generation.json" | grep -o '[0-9]\{4\}-[0-9-]*')"
TREG=cells/singlets/live/leukocytes/lymphocytes/T/CD4/Treg
PERIOD="CASE WHEN s.acquisition_date >= DATE '$CHANGE' THEN 'after $CHANGE' ELSE 'before $CHANGE' END"
QUERIES=("WITH truth AS (SELECT file, percent_of_parent AS t FROM read_csv('$TRIAL/truth/populations.csv')
               WHERE population = '$TREG'),
  led AS (SELECT sample_id, path FROM read_parquet('lake/ingest_ledger/*.parquet') WHERE sample_id IS NOT NULL),
  g AS (SELECT sample_id, pct_of_parent AS g FROM read_parquet('lake/populations/*.parquet')
        WHERE panel = 'P1' AND population_name = 'Treg'),
  d AS (SELECT $PERIOD AS period, g.g - t.t AS diff
        FROM g JOIN led USING (sample_id) JOIN truth t ON led.path LIKE '%/' || t.file
        JOIN read_parquet('lake/samples/**/*.parquet') s USING (sample_id))
SELECT period, count(*) AS samples, round(median(abs(diff)), 3) AS median_abs_pp,
       round(quantile_cont(abs(diff), 0.95), 3) AS p95_abs_pp, round(avg(diff), 3) AS mean_signed_pp
FROM d GROUP BY ALL ORDER BY period DESC")
if [ -d "$LAKE/gate_thresholds" ]; then
  QUERIES+=("SELECT $PERIOD AS period, t.dimension, t.side, count(*) AS samples,
       round(min(t.threshold), 3) AS min, round(median(t.threshold), 3) AS median,
       round(max(t.threshold), 3) AS max, count_if(t.fallback_used) AS fallbacks
FROM read_parquet('lake/gate_thresholds/*.parquet') t JOIN read_parquet('lake/samples/**/*.parquet') s
  USING (sample_id) GROUP BY ALL ORDER BY ALL")
fi
java -cp "$DUCK" "$ROOT/scripts/bench/DuckQuery.java" "$LAKE" "${QUERIES[@]}"
