-- demo/schema.sql: tables of the b2bkpi demo, and the model the data generator follows.
-- Run once, after CREATE EXTENSION b2bkpi; demo/generate.sql then loads one month at a
-- time and demo/report.sql prints the KPIs. The data covers 2023-01-01 .. 2023-12-31.

SET client_min_messages = warning;

DROP TABLE IF EXISTS nps_responses, opportunities, channel_days, visits, channels;
DROP FUNCTION IF EXISTS demo_unit(bigint, bigint);
DROP FUNCTION IF EXISTS pct(double precision, integer, integer);

-- A pseudo-random number in [0, 1) drawn from a key and a salt (0..255): the low 24
-- bits of PostgreSQL's 64-bit integer hash. hashint8extended folds its bigint argument
-- to 32 bits (low half XOR high half), which would make keys like (cell << 32) + n
-- collide, so the low half is hashed and the high half goes into the seed with the
-- salt. Each salt is an independent draw for the same key, and the same key always
-- gives the same number, so every run loads the same data.
CREATE FUNCTION demo_unit(key bigint, salt bigint)
RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT (pg_catalog.hashint8extended(key & 4294967295, ((key >> 32) << 8) | salt)
            & 16777215)::double precision / 16777216
$$;

COMMENT ON FUNCTION demo_unit(bigint, bigint) IS
'Demo data generator: a deterministic pseudo-random number in [0, 1) from a key and a salt';

-- A fraction written as a percentage, right-aligned to a fixed width so that psql's
-- left-aligned text columns still line up: pct(0.01234) = '  1.2 %'. Pass the
-- column heading's width as width to align the values under it.
CREATE FUNCTION pct(fraction double precision, decimals integer DEFAULT 1, width integer DEFAULT 7)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT lpad(round((100 * fraction)::numeric, decimals)::text || ' %',
                greatest(decimals + 6, width))
$$;

COMMENT ON FUNCTION pct(double precision, integer, integer) IS
'Demo report: a fraction as a right-aligned percentage with the given decimals and width';

-- The generator's model of each channel: average visits per day at scale 1, how much of
-- that traffic comes at weekends, and the chance of each funnel step. These are inputs;
-- the report measures the KPIs from the generated rows, never from this table.
CREATE TABLE channels (
    channel_id      smallint PRIMARY KEY,   -- also the report's row order (by traffic)
    channel         text NOT NULL UNIQUE,
    daily_visits    integer NOT NULL,       -- average visits per day at scale 1
    weekend_factor  double precision NOT NULL, -- weekend traffic relative to a weekday
    p_mql           double precision NOT NULL, -- chance a visit becomes an MQL (mid-year)
    mql_trend       double precision NOT NULL, -- p_mql drift, Jan 1 to Dec 31 (+0.4 = +40 %)
    p_sql           double precision NOT NULL, -- chance an MQL becomes an SQL
    p_opportunity   double precision NOT NULL, -- chance an SQL becomes an opportunity
    p_win           double precision NOT NULL, -- chance a closed opportunity is won
    cycle_days      integer NOT NULL,       -- average days from opportunity to close
    average_deal    numeric(12,2) NOT NULL, -- average opportunity amount
    daily_spend     numeric(12,2) NOT NULL  -- average spend per day at scale 1
);

COMMENT ON TABLE channels IS
'Demo data generator: the model of each marketing channel (inputs, not measured KPIs)';

INSERT INTO channels VALUES
    (1, 'organic search', 950, 0.55, 0.016,  0.10, 0.24, 0.65, 0.22, 60, 24000,    0),
    (2, 'paid search',    640, 0.50, 0.026, -0.30, 0.21, 0.60, 0.19, 55, 18000, 1900),
    (3, 'outbound email', 420, 0.10, 0.012,  0.00, 0.16, 0.70, 0.15, 75, 30000,  350),
    (4, 'LinkedIn ads',   360, 0.35, 0.030,  0.40, 0.18, 0.60, 0.17, 70, 26000, 2300),
    (5, 'direct',         210, 0.60, 0.021,  0.00, 0.30, 0.65, 0.25, 50, 22000,    0),
    (6, 'referral',       150, 0.50, 0.045,  0.00, 0.41, 0.75, 0.33, 40, 28000,    0),
    (7, 'webinars',       110, 0.15, 0.058,  0.15, 0.34, 0.65, 0.27, 55, 25000,  450),
    (8, 'events',          60, 0.20, 0.050,  0.00, 0.44, 0.70, 0.31, 65, 35000, 1600);

-- One row per website visit. visit_id is the key the generator draws the visit's
-- pseudo-random numbers from: (day number * 16 + channel_id) * 2^32 + n.
-- is_mql is NULL for about 1 % of visits (tracking lost), and is_sql with it;
-- is_sql is false whenever is_mql is false.
CREATE TABLE visits (
    visit_id    bigint NOT NULL,
    visit_day   date NOT NULL,
    channel     text NOT NULL,
    is_mql      boolean,
    is_sql      boolean,
    CHECK (is_sql IS NULL OR NOT is_sql OR is_mql)
);

COMMENT ON TABLE visits IS
'Demo: one row per website visit, with whether it became an MQL and an SQL (NULL: unknown)';

-- Visits pre-aggregated per day and channel, derived from visits with GROUP BY.
-- visits counts the visits whose MQL status is known (count(is_mql)), because
-- mql_rate(boolean) skips the NULL rows too: the two forms then agree exactly.
CREATE TABLE channel_days (
    visit_day   date NOT NULL,
    channel     text NOT NULL,
    visits      bigint NOT NULL,
    mqls        bigint NOT NULL,
    sqls        bigint NOT NULL,
    spend       numeric(12,2) NOT NULL,
    PRIMARY KEY (channel, visit_day)
);

COMMENT ON TABLE channel_days IS
'Demo: visits (with a known MQL status), MQLs, SQLs and spend per day and channel';

-- Sales opportunities opened from SQLs. Open opportunities (not closed by the end of
-- 2023) have closed_at and is_won NULL.
CREATE TABLE opportunities (
    opportunity_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id      bigint NOT NULL,
    channel         text NOT NULL,
    created_at      timestamptz NOT NULL,
    closed_at       timestamptz,
    amount          numeric(12,2) NOT NULL,
    is_won          boolean,
    CHECK ((closed_at IS NULL) = (is_won IS NULL))
);

COMMENT ON TABLE opportunities IS
'Demo: sales opportunities from SQLs; closed_at and is_won are NULL while open';

-- Net Promoter Score survey answers.
CREATE TABLE nps_responses (
    account_id   bigint NOT NULL,
    answered_on  date NOT NULL,
    score        integer NOT NULL CHECK (score BETWEEN 0 AND 10)
);

COMMENT ON TABLE nps_responses IS
'Demo: answers to "How likely are you to recommend us?", 0..10';
