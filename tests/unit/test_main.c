/* test_main.c — the Check runner: every suite registers itself (TEST_SUITE),
 * so a new test file needs no edit here. CK_RUN_SUITE / CK_RUN_CASE select. */
#include <stdlib.h>
#include "unit/testlib.h"

#define MAX_SUITES 128
static SuiteFactory *factories[MAX_SUITES];
static int nfactories;

void test_register_suite(SuiteFactory *factory)
{
    if (nfactories < MAX_SUITES)
        factories[nfactories++] = factory;
}

int main(void)
{
    SRunner *sr = NULL;
    int failed;
    for (int i = 0; i < nfactories; i++) {
        Suite *s = factories[i]();
        if (!sr)
            sr = srunner_create(s);
        else
            srunner_add_suite(sr, s);
    }
    if (!sr)
        return 1;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
