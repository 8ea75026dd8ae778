/*
 * test_main.c: runs the unit tests of the pure C core.
 *
 * Usage: unit_tests [substring ...] runs the cases whose names contain any of
 * the substrings, or all of them.  The last line is "N passed, N failed",
 * counting test cases; the exit status is nonzero if any failed.
 */
#include "tests.h"

static const TestCase test_cases[] = {
#define TEST(name) {#name, test_##name},
#include "test_list.h"
#undef TEST
};

int
main(int argc, char **argv)
{
	return test_run_all(test_cases,
						(int) (sizeof(test_cases) / sizeof(test_cases[0])),
						argc, argv);
}
