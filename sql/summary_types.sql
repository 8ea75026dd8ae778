-- The public summary types: text and binary forms, versioning, and rejection of
-- malformed or impossible values.

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN others THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- Text round trips, including the extremes and liberal white space.
SELECT 'v1 hits=12 trials=40'::rate_summary;
SELECT ' v1  hits=0	trials=0 '::rate_summary;
SELECT 'v1 hits=9223372036854775807 trials=9223372036854775807'::rate_summary;
SELECT 'v1 promoters=5 passives=3 detractors=2'::nps_summary;
SELECT 'v1 promoters=9223372036854775806 passives=1 detractors=0'::nps_summary;
SELECT s::text::rate_summary::text = s::text AS text_round_trip
FROM (VALUES ('v1 hits=3 trials=7'::rate_summary)) AS v(s);

-- One error shown in full, with its detail.
SELECT 'v1 hits=3 trials'::rate_summary;
SELECT 'v1 hits=5 trials=3'::rate_summary;
SELECT 'v2 hits=1 trials=2'::rate_summary;

-- Every malformed case, with its SQLSTATE.
SELECT input, pg_temp.error_of(format('SELECT %L::rate_summary', input)) AS result
FROM (VALUES
    (''), ('   '), ('hits=1 trials=2'), ('v'), ('v1'), ('vx hits=1 trials=2'),
    ('V1 hits=1 trials=2'), ('v1hits=1 trials=2'), ('v1 trials=2 hits=1'),
    ('v1 hits=1'), ('v1 hits=1 trials='), ('v1 hits= trials=2'), ('v1 hits=-1 trials=2'),
    ('v1 hits=+1 trials=2'), ('v1 hits=1 trials=2 extra'), ('v1 hits=1 trials=2 trials=3'),
    ('v1 hits=1.0 trials=2'), ('v1 hits=1,trials=2'), ('v1 hits = 1 trials=2'),
    ('v0 hits=1 trials=2'), ('v2 hits=1 trials=2'), ('v99999999999 hits=1 trials=2'),
    ('v1 hits=9223372036854775808 trials=9223372036854775808'),
    ('v1 hits=1 trials=99999999999999999999999'),
    ('v1 hits=3 trials=2')
) AS cases(input);

SELECT input, pg_temp.error_of(format('SELECT %L::nps_summary', input)) AS result
FROM (VALUES
    ('v1 promoters=1 passives=2'), ('v1 promoters=1 detractors=2 passives=3'),
    ('v1 promoters=1 passives=2 detractors=-3'), ('v2 promoters=1 passives=2 detractors=3'),
    ('v1 promoters=9223372036854775807 passives=1 detractors=0'),
    ('v1 promoters=4611686018427387904 passives=4611686018427387904 detractors=0'),
    ('v1 hits=1 trials=2')
) AS cases(input);

-- Binary form: a version byte and big-endian int64 counts.
SELECT rate_summary_send('v1 hits=12 trials=40');
SELECT nps_summary_send('v1 promoters=5 passives=3 detractors=2');

-- Binary COPY out and back in.
CREATE TABLE summaries (id int, rate rate_summary, score nps_summary);
INSERT INTO summaries VALUES
    (1, 'v1 hits=12 trials=40', 'v1 promoters=5 passives=3 detractors=2'),
    (2, 'v1 hits=0 trials=0', 'v1 promoters=0 passives=0 detractors=0'),
    (3, 'v1 hits=9223372036854775807 trials=9223372036854775807',
        'v1 promoters=0 passives=9223372036854775807 detractors=0');
CREATE TABLE summaries_copy (LIKE summaries);
COPY summaries TO PROGRAM 'cat > b2bkpi_summaries.copy' (FORMAT binary);
COPY summaries_copy FROM PROGRAM 'cat b2bkpi_summaries.copy && rm -f b2bkpi_summaries.copy' (FORMAT binary);
SELECT * FROM summaries_copy ORDER BY id;
SELECT count(*) AS rows_equal_as_text
FROM summaries AS a JOIN summaries_copy AS b USING (id)
WHERE a.rate::text = b.rate::text AND a.score::text = b.score::text;

