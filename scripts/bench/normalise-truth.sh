#!/usr/bin/env bash
# Batch normalisation and data-adaptive gates against the generator's truth on the realistic trial
# (BENCHMARKS.md "Batch normalisation and adaptive gates on the realistic trial (issue 20)"):
#   scripts/bench/normalise-truth.sh OUT [--patients N] [--events N] [--visits V,V] [--seed S]
#       [--master URL] [--tables-only]
# Writes under OUT: trial/ (generate, realistic model, P1, training and validation control
# aliquots), one lake ingested once (ingest-clinical, ingest-fcs), then one copy of it per variant:
#   raw-fixed      events_p1, conf/gating/P1.yaml (fixed thresholds)
#   raw-auto       events_p1, docs/gating-auto-P1.yaml (data-adaptive Treg limits)
#   mean-fixed     normalise (goal batch-mean), fixed gates      mean-auto  ... adaptive gates
#   day-fixed      normalise (goal: the first run day), fixed    day-auto   ... adaptive gates
#   clust-fixed    normalise (batch-mean, clusters: 5), fixed     clust-auto ... adaptive gates
#   dayref-fixed   normalise (goal: the first run day, reference-population: live), fixed
#                  dayref-auto ... adaptive gates
# and deletes the ingested lake once copied. Prints (1) per variant, population and setup period
# (samples acquired before / from the generator's setup_change_from; patient samples only) the
# median, 95th percentile and max of |gated % of parent - truth %| in percentage points and the mean
# signed difference, the truth from truth/populations.csv (all events of the file); (2) what
# normalise did (normalisation_samples by status, columns left unnormalised), adaptive fallbacks;
# (3) scripts/bench/NormEmd.java's Earth Mover's Distance table for each normalised lake.
# --tables-only prints the tables of an OUT written before. Needs Java 17, the built jars
# (mvn -DskipTests package) and DuckDB's JDBC jar in the local Maven repository.
set -euo pipefail
OUT="$1"
shift
PATIENTS=46 EVENTS=10000 VISITS=D1,M3,M6 SEED=1 MASTER='local[2]' TABLES_ONLY=
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) PATIENTS="$2"; shift 2 ;;
    --events) EVENTS="$2"; shift 2 ;;
    --visits) VISITS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --master) MASTER="$2"; shift 2 ;;
    --tables-only) TABLES_ONLY=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLI="$ROOT/bin/cytolake"
DUCK="$(ls "$HOME"/.m2/repository/org/duckdb/duckdb_jdbc/*/duckdb_jdbc-*.jar | grep -v sources | tail -n 1)"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
TRIAL="$OUT/trial"
VARIANTS=(raw-fixed raw-auto mean-fixed mean-auto day-fixed day-auto clust-fixed clust-auto dayref-fixed dayref-auto)
timed() { local t0=$SECONDS; "$@" > "$OUT/logs/$STEP.log" 2>&1; echo "$STEP: $((SECONDS - t0)) s" >&2; }

if [ -z "$TABLES_ONLY" ]; then
  mkdir -p "$OUT/logs"
  STEP=generate timed "$CLI" generate --out "$TRIAL" --patients "$PATIENTS" --panels P1 \
    --visits "$VISITS" --events-per-sample "$EVENTS" --seed "$SEED" --control-aliquot \
    --validation-aliquot --threads 1 --overwrite
fi
CHANGE="$(grep -o '"setup_change_from" *: *"[0-9-]*"' "$TRIAL/generation.json" | grep -o '[0-9]\{4\}-[0-9-]*')"
# the first run day (manifest rows are by date; every run day has a training control)
FIRST="$(awk -F, 'NR > 1 && $NF == "true" {print $5}' "$TRIAL/manifest.csv" | sort | head -n 1)"
echo "setup change from $CHANGE; first run day $FIRST" >&2

