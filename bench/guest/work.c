/* work.c — CoreMark-like workloads of the benchmark (see work.h): linked-list
 * search and merge sort, integer matrix multiply, a state machine scanning
 * text, CRC16, memory copies, and the loop of system calls. */
#include "work.h"

#define NODES 200
#define MAT 24
#define COPY_BYTES 65536

uint32_t mix(uint32_t h, uint32_t v)
{
    h ^= v;
    h *= 0x01000193u;
    return h ^ (h >> 15);
}

/* CRC-16/CCITT, bit by bit (polynomial 0x1021). */
uint32_t crc16_update(uint32_t crc, uint32_t byte)
{
    crc ^= (byte & 0xff) << 8;
    for (int i = 0; i < 8; i++)
        crc = (crc & 0x8000) ? ((crc << 1) ^ 0x1021) : (crc << 1);
    return crc & 0xffff;
}

static uint32_t lcg(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

/* -- Linked list: fill, find, merge sort by value, then by index -- */

typedef struct Node {
    struct Node *next;
    uint32_t idx, val;
} Node;

static Node nodes[NODES];

static Node *merge(Node *a, Node *b, int by_val)
{
    Node head, *t = &head;

    while (a && b) {
        uint32_t ka = by_val ? a->val : a->idx, kb = by_val ? b->val : b->idx;
        if (ka <= kb) {
            t->next = a;
            a = a->next;
        } else {
            t->next = b;
            b = b->next;
        }
        t = t->next;
    }
    t->next = a ? a : b;
    return head.next;
}

static Node *list_sort(Node *list, int by_val)
{
    Node *slow = list, *fast, *back;

    if (!list || !list->next)
        return list;
    for (fast = list->next; fast && fast->next; fast = fast->next->next)
        slow = slow->next;
    back = slow->next;
    slow->next = 0;
    return merge(list_sort(list, by_val), list_sort(back, by_val), by_val);
}

static uint32_t list_find(Node *list, uint32_t val)
{
    uint32_t pos = 0;

    for (; list; list = list->next, pos++)
        if (list->val == val)
            return pos;
    return 0xffffffffu;
}

static uint32_t work_list(uint32_t iters)
{
    uint32_t h = 0, seed = 1;

    for (uint32_t it = 0; it < iters; it++) {
        Node *list = 0;
        for (int i = NODES - 1; i >= 0; i--) {
            nodes[i].idx = i;
            nodes[i].val = lcg(&seed) & 0xfff;
            nodes[i].next = list;
            list = &nodes[i];
        }
        for (int i = 0; i < 8; i++)
            h = mix(h, list_find(list, nodes[(i * 37 + it) % NODES].val));
        list = list_sort(list, 1);
        for (Node *n = list; n; n = n->next)
            h = crc16_update(h, n->val) ^ (h & 0xffff0000u);
        list = list_sort(list, 0);
        h = mix(h, list->idx + list->next->val);
    }
    return h;
}

/* -- Matrix multiply (32-bit integers) -- */

static uint32_t ma[MAT][MAT], mb[MAT][MAT], mc[MAT][MAT];

static uint32_t work_matrix(uint32_t iters)
{
    uint32_t h = 0, seed = 7;

    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++) {
            ma[i][j] = lcg(&seed) & 0xffff;
            mb[i][j] = lcg(&seed) & 0xffff;
        }
    for (uint32_t it = 0; it < iters; it++) {
        for (int i = 0; i < MAT; i++)
            for (int j = 0; j < MAT; j++) {
                uint32_t s = 0;
                for (int k = 0; k < MAT; k++)
                    s += ma[i][k] * mb[k][j];
                mc[i][j] = s;
            }
        for (int i = 0; i < MAT; i++) {
            h = mix(h, mc[i][(i + it) % MAT]);
            ma[i][it % MAT] ^= mc[i][i] >> 3;
        }
    }
    return h;
}

/* -- State machine: classify the tokens of a text -- */

enum { S_START, S_INT, S_FRAC, S_EXP, S_EXPSIGN, S_EXPNUM, S_WORD, S_BAD, S_COUNT };

static const char text[] =
    "5012 1.5e3 -7 0x12 +3.25 hello 6.02e+23 e5 12.e 3.14159 42 -0.001 "
    "x86 ring3 1e-9 .5 99999 7.0E2 abc123 0 --1 4.5.6 1ee3 8 3e+ 250 ";

