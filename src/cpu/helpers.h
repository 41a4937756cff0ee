/* helpers.h — C functions that translated code calls.
 *
 * Every helper takes the CpuState as its first argument (implicitly: it is
 * not listed) and is declared once in a helpers_*.def file:
 *
 *     DEF_HELPER_2(outb, IR_HELPER_ALL, void, i32, i32)
 *
 * declares   void helper_outb(CpuState *env, uint32_t, uint32_t);
 * registers  it in ir_helpers[] (name, flags, argument types: helpers.c);
 * and makes  gen_helper_outb(s, a, b) for translators (helpers_gen.h), with
 *            a leading IrTemp `ret` when the helper returns a value.
 * Types: void, i32, i64, ptr. Flags (ir.h): IR_HELPER_ALL unless the helper
 * provably reads/writes no guest registers and cannot raise exceptions.
 * Each area has its own .def file (listed in helpers_all.def) so engineers
 * do not collide.
 */
#ifndef EMU_CPU_HELPERS_H
#define EMU_CPU_HELPERS_H

#include "cpu/state.h"

#define HT_void void
#define HT_i32 uint32_t
#define HT_i64 uint64_t
#define HT_ptr void *

/* Prototypes */
#define DEF_HELPER_0(n, fl, r) HT_##r helper_##n(CpuState *env);
#define DEF_HELPER_1(n, fl, r, a) HT_##r helper_##n(CpuState *env, HT_##a);
#define DEF_HELPER_2(n, fl, r, a, b) HT_##r helper_##n(CpuState *env, HT_##a, HT_##b);
#define DEF_HELPER_3(n, fl, r, a, b, c) HT_##r helper_##n(CpuState *env, HT_##a, HT_##b, HT_##c);
#define DEF_HELPER_4(n, fl, r, a, b, c, d) \
    HT_##r helper_##n(CpuState *env, HT_##a, HT_##b, HT_##c, HT_##d);
#define DEF_HELPER_5(n, fl, r, a, b, c, d, e) \
    HT_##r helper_##n(CpuState *env, HT_##a, HT_##b, HT_##c, HT_##d, HT_##e);
#include "cpu/helpers_all.def"
#undef DEF_HELPER_0
#undef DEF_HELPER_1
#undef DEF_HELPER_2
#undef DEF_HELPER_3
#undef DEF_HELPER_4
#undef DEF_HELPER_5

/* Indexes into ir_helpers[] */
enum {
#define DEF_HELPER_0(n, ...) HELPER_##n,
#define DEF_HELPER_1(n, ...) HELPER_##n,
#define DEF_HELPER_2(n, ...) HELPER_##n,
#define DEF_HELPER_3(n, ...) HELPER_##n,
#define DEF_HELPER_4(n, ...) HELPER_##n,
#define DEF_HELPER_5(n, ...) HELPER_##n,
#include "cpu/helpers_all.def"
#undef DEF_HELPER_0
#undef DEF_HELPER_1
#undef DEF_HELPER_2
#undef DEF_HELPER_3
#undef DEF_HELPER_4
#undef DEF_HELPER_5
    HELPER_COUNT
};

#endif
