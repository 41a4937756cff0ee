/* testlib.c — helpers shared by the suites (see testlib.h). */
#include <stdio.h>
#include <stdlib.h>
#include "unit/testlib.h"

const char *test_top_path(const char *rel)
{
    static char buf[4096];
    const char *top = getenv("EMU_TOP");
    snprintf(buf, sizeof(buf), "%s/%s", top ? top : ".", rel);
    return buf;
}

const char *test_build_path(const char *rel)
{
    static char buf[4096];
    const char *dir = getenv("EMU_BUILD");
    snprintf(buf, sizeof(buf), "%s/%s", dir ? dir : "build", rel);
    return buf;
}
