#!/usr/bin/env bash
# Usage: scripts/bench/accuracy-by-period.sh LAKE SETUP_CHANGE_DATE (generation.json instrument.setup_change_from)
# Per panel, population and setup period: |gated % of parent - truth %| over samples (median/p95/max), misassigned share.
LAKE=$1; SETUP=$2
EV=lake/_runs/$(basename $(dirname $(ls $LAKE/_runs/*/evaluate.json | tail -1)))/evaluate.json
java -cp "$(ls ~/.m2/repository/org/duckdb/duckdb_jdbc/*/duckdb_jdbc-*.jar | grep -v sources | tail -n 1)" \
  "$(dirname "$0")/DuckQuery.java" $LAKE "select g.panel, g.population,
  case when s.acquisition_date >= DATE '$SETUP' then 'after' else 'before' end as period, count(*) n,
  round(median(g.abs_error_pp),2) med, round(quantile_cont(g.abs_error_pp, 0.95),2) p95, round(max(g.abs_error_pp),2) mx,
  round(100.0*sum(g.misassigned)/sum(g.truth_parent),2) mis_pct
  from (select unnest(gating_samples, recursive := true) from read_json('$EV', maximum_object_size=1000000000)) g
  join 'lake/samples/**/*.parquet' s using (sample_id) group by all order by 1, 2, 3 desc" \
  "select count(distinct s.visit) visits, count(distinct g.sample_id) samples from (select unnest(gating_samples, recursive := true) from read_json('$EV', maximum_object_size=1000000000)) g join 'lake/samples/**/*.parquet' s using (sample_id)"
