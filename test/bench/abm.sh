# Account-based marketing (kpi-spec section 5), sourced by run.sh: BENCH_ROWS
# touches (10M by default) over BENCH_ROWS / 10 accounts (1M), 20 programs and
# a year of timestamps, in no particular order.

ABM_ACCOUNTS=${ABM_ACCOUNTS:-$((BENCH_ROWS / 10))}

log "generating $BENCH_ROWS touches over $ABM_ACCOUNTS accounts"
psql_run <<SQL
CREATE TABLE touches AS
SELECT (h % $ABM_ACCOUNTS)::bigint AS account_id,
       (h / 7) % 20 AS program,
       timestamptz '2024-01-01 00:00+00' + ((h / 13) % (365 * 86400)) * interval '1 second' AS ts,
       ((h / 17) % 60)::float8 AS minutes,
       (h / 19) % 10 = 0 AS reached
FROM generate_series(1::bigint, $BENCH_ROWS) AS i,
LATERAL (SELECT (i * 2654435761) % 4294967291 AS h) AS hashed;
VACUUM (FREEZE, ANALYZE) touches;
SQL
psql_run -At -c "SELECT 'table: ' || pg_size_pretty(pg_table_size('touches')) || ', ' || count(*) || ' touches, '
  || count(DISTINCT account_id) || ' accounts' FROM touches" >&2

REACH_OURS="SELECT reach_rate(account_id, reached) FROM touches"
REACH_IDIOM="SELECT count(DISTINCT account_id) FILTER (WHERE reached)::float8 / count(DISTINCT account_id) FROM touches"
AS_OF="timestamptz '2025-01-01 00:00+00'"
ENGAGEMENT_OURS="SELECT account_id, account_engagement(ts, minutes, $AS_OF, interval '30 days')
  FROM touches GROUP BY account_id"
# The issue's idiom: extract() is numeric, so the power is numeric too.
ENGAGEMENT_IDIOM="SELECT account_id,
    sum(minutes * 0.5 ^ (extract(epoch FROM $AS_OF - ts) / extract(epoch FROM interval '30 days')))
  FROM touches WHERE ts <= $AS_OF GROUP BY account_id"
# The same in double precision throughout, as a careful analyst might write it.
ENGAGEMENT_FLOAT_IDIOM="SELECT account_id,
    sum(minutes * power(0.5, extract(epoch FROM $AS_OF - ts)::float8 / 2592000.0))
  FROM touches WHERE ts <= $AS_OF GROUP BY account_id"

log "checking that each function equals its SQL formulation"
psql_run -At <<SQL | grep -qx 't|0' || { log "abm: a function and its SQL formulation disagree"; exit 1; }
SET max_parallel_workers_per_gather = 0;
SELECT ($REACH_OURS) = ($REACH_IDIOM),
  (SELECT count(*) FROM ($ENGAGEMENT_OURS) AS ours(account_id, e)
     FULL JOIN ($ENGAGEMENT_IDIOM) AS idiom(account_id, e) USING (account_id)
   WHERE abs(ours.e - idiom.e::float8) > 1e-9 * abs(idiom.e::float8) OR ours.e IS NULL OR idiom.e IS NULL);
SQL

measure "reach_rate, 1 group vs count(DISTINCT) idiom" 0.5 ratio "$SERIAL" \
  "$REACH_OURS" "$REACH_IDIOM"
measure "reach_rate GROUP BY program (20) vs count(DISTINCT) idiom" - ratio "$SERIAL" \
  "SELECT program, reach_rate(account_id, reached) FROM touches GROUP BY program" \
  "SELECT program, count(DISTINCT account_id) FILTER (WHERE reached)::float8 / count(DISTINCT account_id)
     FROM touches GROUP BY program"
measure "reach_rate, text ids, 1 group vs count(DISTINCT) idiom" - ratio "$SERIAL" \
  "SELECT reach_rate('acct-' || account_id, reached) FROM touches" \
  "SELECT count(DISTINCT 'acct-' || account_id) FILTER (WHERE reached)::float8
     / count(DISTINCT 'acct-' || account_id) FROM touches"
measure "reach_rate, 1 group, 2 workers vs serial" - speedup "" \
  "$REACH_OURS" "$REACH_OURS" \
  "SET max_parallel_workers_per_gather = 2;" "SET max_parallel_workers_per_gather = 0;"
# The numeric idiom takes over a minute a run: fewer repetitions.
BENCH_REPS=$(( BENCH_REPS < 3 ? BENCH_REPS : 3 )) measure \
  "account_engagement GROUP BY account vs SQL idiom" 0.7 ratio "$SERIAL" \
  "$ENGAGEMENT_OURS" "$ENGAGEMENT_IDIOM"
measure "account_engagement GROUP BY account vs float8 idiom" - ratio "$SERIAL" \
  "$ENGAGEMENT_OURS" "$ENGAGEMENT_FLOAT_IDIOM"
measure "engagement_lift over accounts vs ntile(4) idiom" - ratio "$SERIAL" \
  "SELECT engagement_lift(e, m) FROM (SELECT account_id, sum(minutes) AS e, avg(minutes) AS m
     FROM touches GROUP BY account_id) AS a" \
  "SELECT avg(m) FILTER (WHERE q = 4) / nullif(avg(m) FILTER (WHERE q = 1), 0) - 1
     FROM (SELECT m, ntile(4) OVER (ORDER BY e, m) AS q FROM (SELECT account_id, sum(minutes) AS e,
       avg(minutes) AS m FROM touches GROUP BY account_id) AS a) AS quartiles"

log "measuring memory"
MEM_PROGRAMS=$(hash_memory "SELECT program, reach_rate(account_id, reached) FROM touches GROUP BY program")
ACCOUNTS_PER_PROGRAM=$(psql_run -At -c "SELECT sum(n) FROM (SELECT count(DISTINCT account_id) AS n FROM touches GROUP BY program) AS p")
MEM_ENGAGEMENT=$(hash_memory "$ENGAGEMENT_OURS")
MEM_SUM=$(hash_memory "SELECT account_id, sum(minutes) FROM touches GROUP BY account_id")

report abm \
  "Hash aggregate memory (EXPLAIN ANALYZE, serial; the peak, which includes a doubling table's old and new arrays):" \
  "- reach_rate GROUP BY program: $MEM_PROGRAMS for $ACCOUNTS_PER_PROGRAM (program, account) pairs" \
  "- GROUP BY account ($ABM_ACCOUNTS groups): account_engagement $MEM_ENGAGEMENT, sum(float8) $MEM_SUM"
