; pmode.asm — protected mode (Intel SDM vol. 3 ch. 3, 5, 6): GDT, the switch
; to 32-bit code, segment limit and type checks with their error codes,
; expand-down segments, IDT exception delivery (#DE #BP #OF #BR #UD #NP #GP),
; ring 3 through iret and back through gates (TSS SS0:ESP0), a call gate with
; parameters, a conforming code segment, sysenter/sysexit.
%include "rom.inc"

SEL_LIM         equ 0x40        ; data, base 0x100000, limit 0xFFF
SEL_NP          equ 0x48        ; data, not present
SEL_ED32        equ 0x50        ; expand-down, B=1, limit 0xFFF
SEL_ED16        equ 0x58        ; expand-down, B=0, limit 0xFFF, base 0x100000
SEL_CGATE       equ 0x60        ; call gate, DPL 3, 2 parameters -> cg_proc
SEL_CONF        equ 0x68        ; conforming code, DPL 0
UR              equ 0x600       ; results recorded by ring-3 code (dwords)

        bits    16
main:
        ENTER_PM
        call    idt_init
        call    tss_init

; -- The switch to protected mode --
        mov     eax, cr0
        and     eax, 1
        EXPECT  eax, 1, "CR0.PE is set"
        xor     eax, eax
        mov     ax, cs
        EXPECT  eax, SEL_CODE0, "the far jump loaded CS"
        mov     ebx, esp
        push    dword 0x12345678
        mov     ecx, esp
        pop     eax
        sub     ebx, ecx
        EXPECT  ebx, 4, "32-bit code: push moves ESP by 4"
        mov     eax, [0xFFFFFFF0 + 3]                   ; the reset vector's segment
        and     eax, 0xFFFF
        EXPECT  eax, 0xF000, "ROM visible at 4 GiB - 64 KiB"

; -- Segment limits --
        mov     eax, SEL_LIM
        mov     ebx, 0x100000
        mov     ecx, 0xFFF
        mov     edx, 0x492
        call    set_desc
        mov     ax, SEL_LIM
        mov     es, ax
        mov     byte [es:0xFFF], 0x77
        movzx   eax, byte [0x100FFF]
        EXPECT  eax, 0x77, "segment base is added; the last byte is in the limit"
        movzx   eax, byte [GDT + SEL_LIM + 5]
        EXPECT  eax, 0x93, "loading a segment sets its accessed bit"
        EXPECT_FAULT .f1
.g1:    mov     byte [es:0x1000], 0x77
.f1:    EXPECT_Q [exc_vec], 13, "a byte past the limit raises #GP", "no segment limit checks on data accesses"
        EXPECT_Q [exc_err], 0, "#GP(0) for a limit violation", "no segment limit checks on data accesses"
        EXPECT_Q [exc_eip], .g1, "#GP is a fault: EIP of the access", "no segment limit checks on data accesses"
        EXPECT_FAULT .f2
        mov     eax, [es:0xFFD]
.f2:    EXPECT_Q [exc_vec], 13, "a dword straddling the limit raises #GP", "no segment limit checks on data accesses"
        mov     ax, ss
        mov     es, ax

        xor     ax, ax
        mov     es, ax
        EXPECT_FAULT .f3
        mov     eax, [es:0]
.f3:    EXPECT_Q [exc_vec], 13, "an access through a null ES raises #GP", "no null-selector check on data accesses"
        EXPECT_Q [exc_err], 0, "#GP(0) for a null selector", "no null-selector check on data accesses"

        EXPECT_FAULT .f4
        mov     ax, GDT_ENTRIES * 8
        mov     es, ax
.f4:    EXPECT  [exc_vec], 13, "a selector past the GDT limit raises #GP"
        EXPECT  [exc_err], GDT_ENTRIES * 8, "#GP error code is the selector"

        mov     eax, SEL_NP
        mov     ebx, 0
        mov     ecx, 0xFFFFF
        mov     edx, 0xC12                              ; P = 0
        call    set_desc
        EXPECT_FAULT .f5
        mov     ax, SEL_NP
        mov     es, ax
.f5:    EXPECT  [exc_vec], 11, "loading a not-present segment raises #NP"
        EXPECT  [exc_err], SEL_NP, "#NP error code is the selector"

        EXPECT_FAULT .f6
        mov     ax, SEL_CODE0
        mov     ss, ax
.f6:    EXPECT  [exc_vec], 13, "loading a code segment into SS raises #GP"
        EXPECT  [exc_err], SEL_CODE0, "#GP error code is the selector"

        EXPECT_FAULT .f7
        mov     ax, SEL_CODE0
        mov     es, ax                                  ; readable code: allowed
        mov     dword [resume], 0
        EXPECT  [exc_vec], -1, "a readable code segment loads into ES"
        EXPECT_FAULT .f7
        mov     byte [es:0x700], 1                      ; code is never writable
.f7:    mov     ax, SEL_DATA0
        mov     es, ax
        EXPECT_Q [exc_vec], 13, "a write through a code segment raises #GP", "no segment type check on data writes"

; -- Expand-down data segments: valid offsets are limit+1 .. 0xFFFF(FFFF) --
        mov     eax, SEL_ED32
        mov     ebx, 0
        mov     ecx, 0xFFF
        mov     edx, 0x496
        call    set_desc
        mov     eax, SEL_ED16
        mov     ebx, 0x100000
        mov     edx, 0x096
        call    set_desc
        mov     ax, SEL_ED32
        mov     es, ax
        EXPECT_FAULT .f8
        mov     al, [es:0xFFF]
.f8:    EXPECT_Q [exc_vec], 13, "expand-down: offset = limit raises #GP", "no segment limit checks on data accesses"
        EXPECT_FAULT .f9
        mov     eax, [es:0x1008]
.f9:    mov     dword [resume], 0
        EXPECT  [exc_vec], -1, "expand-down: offset above the limit is valid"
        EXPECT  eax, 0x0000FFFF, "expand-down: base 0 + offset reads the GDT"
        mov     ax, SEL_ED16
        mov     es, ax
        mov     byte [es:0xFFFF], 0x5C
        movzx   eax, byte [0x10FFFF]
        EXPECT  eax, 0x5C, "expand-down, B=0: 0xFFFF is the top byte"
        EXPECT_FAULT .f10
        mov     al, [es:0x10000]
.f10:   EXPECT_Q [exc_vec], 13, "expand-down, B=0: offset 0x10000 raises #GP", "no segment limit checks on data accesses"
        mov     ax, SEL_DATA0
        mov     es, ax

; -- Exceptions through the IDT --
        EXPECT_FAULT .f11
.g11:   ud2
.f11:   EXPECT  [exc_vec], 6, "ud2 raises #UD"
        EXPECT  [exc_eip], .g11, "#UD: EIP of the ud2"
        EXPECT  [exc_cs], SEL_CODE0, "the frame holds CS"

        EXPECT_FAULT .f12
        mov     eax, 1
        xor     edx, edx
        xor     ecx, ecx
.g12:   div     ecx
.f12:   EXPECT  [exc_vec], 0, "div by zero raises #DE"
        EXPECT  [exc_eip], .g12, "#DE: EIP of the div"
        EXPECT_FAULT .f13
        mov     eax, 0x80000000
        cdq
        mov     ecx, -1
        idiv    ecx
.f13:   EXPECT  [exc_vec], 0, "idiv overflow (-2^31 / -1) raises #DE"

        EXPECT_FAULT .g14
        int3
.g14:   EXPECT  [exc_vec], 3, "int3 raises #BP"
        EXPECT  [exc_eip], .g14, "#BP is a trap: EIP after int3"
        EXPECT_FAULT .g15
        mov     al, 0x7F
        add     al, 1
        into
.g15:   EXPECT  [exc_vec], 4, "into with OF=1 raises #OF"
        EXPECT  [exc_eip], .g15, "#OF is a trap: EIP after into"
        EXPECT_FAULT .f16
        mov     eax, 11
.g16:   bound   eax, [bounds]
.f16:   EXPECT  [exc_vec], 5, "bound out of range raises #BR"
        EXPECT  [exc_eip], .g16, "#BR: EIP of the bound"
        EXPECT_FAULT .f17
        int     0x50                                    ; IDT entry 0x50 is all zero
.f17:   EXPECT  [exc_vec], 13, "int to a gate of invalid type raises #GP"
        EXPECT  [exc_err], 0x50 * 8 + 2, "#GP error code: vector*8 + IDT bit"
        mov     eax, 0x51
        mov     ebx, h83
        mov     ecx, SEL_CODE0
        mov     edx, 0x0E                               ; interrupt gate, P = 0
        call    set_gate
        EXPECT_FAULT .f18
        int     0x51
.f18:   EXPECT  [exc_vec], 11, "int to a not-present gate raises #NP"
        EXPECT  [exc_err], 0x51 * 8 + 2, "#NP error code: vector*8 + IDT bit"
        mov     eax, [exc_eflags]
        and     eax, 0x200
        EXPECT  eax, 0, "the frame holds EFLAGS (IF=0)"

; -- Ring 3 --
        mov     eax, 0x83
        mov     ebx, h83
        mov     ecx, SEL_CODE0
        mov     edx, 0xEE
        call    set_gate
        mov     eax, 0x81
        mov     edx, 0x8E                               ; DPL 0: int 0x81 from ring 3 faults
        call    set_gate
        mov     eax, SEL_CGATE
        mov     ebx, cg_proc
        mov     [GDT + eax], bx
        mov     word [GDT + eax + 2], SEL_CODE0
        mov     word [GDT + eax + 4], 0xEC02            ; P, DPL 3, 32-bit call gate, 2 params
        shr     ebx, 16
        mov     [GDT + eax + 6], bx
        mov     eax, SEL_CONF
        mov     ebx, 0
        mov     ecx, 0xFFFFF
        mov     edx, 0xC9E                              ; conforming code, DPL 0
        call    set_desc

        mov     eax, 1
        cpuid
        mov     [sep], edx
        test    edx, 1 << 11
        jz      .nosep
        mov     ecx, 0x174
        xor     edx, edx
        mov     eax, SEL_CODE0
        wrmsr
        mov     ecx, 0x175
        mov     eax, RING0_STACK - 0x800
        wrmsr
        mov     ecx, 0x176
        mov     eax, sysenter_entry
        wrmsr
.nosep:
        mov     eax, user1
        mov     ebx, USER_STACK
        call    enter_user

        EXPECT  [user_eax], 0x5A5A, "int 0x82 from ring 3 returns to ring 0"
        EXPECT  [UR + 0], 3, "iret to a DPL 3 code segment runs at CPL 3"
        EXPECT  [UR + 4], 13, "cli at CPL 3, IOPL 0 raises #GP"
        EXPECT  [UR + 8], 0, "cli: #GP(0)"
        EXPECT  [UR + 12], 13, "int through a DPL 0 gate from CPL 3 raises #GP"
        EXPECT  [UR + 16], 0x81 * 8 + 2, "#GP error code: vector*8 + IDT bit"
        EXPECT  [UR + 20], 13, "in at CPL 3 without I/O bitmap raises #GP"
        EXPECT  [UR + 24], 13, "loading a DPL 0 data segment at CPL 3 raises #GP"
        EXPECT  [UR + 28], SEL_DATA0, "... error code is the selector"
        EXPECT  [UR + 32], RING0_STACK - 20, "interrupt from ring 3 switches to SS0:ESP0"
        EXPECT  [UR + 36], SEL_CODE3, "the ring-0 frame holds the ring-3 CS"
        EXPECT  [UR + 40], SEL_DATA3, "the ring-0 frame holds the ring-3 SS"
        EXPECT  [UR + 44], SEL_DATA0, "SS in the handler is SS0"
        EXPECT  [UR + 48], SEL_CODE0, "call gate: runs at CPL 0"
        EXPECT  [UR + 52], SEL_CODE3, "call gate: frame holds the caller's CS"
        EXPECT  [UR + 56], 0x2222, "call gate: first parameter copied"
        EXPECT  [UR + 60], 0x1111, "call gate: second parameter copied"
        EXPECT  [UR + 64], SEL_DATA3, "call gate: frame holds the caller's SS"
        EXPECT  [UR + 68], RING0_STACK - 24, "call gate: new stack from TSS.ESP0"
        EXPECT  [UR + 72], 0, "retf 8 back to ring 3 restores ESP"
        EXPECT  [UR + 76], SEL_CONF | 3, "conforming segment: CPL stays 3 (CS.RPL = 3)"
        EXPECT  [UR + 80], 13, "far call to a DPL 0 non-conforming segment raises #GP"
        EXPECT  [UR + 84], SEL_CODE0, "... error code is the selector"
        test    dword [sep], 1 << 11
        jz      .skipsep
        EXPECT  [UR + 88], SEL_CODE0, "sysenter: CS from IA32_SYSENTER_CS"
        EXPECT  [UR + 92], SEL_DATA0, "sysenter: SS = CS + 8"
        EXPECT  [UR + 96], RING0_STACK - 0x800, "sysenter: ESP from IA32_SYSENTER_ESP"
        EXPECT  [UR + 100], SEL_CODE3, "sysexit: CS = SYSENTER_CS + 16, RPL 3"
        EXPECT  [UR + 104], SEL_DATA3, "sysexit: SS = SYSENTER_CS + 24, RPL 3"
        EXPECT  [UR + 108], 0, "sysexit: ESP from ECX, EIP from EDX"
        jmp     .sepdone
.skipsep:
        SKIP    "sysenter/sysexit", "CPUID.1:EDX.SEP is 0"
.sepdone:
        xor     eax, eax
        mov     ax, cs
        EXPECT  eax, SEL_CODE0, "back at CPL 0"
        jmp     done32

; -- Ring-3 code: records results at UR, checked above --
user1:
        mov     eax, cs
        and     eax, 3
        mov     [UR + 0], eax
        EXPECT_FAULT .u1
        cli
.u1:    mov     eax, [exc_vec]
        mov     [UR + 4], eax
        mov     eax, [exc_err]
        mov     [UR + 8], eax
        EXPECT_FAULT .u2
        int     0x81
.u2:    mov     eax, [exc_vec]
        mov     [UR + 12], eax
        mov     eax, [exc_err]
        mov     [UR + 16], eax
        EXPECT_FAULT .u3
        in      al, 0x80
.u3:    mov     eax, [exc_vec]
        mov     [UR + 20], eax
        EXPECT_FAULT .u4
        mov     ax, SEL_DATA0
        mov     ds, ax
.u4:    mov     eax, [exc_vec]
        mov     [UR + 24], eax
        mov     eax, [exc_err]
        mov     [UR + 28], eax
        int     0x83                                    ; records UR+32..44
        mov     esi, esp
        push    dword 0x1111
        push    dword 0x2222
        call    (SEL_CGATE | 3):0                         ; records UR+48..68
        sub     esi, esp
        mov     [UR + 72], esi
        call    SEL_CONF:conf_proc
        EXPECT_FAULT .u5
        call    SEL_CODE0:.u5
.u5:    mov     eax, [exc_vec]
        mov     [UR + 80], eax
        mov     eax, [exc_err]
        mov     [UR + 84], eax
        test    dword [sep], 1 << 11
        jz      .u6
        mov     esi, esp
        mov     ecx, esp
        mov     edx, .back
        sysenter
.back:  mov     eax, cs
        mov     [UR + 100], eax
        mov     eax, ss
        mov     [UR + 104], eax
        sub     esi, esp
        mov     [UR + 108], esi
.u6:    mov     eax, 0x5A5A
        int     VEC_USER_EXIT

conf_proc:
        mov     eax, cs
        mov     [UR + 76], eax
        retf

; -- Ring-0 entry points reached from ring 3 --
h83:    mov     [UR + 32], esp
        mov     eax, [esp + 4]
        mov     [UR + 36], eax
        mov     eax, [esp + 16]
        mov     [UR + 40], eax
        mov     eax, ss
        mov     [UR + 44], eax
        iretd

cg_proc:
        mov     eax, cs
        mov     [UR + 48], eax
        mov     eax, [esp + 4]
        mov     [UR + 52], eax
        mov     eax, [esp + 8]
        mov     [UR + 56], eax
        mov     eax, [esp + 12]
        mov     [UR + 60], eax
        mov     eax, [esp + 20]
        mov     [UR + 64], eax
        mov     [UR + 68], esp
        retf    8

sysenter_entry:
        mov     eax, cs
        mov     [UR + 88], eax
        mov     eax, ss
        mov     [UR + 92], eax
        mov     [UR + 96], esp
        sysexit

sep:    equ     0x6F0
bounds: dd      0, 10

        ROM_END
