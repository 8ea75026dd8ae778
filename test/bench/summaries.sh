# Stored summaries (kpi-spec section 6), sourced by run.sh: a monthly cpl and
# mql_rate report per channel, from a materialized view of daily summaries per
# channel, against the same report from BENCH_ROWS raw rows (10M by default)
# over a year and 20 channels.

log "generating $BENCH_ROWS raw marketing rows"
psql_run <<SQL
CREATE TABLE marketing_rows AS
SELECT date '2024-01-01' + ((h / 7) % 366)::int AS day,
       (h / 11) % 20 AS channel,
       (h / 13) % 9 = 0 AS is_mql,
       ((h / 17) % 5000) / 100.0 AS spend,
       ((h / 19) % 3)::bigint AS leads
FROM generate_series(1::bigint, $BENCH_ROWS) AS i,
LATERAL (SELECT (i * 2654435761) % 4294967291 AS h) AS hashed;
VACUUM (FREEZE, ANALYZE) marketing_rows;
CREATE MATERIALIZED VIEW daily_channel AS
SELECT day, channel, summarize_rate(is_mql) AS mql, summarize_money(spend, leads) AS spend_per_lead
FROM marketing_rows GROUP BY day, channel;
VACUUM (FREEZE, ANALYZE) daily_channel;
SQL
psql_run -At -c "SELECT 'raw: ' || pg_size_pretty(pg_table_size('marketing_rows')) || ', daily summaries: '
  || pg_size_pretty(pg_table_size('daily_channel')) || ' in ' || count(*) || ' rows' FROM daily_channel" >&2

MONTHLY_SUMMARIES="SELECT date_trunc('month', day) AS month, channel,
    cpl(rollup(spend_per_lead))::text AS cpl, mql_rate(rollup(mql)) AS mql_rate
  FROM daily_channel GROUP BY 1, 2"
MONTHLY_RAW="SELECT date_trunc('month', day) AS month, channel,
    cpl(spend, leads)::text AS cpl, mql_rate(is_mql) AS mql_rate
  FROM marketing_rows GROUP BY 1, 2"
MONTHLY_IDIOM="SELECT date_trunc('month', day) AS month, channel,
    (sum(spend) / nullif(sum(leads), 0))::text AS cpl,
    count(*) FILTER (WHERE is_mql)::float8 / nullif(count(is_mql), 0) AS mql_rate
  FROM marketing_rows GROUP BY 1, 2"

log "checking that the three reports are equal (cpl as text: value and scale)"
psql_run -At <<SQL | grep -qx '0|0' || { log "summaries: the reports disagree"; exit 1; }
SELECT (SELECT count(*) FROM (($MONTHLY_SUMMARIES EXCEPT $MONTHLY_RAW) UNION ALL ($MONTHLY_RAW EXCEPT $MONTHLY_SUMMARIES)) AS d),
       (SELECT count(*) FROM (($MONTHLY_RAW EXCEPT $MONTHLY_IDIOM) UNION ALL ($MONTHLY_IDIOM EXCEPT $MONTHLY_RAW)) AS d);
SQL

measure "monthly cpl + mql_rate: daily summaries vs raw rows" 50 speedup "" \
  "$MONTHLY_SUMMARIES" "$MONTHLY_RAW"
measure "monthly cpl + mql_rate: daily summaries vs raw SQL idiom" - speedup "" \
  "$MONTHLY_SUMMARIES" "$MONTHLY_IDIOM"
measure "refreshing the daily summaries vs the raw monthly report" - ratio "" \
  "REFRESH MATERIALIZED VIEW daily_channel" "$MONTHLY_RAW"

report summaries \
  "The daily view holds $(psql_run -At -c 'SELECT count(*) FROM daily_channel') rows (366 days x 20 channels) for $BENCH_ROWS raw rows."
