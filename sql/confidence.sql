SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS b2bkpi; RESET client_min_messages;

-- Confidence on count rates (kpi-spec section 6): the Wilson score interval
-- rate_ci (with its scalar twins rate_ci_low and rate_ci_high) and the pooled
-- two-proportion z-test rate_diff_pvalue, from a rate_summary or from counts.
--
-- Published values reproduced here (also in docs/confidence.md):
--  * Newcombe R.G. (1998), "Two-sided confidence intervals for the single
--    proportion: comparison of seven methods", Statistics in Medicine
--    17:857-872, Table I, score method without continuity correction, 95 %.
--  * Penn State STAT 414/415 "Comparing two proportions" (also Statistics How
--    To, "Two-proportion z-test"): 351/605 against 41/195, Z = 8.99, p < 0.0001.
--  * Prentice Hall TI-83 technology page "2-PropZTest": 44/200 against 54/300,
--    p-value .270.

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN others THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- A summary built the way conversion_rate builds its own: rate_add over rows.
CREATE AGGREGATE pg_temp.summary_of(pg_catalog.bool) (
    SFUNC = rate_add,
    STYPE = rate_summary,
    INITCOND = 'v1 hits=0 trials=0'
);

CREATE TEMP TABLE newcombe (hits bigint, trials bigint, low numeric, high numeric);
INSERT INTO newcombe VALUES
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718);

-- Newcombe (1998) Table I through the counts form, the summary form and the
-- scalar twins, each rounded to the 4 decimals the table prints.
SELECT n.hits, n.trials, n.low AS published_low, n.high AS published_high,
       round((c).low::numeric, 4) AS low, round((c).high::numeric, 4) AS high,
       round((c).low::numeric, 4) = n.low AND round((c).high::numeric, 4) = n.high AS counts_match,
       round((s).low::numeric, 4) = n.low AND round((s).high::numeric, 4) = n.high AS summary_match,
       round(rate_ci_low(n.hits, n.trials)::numeric, 4) = n.low
         AND round(rate_ci_high(n.hits, n.trials)::numeric, 4) = n.high
         AND round(rate_ci_low(sm)::numeric, 4) = n.low
         AND round(rate_ci_high(sm)::numeric, 4) = n.high AS twins_match
FROM newcombe AS n,
     LATERAL (SELECT format('v1 hits=%s trials=%s', n.hits, n.trials)::rate_summary) AS m(sm),
     LATERAL (SELECT rate_ci(n.hits, n.trials), rate_ci(m.sm)) AS r(c, s)
ORDER BY n.trials DESC;

-- The same figures from a summary typed in, and from one aggregated over 263
-- generated rows of which 81 convert; conversion_rate of those rows sits
-- inside the interval.
SELECT rate_ci('v1 hits=81 trials=263'::rate_summary) AS typed_in;
SELECT s AS summary, rate_ci(s) AS interval,
       rate_ci(s) = rate_ci(81, 263) AS same_as_counts,
       (rate_ci(s)).low <= r AND r <= (rate_ci(s)).high AS rate_inside,
       round(r::numeric, 4) AS conversion_rate
FROM (SELECT pg_temp.summary_of(g <= 81), conversion_rate(g <= 81)
      FROM generate_series(1, 263) AS g) AS t(s, r);

-- Per channel over generated leads: the interval of each channel's summary
-- equals the interval of its counts, and contains its conversion_rate.
SELECT channel, s, round((rate_ci(s)).low::numeric, 4) AS low,
       round(r::numeric, 4) AS rate, round((rate_ci(s)).high::numeric, 4) AS high,
       rate_ci(s) = rate_ci(hits, leads) AS same_as_counts,
       (rate_ci(s)).low <= r AND r <= (rate_ci(s)).high AS rate_inside
FROM (SELECT g % 3 AS channel, pg_temp.summary_of(g % (7 + g % 3) = 0),
             conversion_rate(g % (7 + g % 3) = 0),
             count(*) FILTER (WHERE g % (7 + g % 3) = 0), count(*)
      FROM generate_series(1, 600) AS g
      GROUP BY 1) AS t(channel, s, r, hits, leads)
