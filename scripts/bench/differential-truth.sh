#!/usr/bin/env bash
# The differential table against the generator's truth (BENCHMARKS.md "differential on a realistic
# trial"): scripts/bench/differential-truth.sh TRIAL LAKE
#   TRIAL: a trial written by bin/cytolake generate (its truth/), LAKE: the lake bin/cytolake nightly
#   wrote from it. Prints (1) per cohort and pooled, D8 Treg % of CD4: the truth odds ratio (exp of the
#   mean over the cohort's patients of logit(true D8 %) - logit(true D1 %), from truth/populations.csv,
#   pooled: the equal-weight mean over cohorts as the table pools), the estimate, its 95% interval and
#   whether it holds the truth; (2) among rows of features without a simulated effect (intended fold
#   change 1 in truth/effects.csv: CD8, CD4/CD8 naive, CM, EM, TEMRA % of parent), D8, every cohort and
#   pooled: how many were tested and the share with q < 0.05; (3) the primary endpoint's estimate, p
#   and its Wald power (normal approximation at the estimated and at the true effect, with the
#   estimated standard error). Needs Java 17 and DuckDB's JDBC jar in the local Maven repository.
set -euo pipefail
TRIAL="$(cd "$1" && pwd)"
LAKE="$(cd "$2" && pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DUCK="$(ls "$HOME"/.m2/repository/org/duckdb/duckdb_jdbc/*/duckdb_jdbc-*.jar | grep -v sources | tail -n 1)"
TREG=cells/singlets/live/leukocytes/lymphocytes/T/CD4/Treg
TRUTH_OR="
WITH truth AS (SELECT file, percent_of_parent / 100 AS p FROM read_csv('$TRIAL/truth/populations.csv')
               WHERE population = '$TREG'),
  led AS (SELECT sample_id, path FROM read_parquet('lake/ingest_ledger/*.parquet') WHERE sample_id IS NOT NULL),
  s AS (SELECT sample_id, patient_id, visit FROM read_parquet('lake/samples/*.parquet') WHERE panel = 'P1'),
  coh AS (SELECT DISTINCT patient_id, cohort FROM read_parquet('lake/immunophenotype/*.parquet')),
  pv AS (SELECT coh.cohort, s.patient_id, s.visit, ln(t.p / (1 - t.p)) AS lo
         FROM s JOIN led USING (sample_id) JOIN truth t ON led.path LIKE '%/' || t.file JOIN coh USING (patient_id)),
  d AS (SELECT a.cohort, b.lo - a.lo AS diff FROM pv a JOIN pv b USING (cohort, patient_id)
        WHERE a.visit = 'D1' AND b.visit = 'D8'),
  tc AS (SELECT cohort, avg(diff) AS m FROM d GROUP BY cohort),
  tr AS (SELECT cohort, exp(m) AS truth_or FROM tc UNION ALL SELECT 'ALL', exp(avg(m)) FROM tc)"
java -cp "$DUCK" "$ROOT/scripts/bench/DuckQuery.java" "$LAKE" \
"$TRUTH_OR
SELECT cohort, n_patients, round(truth_or, 3) AS truth_or, round(estimate, 3) AS estimate,
       round(ci_low, 3) AS ci_low, round(ci_high, 3) AS ci_high,
       truth_or BETWEEN ci_low AND ci_high AS covered, round(q, 5) AS q, model
FROM read_parquet('lake/differential/*.parquet') JOIN tr USING (cohort)
WHERE model LIKE 'lmm%' AND panel = 'P1' AND feature = 'Treg' AND statistic = 'pct_of_parent' AND visit = 'D8'
ORDER BY cohort = 'ALL', cohort" \
"$TRUTH_OR
SELECT count_if(truth_or BETWEEN ci_low AND ci_high AND cohort <> 'ALL') AS cohorts_covered,
       count_if(cohort <> 'ALL') AS cohorts
FROM read_parquet('lake/differential/*.parquet') JOIN tr USING (cohort)
WHERE model LIKE 'lmm%' AND panel = 'P1' AND feature = 'Treg' AND statistic = 'pct_of_parent' AND visit = 'D8'" \
"SELECT cohort = 'ALL' AS pooled, count(*) AS null_rows, count_if(tested) AS tested,
        count_if(q < 0.05) AS q_below_005, round(count_if(q < 0.05) / count_if(tested), 4) AS share_of_tested,
        round(count_if(q < 0.05) / count(*), 4) AS share_of_rows
FROM read_parquet('lake/differential/*.parquet')
WHERE model LIKE 'lmm%' AND visit = 'D8' AND statistic = 'pct_of_parent'
  AND ((panel = 'P1' AND feature = 'CD8') OR (panel = 'P2' AND feature IN ('CD8', 'CD4_CM', 'CD4_EM',
       'CD4_TEMRA', 'CD4_naive', 'CD8_CM', 'CD8_EM', 'CD8_TEMRA', 'CD8_naive')))
GROUP BY ALL ORDER BY ALL" \
"SELECT panel, feature, cohort, round(estimate, 3) AS estimate, round(q, 4) AS q
FROM read_parquet('lake/differential/*.parquet')
WHERE model LIKE 'lmm%' AND visit = 'D8' AND statistic = 'pct_of_parent' AND q < 0.05
  AND ((panel = 'P1' AND feature = 'CD8') OR (panel = 'P2' AND feature IN ('CD8', 'CD4_CM', 'CD4_EM',
       'CD4_TEMRA', 'CD4_naive', 'CD8_CM', 'CD8_EM', 'CD8_TEMRA', 'CD8_naive')))
ORDER BY q" \
"$TRUTH_OR
SELECT d.feature, d.visit, d.cohort, estimate, p, truth_or,
       (ln(ci_high) - ln(ci_low)) / (2 * 1.959964) AS se_log
FROM read_parquet('lake/differential/*.parquet') d JOIN tr USING (cohort)
WHERE family = 'primary'" | python3 -c '
import math, sys
lines = sys.stdin.read().splitlines()
print("\n".join(lines[:-3]))
head, row = lines[-3].split(" | "), lines[-2].split(" | ")
r = dict(zip(head, row))
phi = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))
se = float(r["se_log"])
for what in ("estimate", "truth_or"):
    z = abs(math.log(float(r[what]))) / se
    print("primary %s %s: odds ratio %.3f, SE(log) %.4f, Wald power at alpha 0.05 (two-sided): %.4f"
          % (r["feature"], r["visit"], float(r[what]), se, phi(z - 1.959964) + phi(-z - 1.959964)))
print("primary p = %s" % r["p"])
'
