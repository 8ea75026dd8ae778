/*
 * abm_reach.c: reach_rate and coverage_rate (kpi-spec section 5), the share
 * of distinct accounts with at least one reached (covered) row, for accounts
 * of any hashable type.
 *
 * The state, account_set, is a public varlena type whose flat form is in
 * core/account_flat.h. While an aggregate runs, the state is an expanded
 * object (utils/expandeddatum.h) holding the hash table of account_set.h: the
 * executor keeps a read-write expanded state in place from row to row, and
 * flattens it only where a value must cross a boundary (a parallel worker's
 * partial result, a stored value, output). Keys are hashed and compared with
 * the key type's own hash function and equality, under the aggregate's
 * collation.
 */
#include "b2bkpi.h"

#include "account_set.h"
#include "core/account_flat.h"

#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "parser/parse_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/typcache.h"

#define ACCOUNT_SET_TYPE "account_set"

/*
 * By-reference keys are copied into blocks that start small (a grouped query
 * holds one set per group) and double up to the largest size; a key too long
 * for a quarter of a block gets a chunk of its own.
 */
#define KEY_ARENA_FIRST_BLOCK 256
#define KEY_ARENA_LAST_BLOCK (64 * 1024)

/*
 * Rows with by-value keys wait in a batch of this many before they enter the
 * table: each row's bucket is prefetched when it arrives, so the memory
 * latency of a table larger than the CPU caches overlaps instead of adding up.
 */
#define PENDING_ROWS 64

#if defined(__GNUC__) || defined(__clang__)
#define prefetch_bucket(p) __builtin_prefetch(p)
#else
#define prefetch_bucket(p) ((void) 0)
#endif

/* What a key type needs: its layout, hash function and equality. */
typedef struct KeyType
{
	Oid			type;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	AccountKeyKind kind;
	Oid			collation;
	FmgrInfo   *hash;			/* the type cache's: live as long as the backend */
	FmgrInfo   *equal;
	bool		bitwise_equal;	/* equal is the Datum's bits: the integer types */
} KeyType;

typedef struct AccountSetObject
{
	ExpandedObjectHeader hdr;
	KeyType		key;
	AccountKeyOps ops;
	AccountSet	set;
	char	   *arena;			/* free space for by-reference keys */
	Size		arena_left;
	Size		arena_next_block;	/* the size of the next block */
	int			npending;		/* rows batched, not yet in the table */
	uint32		pending_hash[PENDING_ROWS];
	bool		pending_hit[PENDING_ROWS];
	uint64		pending_key[PENDING_ROWS];
} AccountSetObject;

static Size account_set_flat_size(ExpandedObjectHeader *eohptr);
static void account_set_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods account_set_methods = {
	account_set_flat_size,
	account_set_flatten
};

/* ---------- key types ---------- */

/* The name of the aggregate (or function) being run, for messages. */
static const char *
caller_name(FunctionCallInfo fcinfo)
{
	Aggref	   *aggref = fcinfo ? AggGetAggref(fcinfo) : NULL;

	if (aggref != NULL)
		return get_func_name(aggref->aggfnoid);
	return fcinfo && fcinfo->flinfo ? get_func_name(fcinfo->flinfo->fn_oid) : ACCOUNT_SET_TYPE;
}

static void
key_type_init(KeyType *key, Oid type, Oid collation, const char *function)
{
	Oid			base = getBaseType(type);
	TypeCacheEntry *entry = lookup_type_cache(base, TYPECACHE_HASH_PROC_FINFO |
											  TYPECACHE_EQ_OPR_FINFO);

	if (!OidIsValid(entry->hash_proc) || !OidIsValid(entry->eq_opr))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("%s: could not identify a hash function and an equality operator for account type %s",
						function, format_type_be(type)),
				 errdetail("Accounts are counted once each, which needs the type's hash function and equality."),
				 errhint("Pass the account as a hashable type such as bigint, text or uuid.")));
	key->type = base;
	get_typlenbyvalalign(base, &key->typlen, &key->typbyval, &key->typalign);
	key->kind = account_key_kind(key->typlen, key->typbyval);
	key->collation = OidIsValid(collation) ? collation : get_typcollation(base);
	key->hash = &entry->hash_proc_finfo;
	key->equal = &entry->eq_opr_finfo;
	/*
	 * The integer types' equality compares the values, which by-value Datums
	 * hold exactly; skipping the call changes nothing but the time.
	 */
	switch (entry->eq_opr_finfo.fn_oid)
	{
		case F_INT2EQ:
		case F_INT4EQ:
		case F_INT8EQ:
		case F_OIDEQ:
		case F_DATE_EQ:
			key->bitwise_equal = key->typbyval;
			break;
		default:
			key->bitwise_equal = false;
	}
}

