# Event funnels (kpi-spec section 4), sourced by run.sh: BENCH_ROWS events
# (10M by default) over BENCH_ROWS / 50 accounts (200k), spread over 180 days
# in no particular order, so every group's events must be sorted.

FUNNEL_ACCOUNTS=${FUNNEL_ACCOUNTS:-$((BENCH_ROWS / 50))}

log "generating $BENCH_ROWS events over $FUNNEL_ACCOUNTS accounts"
psql_run <<SQL
CREATE TABLE events AS
SELECT (h % $FUNNEL_ACCOUNTS)::int AS account_id,
       timestamptz '2024-01-01 00:00+00' + ((h / $FUNNEL_ACCOUNTS) % (180 * 86400)) * interval '1 second' AS ts,
       (ARRAY['visit','visit','visit','visit','mql','mql','sql','opp','won','email'])[1 + (h / 7) % 10] AS event_type
FROM generate_series(1::bigint, $BENCH_ROWS) AS i,
LATERAL (SELECT (i * 2654435761) % 4294967291 AS h) AS hashed;
VACUUM (FREEZE, ANALYZE) events;
-- The SQL formulation looks up each step's next event through this index.
CREATE INDEX events_account_step ON events (account_id, event_type, ts);
SQL
psql_run -At -c "SELECT 'table: ' || pg_size_pretty(pg_table_size('events')) || ', ' || count(*) || ' events' FROM events" >&2

FUNNEL_OURS="SELECT account_id, window_funnel(interval '30 days', ts, event_type = 'visit', event_type = 'mql',
    event_type = 'sql', event_type = 'opp') AS level
  FROM events GROUP BY account_id"
# The default mode in plain SQL: from every visit, the earliest mql at or
# after it, the earliest sql at or after that, the earliest opp at or after
# that, each within 30 days of the visit; an account's level is its best
# visit's. (Taking the earliest next step is never worse, since the window
# only depends on the chain's first event.)
FUNNEL_IDIOM="SELECT v.account_id,
    max(CASE WHEN t4 IS NOT NULL THEN 4 WHEN t3 IS NOT NULL THEN 3 WHEN t2 IS NOT NULL THEN 2 ELSE 1 END) AS level
  FROM events AS v
  LEFT JOIN LATERAL (SELECT min(e.ts) AS t2 FROM events AS e WHERE e.account_id = v.account_id
      AND e.event_type = 'mql' AND e.ts >= v.ts AND e.ts <= v.ts + interval '30 days') AS s2 ON true
  LEFT JOIN LATERAL (SELECT min(e.ts) AS t3 FROM events AS e WHERE e.account_id = v.account_id
      AND e.event_type = 'sql' AND e.ts >= s2.t2 AND e.ts <= v.ts + interval '30 days') AS s3 ON true
  LEFT JOIN LATERAL (SELECT min(e.ts) AS t4 FROM events AS e WHERE e.account_id = v.account_id
      AND e.event_type = 'opp' AND e.ts >= s3.t3 AND e.ts <= v.ts + interval '30 days') AS s4 ON true
  WHERE v.event_type = 'visit'
  GROUP BY v.account_id"
FUNNEL_COUNT="SELECT account_id, count(*) FROM events GROUP BY account_id"

log "checking that window_funnel equals the SQL formulation"
psql_run -At <<SQL | grep -q '^0$' || { log "event_funnels: window_funnel and the SQL formulation disagree"; exit 1; }
SET max_parallel_workers_per_gather = 0;
SELECT count(*) FROM (
  (SELECT * FROM ($FUNNEL_OURS) AS ours WHERE level > 0 EXCEPT $FUNNEL_IDIOM)
  UNION ALL
  ($FUNNEL_IDIOM EXCEPT SELECT * FROM ($FUNNEL_OURS) AS ours WHERE level > 0)) AS differences;
SQL

measure "window_funnel, 4 steps GROUP BY account vs count(*)" 1.5 ratio "$SERIAL" \
  "$FUNNEL_OURS" "$FUNNEL_COUNT"

# The formulation probes the index three times per visit: fewer repetitions.
BENCH_REPS=$(( BENCH_REPS < 3 ? BENCH_REPS : 3 )) measure \
  "window_funnel vs SQL formulation (LATERAL + index)" - speedup "$SERIAL" \
  "$FUNNEL_OURS" "$FUNNEL_IDIOM"

measure "window_funnel, strict_order + strict_once vs default" - ratio "$SERIAL" \
  "SELECT account_id, window_funnel(interval '30 days', 'strict_order, strict_once', ts, event_type = 'visit',
     event_type = 'mql', event_type = 'sql', event_type = 'opp') FROM events GROUP BY account_id" \
  "$FUNNEL_OURS"

measure "retention, 4 conditions GROUP BY account vs count(*)" - ratio "$SERIAL" \
  "SELECT account_id, retention(event_type = 'visit', event_type = 'mql', event_type = 'sql', event_type = 'opp')
     FROM events GROUP BY account_id" \
  "$FUNNEL_COUNT"

measure "window_funnel GROUP BY account, 2 workers vs serial" - speedup "" \
  "$FUNNEL_OURS" "$FUNNEL_OURS" \
  "SET max_parallel_workers_per_gather = 2;" "SET max_parallel_workers_per_gather = 0;"

log "measuring memory"
MEM_ACCOUNTS_OURS=$(hash_memory "$FUNNEL_OURS")
MEM_ACCOUNTS_COUNT=$(hash_memory "$FUNNEL_COUNT")
KEPT=$(psql_run -At -c "SELECT count(*) FROM events WHERE event_type IN ('visit', 'mql', 'sql', 'opp')")
MEM_TWO_GROUPS=$(hash_memory "SELECT account_id % 2, window_funnel(interval '30 days', ts, event_type = 'visit',
    event_type = 'mql', event_type = 'sql', event_type = 'opp') FROM events GROUP BY 1")

report event_funnels \
  "Hash aggregate memory (EXPLAIN ANALYZE, serial), $KEPT of $BENCH_ROWS events match a step:" \
  "- GROUP BY account ($FUNNEL_ACCOUNTS groups): window_funnel $MEM_ACCOUNTS_OURS, count(*) $MEM_ACCOUNTS_COUNT" \
  "- two groups of about $((KEPT / 2)) kept events each: window_funnel $MEM_TWO_GROUPS"
