#!/usr/bin/env bash
# Integration: summaries and KPI views survive pg_dump and restore into a fresh
# database (custom and plain formats), and a materialized view built on the
# aggregates refreshes there. Runs against the cluster in PGHOST/PGPORT.
# Prints one line per check and exits non-zero if any failed.
set -euo pipefail

failed=0
check() { # NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1: expected [$2], got [$3]"; failed=1; fi
}
q() { psql -X -v ON_ERROR_STOP=1 -At -d "$1" -c "$2"; }

work=$(mktemp -d)
trap 'rm -rf "$work"; for db in b2bkpi_dump_src b2bkpi_dump_custom b2bkpi_dump_plain; do dropdb --if-exists "$db" || true; done' EXIT

createdb b2bkpi_dump_src
psql -X -q -v ON_ERROR_STOP=1 -d b2bkpi_dump_src <<'SQL'
CREATE EXTENSION b2bkpi;
CREATE TABLE channel_days (day date, channel text, visits bigint, mqls bigint, sqls bigint);
INSERT INTO channel_days
SELECT DATE '2026-01-01' + d, c, 1000 + (d * 37 + length(c) * 11) % 500,
       20 + (d * 13 + length(c)) % 30, 5 + (d * 7) % 10
FROM generate_series(0, 89) AS d, unnest(ARRAY['ads', 'seo', 'events']) AS c;
CREATE TABLE stored_summaries (channel text, rate rate_summary, score nps_summary);
INSERT INTO stored_summaries VALUES
    ('ads', 'v1 hits=12 trials=40', 'v1 promoters=5 passives=3 detractors=2'),
    ('seo', 'v1 hits=0 trials=0', 'v1 promoters=0 passives=0 detractors=0');
CREATE VIEW channel_kpis AS
SELECT channel, mql_rate(mqls, visits) AS mql_rate, mql_to_sql_rate(sqls, mqls) AS mql_to_sql_rate
FROM channel_days GROUP BY channel;
CREATE MATERIALIZED VIEW weekly_mql_rate AS
SELECT date_trunc('week', day) AS week, channel, mql_rate(mqls, visits) AS mql_rate
FROM channel_days GROUP BY 1, 2;
CREATE MATERIALIZED VIEW moving_mql_rate AS
SELECT day, channel,
       mql_rate(mqls, visits) OVER (PARTITION BY channel ORDER BY day ROWS 27 PRECEDING) AS mql_rate_28_days
FROM channel_days;
SQL

snapshot() {
  q "$1" "SELECT string_agg(format('%s %s %s', channel, rate, score), '; ' ORDER BY channel) FROM stored_summaries"
  q "$1" "SELECT string_agg(format('%s %s %s', channel, mql_rate, mql_to_sql_rate), '; ' ORDER BY channel) FROM channel_kpis"
  q "$1" "SELECT count(*) || ' ' || md5(string_agg(format('%s %s %s', week, channel, mql_rate), ';' ORDER BY week, channel)) FROM weekly_mql_rate"
  q "$1" "SELECT count(*) || ' ' || md5(string_agg(format('%s %s %s', day, channel, mql_rate_28_days), ';' ORDER BY day, channel)) FROM moving_mql_rate"
}
before=$(snapshot b2bkpi_dump_src)

pg_dump -Fc -f "$work/src.dump" b2bkpi_dump_src
createdb b2bkpi_dump_custom
pg_restore --exit-on-error -d b2bkpi_dump_custom "$work/src.dump"
check "custom-format restore gives the same summaries, view and materialized view" \
  "$before" "$(snapshot b2bkpi_dump_custom)"

pg_dump -Fp -f "$work/src.sql" b2bkpi_dump_src
createdb b2bkpi_dump_plain
psql -X -q -v ON_ERROR_STOP=1 -d b2bkpi_dump_plain -f "$work/src.sql" >/dev/null
check "plain-format restore gives the same summaries, view and materialized view" \
  "$before" "$(snapshot b2bkpi_dump_plain)"

q b2bkpi_dump_custom "INSERT INTO channel_days VALUES ('2026-04-01', 'partners', 100, 100, 0)" >/dev/null
q b2bkpi_dump_custom "REFRESH MATERIALIZED VIEW weekly_mql_rate" >/dev/null
q b2bkpi_dump_custom "REFRESH MATERIALIZED VIEW moving_mql_rate" >/dev/null
check "restored materialized views refresh with the new row" \
  "1 1" "$(q b2bkpi_dump_custom "SELECT mql_rate FROM weekly_mql_rate WHERE week = date_trunc('week', DATE '2026-04-01') AND channel = 'partners'") $(q b2bkpi_dump_custom "SELECT count(*) FROM moving_mql_rate WHERE day = '2026-04-01'")"

check "the dump names b2bkpi objects through CREATE EXTENSION, not one by one" \
  "0" "$(grep -c 'CREATE AGGREGATE\|CREATE TYPE' "$work/src.sql" || true)"

exit $failed