static inline uint32
key_hash(const KeyType *key, Datum value)
{
	return DatumGetUInt32(FunctionCall1Coll(key->hash, key->collation, value));
}

/* The bytes of a by-reference key, as the flat form holds them. */
static inline Size
key_size(const KeyType *key, Datum value)
{
	switch (key->kind)
	{
		case ACCOUNT_KEY_BY_VALUE:
			return 8;
		case ACCOUNT_KEY_FIXED:
			return key->typlen;
		case ACCOUNT_KEY_VARLENA:
			return VARSIZE_ANY_EXHDR(DatumGetPointer(value)) + VARHDRSZ;
		case ACCOUNT_KEY_CSTRING:
			return strlen(DatumGetCString(value)) + 1;
	}
	return 0;
}

/* ---------- the expanded object ---------- */

static bool
account_key_equal(uint64 a, uint64 b, void *arg)
{
	AccountSetObject *obj = arg;

	return DatumGetBool(FunctionCall2Coll(obj->key.equal, obj->key.collation,
										  (Datum) a, (Datum) b));
}

/* Copies a key of size bytes to dst; a short varlena header becomes a 4-byte one. */
static Pointer
key_store(const KeyType *key, Pointer src, Size size, char *dst)
{
	if (key->kind == ACCOUNT_KEY_VARLENA && VARATT_IS_SHORT(src))
	{
		SET_VARSIZE(dst, size);
		memcpy(VARDATA(dst), VARDATA_SHORT(src), size - VARHDRSZ);
	}
	else
		memcpy(dst, src, size);
	return dst;
}

/*
 * A lasting copy of a key new to the set, in the object's arena: the row it
 * came from is about to go away.
 */
static uint64
account_key_copy(uint64 key, void *arg)
{
	AccountSetObject *obj = arg;
	Pointer		src = DatumGetPointer((Datum) key);
	Size		size = key_size(&obj->key, (Datum) key);
	Size		space = MAXALIGN(size);
	char	   *dst;

	if (space > obj->arena_left)
	{
		Size		block = Max(obj->arena_next_block, KEY_ARENA_FIRST_BLOCK);

		if (space > block / 4)
			return (uint64) PointerGetDatum(key_store(&obj->key, src, size,
													  MemoryContextAlloc(obj->hdr.eoh_context, space)));
		obj->arena = MemoryContextAlloc(obj->hdr.eoh_context, block);
		obj->arena_left = block;
		obj->arena_next_block = Min(block * 2, KEY_ARENA_LAST_BLOCK);
	}
	dst = obj->arena;
	obj->arena += space;
	obj->arena_left -= space;
	return (uint64) PointerGetDatum(key_store(&obj->key, src, size, dst));
}

/*
 * A new, empty set in a memory context of its own under parent. The context
 * starts small: a grouped query holds one set per group.
 */
static AccountSetObject *
account_set_new(MemoryContext parent, const KeyType *key, uint32 expected_accounts)
{
	MemoryContext context = AllocSetContextCreate(parent, "account_set",
												  ALLOCSET_SMALL_SIZES);
	AccountSetObject *obj = MemoryContextAllocZero(context, sizeof(AccountSetObject));

	EOH_init_header(&obj->hdr, &account_set_methods, context);
	obj->key = *key;
	obj->ops.equal = key->bitwise_equal ? NULL : account_key_equal;
	obj->ops.copy = key->typbyval ? NULL : account_key_copy;
	obj->ops.arg = obj;
	accounts_init(&obj->set, context, &obj->ops, expected_accounts);
	return obj;
}

/* Raises the error a refused step means, naming the function the user called. */
static inline void
raise_step(AccountStep step, FunctionCallInfo fcinfo)
{
	const char *function;

	if (likely(step == ACCOUNT_OK))
		return;
	function = caller_name(fcinfo);
	switch (step)
	{
		case ACCOUNT_OK:
		case ACCOUNT_NOT_HELD:
			return;
		case ACCOUNT_COUNT_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s: too many rows for one account", function),
					 errdetail("An account can be named by at most %u rows of one group.",
							   PG_UINT32_MAX)));
			break;
		case ACCOUNT_TOO_MANY:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s: too many distinct accounts", function),
					 errdetail("A group can hold at most %u distinct accounts.",
							   PG_UINT32_MAX / 2)));
			break;
	}
}

