#!/usr/bin/env bash
# Integration: a scheduled report, for real. Raw CRM rows (visits, ad spend and
# leads), a materialized view of daily summaries per channel refreshed
# CONCURRENTLY by pg_cron, and a monthly report rolled up from the view that
# must equal the same report computed from the raw rows.
#
# pg_cron must be in shared_preload_libraries, so this script installs Debian's
# postgresql-15-cron and starts its OWN throwaway cluster (lib.sh's
# cluster_start), stopped and removed on exit even on failure. It runs as a
# child of scripts/test.sh, whose cluster it never touches: it forgets the
# inherited CLUSTER_DIR before anything can act on it, and its PG* variables
# point at its own cluster only inside this process.
# Prints TAP-style "ok N - ..." lines and exits non-zero if any check failed.
set -euo pipefail

# The caller's cluster is the caller's: cluster_stop must never see its path.
unset CLUSTER_DIR
source "$(dirname "$0")/../../scripts/lib.sh"

REPORTS_DB=b2bkpi_reports
# pg_cron 1.5 and later accept '[1-59] seconds'; Debian bookworm ships 1.4,
# whose finest schedule is every minute, on the minute.
WAIT_SECONDS=${WAIT_SECONDS:-75}

ensure_packages "postgresql-$PG_MAJOR-cron"
cluster_start \
  "shared_preload_libraries = 'pg_cron'" \
  "cron.database_name = '$REPORTS_DB'" \
  "cron.use_background_workers = on"
# The cluster listens on a Unix socket only; background workers run the jobs
# without pg_cron having to open a connection to it.

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
q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$REPORTS_DB" -c "$1"; }

createdb "$REPORTS_DB"
psql -X -q -v ON_ERROR_STOP=1 -d "$REPORTS_DB" <<'SQL'
CREATE EXTENSION pg_cron;
CREATE EXTENSION b2bkpi;

-- Raw CRM rows: one row per visit, and ad spend and leads per day, channel and
-- campaign. Busy days bring more visits that convert worse, so averaging daily
-- rates would be visibly wrong.
CREATE TABLE visits (
    visit_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day date NOT NULL,
    channel text NOT NULL,
    is_mql boolean
);
CREATE TABLE ad_spend (
    day date NOT NULL,
    channel text NOT NULL,
    campaign text NOT NULL,
    spend numeric,
    leads bigint
);

INSERT INTO visits (day, channel, is_mql)
SELECT d.day, c.channel,
       CASE WHEN (v * 7 + d.doy) % 97 = 0 THEN NULL
            ELSE (v * 31 + d.doy * 17 + length(c.channel)) % (10 + volume / 8) < 2 END
FROM (SELECT day::date, extract(doy FROM day)::int AS doy
      FROM generate_series(DATE '2026-01-01', DATE '2026-03-31', INTERVAL '1 day') AS day) AS d,
     unnest(ARRAY['ads', 'organic', 'events']) AS c(channel),
     LATERAL (SELECT 10 + (d.doy * 37 + length(c.channel) * 11) % 90 AS volume) AS vol,
     generate_series(1, vol.volume) AS v;

INSERT INTO ad_spend
SELECT d.day, c.channel, 'campaign ' || k,
       CASE WHEN d.doy % 29 = 0 AND k = 1 THEN -round((d.doy * 13 % 5000)::numeric / 100, 2) -- a refund
            WHEN d.doy % 17 = 0 AND k = 2 THEN round((d.doy * 7 % 1000)::numeric / 1000, 3) -- a sub-cent fee
            WHEN d.doy % 23 = 0 AND k = 3 THEN NULL                                        -- not yet invoiced
            ELSE round(((d.doy * 131 + k * 977 + length(c.channel) * 59) % 40000)::numeric / 100, 2) END,
       (d.doy * 7 + k * 3 + length(c.channel)) % 6
FROM (SELECT day::date, extract(doy FROM day)::int AS doy
      FROM generate_series(DATE '2026-01-01', DATE '2026-03-31', INTERVAL '1 day') AS day) AS d,
     unnest(ARRAY['ads', 'organic', 'events']) AS c(channel),
     generate_series(1, 3) AS k;

-- The scheduled layer: one row of summaries per day and channel.
CREATE MATERIALIZED VIEW channel_day_summaries AS
SELECT day, channel, v.visits_to_mql, s.spend_per_lead
FROM (SELECT day, channel, summarize_rate(is_mql) AS visits_to_mql
      FROM visits GROUP BY day, channel) AS v
