/* helpers.c — the table of helpers translated code may call (see helpers.h). */
#include "cpu/helpers.h"

#define HA_void IR_ARG_VOID
#define HA_i32 IR_ARG_I32
#define HA_i64 IR_ARG_I64
#define HA_ptr IR_ARG_PTR

const IrHelper ir_helpers[] = {
#define DEF_HELPER_0(n, fl, r) { #n, (void *)helper_##n, fl, HA_##r, 1, { IR_ARG_PTR } },
#define DEF_HELPER_1(n, fl, r, a) { #n, (void *)helper_##n, fl, HA_##r, 2, { IR_ARG_PTR, HA_##a } },
#define DEF_HELPER_2(n, fl, r, a, b) \
    { #n, (void *)helper_##n, fl, HA_##r, 3, { IR_ARG_PTR, HA_##a, HA_##b } },
#define DEF_HELPER_3(n, fl, r, a, b, c) \
    { #n, (void *)helper_##n, fl, HA_##r, 4, { IR_ARG_PTR, HA_##a, HA_##b, HA_##c } },
#define DEF_HELPER_4(n, fl, r, a, b, c, d) \
    { #n, (void *)helper_##n, fl, HA_##r, 5, { IR_ARG_PTR, HA_##a, HA_##b, HA_##c, HA_##d } },
#define DEF_HELPER_5(n, fl, r, a, b, c, d, e) \
    { #n, (void *)helper_##n, fl, HA_##r, 6, \
      { IR_ARG_PTR, HA_##a, HA_##b, HA_##c, HA_##d, HA_##e } },
#include "cpu/helpers_all.def"
};

const int ir_nb_helpers = HELPER_COUNT;
_Static_assert(sizeof(ir_helpers) / sizeof(ir_helpers[0]) == HELPER_COUNT, "helper table");