static void
flat_error(AccountFlatStatus status, unsigned version)
{
	if (status == ACCOUNT_FLAT_VERSION_UNKNOWN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported %s layout version %u", ACCOUNT_SET_TYPE, version),
				 errdetail("This build of b2bkpi reads layout version %d.", ACCOUNT_FLAT_VERSION)));
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupt %s value", ACCOUNT_SET_TYPE),
			 errdetail("%s",
					   status == ACCOUNT_FLAT_TRUNCATED ? "Its length does not match its contents." :
					   status == ACCOUNT_FLAT_BAD_KEY_TYPE ? "Its account type description is inconsistent." :
					   status == ACCOUNT_FLAT_BAD_COUNTS ? "Its row counts are impossible." :
					   "One of its accounts is malformed.")));
}

static void
duplicate_account_error(const KeyType *key, Datum value)
{
	Oid			output;
	bool		varlena;

	getTypeOutputInfo(key->type, &output, &varlena);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("impossible %s value: account %s appears more than once",
					ACCOUNT_SET_TYPE, OidOutputFunctionCall(output, value)),
			 errdetail("Each account of an %s is listed once, with its row counts.",
					   ACCOUNT_SET_TYPE)));
}

/*
 * Adds one account with its counts while building a set from a stored form;
 * the key must not be there already.
 */
static void
account_set_load(AccountSetObject *obj, Datum value, uint32 rows, uint32 hit_rows)
{
	uint64		before = accounts_count(&obj->set);

	raise_step(accounts_add(&obj->set, (uint64) value, key_hash(&obj->key, value),
							   rows, hit_rows), NULL);
	if (accounts_count(&obj->set) == before)
		duplicate_account_error(&obj->key, value);
}

/* Moves the batched rows into the table; every reader of a set calls this first. */
static void
account_set_settle(AccountSetObject *obj, FunctionCallInfo fcinfo)
{
	int			n = obj->npending;

	obj->npending = 0;
	for (int i = 0; i < n; i++)
		raise_step(accounts_add(&obj->set, obj->pending_key[i], obj->pending_hash[i],
								1, obj->pending_hit[i] ? 1 : 0), fcinfo);
}

/* Opens a flat account_set and checks that its key type is what the type says. */
static struct varlena *
account_set_open_flat(Datum flat_datum, AccountFlatReader *reader, KeyType *key,
					  Oid collation)
{
	struct varlena *flat = PG_DETOAST_DATUM(flat_datum);
	AccountFlatStatus status = account_flat_open(reader, (const unsigned char *) flat,
												 VARSIZE(flat));

	if (status != ACCOUNT_FLAT_OK)
		flat_error(status, ((const unsigned char *) flat)[4]);
	key_type_init(key, reader->header.key_type, collation, ACCOUNT_SET_TYPE);
	if (key->kind != reader->header.key_kind || key->typlen != reader->header.key_length)
		flat_error(ACCOUNT_FLAT_BAD_KEY_TYPE, 0);
	return flat;
}

/*
 * Adds every account of an opened flat set to obj, in batches whose buckets
 * are prefetched first. Loading a stored value (must_be_new), an account met
 * twice is an error; merging, its counts add up.
 */
static void
account_set_add_flat(AccountSetObject *obj, AccountFlatReader *reader, bool must_be_new,
					 FunctionCallInfo fcinfo)
{
	Datum		values[PENDING_ROWS];
	uint32		hashes[PENDING_ROWS];
	uint32		rows[PENDING_ROWS];
	uint32		hit_rows[PENDING_ROWS];
	uint64		left = reader->header.accounts;
	AccountFlatStatus status;

	while (left > 0)
	{
		int			n = (int) Min(left, PENDING_ROWS);

		for (int i = 0; i < n; i++)
		{
			const unsigned char *bytes;
			size_t		size;

			status = account_flat_next(reader, &bytes, &size, &rows[i], &hit_rows[i]);
			if (status != ACCOUNT_FLAT_OK)
				flat_error(status, 0);
			if (obj->key.kind == ACCOUNT_KEY_BY_VALUE)
				memcpy(&values[i], bytes, sizeof(Datum));
			else
				values[i] = PointerGetDatum(bytes);
			hashes[i] = key_hash(&obj->key, values[i]);
			prefetch_bucket(&obj->set.table->data[hashes[i] & obj->set.table->sizemask]);
		}
		for (int i = 0; i < n; i++)
		{
			uint64		before = accounts_count(&obj->set);

			raise_step(accounts_add(&obj->set, (uint64) values[i], hashes[i],
									rows[i], hit_rows[i]), fcinfo);
			if (must_be_new && accounts_count(&obj->set) == before)
				duplicate_account_error(&obj->key, values[i]);
		}
		left -= n;
	}
	status = account_flat_finish(reader);
	if (status != ACCOUNT_FLAT_OK)
		flat_error(status, 0);
}

