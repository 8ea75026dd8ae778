#!/usr/bin/env bash
# Integration: b2bkpi over postgres_fdw shards, with PostgreSQL's own machinery.
# Two shard databases and a coordinator database, each with b2bkpi; on the
# coordinator a table hash-partitioned by account whose partitions are foreign
# tables on the shards, and the same rows in a local single-node table. Checks:
#   - grouped by the partition key with enable_partitionwise_aggregate, each
#     shard's Remote SQL carries the b2bkpi aggregates (and, through servers
#     without the "extensions 'b2bkpi'" option, it does not);
#   - per-shard summaries cross the wire as text and roll up on the coordinator
#     into totals equal to the single-node answer and to plain SQL sums;
#   - a plain total over the partitioned table equals single-node too.
#
# It uses the cluster in PGHOST/PGPORT (the suite's): postgres_fdw reaches the
# shards through libpq on that server's socket exactly as it would reach other
# servers, and a second cluster would only add start-up time. Its databases are
# dropped on exit, even on failure. Prints TAP-style "ok N - ..." lines, plans
# as "# " comments, and exits non-zero if any check failed.
set -euo pipefail

: "${PGHOST:?set PGHOST to the socket directory of the cluster}"
: "${PGPORT:?PGPORT must be set}"
PGUSER=${PGUSER:-$(id -un)}

coordinator=b2bkpi_fdw_coordinator
shard_1=b2bkpi_fdw_shard_1
shard_2=b2bkpi_fdw_shard_2

checks=0
failed=0
check() { # NAME EXPECTED ACTUAL
  checks=$((checks + 1))
  if [ "$2" = "$3" ]; then
    echo "ok $checks - $1"
  else
    echo "not ok $checks - $1: expected [$2], got [$3]"
    failed=1
  fi
}
# One session per call; each further argument is one statement of it, and only
# the rows of statements that return rows are printed (SET prints nothing).
q() {
  local db=$1 arg
  shift
  local args=()
  for arg in "$@"; do args+=(-c "$arg"); done
  psql -X -q -v ON_ERROR_STOP=1 -At -d "$db" "${args[@]}"
}
show() { sed 's/^/#   /'; } # a plan, as TAP comments
remote_sql() { grep -E '^ *Remote SQL:' || true; }

drop_databases() {
  local db
  # The coordinator first: its sessions hold the connections to the shards.
  for db in "$coordinator" "$shard_1" "$shard_2"; do
    dropdb --if-exists --force "$db" >/dev/null 2>&1 || true
  done
}
trap drop_databases EXIT
drop_databases # what an interrupted earlier run may have left

for shard in "$shard_1" "$shard_2"; do
  createdb "$shard"
  q "$shard" "CREATE EXTENSION b2bkpi" \
    "CREATE TABLE touches (account_id integer NOT NULL, day date NOT NULL, channel text NOT NULL,
                           spend numeric, leads bigint, is_mql boolean)"
done
createdb "$coordinator"

psql -X -q -v ON_ERROR_STOP=1 -d "$coordinator" \
  -v host="$PGHOST" -v port="$PGPORT" -v user="$PGUSER" \
  -v shard_1="$shard_1" -v shard_2="$shard_2" <<'SQL'
CREATE EXTENSION b2bkpi;
CREATE EXTENSION postgres_fdw;

-- One foreign server per shard. "extensions 'b2bkpi'" tells postgres_fdw that
-- b2bkpi's functions, aggregates and types exist, and mean the same, on the
-- remote side, so expressions using them may be sent there.
CREATE SERVER shard_1 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'host', port :'port', dbname :'shard_1', extensions 'b2bkpi', batch_size '1000');
CREATE SERVER shard_2 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'host', port :'port', dbname :'shard_2', extensions 'b2bkpi', batch_size '1000');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard_1 OPTIONS (user :'user');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard_2 OPTIONS (user :'user');