if [ -z "$TABLES_ONLY" ]; then
  rm -rf "$OUT"/lake-* "$OUT"/conf-*
  for c in fixed auto mean day clust dayref; do cp -r "$ROOT/conf" "$OUT/conf-$c"; done
  cp "$ROOT/docs/gating-auto-P1.yaml" "$OUT/conf-auto/gating/P1.yaml"
  printf 'normalisation:\n  P1:\n    goal: batch-mean\n' > "$OUT/conf-mean/normalisation.yaml"
  printf 'normalisation:\n  P1:\n    goal: "%s"\n' "$FIRST" > "$OUT/conf-day/normalisation.yaml"
  printf 'normalisation:\n  P1:\n    goal: batch-mean\n    clusters: 5\n' > "$OUT/conf-clust/normalisation.yaml"
  printf 'normalisation:\n  P1:\n    goal: "%s"\n    reference-population: live\n' "$FIRST" > "$OUT/conf-dayref/normalisation.yaml"
  LAKE="$OUT/lake-ingest"
  STEP=ingest-clinical timed "$CLI" ingest-clinical --input "$TRIAL/clinical" --lake "$LAKE" --master "$MASTER"
  STEP=ingest-fcs timed "$CLI" ingest-fcs --input "$TRIAL" --lake "$LAKE" --master "$MASTER"
  for goal in mean day clust dayref; do
    cp -r "$LAKE" "$OUT/lake-$goal-fixed"
    STEP=normalise-$goal timed "$CLI" normalise --lake "$OUT/lake-$goal-fixed" --conf "$OUT/conf-$goal" --master "$MASTER"
    cp -r "$OUT/lake-$goal-fixed" "$OUT/lake-$goal-auto"
  done
  cp -r "$LAKE" "$OUT/lake-raw-fixed"
  mv "$LAKE" "$OUT/lake-raw-auto"
  for v in "${VARIANTS[@]}"; do
    conf="$OUT/conf-fixed"
    [ "${v#*-}" = auto ] && conf="$OUT/conf-auto"
    STEP=gate-$v timed "$CLI" gate --lake "$OUT/lake-$v" --conf "$conf" --master "$MASTER"
  done
fi

TRUTH="$TRIAL/truth/populations.csv"
ERR=""
for v in "${VARIANTS[@]}"; do
  L="$OUT/lake-$v"
  [ -d "$L/populations" ] || continue
  ERR+="${ERR:+ UNION ALL }SELECT '$v' AS variant, sample_id, population_name, pct_of_parent AS g
    FROM read_parquet('$L/populations/*.parquet') WHERE panel = 'P1'"
