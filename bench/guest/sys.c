/* sys.c — the benchmark ROM's kernel: GDT with ring-3 segments and a TSS,
 * IDT (exceptions, int 0x80 at DPL 3), identity paging of the low 16 MiB
 * with 4 KiB pages, output on the debug console (port 0xE9) and the exit
 * through isa-debug-exit (port 0x501: 0 = done, 1 = failure).
 * bench_main runs each workload of work.c at CPL 0, then the system-call
 * loop at CPL 3, and prints the checksums. */
#include "work.h"

#define DEBUGCON 0xe9
#define EXIT_PORT 0x501
#define SEL_TSS 0x28

struct regs {                           /* pushal order */
    uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
};

extern char exc_stubs[], ring0_stack_top[];
extern void syscall_entry(void), enter_user(void (*fn)(void), uint32_t esp);
extern void leave_user(void) __attribute__((noreturn));

static uint64_t gdt[6];
static uint64_t idt[256];
static uint32_t tss[26];
static uint32_t page_dir[1024] __attribute__((aligned(4096)));
static uint32_t page_tab[4][1024] __attribute__((aligned(4096)));
static uint8_t user_stack[16384] __attribute__((aligned(16)));
static uint32_t sys_state, user_result;

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

void *memcpy(void *dst, const void *src, __SIZE_TYPE__ n)
{
    void *d = dst;
    __asm__ volatile("rep movsl; movl %4, %%ecx; rep movsb"
                     : "+D"(d), "+S"(src), "=c"(n)
                     : "2"(n >> 2), "r"(n & 3) : "memory");
    return dst;
}

void *memset(void *dst, int c, __SIZE_TYPE__ n)
{
    uint8_t *d = dst;
    while (n--)
        *d++ = c;
    return dst;
}

static void puts_(const char *s)
{
    while (*s)
        outb(DEBUGCON, *s++);
}

static void puthex(uint32_t v)
{
    puts_("0x");
    for (int i = 28; i >= 0; i -= 4)
        outb(DEBUGCON, "0123456789abcdef"[(v >> i) & 15]);
}

static void exit_(uint8_t code) __attribute__((noreturn));
static void exit_(uint8_t code)
{
    outb(EXIT_PORT, code);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* Called by exc_common with the frame: vector, error code, EIP, CS. */
void exception(uint32_t *frame) __attribute__((noreturn));
void exception(uint32_t *frame)
{
    puts_("bench: exception ");
    puthex(frame[0]);
    puts_(" error ");
    puthex(frame[1]);
    puts_(" at ");
    puthex(frame[3]);
    puts_(":");
    puthex(frame[2]);
    puts_("\nFAIL\n");
    exit_(1);
}

void syscall_dispatch(struct regs *r)
{
    if (r->eax == 0) {
        user_result = r->ebx;
        leave_user();
    }
    r->eax = sys_compute(&sys_state, r->ebx);
}

static uint64_t seg(uint32_t base, uint32_t limit, uint32_t access, uint32_t flags)
{
    uint64_t d = (limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16);
    d |= (uint64_t)access << 40 | (uint64_t)((limit >> 16) & 0xf) << 48;
    d |= (uint64_t)flags << 52 | (uint64_t)(base >> 24) << 56;
    return d;
}

static uint64_t gate(void *fn, uint32_t type_attr)
{
    uint32_t off = (uint32_t)fn;
    return (off & 0xffff) | (uint64_t)0x08 << 16 | (uint64_t)type_attr << 40 |
           (uint64_t)(off >> 16) << 48;
}

static void setup_cpu(void)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr, idtr;

    gdt[1] = seg(0, 0xfffff, 0x9a, 0xc);
    gdt[2] = seg(0, 0xfffff, 0x92, 0xc);
    gdt[3] = seg(0, 0xfffff, 0xfa, 0xc);
    gdt[4] = seg(0, 0xfffff, 0xf2, 0xc);
    gdt[5] = seg((uint32_t)tss, sizeof(tss) * 4 - 1, 0x89, 0);
    tss[1] = (uint32_t)ring0_stack_top;                 /* ESP0 */
    tss[2] = 0x10;                                      /* SS0 */
    tss[25] = sizeof(tss) * 4 << 16;                    /* no I/O bitmap */
    for (int v = 0; v < 32; v++)
        idt[v] = gate(exc_stubs + 16 * v, 0x8e);
    idt[0x80] = gate(syscall_entry, 0xee);
    gdtr.limit = sizeof(gdt) - 1;
    gdtr.base = (uint32_t)gdt;
    idtr.limit = sizeof(idt) - 1;
    idtr.base = (uint32_t)idt;
    __asm__ volatile("lgdt %0; lidt %1" : : "m"(gdtr), "m"(idtr));
    __asm__ volatile("ljmp $0x08, $1f; 1: movw $0x10, %%ax; movw %%ax, %%ds; movw %%ax, %%es;"
                     "movw %%ax, %%ss; movw %%ax, %%fs; movw %%ax, %%gs; ltr %w0"
                     : : "r"(SEL_TSS) : "eax", "memory");

    for (int t = 0; t < 4; t++) {
        for (int i = 0; i < 1024; i++)
            page_tab[t][i] = ((t * 1024 + i) << 12) | 7;  /* present, writable, user */
        page_dir[t] = (uint32_t)page_tab[t] | 7;
    }
    __asm__ volatile("movl %0, %%cr3; movl %%cr0, %%eax; orl $0x80010000, %%eax;"
                     "movl %%eax, %%cr0; jmp 1f; 1:"
                     : : "r"(page_dir) : "eax", "memory");
}

static uint32_t int80(uint32_t nr, uint32_t arg)
{
    uint32_t ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(arg) : "memory");
    return ret;
}

static void user_main(void)
{
    uint32_t h = work_syscalls(SYSCALL_ITERS, int80);
    int80(0, h);
}

static void report(const char *name, uint32_t sum)
{
    puts_("bench: ");
    puts_(name);
    puts_(" ");
    puthex(sum);
    puts_("\n");
}

void bench_main(void)
{
    uint32_t total = 0;

    puts_("bench: start\n");
    setup_cpu();
    for (int i = 0; i < n_workloads; i++) {
        uint32_t s = workloads[i].run(workloads[i].iters);
        report(workloads[i].name, s);
        total = mix(total, s);
    }
    enter_user(user_main, (uint32_t)(user_stack + sizeof(user_stack)));
    report("syscall", user_result);
    total = mix(total, user_result);
    puts_("checksum ");
    puthex(total);
    puts_("\nPASS\n");
    exit_(0);
}
