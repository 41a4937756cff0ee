/* decode.c — consistency check of the areas' opcode maps (see decode.h). */
#include <stdio.h>
#include "cpu/decode.h"
#include "base/log.h"

static int sub_count(int type)
{
    switch (type) {
    case X86_ENTRY_PREFIX: return 4;
    case X86_ENTRY_MODRM_MOD: return 2;
    default: return 8;
    }
}

static void check(const X86OpEntry **cand, int n, const char *where)
{
    const X86OpEntry *live[4];
    int m = 0;
    for (int i = 0; i < n; i++)
        if (cand[i] && !x86_entry_empty(cand[i]))
            live[m++] = cand[i];
    if (!m)
        return;
    if (live[0]->type == X86_ENTRY_OP || live[0]->type == X86_ENTRY_X87) {
        if (m > 1)
            panic("decoder: opcode %s is defined by two areas (%s and %s)", where,
                  live[0]->name ? live[0]->name : "?", live[1]->name ? live[1]->name : "?");
        return;
    }
    for (int i = 1; i < m; i++)
        if (live[i]->type != live[0]->type)
            panic("decoder: opcode %s has rows of different kinds in two areas", where);
    for (int k = 0; k < sub_count(live[0]->type); k++) {
        const X86OpEntry *sub[4];
        char w[64];
        for (int i = 0; i < m; i++)
            sub[i] = &live[i]->sub[k];
        snprintf(w, sizeof(w), "%s/%d", where, k);
        check(sub, m, w);
    }
}

void x86_decode_selfcheck(void)
{
    for (int b = 0; b < 256; b++) {
        const X86OpEntry *one[3] = { &x86_optab_int_1[b], &x86_optab_sys_1[b], &x86_optab_x87_1[b] };
        const X86OpEntry *two[3] = { &x86_optab_int_0f[b], &x86_optab_sys_0f[b], &x86_optab_sse_0f[b] };
        char w[16];
        snprintf(w, sizeof(w), "%02x", b);
        check(one, 3, w);
        snprintf(w, sizeof(w), "0f %02x", b);
        check(two, 3, w);
    }
}