FULL JOIN (SELECT day, channel, summarize_money(spend, leads) AS spend_per_lead
           FROM ad_spend GROUP BY day, channel) AS s USING (day, channel);
-- REFRESH ... CONCURRENTLY needs a unique index on plain columns covering all rows.
CREATE UNIQUE INDEX channel_day_summaries_day_channel ON channel_day_summaries (day, channel);

-- The report: any period, rolled up from the daily summaries.
CREATE VIEW monthly_channel_report AS
SELECT date_trunc('month', day)::date AS month, channel,
       cpl(rollup(spend_per_lead)) AS cpl,
       mql_rate(rollup(visits_to_mql)) AS mql_rate
FROM channel_day_summaries
GROUP BY 1, 2;

-- The same report computed from the raw rows, with b2bkpi ...
CREATE VIEW monthly_channel_report_from_raw AS
SELECT month, channel, s.cpl, v.mql_rate
FROM (SELECT date_trunc('month', day)::date AS month, channel, mql_rate(is_mql)
      FROM visits GROUP BY 1, 2) AS v
FULL JOIN (SELECT date_trunc('month', day)::date AS month, channel, cpl(spend, leads)
           FROM ad_spend GROUP BY 1, 2) AS s USING (month, channel);

-- ... and with plain SQL sums, the independent reference.
CREATE VIEW monthly_channel_report_sql AS
SELECT month, channel, s.cpl, v.mql_rate
FROM (SELECT date_trunc('month', day)::date AS month, channel,
             (count(*) FILTER (WHERE is_mql))::float8 / nullif(count(is_mql), 0) AS mql_rate
      FROM visits GROUP BY 1, 2) AS v
FULL JOIN (SELECT date_trunc('month', day)::date AS month, channel,
                  sum(spend) FILTER (WHERE leads IS NOT NULL)
                      / nullif(sum(leads) FILTER (WHERE spend IS NOT NULL), 0) AS cpl
           FROM ad_spend GROUP BY 1, 2) AS s USING (month, channel);
SQL

report() { # VIEW: every row of a monthly report, as text
  q "SELECT count(*) || ' rows: ' || string_agg(format('%s %s %s %s', month, channel, cpl, mql_rate), '; ' ORDER BY month, channel) FROM $1"
}

echo "# pg_cron $(q "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'") from $(dpkg-query -W -f='${Package} ${Version}' "postgresql-$PG_MAJOR-cron")"
check "pg_cron is preloaded and its launcher watches the reports database" \
  "pg_cron $REPORTS_DB" "$(q "SHOW shared_preload_libraries") $(q "SHOW cron.database_name")"
check "the monthly report rolled up from the fresh view equals the raw computation (9 month-channels)" \
  "9 rows: $(report monthly_channel_report_from_raw)" "$(report monthly_channel_report | cut -d: -f1): $(report monthly_channel_report)"

# New raw rows: a new day, and late rows for days the view already holds.
q "INSERT INTO visits (day, channel, is_mql)
   SELECT DATE '2026-04-01' + i % 2, (ARRAY['ads', 'organic', 'events'])[1 + i % 3], i % 4 = 0
   FROM generate_series(1, 300) AS i;
   INSERT INTO visits (day, channel, is_mql)
   SELECT DATE '2026-03-15', 'organic', i % 2 = 0 FROM generate_series(1, 40) AS i;
   INSERT INTO ad_spend VALUES
       ('2026-04-01', 'ads', 'campaign 1', 1234.56, 7), ('2026-04-01', 'organic', 'campaign 1', 99.999, 4),
       ('2026-04-02', 'events', 'campaign 2', 5000, 3), ('2026-03-15', 'organic', 'campaign 4', 250.10, 2),
       ('2026-02-10', 'ads', 'campaign 4', -75.25, 0)"
stale_view=$(report monthly_channel_report)
check "before any refresh the view is stale: no April rows, and the report differs from the raw one" \
  "0 differs" \
  "$(q "SELECT count(*) FROM channel_day_summaries WHERE day >= '2026-04-01'") $(
     [ "$stale_view" != "$(report monthly_channel_report_from_raw)" ] && echo differs || echo same)"