/*
 * Expands a flat account_set into a new object under parent. The flat bytes
 * are copied once into the object's context and its keys point into them.
 */
static AccountSetObject *
account_set_expand(Datum flat_datum, MemoryContext parent, Oid collation)
{
	AccountFlatReader reader;
	KeyType		key;
	struct varlena *flat = account_set_open_flat(flat_datum, &reader, &key, collation);
	Size		len = VARSIZE(flat);
	AccountSetObject *obj = account_set_new(parent, &key, (uint32) reader.header.accounts);
	char	   *copy = MemoryContextAlloc(obj->hdr.eoh_context, len);

	memcpy(copy, flat, len);
	account_flat_open(&reader, (const unsigned char *) copy, len);
	/* The keys stay in the copy: no key is copied again while loading. */
	obj->ops.copy = NULL;
	account_set_add_flat(obj, &reader, true, NULL);
	obj->ops.copy = key.typbyval ? NULL : account_key_copy;
	return obj;
}

static Size
account_set_flat_size(ExpandedObjectHeader *eohptr)
{
	AccountSetObject *obj = (AccountSetObject *) eohptr;
	Size		size;

	account_set_settle(obj, NULL);
	size = account_flat_keys_offset(accounts_count(&obj->set));

	if (obj->key.kind == ACCOUNT_KEY_BY_VALUE || obj->key.kind == ACCOUNT_KEY_FIXED)
		size += accounts_count(&obj->set) *
			account_flat_key_space(obj->key.kind, obj->key.typlen);
	else
	{
		account_table_iterator it;
		AccountEntry *entry;

		account_table_start_iterate(obj->set.table, &it);
		while ((entry = account_table_iterate(obj->set.table, &it)) != NULL)
			size += account_flat_key_space(obj->key.kind,
										   key_size(&obj->key, (Datum) entry->key));
	}
	if (!AllocSizeIsValid(size))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s value too large to store", ACCOUNT_SET_TYPE),
				 errdetail("Its flat form would take %zu bytes; a value is limited to 1 GB.", size)));
	return size;
}

static void
account_set_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	AccountSetObject *obj = (AccountSetObject *) eohptr;
	unsigned char *out = result;
	AccountFlatHeader header = {
		.version = ACCOUNT_FLAT_VERSION,
		.key_kind = (uint8) obj->key.kind,
		.key_length = obj->key.typlen,
		.key_type = obj->key.type,
		.accounts = accounts_count(&obj->set),
		.hit_accounts = obj->set.hit_accounts
	};
	Size		offset = account_flat_keys_offset(header.accounts);
	account_table_iterator it;
	AccountEntry *entry;
	uint64		i = 0;

	Assert(obj->npending == 0);	/* the flat size was asked for first */
	account_flat_write_header(out, allocated_size, &header);
	SET_VARSIZE(out, allocated_size);
	account_table_start_iterate(obj->set.table, &it);
	while ((entry = account_table_iterate(obj->set.table, &it)) != NULL)
	{
		Size		size = key_size(&obj->key, (Datum) entry->key);

		account_flat_put_counts(out, i++, entry->rows, entry->hit_rows);
		if (obj->key.kind == ACCOUNT_KEY_BY_VALUE)
			memcpy(out + offset, &entry->key, sizeof(Datum));
		else
			memcpy(out + offset, DatumGetPointer((Datum) entry->key), size);
		offset += account_flat_key_space(obj->key.kind, size);
	}
	Assert(offset == allocated_size);
}

/* The object behind an account_set argument, expanded under parent if flat. */
static AccountSetObject *
account_set_arg(Datum value, MemoryContext parent, Oid collation)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(value)))
	{
		AccountSetObject *obj = (AccountSetObject *) DatumGetEOHP(value);

		account_set_settle(obj, NULL);
		return obj;
	}
	return account_set_expand(value, parent, collation);
}

