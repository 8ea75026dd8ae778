/*
 * account_set.h: the distinct accounts behind reach_rate and coverage_rate
 * (kpi-spec section 5), as a hash table from PostgreSQL's simplehash template.
 *
 * An account is a key of any hashable type, held as a 64-bit word: the value
 * itself for a pass-by-value type, a pointer to the key's bytes otherwise. The
 * caller computes each key's hash with the type's own hash function and
 * supplies the type's equality, so the table never looks inside a key. Each
 * account keeps how many rows named it and how many of those were hits
 * (reached, covered), so a row can be removed again (sliding frames) and two
 * tables merge by adding counts.
 *
 * The file is also compiled as frontend code (FRONTEND defined), for the C
 * unit tests; then the table lives in malloc'd memory.
 */
#ifndef B2BKPI_ACCOUNT_SET_H
#define B2BKPI_ACCOUNT_SET_H

#ifdef FRONTEND
#include "postgres_fe.h"
#include "common/logging.h"
#else
#include "postgres.h"
#endif

typedef struct AccountEntry
{
	uint64		key;			/* the value, or a pointer to its bytes */
	uint32		hash;
	uint32		rows;			/* rows that named the account */
	uint32		hit_rows;		/* of which hits */
	char		status;			/* simplehash's bucket status */
} AccountEntry;

/*
 * How keys are compared and kept. equal is the key type's equality, or NULL
 * when that equality is exactly the equality of the 64-bit words; copy,
 * when not NULL, makes a lasting copy of a key that is new to the table (the
 * caller's key may point into a row that is about to go away).
 */
typedef struct AccountKeyOps
{
	bool		(*equal) (uint64 a, uint64 b, void *arg);
	uint64		(*copy) (uint64 key, void *arg);
	void	   *arg;
} AccountKeyOps;

#define SH_PREFIX account_table
#define SH_ELEMENT_TYPE AccountEntry
#define SH_KEY_TYPE uint64
#define SH_SCOPE extern
#define SH_DECLARE
#ifdef FRONTEND
#define SH_RAW_ALLOCATOR pg_malloc0
#endif
#include "lib/simplehash.h"

typedef struct AccountSet
{
	account_table_hash *table;
	const AccountKeyOps *ops;
	uint64		hit_accounts;	/* accounts with at least one hit row */
} AccountSet;

/* What adding or removing a row did; anything but ACCOUNT_OK is a refusal. */
typedef enum AccountStep
{
	ACCOUNT_OK,
	ACCOUNT_COUNT_OVERFLOW,		/* an account's row count would pass UINT32_MAX */
	ACCOUNT_NOT_HELD,			/* removal of a row the set does not hold */
	ACCOUNT_TOO_MANY			/* the table cannot grow any further */
} AccountStep;

/* A new, empty set, sized for about expected_accounts accounts. */
#ifdef FRONTEND
extern void accounts_init(AccountSet *set, const AccountKeyOps *ops,
							 uint32 expected_accounts);
#else
extern void accounts_init(AccountSet *set, MemoryContext context,
							 const AccountKeyOps *ops, uint32 expected_accounts);
#endif

/*
 * Adds rows rows, hit_rows of them hits, for one account (a row is 1 and 0 or
 * 1; a merge passes another set's counts). On overflow nothing changes.
 */
extern AccountStep accounts_add(AccountSet *set, uint64 key, uint32 hash,
								   uint32 rows, uint32 hit_rows);

/*
 * Removes one row (a hit or not) of an account; the account goes when its
 * last row does. ACCOUNT_NOT_HELD if the set has no such row.
 */
extern AccountStep accounts_remove(AccountSet *set, uint64 key, uint32 hash,
									  bool hit);

/* Adds every account of src to dst; on a refusal dst is partly merged. */
extern AccountStep accounts_merge(AccountSet *dst, const AccountSet *src);

static inline uint64
accounts_count(const AccountSet *set)
{
	return set->table->members;
}

/* The share of accounts with a hit row; false for an empty set. */
extern bool accounts_rate(const AccountSet *set, double *rate);

#endif
