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

DROP TABLE summaries, summaries_copy, raw_bytes, rate_only, nps_only;