/* The context a state belongs in: the aggregate's, or the caller's. */
static MemoryContext
state_context(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;

	if (AggCheckCallContext(fcinfo, &aggcontext))
		return aggcontext;
	return CurrentMemoryContext;
}

/*
 * The state to update: a read-write expanded state is updated in place (the
 * executor's own state, from row to row); anything else is expanded into a
 * new object, so a stored or read-only value is never changed.
 */
static AccountSetObject *
account_set_for_update(FunctionCallInfo fcinfo, int argno)
{
	Datum		value = PG_GETARG_DATUM(argno);

	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(value)))
		return (AccountSetObject *) DatumGetEOHP(value);
	/* Detoasting a read-only expanded value flattens a copy of it. */
	return account_set_expand(value, state_context(fcinfo), PG_GET_COLLATION());
}

/* ---------- aggregate support ---------- */

/* The account argument's key type, looked up once per call site. */
static const KeyType *
account_arg_key(FunctionCallInfo fcinfo, int argno)
{
	KeyType    *key = fcinfo->flinfo->fn_extra;

	/* A call site's argument type and collation never change. */
	if (unlikely(key == NULL))
	{
		Oid			type = get_fn_expr_argtype(fcinfo->flinfo, argno);
		Oid			collation = PG_GET_COLLATION();

		if (!OidIsValid(type))
			elog(ERROR, "could not determine the account type");
		key = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(KeyType));
		key_type_init(key, type, collation, caller_name(fcinfo));
		fcinfo->flinfo->fn_extra = key;
	}
	return key;
}

/* A key from a row, detoasted (a short header is fine for hashing and equality). */
static inline Datum
account_arg(FunctionCallInfo fcinfo, int argno, const KeyType *key)
{
	Datum		value = PG_GETARG_DATUM(argno);

	if (key->kind == ACCOUNT_KEY_VARLENA)
		value = PointerGetDatum(PG_DETOAST_DATUM_PACKED(value));
	return value;
}

static void
key_type_mismatch(const KeyType *held, Oid other, const char *function)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("%s: accounts of type %s cannot join a set of accounts of type %s",
					function, format_type_be(other), format_type_be(held->type)),
			 errdetail("An account set holds accounts of one type.")));
}

/*
 * account_set_add(state, account, hit): one row. A NULL account or hit skips
 * the row.
 */
PG_FUNCTION_INFO_V1(account_set_add);
Datum
account_set_add(PG_FUNCTION_ARGS)
{
	const KeyType *key;
	AccountSetObject *obj;
	Datum		value;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	key = account_arg_key(fcinfo, 1);
	if (PG_ARGISNULL(0))
		obj = account_set_new(state_context(fcinfo), key, 0);
	else
	{
		obj = account_set_for_update(fcinfo, 0);
		if (obj->key.type != key->type)
			key_type_mismatch(&obj->key, key->type, caller_name(fcinfo));
	}
	value = account_arg(fcinfo, 1, key);
	if (key->typbyval)
	{
		uint32		hash = key_hash(key, value);
		account_table_hash *table = obj->set.table;

		if (obj->npending == PENDING_ROWS)
			account_set_settle(obj, fcinfo);
		prefetch_bucket(&table->data[hash & table->sizemask]);
		obj->pending_key[obj->npending] = (uint64) value;
		obj->pending_hash[obj->npending] = hash;
		obj->pending_hit[obj->npending] = PG_GETARG_BOOL(2);
		obj->npending++;
	}
	else
		raise_step(accounts_add(&obj->set, (uint64) value, key_hash(key, value),
								1, PG_GETARG_BOOL(2) ? 1 : 0),
				   fcinfo);
	PG_RETURN_DATUM(EOHPGetRWDatum(&obj->hdr));
}

/*
 * account_set_remove(state, account, hit): the inverse, for sliding frames.
 * NULL (start the frame again) if the set does not hold such a row.
 */
PG_FUNCTION_INFO_V1(account_set_remove);
Datum
account_set_remove(PG_FUNCTION_ARGS)
{
	const KeyType *key;
	AccountSetObject *obj;
	Datum		value;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	key = account_arg_key(fcinfo, 1);
	obj = account_set_for_update(fcinfo, 0);
	if (obj->key.type != key->type)
		key_type_mismatch(&obj->key, key->type, caller_name(fcinfo));
	account_set_settle(obj, fcinfo);
	value = account_arg(fcinfo, 1, key);
	if (accounts_remove(&obj->set, (uint64) value, key_hash(key, value),
						   PG_GETARG_BOOL(2)) != ACCOUNT_OK)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(EOHPGetRWDatum(&obj->hdr));
}