# Schedule the refresh: every 2 seconds where pg_cron understands it, else
# every minute.
refresh="REFRESH MATERIALIZED VIEW CONCURRENTLY channel_day_summaries"
schedule='2 seconds'
if ! job_id=$(q "SELECT cron.schedule('refresh channel_day_summaries', '$schedule', '$refresh')" 2>/dev/null); then
  schedule='* * * * *'
  # Not in the last seconds of a minute, so the job is surely in the launcher's
  # list when the next minute starts: the wait below is then at most a minute.
  second=$((10#$(date +%S)))
  if [ "$second" -ge 56 ]; then sleep $((61 - second)); fi
  job_id=$(q "SELECT cron.schedule('refresh channel_day_summaries', '$schedule', '$refresh')")
fi
scheduled_at=$(date +%s)
echo "# cron.schedule('refresh channel_day_summaries', '$schedule', '$refresh') = job $job_id"
check "the refresh is scheduled in cron.job" \
  "$schedule|$refresh|$REPORTS_DB" "$(q "SELECT schedule || '|' || command || '|' || database FROM cron.job WHERE jobid = $job_id")"

# Wait, bounded, for a run that succeeded and a view that shows the new rows.
run=""
while :; do
  run=$(q "SELECT status || '|' || return_message FROM cron.job_run_details
           WHERE jobid = $job_id AND status IN ('succeeded', 'failed') ORDER BY runid DESC LIMIT 1")
  april=$(q "SELECT count(*) FROM channel_day_summaries WHERE day >= '2026-04-01'")
  if [ "${run%%|*}" = failed ] || { [ "${run%%|*}" = succeeded ] && [ "$april" -gt 0 ]; }; then break; fi
  if [ $(($(date +%s) - scheduled_at)) -ge "$WAIT_SECONDS" ]; then break; fi
  sleep 1
done
echo "# first finished run after $(($(date +%s) - scheduled_at)) s: ${run:-none}"
echo "# $(q "SELECT format('cron.job_run_details: runid %s, %s, %s, took %s', runid, status, return_message, end_time - start_time)
             FROM cron.job_run_details WHERE jobid = $job_id ORDER BY runid DESC LIMIT 1")"
check "pg_cron ran the refresh: cron.job_run_details shows it succeeded, and the view holds April's 6 day-channels" \
  "succeeded|REFRESH MATERIALIZED VIEW 6" "$run $april"

fresh_view=$(report monthly_channel_report)
check "after the scheduled refresh, the monthly report from the view equals the raw computation exactly (12 month-channels)" \
  "12 rows: $(report monthly_channel_report_from_raw)" "$(cut -d: -f1 <<<"$fresh_view"): $fresh_view"
check "and equals plain SQL sums over the raw rows (the independent reference)" \
  "$(report monthly_channel_report_sql)" "$fresh_view"
echo "# $(q "SELECT format('March, organic: cpl %s, mql_rate %s', cpl, mql_rate) FROM monthly_channel_report WHERE month = '2026-03-01' AND channel = 'organic'")"

# The mistake the summaries exist to prevent: an average of daily rates is
# not the month's rate. On this data (busy days convert worse) the two differ
# in every month and channel of the first quarter.
averaged=$(q "SELECT count(*) || ' of ' || count(*) FILTER (WHERE round(average_of_daily_rates::numeric, 4)
                                                           <> round(monthly_rate::numeric, 4))
              FROM (SELECT date_trunc('month', day) AS month, channel,
                           avg(mql_rate(visits_to_mql)) AS average_of_daily_rates,
                           mql_rate(rollup(visits_to_mql)) AS monthly_rate
                    FROM channel_day_summaries WHERE day < '2026-04-01' GROUP BY 1, 2) AS r")
echo "# $(q "SELECT format('January, ads: average of daily MQL rates %s, monthly MQL rate %s',
                      round(avg(mql_rate(visits_to_mql))::numeric, 4), round(mql_rate(rollup(visits_to_mql))::numeric, 4))
             FROM channel_day_summaries WHERE day < '2026-02-01' AND channel = 'ads'")"
check "averaging daily rates misstates the month's rate (month-channels of Q1, and how many differ at 4 decimals)" \
  "9 of 9" "$averaged"

check "cron.unschedule removes the job" \
  "t 0" "$(q "SELECT cron.unschedule($job_id)") $(q "SELECT count(*) FROM cron.job")"

echo "1..$checks"
exit $failed