ORDER BY channel;

-- The default level is 0.95; the composite opens with .low, .high and .*.
SELECT rate_ci(81, 263) = rate_ci(81, 263, 0.95) AS default_is_95,
       rate_ci('v1 hits=81 trials=263') = rate_ci(81, 263) AS summary_default,
       rate_ci_low(81, 263) = (rate_ci(81, 263)).low AS low_twin,
       rate_ci_high(81, 263) = (rate_ci(81, 263)).high AS high_twin;
SELECT (rate_ci(81, 263, 0.99)).*;

-- Published z-tests. Penn State: Z = 8.99 (here from the textbook formula,
-- written out in SQL) and p < 0.0001; Prentice Hall TI-83: p = .270.
SELECT round(((351 / 605.0 - 41 / 195.0)
              / sqrt(0.49 * 0.51 * (1 / 605.0 + 1 / 195.0)))::numeric, 2) AS published_z,
       rate_diff_pvalue(351, 605, 41, 195) < 0.0001 AS p_below_0_0001,
       rate_diff_pvalue(351, 605, 41, 195) = rate_diff_pvalue(41, 195, 351, 605) AS symmetric;
SELECT round(rate_diff_pvalue(44, 200, 54, 300)::numeric, 3) AS p,
       rate_diff_pvalue('v1 hits=44 trials=200', 'v1 hits=54 trials=300')
         = rate_diff_pvalue(44, 200, 54, 300) AS summary_form_same;

-- Independent SQL formulas on generated counts, to 1e-12.
-- Wilson: center +- half width in numeric, with z the published constants
-- for 0.95 and 0.99.
WITH counts AS (
    SELECT h::bigint AS hits, t::bigint AS trials
    FROM generate_series(1, 45) AS t, generate_series(0, t) AS h
    UNION ALL
    SELECT (i * 7919) % (i * 104729 + 1), i * 104729 + 1
    FROM generate_series(1, 200) AS i
), formula AS (
    SELECT hits, trials, z,
           (hits + z * z / 2) / (trials + z * z) AS center,
           z * sqrt(hits::numeric(60, 40) * (trials - hits) / trials + z * z / 4)
             / (trials + z * z) AS half
    FROM counts, (VALUES (1.959963984540054::numeric), (2.5758293035489::numeric)) AS levels(z)
)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE abs(low - greatest(center - half, 0)) > 1e-12
                           OR abs(high - least(center + half, 1)) > 1e-12) AS mismatches,
       count(*) FILTER (WHERE NOT (0 <= low AND low <= hits::float8 / trials
                                   AND hits::float8 / trials <= high AND high <= 1)) AS disordered,
       count(*) FILTER (WHERE hits = 0 AND low <> 0) AS low_not_zero,
       count(*) FILTER (WHERE hits = trials AND high <> 1) AS high_not_one,
       count(*) FILTER (WHERE low IS NULL OR high IS NULL) AS nulls
FROM formula,
     LATERAL (SELECT rate_ci_low(hits, trials, CASE WHEN z < 2 THEN 0.95 ELSE 0.99 END),
                     rate_ci_high(hits, trials, CASE WHEN z < 2 THEN 0.95 ELSE 0.99 END)) AS f(low, high);

-- z-test: the pooled statistic in numeric, and its two-sided p-value
-- erfc(|z| / sqrt 2) from the power series of erf, in 60-digit numeric.
CREATE FUNCTION pg_temp.two_sided_p(z numeric) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    x numeric := round(abs(z) / sqrt(2::numeric(70, 60)), 60);
    term numeric := x;          -- (-1)^n x^(2n+1) / n!
    total numeric := x;         -- sum of term / (2n + 1)
    n int := 0;
