/*
 * tests.h: included by every test file: the harness, the helpers and the
 * declarations of all test cases.
 */
#ifndef B2BKPI_TESTS_H
#define B2BKPI_TESTS_H

#include "harness.h"
#include "test_util.h"

#define TEST(name) void test_##name(void);
#include "test_list.h"
#undef TEST

/* Defines a test case; it must also be listed in test_list.h. */
#define TEST_CASE(name) void test_##name(void)

#endif