CREATE TABLE touches (account_id integer NOT NULL, day date NOT NULL, channel text NOT NULL,
                      spend numeric, leads bigint, is_mql boolean)
    PARTITION BY HASH (account_id);
CREATE FOREIGN TABLE touches_shard_1 PARTITION OF touches
    FOR VALUES WITH (MODULUS 2, REMAINDER 0) SERVER shard_1 OPTIONS (table_name 'touches');
CREATE FOREIGN TABLE touches_shard_2 PARTITION OF touches
    FOR VALUES WITH (MODULUS 2, REMAINDER 1) SERVER shard_2 OPTIONS (table_name 'touches');

-- The same shards through servers without the extensions option.
CREATE SERVER shard_1_builtins_only FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'host', port :'port', dbname :'shard_1');
CREATE SERVER shard_2_builtins_only FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'host', port :'port', dbname :'shard_2');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard_1_builtins_only OPTIONS (user :'user');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard_2_builtins_only OPTIONS (user :'user');
CREATE TABLE touches_builtins_only (LIKE touches) PARTITION BY HASH (account_id);
CREATE FOREIGN TABLE touches_builtins_only_1 PARTITION OF touches_builtins_only
    FOR VALUES WITH (MODULUS 2, REMAINDER 0) SERVER shard_1_builtins_only OPTIONS (table_name 'touches');
CREATE FOREIGN TABLE touches_builtins_only_2 PARTITION OF touches_builtins_only
    FOR VALUES WITH (MODULUS 2, REMAINDER 1) SERVER shard_2_builtins_only OPTIONS (table_name 'touches');

-- The single-node table: the same rows, in one local table.
CREATE TABLE touches_single (LIKE touches);

-- 12,000 generated touches of 40 accounts over a quarter: spend in cents, a
-- few sub-cent amounts (scale 3) and refunds, rows without spend, leads or
-- MQL flag (skipped by the KPI that needs them), days without leads.
INSERT INTO touches_single
SELECT 1 + (i * 7919) % 40,
       DATE '2026-01-01' + (i * 31) % 90,
       (ARRAY['ads', 'seo', 'events'])[1 + i % 3],
       CASE WHEN i % 97 = 0 THEN NULL
            WHEN i % 53 = 0 THEN -round((i % 5000)::numeric / 100, 2)
            WHEN i % 41 = 0 THEN round((i % 1000)::numeric / 1000, 3)
            ELSE round(((i * 37) % 20000)::numeric / 100, 2) END,
       CASE WHEN i % 89 = 0 THEN NULL ELSE (i * 13) % 5 END,
       CASE WHEN i % 61 = 0 THEN NULL ELSE (i * 17) % 9 < 2 END
FROM generate_series(1, 12000) AS i;

-- Loaded through the coordinator: each row is routed to its shard.
INSERT INTO touches SELECT * FROM touches_single;
ANALYZE touches_single;
ANALYZE touches_shard_1;
ANALYZE touches_shard_2;
SQL

# Rows landed on both shards, and all of them.
shard_rows="$(q "$shard_1" "SELECT count(*) FROM touches") $(q "$shard_2" "SELECT count(*) FROM touches")"
set -- $shard_rows
check "rows are routed to both shards, all of them (shards hold $1 and $2)" \
  "12000 yes" "$(($1 + $2)) $([ "$1" -gt 0 ] && [ "$2" -gt 0 ] && echo yes || echo no)"

# 1. Grouped by the partition key: the b2bkpi aggregates run on the shards.
grouped_query="SELECT account_id, cpl(spend, leads), mql_rate(is_mql), summarize_money(spend, leads)
FROM touches GROUP BY account_id"
plan=$(q "$coordinator" "SET enable_partitionwise_aggregate = on" "EXPLAIN (VERBOSE, COSTS OFF) $grouped_query")
show <<<"SET enable_partitionwise_aggregate = on;
EXPLAIN (VERBOSE, COSTS OFF) $grouped_query;
$plan"
pushed=$(remote_sql <<<"$plan" | grep -F 'public.cpl(spend, leads)' | grep -F 'public.mql_rate(is_mql)' \
  | grep -F 'public.summarize_money(spend, leads)' | grep -c 'GROUP BY' || true)