BEGIN
    LOOP
        n := n + 1;
        term := round(-term * x * x / n, 60);
        total := total + round(term / (2 * n + 1), 60);
        EXIT WHEN abs(term) < 1e-55;
    END LOOP;
    RETURN 1 - round(2 * total / sqrt(3.141592653589793238462643383279502884197::numeric(70, 60)), 60);
END
$$;

WITH pairs AS (
    SELECT ha, ta, hb, tb
    FROM generate_series(1, 24) AS i,
         LATERAL (SELECT (i * 37 % 50)::bigint + 5, (i * 53 % 90)::bigint + 10) AS s(ta, tb),
         LATERAL (SELECT (i * 11 % (ta + 1))::bigint, (i * 29 % (tb + 1))::bigint) AS h(ha, hb)
    UNION ALL
    SELECT ha, ta, hb, tb
    FROM generate_series(0, 12) AS ha, generate_series(0, 12) AS hb,
         (VALUES (12::bigint, 12::bigint)) AS s(ta, tb)
), formula AS (
    SELECT ha, ta, hb, tb,
           (ha::numeric(60, 40) / ta - hb::numeric(60, 40) / tb)
             / sqrt((ha + hb)::numeric(60, 40) / (ta + tb)
                    * (1 - (ha + hb)::numeric(60, 40) / (ta + tb))
                    * (1::numeric(60, 40) / ta + 1::numeric(60, 40) / tb)) AS z
    FROM pairs
    WHERE ha + hb > 0 AND ha + hb < ta + tb
)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE abs(p - pg_temp.two_sided_p(z)) > 1e-12 * pg_temp.two_sided_p(z))
         AS mismatches,
       count(*) FILTER (WHERE NOT (p BETWEEN 0 AND 1)) AS out_of_range,
       count(*) FILTER (WHERE p <> rate_diff_pvalue(hb, tb, ha, ta)) AS asymmetric,
       count(*) FILTER (WHERE p IS NULL) AS nulls,
       min(p) AS smallest_p, max(p) AS largest_p
FROM formula, LATERAL (SELECT rate_diff_pvalue(ha, ta, hb, tb)) AS f(p);

-- The pooled rate 0 or 1 (every hit or no hit in both) gives NULL, as does
-- any side without trials; everywhere else the p-value is defined.
SELECT count(*) FILTER (WHERE rate_diff_pvalue(ha, 12, hb, 12) IS NULL) AS null_cases,
       count(*) FILTER (WHERE rate_diff_pvalue(ha, 12, hb, 12) IS NULL
                          AND NOT (ha + hb = 0 OR ha + hb = 24)) AS unexpected_nulls
FROM generate_series(0, 12) AS ha, generate_series(0, 12) AS hb;

-- Edge cases: no trials, all or nothing, equal rates, NULL arguments.
\pset null '(null)'
SELECT rate_ci(0, 0) AS no_trials, rate_ci('v1 hits=0 trials=0') AS empty_summary,
       rate_ci_low(0, 0) AS low, rate_ci_high('v1 hits=0 trials=0') AS high;
SELECT rate_ci_low(0, 20) = 0 AS none_low_is_0, rate_ci_high(20, 20) = 1 AS all_high_is_1,
       rate_ci_high(0, 20) > 0 AS none_high_above_0, rate_ci_low(20, 20) < 1 AS all_low_below_1;
SELECT rate_ci(NULL::bigint, 10) AS null_hits, rate_ci(1, 10, NULL) AS null_level,
       rate_ci_low(NULL::rate_summary) AS null_summary,
       rate_diff_pvalue(1, 10, NULL, 10) AS null_count;
SELECT rate_diff_pvalue(0, 0, 5, 10) AS a_empty, rate_diff_pvalue(5, 10, 0, 0) AS b_empty,
       rate_diff_pvalue(0, 10, 0, 20) AS pooled_0, rate_diff_pvalue(10, 10, 20, 20) AS pooled_1,
       rate_diff_pvalue('v1 hits=0 trials=0', 'v1 hits=1 trials=2') AS summary_empty;