/* account_set_combine(a, b): the union, adding the counts of shared accounts. */
PG_FUNCTION_INFO_V1(account_set_combine);
Datum
account_set_combine(PG_FUNCTION_ARGS)
{
	AccountSetObject *dst;
	AccountSetObject *src;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
	{
		/* The aggregate's first state: a copy of b, owned by the aggregate. */
		dst = account_set_expand(PG_GETARG_DATUM(1), state_context(fcinfo), PG_GET_COLLATION());
		PG_RETURN_DATUM(EOHPGetRWDatum(&dst->hdr));
	}
	dst = account_set_for_update(fcinfo, 0);
	account_set_settle(dst, fcinfo);
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(PG_GETARG_DATUM(1))))
	{
		src = account_set_arg(PG_GETARG_DATUM(1), CurrentMemoryContext, dst->key.collation);
		if (src->key.type != dst->key.type)
			key_type_mismatch(&dst->key, src->key.type, caller_name(fcinfo));
		raise_step(accounts_merge(&dst->set, &src->set), fcinfo);
	}
	else
	{
		/* A flat b (a parallel worker's partial set) is read in place, never expanded. */
		AccountFlatReader reader;
		KeyType		key;

		account_set_open_flat(PG_GETARG_DATUM(1), &reader, &key, dst->key.collation);
		if (key.type != dst->key.type)
			key_type_mismatch(&dst->key, key.type, caller_name(fcinfo));
		account_set_add_flat(dst, &reader, false, fcinfo);
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&dst->hdr));
}

/* account_set_rate(state): accounts with a hit row / accounts; NULL if none. */
PG_FUNCTION_INFO_V1(account_set_rate);
Datum
account_set_rate(PG_FUNCTION_ARGS)
{
	Datum		value = PG_GETARG_DATUM(0);
	double		rate;

	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(value)))
	{
		AccountSetObject *obj = (AccountSetObject *) DatumGetEOHP(value);

		account_set_settle(obj, fcinfo);
		if (!accounts_rate(&obj->set, &rate))
			PG_RETURN_NULL();
	}
	else
	{
		/* A flat value carries its totals; read them without building a table. */
		struct varlena *flat = PG_DETOAST_DATUM(value);
		AccountFlatReader reader;
		AccountFlatStatus status = account_flat_open(&reader, (const unsigned char *) flat,
													 VARSIZE(flat));

		if (status != ACCOUNT_FLAT_OK)
			flat_error(status, ((const unsigned char *) flat)[4]);
		if (reader.header.accounts == 0)
			PG_RETURN_NULL();
		rate = (double) reader.header.hit_accounts / (double) reader.header.accounts;
	}
	PG_RETURN_FLOAT8(rate);
}

/* ---------- text and binary forms ---------- */

static void
append_counts(StringInfo out, const char *name, AccountSetObject *obj, bool hits)
{
	account_table_iterator it;
	AccountEntry *entry;
	bool		first = true;

	appendStringInfo(out, " %s={", name);
	account_table_start_iterate(obj->set.table, &it);
	while ((entry = account_table_iterate(obj->set.table, &it)) != NULL)
	{
		appendStringInfo(out, first ? "%u" : ",%u", hits ? entry->hit_rows : entry->rows);
		first = false;
	}
	appendStringInfoChar(out, '}');
}

/*
 * Text: "v1 type=T accounts={...} rows={...} hits={...}", the accounts as
 * the key type's own array literal, then each one's rows and hit rows in the
 * same order. The order is the hash table's, not a sorted one.
 */
PG_FUNCTION_INFO_V1(account_set_out);
Datum
account_set_out(PG_FUNCTION_ARGS)
{
	AccountSetObject *obj = account_set_arg(PG_GETARG_DATUM(0), CurrentMemoryContext,
											InvalidOid);
	uint64		n = accounts_count(&obj->set);
	Datum	   *keys = palloc(Max(n, 1) * sizeof(Datum));
	account_table_iterator it;
	AccountEntry *entry;
	ArrayType  *array;
	StringInfoData out;
	uint64		i = 0;

	account_table_start_iterate(obj->set.table, &it);
	while ((entry = account_table_iterate(obj->set.table, &it)) != NULL)
		keys[i++] = (Datum) entry->key;
	array = construct_array(keys, (int) n, obj->key.type, obj->key.typlen,
							obj->key.typbyval, obj->key.typalign);
	initStringInfo(&out);
	appendStringInfo(&out, "v%d type=%s accounts=%s", ACCOUNT_FLAT_VERSION,
					 format_type_be_qualified(obj->key.type),
					 DatumGetCString(OidFunctionCall1(F_ARRAY_OUT, PointerGetDatum(array))));
	append_counts(&out, "rows", obj, false);
	append_counts(&out, "hits", obj, true);
	PG_RETURN_CSTRING(out.data);
}

