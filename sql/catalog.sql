-- Catalogue-wide checks that hold for every KPI family: installation by a
-- non-superuser (the extension is trusted), a comment on every object, and the
-- aggregate machinery kpi-spec section 0 asks of every aggregate.

-- Trusted: a role with CREATE on the database, but no superuser, can install it.
CREATE ROLE b2bkpi_installer;
SELECT format('GRANT CREATE ON DATABASE %I TO b2bkpi_installer', current_database()) \gexec
SET ROLE b2bkpi_installer;
CREATE EXTENSION b2bkpi;
SELECT mql_rate(b) AS installed_and_working FROM (VALUES (true), (false)) AS v(b);
RESET ROLE;
DROP EXTENSION b2bkpi;
SELECT format('REVOKE CREATE ON DATABASE %I FROM b2bkpi_installer', current_database()) \gexec
DROP ROLE b2bkpi_installer;

-- The rest of the suite runs against an installation by the superuser.
CREATE EXTENSION b2bkpi;
SELECT extversion, extrelocatable FROM pg_extension WHERE extname = 'b2bkpi';

CREATE VIEW b2bkpi_members AS
SELECT d.classid, d.objid, pg_describe_object(d.classid, d.objid, 0) AS object
FROM pg_depend AS d
JOIN pg_extension AS e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.deptype = 'e'
  AND e.extname = 'b2bkpi';

-- How many objects of each kind, so that a new object is noticed here.
SELECT classid::regclass AS catalog, count(*) FROM b2bkpi_members GROUP BY 1 ORDER BY 1;

-- Every function, aggregate and type carries a COMMENT (expect no rows).
SELECT object AS missing_comment
FROM b2bkpi_members
WHERE obj_description(objid, classid::regclass::text) IS NULL
ORDER BY 1;

-- Every function is PARALLEL SAFE, and IMMUTABLE unless it reads the session: the
-- funnel level over timestamptz (calendar windows follow TimeZone) and account_set's
-- I/O (the account type is named in text and looked up in search_path).
SELECT p.oid::regprocedure AS not_immutable_or_parallel_safe, p.provolatile, p.proparallel
FROM b2bkpi_members AS m
JOIN pg_proc AS p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
WHERE p.provolatile <> 'i' OR p.proparallel <> 's'
ORDER BY 1;

-- No function takes or returns internal, but the binary receive functions.
SELECT p.oid::regprocedure AS uses_internal
FROM b2bkpi_members AS m
JOIN pg_proc AS p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
WHERE (p.prorettype = 'internal'::regtype OR 'internal'::regtype = ANY (p.proargtypes))
  AND p.proname NOT LIKE '%\_recv'
ORDER BY 1;

-- Every aggregate: a public (non-internal) state type, a combine function, an
-- inverse transition over the same state, and no serialization (none is needed).
SELECT a.aggfnoid::regprocedure AS aggregate,
       a.aggtranstype::regtype AS state_type,
       a.aggcombinefn::regproc AS combine,
       a.aggminvtransfn::regprocedure AS inverse,
       a.aggmtranstype = a.aggtranstype AS moving_state_same,
       a.aggserialfn = 0 AND a.aggdeserialfn = 0 AS no_serialization,
       p.proparallel AS parallel
FROM b2bkpi_members AS m
JOIN pg_aggregate AS a ON m.classid = 'pg_proc'::regclass AND a.aggfnoid = m.objid
JOIN pg_proc AS p ON p.oid = a.aggfnoid
ORDER BY a.aggfnoid::regprocedure::text;

-- State types are variable-length, double-aligned and never toasted.
SELECT t.oid::regtype AS type, t.typlen, t.typalign, t.typstorage,
       t.typreceive <> 0 AS has_receive, t.typsend <> 0 AS has_send
FROM b2bkpi_members AS m
JOIN pg_type AS t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
ORDER BY t.oid::regtype::text;

DROP VIEW b2bkpi_members;
