/* optab_x87.c — the x87 escapes D8-DF (decode.h) and their dispatch. */
#include "cpu/gen.h"

const X86OpEntry x86_optab_x87_1[256] = {
    [0] = { 0 },
};

void x86_translate_x87(DisasContext *s, X86Insn *d)
{
    gen_illegal(s);
}
