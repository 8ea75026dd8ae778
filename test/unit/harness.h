/*
 * harness.h: a minimal unit-test harness for the pure C core.
 *
 * A test case is a void function; inside it, CHECK_* macros compare a value
 * with its expected value and print one line per failed check (file:line,
 * both expressions and both values).  A check keeps the test case running, so
 * one run shows every wrong value; each macro also yields whether it held,
 * so loops can stop at the first failure instead of printing thousands.
 */
#ifndef B2BKPI_TEST_HARNESS_H
#define B2BKPI_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/count_summary.h"
#include "core/kpi_status.h"

typedef struct TestCase
{
	const char *name;
	void		(*run) (void);
} TestCase;

/* Runs the cases whose name contains any argv[1..] (all when none given). */
int			test_run_all(const TestCase *cases, int ncases, int argc, char **argv);

const char *kpi_status_name(KpiStatus status);
const char *decode_status_name(DecodeStatus status);

bool		test_check(bool ok, const char *expr, const char *file, int line);
bool		test_check_int(int64_t actual, int64_t expected,
						   const char *actual_expr, const char *expected_expr,
						   const char *file, int line);
bool		test_check_uint(uint64_t actual, uint64_t expected,
							const char *actual_expr, const char *expected_expr,
							const char *file, int line);
bool		test_check_int128(__int128 actual, __int128 expected,
							  const char *actual_expr, const char *expected_expr,
							  const char *file, int line);
bool		test_check_double(double actual, double expected,
							  const char *actual_expr, const char *expected_expr,
							  const char *file, int line);
bool		test_check_str(const char *actual, const char *expected,
						   const char *actual_expr, const char *expected_expr,
						   const char *file, int line);
bool		test_check_bytes(const unsigned char *actual,
							 const unsigned char *expected, size_t len,
							 const char *actual_expr, const char *expected_expr,
							 const char *file, int line);
bool		test_check_kpi(KpiStatus actual, KpiStatus expected,
						   const char *actual_expr, const char *file, int line);
bool		test_check_decode(DecodeStatus actual, DecodeStatus expected,
							  const char *actual_expr, const char *file, int line);

#define CHECK(cond) \
	test_check((cond), #cond, __FILE__, __LINE__)
#define CHECK_INT(actual, expected) \
	test_check_int((int64_t) (actual), (int64_t) (expected), \
				   #actual, #expected, __FILE__, __LINE__)
#define CHECK_UINT(actual, expected) \
	test_check_uint((uint64_t) (actual), (uint64_t) (expected), \
					#actual, #expected, __FILE__, __LINE__)
#define CHECK_INT128(actual, expected) \
	test_check_int128((__int128) (actual), (__int128) (expected), \
					  #actual, #expected, __FILE__, __LINE__)
/* Exact equality: the core promises one rounding, so no tolerance. */
#define CHECK_DOUBLE(actual, expected) \
	test_check_double((actual), (expected), #actual, #expected, __FILE__, __LINE__)
#define CHECK_STR(actual, expected) \
	test_check_str((actual), (expected), #actual, #expected, __FILE__, __LINE__)
#define CHECK_BYTES(actual, expected, len) \
	test_check_bytes((actual), (expected), (len), #actual, #expected, \
					 __FILE__, __LINE__)
#define CHECK_KPI(actual, expected) \
	test_check_kpi((actual), (expected), #actual, __FILE__, __LINE__)
#define CHECK_DECODE(actual, expected) \
	test_check_decode((actual), (expected), #actual, __FILE__, __LINE__)

#endif
