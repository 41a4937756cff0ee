/* compiler.h — small portable helpers used everywhere.
 *
 * Nothing here has state; include it instead of redefining MIN/MAX/ARRAY_SIZE.
 * All supported hosts (x86-64, aarch64, riscv64) are 64-bit little-endian, and
 * code may rely on that (guest registers alias their low halves).
 */
#ifndef EMU_BASE_COMPILER_H
#define EMU_BASE_COMPILER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#if !defined(__LITTLE_ENDIAN__) && !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
#error "emu needs a little-endian host"
#endif
_Static_assert(sizeof(void *) == 8, "emu needs a 64-bit host");

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define NORETURN __attribute__((noreturn))
#define PRINTF_FMT(a, b) __attribute__((format(printf, a, b)))
#define UNUSED __attribute__((unused))
#define ALIGNED(n) __attribute__((aligned(n)))
/* Return address of the current function: helpers called from generated code
 * pass it to the unwinder so a fault restores the exact guest instruction. */
#define GETPC() ((uintptr_t)__builtin_return_address(0))

/* Extract/deposit bit fields, as in the manuals' "bits hi:lo" notation. */
static inline uint32_t bits32(uint32_t v, int hi, int lo)
{
    return (v >> lo) & (uint32_t)((1ull << (hi - lo + 1)) - 1);
}

/* Unaligned little-endian loads and stores on host memory. */
static inline uint16_t ld16(const void *p) { uint16_t v; __builtin_memcpy(&v, p, 2); return v; }
static inline uint32_t ld32(const void *p) { uint32_t v; __builtin_memcpy(&v, p, 4); return v; }
static inline uint64_t ld64(const void *p) { uint64_t v; __builtin_memcpy(&v, p, 8); return v; }
static inline void st16(void *p, uint16_t v) { __builtin_memcpy(p, &v, 2); }
static inline void st32(void *p, uint32_t v) { __builtin_memcpy(p, &v, 4); }
static inline void st64(void *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }

#endif