SELECT rate_diff_pvalue(3, 10, 30, 100) AS equal_rates,
       round(rate_diff_pvalue(5, 5, 0, 5)::numeric, 6) AS all_against_none;
-- A higher level widens the interval.
SELECT level, round(low::numeric, 6) AS low, round(high::numeric, 6) AS high
FROM unnest(ARRAY[0.5, 0.8, 0.9, 0.95, 0.99, 0.999]) AS level,
     LATERAL (SELECT (rate_ci(15, 148, level)).*) AS ci
ORDER BY level;
-- The largest counts.
SELECT rate_ci_low(4611686018427387903, 9223372036854775807) < 0.5 AS low_below_half,
       rate_ci_high(4611686018427387903, 9223372036854775807) > 0.5 AS high_above_half,
       rate_ci_high(9223372036854775807, 9223372036854775807) AS high_all,
       rate_diff_pvalue(9223372036854775807, 9223372036854775807,
                        0, 9223372036854775807) AS p_all_against_none;

-- Errors, one shown in full.
SELECT rate_ci(5, 3);
SELECT rate_ci(1, 10, 95);
SELECT rate_diff_pvalue(1, 10, 12, 11);

SELECT query, pg_temp.error_of(query) AS result
FROM (VALUES
    ('SELECT rate_ci(-1, 10)'),
    ('SELECT rate_ci(0, -1)'),
    ('SELECT rate_ci(11, 10)'),
    ('SELECT rate_ci_low(-1, 10)'),
    ('SELECT rate_ci_high(11, 10)'),
    ('SELECT rate_ci(1, 10, 0)'),
    ('SELECT rate_ci(1, 10, 1)'),
    ('SELECT rate_ci(1, 10, -0.5)'),
    ('SELECT rate_ci(1, 10, 1.5)'),
    ('SELECT rate_ci(1, 10, ''NaN'')'),
    ('SELECT rate_ci(1, 10, ''Infinity'')'),
    ('SELECT rate_ci(0, 0, 2)'),
    ('SELECT rate_ci(''v1 hits=1 trials=10'', 0)'),
    ('SELECT rate_ci_low(''v1 hits=1 trials=10'', 1)'),
    ('SELECT rate_ci_high(''v1 hits=1 trials=10''::rate_summary, ''-Infinity'')'),
    ('SELECT rate_ci_low(1, 10, 95)'),
    ('SELECT rate_ci(''v1 hits=11 trials=10'')'),
    ('SELECT rate_diff_pvalue(-1, 10, 1, 10)'),
    ('SELECT rate_diff_pvalue(1, -10, 1, 10)'),
    ('SELECT rate_diff_pvalue(11, 10, 1, 10)'),
    ('SELECT rate_diff_pvalue(1, 10, -1, 10)'),
    ('SELECT rate_diff_pvalue(1, 10, 1, -10)'),
    ('SELECT rate_diff_pvalue(1, 10, 11, 10)'),
    ('SELECT rate_diff_pvalue(-1, 0, 1, 10)')
) AS cases(query);

-- Every object of this family carries a comment (expect no rows).
SELECT p.oid::regprocedure::text AS missing_comment
FROM pg_proc AS p
WHERE p.proname IN ('rate_ci', 'rate_ci_low', 'rate_ci_high', 'rate_diff_pvalue')
  AND obj_description(p.oid, 'pg_proc') IS NULL
UNION ALL
SELECT 'type rate_interval'
WHERE obj_description('rate_interval'::regtype, 'pg_type') IS NULL;
SELECT a.attname, col_description(t.typrelid, a.attnum) IS NOT NULL AS commented
FROM pg_type AS t JOIN pg_attribute AS a ON a.attrelid = t.typrelid
WHERE t.oid = 'rate_interval'::regtype AND a.attnum > 0
ORDER BY a.attnum;
SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel,
       pg_get_function_arguments(p.oid) AS arguments
FROM pg_proc AS p
WHERE p.proname IN ('rate_ci', 'rate_ci_low', 'rate_ci_high', 'rate_diff_pvalue')
ORDER BY 1::text;