static int next_state(int s, char c)
{
    int digit = c >= '0' && c <= '9';

    switch (s) {
    case S_START:
        if (digit || c == '+' || c == '-')
            return S_INT;
        if (c == '.')
            return S_FRAC;
        return (c >= 'a' && c <= 'z') ? S_WORD : S_BAD;
    case S_INT:
        if (digit)
            return S_INT;
        return c == '.' ? S_FRAC : (c == 'e' || c == 'E') ? S_EXP : S_BAD;
    case S_FRAC:
        if (digit)
            return S_FRAC;
        return (c == 'e' || c == 'E') ? S_EXP : S_BAD;
    case S_EXP:
        if (c == '+' || c == '-')
            return S_EXPSIGN;
        return digit ? S_EXPNUM : S_BAD;
    case S_EXPSIGN:
    case S_EXPNUM:
        return digit ? S_EXPNUM : S_BAD;
    case S_WORD:
        return (digit || (c >= 'a' && c <= 'z')) ? S_WORD : S_BAD;
    default:
        return S_BAD;
    }
}

static uint32_t work_state(uint32_t iters)
{
    uint32_t count[S_COUNT] = {0}, h = 0;
    char buf[sizeof(text)];

    memcpy(buf, text, sizeof(text));
    for (uint32_t it = 0; it < iters; it++) {
        int s = S_START;
        for (const char *p = buf; *p; p++) {
            if (*p == ' ') {
                count[s]++;
                s = S_START;
                continue;
            }
            s = next_state(s, *p);
        }
        buf[it % (sizeof(text) - 1)] ^= (it & 1) ? 0x01 : 0x00;   /* vary the input */
        if (buf[it % (sizeof(text) - 1)] == 0)
            buf[it % (sizeof(text) - 1)] = ' ';
    }
    for (int i = 0; i < S_COUNT; i++)
        h = mix(h, count[i]);
    return h;
}

/* -- CRC16 over a buffer -- */

static uint8_t crcbuf[4096];

static uint32_t work_crc(uint32_t iters)
{
    uint32_t crc = 0xffff, seed = 3;

    for (unsigned i = 0; i < sizeof(crcbuf); i++)
        crcbuf[i] = lcg(&seed);
    for (uint32_t it = 0; it < iters; it++) {
        for (unsigned i = 0; i < sizeof(crcbuf); i++)
            crc = crc16_update(crc, crcbuf[i]);
        crcbuf[it % sizeof(crcbuf)] ^= crc;
    }
    return crc;
}

/* -- Memory copies: word loop, memcpy (rep movs in the guest), bytes -- */

static uint32_t src[COPY_BYTES / 4], dst[COPY_BYTES / 4];

static uint32_t work_copy(uint32_t iters)
{
    uint32_t h = 0, seed = 11;

    for (unsigned i = 0; i < COPY_BYTES / 4; i++)
        src[i] = lcg(&seed);
    for (uint32_t it = 0; it < iters; it++) {
        unsigned off = (it * 4) % 64;
        for (unsigned i = 0; i < COPY_BYTES / 4 - 16; i++)
            dst[i] = src[i + off / 4];
        h = mix(h, dst[it % 1000]);
        memcpy(src, dst + 1, COPY_BYTES - 64);
        h = mix(h, src[(it * 7) % 1000]);
        uint8_t *d = (uint8_t *)dst, *s = (uint8_t *)src;
        for (unsigned i = 0; i < 4096; i++)
            d[i + 3] = s[i];
        h = mix(h, dst[500]);
    }
    return h;
}

/* -- System calls -- */

uint32_t sys_compute(uint32_t *state, uint32_t arg)
{
    *state = *state * 33 + arg;
    return *state ^ (*state >> 7);
}

uint32_t work_syscalls(uint32_t iters, SyscallFn sys)
{
    uint32_t h = 0;

    for (uint32_t i = 0; i < iters; i++)
        h = mix(h, sys(1, i));
    return h;
}

const Workload workloads[] = {
    { "list", work_list, 18000 },
    { "matrix", work_matrix, 30000 },
    { "state", work_state, 2000000 },
    { "crc16", work_crc, 5000 },
    { "memcpy", work_copy, 14000 },
};
const int n_workloads = sizeof(workloads) / sizeof(workloads[0]);
