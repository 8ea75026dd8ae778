/*
 * account_set.c: the hash table of distinct accounts (see account_set.h).
 */
#include "account_set.h"

/*
 * The table compares stored hashes first, so the key type's equality runs
 * only on a probable match.
 */
#define SH_PREFIX account_table
#define SH_ELEMENT_TYPE AccountEntry
#define SH_KEY_TYPE uint64
#define SH_KEY key
#define SH_HASH_KEY(tb, k) account_set_unhashed_key(k)
#define SH_EQUAL(tb, a, b) \
	(((const AccountSet *) (tb)->private_data)->ops->equal((a), (b), \
		((const AccountSet *) (tb)->private_data)->ops->arg))
#define SH_STORE_HASH
#define SH_FILLFACTOR (0.97)
#define SH_GROW_MAX_DIB 64
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_SCOPE extern
#define SH_DEFINE
#ifdef FRONTEND
#define SH_RAW_ALLOCATOR pg_malloc0
#endif

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
