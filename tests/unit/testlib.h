/* testlib.h — shared helpers for the Check suites.
 *
 * A test file ends with TEST_SUITE(name) { ... build and return a Suite ... }.
 * The suite registers itself before main() runs. Files that need the tree's
 * top directory (built guests, firmware) use test_top_path().
 */
#ifndef EMU_TESTS_TESTLIB_H
#define EMU_TESTS_TESTLIB_H

#include <check.h>

typedef Suite *SuiteFactory(void);
void test_register_suite(SuiteFactory *factory);

#define TEST_SUITE(name)                                                   \
    static Suite *suite_##name(void);                                      \
    __attribute__((constructor)) static void register_##name(void)        \
    {                                                                      \
        test_register_suite(suite_##name);                                 \
    }                                                                      \
    static Suite *suite_##name(void)

/* $EMU_TOP/rel: the source tree (`make check` sets EMU_TOP). Static buffer. */
const char *test_top_path(const char *rel);
/* $EMU_BUILD/rel: the build directory, e.g. test_build_path("emu") for the
 * binary, "tests/guests/x.bin" for built guests. Static buffer. */
const char *test_build_path(const char *rel);

#endif