static void
text_syntax_error(const char *text, const DecodeError *error)
{
	if (error->status == DECODE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("unsupported %s format version %u", ACCOUNT_SET_TYPE, error->version),
				 errdetail("This build of b2bkpi reads version %d.", ACCOUNT_FLAT_VERSION),
				 errhint("A value written by a newer b2bkpi needs that version of the extension to be read.")));
	if (error->status == DECODE_OUT_OF_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("row count out of range in %s value: \"%s\"", ACCOUNT_SET_TYPE, text),
				 errdetail("Row and hit counts are limited to %u per account; reading stopped at character %zu.",
						   PG_UINT32_MAX, error->position + 1)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", ACCOUNT_SET_TYPE, text),
			 errdetail("The expected form is \"v1 type=T accounts={...} rows={...} hits={...}\", with one non-negative row count and hit count below 2^32 per account; reading stopped at character %zu.",
					   error->position + 1)));
}

static void
impossible_value(const char *text, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("impossible %s value: \"%s\"", ACCOUNT_SET_TYPE, text),
			 errdetail("%s", detail)));
}

/* Reads one count list of the text form; n must match the accounts'. */
static uint32 *
read_counts(const char *text, const char *list, size_t len, size_t n)
{
	uint32	   *counts = palloc(Max(n, 1) * sizeof(uint32));
	DecodeError error;
	size_t		found;

	/* Count first, so a list of the wrong length is told apart from bad syntax. */
	if (account_counts_parse(list, len, NULL, 0, &found, &error) != DECODE_OK)
	{
		error.position += (size_t) (list - text);
		text_syntax_error(text, &error);
	}
	if (found != n)
		impossible_value(text, "Each account needs exactly one row count and one hit count.");
	account_counts_parse(list, len, counts, n, &found, &error);
	return counts;
}

/* The key type a stored value names, resolved in the current search path. */
static Oid
named_key_type(const char *name)
{
	Oid			type;
	int32		typmod;

	parseTypeString(name, &type, &typmod, true);
	if (!OidIsValid(type))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("%s names an account type that does not exist: \"%s\"",
						ACCOUNT_SET_TYPE, name)));
	return getBaseType(type);
}

static Datum
flat_result(AccountSetObject *obj)
{
	Size		size = EOH_get_flat_size(&obj->hdr);
	void	   *flat = palloc(size);

	EOH_flatten_into(&obj->hdr, flat, size);
	return PointerGetDatum(flat);
}

PG_FUNCTION_INFO_V1(account_set_in);
Datum
account_set_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	AccountTextParts parts;
	DecodeError error;
	KeyType		key;
	ArrayType  *array;
	Datum	   *keys;
	bool	   *nulls;
	int			n;
	uint32	   *rows,
			   *hits;
	AccountSetObject *obj;

	if (account_text_split(text, strlen(text), &parts, &error) != DECODE_OK)
		text_syntax_error(text, &error);
	key_type_init(&key, named_key_type(pnstrdup(parts.type_name, parts.type_name_len)),
				  InvalidOid, ACCOUNT_SET_TYPE);
	array = DatumGetArrayTypeP(OidFunctionCall3(F_ARRAY_IN,
												CStringGetDatum(pnstrdup(parts.accounts, parts.accounts_len)),
												ObjectIdGetDatum(key.type),
												Int32GetDatum(-1)));
	if (ARR_NDIM(array) > 1)
		impossible_value(text, "The accounts are a one-dimensional array.");
	deconstruct_array(array, key.type, key.typlen, key.typbyval, key.typalign,
					  &keys, &nulls, &n);
	rows = read_counts(text, parts.rows, parts.rows_len, n);
	hits = read_counts(text, parts.hits, parts.hits_len, n);

	obj = account_set_new(CurrentMemoryContext, &key, (uint32) n);
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			impossible_value(text, "An account cannot be NULL.");
		if (rows[i] == 0 || hits[i] > rows[i])
			impossible_value(text, "Each account has at least one row, and no more hits than rows.");
		if (key.kind == ACCOUNT_KEY_VARLENA)
			keys[i] = PointerGetDatum(PG_DETOAST_DATUM_PACKED(keys[i]));
		account_set_load(obj, keys[i], rows[i], hits[i]);
	}
	PG_RETURN_DATUM(flat_result(obj));
}

