-- b2bkpi 0.1: install script.
-- Every name is qualified: pg_catalog. for built-ins, @extschema@. for our own, so a
-- hostile search_path cannot redirect anything this script creates or calls.

\echo Use "CREATE EXTENSION b2bkpi" to load this file. \quit

---------------------------------------------------------------------------------------
-- Summary types: the public, versioned states of the aggregates (design.md).
---------------------------------------------------------------------------------------

CREATE TYPE @extschema@.rate_summary;

CREATE FUNCTION @extschema@.rate_summary_in(pg_catalog.cstring)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'rate_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.rate_summary_out(@extschema@.rate_summary)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'rate_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.rate_summary_recv(pg_catalog.internal)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'rate_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.rate_summary_send(@extschema@.rate_summary)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'rate_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.rate_summary (
    INPUT = @extschema@.rate_summary_in,
    OUTPUT = @extschema@.rate_summary_out,
    RECEIVE = @extschema@.rate_summary_recv,
    SEND = @extschema@.rate_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE @extschema@.rate_summary IS
'Counts behind a funnel rate: hits and trials, 0 <= hits <= trials. Text form ''v1 hits=N trials=N''; the state of conversion_rate, mql_rate, mql_to_sql_rate and win_rate';
COMMENT ON FUNCTION @extschema@.rate_summary_in(pg_catalog.cstring) IS
'Reads a rate_summary from its text form ''v1 hits=N trials=N''';
COMMENT ON FUNCTION @extschema@.rate_summary_out(@extschema@.rate_summary) IS
'Writes a rate_summary in its text form ''v1 hits=N trials=N''';
COMMENT ON FUNCTION @extschema@.rate_summary_recv(pg_catalog.internal) IS
'Reads a rate_summary from its binary form (version byte, then two big-endian int64)';
COMMENT ON FUNCTION @extschema@.rate_summary_send(@extschema@.rate_summary) IS
'Writes a rate_summary in its binary form (version byte, then two big-endian int64)';

CREATE TYPE @extschema@.nps_summary;

CREATE FUNCTION @extschema@.nps_summary_in(pg_catalog.cstring)
RETURNS @extschema@.nps_summary
AS 'MODULE_PATHNAME', 'nps_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_summary_out(@extschema@.nps_summary)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'nps_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_summary_recv(pg_catalog.internal)
RETURNS @extschema@.nps_summary
AS 'MODULE_PATHNAME', 'nps_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_summary_send(@extschema@.nps_summary)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'nps_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.nps_summary (
    INPUT = @extschema@.nps_summary_in,
    OUTPUT = @extschema@.nps_summary_out,
    RECEIVE = @extschema@.nps_summary_recv,
    SEND = @extschema@.nps_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE @extschema@.nps_summary IS
'Counts behind a Net Promoter Score: promoters (9-10), passives (7-8) and detractors (0-6). Text form ''v1 promoters=N passives=N detractors=N''; the state of nps';
COMMENT ON FUNCTION @extschema@.nps_summary_in(pg_catalog.cstring) IS
'Reads an nps_summary from its text form ''v1 promoters=N passives=N detractors=N''';
COMMENT ON FUNCTION @extschema@.nps_summary_out(@extschema@.nps_summary) IS
'Writes an nps_summary in its text form ''v1 promoters=N passives=N detractors=N''';
COMMENT ON FUNCTION @extschema@.nps_summary_recv(pg_catalog.internal) IS
'Reads an nps_summary from its binary form (version byte, then three big-endian int64)';
COMMENT ON FUNCTION @extschema@.nps_summary_send(@extschema@.nps_summary) IS
'Writes an nps_summary in its binary form (version byte, then three big-endian int64)';

---------------------------------------------------------------------------------------
-- Funnel rates (kpi-spec section 1): support functions.
-- Transition functions update the state in place when an aggregate calls them and
-- return a new value when called directly.
---------------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.rate_add(@extschema@.rate_summary, pg_catalog.bool)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_rate_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.rate_remove(@extschema@.rate_summary, pg_catalog.bool)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_rate_remove'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.mql_to_sql_rate_add(@extschema@.rate_summary, pg_catalog.bool, pg_catalog.bool)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_mql_to_sql_rate_add_flags'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.mql_to_sql_rate_remove(@extschema@.rate_summary, pg_catalog.bool, pg_catalog.bool)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_mql_to_sql_rate_remove_flags'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.conversion_rate_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_conversion_rate_add_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.conversion_rate_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_conversion_rate_remove_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.mql_rate_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_mql_rate_add_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.mql_rate_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_mql_rate_remove_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.mql_to_sql_rate_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_mql_to_sql_rate_add_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.mql_to_sql_rate_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_mql_to_sql_rate_remove_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.rate_combine(@extschema@.rate_summary, @extschema@.rate_summary)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_rate_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.rate_final(@extschema@.rate_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_add(@extschema@.nps_summary, pg_catalog.int4)
RETURNS @extschema@.nps_summary
AS 'MODULE_PATHNAME', 'b2bkpi_nps_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_remove(@extschema@.nps_summary, pg_catalog.int4)
RETURNS @extschema@.nps_summary
AS 'MODULE_PATHNAME', 'b2bkpi_nps_remove'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_combine(@extschema@.nps_summary, @extschema@.nps_summary)
RETURNS @extschema@.nps_summary
AS 'MODULE_PATHNAME', 'b2bkpi_nps_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_final(@extschema@.nps_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_nps_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.rate_add(@extschema@.rate_summary, pg_catalog.bool) IS
'Transition function of conversion_rate, mql_rate and win_rate (boolean forms): one trial, a hit when true';
COMMENT ON FUNCTION @extschema@.rate_remove(@extschema@.rate_summary, pg_catalog.bool) IS
'Inverse transition of conversion_rate, mql_rate and win_rate (boolean forms), for sliding window frames';
COMMENT ON FUNCTION @extschema@.mql_to_sql_rate_add(@extschema@.rate_summary, pg_catalog.bool, pg_catalog.bool) IS
'Transition function of mql_to_sql_rate(boolean, boolean): an MQL row is a trial, a hit when it is also an SQL';
COMMENT ON FUNCTION @extschema@.mql_to_sql_rate_remove(@extschema@.rate_summary, pg_catalog.bool, pg_catalog.bool) IS
'Inverse transition of mql_to_sql_rate(boolean, boolean), for sliding window frames';
COMMENT ON FUNCTION @extschema@.conversion_rate_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Transition function of conversion_rate(conversions bigint, trials bigint)';
COMMENT ON FUNCTION @extschema@.conversion_rate_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Inverse transition of conversion_rate(conversions bigint, trials bigint), for sliding window frames';
COMMENT ON FUNCTION @extschema@.mql_rate_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Transition function of mql_rate(mqls bigint, visits bigint)';
COMMENT ON FUNCTION @extschema@.mql_rate_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Inverse transition of mql_rate(mqls bigint, visits bigint), for sliding window frames';
COMMENT ON FUNCTION @extschema@.mql_to_sql_rate_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Transition function of mql_to_sql_rate(sqls bigint, mqls bigint)';
COMMENT ON FUNCTION @extschema@.mql_to_sql_rate_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Inverse transition of mql_to_sql_rate(sqls bigint, mqls bigint), for sliding window frames';
COMMENT ON FUNCTION @extschema@.rate_combine(@extschema@.rate_summary, @extschema@.rate_summary) IS
'Combine function of the funnel rates: adds two rate summaries (parallel plans)';
COMMENT ON FUNCTION @extschema@.rate_final(@extschema@.rate_summary) IS
'Final function of the funnel rates: hits / trials, NULL when there are no trials';
COMMENT ON FUNCTION @extschema@.nps_add(@extschema@.nps_summary, pg_catalog.int4) IS
'Transition function of nps: counts one survey answer (0..10)';
COMMENT ON FUNCTION @extschema@.nps_remove(@extschema@.nps_summary, pg_catalog.int4) IS
'Inverse transition of nps, for sliding window frames';
COMMENT ON FUNCTION @extschema@.nps_combine(@extschema@.nps_summary, @extschema@.nps_summary) IS
'Combine function of nps: adds two NPS summaries (parallel plans)';
COMMENT ON FUNCTION @extschema@.nps_final(@extschema@.nps_summary) IS
'Final function of nps: 100 * (promoters - detractors) / responses, NULL when there are no responses';

---------------------------------------------------------------------------------------
-- Funnel rates (kpi-spec section 1): the aggregates.
---------------------------------------------------------------------------------------

CREATE AGGREGATE @extschema@.conversion_rate(converted pg_catalog.bool) (
    SFUNC = @extschema@.rate_add,
    STYPE = @extschema@.rate_summary,
    INITCOND = 'v1 hits=0 trials=0',
    COMBINEFUNC = @extschema@.rate_combine,
    FINALFUNC = @extschema@.rate_final,
    MSFUNC = @extschema@.rate_add,
    MINVFUNC = @extschema@.rate_remove,
    MSTYPE = @extschema@.rate_summary,
    MINITCOND = 'v1 hits=0 trials=0',
    MFINALFUNC = @extschema@.rate_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.conversion_rate(conversions pg_catalog.int8, trials pg_catalog.int8) (
    SFUNC = @extschema@.conversion_rate_add,
    STYPE = @extschema@.rate_summary,
    INITCOND = 'v1 hits=0 trials=0',
    COMBINEFUNC = @extschema@.rate_combine,
    FINALFUNC = @extschema@.rate_final,
    MSFUNC = @extschema@.conversion_rate_add,
    MINVFUNC = @extschema@.conversion_rate_remove,
    MSTYPE = @extschema@.rate_summary,
    MINITCOND = 'v1 hits=0 trials=0',
    MFINALFUNC = @extschema@.rate_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.mql_rate(is_mql pg_catalog.bool) (
    SFUNC = @extschema@.rate_add,
    STYPE = @extschema@.rate_summary,
    INITCOND = 'v1 hits=0 trials=0',
    COMBINEFUNC = @extschema@.rate_combine,
    FINALFUNC = @extschema@.rate_final,
    MSFUNC = @extschema@.rate_add,
    MINVFUNC = @extschema@.rate_remove,
    MSTYPE = @extschema@.rate_summary,
    MINITCOND = 'v1 hits=0 trials=0',
    MFINALFUNC = @extschema@.rate_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.mql_rate(mqls pg_catalog.int8, visits pg_catalog.int8) (
    SFUNC = @extschema@.mql_rate_add,
    STYPE = @extschema@.rate_summary,
    INITCOND = 'v1 hits=0 trials=0',
    COMBINEFUNC = @extschema@.rate_combine,
    FINALFUNC = @extschema@.rate_final,
    MSFUNC = @extschema@.mql_rate_add,
    MINVFUNC = @extschema@.mql_rate_remove,
    MSTYPE = @extschema@.rate_summary,
    MINITCOND = 'v1 hits=0 trials=0',
    MFINALFUNC = @extschema@.rate_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.mql_to_sql_rate(is_mql pg_catalog.bool, is_sql pg_catalog.bool) (
    SFUNC = @extschema@.mql_to_sql_rate_add,
    STYPE = @extschema@.rate_summary,
    INITCOND = 'v1 hits=0 trials=0',
    COMBINEFUNC = @extschema@.rate_combine,
    FINALFUNC = @extschema@.rate_final,
    MSFUNC = @extschema@.mql_to_sql_rate_add,
    MINVFUNC = @extschema@.mql_to_sql_rate_remove,
    MSTYPE = @extschema@.rate_summary,
    MINITCOND = 'v1 hits=0 trials=0',
    MFINALFUNC = @extschema@.rate_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.mql_to_sql_rate(sqls pg_catalog.int8, mqls pg_catalog.int8) (
    SFUNC = @extschema@.mql_to_sql_rate_add,
    STYPE = @extschema@.rate_summary,
    INITCOND = 'v1 hits=0 trials=0',
    COMBINEFUNC = @extschema@.rate_combine,
    FINALFUNC = @extschema@.rate_final,
    MSFUNC = @extschema@.mql_to_sql_rate_add,
    MINVFUNC = @extschema@.mql_to_sql_rate_remove,
    MSTYPE = @extschema@.rate_summary,
    MINITCOND = 'v1 hits=0 trials=0',
    MFINALFUNC = @extschema@.rate_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.win_rate(is_won pg_catalog.bool) (
    SFUNC = @extschema@.rate_add,
    STYPE = @extschema@.rate_summary,
    INITCOND = 'v1 hits=0 trials=0',
    COMBINEFUNC = @extschema@.rate_combine,
    FINALFUNC = @extschema@.rate_final,
    MSFUNC = @extschema@.rate_add,
    MINVFUNC = @extschema@.rate_remove,
    MSTYPE = @extschema@.rate_summary,
    MINITCOND = 'v1 hits=0 trials=0',
    MFINALFUNC = @extschema@.rate_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.nps(score pg_catalog.int4) (
    SFUNC = @extschema@.nps_add,
    STYPE = @extschema@.nps_summary,
    INITCOND = 'v1 promoters=0 passives=0 detractors=0',
    COMBINEFUNC = @extschema@.nps_combine,
    FINALFUNC = @extschema@.nps_final,
    MSFUNC = @extschema@.nps_add,
    MINVFUNC = @extschema@.nps_remove,
    MSTYPE = @extschema@.nps_summary,
    MINITCOND = 'v1 promoters=0 passives=0 detractors=0',
    MFINALFUNC = @extschema@.nps_final,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.conversion_rate(pg_catalog.bool) IS
'Conversion rate: rows where converted is true / rows where it is not NULL (a fraction, NULL for no rows)';
COMMENT ON AGGREGATE @extschema@.conversion_rate(pg_catalog.int8, pg_catalog.int8) IS
'Conversion rate of pre-aggregated rows: sum(conversions) / sum(trials); each row needs 0 <= conversions <= trials';
COMMENT ON AGGREGATE @extschema@.mql_rate(pg_catalog.bool) IS
'Traffic-to-MQL rate: MQL rows / rows (e.g. visits of one channel), NULL rows skipped';
COMMENT ON AGGREGATE @extschema@.mql_rate(pg_catalog.int8, pg_catalog.int8) IS
'Traffic-to-MQL rate of pre-aggregated rows: sum(mqls) / sum(visits); each row needs 0 <= mqls <= visits';
COMMENT ON AGGREGATE @extschema@.mql_to_sql_rate(pg_catalog.bool, pg_catalog.bool) IS
'MQL-to-SQL rate: rows that are MQL and SQL / MQL rows; rows that are not MQL do not count';
COMMENT ON AGGREGATE @extschema@.mql_to_sql_rate(pg_catalog.int8, pg_catalog.int8) IS
'MQL-to-SQL rate of pre-aggregated rows: sum(sqls) / sum(mqls); each row needs 0 <= sqls <= mqls';
COMMENT ON AGGREGATE @extschema@.win_rate(pg_catalog.bool) IS
'Win rate: won / closed opportunities, where closed means is_won is not NULL';
COMMENT ON AGGREGATE @extschema@.nps(pg_catalog.int4) IS
'Net Promoter Score, -100..100: 100 * (promoters (9-10) - detractors (0-6)) / responses; a score outside 0..10 is an error';
