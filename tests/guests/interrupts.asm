; interrupts.asm — external interrupts: 8259A PIC initialisation (ICW1-4,
; IMR, IRR/ISR through OCW3, EOI), 8254 PIT channel 0 in mode 2 (latch and
; read-back commands, rate checked against the RTC's seconds), sti/hlt wakeup,
; IF, the one-instruction interrupt shadow after sti, the single-step shadow
; after mov ss (SDM vol. 3 6.8.3), edge requests latched in IRR while masked.
%include "rom.inc"

PIT_HZ          equ 1193182
PIT_DIV         equ 11932       ; 100.0 Hz
ticks           equ 0x600
flag            equ 0x604
flag_at_irq     equ 0x608
isr_in          equ 0x60C       ; ISR as read inside the IRQ0 handler
db_n            equ 0x610
db_log          equ 0x620       ; EIPs pushed by single-step #DB (8 dwords)
rtc_ticks       equ 0x640

        bits    16
main:
        ENTER_PM
        call    idt_init
        mov     eax, 0x20
        mov     ebx, irq0
        mov     ecx, SEL_CODE0
        mov     edx, 0x8E
        call    set_gate
        mov     eax, 1
        mov     ebx, db_handler
        call    set_gate
        ; A local APIC comes out of reset software-disabled with LINT0 masked,
        ; so the PIC's INTR would not reach the core: set up virtual wire mode
        ; as a BIOS does (SDM vol. 3 10.4.7, 10.5.1; MP spec 3.6.2.2):
        ; SVR enable, LINT0 = ExtINT, LINT1 = NMI.
        mov     eax, 1
        cpuid
        test    edx, 1 << 9
        jz      .noapic
        mov     ecx, 0x1B                               ; IA32_APIC_BASE
        rdmsr
        and     eax, 0xFFFFF000
        mov     dword [eax + 0xF0], 0x1FF               ; SVR: enable, vector 0xFF
        mov     dword [eax + 0x350], 0x700              ; LVT LINT0: ExtINT
        mov     dword [eax + 0x360], 0x400              ; LVT LINT1: NMI
.noapic:

; -- 8259A: ICW1 edge/cascade/ICW4, ICW2 vector base, ICW3 wiring, ICW4 8086 --
        mov     al, 0x11
        out     0x20, al
        out     0xA0, al
        mov     al, 0x20
        out     0x21, al
        mov     al, 0x28
        out     0xA1, al
        mov     al, 0x04
        out     0x21, al
        mov     al, 0x02
        out     0xA1, al
        mov     al, 0x01
        out     0x21, al
        out     0xA1, al
        mov     al, 0xFF
        out     0xA1, al
        mov     al, 0xFE                                ; IRQ0 only
        out     0x21, al
        in      al, 0x21
        movzx   eax, al
        EXPECT  eax, 0xFE, "PIC: IMR reads back"
        in      al, 0xA1
        movzx   eax, al
        EXPECT  eax, 0xFF, "PIC: slave IMR reads back"

; -- 8254 channel 0: mode 2, lo/hi byte, binary --
        mov     al, 0x34
        out     0x43, al
        mov     al, PIT_DIV & 0xFF
        out     0x40, al
        mov     al, PIT_DIV >> 8
        out     0x40, al
        mov     al, 0xE2                                ; read-back: status of counter 0
        out     0x43, al
        in      al, 0x40
        and     eax, 0x3F
        EXPECT  eax, 0x34, "PIT read-back status: lo/hi access, mode 2, binary"
        call    pit_latch
        mov     ebx, eax
        mov     ecx, 2000
.spin:  loop    .spin
        call    pit_latch
        cmp     ebx, PIT_DIV
        CHECK   be, "PIT: latched count is at most the divisor"
        cmp     eax, ebx
        CHECK   ne, "PIT: the count moves"

; -- sti/hlt --
        sti
        pushfd
        pop     eax
        and     eax, 0x200
        EXPECT  eax, 0x200, "sti sets IF"
        mov     ebx, [ticks]
        hlt
        hlt
        hlt
        hlt
        hlt
        mov     eax, [ticks]
        sub     eax, ebx
        EXPECT  eax, 5, "five hlt wake up on five timer interrupts"
        EXPECT  [isr_in], 1, "ISR bit 0 set while the handler runs"
        mov     al, 0x0B
        out     0x20, al
        in      al, 0x20
        movzx   eax, al
        EXPECT  eax, 0, "ISR clear after EOI"
        mov     ebx, [ticks]
        mov     ecx, 0x7FFFFFFF
.busy:  mov     eax, [ticks]
        sub     eax, ebx
        cmp     eax, 5
        jae     .bdone
        dec     ecx
        jnz     .busy
.bdone: EXPECT  eax, 5, "a busy loop with IF=1 sees timer interrupts"

        call    rtc_second
        mov     ebx, [ticks]
        call    rtc_second
        mov     eax, [ticks]
        sub     eax, ebx
        mov     [rtc_ticks], eax
        cmp     eax, 95
        CHECK   ae, "PIT at 100 Hz: at least 95 ticks per RTC second"
        cmp     eax, 105
        CHECK   be, "PIT at 100 Hz: at most 105 ticks per RTC second"
        mov     esi, s_ticks
        call    puts32
        mov     eax, [rtc_ticks]
        call    putdec32
        mov     al, 10
        call    putc32

; -- IF=0: requests wait in IRR, several edges make one interrupt --
        cli
        pushfd
        pop     eax
        and     eax, 0x200
        EXPECT  eax, 0, "cli clears IF"
        call    wait_irr
        call    pit_wrap
        call    pit_wrap
        mov     al, 0x0A
        out     0x20, al
        in      al, 0x20
        and     eax, 1
        EXPECT  eax, 1, "IRQ0 latched in IRR while IF=0"
        mov     ebx, [ticks]
        sti
        nop
        cli
        mov     eax, [ticks]
        sub     eax, ebx
        EXPECT  eax, 1, "two periods with IF=0 deliver one interrupt"

; -- the interrupt shadow of sti --
        call    wait_irr
        mov     dword [flag], 0
        sti
        mov     dword [flag], 1
        mov     dword [flag], 2
        cli
        EXPECT  [flag_at_irq], 1, "sti: interrupt taken after exactly one more instruction"

; -- IMR masks, IRR keeps the request --
        mov     al, 0xFF
        out     0x21, al
        sti
        call    wait_irr
        mov     ebx, [ticks]
        call    pit_wrap
        mov     eax, [ticks]
        sub     eax, ebx
        EXPECT  eax, 0, "masked in IMR: no interrupt with IF=1"
        mov     al, 0xFE
        out     0x21, al
        mov     ecx, 1000                               ; INTR rises after the out completes
.unm:   loop    .unm
        mov     eax, [ticks]
        sub     eax, ebx
        EXPECT  eax, 1, "unmasking delivers the latched request once"
        cli

; -- single-step is held off for one instruction after mov ss --
        mov     dword [db_n], 0
        pushfd
        or      dword [esp], 0x100
        popfd
.a1:    nop
.a2:    mov     ax, ss
.a3:    mov     ss, ax
.a4:    nop
.a5:    nop
.a6:    EXPECT  [db_n], 4, "single-step: four #DB (none after mov ss)"
        EXPECT  [db_log + 0], .a2, "first trap after the instruction following popf"
        EXPECT  [db_log + 4], .a3, "trap after mov ax, ss"
        EXPECT  [db_log + 8], .a5, "mov ss: no trap until after the next instruction"
        EXPECT  [db_log + 12], .a6, "trap after the last nop"
        mov     eax, dr6
        and     eax, 0x4000
        EXPECT  eax, 0x4000, "DR6.BS set by single-step"
        jmp     done32

; pit_latch: eax = channel 0 count (counter latch command)
pit_latch:
        mov     al, 0x00
        out     0x43, al
        in      al, 0x40
        mov     ah, al
        in      al, 0x40
        xchg    al, ah
        movzx   eax, ax
        ret

; pit_wrap: wait until channel 0 reloads once (the count goes up)
pit_wrap:
        push    ebx
        call    pit_latch
.l:     mov     ebx, eax
        call    pit_latch
        cmp     eax, ebx
        jbe     .l
        pop     ebx
        ret

; wait_irr: poll until IRQ0 is pending in IRR
wait_irr:
        mov     al, 0x0A
        out     0x20, al
.l:     in      al, 0x20
        test    al, 1
        jz      .l
        ret

; rtc_second: wait (hlt, IF=1) until the RTC seconds register changes
rtc_second:
        push    ebx
        call    rtc_sec
        mov     bl, al
.l:     hlt
        call    rtc_sec
        cmp     al, bl
        je      .l
        pop     ebx
        ret

rtc_sec:
        mov     al, 0x8A                                ; register A, NMI off
        out     0x70, al
        in      al, 0x71
        test    al, 0x80                                ; update in progress
        jnz     rtc_sec
        mov     al, 0x80
        out     0x70, al
        in      al, 0x71
        ret

irq0:   push    eax
        inc     dword [ticks]
        mov     eax, [flag]
        mov     [flag_at_irq], eax
        mov     al, 0x0B                                ; OCW3: read ISR
        out     0x20, al
        in      al, 0x20
        movzx   eax, al
        mov     [isr_in], eax
        mov     al, 0x20                                ; non-specific EOI
        out     0x20, al
        pop     eax
        iretd

db_handler:
        push    eax
        push    ebx
        mov     eax, [esp + 8]
        mov     ebx, [db_n]
        cmp     ebx, 8
        jae     .r
        mov     [db_log + ebx * 4], eax
        inc     dword [db_n]
.r:     cmp     eax, main.a6
        jne     .x
        and     dword [esp + 16], ~0x100
.x:     pop     ebx
        pop     eax
        iretd

s_ticks: db     "# timer ticks in one RTC second: ", 0

        ROM_END