-- Text COPY round trip.
TRUNCATE summaries_copy;
COPY summaries TO PROGRAM 'cat > b2bkpi_summaries.txt';
COPY summaries_copy FROM PROGRAM 'cat b2bkpi_summaries.txt && rm -f b2bkpi_summaries.txt';
SELECT count(*) AS rows_equal_as_text
FROM summaries AS a JOIN summaries_copy AS b USING (id)
WHERE a.rate::text = b.rate::text AND a.score::text = b.score::text;

-- Malformed binary values: write raw bytes with binary COPY of a bytea column,
-- then read them back as a summary type.
CREATE TABLE raw_bytes (b bytea);
CREATE TABLE rate_only (r rate_summary);
CREATE TABLE nps_only (n nps_summary);
CREATE FUNCTION pg_temp.binary_error_of(bytes bytea, target text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE raw_bytes;
    INSERT INTO raw_bytes VALUES (bytes);
    COPY raw_bytes TO PROGRAM 'cat > b2bkpi_raw.copy' (FORMAT binary);
    RETURN pg_temp.error_of(format(
        'COPY %I FROM PROGRAM %L (FORMAT binary)', target,
        'cat b2bkpi_raw.copy && rm -f b2bkpi_raw.copy'));
END
$$;
SELECT label, pg_temp.binary_error_of(bytes, target) AS result
FROM (VALUES
    ('valid rate', '\x01000000000000000c0000000000000028'::bytea, 'rate_only'),
    ('empty', '\x', 'rate_only'),
    ('version only', '\x01', 'rate_only'),
    ('truncated', '\x01000000000000000c00000000000000', 'rate_only'),
    ('one byte too many', '\x01000000000000000c000000000000002800', 'rate_only'),
    ('version 2', '\x02000000000000000c0000000000000028', 'rate_only'),
    ('negative hits', '\x01ff000000000000000000000000000028', 'rate_only'),
    ('hits over trials', '\x0100000000000000290000000000000028', 'rate_only'),
    ('valid nps', '\x01000000000000000500000000000000030000000000000002', 'nps_only'),
    ('rate bytes as nps', '\x01000000000000000c0000000000000028', 'nps_only'),
    ('nps sum overflow', '\x017fffffffffffffff00000000000000010000000000000000', 'nps_only')
) AS cases(label, bytes, target);
SELECT * FROM rate_only;
SELECT * FROM nps_only;

DROP TABLE summaries, summaries_copy, rate_only, nps_only;

---------------------------------------------------------------------------------------
-- money_summary and float8_money_summary, the states of the money KPIs.
---------------------------------------------------------------------------------------

-- Text round trips: negative and mixed-scale sums, liberal white space, a sum too wide
-- for 128 bits, and compensated double precision sums.
SELECT 'v1 rows=3 numerator=-12.50 numerator_scale_rows=1 denominator=7 denominator_scale_rows=3'::money_summary;
SELECT ' v1  rows=0	numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0 '::money_summary;
SELECT 'v1 rows=2 numerator=-10000000000000000000000000000000000000000.000000000000000000000000000001 numerator_scale_rows=1 denominator=170141183460469231731687303715884105728 denominator_scale_rows=2'::money_summary;
SELECT 'v1 rows=3 numerator=1e+16 numerator_error=1 denominator=-3.5 denominator_error=0'::float8_money_summary;
SELECT s::text::money_summary::text = s::text AS text_round_trip
FROM (VALUES ('v1 rows=5 numerator=0.000 numerator_scale_rows=5 denominator=-0.5 denominator_scale_rows=1'::money_summary)) AS v(s);

-- One error of each kind shown in full.
SELECT 'v1 rows=1 numerator=1e3 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1'::money_summary;
SELECT 'v2 rows=1 numerator=1 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1'::money_summary;
SELECT 'v1 rows=0 numerator=1 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0'::money_summary;
SELECT 'v1 rows=1 numerator=1 numerator_error=0.5 denominator=1 denominator_error=0'::float8_money_summary;

-- Every malformed, impossible (22023) and out-of-range (22003) case, with its SQLSTATE.
SELECT input, pg_temp.error_of(format('SELECT %L::money_summary', input)) AS result
FROM (VALUES
    (''), ('v1'), ('v1 rows=1'), ('v1 rows=1 numerator=1 numerator_scale_rows=1 denominator=1'),
    ('v1 rows=1 denominator=1 denominator_scale_rows=1 numerator=1 numerator_scale_rows=1'),
    ('v1 rows=1 numerator=.5 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1'),
    ('v1 rows=1 numerator=5. numerator_scale_rows=1 denominator=1 denominator_scale_rows=1'),
    ('v1 rows=1 numerator=+5 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1'),
    ('v1 rows=1 numerator=NaN numerator_scale_rows=1 denominator=1 denominator_scale_rows=1'),
    ('v1 rows=1 numerator=1 numerator_scale_rows=-1 denominator=1 denominator_scale_rows=1'),
    ('v1 rows=1.0 numerator=1 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1'),
    ('v1 rows=1 numerator=1 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1 x'),
    ('v1 rows=1 numerator=1 numerator_error=0 denominator=1 denominator_error=0'),
    ('v1 rows=0 numerator=0.00 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0'),
    ('v1 rows=0 numerator=0 numerator_scale_rows=1 denominator=0 denominator_scale_rows=0'),
    ('v1 rows=2 numerator=1 numerator_scale_rows=0 denominator=1 denominator_scale_rows=2'),
    ('v1 rows=2 numerator=1 numerator_scale_rows=3 denominator=1 denominator_scale_rows=2'),
    ('v1 rows=9223372036854775808 numerator=1 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1')
) AS cases(input);
-- A scale past numeric's largest, 16383.
SELECT pg_temp.error_of(format('SELECT %L::money_summary', 'v1 rows=1 numerator=0.'
    || repeat('0', 16384) || ' numerator_scale_rows=1 denominator=1 denominator_scale_rows=1'))
    AS scale_16384;

SELECT input, pg_temp.error_of(format('SELECT %L::float8_money_summary', input)) AS result
FROM (VALUES
    ('v1 rows=1 numerator=1 numerator_error=0 denominator=1'),
    ('v1 rows=1 numerator=NaN numerator_error=0 denominator=1 denominator_error=0'),
    ('v1 rows=1 numerator=1e e=0 denominator=1 denominator_error=0'),
    ('v1 rows=-1 numerator=1 numerator_error=0 denominator=1 denominator_error=0'),
    ('v1 rows=1 numerator=1e309 numerator_error=0 denominator=1 denominator_error=0'),
    ('v1 rows=0 numerator=1 numerator_error=0 denominator=0 denominator_error=0'),
    ('v1 rows=1 numerator=1 numerator_error=0 denominator=0 denominator_error=-1e-300'),
    ('v1 rows=1 numerator=1 numerator_error=1e-15 denominator=1 denominator_error=0')
) AS cases(input);

-- Binary form. money_summary: version byte, rows and the two scale_rows as int64, then
-- the sums in numeric's binary form (-12.50: 2 digits, weight 0, negative, scale 2).
SELECT money_summary_send('v1 rows=2 numerator=-12.50 numerator_scale_rows=1 denominator=3 denominator_scale_rows=2');
-- float8_money_summary: version byte, rows as int64, then the four doubles.
SELECT float8_money_summary_send('v1 rows=2 numerator=1.5 numerator_error=0 denominator=3 denominator_error=0');

-- Binary COPY out and back in, wide and empty sums included.
CREATE TABLE money_states (id int, exact money_summary, approx float8_money_summary);
INSERT INTO money_states VALUES
    (1, 'v1 rows=3 numerator=-12.50 numerator_scale_rows=1 denominator=7 denominator_scale_rows=3',
        'v1 rows=3 numerator=1e+16 numerator_error=1 denominator=3 denominator_error=0'),
    (2, 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
        'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0'),
    (3, 'v1 rows=2 numerator=-10000000000000000000000000000000000000000.000000000000000000000000000001 numerator_scale_rows=1 denominator=99999999999999999999999999999999999999 denominator_scale_rows=2',
        'v1 rows=2 numerator=-1.7976931348623157e+308 numerator_error=0 denominator=5e-324 denominator_error=0');
CREATE TABLE money_states_copy (LIKE money_states);
COPY money_states TO PROGRAM 'cat > b2bkpi_money_states.copy' (FORMAT binary);
COPY money_states_copy FROM PROGRAM 'cat b2bkpi_money_states.copy && rm -f b2bkpi_money_states.copy' (FORMAT binary);
SELECT * FROM money_states_copy ORDER BY id;
SELECT count(*) AS rows_equal_as_text
FROM money_states AS a JOIN money_states_copy AS b USING (id)
WHERE a.exact::text = b.exact::text AND a.approx::text = b.approx::text;

-- Malformed binary values, through the bytea trick above, built from the parts.
CREATE TABLE exact_only (m money_summary);
CREATE TABLE approx_only (f float8_money_summary);
SELECT label, pg_temp.binary_error_of(bytes, target) AS result
FROM (VALUES
    ('valid exact', '\x01'::bytea || int8send(2) || int8send(1) || int8send(2)
                    || numeric_send(-12.50) || numeric_send(3), 'exact_only'),
    ('empty', '\x', 'exact_only'),
    ('version 2', '\x02'::bytea || int8send(2) || int8send(1) || int8send(2)
                  || numeric_send(-12.50) || numeric_send(3), 'exact_only'),
    ('no sums', '\x01'::bytea || int8send(2) || int8send(1) || int8send(2), 'exact_only'),
    ('sum cut short', '\x01'::bytea || int8send(2) || int8send(1) || int8send(2)
                      || numeric_send(-12.50) || '\x00010000', 'exact_only'),
    ('one byte too many', '\x01'::bytea || int8send(2) || int8send(1) || int8send(2)
                          || numeric_send(-12.50) || numeric_send(3) || '\x00', 'exact_only'),
    ('NaN sum', '\x01'::bytea || int8send(2) || int8send(1) || int8send(2)
                || numeric_send('NaN') || numeric_send(3), 'exact_only'),
    ('digit over 9999', '\x01'::bytea || int8send(2) || int8send(1) || int8send(2)
                        || '\x00010000000000002710'::bytea || numeric_send(3), 'exact_only'),
    ('negative rows', '\x01'::bytea || int8send(-1) || int8send(1) || int8send(2)
                      || numeric_send(-12.50) || numeric_send(3), 'exact_only'),
    ('sums with no rows', '\x01'::bytea || int8send(0) || int8send(0) || int8send(0)
                          || numeric_send(-12.50) || numeric_send(3), 'exact_only'),
    ('scale on more rows than rows', '\x01'::bytea || int8send(2) || int8send(3) || int8send(2)
                                     || numeric_send(-12.50) || numeric_send(3), 'exact_only'),
    ('valid approx', '\x01'::bytea || int8send(2) || float8send(1.5) || float8send(0)
                     || float8send(3) || float8send(0), 'approx_only'),
    ('approx cut short', '\x01'::bytea || int8send(2) || float8send(1.5) || float8send(0)
                         || float8send(3), 'approx_only'),
    ('approx NaN', '\x01'::bytea || int8send(2) || float8send('NaN') || float8send(0)
                   || float8send(3) || float8send(0), 'approx_only'),
    ('error not below the sum', '\x01'::bytea || int8send(2) || float8send(1.5) || float8send(1)
                                || float8send(3) || float8send(0), 'approx_only'),
    ('negative approx rows', '\x01'::bytea || int8send(-2) || float8send(1.5) || float8send(0)
                             || float8send(3) || float8send(0), 'approx_only')
) AS cases(label, bytes, target);
SELECT * FROM exact_only;
SELECT * FROM approx_only;

DROP TABLE money_states, money_states_copy, raw_bytes, exact_only, approx_only;