check "grouped by account_id, each shard's Remote SQL computes cpl, mql_rate and summarize_money" \
  "2" "$pushed"

single_per_account=$(q "$coordinator" \
  "SELECT string_agg(format('%s %s %s %s', account_id, cpl, mql_rate, s), '; ' ORDER BY account_id)
   FROM (SELECT account_id, cpl(spend, leads), mql_rate(is_mql), summarize_money(spend, leads) AS s
         FROM touches_single GROUP BY account_id) AS t")
sharded_per_account=$(q "$coordinator" "SET enable_partitionwise_aggregate = on" \
  "SELECT string_agg(format('%s %s %s %s', account_id, cpl, mql_rate, summarize_money), '; ' ORDER BY account_id)
   FROM ($grouped_query) AS t")
check "per-account cpl, mql_rate and summaries from the shards equal the single-node ones (40 accounts)" \
  "$single_per_account" "$sharded_per_account"

# Without the extensions option postgres_fdw ships only built-in objects: the
# shards send raw rows and the coordinator aggregates them.
plan=$(q "$coordinator" "SET enable_partitionwise_aggregate = on" \
  "EXPLAIN (VERBOSE, COSTS OFF) SELECT account_id, cpl(spend, leads), mql_rate(is_mql)
   FROM touches_builtins_only GROUP BY account_id")
show <<<"The same through servers without the extensions option:
$plan"
check "without the extensions option, the Remote SQL fetches rows (2 scans, 0 with a b2bkpi aggregate)" \
  "2 0" "$(remote_sql <<<"$plan" | wc -l) $(remote_sql <<<"$plan" | grep -c 'cpl(\|mql_rate(' || true)"

# 2. Totals across shards: one summary per shard, rolled up on the coordinator.
per_shard_query="SELECT cpl(rollup(spend_per_lead)) AS cpl, mql_rate(rollup(visits_to_mql)) AS mql_rate
FROM (SELECT summarize_money(spend, leads) AS spend_per_lead, summarize_rate(is_mql) AS visits_to_mql
      FROM touches_shard_1
      UNION ALL
      SELECT summarize_money(spend, leads), summarize_rate(is_mql)
      FROM touches_shard_2) AS per_shard"
plan=$(q "$coordinator" "EXPLAIN (VERBOSE, COSTS OFF) $per_shard_query")
show <<<"EXPLAIN (VERBOSE, COSTS OFF) $per_shard_query;
$plan"
check "each shard computes its own summaries (Remote SQL has summarize_money and summarize_rate, no GROUP BY)" \
  "2" "$(remote_sql <<<"$plan" | grep -F 'public.summarize_money(spend, leads)' \
          | grep -F 'public.summarize_rate(is_mql)' | grep -vc 'GROUP BY' || true)"

q "$coordinator" "SELECT 'shard 1: ' || summarize_money(spend, leads) || ' | ' || summarize_rate(is_mql) FROM touches_shard_1
                  UNION ALL
                  SELECT 'shard 2: ' || summarize_money(spend, leads) || ' | ' || summarize_rate(is_mql) FROM touches_shard_2" | show
check "a shard's summary fetched through postgres_fdw equals the one computed in the shard (text round trip)" \
  "$(q "$shard_1" "SELECT summarize_money(spend, leads) || ' ' || summarize_rate(is_mql) FROM touches")" \
  "$(q "$coordinator" "SELECT summarize_money(spend, leads) || ' ' || summarize_rate(is_mql) FROM touches_shard_1")"

single_total=$(q "$coordinator" "SELECT cpl(spend, leads) || ' ' || mql_rate(is_mql) FROM touches_single")
sql_total=$(q "$coordinator" \
  "SELECT (sum(spend) FILTER (WHERE leads IS NOT NULL) / nullif(sum(leads) FILTER (WHERE spend IS NOT NULL), 0))
          || ' ' || (count(*) FILTER (WHERE is_mql))::float8 / nullif(count(is_mql), 0)
   FROM touches_single")
echo "# single-node cpl and mql_rate: $single_total"
check "single-node cpl and mql_rate equal plain SQL sums (the independent reference)" \
  "$sql_total" "$single_total"
check "cpl(rollup()) and mql_rate(rollup()) of per-shard summaries equal the single-node answer exactly" \
  "$single_total" "$(q "$coordinator" "SELECT cpl || ' ' || mql_rate FROM ($per_shard_query) AS t")"

# The same through the partitioned table: summaries grouped by the partition
# key are computed on the shards, and rolled up on the coordinator.
per_account_query="SELECT cpl(rollup(spend_per_lead)) AS cpl, mql_rate(rollup(visits_to_mql)) AS mql_rate
FROM (SELECT account_id, summarize_money(spend, leads) AS spend_per_lead, summarize_rate(is_mql) AS visits_to_mql
      FROM touches GROUP BY account_id) AS per_account"
plan=$(q "$coordinator" "SET enable_partitionwise_aggregate = on" "EXPLAIN (VERBOSE, COSTS OFF) $per_account_query")
show <<<"EXPLAIN (VERBOSE, COSTS OFF) $per_account_query;
$plan"
check "per-account summaries over the partitioned table are computed on the shards and rolled up, equal to single-node" \
  "2 $single_total" \
  "$(remote_sql <<<"$plan" | grep -F 'public.summarize_money(spend, leads)' | grep -c 'GROUP BY' || true) $(
     q "$coordinator" "SET enable_partitionwise_aggregate = on" "SELECT cpl || ' ' || mql_rate FROM ($per_account_query) AS t")"

# 3. A plain total over the partitioned table: not grouped by the partition
# key, so PostgreSQL 15 fetches rows and aggregates them on the coordinator
# (partial aggregates per partition at best); the answer is the same.
total_query="SELECT cpl(spend, leads), mql_rate(is_mql) FROM touches"
plan=$(q "$coordinator" "SET enable_partitionwise_aggregate = on" "EXPLAIN (VERBOSE, COSTS OFF) $total_query")
show <<<"EXPLAIN (VERBOSE, COSTS OFF) $total_query;
$plan"
check "a plain total over the partitioned table equals the single-node answer" \
  "$single_total" \
  "$(q "$coordinator" "SET enable_partitionwise_aggregate = on" "SELECT cpl || ' ' || mql_rate FROM ($total_query) AS t")"

# 4. What a distributed planner (Citus) needs from an aggregate to run it on
# the shards and merge partial states on the coordinator: a combine function,
# and a state type that is a real type (not internal or another pseudo-type)
# with text input/output (and binary send/receive). Every b2bkpi aggregate.
check "every b2bkpi aggregate has a combine function and a concrete state type with text and binary I/O" \
  "0 aggregates without, 0 pseudo-type states, 0 states without I/O" \
  "$(q "$coordinator" "
     SELECT count(*) FILTER (WHERE a.aggcombinefn = 0) || ' aggregates without, '
            || count(*) FILTER (WHERE t.typtype = 'p') || ' pseudo-type states, '
            || count(*) FILTER (WHERE 0 IN (t.typinput, t.typoutput, t.typreceive, t.typsend)) || ' states without I/O'
     FROM pg_aggregate AS a
     JOIN pg_type AS t ON t.oid = a.aggtranstype
     JOIN pg_depend AS d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid AND d.deptype = 'e'
     WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'b2bkpi')")"
echo "# $(q "$coordinator" "
     SELECT count(*) || ' b2bkpi aggregates over ' || count(DISTINCT a.aggtranstype) || ' state types'
     FROM pg_aggregate AS a
     JOIN pg_depend AS d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid AND d.deptype = 'e'
     WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'b2bkpi')")"

echo "1..$checks"
exit $failed
