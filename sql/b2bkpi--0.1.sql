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

---------------------------------------------------------------------------------------
-- Money (kpi-spec section 2): state types. money_summary is exact (numeric);
-- float8_money_summary carries compensated double precision sums.
---------------------------------------------------------------------------------------
CREATE TYPE @extschema@.money_summary;

CREATE FUNCTION @extschema@.money_summary_in(pg_catalog.cstring)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'money_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.money_summary_out(@extschema@.money_summary)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'money_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.money_summary_recv(pg_catalog.internal)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'money_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.money_summary_send(@extschema@.money_summary)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'money_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.money_summary (
    INPUT = @extschema@.money_summary_in,
    OUTPUT = @extschema@.money_summary_out,
    RECEIVE = @extschema@.money_summary_recv,
    SEND = @extschema@.money_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE @extschema@.money_summary IS
'Exact sums behind a money KPI: rows, the numerator and denominator sums with their display scales. Text form ''v1 rows=N numerator=D numerator_scale_rows=N denominator=D denominator_scale_rows=N''; the state of the numeric forms of cpl, cac, cost_per, roas, marketing_roi and marketing_cac_share';
COMMENT ON FUNCTION @extschema@.money_summary_in(pg_catalog.cstring) IS
'Reads a money_summary from its text form';
COMMENT ON FUNCTION @extschema@.money_summary_out(@extschema@.money_summary) IS
'Writes a money_summary in its text form';
COMMENT ON FUNCTION @extschema@.money_summary_recv(pg_catalog.internal) IS
'Reads a money_summary from its binary form (version byte, three big-endian int64, then the two sums in numeric''s binary form)';
COMMENT ON FUNCTION @extschema@.money_summary_send(@extschema@.money_summary) IS
'Writes a money_summary in its binary form (version byte, three big-endian int64, then the two sums in numeric''s binary form)';
CREATE TYPE @extschema@.float8_money_summary;

CREATE FUNCTION @extschema@.float8_money_summary_in(pg_catalog.cstring)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'float8_money_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.float8_money_summary_out(@extschema@.float8_money_summary)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'float8_money_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.float8_money_summary_recv(pg_catalog.internal)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'float8_money_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.float8_money_summary_send(@extschema@.float8_money_summary)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'float8_money_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.float8_money_summary (
    INPUT = @extschema@.float8_money_summary_in,
    OUTPUT = @extschema@.float8_money_summary_out,
    RECEIVE = @extschema@.float8_money_summary_recv,
    SEND = @extschema@.float8_money_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE @extschema@.float8_money_summary IS
'Compensated double precision sums behind a money KPI: rows, and each sum as a rounded value plus its rounding error. Text form ''v1 rows=N numerator=F numerator_error=F denominator=F denominator_error=F''; the state of the double precision forms of cpl, cac, cost_per, roas, marketing_roi and marketing_cac_share';
COMMENT ON FUNCTION @extschema@.float8_money_summary_in(pg_catalog.cstring) IS
'Reads a float8_money_summary from its text form';
COMMENT ON FUNCTION @extschema@.float8_money_summary_out(@extschema@.float8_money_summary) IS
'Writes a float8_money_summary in its text form';
COMMENT ON FUNCTION @extschema@.float8_money_summary_recv(pg_catalog.internal) IS
'Reads a float8_money_summary from its binary form (version byte, a big-endian int64, then four float8)';
COMMENT ON FUNCTION @extschema@.float8_money_summary_send(@extschema@.float8_money_summary) IS
'Writes a float8_money_summary in its binary form (version byte, a big-endian int64, then four float8)';
---------------------------------------------------------------------------------------
-- Money: support functions. As for the funnel rates, each KPI has its own transition
-- functions only so that an error names the KPI and the argument.
---------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@.cpl_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cpl_add_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cpl_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cpl_remove_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cac_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cac_add_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cac_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cac_remove_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cost_per_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cost_per_add_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cost_per_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cost_per_remove_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.roas_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_roas_add_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.roas_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_roas_remove_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.marketing_roi_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_roi_add_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.marketing_roi_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_roi_remove_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.marketing_cac_share_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_cac_share_add_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.marketing_cac_share_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_cac_share_remove_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.money_combine(@extschema@.money_summary, @extschema@.money_summary)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_money_combine_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.money_ratio_final(@extschema@.money_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.marketing_roi_final(@extschema@.money_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_roi_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cpl_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cpl_add_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cpl_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cpl_remove_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cac_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cac_add_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cac_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cac_remove_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cost_per_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cost_per_add_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cost_per_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_cost_per_remove_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.roas_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_roas_add_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.roas_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_roas_remove_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.marketing_roi_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_roi_add_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.marketing_roi_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_roi_remove_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.marketing_cac_share_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_cac_share_add_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.marketing_cac_share_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_cac_share_remove_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.money_combine(@extschema@.float8_money_summary, @extschema@.float8_money_summary)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_money_combine_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.money_ratio_final(@extschema@.float8_money_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.marketing_roi_final(@extschema@.float8_money_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_roi_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cpl_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8) IS
'Transition function of cpl(spend numeric, leads bigint): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.cpl_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8) IS
'Inverse transition of cpl(spend numeric, leads bigint), for sliding window frames; NULL when the display scale of the remaining rows is unknown, so the frame is recomputed';
COMMENT ON FUNCTION @extschema@.cac_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8) IS
'Transition function of cac(spend numeric, new_customers bigint): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.cac_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8) IS
'Inverse transition of cac(spend numeric, new_customers bigint), for sliding window frames; NULL when the display scale of the remaining rows is unknown, so the frame is recomputed';
COMMENT ON FUNCTION @extschema@.cost_per_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8) IS
'Transition function of cost_per(spend numeric, units bigint): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.cost_per_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.int8) IS
'Inverse transition of cost_per(spend numeric, units bigint), for sliding window frames; NULL when the display scale of the remaining rows is unknown, so the frame is recomputed';
COMMENT ON FUNCTION @extschema@.roas_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Transition function of roas(revenue numeric, spend numeric): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.roas_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Inverse transition of roas(revenue numeric, spend numeric), for sliding window frames; NULL when the display scale of the remaining rows is unknown, so the frame is recomputed';
COMMENT ON FUNCTION @extschema@.marketing_roi_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Transition function of marketing_roi(revenue numeric, cost numeric): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.marketing_roi_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Inverse transition of marketing_roi(revenue numeric, cost numeric), for sliding window frames; NULL when the display scale of the remaining rows is unknown, so the frame is recomputed';
COMMENT ON FUNCTION @extschema@.marketing_cac_share_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Transition function of marketing_cac_share(marketing_spend numeric, acquisition_spend numeric): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.marketing_cac_share_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Inverse transition of marketing_cac_share(marketing_spend numeric, acquisition_spend numeric), for sliding window frames; NULL when the display scale of the remaining rows is unknown, so the frame is recomputed';
COMMENT ON FUNCTION @extschema@.money_combine(@extschema@.money_summary, @extschema@.money_summary) IS
'Combine function of the numeric money KPIs: adds two money_summary values (parallel plans)';
COMMENT ON FUNCTION @extschema@.money_ratio_final(@extschema@.money_summary) IS
'Final function of cpl, cac, cost_per, roas and marketing_cac_share (numeric): numerator sum / denominator sum, NULL when the denominator sum is zero or there are no rows';
COMMENT ON FUNCTION @extschema@.marketing_roi_final(@extschema@.money_summary) IS
'Final function of marketing_roi (numeric): (revenue sum - cost sum) / cost sum, NULL when the cost sum is zero or there are no rows';
COMMENT ON FUNCTION @extschema@.cpl_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8) IS
'Transition function of cpl(spend double precision, leads bigint): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.cpl_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8) IS
'Inverse transition of cpl(spend double precision, leads bigint), for sliding window frames';
COMMENT ON FUNCTION @extschema@.cac_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8) IS
'Transition function of cac(spend double precision, new_customers bigint): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.cac_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8) IS
'Inverse transition of cac(spend double precision, new_customers bigint), for sliding window frames';
COMMENT ON FUNCTION @extschema@.cost_per_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8) IS
'Transition function of cost_per(spend double precision, units bigint): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.cost_per_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.int8) IS
'Inverse transition of cost_per(spend double precision, units bigint), for sliding window frames';
COMMENT ON FUNCTION @extschema@.roas_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8) IS
'Transition function of roas(revenue double precision, spend double precision): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.roas_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8) IS
'Inverse transition of roas(revenue double precision, spend double precision), for sliding window frames';
COMMENT ON FUNCTION @extschema@.marketing_roi_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8) IS
'Transition function of marketing_roi(revenue double precision, cost double precision): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.marketing_roi_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8) IS
'Inverse transition of marketing_roi(revenue double precision, cost double precision), for sliding window frames';
COMMENT ON FUNCTION @extschema@.marketing_cac_share_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8) IS
'Transition function of marketing_cac_share(marketing_spend double precision, acquisition_spend double precision): adds one row to the sums';
COMMENT ON FUNCTION @extschema@.marketing_cac_share_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8) IS
'Inverse transition of marketing_cac_share(marketing_spend double precision, acquisition_spend double precision), for sliding window frames';
COMMENT ON FUNCTION @extschema@.money_combine(@extschema@.float8_money_summary, @extschema@.float8_money_summary) IS
'Combine function of the double precision money KPIs: adds two float8_money_summary values (parallel plans)';
COMMENT ON FUNCTION @extschema@.money_ratio_final(@extschema@.float8_money_summary) IS
'Final function of cpl, cac, cost_per, roas and marketing_cac_share (double precision): numerator sum / denominator sum, NULL when the denominator sum is zero or there are no rows';
COMMENT ON FUNCTION @extschema@.marketing_roi_final(@extschema@.float8_money_summary) IS
'Final function of marketing_roi (double precision): (revenue sum - cost sum) / cost sum, NULL when the cost sum is zero or there are no rows';

