/*
 * test_account_set.c: the hash set of distinct accounts behind reach_rate and
 * coverage_rate (src/account_set.c, PostgreSQL's simplehash built as frontend
 * code): growth from empty to 200,000 accounts, removal back to empty, merging
 * with shared accounts, by-reference keys copied once, count overflow, each
 * against a brute-force model of per-account counts.
 */
#include "account_set.h"

#include "tests.h"
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

/* ---------- by-value keys ---------- */

static bool
equal_u64(uint64 a, uint64 b, void *arg)
{
	(*(uint64 *) arg)++;		/* count the calls */
	return a == b;
}

/* A fair mix for most tests; the collision test below uses a poor one. */
static uint32
mix_hash(uint64 key)
{
	key ^= key >> 33;
	key *= UINT64_C(0xff51afd7ed558ccd);
	key ^= key >> 33;
	return (uint32) key;
}

static uint32 (*test_hash) (uint64) = mix_hash;

/* Only 1,024 distinct hashes: long probe runs and many equal stored hashes. */
static uint32
poor_hash(uint64 key)
{
	return (uint32) (key % 1024) * 2654435761u;
}

/* Model: counts per key 0..n-1. */
typedef struct Model
{
	uint32	   *rows;
	uint32	   *hits;
	size_t		n;
} Model;

static Model
model_new(size_t n)
{
	Model		m = {calloc(n, sizeof(uint32)), calloc(n, sizeof(uint32)), n};

	return m;
}

static void
model_free(Model *m)
{
	free(m->rows);
	free(m->hits);
}

/* The set holds exactly the model's accounts and counts. */
static bool
matches_model(const AccountSet *set, const Model *m)
{
	uint64		accounts = 0,
				hit_accounts = 0;
	bool		ok = true;

	for (size_t k = 0; k < m->n; k++)
	{
		AccountEntry *e = account_table_lookup_hash(set->table, k, test_hash(k));

		if (m->rows[k] == 0)
		{
			ok &= CHECK(e == NULL);
			continue;
		}
		accounts++;
		hit_accounts += m->hits[k] > 0;
		if (!CHECK(e != NULL))
			return false;
		ok &= CHECK_UINT(e->rows, m->rows[k]);
		ok &= CHECK_UINT(e->hit_rows, m->hits[k]);
		if (!ok)
			return false;
	}
	ok &= CHECK_UINT(accounts_count(set), accounts);
	ok &= CHECK_UINT(set->hit_accounts, hit_accounts);
	return ok;
}

static AccountStep
add_row(AccountSet *set, Model *m, uint64 key, bool hit)
{
	AccountStep step = accounts_add(set, key, test_hash(key), 1, hit ? 1 : 0);

	if (step == ACCOUNT_OK)
	{
		m->rows[key]++;
		m->hits[key] += hit;
	}
	return step;
}

TEST_CASE(account_set_growth_and_removal)
{
	const size_t n = 200000;
	uint64		calls = 0;
	AccountKeyOps ops = {equal_u64, NULL, &calls};
	AccountSet	set;
	Model		m = model_new(n);
	Prng		rng = {42};
	uint64	   *rows_added = malloc(3 * n * sizeof(uint64));
	size_t		nrows = 0;
	bool		ok = true;

	accounts_init(&set, &ops, 0);
	CHECK_UINT(accounts_count(&set), 0);
	/* Grows from its smallest size through 18 doublings. */
	for (size_t i = 0; i < 3 * n && ok; i++)
	{
		uint64		key = prng_next(&rng) % n;
		bool		hit = prng_next(&rng) % 5 == 0;

		ok &= CHECK(add_row(&set, &m, key, hit) == ACCOUNT_OK);
		rows_added[nrows++] = key << 1 | hit;
		if ((i & (i - 1)) == 0)
			ok &= matches_model(&set, &m);
	}
	ok &= matches_model(&set, &m);
	CHECK(set.table->size >= accounts_count(&set));

	/* Removing every row, in another order, leaves the empty set. */
	for (size_t i = nrows; i > 1; i--)
	{
		size_t		j = prng_next(&rng) % i;
		uint64		t = rows_added[i - 1];

		rows_added[i - 1] = rows_added[j];
		rows_added[j] = t;
	}
	for (size_t i = 0; i < nrows && ok; i++)
	{
		uint64		key = rows_added[i] >> 1;
		bool		hit = rows_added[i] & 1;

		ok &= CHECK(accounts_remove(&set, key, test_hash(key), hit) == ACCOUNT_OK);
		m.rows[key]--;
		m.hits[key] -= hit;
		if (i % 50000 == 0)
			ok &= matches_model(&set, &m);
	}
	ok &= matches_model(&set, &m);
	CHECK_UINT(accounts_count(&set), 0);
	CHECK_UINT(set.hit_accounts, 0);
	{
		double		rate;

		CHECK(!accounts_rate(&set, &rate));
	}
	free(rows_added);
	model_free(&m);
	account_table_destroy(set.table);
}

