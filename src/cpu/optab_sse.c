/* optab_sse.c — MMX/SSE/SSE2 rows of the 0F opcode map (decode.h). */
#include "cpu/gen.h"

const X86OpEntry x86_optab_sse_0f[256] = {
    [0] = { 0 },
};