---------------------------------------------------------------------------------------
-- Money: the aggregates.
---------------------------------------------------------------------------------------
CREATE AGGREGATE @extschema@.cpl(spend pg_catalog.numeric, leads pg_catalog.int8) (
    SFUNC = @extschema@.cpl_add,
    STYPE = @extschema@.money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.money_ratio_final,
    MSFUNC = @extschema@.cpl_add,
    MINVFUNC = @extschema@.cpl_remove,
    MSTYPE = @extschema@.money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    MFINALFUNC = @extschema@.money_ratio_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.cac(spend pg_catalog.numeric, new_customers pg_catalog.int8) (
    SFUNC = @extschema@.cac_add,
    STYPE = @extschema@.money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.money_ratio_final,
    MSFUNC = @extschema@.cac_add,
    MINVFUNC = @extschema@.cac_remove,
    MSTYPE = @extschema@.money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    MFINALFUNC = @extschema@.money_ratio_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.cost_per(spend pg_catalog.numeric, units pg_catalog.int8) (
    SFUNC = @extschema@.cost_per_add,
    STYPE = @extschema@.money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.money_ratio_final,
    MSFUNC = @extschema@.cost_per_add,
    MINVFUNC = @extschema@.cost_per_remove,
    MSTYPE = @extschema@.money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    MFINALFUNC = @extschema@.money_ratio_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.roas(revenue pg_catalog.numeric, spend pg_catalog.numeric) (
    SFUNC = @extschema@.roas_add,
    STYPE = @extschema@.money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.money_ratio_final,
    MSFUNC = @extschema@.roas_add,
    MINVFUNC = @extschema@.roas_remove,
    MSTYPE = @extschema@.money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    MFINALFUNC = @extschema@.money_ratio_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.marketing_roi(revenue pg_catalog.numeric, cost pg_catalog.numeric) (
    SFUNC = @extschema@.marketing_roi_add,
    STYPE = @extschema@.money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.marketing_roi_final,
    MSFUNC = @extschema@.marketing_roi_add,
    MINVFUNC = @extschema@.marketing_roi_remove,
    MSTYPE = @extschema@.money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    MFINALFUNC = @extschema@.marketing_roi_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.marketing_cac_share(marketing_spend pg_catalog.numeric, acquisition_spend pg_catalog.numeric) (
    SFUNC = @extschema@.marketing_cac_share_add,
    STYPE = @extschema@.money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.money_ratio_final,
    MSFUNC = @extschema@.marketing_cac_share_add,
    MINVFUNC = @extschema@.marketing_cac_share_remove,
    MSTYPE = @extschema@.money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    MFINALFUNC = @extschema@.money_ratio_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.cpl(spend pg_catalog.float8, leads pg_catalog.int8) (
    SFUNC = @extschema@.cpl_add,
    STYPE = @extschema@.float8_money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.money_ratio_final,
    MSFUNC = @extschema@.cpl_add,
    MINVFUNC = @extschema@.cpl_remove,
    MSTYPE = @extschema@.float8_money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    MFINALFUNC = @extschema@.money_ratio_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.cac(spend pg_catalog.float8, new_customers pg_catalog.int8) (
    SFUNC = @extschema@.cac_add,
    STYPE = @extschema@.float8_money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.money_ratio_final,
    MSFUNC = @extschema@.cac_add,
    MINVFUNC = @extschema@.cac_remove,
    MSTYPE = @extschema@.float8_money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    MFINALFUNC = @extschema@.money_ratio_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.cost_per(spend pg_catalog.float8, units pg_catalog.int8) (
    SFUNC = @extschema@.cost_per_add,
    STYPE = @extschema@.float8_money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.money_ratio_final,
    MSFUNC = @extschema@.cost_per_add,
    MINVFUNC = @extschema@.cost_per_remove,
    MSTYPE = @extschema@.float8_money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    MFINALFUNC = @extschema@.money_ratio_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.roas(revenue pg_catalog.float8, spend pg_catalog.float8) (
    SFUNC = @extschema@.roas_add,
    STYPE = @extschema@.float8_money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.money_ratio_final,
    MSFUNC = @extschema@.roas_add,
    MINVFUNC = @extschema@.roas_remove,
    MSTYPE = @extschema@.float8_money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    MFINALFUNC = @extschema@.money_ratio_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.marketing_roi(revenue pg_catalog.float8, cost pg_catalog.float8) (
    SFUNC = @extschema@.marketing_roi_add,
    STYPE = @extschema@.float8_money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.marketing_roi_final,
    MSFUNC = @extschema@.marketing_roi_add,
    MINVFUNC = @extschema@.marketing_roi_remove,
    MSTYPE = @extschema@.float8_money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    MFINALFUNC = @extschema@.marketing_roi_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.marketing_cac_share(marketing_spend pg_catalog.float8, acquisition_spend pg_catalog.float8) (
    SFUNC = @extschema@.marketing_cac_share_add,
    STYPE = @extschema@.float8_money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    COMBINEFUNC = @extschema@.money_combine,
    FINALFUNC = @extschema@.money_ratio_final,
    MSFUNC = @extschema@.marketing_cac_share_add,
    MINVFUNC = @extschema@.marketing_cac_share_remove,
    MSTYPE = @extschema@.float8_money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    MFINALFUNC = @extschema@.money_ratio_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cpl(pg_catalog.numeric, pg_catalog.int8) IS
'Cost per lead: sum(spend) / sum(leads), exact numeric, equal in value and scale to the same expression over sum(); NULL when the denominator sum is zero; a negative count is an error';
COMMENT ON AGGREGATE @extschema@.cac(pg_catalog.numeric, pg_catalog.int8) IS
'Customer acquisition cost: sum(spend) / sum(new_customers), exact numeric, equal in value and scale to the same expression over sum(); NULL when the denominator sum is zero; a negative count is an error';
COMMENT ON AGGREGATE @extschema@.cost_per(pg_catalog.numeric, pg_catalog.int8) IS
'Cost per unit (click, MQL, meeting): sum(spend) / sum(units), exact numeric, equal in value and scale to the same expression over sum(); NULL when the denominator sum is zero; a negative count is an error';
COMMENT ON AGGREGATE @extschema@.roas(pg_catalog.numeric, pg_catalog.numeric) IS
'Return on ad spend: sum(revenue) / sum(spend), exact numeric, equal in value and scale to the same expression over sum(); NULL when the denominator sum is zero';
COMMENT ON AGGREGATE @extschema@.marketing_roi(pg_catalog.numeric, pg_catalog.numeric) IS
'Marketing ROI: (sum(revenue) - sum(cost)) / sum(cost), exact numeric, equal in value and scale to the same expression over sum(); NULL when the denominator sum is zero';
COMMENT ON AGGREGATE @extschema@.marketing_cac_share(pg_catalog.numeric, pg_catalog.numeric) IS
'Share of acquisition spend that is marketing: sum(marketing_spend) / sum(acquisition_spend), exact numeric, equal in value and scale to the same expression over sum(); NULL when the denominator sum is zero';
COMMENT ON AGGREGATE @extschema@.cpl(pg_catalog.float8, pg_catalog.int8) IS
'Cost per lead: sum(spend) / sum(leads), double precision with compensated sums; NULL when the denominator sum is zero; a negative count is an error';
COMMENT ON AGGREGATE @extschema@.cac(pg_catalog.float8, pg_catalog.int8) IS
'Customer acquisition cost: sum(spend) / sum(new_customers), double precision with compensated sums; NULL when the denominator sum is zero; a negative count is an error';
COMMENT ON AGGREGATE @extschema@.cost_per(pg_catalog.float8, pg_catalog.int8) IS
'Cost per unit (click, MQL, meeting): sum(spend) / sum(units), double precision with compensated sums; NULL when the denominator sum is zero; a negative count is an error';
COMMENT ON AGGREGATE @extschema@.roas(pg_catalog.float8, pg_catalog.float8) IS
'Return on ad spend: sum(revenue) / sum(spend), double precision with compensated sums; NULL when the denominator sum is zero';
COMMENT ON AGGREGATE @extschema@.marketing_roi(pg_catalog.float8, pg_catalog.float8) IS
'Marketing ROI: (sum(revenue) - sum(cost)) / sum(cost), double precision with compensated sums; NULL when the denominator sum is zero';
COMMENT ON AGGREGATE @extschema@.marketing_cac_share(pg_catalog.float8, pg_catalog.float8) IS
'Share of acquisition spend that is marketing: sum(marketing_spend) / sum(acquisition_spend), double precision with compensated sums; NULL when the denominator sum is zero';

---------------------------------------------------------------------------------------
-- Retention (kpi-spec section 3): state types. churn_summary counts the base and the
-- churned customers of one period, and names the period; mrr_summary holds the exact
-- MRR sums that revenue retention and the MRR movements are read off.
---------------------------------------------------------------------------------------
CREATE TYPE @extschema@.churn_summary;

CREATE FUNCTION @extschema@.churn_summary_in(pg_catalog.cstring)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'churn_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.churn_summary_out(@extschema@.churn_summary)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'churn_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.churn_summary_recv(pg_catalog.internal)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'churn_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.churn_summary_send(@extschema@.churn_summary)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'churn_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.churn_summary (
    INPUT = @extschema@.churn_summary_in,
    OUTPUT = @extschema@.churn_summary_out,
    RECEIVE = @extschema@.churn_summary_recv,
    SEND = @extschema@.churn_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE @extschema@.churn_summary IS
'Counts behind a logo churn rate over activity ranges: the customers active at the start of one period, how many of them churned within it, and the period. Text form ''v1 customers_at_start=N churned=N period=[2024-01-01,2024-02-01)'' (period=none before the first row); the state of churn_rate(daterange, daterange) and churn_rate(tstzrange, tstzrange)';
COMMENT ON FUNCTION @extschema@.churn_summary_in(pg_catalog.cstring) IS
'Reads a churn_summary from its text form ''v1 customers_at_start=N churned=N period=P''';
COMMENT ON FUNCTION @extschema@.churn_summary_out(@extschema@.churn_summary) IS
'Writes a churn_summary in its text form ''v1 customers_at_start=N churned=N period=P''';
COMMENT ON FUNCTION @extschema@.churn_summary_recv(pg_catalog.internal) IS
'Reads a churn_summary from its binary form (version byte, two big-endian int64 counts, unit and end-inclusive bytes, then the period bounds as big-endian int64)';
COMMENT ON FUNCTION @extschema@.churn_summary_send(@extschema@.churn_summary) IS
'Writes a churn_summary in its binary form (version byte, two big-endian int64 counts, unit and end-inclusive bytes, then the period bounds as big-endian int64)';

CREATE TYPE @extschema@.mrr_summary;

CREATE FUNCTION @extschema@.mrr_summary_in(pg_catalog.cstring)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'mrr_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.mrr_summary_out(@extschema@.mrr_summary)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'mrr_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.mrr_summary_recv(pg_catalog.internal)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'mrr_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.mrr_summary_send(@extschema@.mrr_summary)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'mrr_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.mrr_summary (
    INPUT = @extschema@.mrr_summary_in,
    OUTPUT = @extschema@.mrr_summary_out,
    RECEIVE = @extschema@.mrr_summary_recv,
    SEND = @extschema@.mrr_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE @extschema@.mrr_summary IS
'Exact MRR sums behind revenue retention and the MRR movements, each with its display scale: over customers with mrr_start > 0 the sums of mrr_start, mrr_end and least(mrr_start, mrr_end); the new, expansion, contraction and churned MRR; and the net change. Text form ''v1 rows=N start_mrr=D start_mrr_scale_rows=N end_mrr=D end_mrr_scale_rows=N retained_mrr=D retained_mrr_scale_rows=N new_mrr=D new_mrr_scale_rows=N expansion_mrr=D expansion_mrr_scale_rows=N contraction_mrr=D contraction_mrr_scale_rows=N churned_mrr=D churned_mrr_scale_rows=N net_mrr_change=D net_mrr_change_scale_rows=N''; the state of net_revenue_retention, gross_revenue_retention, revenue_churn_rate and mrr_movements';
COMMENT ON FUNCTION @extschema@.mrr_summary_in(pg_catalog.cstring) IS
'Reads a mrr_summary from its text form ''v1 rows=N start_mrr=D start_mrr_scale_rows=N ...''';
COMMENT ON FUNCTION @extschema@.mrr_summary_out(@extschema@.mrr_summary) IS
'Writes a mrr_summary in its text form ''v1 rows=N start_mrr=D start_mrr_scale_rows=N ...''';
COMMENT ON FUNCTION @extschema@.mrr_summary_recv(pg_catalog.internal) IS
'Reads a mrr_summary from its binary form (version byte, rows and the eight scale_rows as big-endian int64, then the eight sums in numeric''s binary form)';
COMMENT ON FUNCTION @extschema@.mrr_summary_send(@extschema@.mrr_summary) IS
'Writes a mrr_summary in its binary form (version byte, rows and the eight scale_rows as big-endian int64, then the eight sums in numeric''s binary form)';

CREATE TYPE @extschema@.mrr_movement_totals AS (
    new_mrr pg_catalog.numeric,
    expansion_mrr pg_catalog.numeric,
    contraction_mrr pg_catalog.numeric,
    churned_mrr pg_catalog.numeric,
    net_mrr_change pg_catalog.numeric
);
COMMENT ON TYPE @extschema@.mrr_movement_totals IS
'Result of mrr_movements: MRR won from new (and reactivated) customers, expansion, contraction and churned MRR (each a positive amount), and the net change new + expansion - contraction - churned';

---------------------------------------------------------------------------------------
-- Retention: support functions.
---------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@.churn_rate_add(@extschema@.churn_summary, pg_catalog.daterange, pg_catalog.daterange)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'b2bkpi_churn_add_daterange'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_rate_add(@extschema@.churn_summary, pg_catalog.daterange, pg_catalog.daterange) IS
'Transition function of churn_rate(active daterange, period daterange): counts one customer into the base and churned counts';

CREATE FUNCTION @extschema@.churn_rate_remove(@extschema@.churn_summary, pg_catalog.daterange, pg_catalog.daterange)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'b2bkpi_churn_remove_daterange'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_rate_remove(@extschema@.churn_summary, pg_catalog.daterange, pg_catalog.daterange) IS
'Inverse transition function of churn_rate(active daterange, period daterange): takes one customer back out (sliding window frames)';

CREATE FUNCTION @extschema@.churn_rate_add(@extschema@.churn_summary, pg_catalog.tstzrange, pg_catalog.tstzrange)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'b2bkpi_churn_add_tstzrange'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_rate_add(@extschema@.churn_summary, pg_catalog.tstzrange, pg_catalog.tstzrange) IS
'Transition function of churn_rate(active tstzrange, period tstzrange): counts one customer into the base and churned counts';

CREATE FUNCTION @extschema@.churn_rate_remove(@extschema@.churn_summary, pg_catalog.tstzrange, pg_catalog.tstzrange)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'b2bkpi_churn_remove_tstzrange'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_rate_remove(@extschema@.churn_summary, pg_catalog.tstzrange, pg_catalog.tstzrange) IS
'Inverse transition function of churn_rate(active tstzrange, period tstzrange): takes one customer back out (sliding window frames)';

CREATE FUNCTION @extschema@.churn_combine(@extschema@.churn_summary, @extschema@.churn_summary)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'b2bkpi_churn_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_combine(@extschema@.churn_summary, @extschema@.churn_summary) IS
'Combine function of churn_rate over ranges: adds two churn summaries of the same period (parallel plans)';

CREATE FUNCTION @extschema@.churn_rate_final(@extschema@.churn_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_churn_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_rate_final(@extschema@.churn_summary) IS
'Final function of churn_rate over ranges: churned / customers_at_start, NULL when no customer was active at the start';

CREATE FUNCTION @extschema@.churn_rate_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_churn_rate_add_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_rate_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Transition function of churn_rate(customers_at_start bigint, churned bigint)';

CREATE FUNCTION @extschema@.churn_rate_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_churn_rate_remove_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_rate_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Inverse transition function of churn_rate(customers_at_start bigint, churned bigint) (sliding window frames)';

CREATE FUNCTION @extschema@.net_revenue_retention_add(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_net_revenue_retention_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.net_revenue_retention_add(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Transition function of net_revenue_retention(mrr_start numeric, mrr_end numeric): adds one customer to the MRR sums';

CREATE FUNCTION @extschema@.net_revenue_retention_remove(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_net_revenue_retention_remove'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.net_revenue_retention_remove(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Inverse transition function of net_revenue_retention(mrr_start numeric, mrr_end numeric): takes one customer back out, or returns NULL so that the frame is recomputed when the largest display scale of a sum leaves';

CREATE FUNCTION @extschema@.gross_revenue_retention_add(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_gross_revenue_retention_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.gross_revenue_retention_add(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Transition function of gross_revenue_retention(mrr_start numeric, mrr_end numeric): adds one customer to the MRR sums';

CREATE FUNCTION @extschema@.gross_revenue_retention_remove(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_gross_revenue_retention_remove'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.gross_revenue_retention_remove(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Inverse transition function of gross_revenue_retention(mrr_start numeric, mrr_end numeric): takes one customer back out, or returns NULL so that the frame is recomputed when the largest display scale of a sum leaves';

CREATE FUNCTION @extschema@.revenue_churn_rate_add(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_revenue_churn_rate_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_churn_rate_add(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Transition function of revenue_churn_rate(mrr_start numeric, mrr_end numeric): adds one customer to the MRR sums';

CREATE FUNCTION @extschema@.revenue_churn_rate_remove(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_revenue_churn_rate_remove'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_churn_rate_remove(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Inverse transition function of revenue_churn_rate(mrr_start numeric, mrr_end numeric): takes one customer back out, or returns NULL so that the frame is recomputed when the largest display scale of a sum leaves';

CREATE FUNCTION @extschema@.mrr_movements_add(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_mrr_movements_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mrr_movements_add(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Transition function of mrr_movements(mrr_start numeric, mrr_end numeric): adds one customer to the MRR sums';

CREATE FUNCTION @extschema@.mrr_movements_remove(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_mrr_movements_remove'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mrr_movements_remove(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Inverse transition function of mrr_movements(mrr_start numeric, mrr_end numeric): takes one customer back out, or returns NULL so that the frame is recomputed when the largest display scale of a sum leaves';

CREATE FUNCTION @extschema@.mrr_combine(@extschema@.mrr_summary, @extschema@.mrr_summary)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_mrr_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mrr_combine(@extschema@.mrr_summary, @extschema@.mrr_summary) IS
'Combine function of the revenue retention KPIs: adds two mrr_summary values (parallel plans)';

CREATE FUNCTION @extschema@.net_revenue_retention_final(@extschema@.mrr_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_net_revenue_retention_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.net_revenue_retention_final(@extschema@.mrr_summary) IS
'Final function of net_revenue_retention: sum(mrr_end) / sum(mrr_start) over customers with mrr_start > 0, NULL when there are none';

CREATE FUNCTION @extschema@.gross_revenue_retention_final(@extschema@.mrr_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_gross_revenue_retention_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.gross_revenue_retention_final(@extschema@.mrr_summary) IS
'Final function of gross_revenue_retention: sum(least(mrr_start, mrr_end)) / sum(mrr_start) over customers with mrr_start > 0, NULL when there are none';

CREATE FUNCTION @extschema@.revenue_churn_rate_final(@extschema@.mrr_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_revenue_churn_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_churn_rate_final(@extschema@.mrr_summary) IS
'Final function of revenue_churn_rate: 1 - gross revenue retention, NULL when no customer has mrr_start > 0';

CREATE FUNCTION @extschema@.mrr_movements_final(@extschema@.mrr_summary)
RETURNS @extschema@.mrr_movement_totals
AS 'MODULE_PATHNAME', 'b2bkpi_mrr_movements_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mrr_movements_final(@extschema@.mrr_summary) IS
'Final function of mrr_movements: the new, expansion, contraction and churned MRR and the net change, NULL for a group of no rows';

CREATE FUNCTION @extschema@.ltv(arpa pg_catalog.numeric, gross_margin pg_catalog.float8, churn_rate pg_catalog.float8)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_ltv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ltv(pg_catalog.numeric, pg_catalog.float8, pg_catalog.float8) IS
'Customer lifetime value: arpa * gross_margin / churn_rate in numeric (the fractions converted as by a cast to numeric); NULL when churn_rate is 0; arpa must not be negative and both fractions must be between 0 and 1';

---------------------------------------------------------------------------------------
-- Retention: aggregates.
---------------------------------------------------------------------------------------
CREATE AGGREGATE @extschema@.churn_rate(active pg_catalog.daterange, period pg_catalog.daterange) (
    SFUNC = @extschema@.churn_rate_add,
    STYPE = @extschema@.churn_summary,
    INITCOND = 'v1 customers_at_start=0 churned=0 period=none',
    COMBINEFUNC = @extschema@.churn_combine,
    FINALFUNC = @extschema@.churn_rate_final,
    MSFUNC = @extschema@.churn_rate_add,
    MINVFUNC = @extschema@.churn_rate_remove,
    MSTYPE = @extschema@.churn_summary,
    MINITCOND = 'v1 customers_at_start=0 churned=0 period=none',
    MFINALFUNC = @extschema@.churn_rate_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_rate(pg_catalog.daterange, pg_catalog.daterange) IS
'Logo churn rate over customer activity ranges [first day, first day no longer a customer): of the customers active at the start of period, the share whose range ends by the end of period (an end equal to the period''s upper bound counts); NULL when no customer was active at the start; period must be the same in every row of a group';

CREATE AGGREGATE @extschema@.churn_rate(active pg_catalog.tstzrange, period pg_catalog.tstzrange) (
    SFUNC = @extschema@.churn_rate_add,
    STYPE = @extschema@.churn_summary,
    INITCOND = 'v1 customers_at_start=0 churned=0 period=none',
    COMBINEFUNC = @extschema@.churn_combine,
    FINALFUNC = @extschema@.churn_rate_final,
    MSFUNC = @extschema@.churn_rate_add,
    MINVFUNC = @extschema@.churn_rate_remove,
    MSTYPE = @extschema@.churn_summary,
    MINITCOND = 'v1 customers_at_start=0 churned=0 period=none',
    MFINALFUNC = @extschema@.churn_rate_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_rate(pg_catalog.tstzrange, pg_catalog.tstzrange) IS
'Logo churn rate over customer activity ranges [first day, first day no longer a customer): of the customers active at the start of period, the share whose range ends by the end of period (an end equal to the period''s upper bound counts); NULL when no customer was active at the start; period must be the same in every row of a group';

CREATE AGGREGATE @extschema@.churn_rate(customers_at_start pg_catalog.int8, churned pg_catalog.int8) (
    SFUNC = @extschema@.churn_rate_add,
    STYPE = @extschema@.rate_summary,
    INITCOND = 'v1 hits=0 trials=0',
    COMBINEFUNC = @extschema@.rate_combine,
    FINALFUNC = @extschema@.rate_final,
    MSFUNC = @extschema@.churn_rate_add,
    MINVFUNC = @extschema@.churn_rate_remove,
    MSTYPE = @extschema@.rate_summary,
    MINITCOND = 'v1 hits=0 trials=0',
    MFINALFUNC = @extschema@.rate_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_rate(pg_catalog.int8, pg_catalog.int8) IS
'Logo churn rate of pre-aggregated rows: sum(churned) / sum(customers_at_start); each row needs 0 <= churned <= customers_at_start';

CREATE AGGREGATE @extschema@.net_revenue_retention(mrr_start pg_catalog.numeric, mrr_end pg_catalog.numeric) (
    SFUNC = @extschema@.net_revenue_retention_add,
    STYPE = @extschema@.mrr_summary,
    INITCOND = 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
    COMBINEFUNC = @extschema@.mrr_combine,
    FINALFUNC = @extschema@.net_revenue_retention_final,
    MSFUNC = @extschema@.net_revenue_retention_add,
    MINVFUNC = @extschema@.net_revenue_retention_remove,
    MSTYPE = @extschema@.mrr_summary,
    MINITCOND = 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
    MFINALFUNC = @extschema@.net_revenue_retention_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.net_revenue_retention(pg_catalog.numeric, pg_catalog.numeric) IS
'Net revenue retention: sum(mrr_end) / sum(mrr_start) over customers with mrr_start > 0, exact numeric, equal in value and scale to that expression; NULL when no customer has mrr_start > 0; negative MRR is an error';

CREATE AGGREGATE @extschema@.gross_revenue_retention(mrr_start pg_catalog.numeric, mrr_end pg_catalog.numeric) (
    SFUNC = @extschema@.gross_revenue_retention_add,
    STYPE = @extschema@.mrr_summary,
    INITCOND = 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
    COMBINEFUNC = @extschema@.mrr_combine,
    FINALFUNC = @extschema@.gross_revenue_retention_final,
    MSFUNC = @extschema@.gross_revenue_retention_add,
    MINVFUNC = @extschema@.gross_revenue_retention_remove,
    MSTYPE = @extschema@.mrr_summary,
    MINITCOND = 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
    MFINALFUNC = @extschema@.gross_revenue_retention_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.gross_revenue_retention(pg_catalog.numeric, pg_catalog.numeric) IS
'Gross revenue retention: sum(least(mrr_start, mrr_end)) / sum(mrr_start) over customers with mrr_start > 0, exact numeric; NULL when no customer has mrr_start > 0; negative MRR is an error';

CREATE AGGREGATE @extschema@.revenue_churn_rate(mrr_start pg_catalog.numeric, mrr_end pg_catalog.numeric) (
    SFUNC = @extschema@.revenue_churn_rate_add,
    STYPE = @extschema@.mrr_summary,
    INITCOND = 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
    COMBINEFUNC = @extschema@.mrr_combine,
    FINALFUNC = @extschema@.revenue_churn_rate_final,
    MSFUNC = @extschema@.revenue_churn_rate_add,
    MINVFUNC = @extschema@.revenue_churn_rate_remove,
    MSTYPE = @extschema@.mrr_summary,
    MINITCOND = 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
    MFINALFUNC = @extschema@.revenue_churn_rate_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_churn_rate(pg_catalog.numeric, pg_catalog.numeric) IS
'Revenue churn rate: 1 - gross_revenue_retention, exact numeric; NULL when no customer has mrr_start > 0; negative MRR is an error';

CREATE AGGREGATE @extschema@.mrr_movements(mrr_start pg_catalog.numeric, mrr_end pg_catalog.numeric) (
    SFUNC = @extschema@.mrr_movements_add,
    STYPE = @extschema@.mrr_summary,
    INITCOND = 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
    COMBINEFUNC = @extschema@.mrr_combine,
    FINALFUNC = @extschema@.mrr_movements_final,
    MSFUNC = @extschema@.mrr_movements_add,
    MINVFUNC = @extschema@.mrr_movements_remove,
    MSTYPE = @extschema@.mrr_summary,
    MINITCOND = 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
    MFINALFUNC = @extschema@.mrr_movements_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.mrr_movements(pg_catalog.numeric, pg_catalog.numeric) IS
'MRR movements in one pass: each customer is new (mrr_start = 0 < mrr_end, reactivation included), expansion, contraction, churned (mrr_end = 0 < mrr_start) or unchanged; returns the exact numeric sums of each and the net change; NULL for no rows';

-- ==== sales cycle (sales_velocity) ====
---------------------------------------------------------------------------------------
-- Sales cycle (kpi-spec section 4): sales_velocity. velocity_summary is exact
-- (numeric amounts); float8_velocity_summary carries a compensated double precision
-- sum. Both keep the sum of the cycles exactly, in microseconds.
---------------------------------------------------------------------------------------
CREATE TYPE @extschema@.velocity_summary;

CREATE FUNCTION @extschema@.velocity_summary_in(pg_catalog.cstring)
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'velocity_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.velocity_summary_out(@extschema@.velocity_summary)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'velocity_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.velocity_summary_recv(pg_catalog.internal)
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'velocity_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.velocity_summary_send(@extschema@.velocity_summary)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'velocity_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.velocity_summary (
    INPUT = @extschema@.velocity_summary_in,
    OUTPUT = @extschema@.velocity_summary_out,
    RECEIVE = @extschema@.velocity_summary_recv,
    SEND = @extschema@.velocity_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE @extschema@.velocity_summary IS
'Exact sums behind sales_velocity over numeric amounts: closed opportunities (rows), the sum of the won amounts and the sum of the cycles closed_at - created_at in seconds (6 decimals), each with its display scale. Text form ''v1 rows=N won_amount=D won_amount_scale_rows=N cycle_seconds=D cycle_seconds_scale_rows=N''; the state of sales_velocity(numeric, boolean, timestamptz, timestamptz) and of its timestamp form';
COMMENT ON FUNCTION @extschema@.velocity_summary_in(pg_catalog.cstring) IS
'Reads a velocity_summary from its text form ''v1 rows=N won_amount=D won_amount_scale_rows=N cycle_seconds=D cycle_seconds_scale_rows=N''';
COMMENT ON FUNCTION @extschema@.velocity_summary_out(@extschema@.velocity_summary) IS
'Writes a velocity_summary in its text form ''v1 rows=N won_amount=D won_amount_scale_rows=N cycle_seconds=D cycle_seconds_scale_rows=N''';
COMMENT ON FUNCTION @extschema@.velocity_summary_recv(pg_catalog.internal) IS
'Reads a velocity_summary from its binary form (version byte, rows and the two scale_rows as big-endian int64, then the two sums in numeric''s binary form)';
COMMENT ON FUNCTION @extschema@.velocity_summary_send(@extschema@.velocity_summary) IS
'Writes a velocity_summary in its binary form (version byte, rows and the two scale_rows as big-endian int64, then the two sums in numeric''s binary form)';

CREATE TYPE @extschema@.float8_velocity_summary;

CREATE FUNCTION @extschema@.float8_velocity_summary_in(pg_catalog.cstring)
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'float8_velocity_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.float8_velocity_summary_out(@extschema@.float8_velocity_summary)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'float8_velocity_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.float8_velocity_summary_recv(pg_catalog.internal)
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'float8_velocity_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.float8_velocity_summary_send(@extschema@.float8_velocity_summary)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'float8_velocity_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.float8_velocity_summary (
    INPUT = @extschema@.float8_velocity_summary_in,
    OUTPUT = @extschema@.float8_velocity_summary_out,
    RECEIVE = @extschema@.float8_velocity_summary_recv,
    SEND = @extschema@.float8_velocity_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE @extschema@.float8_velocity_summary IS
'Sums behind sales_velocity over double precision amounts: closed opportunities (rows), the won ones (won_rows), the compensated sum of the won amounts (a rounded value plus its rounding error) and the exact sum of the cycles in seconds (6 decimals). Text form ''v1 rows=N won_rows=N won_amount=F won_amount_error=F cycle_seconds=D''; the state of sales_velocity(double precision, boolean, timestamptz, timestamptz) and of its timestamp form';
COMMENT ON FUNCTION @extschema@.float8_velocity_summary_in(pg_catalog.cstring) IS
'Reads a float8_velocity_summary from its text form ''v1 rows=N won_rows=N won_amount=F won_amount_error=F cycle_seconds=D''';
COMMENT ON FUNCTION @extschema@.float8_velocity_summary_out(@extschema@.float8_velocity_summary) IS
'Writes a float8_velocity_summary in its text form ''v1 rows=N won_rows=N won_amount=F won_amount_error=F cycle_seconds=D''';
COMMENT ON FUNCTION @extschema@.float8_velocity_summary_recv(pg_catalog.internal) IS
'Reads a float8_velocity_summary from its binary form (version byte, two big-endian int64 counts, two float8, then the cycle microseconds as a big-endian 128-bit integer)';
COMMENT ON FUNCTION @extschema@.float8_velocity_summary_send(@extschema@.float8_velocity_summary) IS
'Writes a float8_velocity_summary in its binary form (version byte, two big-endian int64 counts, two float8, then the cycle microseconds as a big-endian 128-bit integer)';

---------------------------------------------------------------------------------------
-- Sales cycle: support functions.
---------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@.sales_velocity_add(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz)
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_add_numeric_tstz'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_add(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Transition function of sales_velocity(amount numeric, is_won boolean, created_at timestamptz, closed_at timestamptz): adds one closed opportunity to the sums';

CREATE FUNCTION @extschema@.sales_velocity_remove(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz)
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_remove_numeric_tstz'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_remove(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Inverse transition function of sales_velocity(amount numeric, is_won boolean, created_at timestamptz, closed_at timestamptz): takes one opportunity back out, or returns NULL so that the frame is recomputed when the largest display scale of a sum leaves (sliding window frames)';

CREATE FUNCTION @extschema@.sales_velocity_add(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp")
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_add_numeric_ts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_add(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Transition function of sales_velocity(amount numeric, is_won boolean, created_at timestamp, closed_at timestamp): adds one closed opportunity to the sums';

CREATE FUNCTION @extschema@.sales_velocity_remove(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp")
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_remove_numeric_ts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_remove(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Inverse transition function of sales_velocity(amount numeric, is_won boolean, created_at timestamp, closed_at timestamp): takes one opportunity back out, or returns NULL so that the frame is recomputed when the largest display scale of a sum leaves (sliding window frames)';

CREATE FUNCTION @extschema@.sales_velocity_combine(@extschema@.velocity_summary, @extschema@.velocity_summary)
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_combine_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_combine(@extschema@.velocity_summary, @extschema@.velocity_summary) IS
'Combine function of sales_velocity over numeric amounts: adds two velocity_summary values (parallel plans)';

CREATE FUNCTION @extschema@.sales_velocity_final(@extschema@.velocity_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_final_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_final(@extschema@.velocity_summary) IS
'Final function of sales_velocity over numeric amounts: won amount sum * rows * 86400 / cycle seconds sum, computed as numeric in that order; NULL when there are no rows or the cycle sum is zero';

CREATE FUNCTION @extschema@.sales_velocity_add(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz)
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_add_float8_tstz'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_add(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Transition function of sales_velocity(amount double precision, is_won boolean, created_at timestamptz, closed_at timestamptz): adds one closed opportunity to the sums';

CREATE FUNCTION @extschema@.sales_velocity_remove(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz)
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_remove_float8_tstz'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_remove(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Inverse transition function of sales_velocity(amount double precision, is_won boolean, created_at timestamptz, closed_at timestamptz): takes one opportunity back out (sliding window frames)';

CREATE FUNCTION @extschema@.sales_velocity_add(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp")
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_add_float8_ts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_add(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Transition function of sales_velocity(amount double precision, is_won boolean, created_at timestamp, closed_at timestamp): adds one closed opportunity to the sums';

CREATE FUNCTION @extschema@.sales_velocity_remove(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp")
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_remove_float8_ts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_remove(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Inverse transition function of sales_velocity(amount double precision, is_won boolean, created_at timestamp, closed_at timestamp): takes one opportunity back out (sliding window frames)';

CREATE FUNCTION @extschema@.sales_velocity_combine(@extschema@.float8_velocity_summary, @extschema@.float8_velocity_summary)
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_combine_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_combine(@extschema@.float8_velocity_summary, @extschema@.float8_velocity_summary) IS
'Combine function of sales_velocity over double precision amounts: adds two float8_velocity_summary values (parallel plans)';

CREATE FUNCTION @extschema@.sales_velocity_final(@extschema@.float8_velocity_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_final_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_final(@extschema@.float8_velocity_summary) IS
'Final function of sales_velocity over double precision amounts: won amount sum * rows * 86400 / cycle seconds sum; NULL when there are no rows or the cycle sum is zero';

---------------------------------------------------------------------------------------
-- Sales cycle: aggregates.
---------------------------------------------------------------------------------------
CREATE AGGREGATE @extschema@.sales_velocity(amount pg_catalog.numeric, is_won pg_catalog.bool, created_at pg_catalog.timestamptz, closed_at pg_catalog.timestamptz) (
    SFUNC = @extschema@.sales_velocity_add,
    STYPE = @extschema@.velocity_summary,
    INITCOND = 'v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0',
    COMBINEFUNC = @extschema@.sales_velocity_combine,
    FINALFUNC = @extschema@.sales_velocity_final,
    MSFUNC = @extschema@.sales_velocity_add,
    MINVFUNC = @extschema@.sales_velocity_remove,
    MSTYPE = @extschema@.velocity_summary,
    MINITCOND = 'v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0',
    MFINALFUNC = @extschema@.sales_velocity_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sales_velocity(pg_catalog.numeric, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Sales velocity, revenue per day over closed opportunities: opportunities * win rate * average won deal / average cycle in days = sum(won amount) * count * 86400 / sum(closed_at - created_at in seconds); exact numeric, equal in value and scale to that expression; rows with a NULL argument are skipped; NULL when there are no rows or every cycle is zero; closed_at before created_at is an error';

CREATE AGGREGATE @extschema@.sales_velocity(amount pg_catalog.numeric, is_won pg_catalog.bool, created_at pg_catalog."timestamp", closed_at pg_catalog."timestamp") (
    SFUNC = @extschema@.sales_velocity_add,
    STYPE = @extschema@.velocity_summary,
    INITCOND = 'v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0',
    COMBINEFUNC = @extschema@.sales_velocity_combine,
    FINALFUNC = @extschema@.sales_velocity_final,
    MSFUNC = @extschema@.sales_velocity_add,
    MINVFUNC = @extschema@.sales_velocity_remove,
    MSTYPE = @extschema@.velocity_summary,
    MINITCOND = 'v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0',
    MFINALFUNC = @extschema@.sales_velocity_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sales_velocity(pg_catalog.numeric, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Sales velocity over timestamp dates: sum(won amount) * count * 86400 / sum(closed_at - created_at in seconds); exact numeric, equal in value and scale to that expression; rows with a NULL argument are skipped; NULL when there are no rows or every cycle is zero; closed_at before created_at is an error';

CREATE AGGREGATE @extschema@.sales_velocity(amount pg_catalog.float8, is_won pg_catalog.bool, created_at pg_catalog.timestamptz, closed_at pg_catalog.timestamptz) (
    SFUNC = @extschema@.sales_velocity_add,
    STYPE = @extschema@.float8_velocity_summary,
    INITCOND = 'v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0',
    COMBINEFUNC = @extschema@.sales_velocity_combine,
    FINALFUNC = @extschema@.sales_velocity_final,
    MSFUNC = @extschema@.sales_velocity_add,
    MINVFUNC = @extschema@.sales_velocity_remove,
    MSTYPE = @extschema@.float8_velocity_summary,
    MINITCOND = 'v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0',
    MFINALFUNC = @extschema@.sales_velocity_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sales_velocity(pg_catalog.float8, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Sales velocity, revenue per day over closed opportunities: sum(won amount) * count * 86400 / sum(closed_at - created_at in seconds); double precision with a compensated amount sum and an exact cycle sum; rows with a NULL argument are skipped; NULL when there are no rows or every cycle is zero; closed_at before created_at is an error';

CREATE AGGREGATE @extschema@.sales_velocity(amount pg_catalog.float8, is_won pg_catalog.bool, created_at pg_catalog."timestamp", closed_at pg_catalog."timestamp") (
    SFUNC = @extschema@.sales_velocity_add,
    STYPE = @extschema@.float8_velocity_summary,
    INITCOND = 'v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0',
    COMBINEFUNC = @extschema@.sales_velocity_combine,
    FINALFUNC = @extschema@.sales_velocity_final,
    MSFUNC = @extschema@.sales_velocity_add,
    MINVFUNC = @extschema@.sales_velocity_remove,
    MSTYPE = @extschema@.float8_velocity_summary,
    MINITCOND = 'v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0',
    MFINALFUNC = @extschema@.sales_velocity_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sales_velocity(pg_catalog.float8, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Sales velocity over timestamp dates: sum(won amount) * count * 86400 / sum(closed_at - created_at in seconds); double precision with a compensated amount sum and an exact cycle sum; rows with a NULL argument are skipped; NULL when there are no rows or every cycle is zero; closed_at before created_at is an error';

-- ==== event funnels (window_funnel, retention) ====

-- Event funnels (kpi-spec section 4): state types. window_funnel_events keeps, per group, the
-- window, the steps, the modes and one 16-byte event per row that matched a step;
-- retention_conditions counts, per condition, the rows that met it.

CREATE TYPE @extschema@.window_funnel_events;

CREATE FUNCTION @extschema@.window_funnel_events_in(pg_catalog.cstring)
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_events_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.window_funnel_events_out(@extschema@.window_funnel_events)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'window_funnel_events_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.window_funnel_events_recv(pg_catalog.internal)
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_events_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.window_funnel_events_send(@extschema@.window_funnel_events)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'window_funnel_events_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.window_funnel_events (
    INPUT = @extschema@.window_funnel_events_in,
    OUTPUT = @extschema@.window_funnel_events_out,
    RECEIVE = @extschema@.window_funnel_events_recv,
    SEND = @extschema@.window_funnel_events_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE @extschema@.window_funnel_events IS
'The events behind a window_funnel level: the event time type, the window, the number of steps, the modes, and per row that matched some step (every row in strict_order) its time and steps, 16 bytes each in memory. Text form ''v1 time=timestamptz window=0,30,0 steps=4 modes=none events=2024-01-01T09:00:00.000000Z@1,...''; the state of window_funnel';

COMMENT ON FUNCTION @extschema@.window_funnel_events_in(pg_catalog.cstring) IS
'Reads a window_funnel_events from its text form ''v1 time=timestamptz window=0,30,0 steps=4 modes=none events=2024-01-01T09:00:00.000000Z@1,...''';
COMMENT ON FUNCTION @extschema@.window_funnel_events_out(@extschema@.window_funnel_events) IS
'Writes a window_funnel_events in its text form ''v1 time=timestamptz window=0,30,0 steps=4 modes=none events=2024-01-01T09:00:00.000000Z@1,...''';
COMMENT ON FUNCTION @extschema@.window_funnel_events_recv(pg_catalog.internal) IS
'Reads a window_funnel_events from its binary form (version byte, time kind, step count and mode bytes, window months and days as big-endian int32, window microseconds and the event count as big-endian int64, then per event its time as big-endian int64 and its steps as a big-endian uint32 bit set)';
COMMENT ON FUNCTION @extschema@.window_funnel_events_send(@extschema@.window_funnel_events) IS
'Writes a window_funnel_events in its binary form (version byte, time kind, step count and mode bytes, window months and days as big-endian int32, window microseconds and the event count as big-endian int64, then per event its time as big-endian int64 and its steps as a big-endian uint32 bit set)';

CREATE TYPE @extschema@.retention_conditions;

CREATE FUNCTION @extschema@.retention_conditions_in(pg_catalog.cstring)
RETURNS @extschema@.retention_conditions
AS 'MODULE_PATHNAME', 'retention_conditions_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.retention_conditions_out(@extschema@.retention_conditions)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'retention_conditions_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.retention_conditions_recv(pg_catalog.internal)
RETURNS @extschema@.retention_conditions
AS 'MODULE_PATHNAME', 'retention_conditions_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.retention_conditions_send(@extschema@.retention_conditions)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'retention_conditions_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.retention_conditions (
    INPUT = @extschema@.retention_conditions_in,
    OUTPUT = @extschema@.retention_conditions_out,
    RECEIVE = @extschema@.retention_conditions_recv,
    SEND = @extschema@.retention_conditions_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE @extschema@.retention_conditions IS
'Per condition of retention(VARIADIC boolean[]), the rows that met it, so a sliding frame can remove rows. Text form ''v1 conditions=3 met=5,0,2''; the state of retention';

COMMENT ON FUNCTION @extschema@.retention_conditions_in(pg_catalog.cstring) IS
'Reads a retention_conditions from its text form ''v1 conditions=3 met=5,0,2''';
COMMENT ON FUNCTION @extschema@.retention_conditions_out(@extschema@.retention_conditions) IS
'Writes a retention_conditions in its text form ''v1 conditions=3 met=5,0,2''';
COMMENT ON FUNCTION @extschema@.retention_conditions_recv(pg_catalog.internal) IS
'Reads a retention_conditions from its binary form (version byte, then the number of conditions and each count of rows as big-endian int64)';
COMMENT ON FUNCTION @extschema@.retention_conditions_send(@extschema@.retention_conditions) IS
'Writes a retention_conditions in its binary form (version byte, then the number of conditions and each count of rows as big-endian int64)';

-- window_funnel: one pair of transition functions per signature, shared combine and final.

CREATE FUNCTION @extschema@.window_funnel_timestamptz_add(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_timestamptz_add'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_timestamptz_add(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.bool[]) IS
'Adds one row (its time and the steps it matched; NULL steps are false) to a window_funnel state (timestamptz times); the transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_timestamptz_remove(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_timestamptz_remove'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_timestamptz_remove(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.bool[]) IS
'Removes one row added before from a window_funnel state (timestamptz times); the inverse transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_timestamptz_mode_add(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.text, pg_catalog.timestamptz, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_timestamptz_mode_add'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_timestamptz_mode_add(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.text, pg_catalog.timestamptz, pg_catalog.bool[]) IS
'Adds one row (its time and the steps it matched; NULL steps are false) to a window_funnel state (timestamptz times, with a mode); the transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_timestamptz_mode_remove(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.text, pg_catalog.timestamptz, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_timestamptz_mode_remove'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_timestamptz_mode_remove(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.text, pg_catalog.timestamptz, pg_catalog.bool[]) IS
'Removes one row added before from a window_funnel state (timestamptz times, with a mode); the inverse transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_timestamp_add(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_timestamp_add'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_timestamp_add(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.bool[]) IS
'Adds one row (its time and the steps it matched; NULL steps are false) to a window_funnel state (timestamp times); the transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_timestamp_remove(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_timestamp_remove'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_timestamp_remove(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.bool[]) IS
'Removes one row added before from a window_funnel state (timestamp times); the inverse transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_timestamp_mode_add(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.text, pg_catalog.timestamp, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_timestamp_mode_add'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_timestamp_mode_add(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.text, pg_catalog.timestamp, pg_catalog.bool[]) IS
'Adds one row (its time and the steps it matched; NULL steps are false) to a window_funnel state (timestamp times, with a mode); the transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_timestamp_mode_remove(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.text, pg_catalog.timestamp, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_timestamp_mode_remove'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_timestamp_mode_remove(@extschema@.window_funnel_events, pg_catalog.interval, pg_catalog.text, pg_catalog.timestamp, pg_catalog.bool[]) IS
'Removes one row added before from a window_funnel state (timestamp times, with a mode); the inverse transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_bigint_add(@extschema@.window_funnel_events, pg_catalog.int8, pg_catalog.int8, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_bigint_add'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_bigint_add(@extschema@.window_funnel_events, pg_catalog.int8, pg_catalog.int8, pg_catalog.bool[]) IS
'Adds one row (its time and the steps it matched; NULL steps are false) to a window_funnel state (bigint times); the transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_bigint_remove(@extschema@.window_funnel_events, pg_catalog.int8, pg_catalog.int8, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_bigint_remove'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_bigint_remove(@extschema@.window_funnel_events, pg_catalog.int8, pg_catalog.int8, pg_catalog.bool[]) IS
'Removes one row added before from a window_funnel state (bigint times); the inverse transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_bigint_mode_add(@extschema@.window_funnel_events, pg_catalog.int8, pg_catalog.text, pg_catalog.int8, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_bigint_mode_add'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_bigint_mode_add(@extschema@.window_funnel_events, pg_catalog.int8, pg_catalog.text, pg_catalog.int8, pg_catalog.bool[]) IS
'Adds one row (its time and the steps it matched; NULL steps are false) to a window_funnel state (bigint times, with a mode); the transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_bigint_mode_remove(@extschema@.window_funnel_events, pg_catalog.int8, pg_catalog.text, pg_catalog.int8, pg_catalog.bool[])
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_bigint_mode_remove'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_bigint_mode_remove(@extschema@.window_funnel_events, pg_catalog.int8, pg_catalog.text, pg_catalog.int8, pg_catalog.bool[]) IS
'Removes one row added before from a window_funnel state (bigint times, with a mode); the inverse transition function of window_funnel';

CREATE FUNCTION @extschema@.window_funnel_combine(@extschema@.window_funnel_events, @extschema@.window_funnel_events)
RETURNS @extschema@.window_funnel_events
AS 'MODULE_PATHNAME', 'window_funnel_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_combine(@extschema@.window_funnel_events, @extschema@.window_funnel_events) IS
'Merges two window_funnel states with the same window, steps and modes (parallel and partial aggregation)';

CREATE FUNCTION @extschema@.window_funnel_final(@extschema@.window_funnel_events)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'window_funnel_final'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.window_funnel_final(@extschema@.window_funnel_events) IS
'The funnel level of a window_funnel state: sorts its events once and scans them once; 0 for no events. STABLE: over timestamptz, a window of days or months follows the session TimeZone';

CREATE AGGREGATE @extschema@.window_funnel("window" pg_catalog.interval, ts pg_catalog.timestamptz, VARIADIC steps pg_catalog.bool[]) (
    SFUNC = @extschema@.window_funnel_timestamptz_add,
    STYPE = @extschema@.window_funnel_events,
    COMBINEFUNC = @extschema@.window_funnel_combine,
    FINALFUNC = @extschema@.window_funnel_final,
    MSFUNC = @extschema@.window_funnel_timestamptz_add,
    MINVFUNC = @extschema@.window_funnel_timestamptz_remove,
    MSTYPE = @extschema@.window_funnel_events,
    MFINALFUNC = @extschema@.window_funnel_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.window_funnel(pg_catalog.interval, pg_catalog.timestamptz, VARIADIC pg_catalog.bool[]) IS
'Event funnel over timestamptz times: the longest prefix of steps reached in order, each within window of the chain''s first event (inclusive), ClickHouse windowFunnel semantics; ties on ts go by step number; NULL steps are false, rows with a NULL ts are skipped; 0 for no events';

CREATE AGGREGATE @extschema@.window_funnel("window" pg_catalog.interval, mode pg_catalog.text, ts pg_catalog.timestamptz, VARIADIC steps pg_catalog.bool[]) (
    SFUNC = @extschema@.window_funnel_timestamptz_mode_add,
    STYPE = @extschema@.window_funnel_events,
    COMBINEFUNC = @extschema@.window_funnel_combine,
    FINALFUNC = @extschema@.window_funnel_final,
    MSFUNC = @extschema@.window_funnel_timestamptz_mode_add,
    MINVFUNC = @extschema@.window_funnel_timestamptz_mode_remove,
    MSTYPE = @extschema@.window_funnel_events,
    MFINALFUNC = @extschema@.window_funnel_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.window_funnel(pg_catalog.interval, pg_catalog.text, pg_catalog.timestamptz, VARIADIC pg_catalog.bool[]) IS
'Event funnel over timestamptz times: the longest prefix of steps reached in order, each within window of the chain''s first event (inclusive), ClickHouse windowFunnel semantics; mode is a comma-separated list of strict_order, strict_deduplication, strict_increase, strict_once; ties on ts go by step number; NULL steps are false, rows with a NULL ts are skipped; 0 for no events';

CREATE AGGREGATE @extschema@.window_funnel("window" pg_catalog.interval, ts pg_catalog.timestamp, VARIADIC steps pg_catalog.bool[]) (
    SFUNC = @extschema@.window_funnel_timestamp_add,
    STYPE = @extschema@.window_funnel_events,
    COMBINEFUNC = @extschema@.window_funnel_combine,
    FINALFUNC = @extschema@.window_funnel_final,
    MSFUNC = @extschema@.window_funnel_timestamp_add,
    MINVFUNC = @extschema@.window_funnel_timestamp_remove,
    MSTYPE = @extschema@.window_funnel_events,
    MFINALFUNC = @extschema@.window_funnel_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.window_funnel(pg_catalog.interval, pg_catalog.timestamp, VARIADIC pg_catalog.bool[]) IS
'Event funnel over timestamp times: the longest prefix of steps reached in order, each within window of the chain''s first event (inclusive), ClickHouse windowFunnel semantics; ties on ts go by step number; NULL steps are false, rows with a NULL ts are skipped; 0 for no events';

CREATE AGGREGATE @extschema@.window_funnel("window" pg_catalog.interval, mode pg_catalog.text, ts pg_catalog.timestamp, VARIADIC steps pg_catalog.bool[]) (
    SFUNC = @extschema@.window_funnel_timestamp_mode_add,
    STYPE = @extschema@.window_funnel_events,
    COMBINEFUNC = @extschema@.window_funnel_combine,
    FINALFUNC = @extschema@.window_funnel_final,
    MSFUNC = @extschema@.window_funnel_timestamp_mode_add,
    MINVFUNC = @extschema@.window_funnel_timestamp_mode_remove,
    MSTYPE = @extschema@.window_funnel_events,
    MFINALFUNC = @extschema@.window_funnel_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.window_funnel(pg_catalog.interval, pg_catalog.text, pg_catalog.timestamp, VARIADIC pg_catalog.bool[]) IS
'Event funnel over timestamp times: the longest prefix of steps reached in order, each within window of the chain''s first event (inclusive), ClickHouse windowFunnel semantics; mode is a comma-separated list of strict_order, strict_deduplication, strict_increase, strict_once; ties on ts go by step number; NULL steps are false, rows with a NULL ts are skipped; 0 for no events';

CREATE AGGREGATE @extschema@.window_funnel("window" pg_catalog.int8, ts pg_catalog.int8, VARIADIC steps pg_catalog.bool[]) (
    SFUNC = @extschema@.window_funnel_bigint_add,
    STYPE = @extschema@.window_funnel_events,
    COMBINEFUNC = @extschema@.window_funnel_combine,
    FINALFUNC = @extschema@.window_funnel_final,
    MSFUNC = @extschema@.window_funnel_bigint_add,
    MINVFUNC = @extschema@.window_funnel_bigint_remove,
    MSTYPE = @extschema@.window_funnel_events,
    MFINALFUNC = @extschema@.window_funnel_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.window_funnel(pg_catalog.int8, pg_catalog.int8, VARIADIC pg_catalog.bool[]) IS
'Event funnel over bigint times: the longest prefix of steps reached in order, each within window of the chain''s first event (inclusive), ClickHouse windowFunnel semantics; ties on ts go by step number; NULL steps are false, rows with a NULL ts are skipped; 0 for no events';

CREATE AGGREGATE @extschema@.window_funnel("window" pg_catalog.int8, mode pg_catalog.text, ts pg_catalog.int8, VARIADIC steps pg_catalog.bool[]) (
    SFUNC = @extschema@.window_funnel_bigint_mode_add,
    STYPE = @extschema@.window_funnel_events,
    COMBINEFUNC = @extschema@.window_funnel_combine,
    FINALFUNC = @extschema@.window_funnel_final,
    MSFUNC = @extschema@.window_funnel_bigint_mode_add,
    MINVFUNC = @extschema@.window_funnel_bigint_mode_remove,
    MSTYPE = @extschema@.window_funnel_events,
    MFINALFUNC = @extschema@.window_funnel_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.window_funnel(pg_catalog.int8, pg_catalog.text, pg_catalog.int8, VARIADIC pg_catalog.bool[]) IS
'Event funnel over bigint times: the longest prefix of steps reached in order, each within window of the chain''s first event (inclusive), ClickHouse windowFunnel semantics; mode is a comma-separated list of strict_order, strict_deduplication, strict_increase, strict_once; ties on ts go by step number; NULL steps are false, rows with a NULL ts are skipped; 0 for no events';

-- retention(VARIADIC conds): [c1, c1 and c2, ..., c1 and cN] per group.

CREATE FUNCTION @extschema@.retention_add(@extschema@.retention_conditions, pg_catalog.bool[])
RETURNS @extschema@.retention_conditions
AS 'MODULE_PATHNAME', 'retention_add'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.retention_add(@extschema@.retention_conditions, pg_catalog.bool[]) IS
'Counts one row''s conditions (NULL is false) into a retention state; the transition function of retention';

CREATE FUNCTION @extschema@.retention_remove(@extschema@.retention_conditions, pg_catalog.bool[])
RETURNS @extschema@.retention_conditions
AS 'MODULE_PATHNAME', 'retention_remove'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.retention_remove(@extschema@.retention_conditions, pg_catalog.bool[]) IS
'Uncounts one row counted before from a retention state; the inverse transition function of retention';

CREATE FUNCTION @extschema@.retention_combine(@extschema@.retention_conditions, @extschema@.retention_conditions)
RETURNS @extschema@.retention_conditions
AS 'MODULE_PATHNAME', 'retention_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.retention_combine(@extschema@.retention_conditions, @extschema@.retention_conditions) IS
'Merges two retention states with the same number of conditions (parallel and partial aggregation)';

CREATE FUNCTION @extschema@.retention_final(@extschema@.retention_conditions)
RETURNS pg_catalog.int4[]
AS 'MODULE_PATHNAME', 'retention_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.retention_final(@extschema@.retention_conditions) IS
'The retention array of a state: element 1 is 1 if some row met condition 1, element i is 1 if some row met condition 1 and some row met condition i';

CREATE AGGREGATE @extschema@.retention(VARIADIC conds pg_catalog.bool[]) (
    SFUNC = @extschema@.retention_add,
    STYPE = @extschema@.retention_conditions,
    COMBINEFUNC = @extschema@.retention_combine,
    FINALFUNC = @extschema@.retention_final,
    MSFUNC = @extschema@.retention_add,
    MINVFUNC = @extschema@.retention_remove,
    MSTYPE = @extschema@.retention_conditions,
    MFINALFUNC = @extschema@.retention_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.retention(VARIADIC pg_catalog.bool[]) IS
'Cohort retention per entity, as ClickHouse retention: integer[] [c1, c1 and c2, ..., c1 and cN], each 0 or 1, where ci means some row met condition i; NULL conditions are false; NULL for no rows. Sum the arrays element-wise over entities for a cohort table';

-- ==== account-based marketing: decayed engagement (kpi-spec section 5) ====
---------------------------------------------------------------------------------------
-- Decayed engagement (kpi-spec section 5): account_engagement. engagement_summary holds
-- the counted touches, a compensated double precision sum of their decayed minutes, and
-- the group's as_of and half-life once a row has named them.
---------------------------------------------------------------------------------------
CREATE TYPE @extschema@.engagement_summary;

CREATE FUNCTION @extschema@.engagement_summary_in(pg_catalog.cstring)
RETURNS @extschema@.engagement_summary
AS 'MODULE_PATHNAME', 'engagement_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.engagement_summary_out(@extschema@.engagement_summary)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'engagement_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.engagement_summary_recv(pg_catalog.internal)
RETURNS @extschema@.engagement_summary
AS 'MODULE_PATHNAME', 'engagement_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.engagement_summary_send(@extschema@.engagement_summary)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'engagement_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.engagement_summary (
    INPUT = @extschema@.engagement_summary_in,
    OUTPUT = @extschema@.engagement_summary_out,
    RECEIVE = @extschema@.engagement_summary_recv,
    SEND = @extschema@.engagement_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE @extschema@.engagement_summary IS
'State behind account_engagement: the counted touches (rows, those with ts <= as_of), the compensated sum of their decayed minutes (a rounded value plus its rounding error), and the group''s as_of (UTC) and half-life in seconds as extract(epoch FROM half_life) measures it, both none until a row sets them. Text form ''v1 rows=N engagement_minutes=F engagement_minutes_error=F as_of=2024-07-01T00:00:00.000000Z half_life_seconds=2592000.000000''; the state of account_engagement(timestamptz, double precision, timestamptz, interval) and of its timestamp form';
COMMENT ON FUNCTION @extschema@.engagement_summary_in(pg_catalog.cstring) IS
'Reads an engagement_summary from its text form ''v1 rows=N engagement_minutes=F engagement_minutes_error=F as_of=TIMESTAMP|none half_life_seconds=D|none'', as_of a UTC timestamp such as 2024-07-01T00:00:00.000000Z and D seconds with at most 6 decimals';
COMMENT ON FUNCTION @extschema@.engagement_summary_out(@extschema@.engagement_summary) IS
'Writes an engagement_summary in its text form ''v1 rows=N engagement_minutes=F engagement_minutes_error=F as_of=TIMESTAMP|none half_life_seconds=D|none'', as_of in UTC whatever the TimeZone setting';
COMMENT ON FUNCTION @extschema@.engagement_summary_recv(pg_catalog.internal) IS
'Reads an engagement_summary from its binary form (version byte, rows as big-endian int64, the sum and its error as float8, a byte 0 or 1 for whether the parameters are set, then as_of and the half-life as big-endian int64 microseconds)';
COMMENT ON FUNCTION @extschema@.engagement_summary_send(@extschema@.engagement_summary) IS
'Writes an engagement_summary in its binary form (version byte, rows as big-endian int64, the sum and its error as float8, a byte 0 or 1 for whether the parameters are set, then as_of and the half-life as big-endian int64 microseconds)';

---------------------------------------------------------------------------------------
-- Decayed engagement: support functions.
---------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@.account_engagement_add(@extschema@.engagement_summary, pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.timestamptz, pg_catalog."interval")
RETURNS @extschema@.engagement_summary
AS 'MODULE_PATHNAME', 'b2bkpi_account_engagement_add_tstz'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_engagement_add(@extschema@.engagement_summary, pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.timestamptz, pg_catalog."interval") IS
'Transition function of account_engagement(ts timestamptz, minutes double precision, as_of timestamptz, half_life interval): adds one touch''s decayed minutes, or only checks its as_of and half_life when ts is after as_of';

CREATE FUNCTION @extschema@.account_engagement_remove(@extschema@.engagement_summary, pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.timestamptz, pg_catalog."interval")
RETURNS @extschema@.engagement_summary
AS 'MODULE_PATHNAME', 'b2bkpi_account_engagement_remove_tstz'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_engagement_remove(@extschema@.engagement_summary, pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.timestamptz, pg_catalog."interval") IS
'Inverse transition function of account_engagement(ts timestamptz, minutes double precision, as_of timestamptz, half_life interval): takes one touch back out (sliding window frames)';

CREATE FUNCTION @extschema@.account_engagement_add(@extschema@.engagement_summary, pg_catalog."timestamp", pg_catalog.float8, pg_catalog."timestamp", pg_catalog."interval")
RETURNS @extschema@.engagement_summary
AS 'MODULE_PATHNAME', 'b2bkpi_account_engagement_add_ts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_engagement_add(@extschema@.engagement_summary, pg_catalog."timestamp", pg_catalog.float8, pg_catalog."timestamp", pg_catalog."interval") IS
'Transition function of account_engagement(ts timestamp, minutes double precision, as_of timestamp, half_life interval): adds one touch''s decayed minutes, or only checks its as_of and half_life when ts is after as_of';

CREATE FUNCTION @extschema@.account_engagement_remove(@extschema@.engagement_summary, pg_catalog."timestamp", pg_catalog.float8, pg_catalog."timestamp", pg_catalog."interval")
RETURNS @extschema@.engagement_summary
AS 'MODULE_PATHNAME', 'b2bkpi_account_engagement_remove_ts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_engagement_remove(@extschema@.engagement_summary, pg_catalog."timestamp", pg_catalog.float8, pg_catalog."timestamp", pg_catalog."interval") IS
'Inverse transition function of account_engagement(ts timestamp, minutes double precision, as_of timestamp, half_life interval): takes one touch back out (sliding window frames)';

CREATE FUNCTION @extschema@.account_engagement_combine(@extschema@.engagement_summary, @extschema@.engagement_summary)
RETURNS @extschema@.engagement_summary
AS 'MODULE_PATHNAME', 'b2bkpi_account_engagement_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_engagement_combine(@extschema@.engagement_summary, @extschema@.engagement_summary) IS
'Combine function of account_engagement: adds two engagement_summary values (parallel plans); a value without as_of and half-life takes the other''s, and two different ones are an error';

CREATE FUNCTION @extschema@.account_engagement_final(@extschema@.engagement_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_account_engagement_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_engagement_final(@extschema@.engagement_summary) IS
'Final function of account_engagement: the sum of the decayed minutes; NULL when no touch is counted';

---------------------------------------------------------------------------------------
-- Decayed engagement: aggregates.
---------------------------------------------------------------------------------------
CREATE AGGREGATE @extschema@.account_engagement(ts pg_catalog.timestamptz, minutes pg_catalog.float8, as_of pg_catalog.timestamptz, half_life pg_catalog."interval") (
    SFUNC = @extschema@.account_engagement_add,
    STYPE = @extschema@.engagement_summary,
    INITCOND = 'v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none',
    COMBINEFUNC = @extschema@.account_engagement_combine,
    FINALFUNC = @extschema@.account_engagement_final,
    MSFUNC = @extschema@.account_engagement_add,
    MINVFUNC = @extschema@.account_engagement_remove,
    MSTYPE = @extschema@.engagement_summary,
    MINITCOND = 'v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none',
    MFINALFUNC = @extschema@.account_engagement_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.account_engagement(pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.timestamptz, pg_catalog."interval") IS
'Time-decayed engagement minutes: sum of minutes * 0.5 ^ ((as_of - ts) / half_life) over touches with ts <= as_of (later touches are ignored); the half-life measured as extract(epoch FROM half_life) does, so ''1 day'' equals ''24 hours''. as_of and half_life must be the same in every row of a group; half_life must be positive; minutes must be finite and not negative; rows with a NULL argument are skipped; NULL when no touch is counted. Weight touch types by scaling minutes';

CREATE AGGREGATE @extschema@.account_engagement(ts pg_catalog."timestamp", minutes pg_catalog.float8, as_of pg_catalog."timestamp", half_life pg_catalog."interval") (
    SFUNC = @extschema@.account_engagement_add,
    STYPE = @extschema@.engagement_summary,
    INITCOND = 'v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none',
    COMBINEFUNC = @extschema@.account_engagement_combine,
    FINALFUNC = @extschema@.account_engagement_final,
    MSFUNC = @extschema@.account_engagement_add,
    MINVFUNC = @extschema@.account_engagement_remove,
    MSTYPE = @extschema@.engagement_summary,
    MINITCOND = 'v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none',
    MFINALFUNC = @extschema@.account_engagement_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.account_engagement(pg_catalog."timestamp", pg_catalog.float8, pg_catalog."timestamp", pg_catalog."interval") IS
'Time-decayed engagement minutes over timestamp touches: sum of minutes * 0.5 ^ ((as_of - ts) / half_life) over touches with ts <= as_of (later touches are ignored); the half-life measured as extract(epoch FROM half_life) does, so ''1 day'' equals ''24 hours''. as_of and half_life must be the same in every row of a group; half_life must be positive; minutes must be finite and not negative; rows with a NULL argument are skipped; NULL when no touch is counted. Weight touch types by scaling minutes';


-- ==== account-based marketing: reach and coverage over distinct accounts (kpi-spec section 5) ====

-- account_set: the distinct accounts of a group, each with its number of rows and of
-- hit rows (reached, covered), for accounts of any hashable type. While an aggregate
-- runs it is a hash table; stored, it is the flat form read back by account_set_in.
CREATE TYPE @extschema@.account_set;

CREATE FUNCTION @extschema@.account_set_in(pg_catalog.cstring)
RETURNS @extschema@.account_set
AS 'MODULE_PATHNAME', 'account_set_in'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.account_set_out(@extschema@.account_set)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'account_set_out'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.account_set_recv(pg_catalog.internal)
RETURNS @extschema@.account_set
AS 'MODULE_PATHNAME', 'account_set_recv'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.account_set_send(@extschema@.account_set)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'account_set_send'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.account_set (
    INPUT = @extschema@.account_set_in,
    OUTPUT = @extschema@.account_set_out,
    RECEIVE = @extschema@.account_set_recv,
    SEND = @extschema@.account_set_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.account_set IS
'The state of reach_rate and coverage_rate: the distinct accounts of a group, each with its number of rows and of hit rows; text form "v1 type=T accounts={...} rows={...} hits={...}"';
COMMENT ON FUNCTION @extschema@.account_set_in(pg_catalog.cstring) IS
'Reads an account_set from its text form "v1 type=T accounts={...} rows={...} hits={...}"; the account type is looked up by name';
COMMENT ON FUNCTION @extschema@.account_set_out(@extschema@.account_set) IS
'Writes an account_set as "v1 type=T accounts={...} rows={...} hits={...}", the accounts in the array form of their type';
COMMENT ON FUNCTION @extschema@.account_set_recv(pg_catalog.internal) IS
'Reads an account_set from its binary form: version, account type name, and per account its counts and its type''s binary form';
COMMENT ON FUNCTION @extschema@.account_set_send(@extschema@.account_set) IS
'Writes an account_set in its binary form: version, account type name, and per account its counts and its type''s binary form';

CREATE FUNCTION @extschema@.account_set_add(@extschema@.account_set, pg_catalog.anyelement, pg_catalog.bool)
RETURNS @extschema@.account_set
AS 'MODULE_PATHNAME', 'account_set_add'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_set_add(@extschema@.account_set, pg_catalog.anyelement, pg_catalog.bool) IS
'Transition of reach_rate and coverage_rate: adds one row (account, hit); a NULL account or hit skips the row';

CREATE FUNCTION @extschema@.account_set_remove(@extschema@.account_set, pg_catalog.anyelement, pg_catalog.bool)
RETURNS @extschema@.account_set
AS 'MODULE_PATHNAME', 'account_set_remove'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_set_remove(@extschema@.account_set, pg_catalog.anyelement, pg_catalog.bool) IS
'Inverse transition of reach_rate and coverage_rate for sliding frames: removes one row; NULL if the set holds no such row';

CREATE FUNCTION @extschema@.account_set_combine(@extschema@.account_set, @extschema@.account_set)
RETURNS @extschema@.account_set
AS 'MODULE_PATHNAME', 'account_set_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_set_combine(@extschema@.account_set, @extschema@.account_set) IS
'Combines two account_set states: the union of their accounts, adding the counts of accounts in both';

CREATE FUNCTION @extschema@.account_set_rate(@extschema@.account_set)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'account_set_rate'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.account_set_rate(@extschema@.account_set) IS
'Final function of reach_rate and coverage_rate: accounts with at least one hit row / accounts; NULL for an empty set';

CREATE AGGREGATE @extschema@.reach_rate(account pg_catalog.anyelement, reached pg_catalog.bool) (
    SFUNC = @extschema@.account_set_add,
    STYPE = @extschema@.account_set,
    COMBINEFUNC = @extschema@.account_set_combine,
    FINALFUNC = @extschema@.account_set_rate,
    MSFUNC = @extschema@.account_set_add,
    MINVFUNC = @extschema@.account_set_remove,
    MSTYPE = @extschema@.account_set,
    MFINALFUNC = @extschema@.account_set_rate,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.reach_rate(pg_catalog.anyelement, pg_catalog.bool) IS
'ABM reach: distinct accounts with at least one reached row / distinct accounts, for accounts of any hashable type (bigint, text, uuid, ...); rows with a NULL account or reached are skipped; NULL for no rows';

CREATE AGGREGATE @extschema@.coverage_rate(account pg_catalog.anyelement, covered pg_catalog.bool) (
    SFUNC = @extschema@.account_set_add,
    STYPE = @extschema@.account_set,
    COMBINEFUNC = @extschema@.account_set_combine,
    FINALFUNC = @extschema@.account_set_rate,
    MSFUNC = @extschema@.account_set_add,
    MINVFUNC = @extschema@.account_set_remove,
    MSTYPE = @extschema@.account_set,
    MFINALFUNC = @extschema@.account_set_rate,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.coverage_rate(pg_catalog.anyelement, pg_catalog.bool) IS
'ABM coverage: distinct accounts with at least one covered row (a known decision maker, say) / distinct accounts, for accounts of any hashable type; rows with a NULL account or covered are skipped; NULL for no rows';

-- ==== account-based marketing: engagement lift (kpi-spec section 5) ====

-- engagement_lift (kpi-spec section 5): the mean outcome of the top engagement quartile over
-- that of the bottom quartile, minus 1. Its state, engagement_pairs, keeps every (engagement,
-- outcome) pair of the group, 16 bytes each, in the order the rows came.

CREATE TYPE @extschema@.engagement_pairs;

CREATE FUNCTION @extschema@.engagement_pairs_in(pg_catalog.cstring)
RETURNS @extschema@.engagement_pairs
AS 'MODULE_PATHNAME', 'engagement_pairs_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.engagement_pairs_out(@extschema@.engagement_pairs)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'engagement_pairs_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.engagement_pairs_recv(pg_catalog.internal)
RETURNS @extschema@.engagement_pairs
AS 'MODULE_PATHNAME', 'engagement_pairs_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.engagement_pairs_send(@extschema@.engagement_pairs)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'engagement_pairs_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.engagement_pairs (
    INPUT = @extschema@.engagement_pairs_in,
    OUTPUT = @extschema@.engagement_pairs_out,
    RECEIVE = @extschema@.engagement_pairs_recv,
    SEND = @extschema@.engagement_pairs_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE @extschema@.engagement_pairs IS
'The (engagement, outcome) pairs behind an engagement_lift, 16 bytes each, in the order the rows came. Text form ''v1 rows=3 pairs=12.5:30,40:21,7:45'' (''v1 rows=0 pairs=none'' when empty), each number printed so that it reads back exactly; the state of engagement_lift';

COMMENT ON FUNCTION @extschema@.engagement_pairs_in(pg_catalog.cstring) IS
'Reads an engagement_pairs from its text form ''v1 rows=3 pairs=12.5:30,40:21,7:45''; rows must count the pairs, and every number must be finite';
COMMENT ON FUNCTION @extschema@.engagement_pairs_out(@extschema@.engagement_pairs) IS
'Writes an engagement_pairs in its text form ''v1 rows=3 pairs=12.5:30,40:21,7:45'', each number in the fewest digits (15 to 17) that read back as the same double';
COMMENT ON FUNCTION @extschema@.engagement_pairs_recv(pg_catalog.internal) IS
'Reads an engagement_pairs from its binary form (version byte, the pair count as a big-endian int64, then per pair the engagement and the outcome as big-endian IEEE 754 doubles)';
COMMENT ON FUNCTION @extschema@.engagement_pairs_send(@extschema@.engagement_pairs) IS
'Writes an engagement_pairs in its binary form (version byte, the pair count as a big-endian int64, then per pair the engagement and the outcome as big-endian IEEE 754 doubles)';

CREATE FUNCTION @extschema@.engagement_lift_add(@extschema@.engagement_pairs, pg_catalog.float8, pg_catalog.float8)
RETURNS @extschema@.engagement_pairs
AS 'MODULE_PATHNAME', 'engagement_lift_add'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.engagement_lift_add(@extschema@.engagement_pairs, pg_catalog.float8, pg_catalog.float8) IS
'Appends one row''s (engagement, outcome) pair to an engagement_lift state; a row with a NULL is skipped, NaN or infinity is an error; the transition function of engagement_lift';

CREATE FUNCTION @extschema@.engagement_lift_remove(@extschema@.engagement_pairs, pg_catalog.float8, pg_catalog.float8)
RETURNS @extschema@.engagement_pairs
AS 'MODULE_PATHNAME', 'engagement_lift_remove'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.engagement_lift_remove(@extschema@.engagement_pairs, pg_catalog.float8, pg_catalog.float8) IS
'Removes the oldest pair of an engagement_lift state if it is the given one, bit for bit, else returns NULL so that a window recomputes its frame; the inverse transition function of engagement_lift';

CREATE FUNCTION @extschema@.engagement_lift_combine(@extschema@.engagement_pairs, @extschema@.engagement_pairs)
RETURNS @extschema@.engagement_pairs
AS 'MODULE_PATHNAME', 'engagement_lift_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.engagement_lift_combine(@extschema@.engagement_pairs, @extschema@.engagement_pairs) IS
'Concatenates two engagement_lift states (parallel and partial aggregation)';

CREATE FUNCTION @extschema@.engagement_lift_final(@extschema@.engagement_pairs)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'engagement_lift_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.engagement_lift_final(@extschema@.engagement_pairs) IS
'The engagement lift of a state: mean outcome of ntile 4 over mean outcome of ntile 1 of the pairs ordered by engagement, then outcome, minus 1; NULL for fewer than 4 pairs or a bottom mean of 0. Inside GROUP BY it reorders the aggregate''s own state (FINALFUNC_MODIFY = SHAREABLE); called directly it works on a copy';

CREATE FUNCTION @extschema@.engagement_lift_frame_final(@extschema@.engagement_pairs)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'engagement_lift_frame_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.engagement_lift_frame_final(@extschema@.engagement_pairs) IS
'The engagement lift of a window frame''s state, computed on a copy so that the state keeps the order its rows came in (which its inverse transition needs); the moving-aggregate final function of engagement_lift';

CREATE AGGREGATE @extschema@.engagement_lift(engagement pg_catalog.float8, outcome pg_catalog.float8) (
    SFUNC = @extschema@.engagement_lift_add,
    STYPE = @extschema@.engagement_pairs,
    COMBINEFUNC = @extschema@.engagement_lift_combine,
    FINALFUNC = @extschema@.engagement_lift_final,
    FINALFUNC_MODIFY = SHAREABLE,
    MSFUNC = @extschema@.engagement_lift_add,
    MINVFUNC = @extschema@.engagement_lift_remove,
    MSTYPE = @extschema@.engagement_pairs,
    MFINALFUNC = @extschema@.engagement_lift_frame_final,
    MFINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.engagement_lift(pg_catalog.float8, pg_catalog.float8) IS
'Engagement lift: mean outcome of the top engagement quartile / mean outcome of the bottom quartile - 1 (e.g. -0.18: the most engaged quarter closes 18 % faster when outcome is days to close). Quartiles as ntile(4) OVER (ORDER BY engagement, outcome): the bottom is ntile 1 (floor(n/4) rows, one more if n mod 4 >= 1), the top ntile 4 (floor(n/4) rows). Rows with a NULL are skipped; NULL for fewer than 4 rows or a bottom mean of 0; NaN or infinity is an error';

-- ==== stored summaries: summary aggregates, rollup and KPIs read off a summary (kpi-spec section 6) ====
---------------------------------------------------------------------------------------
-- Stored summaries (kpi-spec section 6). A KPI in two steps: summarize_* returns the
-- state type of the KPI's aggregate itself, to be stored per day and channel;
-- rollup(summary) merges stored summaries; the KPI's own name applied to a summary
-- reads the KPI off it, through the aggregate's own final function, so the result
-- equals the KPI over the raw rows. The summary aggregates reuse the KPIs' transition
-- bodies, with entry points of their own only so that an error names summarize_*.
---------------------------------------------------------------------------------------

-- Transition functions of the summary aggregates.
CREATE FUNCTION @extschema@.summarize_rate_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_rate_add_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_rate_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Transition function of summarize_rate(conversions bigint, trials bigint): adds one row to the summary; an error names summarize_rate';

CREATE FUNCTION @extschema@.summarize_rate_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_rate_remove_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_rate_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Inverse transition function of summarize_rate(conversions bigint, trials bigint): takes one row back out, for sliding window frames';

CREATE FUNCTION @extschema@.summarize_nps_add(@extschema@.nps_summary, pg_catalog.int4)
RETURNS @extschema@.nps_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_nps_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_nps_add(@extschema@.nps_summary, pg_catalog.int4) IS
'Transition function of summarize_nps(score integer): adds one row to the summary; an error names summarize_nps';

CREATE FUNCTION @extschema@.summarize_nps_remove(@extschema@.nps_summary, pg_catalog.int4)
RETURNS @extschema@.nps_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_nps_remove'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_nps_remove(@extschema@.nps_summary, pg_catalog.int4) IS
'Inverse transition function of summarize_nps(score integer): takes one row back out, for sliding window frames';

CREATE FUNCTION @extschema@.summarize_money_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_money_add_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_money_add(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Transition function of summarize_money(numerator numeric, denominator numeric): adds one row to the summary; an error names summarize_money';

CREATE FUNCTION @extschema@.summarize_money_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_money_remove_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_money_remove(@extschema@.money_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Inverse transition function of summarize_money(numerator numeric, denominator numeric): takes one row back out, for sliding window frames; NULL, so that the frame is recomputed, when the last values that carry the display scale of a sum leave';

CREATE FUNCTION @extschema@.summarize_money_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_money_add_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_money_add(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8) IS
'Transition function of summarize_money(numerator double precision, denominator double precision): adds one row to the summary; an error names summarize_money';

CREATE FUNCTION @extschema@.summarize_money_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_money_remove_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_money_remove(@extschema@.float8_money_summary, pg_catalog.float8, pg_catalog.float8) IS
'Inverse transition function of summarize_money(numerator double precision, denominator double precision): takes one row back out, for sliding window frames';

CREATE FUNCTION @extschema@.summarize_churn_add(@extschema@.churn_summary, pg_catalog.daterange, pg_catalog.daterange)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_churn_add_daterange'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_churn_add(@extschema@.churn_summary, pg_catalog.daterange, pg_catalog.daterange) IS
'Transition function of summarize_churn(active daterange, period daterange): adds one row to the summary; an error names summarize_churn';

CREATE FUNCTION @extschema@.summarize_churn_remove(@extschema@.churn_summary, pg_catalog.daterange, pg_catalog.daterange)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_churn_remove_daterange'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_churn_remove(@extschema@.churn_summary, pg_catalog.daterange, pg_catalog.daterange) IS
'Inverse transition function of summarize_churn(active daterange, period daterange): takes one row back out, for sliding window frames';

CREATE FUNCTION @extschema@.summarize_churn_add(@extschema@.churn_summary, pg_catalog.tstzrange, pg_catalog.tstzrange)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_churn_add_tstzrange'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_churn_add(@extschema@.churn_summary, pg_catalog.tstzrange, pg_catalog.tstzrange) IS
'Transition function of summarize_churn(active tstzrange, period tstzrange): adds one row to the summary; an error names summarize_churn';

CREATE FUNCTION @extschema@.summarize_churn_remove(@extschema@.churn_summary, pg_catalog.tstzrange, pg_catalog.tstzrange)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_churn_remove_tstzrange'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_churn_remove(@extschema@.churn_summary, pg_catalog.tstzrange, pg_catalog.tstzrange) IS
'Inverse transition function of summarize_churn(active tstzrange, period tstzrange): takes one row back out, for sliding window frames';

CREATE FUNCTION @extschema@.summarize_churn_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_churn_add_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_churn_add(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Transition function of summarize_churn(customers_at_start bigint, churned bigint): adds one row to the summary; an error names summarize_churn';

CREATE FUNCTION @extschema@.summarize_churn_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_churn_remove_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_churn_remove(@extschema@.rate_summary, pg_catalog.int8, pg_catalog.int8) IS
'Inverse transition function of summarize_churn(customers_at_start bigint, churned bigint): takes one row back out, for sliding window frames';

CREATE FUNCTION @extschema@.summarize_mrr_add(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_mrr_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_mrr_add(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Transition function of summarize_mrr(mrr_start numeric, mrr_end numeric): adds one row to the summary; an error names summarize_mrr';

CREATE FUNCTION @extschema@.summarize_mrr_remove(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_mrr_remove'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_mrr_remove(@extschema@.mrr_summary, pg_catalog.numeric, pg_catalog.numeric) IS
'Inverse transition function of summarize_mrr(mrr_start numeric, mrr_end numeric): takes one row back out, for sliding window frames; NULL, so that the frame is recomputed, when the last values that carry the display scale of a sum leave';

CREATE FUNCTION @extschema@.summarize_velocity_add(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz)
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_velocity_add_numeric_tstz'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_velocity_add(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Transition function of summarize_velocity(amount numeric, is_won boolean, created_at timestamptz, closed_at timestamptz): adds one row to the summary; an error names summarize_velocity';

CREATE FUNCTION @extschema@.summarize_velocity_remove(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz)
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_velocity_remove_numeric_tstz'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_velocity_remove(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Inverse transition function of summarize_velocity(amount numeric, is_won boolean, created_at timestamptz, closed_at timestamptz): takes one row back out, for sliding window frames; NULL, so that the frame is recomputed, when the last values that carry the display scale of a sum leave';

CREATE FUNCTION @extschema@.summarize_velocity_add(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp")
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_velocity_add_numeric_ts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_velocity_add(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Transition function of summarize_velocity(amount numeric, is_won boolean, created_at timestamp, closed_at timestamp): adds one row to the summary; an error names summarize_velocity';

CREATE FUNCTION @extschema@.summarize_velocity_remove(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp")
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_velocity_remove_numeric_ts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_velocity_remove(@extschema@.velocity_summary, pg_catalog.numeric, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Inverse transition function of summarize_velocity(amount numeric, is_won boolean, created_at timestamp, closed_at timestamp): takes one row back out, for sliding window frames; NULL, so that the frame is recomputed, when the last values that carry the display scale of a sum leave';

CREATE FUNCTION @extschema@.summarize_velocity_add(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz)
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_velocity_add_float8_tstz'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_velocity_add(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Transition function of summarize_velocity(amount double precision, is_won boolean, created_at timestamptz, closed_at timestamptz): adds one row to the summary; an error names summarize_velocity';

CREATE FUNCTION @extschema@.summarize_velocity_remove(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz)
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_velocity_remove_float8_tstz'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_velocity_remove(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Inverse transition function of summarize_velocity(amount double precision, is_won boolean, created_at timestamptz, closed_at timestamptz): takes one row back out, for sliding window frames';

CREATE FUNCTION @extschema@.summarize_velocity_add(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp")
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_velocity_add_float8_ts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_velocity_add(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Transition function of summarize_velocity(amount double precision, is_won boolean, created_at timestamp, closed_at timestamp): adds one row to the summary; an error names summarize_velocity';

CREATE FUNCTION @extschema@.summarize_velocity_remove(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp")
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_summarize_velocity_remove_float8_ts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summarize_velocity_remove(@extschema@.float8_velocity_summary, pg_catalog.float8, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Inverse transition function of summarize_velocity(amount double precision, is_won boolean, created_at timestamp, closed_at timestamp): takes one row back out, for sliding window frames';

-- The summary aggregates: each returns its state, the summary, with no final function.
CREATE AGGREGATE @extschema@.summarize_rate(converted pg_catalog.bool) (
    SFUNC = @extschema@.rate_add,
    STYPE = @extschema@.rate_summary,
    INITCOND = 'v1 hits=0 trials=0',
    COMBINEFUNC = @extschema@.rate_combine,
    MSFUNC = @extschema@.rate_add,
    MINVFUNC = @extschema@.rate_remove,
    MSTYPE = @extschema@.rate_summary,
    MINITCOND = 'v1 hits=0 trials=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_rate(pg_catalog.bool) IS
'Summary of a boolean funnel rate, for storing and rolling up: trials = rows where converted is not NULL, hits = rows where it is true. Read conversion_rate, mql_rate, win_rate (or, over MQL rows, mql_to_sql_rate) off it; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_rate(conversions pg_catalog.int8, trials pg_catalog.int8) (
    SFUNC = @extschema@.summarize_rate_add,
    STYPE = @extschema@.rate_summary,
    INITCOND = 'v1 hits=0 trials=0',
    COMBINEFUNC = @extschema@.rate_combine,
    MSFUNC = @extschema@.summarize_rate_add,
    MINVFUNC = @extschema@.summarize_rate_remove,
    MSTYPE = @extschema@.rate_summary,
    MINITCOND = 'v1 hits=0 trials=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_rate(pg_catalog.int8, pg_catalog.int8) IS
'Summary of pre-aggregated funnel counts, for storing and rolling up: sum(conversions) hits over sum(trials) trials; each row needs 0 <= conversions <= trials. Read conversion_rate, mql_rate, mql_to_sql_rate or win_rate off it; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_nps(score pg_catalog.int4) (
    SFUNC = @extschema@.summarize_nps_add,
    STYPE = @extschema@.nps_summary,
    INITCOND = 'v1 promoters=0 passives=0 detractors=0',
    COMBINEFUNC = @extschema@.nps_combine,
    MSFUNC = @extschema@.summarize_nps_add,
    MINVFUNC = @extschema@.summarize_nps_remove,
    MSTYPE = @extschema@.nps_summary,
    MINITCOND = 'v1 promoters=0 passives=0 detractors=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_nps(pg_catalog.int4) IS
'Summary of NPS answers (0..10), for storing and rolling up: promoters, passives and detractors. Read nps off it; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_money(numerator pg_catalog.numeric, denominator pg_catalog.numeric) (
    SFUNC = @extschema@.summarize_money_add,
    STYPE = @extschema@.money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    COMBINEFUNC = @extschema@.money_combine,
    MSFUNC = @extschema@.summarize_money_add,
    MINVFUNC = @extschema@.summarize_money_remove,
    MSTYPE = @extschema@.money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_money(pg_catalog.numeric, pg_catalog.numeric) IS
'Summary of a money ratio, for storing and rolling up: exact sums of numerator (spend, revenue, marketing spend) and denominator (leads, new customers, units, spend, cost, acquisition spend) with their display scales. A bigint count converts to the same sum its KPI keeps. Read cpl, cac, cost_per, roas, marketing_roi or marketing_cac_share off it, equal in value and scale to the KPI over the raw rows; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_money(numerator pg_catalog.float8, denominator pg_catalog.float8) (
    SFUNC = @extschema@.summarize_money_add,
    STYPE = @extschema@.float8_money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    COMBINEFUNC = @extschema@.money_combine,
    MSFUNC = @extschema@.summarize_money_add,
    MINVFUNC = @extschema@.summarize_money_remove,
    MSTYPE = @extschema@.float8_money_summary,
    MINITCOND = 'v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_money(pg_catalog.float8, pg_catalog.float8) IS
'Summary of a double precision money ratio, for storing and rolling up: compensated sums of numerator and denominator. Read cpl, cac, cost_per, roas, marketing_roi or marketing_cac_share off it; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_churn(active pg_catalog.daterange, period pg_catalog.daterange) (
    SFUNC = @extschema@.summarize_churn_add,
    STYPE = @extschema@.churn_summary,
    INITCOND = 'v1 customers_at_start=0 churned=0 period=none',
    COMBINEFUNC = @extschema@.churn_combine,
    MSFUNC = @extschema@.summarize_churn_add,
    MINVFUNC = @extschema@.summarize_churn_remove,
    MSTYPE = @extschema@.churn_summary,
    MINITCOND = 'v1 customers_at_start=0 churned=0 period=none',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_churn(pg_catalog.daterange, pg_catalog.daterange) IS
'Summary of logo churn over activity ranges, for storing and rolling up across segments of the same period: customers active at the start of period, how many of them churned within it, and the period. Read churn_rate off it; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_churn(active pg_catalog.tstzrange, period pg_catalog.tstzrange) (
    SFUNC = @extschema@.summarize_churn_add,
    STYPE = @extschema@.churn_summary,
    INITCOND = 'v1 customers_at_start=0 churned=0 period=none',
    COMBINEFUNC = @extschema@.churn_combine,
    MSFUNC = @extschema@.summarize_churn_add,
    MINVFUNC = @extschema@.summarize_churn_remove,
    MSTYPE = @extschema@.churn_summary,
    MINITCOND = 'v1 customers_at_start=0 churned=0 period=none',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_churn(pg_catalog.tstzrange, pg_catalog.tstzrange) IS
'Summary of logo churn over timestamptz activity ranges, for storing and rolling up across segments of the same period. Read churn_rate off it; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_churn(customers_at_start pg_catalog.int8, churned pg_catalog.int8) (
    SFUNC = @extschema@.summarize_churn_add,
    STYPE = @extschema@.rate_summary,
    INITCOND = 'v1 hits=0 trials=0',
    COMBINEFUNC = @extschema@.rate_combine,
    MSFUNC = @extschema@.summarize_churn_add,
    MINVFUNC = @extschema@.summarize_churn_remove,
    MSTYPE = @extschema@.rate_summary,
    MINITCOND = 'v1 hits=0 trials=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_churn(pg_catalog.int8, pg_catalog.int8) IS
'Summary of pre-aggregated churn counts, for storing and rolling up: sum(churned) hits over sum(customers_at_start) trials; each row needs 0 <= churned <= customers_at_start. Read churn_rate off it; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_mrr(mrr_start pg_catalog.numeric, mrr_end pg_catalog.numeric) (
    SFUNC = @extschema@.summarize_mrr_add,
    STYPE = @extschema@.mrr_summary,
    INITCOND = 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
    COMBINEFUNC = @extschema@.mrr_combine,
    MSFUNC = @extschema@.summarize_mrr_add,
    MINVFUNC = @extschema@.summarize_mrr_remove,
    MSTYPE = @extschema@.mrr_summary,
    MINITCOND = 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_mrr(pg_catalog.numeric, pg_catalog.numeric) IS
'Summary of MRR changes per customer, for storing and rolling up: the exact sums behind revenue retention and the MRR movements. Read net_revenue_retention, gross_revenue_retention, revenue_churn_rate or mrr_movements off it; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_velocity(amount pg_catalog.numeric, is_won pg_catalog.bool, created_at pg_catalog.timestamptz, closed_at pg_catalog.timestamptz) (
    SFUNC = @extschema@.summarize_velocity_add,
    STYPE = @extschema@.velocity_summary,
    INITCOND = 'v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0',
    COMBINEFUNC = @extschema@.sales_velocity_combine,
    MSFUNC = @extschema@.summarize_velocity_add,
    MINVFUNC = @extschema@.summarize_velocity_remove,
    MSTYPE = @extschema@.velocity_summary,
    MINITCOND = 'v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_velocity(pg_catalog.numeric, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Summary of closed opportunities (numeric amounts, timestamptz dates), for storing and rolling up: rows, the won amount sum and the cycle sum; rows with a NULL argument are skipped. Read sales_velocity off it; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_velocity(amount pg_catalog.numeric, is_won pg_catalog.bool, created_at pg_catalog."timestamp", closed_at pg_catalog."timestamp") (
    SFUNC = @extschema@.summarize_velocity_add,
    STYPE = @extschema@.velocity_summary,
    INITCOND = 'v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0',
    COMBINEFUNC = @extschema@.sales_velocity_combine,
    MSFUNC = @extschema@.summarize_velocity_add,
    MINVFUNC = @extschema@.summarize_velocity_remove,
    MSTYPE = @extschema@.velocity_summary,
    MINITCOND = 'v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_velocity(pg_catalog.numeric, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Summary of closed opportunities (numeric amounts, timestamp dates), for storing and rolling up: rows, the won amount sum and the cycle sum; rows with a NULL argument are skipped. Read sales_velocity off it; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_velocity(amount pg_catalog.float8, is_won pg_catalog.bool, created_at pg_catalog.timestamptz, closed_at pg_catalog.timestamptz) (
    SFUNC = @extschema@.summarize_velocity_add,
    STYPE = @extschema@.float8_velocity_summary,
    INITCOND = 'v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0',
    COMBINEFUNC = @extschema@.sales_velocity_combine,
    MSFUNC = @extschema@.summarize_velocity_add,
    MINVFUNC = @extschema@.summarize_velocity_remove,
    MSTYPE = @extschema@.float8_velocity_summary,
    MINITCOND = 'v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_velocity(pg_catalog.float8, pg_catalog.bool, pg_catalog.timestamptz, pg_catalog.timestamptz) IS
'Summary of closed opportunities (double precision amounts, timestamptz dates), for storing and rolling up: rows, the won amount sum and the cycle sum; rows with a NULL argument are skipped. Read sales_velocity off it; an empty summary for no rows';

CREATE AGGREGATE @extschema@.summarize_velocity(amount pg_catalog.float8, is_won pg_catalog.bool, created_at pg_catalog."timestamp", closed_at pg_catalog."timestamp") (
    SFUNC = @extschema@.summarize_velocity_add,
    STYPE = @extschema@.float8_velocity_summary,
    INITCOND = 'v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0',
    COMBINEFUNC = @extschema@.sales_velocity_combine,
    MSFUNC = @extschema@.summarize_velocity_add,
    MINVFUNC = @extschema@.summarize_velocity_remove,
    MSTYPE = @extschema@.float8_velocity_summary,
    MINITCOND = 'v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summarize_velocity(pg_catalog.float8, pg_catalog.bool, pg_catalog."timestamp", pg_catalog."timestamp") IS
'Summary of closed opportunities (double precision amounts, timestamp dates), for storing and rolling up: rows, the won amount sum and the cycle sum; rows with a NULL argument are skipped. Read sales_velocity off it; an empty summary for no rows';

-- rollup(summary): merges stored summaries; its inverse takes one back out (sliding frames).
CREATE FUNCTION @extschema@.churn_rollup(@extschema@.churn_summary, @extschema@.churn_summary)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'b2bkpi_churn_rollup'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_rollup(@extschema@.churn_summary, @extschema@.churn_summary) IS
'Transition and combine function of rollup(churn_summary): adds two churn summaries of the same period, as churn_combine does, with errors that name rollup';

CREATE FUNCTION @extschema@.rate_subtract(@extschema@.rate_summary, @extschema@.rate_summary)
RETURNS @extschema@.rate_summary
AS 'MODULE_PATHNAME', 'b2bkpi_rate_subtract'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_subtract(@extschema@.rate_summary, @extschema@.rate_summary) IS
'Inverse transition function of rollup(rate_summary): takes the second summary, merged into the first before, back out (exact); an error (22023) when the first does not hold the second';

CREATE FUNCTION @extschema@.nps_subtract(@extschema@.nps_summary, @extschema@.nps_summary)
RETURNS @extschema@.nps_summary
AS 'MODULE_PATHNAME', 'b2bkpi_nps_subtract'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_subtract(@extschema@.nps_summary, @extschema@.nps_summary) IS
'Inverse transition function of rollup(nps_summary): takes the second summary, merged into the first before, back out (exact); an error (22023) when the first does not hold the second';

CREATE FUNCTION @extschema@.money_subtract(@extschema@.money_summary, @extschema@.money_summary)
RETURNS @extschema@.money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_money_subtract_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.money_subtract(@extschema@.money_summary, @extschema@.money_summary) IS
'Inverse transition function of rollup(money_summary): takes the second summary, merged into the first before, back out (exact; NULL, so that the frame is recomputed, when the last values that carry the display scale of a sum leave); an error (22023) when the first does not hold the second';

CREATE FUNCTION @extschema@.money_subtract(@extschema@.float8_money_summary, @extschema@.float8_money_summary)
RETURNS @extschema@.float8_money_summary
AS 'MODULE_PATHNAME', 'b2bkpi_money_subtract_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.money_subtract(@extschema@.float8_money_summary, @extschema@.float8_money_summary) IS
'Inverse transition function of rollup(float8_money_summary): takes the second summary, merged into the first before, back out (compensated sums as in the inverse transition of the double precision money KPIs, exactly zero once no row remains; NULL, so that the frame is recomputed, if a sum would leave double precision); an error (22023) when the first does not hold the second';

CREATE FUNCTION @extschema@.churn_subtract(@extschema@.churn_summary, @extschema@.churn_summary)
RETURNS @extschema@.churn_summary
AS 'MODULE_PATHNAME', 'b2bkpi_churn_subtract'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_subtract(@extschema@.churn_summary, @extschema@.churn_summary) IS
'Inverse transition function of rollup(churn_summary): takes the second summary, merged into the first before, back out (exact; NULL, so that the frame is recomputed, when no customer would remain); an error (22023) when the first does not hold the second';

CREATE FUNCTION @extschema@.mrr_subtract(@extschema@.mrr_summary, @extschema@.mrr_summary)
RETURNS @extschema@.mrr_summary
AS 'MODULE_PATHNAME', 'b2bkpi_mrr_subtract'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mrr_subtract(@extschema@.mrr_summary, @extschema@.mrr_summary) IS
'Inverse transition function of rollup(mrr_summary): takes the second summary, merged into the first before, back out (exact; NULL, so that the frame is recomputed, when the last values that carry the display scale of a sum leave); an error (22023) when the first does not hold the second';

CREATE FUNCTION @extschema@.sales_velocity_subtract(@extschema@.velocity_summary, @extschema@.velocity_summary)
RETURNS @extschema@.velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_subtract_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_subtract(@extschema@.velocity_summary, @extschema@.velocity_summary) IS
'Inverse transition function of rollup(velocity_summary): takes the second summary, merged into the first before, back out (exact; NULL, so that the frame is recomputed, when the last values that carry the display scale of a sum leave); an error (22023) when the first does not hold the second';

CREATE FUNCTION @extschema@.sales_velocity_subtract(@extschema@.float8_velocity_summary, @extschema@.float8_velocity_summary)
RETURNS @extschema@.float8_velocity_summary
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_subtract_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity_subtract(@extschema@.float8_velocity_summary, @extschema@.float8_velocity_summary) IS
'Inverse transition function of rollup(float8_velocity_summary): takes the second summary, merged into the first before, back out (an exact cycle sum and a compensated won sum as in the inverse transition of sales_velocity(double precision, ...), exactly zero once no (won) row remains; NULL, so that the frame is recomputed, if the won sum would leave double precision); an error (22023) when the first does not hold the second';

CREATE AGGREGATE @extschema@.rollup(summary @extschema@.rate_summary) (
    SFUNC = @extschema@.rate_combine,
    STYPE = @extschema@.rate_summary,
    COMBINEFUNC = @extschema@.rate_combine,
    MSFUNC = @extschema@.rate_combine,
    MINVFUNC = @extschema@.rate_subtract,
    MSTYPE = @extschema@.rate_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.rate_summary) IS
'Merges stored rate_summary values into one, as if their rows had been summarized together; NULL inputs are skipped, NULL for no rows. In a sliding window frame it takes leaving summaries back out. Inside GROUP BY, ROLLUP (...) means grouping sets: call this aggregate in the select list';

CREATE AGGREGATE @extschema@.rollup(summary @extschema@.nps_summary) (
    SFUNC = @extschema@.nps_combine,
    STYPE = @extschema@.nps_summary,
    COMBINEFUNC = @extschema@.nps_combine,
    MSFUNC = @extschema@.nps_combine,
    MINVFUNC = @extschema@.nps_subtract,
    MSTYPE = @extschema@.nps_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.nps_summary) IS
'Merges stored nps_summary values into one, as if their rows had been summarized together; NULL inputs are skipped, NULL for no rows. In a sliding window frame it takes leaving summaries back out. Inside GROUP BY, ROLLUP (...) means grouping sets: call this aggregate in the select list';

CREATE AGGREGATE @extschema@.rollup(summary @extschema@.money_summary) (
    SFUNC = @extschema@.money_combine,
    STYPE = @extschema@.money_summary,
    COMBINEFUNC = @extschema@.money_combine,
    MSFUNC = @extschema@.money_combine,
    MINVFUNC = @extschema@.money_subtract,
    MSTYPE = @extschema@.money_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.money_summary) IS
'Merges stored money_summary values into one, as if their rows had been summarized together; NULL inputs are skipped, NULL for no rows. In a sliding window frame it takes leaving summaries back out. Inside GROUP BY, ROLLUP (...) means grouping sets: call this aggregate in the select list';

CREATE AGGREGATE @extschema@.rollup(summary @extschema@.float8_money_summary) (
    SFUNC = @extschema@.money_combine,
    STYPE = @extschema@.float8_money_summary,
    COMBINEFUNC = @extschema@.money_combine,
    MSFUNC = @extschema@.money_combine,
    MINVFUNC = @extschema@.money_subtract,
    MSTYPE = @extschema@.float8_money_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.float8_money_summary) IS
'Merges stored float8_money_summary values into one, as if their rows had been summarized together; NULL inputs are skipped, NULL for no rows. In a sliding window frame it takes leaving summaries back out. Inside GROUP BY, ROLLUP (...) means grouping sets: call this aggregate in the select list';

CREATE AGGREGATE @extschema@.rollup(summary @extschema@.churn_summary) (
    SFUNC = @extschema@.churn_rollup,
    STYPE = @extschema@.churn_summary,
    COMBINEFUNC = @extschema@.churn_rollup,
    MSFUNC = @extschema@.churn_rollup,
    MINVFUNC = @extschema@.churn_subtract,
    MSTYPE = @extschema@.churn_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.churn_summary) IS
'Merges stored churn_summary values into one, as if their rows had been summarized together; NULL inputs are skipped, NULL for no rows. In a sliding window frame it takes leaving summaries back out. Inside GROUP BY, ROLLUP (...) means grouping sets: call this aggregate in the select list';

CREATE AGGREGATE @extschema@.rollup(summary @extschema@.mrr_summary) (
    SFUNC = @extschema@.mrr_combine,
    STYPE = @extschema@.mrr_summary,
    COMBINEFUNC = @extschema@.mrr_combine,
    MSFUNC = @extschema@.mrr_combine,
    MINVFUNC = @extschema@.mrr_subtract,
    MSTYPE = @extschema@.mrr_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.mrr_summary) IS
'Merges stored mrr_summary values into one, as if their rows had been summarized together; NULL inputs are skipped, NULL for no rows. In a sliding window frame it takes leaving summaries back out. Inside GROUP BY, ROLLUP (...) means grouping sets: call this aggregate in the select list';

CREATE AGGREGATE @extschema@.rollup(summary @extschema@.velocity_summary) (
    SFUNC = @extschema@.sales_velocity_combine,
    STYPE = @extschema@.velocity_summary,
    COMBINEFUNC = @extschema@.sales_velocity_combine,
    MSFUNC = @extschema@.sales_velocity_combine,
    MINVFUNC = @extschema@.sales_velocity_subtract,
    MSTYPE = @extschema@.velocity_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.velocity_summary) IS
'Merges stored velocity_summary values into one, as if their rows had been summarized together; NULL inputs are skipped, NULL for no rows. In a sliding window frame it takes leaving summaries back out. Inside GROUP BY, ROLLUP (...) means grouping sets: call this aggregate in the select list';

CREATE AGGREGATE @extschema@.rollup(summary @extschema@.float8_velocity_summary) (
    SFUNC = @extschema@.sales_velocity_combine,
    STYPE = @extschema@.float8_velocity_summary,
    COMBINEFUNC = @extschema@.sales_velocity_combine,
    MSFUNC = @extschema@.sales_velocity_combine,
    MINVFUNC = @extschema@.sales_velocity_subtract,
    MSTYPE = @extschema@.float8_velocity_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.float8_velocity_summary) IS
'Merges stored float8_velocity_summary values into one, as if their rows had been summarized together; NULL inputs are skipped, NULL for no rows. In a sliding window frame it takes leaving summaries back out. Inside GROUP BY, ROLLUP (...) means grouping sets: call this aggregate in the select list';

-- The KPIs read off a summary: each aggregate's own final function, as a plain function.
CREATE FUNCTION @extschema@.conversion_rate(summary @extschema@.rate_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.conversion_rate(@extschema@.rate_summary) IS
'Conversion rate read off a rate_summary: hits / trials, NULL when there are no trials';

CREATE FUNCTION @extschema@.mql_rate(summary @extschema@.rate_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mql_rate(@extschema@.rate_summary) IS
'Traffic-to-MQL rate read off a rate_summary: hits (MQLs) / trials (visits), NULL when there are no trials';

CREATE FUNCTION @extschema@.mql_to_sql_rate(summary @extschema@.rate_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mql_to_sql_rate(@extschema@.rate_summary) IS
'MQL-to-SQL rate read off a rate_summary: hits (SQLs) / trials (MQLs), NULL when there are no trials';

CREATE FUNCTION @extschema@.win_rate(summary @extschema@.rate_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.win_rate(@extschema@.rate_summary) IS
'Win rate read off a rate_summary: hits (won) / trials (closed), NULL when there are no trials';

CREATE FUNCTION @extschema@.churn_rate(summary @extschema@.rate_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_rate(@extschema@.rate_summary) IS
'Logo churn rate read off a rate_summary of counts: hits (churned) / trials (customers at start), NULL when there are no trials';

CREATE FUNCTION @extschema@.nps(summary @extschema@.nps_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_nps_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps(@extschema@.nps_summary) IS
'Net Promoter Score read off an nps_summary: 100 * (promoters - detractors) / responses, NULL when there are no responses';

CREATE FUNCTION @extschema@.cpl(summary @extschema@.money_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cpl(@extschema@.money_summary) IS
'Cost per lead read off a money_summary: numerator sum / denominator sum, exact numeric equal in value and scale to cpl over the raw rows; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.cpl(summary @extschema@.float8_money_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cpl(@extschema@.float8_money_summary) IS
'Cost per lead read off a float8_money_summary: numerator sum / denominator sum in double precision; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.cac(summary @extschema@.money_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cac(@extschema@.money_summary) IS
'Customer acquisition cost read off a money_summary: numerator sum / denominator sum, exact numeric equal in value and scale to cac over the raw rows; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.cac(summary @extschema@.float8_money_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cac(@extschema@.float8_money_summary) IS
'Customer acquisition cost read off a float8_money_summary: numerator sum / denominator sum in double precision; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.cost_per(summary @extschema@.money_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cost_per(@extschema@.money_summary) IS
'Cost per unit read off a money_summary: numerator sum / denominator sum, exact numeric equal in value and scale to cost_per over the raw rows; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.cost_per(summary @extschema@.float8_money_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cost_per(@extschema@.float8_money_summary) IS
'Cost per unit read off a float8_money_summary: numerator sum / denominator sum in double precision; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.roas(summary @extschema@.money_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.roas(@extschema@.money_summary) IS
'Return on ad spend read off a money_summary: numerator sum / denominator sum, exact numeric equal in value and scale to roas over the raw rows; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.roas(summary @extschema@.float8_money_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.roas(@extschema@.float8_money_summary) IS
'Return on ad spend read off a float8_money_summary: numerator sum / denominator sum in double precision; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.marketing_roi(summary @extschema@.money_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_roi_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.marketing_roi(@extschema@.money_summary) IS
'Marketing ROI read off a money_summary: (numerator sum - denominator sum) / denominator sum, exact numeric equal in value and scale to marketing_roi over the raw rows; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.marketing_roi(summary @extschema@.float8_money_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_marketing_roi_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.marketing_roi(@extschema@.float8_money_summary) IS
'Marketing ROI read off a float8_money_summary: (numerator sum - denominator sum) / denominator sum in double precision; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.marketing_cac_share(summary @extschema@.money_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.marketing_cac_share(@extschema@.money_summary) IS
'Marketing share of acquisition spend read off a money_summary: numerator sum / denominator sum, exact numeric equal in value and scale to marketing_cac_share over the raw rows; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.marketing_cac_share(summary @extschema@.float8_money_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_money_ratio_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.marketing_cac_share(@extschema@.float8_money_summary) IS
'Marketing share of acquisition spend read off a float8_money_summary: numerator sum / denominator sum in double precision; NULL when the denominator sum is zero';

CREATE FUNCTION @extschema@.churn_rate(summary @extschema@.churn_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_churn_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_rate(@extschema@.churn_summary) IS
'Logo churn rate read off a churn_summary: churned / customers_at_start, NULL when no customer was active at the start';

CREATE FUNCTION @extschema@.net_revenue_retention(summary @extschema@.mrr_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_net_revenue_retention_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.net_revenue_retention(@extschema@.mrr_summary) IS
'Net revenue retention read off an mrr_summary: sum(mrr_end) / sum(mrr_start) over customers with mrr_start > 0, exact; NULL when there are none';

CREATE FUNCTION @extschema@.gross_revenue_retention(summary @extschema@.mrr_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_gross_revenue_retention_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.gross_revenue_retention(@extschema@.mrr_summary) IS
'Gross revenue retention read off an mrr_summary: sum(least(mrr_start, mrr_end)) / sum(mrr_start) over customers with mrr_start > 0, exact; NULL when there are none';

CREATE FUNCTION @extschema@.revenue_churn_rate(summary @extschema@.mrr_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_revenue_churn_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_churn_rate(@extschema@.mrr_summary) IS
'Revenue churn rate read off an mrr_summary: 1 - gross revenue retention, exact; NULL when no customer has mrr_start > 0';

CREATE FUNCTION @extschema@.mrr_movements(summary @extschema@.mrr_summary)
RETURNS @extschema@.mrr_movement_totals
AS 'MODULE_PATHNAME', 'b2bkpi_mrr_movements_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mrr_movements(@extschema@.mrr_summary) IS
'MRR movements read off an mrr_summary: new, expansion, contraction and churned MRR and the net change, exact; NULL for a summary of no rows';

CREATE FUNCTION @extschema@.sales_velocity(summary @extschema@.velocity_summary)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_final_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity(@extschema@.velocity_summary) IS
'Sales velocity read off a velocity_summary: won amount sum * rows * 86400 / cycle seconds sum, exact numeric equal in value and scale to sales_velocity over the raw rows; NULL when there are no rows or the cycle sum is zero';

CREATE FUNCTION @extschema@.sales_velocity(summary @extschema@.float8_velocity_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_sales_velocity_final_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity(@extschema@.float8_velocity_summary) IS
'Sales velocity read off a float8_velocity_summary: won amount sum * rows * 86400 / cycle seconds sum in double precision; NULL when there are no rows or the cycle sum is zero';


-- ==== confidence on rates: Wilson interval and two-proportion z-test (kpi-spec section 6) ====

CREATE TYPE @extschema@.rate_interval AS (
    low pg_catalog.float8,
    high pg_catalog.float8
);
COMMENT ON TYPE @extschema@.rate_interval IS
'A confidence interval of a rate, as fractions: (low, high), 0 <= low <= rate <= high <= 1; returned by rate_ci';
COMMENT ON COLUMN @extschema@.rate_interval.low IS
'Lower confidence bound of the rate, a fraction in [0, 1]';
COMMENT ON COLUMN @extschema@.rate_interval.high IS
'Upper confidence bound of the rate, a fraction in [0, 1]';

CREATE FUNCTION @extschema@.rate_ci(summary @extschema@.rate_summary,
                                    confidence pg_catalog.float8 DEFAULT 0.95)
RETURNS @extschema@.rate_interval
AS 'MODULE_PATHNAME', 'b2bkpi_rate_ci_summary'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ci(@extschema@.rate_summary, pg_catalog.float8) IS
'Wilson score interval (low, high) of the rate hits / trials of a rate_summary, at a two-sided confidence level (default 0.95, strictly between 0 and 1); NULL when there are no trials. (rate_ci(s)).low and .high read the bounds';

CREATE FUNCTION @extschema@.rate_ci(hits pg_catalog.int8, trials pg_catalog.int8,
                                    confidence pg_catalog.float8 DEFAULT 0.95)
RETURNS @extschema@.rate_interval
AS 'MODULE_PATHNAME', 'b2bkpi_rate_ci_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ci(pg_catalog.int8, pg_catalog.int8, pg_catalog.float8) IS
'Wilson score interval (low, high) of the rate hits / trials, at a two-sided confidence level (default 0.95); NULL when trials = 0; 0 <= hits <= trials';

CREATE FUNCTION @extschema@.rate_ci_low(summary @extschema@.rate_summary,
                                        confidence pg_catalog.float8 DEFAULT 0.95)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_ci_low_summary'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ci_low(@extschema@.rate_summary, pg_catalog.float8) IS
'Lower bound of rate_ci(summary, confidence) as a plain double precision, for BI tools that cannot open a composite';

CREATE FUNCTION @extschema@.rate_ci_low(hits pg_catalog.int8, trials pg_catalog.int8,
                                        confidence pg_catalog.float8 DEFAULT 0.95)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_ci_low_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ci_low(pg_catalog.int8, pg_catalog.int8, pg_catalog.float8) IS
'Lower bound of rate_ci(hits, trials, confidence) as a plain double precision, for BI tools that cannot open a composite';

CREATE FUNCTION @extschema@.rate_ci_high(summary @extschema@.rate_summary,
                                         confidence pg_catalog.float8 DEFAULT 0.95)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_ci_high_summary'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ci_high(@extschema@.rate_summary, pg_catalog.float8) IS
'Upper bound of rate_ci(summary, confidence) as a plain double precision, for BI tools that cannot open a composite';

CREATE FUNCTION @extschema@.rate_ci_high(hits pg_catalog.int8, trials pg_catalog.int8,
                                         confidence pg_catalog.float8 DEFAULT 0.95)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_ci_high_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ci_high(pg_catalog.int8, pg_catalog.int8, pg_catalog.float8) IS
'Upper bound of rate_ci(hits, trials, confidence) as a plain double precision, for BI tools that cannot open a composite';

CREATE FUNCTION @extschema@.rate_diff_pvalue(a @extschema@.rate_summary,
                                             b @extschema@.rate_summary)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_diff_pvalue_summary'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_diff_pvalue(@extschema@.rate_summary, @extschema@.rate_summary) IS
'Two-sided p-value of the pooled two-proportion z-test that the rates of a and b are equal; small means they differ. NULL when either has no trials, or when the pooled rate is 0 or 1 (no variation to test)';

CREATE FUNCTION @extschema@.rate_diff_pvalue(hits_a pg_catalog.int8, trials_a pg_catalog.int8,
                                             hits_b pg_catalog.int8, trials_b pg_catalog.int8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'b2bkpi_rate_diff_pvalue_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_diff_pvalue(pg_catalog.int8, pg_catalog.int8, pg_catalog.int8, pg_catalog.int8) IS
'Two-sided p-value of the pooled two-proportion z-test that hits_a / trials_a equals hits_b / trials_b. NULL when a trials is 0, or when the pooled rate is 0 or 1 (no variation to test)';
