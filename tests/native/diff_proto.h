/* diff_proto.h — what the CPU differential test (tests/unit/test_cpu_diff.c)
 * and its native runner (tests/native/diff_runner.c) agree on: the memory
 * layout both run a sequence in, the data fill, and the pipe protocol.
 *
 * A sequence runs at CPL 3 in 32-bit code at DIFF_CODE_BASE (flat CS) with
 * DS = ES = SS a data segment of base DIFF_DATA_BASE and limit 0xffff (an
 * LDT segment natively), filled from a seed. It ends with HLT, which faults
 * (#GP) at CPL 3, so every run ends in an exception whose saved state is
 * the result: registers, EFLAGS, EIP and the vector.
 *
 * Protocol (host byte order): the test writes DiffReq + code bytes; the
 * runner answers DiffResp + ndiff DiffByte entries (the data bytes that
 * differ from the fill, in address order).
 */
#ifndef EMU_TESTS_NATIVE_DIFF_PROTO_H
#define EMU_TESTS_NATIVE_DIFF_PROTO_H

#include <stdint.h>

#define DIFF_DATA_BASE 0x00200000u
#define DIFF_DATA_SIZE 0x10000u
#define DIFF_CODE_BASE 0x00300000u
#define DIFF_CODE_MAX 4096u
#define DIFF_MAGIC 0x46464944u          /* "DIFF" */

typedef struct DiffReq {
    uint32_t magic;
    uint32_t seed;                      /* data fill */
    uint32_t code_len;                  /* bytes that follow, HLT included */
    uint32_t regs[8];                   /* EAX..EDI (ESP: offset in the data segment) */
    uint32_t eflags;                    /* arithmetic flags and DF */
} DiffReq;

typedef struct DiffResp {
    uint32_t magic;
    int32_t vector;                     /* exception vector (13 for the final HLT) */
    uint32_t error_code;
    uint32_t regs[8];
    uint32_t eip;
    uint32_t eflags;
    uint32_t ndiff;
} DiffResp;

typedef struct DiffByte {
    uint16_t offset;
    uint8_t value;
    uint8_t pad;
} DiffByte;

/* The data segment's initial contents: xorshift32 from the seed. */
static inline void diff_fill(uint8_t *buf, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 0x9e3779b9u;
    for (uint32_t i = 0; i < DIFF_DATA_SIZE; i += 4) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)x;
        buf[i + 1] = (uint8_t)(x >> 8);
        buf[i + 2] = (uint8_t)(x >> 16);
        buf[i + 3] = (uint8_t)(x >> 24);
    }
}

#endif
