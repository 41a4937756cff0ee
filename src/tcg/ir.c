/* ir.c — building, checking and printing IR functions (see ir.h). */
#include <stdlib.h>
#include <string.h>
#include "tcg/ir.h"
#include "base/log.h"

const IrOpDef ir_op_defs[IR_NB_OPS] = {
#define DEF(name, nout, nin, nconst, flags) { #name, nout, nin, nconst, flags },
#include "tcg/ir.def"
#undef DEF
};

/* -- Conditions ------------------------------------------------------------ */

IrCond ir_cond_invert(IrCond c)
{
    static const uint8_t inv[] = {
        [IR_COND_NEVER] = IR_COND_ALWAYS, [IR_COND_ALWAYS] = IR_COND_NEVER,
        [IR_COND_EQ] = IR_COND_NE, [IR_COND_NE] = IR_COND_EQ,
        [IR_COND_LT] = IR_COND_GE, [IR_COND_GE] = IR_COND_LT,
        [IR_COND_LE] = IR_COND_GT, [IR_COND_GT] = IR_COND_LE,
        [IR_COND_LTU] = IR_COND_GEU, [IR_COND_GEU] = IR_COND_LTU,
        [IR_COND_LEU] = IR_COND_GTU, [IR_COND_GTU] = IR_COND_LEU,
        [IR_COND_TSTEQ] = IR_COND_TSTNE, [IR_COND_TSTNE] = IR_COND_TSTEQ,
    };
    return (IrCond)inv[c];
}

IrCond ir_cond_swap(IrCond c)
{
    switch (c) {
    case IR_COND_LT: return IR_COND_GT;
    case IR_COND_GT: return IR_COND_LT;
    case IR_COND_LE: return IR_COND_GE;
    case IR_COND_GE: return IR_COND_LE;
    case IR_COND_LTU: return IR_COND_GTU;
    case IR_COND_GTU: return IR_COND_LTU;
    case IR_COND_LEU: return IR_COND_GEU;
    case IR_COND_GEU: return IR_COND_LEU;
    default: return c;  /* symmetric */
    }
}

bool ir_cond_eval(IrCond c, IrType t, uint64_t a, uint64_t b)
{
    int64_t sa, sb;
    if (t == IR_I32) {
        a = (uint32_t)a;
        b = (uint32_t)b;
        sa = (int32_t)a;
        sb = (int32_t)b;
    } else {
        sa = (int64_t)a;
        sb = (int64_t)b;
    }
    switch (c) {
    case IR_COND_NEVER: return false;
    case IR_COND_ALWAYS: return true;
    case IR_COND_EQ: return a == b;
    case IR_COND_NE: return a != b;
    case IR_COND_LT: return sa < sb;
    case IR_COND_GE: return sa >= sb;
    case IR_COND_LE: return sa <= sb;
    case IR_COND_GT: return sa > sb;
    case IR_COND_LTU: return a < b;
    case IR_COND_GEU: return a >= b;
    case IR_COND_LEU: return a <= b;
    case IR_COND_GTU: return a > b;
    case IR_COND_TSTEQ: return (a & b) == 0;
    case IR_COND_TSTNE: return (a & b) != 0;
    }
    return false;
}

/* -- Globals and functions ------------------------------------------------- */

void ir_globals_init(IrGlobalSet *set)
{
    memset(set, 0, sizeof(*set));
    set->temps[0] = (IrTempInfo){ .kind = IR_TEMP_GLOBAL, .type = IR_I64, .offset = -1,
                                  .name = "env" };
    set->n = 1;
}

IrTemp ir_global_new(IrGlobalSet *set, IrType type, int32_t offset, const char *name)
{
    if (set->n == IR_MAX_GLOBALS)
        panic("ir: too many globals");
    set->temps[set->n] = (IrTempInfo){ .kind = IR_TEMP_GLOBAL, .type = (uint8_t)type,
                                       .offset = offset, .name = name };
    return (IrTemp)set->n++;
}

IrFunc *ir_func_new(void)
{
    IrFunc *f = calloc(1, sizeof(*f));
    if (!f)
        fatal("out of memory");
    f->ops = calloc(IR_MAX_OPS, sizeof(*f->ops));
    f->temps = calloc(IR_MAX_TEMPS, sizeof(*f->temps));
    if (!f->ops || !f->temps)
        fatal("out of memory");
    return f;
}

void ir_func_free(IrFunc *f)
{
    if (!f)
        return;
    free(f->ops);
    free(f->temps);
    free(f->opt);
    free(f);
}

void ir_func_reset(IrFunc *f, const IrGlobalSet *globals)
{
    memcpy(f->temps, globals->temps, sizeof(globals->temps[0]) * globals->n);
    f->ntemps = f->nglobals = globals->n;
    f->nops = 0;
    f->nlabels = 0;
    f->overflow = false;
}

IrTemp ir_temp_new(IrFunc *f)
{
    if (f->ntemps == IR_MAX_TEMPS) {
        f->overflow = true;
        return (IrTemp)(IR_MAX_TEMPS - 1);  /* keep building; the caller retries shorter */
    }
    f->temps[f->ntemps] = (IrTempInfo){ .kind = IR_TEMP_LOCAL, .type = IR_I64 };
    return (IrTemp)f->ntemps++;
}

