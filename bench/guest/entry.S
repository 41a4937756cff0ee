/* entry.S — reset entry, mode switch and low-level glue of the benchmark ROM.
 *
 * The CPU starts at F000:FFF0 (.reset) in real mode. .boot (in ROM) loads a
 * boot GDT, enters 32-bit protected mode with flat segments, copies .image
 * (code and data) from ROM to RAM at 1 MiB, zeroes .bss, sets the stack and
 * calls bench_main() (sys.c). Also here: the exception and int 0x80 entry
 * stubs, and enter_user/leave_user, which run a function at CPL 3 and come
 * back when it makes the exit system call.
 * Invariants: selectors match the GDT in sys.c (0x08/0x10 ring 0, 0x1b/0x23
 * ring 3, 0x28 TSS); interrupts stay disabled throughout. */

        .section .reset, "ax"
        .code16
        .globl  reset
reset:
        ljmp    $0xf000, $start16_off   /* link.ld: start16 - 0xf0000 */
        .balign 16, 0xff

        .section .boot, "ax"
        .code16
        .globl  start16, boot_gdtr
start16:
        cli
        cld
        lgdtl   %cs:boot_gdtr_off
        movl    %cr0, %eax
        orl     $1, %eax
        movl    %eax, %cr0
        ljmpl   $0x08, $start32

        .code32
start32:
        movw    $0x10, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        movw    %ax, %fs
        movw    %ax, %gs
        movl    $image_load, %esi
        movl    $image_start, %edi
        movl    $image_end, %ecx
        subl    %edi, %ecx
        shrl    $2, %ecx
        rep movsl
        movl    $bss_start, %edi
        movl    $bss_end, %ecx
        subl    %edi, %ecx
        shrl    $2, %ecx
        xorl    %eax, %eax
        rep stosl
        movl    $kernel_stack_top, %esp
        call    bench_main
1:      hlt
        jmp     1b

        .balign 8
boot_gdt:
        .quad   0
        .quad   0x00cf9a000000ffff      /* 0x08 code, flat */
        .quad   0x00cf92000000ffff      /* 0x10 data, flat */
boot_gdtr:
        .word   boot_gdtr - boot_gdt - 1
        .long   boot_gdt

/* -- Interrupt entries (in RAM with the rest of the code) -- */
        .text
        .code32

/* Exceptions 0-31: push (error code or 0, vector) and report. */
.macro  EXC n
        .if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17)
        .byte 0x90, 0x90
        .else
        pushl   $0
        .endif
        pushl   $\n
        jmp     exc_common
        .balign 16
.endm
        .balign 16
        .globl  exc_stubs
exc_stubs:
        .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        EXC     \n
        .endr

exc_common:                             /* [esp] vector, error, eip, cs */
        movw    $0x10, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movl    %esp, %eax
        movl    $kernel_stack_top, %esp
        pushl   %eax
        call    exception               /* sys.c, does not return */

/* int 0x80: eax = number, ebx = argument; returns eax. */
        .globl  syscall_entry
syscall_entry:
        pushal
        pushl   %esp
        call    syscall_dispatch        /* sys.c: (struct regs *) */
        addl    $4, %esp
        popal
        iret

/* void enter_user(void (*fn)(void), uint32_t user_esp) */
        .globl  enter_user
enter_user:
        pushl   %ebp
        pushl   %ebx
        pushl   %esi
        pushl   %edi
        movl    %esp, kernel_saved_esp
        movl    20(%esp), %eax
        movl    24(%esp), %ecx
        movw    $0x23, %dx
        movw    %dx, %ds
        movw    %dx, %es
        movw    %dx, %fs
        movw    %dx, %gs
        pushl   $0x23                   /* SS */
        pushl   %ecx                    /* ESP */
        pushl   $0x002                  /* EFLAGS: IF=0, IOPL=0 */
        pushl   $0x1b                   /* CS */
        pushl   %eax                    /* EIP */
        iret

/* void leave_user(void): from the exit system call, back to enter_user's caller */
        .globl  leave_user
leave_user:
        movw    $0x10, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %fs
        movw    %ax, %gs
        movl    kernel_saved_esp, %esp
        popl    %edi
        popl    %esi
        popl    %ebx
        popl    %ebp
        ret

        .bss
        .balign 16
        .globl  kernel_stack_top, ring0_stack_top
        .space  16384
kernel_stack_top:
        .space  8192
ring0_stack_top:
kernel_saved_esp:
        .long   0
