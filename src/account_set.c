/*
 * account_set.c: the hash table of distinct accounts (see account_set.h).
 */
#include "account_set.h"

#include <sys/mman.h>

/*
 * The table compares stored hashes first, so the key type's equality runs
 * only on a probable match.
 */
#define SH_PREFIX account_table
#define SH_ELEMENT_TYPE AccountEntry
#define SH_KEY_TYPE uint64
#define SH_KEY key
#define SH_HASH_KEY(tb, k) account_set_unhashed_key(k)
#define SH_EQUAL(tb, a, b) account_set_keys_equal((const AccountSet *) (tb)->private_data, (a), (b))
#define SH_STORE_HASH
#define SH_FILLFACTOR (0.97)
#define SH_GROW_MAX_DIB 64
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_SCOPE extern
#define SH_DEFINE
#ifdef FRONTEND
#define SH_RAW_ALLOCATOR pg_malloc0
#endif
#define SH_USE_NONDEFAULT_ALLOCATOR

/* No equality function means the key type's equality is the Datum's bits. */
static inline bool
account_set_keys_equal(const AccountSet *set, uint64 a, uint64 b)
{
	if (set->ops->equal == NULL)
		return a == b;
	return set->ops->equal(a, b, set->ops->arg);
}

/*
 * Every insertion and lookup passes the hash it computed with the key type's
 * own hash function (the _hash variants), so the template never hashes a key
 * itself; reaching this is a bug.
 */
static inline uint32
account_set_unhashed_key(uint64 key)
{
#ifdef FRONTEND
	pg_fatal("account set: a key was hashed without its type's hash function");
#else
	elog(ERROR, "account set: a key was hashed without its type's hash function");
#endif
	return 0;
}

/*
 * The bucket array, zeroed. A table larger than the CPU caches is probed at
 * random once per row, so on Linux a large array asks for transparent huge
 * pages (where the system leaves that to madvise): with 4 kB pages nearly
 * every probe of a table of millions of accounts also misses the TLB.
 */
#define HUGE_PAGE_SIZE ((Size) 2 * 1024 * 1024)

static inline void *
account_table_allocate(account_table_hash *tb, Size size)
{
#ifdef FRONTEND
	char	   *p = pg_malloc(size);
#else
	char	   *p = MemoryContextAllocExtended(tb->ctx, size, MCXT_ALLOC_HUGE);
#endif

#ifdef MADV_HUGEPAGE
	if (size >= 2 * HUGE_PAGE_SIZE)
	{
		char	   *start = (char *) TYPEALIGN(HUGE_PAGE_SIZE, p);
		char	   *end = (char *) TYPEALIGN_DOWN(HUGE_PAGE_SIZE, p + size);

		/* Advice only: where it is refused, the table works the same. */
		(void) madvise(start, end - start, MADV_HUGEPAGE);
	}
#endif
	memset(p, 0, size);
	return p;
}

static inline void
account_table_free(account_table_hash *tb, void *pointer)
{
	pfree(pointer);
}

#include "lib/simplehash.h"

#ifdef FRONTEND
void
accounts_init(AccountSet *set, const AccountKeyOps *ops, uint32 expected_accounts)
{
	set->table = account_table_create(expected_accounts, set);
#else
void
accounts_init(AccountSet *set, MemoryContext context, const AccountKeyOps *ops,
				 uint32 expected_accounts)
{
	set->table = account_table_create(context, expected_accounts, set);
#endif
	set->ops = ops;
	set->hit_accounts = 0;
}

AccountStep
accounts_add(AccountSet *set, uint64 key, uint32 hash, uint32 rows, uint32 hit_rows)
{
	AccountEntry *entry;
	bool		found;

	/* simplehash raises an error itself past its 2^32 buckets; stop short of it. */
	if (unlikely(set->table->members >= (uint64) PG_UINT32_MAX / 2))
	{
		entry = account_table_lookup_hash(set->table, key, hash);
		if (entry == NULL)
			return ACCOUNT_TOO_MANY;
	}
	entry = account_table_insert_hash(set->table, key, hash, &found);
	if (!found)
	{
		if (set->ops->copy)
			entry->key = set->ops->copy(key, set->ops->arg);
		entry->rows = rows;
		entry->hit_rows = hit_rows;
		set->hit_accounts += hit_rows > 0;
		return ACCOUNT_OK;
	}
	if (unlikely(rows > PG_UINT32_MAX - entry->rows))
		return ACCOUNT_COUNT_OVERFLOW;
	set->hit_accounts += entry->hit_rows == 0 && hit_rows > 0;
	entry->rows += rows;
	entry->hit_rows += hit_rows;
	return ACCOUNT_OK;
}

AccountStep
accounts_remove(AccountSet *set, uint64 key, uint32 hash, bool hit)
{
	AccountEntry *entry = account_table_lookup_hash(set->table, key, hash);

	if (entry == NULL || (hit && entry->hit_rows == 0) ||
		(!hit && entry->rows == entry->hit_rows))
		return ACCOUNT_NOT_HELD;
	entry->rows--;
	if (hit && --entry->hit_rows == 0)
		set->hit_accounts--;
	if (entry->rows == 0)
		account_table_delete_item(set->table, entry);
	return ACCOUNT_OK;
}

AccountStep
accounts_merge(AccountSet *dst, const AccountSet *src)
{
	account_table_iterator it;
	AccountEntry *entry;

	account_table_start_iterate(src->table, &it);
	while ((entry = account_table_iterate(src->table, &it)) != NULL)
	{
		AccountStep step = accounts_add(dst, entry->key, entry->hash,
										   entry->rows, entry->hit_rows);

		if (step != ACCOUNT_OK)
			return step;
	}
	return ACCOUNT_OK;
}

bool
accounts_rate(const AccountSet *set, double *rate)
{
	if (set->table->members == 0)
		return false;
	*rate = (double) set->hit_accounts / (double) set->table->members;
	return true;
}