TEST_CASE(account_set_collisions)
{
	const size_t n = 20000;
	uint64		calls = 0;
	AccountKeyOps ops = {equal_u64, NULL, &calls};
	AccountSet	set;
	Model		m = model_new(n);
	Prng		rng = {7};

	test_hash = poor_hash;
	accounts_init(&set, &ops, 16);
	for (size_t i = 0; i < 4 * n; i++)
	{
		uint64		key = prng_next(&rng) % n;

		if (!CHECK(add_row(&set, &m, key, key % 3 == 0) == ACCOUNT_OK))
			break;
	}
	matches_model(&set, &m);
	/* Equal stored hashes make the key type's equality decide. */
	CHECK(calls > 4 * n);
	test_hash = mix_hash;
	model_free(&m);
	account_table_destroy(set.table);
}

TEST_CASE(account_set_remove_refusals)
{
	uint64		calls = 0;
	AccountKeyOps ops = {equal_u64, NULL, &calls};
	AccountSet	set;
	double		rate;

	accounts_init(&set, &ops, 0);
	CHECK(accounts_remove(&set, 5, test_hash(5), false) == ACCOUNT_NOT_HELD);
	CHECK(accounts_add(&set, 5, test_hash(5), 1, 0) == ACCOUNT_OK);
	/* A non-hit row cannot be removed as a hit, nor the reverse. */
	CHECK(accounts_remove(&set, 5, test_hash(5), true) == ACCOUNT_NOT_HELD);
	CHECK(accounts_add(&set, 6, test_hash(6), 1, 1) == ACCOUNT_OK);
	CHECK(accounts_remove(&set, 6, test_hash(6), false) == ACCOUNT_NOT_HELD);
	CHECK(accounts_rate(&set, &rate));
	CHECK_DOUBLE(rate, 0.5);
	CHECK(accounts_remove(&set, 6, test_hash(6), true) == ACCOUNT_OK);
	CHECK(accounts_rate(&set, &rate));
	CHECK_DOUBLE(rate, 0.0);
	CHECK_UINT(accounts_count(&set), 1);
	account_table_destroy(set.table);
}

TEST_CASE(account_set_count_overflow)
{
	uint64		calls = 0;
	AccountKeyOps ops = {equal_u64, NULL, &calls};
	AccountSet	set;
	AccountEntry *e;

	accounts_init(&set, &ops, 0);
	CHECK(accounts_add(&set, 1, test_hash(1), UINT32_MAX - 1, 3) == ACCOUNT_OK);
	CHECK(accounts_add(&set, 1, test_hash(1), 1, 1) == ACCOUNT_OK);
	CHECK(accounts_add(&set, 1, test_hash(1), 1, 0) == ACCOUNT_COUNT_OVERFLOW);
	e = account_table_lookup_hash(set.table, 1, test_hash(1));
	if (CHECK(e != NULL))
	{
		/* The refused row changed nothing. */
		CHECK_UINT(e->rows, UINT32_MAX);
		CHECK_UINT(e->hit_rows, 4);
	}
	account_table_destroy(set.table);
}