/*
 * Binary: a version byte, the key type's name, the number of accounts, then
 * per account its row count, hit count and key in the key type's own binary
 * form (a 4-byte length, then the bytes).
 */
PG_FUNCTION_INFO_V1(account_set_send);
Datum
account_set_send(PG_FUNCTION_ARGS)
{
	AccountSetObject *obj = account_set_arg(PG_GETARG_DATUM(0), CurrentMemoryContext,
											InvalidOid);
	account_table_iterator it;
	AccountEntry *entry;
	StringInfoData buf;
	Oid			send;
	bool		varlena;
	FmgrInfo	send_info;

	getTypeBinaryOutputInfo(obj->key.type, &send, &varlena);
	fmgr_info(send, &send_info);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ACCOUNT_FLAT_VERSION);
	pq_sendstring(&buf, format_type_be_qualified(obj->key.type));
	pq_sendint64(&buf, accounts_count(&obj->set));
	account_table_start_iterate(obj->set.table, &it);
	while ((entry = account_table_iterate(obj->set.table, &it)) != NULL)
	{
		bytea	   *bytes = SendFunctionCall(&send_info, (Datum) entry->key);

		pq_sendint32(&buf, entry->rows);
		pq_sendint32(&buf, entry->hit_rows);
		pq_sendint32(&buf, VARSIZE(bytes) - VARHDRSZ);
		pq_sendbytes(&buf, VARDATA(bytes), VARSIZE(bytes) - VARHDRSZ);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
binary_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary %s value", ACCOUNT_SET_TYPE),
			 errdetail("%s", detail)));
}

PG_FUNCTION_INFO_V1(account_set_recv);
Datum
account_set_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	unsigned	version;
	KeyType		key;
	uint64		n;
	Oid			receive;
	Oid			ioparam;
	FmgrInfo	receive_info;
	AccountSetObject *obj;

	if (buf->len - buf->cursor < 1)
		binary_error("The value is empty.");
	version = (unsigned) pq_getmsgbyte(buf);
	if (version != ACCOUNT_FLAT_VERSION)
		summary_binary_version_error(ACCOUNT_SET_TYPE, version);
	/* The type's name must end inside the value (pq_getmsgstring would blame the protocol). */
	if (memchr(buf->data + buf->cursor, '\0', buf->len - buf->cursor) == NULL)
		binary_error("The account type's name is not terminated.");
	key_type_init(&key, named_key_type(pq_getmsgstring(buf)), InvalidOid, ACCOUNT_SET_TYPE);
	getTypeBinaryInputInfo(key.type, &receive, &ioparam);
	fmgr_info(receive, &receive_info);
	n = (uint64) pq_getmsgint64(buf);
	/* Each account takes at least 12 bytes. */
	if (n > (uint64) (buf->len - buf->cursor) / 12)
		binary_error("The number of accounts does not match the length of the value.");
	obj = account_set_new(CurrentMemoryContext, &key, (uint32) n);
	for (uint64 i = 0; i < n; i++)
	{
		uint32		rows = (uint32) pq_getmsgint(buf, 4);
		uint32		hits = (uint32) pq_getmsgint(buf, 4);
		int32		len = pq_getmsgint(buf, 4);
		StringInfoData key_buf;
		Datum		value;

		if (len < 0 || len > buf->len - buf->cursor)
			binary_error("An account's length runs past the end of the value.");
		if (rows == 0 || hits > rows)
			binary_error("Each account has at least one row, and no more hits than rows.");
		/* The receive function reads its own copy, NUL-terminated as it expects. */
		initStringInfo(&key_buf);
		appendBinaryStringInfo(&key_buf, pq_getmsgbytes(buf, len), len);
		value = ReceiveFunctionCall(&receive_info, &key_buf, ioparam, -1);
		if (key_buf.cursor != key_buf.len)
			binary_error("An account's bytes were not all read by its type.");
		account_set_load(obj, value, rows, hits);
	}
	if (buf->cursor != buf->len)
		binary_error("The value has bytes after its last account.");
	PG_RETURN_DATUM(flat_result(obj));
}