done
LEDGER="$OUT/lake-raw-fixed/ingest_ledger/*.parquet"
SAMPLES="$OUT/lake-raw-fixed/samples/**/*.parquet"
P=cells/singlets/live/leukocytes/lymphocytes
QUERIES=(
"-- |gated - truth| % of parent (pp), patient samples; truth from truth/populations.csv
WITH c AS (SELECT file, population, count, percent_of_parent FROM read_csv('$TRUTH')),
 truth AS (
  SELECT file, 'live' AS population, percent_of_parent AS t FROM c WHERE population = 'cells/singlets/live'
  UNION ALL SELECT a.file, 'lymphocytes', 100.0 * a.count / b.count FROM c a JOIN c b USING (file)
    WHERE a.population = '$P' AND b.population = 'cells/singlets/live'
  UNION ALL SELECT file, 'T', percent_of_parent FROM c WHERE population = '$P/T'
  UNION ALL SELECT file, 'CD4', percent_of_parent FROM c WHERE population = '$P/T/CD4'
  UNION ALL SELECT file, 'CD8', percent_of_parent FROM c WHERE population = '$P/T/CD8'
  UNION ALL SELECT file, 'Treg', percent_of_parent FROM c WHERE population = '$P/T/CD4/Treg'
  UNION ALL SELECT file, 'aTreg', percent_of_parent FROM c WHERE population = '$P/T/CD4/Treg/aTreg'
  UNION ALL SELECT t.file, 'Helios+', 100.0 * sum(h.count) / any_value(t.count) FROM c t JOIN c h USING (file)
    WHERE t.population = '$P/T/CD4/Treg' AND h.population IN ('$P/T/CD4/Treg/aTreg/Helios+', '$P/T/CD4/Treg/rTreg/Helios+')
    GROUP BY t.file),
 led AS (SELECT sample_id, path FROM read_parquet('$LEDGER') WHERE sample_id IS NOT NULL),
 s AS (SELECT sample_id, CASE WHEN acquisition_date >= DATE '$CHANGE' THEN 'after' ELSE 'before' END AS period
       FROM read_parquet('$SAMPLES') WHERE control IS NULL),
 g AS ($ERR),
 d AS (SELECT g.variant, g.population_name AS population, s.period, g.g - t.t AS diff
       FROM g JOIN s USING (sample_id) JOIN led USING (sample_id)
       JOIN truth t ON led.path LIKE '%/' || t.file AND t.population = g.population_name)
SELECT population, variant, coalesce(period, 'all') AS period, count(*) AS n,
  round(median(abs(diff)), 3) AS median_pp, round(quantile_cont(abs(diff), 0.95), 3) AS p95_pp,
  round(max(abs(diff)), 3) AS max_pp, round(avg(diff), 3) AS mean_signed_pp
FROM d GROUP BY GROUPING SETS ((population, variant, period), (population, variant))
ORDER BY array_position(['live','lymphocytes','T','CD4','CD8','Treg','aTreg','Helios+'], population),
  array_position(['raw-fixed','mean-fixed','day-fixed','clust-fixed','dayref-fixed','raw-auto','mean-auto','day-auto','clust-auto','dayref-auto'], variant),
  array_position(['all','before','after'], coalesce(period, 'all'))"
)
for goal in mean day clust dayref; do
  L="$OUT/lake-$goal-fixed"
  [ -d "$L/normalisation_samples" ] || continue
  QUERIES+=("-- normalise, goal $goal: samples by role and status, columns left unnormalised
SELECT '$goal' AS goal, coalesce(control, 'patient') AS role, status, count(*) AS samples,
  count(unnormalised_columns) AS with_unnormalised, string_agg(DISTINCT unnormalised_columns, ' / ') AS unnormalised
FROM read_parquet('$L/normalisation_samples/*.parquet') GROUP BY ALL ORDER BY ALL")
done
for v in raw-auto mean-auto day-auto clust-auto dayref-auto; do
  L="$OUT/lake-$v"
  [ -d "$L/gate_thresholds" ] || continue
  QUERIES+=("-- adaptive thresholds, $v, patient samples
SELECT '$v' AS variant, CASE WHEN s.acquisition_date >= DATE '$CHANGE' THEN 'after' ELSE 'before' END AS period,
  t.dimension, t.side, count(*) AS samples, round(min(t.threshold), 3) AS min,
  round(median(t.threshold), 3) AS median, round(max(t.threshold), 3) AS max, count_if(t.fallback_used) AS fallbacks
FROM read_parquet('$L/gate_thresholds/*.parquet') t JOIN read_parquet('$SAMPLES') s USING (sample_id)
WHERE s.control IS NULL GROUP BY ALL ORDER BY ALL")
done
QUERIES+=("-- quarantine (ingest and normalise), raw-fixed and day-fixed lakes
SELECT 'raw-fixed' AS lake, job, reason_code, count(*) AS n FROM read_parquet('$OUT/lake-raw-fixed/quarantine/**/*.parquet', union_by_name = true) GROUP BY ALL
UNION ALL SELECT 'day-fixed', job, reason_code, count(*) FROM read_parquet('$OUT/lake-day-fixed/quarantine/**/*.parquet', union_by_name = true) GROUP BY ALL ORDER BY ALL")
java -cp "$DUCK" "$ROOT/scripts/bench/DuckQuery.java" "$OUT" "${QUERIES[@]}"

COLS="$(awk '/^  P1:/ {p = 1; next} /^  P[0-9]/ {p = 0} p && /lineage: true/' "$ROOT/conf/panels.yaml" \
  | grep -o 'column: [a-z0-9_]*' | cut -d' ' -f2 | tr '\n' ' ')"
for goal in mean day clust dayref; do
  L="$OUT/lake-$goal-fixed"
  [ -d "$L/events_norm_p1" ] || continue
  echo "== Earth Mover's Distance between control aliquots, events_p1 vs events_norm_p1, goal $goal"
  # shellcheck disable=SC2086
  java -cp "$DUCK:$ROOT/core/target/classes" "$ROOT/scripts/bench/NormEmd.java" "$L" P1 "$CHANGE" $COLS
done