IrTemp ir_const(IrFunc *f, uint64_t value)
{
    /* Reuse a recent identical constant: blocks repeat the same few values. */
    for (int i = f->ntemps - 1; i >= f->nglobals && i >= f->ntemps - 32; i--)
        if (f->temps[i].kind == IR_TEMP_CONST && f->temps[i].value == value)
            return (IrTemp)i;
    IrTemp t = ir_temp_new(f);
    if (!f->overflow) {
        f->temps[t].kind = IR_TEMP_CONST;
        f->temps[t].value = value;
    }
    return t;
}

int ir_label_new(IrFunc *f)
{
    if (f->nlabels == IR_MAX_LABELS) {
        f->overflow = true;
        return IR_MAX_LABELS - 1;
    }
    return f->nlabels++;
}

IrOp *ir_emit(IrFunc *f, IrOpcode opc, IrType type)
{
    IrOp *op;
    if (f->nops == IR_MAX_OPS) {
        f->overflow = true;  /* the caller sees it and retries with a shorter block */
        memset(&f->sink, 0, sizeof(f->sink));
        return &f->sink;
    }
    op = &f->ops[f->nops++];
    memset(op, 0, sizeof(*op));
    op->opc = (uint16_t)opc;
    op->type = (uint8_t)type;
    return op;
}

void ir_call(IrFunc *f, int helper, IrTemp ret, int nargs, const IrTemp *args)
{
    const IrHelper *h = &ir_helpers[helper];
    IrOp *op;
    int n = 0;
    if (nargs != h->nargs || (h->ret != IR_ARG_VOID) != (ret != 0))
        panic("ir: call to helper %s with %d args%s", h->name, nargs,
              ret ? " and a result" : "");
    op = ir_emit(f, IR_call, h->ret == IR_ARG_I32 ? IR_I32 : IR_I64);
    op->nout = ret ? 1 : 0;
    op->nin = (uint8_t)nargs;
    if (ret)
        op->args[n++] = ret;
    for (int i = 0; i < nargs; i++)
        op->args[n++] = args[i];
    op->args[n] = (uint32_t)helper;
}

/* -- Verification and dumps ------------------------------------------------ */

void ir_verify(const IrFunc *f)
{
    for (int i = 0; i < f->nops; i++) {
        const IrOp *op = &f->ops[i];
        int nout, nin;
        if (op->opc >= IR_NB_OPS)
            panic("ir: op %d has bad opcode %u", i, op->opc);
        nout = ir_op_nout(op);
        nin = ir_op_nin(op);
        if (nout + nin + ir_op_nconst(op) > IR_MAX_ARGS)
            panic("ir: op %d (%s) has too many arguments", i, ir_op_defs[op->opc].name);
        for (int k = 0; k < nout + nin; k++) {
            if (op->args[k] >= (uint32_t)f->ntemps)
                panic("ir: op %d (%s) uses temp %u of %d", i, ir_op_defs[op->opc].name,
                      op->args[k], f->ntemps);
        }
        for (int k = 0; k < nout; k++) {
            IrTempKind kind = (IrTempKind)f->temps[op->args[k]].kind;
            if (kind == IR_TEMP_CONST || op->args[k] == IR_TEMP_ENV)
                panic("ir: op %d (%s) writes a constant or env", i, ir_op_defs[op->opc].name);
        }
        if (op->opc == IR_set_label || op->opc == IR_br) {
            if (op->args[0] >= (uint32_t)f->nlabels)
                panic("ir: op %d uses undefined label %u", i, op->args[0]);
        }
        if (op->opc == IR_brcond && op->args[3] >= (uint32_t)f->nlabels)
            panic("ir: op %d uses undefined label %u", i, op->args[3]);
        if (op->opc == IR_call && op->args[nout + nin] >= (uint32_t)ir_nb_helpers)
            panic("ir: op %d calls unknown helper %u", i, op->args[nout + nin]);
    }
}

static void dump_temp(const IrFunc *f, IrTemp t, FILE *out)
{
    const IrTempInfo *ti = &f->temps[t];
    switch (ti->kind) {
    case IR_TEMP_GLOBAL: fprintf(out, "%s", ti->name ? ti->name : "?g"); break;
    case IR_TEMP_CONST: fprintf(out, "$0x%llx", (unsigned long long)ti->value); break;
    default: fprintf(out, "t%u", t); break;
    }
}

void ir_dump(const IrFunc *f, FILE *out)
{
    for (int i = 0; i < f->nops; i++) {
        const IrOp *op = &f->ops[i];
        int nout = ir_op_nout(op), nin = ir_op_nin(op), nc = ir_op_nconst(op);
        if (op->opc == IR_insn_start) {
            fprintf(out, " ---- +%u cc_op=%u\n", op->args[0], op->args[1]);
            continue;
        }
        fprintf(out, "  %s%s ", ir_op_defs[op->opc].name, op->type == IR_I32 ? "_i32" : "");
        if (op->opc == IR_call)
            fprintf(out, "%s ", ir_op_helper(op)->name);
        for (int k = 0; k < nout + nin; k++) {
            if (k)
                fputs(", ", out);
            dump_temp(f, op->args[k], out);
        }
        for (int k = 0; k < nc && op->opc != IR_call; k++)
            fprintf(out, "%s#%u", (nout + nin + k) ? ", " : "", op->args[nout + nin + k]);
        fputc('\n', out);
    }
}
