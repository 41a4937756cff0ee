/* helpers_gen.h — gen_helper_xxx() wrappers, one per DEF_HELPER (see
 * helpers.h). Included by translate.h after DisasContext is complete. */
#ifndef EMU_CPU_HELPERS_GEN_H
#define EMU_CPU_HELPERS_GEN_H

#define HRP_void
#define HRP_i32 , IrTemp ret
#define HRP_i64 , IrTemp ret
#define HRP_ptr , IrTemp ret
#define HRV_void 0
#define HRV_i32 ret
#define HRV_i64 ret
#define HRV_ptr ret

#define DEF_HELPER_0(n, fl, r) \
    static inline void gen_helper_##n(DisasContext *s HRP_##r) \
    { IrTemp v[] = { IR_TEMP_ENV }; ir_call(s->f, HELPER_##n, HRV_##r, 1, v); }
#define DEF_HELPER_1(n, fl, r, a) \
    static inline void gen_helper_##n(DisasContext *s HRP_##r, IrTemp a1) \
    { IrTemp v[] = { IR_TEMP_ENV, a1 }; ir_call(s->f, HELPER_##n, HRV_##r, 2, v); }
#define DEF_HELPER_2(n, fl, r, a, b) \
    static inline void gen_helper_##n(DisasContext *s HRP_##r, IrTemp a1, IrTemp a2) \
    { IrTemp v[] = { IR_TEMP_ENV, a1, a2 }; ir_call(s->f, HELPER_##n, HRV_##r, 3, v); }
#define DEF_HELPER_3(n, fl, r, a, b, c) \
    static inline void gen_helper_##n(DisasContext *s HRP_##r, IrTemp a1, IrTemp a2, IrTemp a3) \
    { IrTemp v[] = { IR_TEMP_ENV, a1, a2, a3 }; ir_call(s->f, HELPER_##n, HRV_##r, 4, v); }
#define DEF_HELPER_4(n, fl, r, a, b, c, d) \
    static inline void gen_helper_##n(DisasContext *s HRP_##r, IrTemp a1, IrTemp a2, \
                                      IrTemp a3, IrTemp a4) \
    { IrTemp v[] = { IR_TEMP_ENV, a1, a2, a3, a4 }; ir_call(s->f, HELPER_##n, HRV_##r, 5, v); }
#define DEF_HELPER_5(n, fl, r, a, b, c, d, e) \
    static inline void gen_helper_##n(DisasContext *s HRP_##r, IrTemp a1, IrTemp a2, \
                                      IrTemp a3, IrTemp a4, IrTemp a5) \
    { IrTemp v[] = { IR_TEMP_ENV, a1, a2, a3, a4, a5 }; \
      ir_call(s->f, HELPER_##n, HRV_##r, 6, v); }
#include "cpu/helpers_all.def"
#undef DEF_HELPER_0
#undef DEF_HELPER_1
#undef DEF_HELPER_2
#undef DEF_HELPER_3
#undef DEF_HELPER_4
#undef DEF_HELPER_5

#endif