TEST_CASE(account_set_merge)
{
	const size_t n = 30000;
	uint64		calls = 0;
	AccountKeyOps ops = {equal_u64, NULL, &calls};
	AccountSet	a,
				b,
				empty;
	Model		ma = model_new(n),
				mb = model_new(n),
				both = model_new(n);
	Prng		rng = {99};

	accounts_init(&a, &ops, 0);
	accounts_init(&b, &ops, 0);
	accounts_init(&empty, &ops, 0);
	/* a holds keys below 2n/3, b keys above n/3: a third is shared. */
	for (size_t i = 0; i < 2 * n; i++)
	{
		uint64		ka = prng_next(&rng) % (2 * n / 3);
		uint64		kb = n / 3 + prng_next(&rng) % (n - n / 3);
		bool		ha = prng_next(&rng) % 7 == 0;
		bool		hb = prng_next(&rng) % 11 == 0;

		add_row(&a, &ma, ka, ha);
		add_row(&b, &mb, kb, hb);
		both.rows[ka]++;
		both.hits[ka] += ha;
		both.rows[kb]++;
		both.hits[kb] += hb;
	}
	CHECK(accounts_merge(&a, &empty) == ACCOUNT_OK);
	matches_model(&a, &ma);
	CHECK(accounts_merge(&a, &b) == ACCOUNT_OK);
	matches_model(&a, &both);
	/* b is unchanged; merging into an empty set copies it. */
	matches_model(&b, &mb);
	CHECK(accounts_merge(&empty, &b) == ACCOUNT_OK);
	matches_model(&empty, &mb);
	model_free(&ma);
	model_free(&mb);
	model_free(&both);
	account_table_destroy(a.table);
	account_table_destroy(b.table);
	account_table_destroy(empty.table);
}

/* ---------- by-reference keys: strings ---------- */

typedef struct StringKeys
{
	char	  **copies;
	size_t		ncopies;
} StringKeys;

static bool
equal_string(uint64 a, uint64 b, void *arg)
{
	return strcmp((const char *) (uintptr_t) a, (const char *) (uintptr_t) b) == 0;
}

static uint64
copy_string(uint64 key, void *arg)
{
	StringKeys *keys = arg;
	char	   *copy = strdup((const char *) (uintptr_t) key);

	keys->copies = realloc(keys->copies, (keys->ncopies + 1) * sizeof(char *));
	keys->copies[keys->ncopies++] = copy;
	return (uint64) (uintptr_t) copy;
}

static uint32
string_hash(const char *s)
{
	uint32		h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char) *s) * 16777619u;
	return h;
}

TEST_CASE(account_set_reference_keys)
{
	StringKeys	keys = {NULL, 0};
	AccountKeyOps ops = {equal_string, copy_string, &keys};
	AccountSet	a,
				b;
	char		buf[32];
	double		rate;

	accounts_init(&a, &ops, 0);
	accounts_init(&b, &ops, 0);
	/* Keys come from one reused buffer, as rows do: the set must copy them. */
	for (int i = 0; i < 3000; i++)
	{
		snprintf(buf, sizeof(buf), "account-%d", i % 1000);
		CHECK(accounts_add(&a, (uint64) (uintptr_t) buf, string_hash(buf), 1, i < 500) == ACCOUNT_OK);
		snprintf(buf, sizeof(buf), "account-%d", 500 + i % 1000);
		CHECK(accounts_add(&b, (uint64) (uintptr_t) buf, string_hash(buf), 1, 0) == ACCOUNT_OK);
		memset(buf, 'x', sizeof(buf) - 1);
		buf[sizeof(buf) - 1] = '\0';
	}
	/* One copy per distinct key, not per row. */
	CHECK_UINT(keys.ncopies, 2000);
	CHECK_UINT(accounts_count(&a), 1000);
	CHECK_UINT(a.hit_accounts, 500);
	/* The merge copies only b's keys that a lacks. */
	CHECK(accounts_merge(&a, &b) == ACCOUNT_OK);
	CHECK_UINT(keys.ncopies, 2500);
	CHECK_UINT(accounts_count(&a), 1500);
	CHECK(accounts_rate(&a, &rate));
	CHECK_DOUBLE(rate, 500.0 / 1500.0);
	snprintf(buf, sizeof(buf), "account-%d", 1499);
	{
		AccountEntry *e = account_table_lookup_hash(a.table, (uint64) (uintptr_t) buf,
													string_hash(buf));

		if (CHECK(e != NULL))
		{
			CHECK_UINT(e->rows, 3);
			CHECK(e->key != (uint64) (uintptr_t) buf);
		}
	}
	for (size_t i = 0; i < keys.ncopies; i++)
		free(keys.copies[i]);
	free(keys.copies);
	account_table_destroy(a.table);
	account_table_destroy(b.table);
}
