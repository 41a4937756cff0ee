; realmode.asm — real-address mode basics (Intel SDM vol. 3 ch. 20, vol. 1 ch. 3):
; segment*16+offset, 16-bit offset and stack wrap, IVT interrupts and iret,
; A20 masking through port 0x92, operand/address-size prefixes.
; See rom.inc for the reporting protocol.
%include "rom.inc"

        bits    16
; Real-mode interrupt stubs for the vectors we expect: push the vector, then
; rm_common records it in exc_* and returns (to [resume] if set).
%macro RMSTUB 1
rmstub_%1:
        push    word %1
        jmp     rm_common
%endmacro
RMSTUB  0
RMSTUB  3
RMSTUB  4
RMSTUB  0x40

; Stack: bp+0 bp, +2 vector, +4 IP, +6 CS, +8 FLAGS.
rm_common:
        push    bp
        mov     bp, sp
        push    ds
        push    eax
        pushf                           ; FLAGS inside the handler
        xor     ax, ax
        mov     ds, ax
        pop     ax
        movzx   eax, ax
        mov     [exc_err], eax
        movzx   eax, word [bp + 2]
        mov     [exc_vec], eax
        movzx   eax, word [bp + 4]
        mov     [exc_eip], eax
        movzx   eax, word [bp + 6]
        mov     [exc_cs], eax
        movzx   eax, word [bp + 8]
        mov     [exc_eflags], eax
        inc     dword [exc_count]
        mov     ax, [resume]
        test    ax, ax
        jz      .ret
        mov     [bp + 4], ax
        mov     word [resume], 0
.ret:   pop     eax
        pop     ds
        pop     bp
        add     sp, 2
        iret

rm_unexpected:
        xor     ax, ax
        mov     ds, ax
        mov     si, R16(s_rm_unexp)
        call    puts16
        inc     dword [t_fails]
        jmp     done16
s_rm_unexp: db  "not ok - unexpected interrupt", 10, 0

; set_ivt: vector bx -> F000:ax
set_ivt:
        push    bx
        shl     bx, 2
        mov     [bx], ax
        mov     word [bx + 2], 0xF000
        pop     bx
        ret

main:
        ; every vector to rm_unexpected, then the ones we use
        xor     bx, bx
.ivt:   mov     ax, R16(rm_unexpected)
        call    set_ivt
        inc     bl
        jnz     .ivt
        mov     bx, 0
        mov     ax, R16(rmstub_0)
        call    set_ivt
        mov     bx, 3
        mov     ax, R16(rmstub_3)
        call    set_ivt
        mov     bx, 4
        mov     ax, R16(rmstub_4)
        call    set_ivt
        mov     bx, 0x40
        mov     ax, R16(rmstub_0x40)
        call    set_ivt

; -- Segment arithmetic --
        mov     ax, 0x1234
        mov     es, ax
        mov     dword [es:0x5678], 0xA5A5C3C3   ; linear 0x12340 + 0x5678 = 0x179B8
        mov     ax, 0x179B
        mov     fs, ax
        mov     eax, [fs:0x0008]
        EXPECT16 eax, 0xA5A5C3C3, "linear address = segment * 16 + offset"
        mov     ax, 0x1000
        mov     gs, ax
        mov     eax, [gs:0x79B8]
        EXPECT16 eax, 0xA5A5C3C3, "a second segment:offset alias of the same byte"

; -- 16-bit offsets wrap within the segment --
        mov     ax, 0x2000
        mov     es, ax
        mov     ax, 0x3000
        mov     fs, ax
        mov     byte [es:0x0001], 0x5A
        mov     byte [fs:0x0001], 0x11          ; 0x20000 + 0x10001
        mov     bx, 0xFFFF
        mov     si, 2
        mov     al, [es:bx + si]
        movzx   eax, al
        EXPECT16 eax, 0x5A, "[bx+si] wraps at 64 KiB"
        mov     bx, 0xFFF0
        mov     al, [es:bx + 0x11]
        movzx   eax, al
        EXPECT16 eax, 0x5A, "[bx+disp16] wraps at 64 KiB"

        mov     ax, 0x3000                      ; push at SP=0 wraps to 0xFFFE
        mov     ss, ax
        xor     sp, sp
        push    word 0x1234
        mov     dx, sp
        mov     cx, [fs:0xFFFE]
        xor     ax, ax
        mov     ss, ax
        mov     sp, 0x7000
        movzx   edx, dx
        EXPECT16 edx, 0xFFFE, "push at SP=0 leaves SP=0xFFFE"
        movzx   ecx, cx
        EXPECT16 ecx, 0x1234, "push at SP=0 writes SS:FFFE"

; -- Far call and return --
        xor     ax, ax
        mov     ds, ax
        mov     dx, 0
        call    0xF000:R16(far_proc)
        movzx   edx, dx
        EXPECT16 edx, 0xF000, "far call pushes CS; retf returns"

; -- IVT: int n, iret --
        mov     word [resume], 0
        mov     dword [exc_count], 0
        sti
        int     0x40
.after_int:
        cli
        EXPECT16 [exc_vec], 0x40, "int 0x40 vectors through IVT entry 0x40"
        EXPECT16 [exc_eip], R16(.after_int), "int pushes the IP of the next instruction"
        EXPECT16 [exc_cs], 0xF000, "int pushes CS"
        mov     eax, [exc_eflags]
        and     eax, 0x200
        EXPECT16 eax, 0x200, "int pushes FLAGS (IF was 1)"
        mov     eax, [exc_err]
        and     eax, 0x300
        EXPECT16 eax, 0, "int clears IF and TF in the handler"
        pushf
        pop     ax
        and     ax, 0x200
        movzx   eax, ax
        EXPECT16 eax, 0, "flags restored by iret (cli after it)"

        int3
.after_int3:
        EXPECT16 [exc_vec], 3, "int3 raises #BP (vector 3)"
        EXPECT16 [exc_eip], R16(.after_int3), "#BP is a trap: IP after int3"

        mov     al, 0x7F
        add     al, 1                           ; OF = 1
        into
.after_into:
        EXPECT16 [exc_vec], 4, "into with OF=1 raises #OF (vector 4)"
        EXPECT16 [exc_eip], R16(.after_into), "#OF is a trap: IP after into"

        mov     dword [exc_vec], -1
        mov     word [resume], R16(.after_div)
        mov     ax, 1
        xor     bl, bl
.div:   div     bl
.after_div:
        EXPECT16 [exc_vec], 0, "div by zero raises #DE (vector 0)"
        EXPECT16 [exc_eip], R16(.div), "#DE is a fault: IP of the div"
        EXPECT16 [exc_count], 4, "exactly four interrupts taken"

; -- A20 through port 0x92 (bit 1; bit 0 is the fast reset, keep it 0) --
        xor     ax, ax
        mov     ds, ax
        mov     ax, 0xFFFF
        mov     es, ax                          ; FFFF:0610 = 0x100600
        in      al, 0x92
        and     al, 0xFC
        out     0x92, al
        in      al, 0x92
        and     eax, 2
        EXPECT16 eax, 0, "port 0x92 bit 1 reads back 0"
        mov     byte [0x600], 0x11
        mov     byte [es:0x610], 0x22
        movzx   eax, byte [0x600]
        EXPECT16 eax, 0x22, "A20 masked: 0x100600 wraps to 0x000600"
        in      al, 0x92
        or      al, 2
        and     al, 0xFE
        out     0x92, al
        in      al, 0x92
        and     eax, 2
        EXPECT16 eax, 2, "port 0x92 bit 1 reads back 1"
        mov     byte [0x600], 0x11
        mov     byte [es:0x610], 0x22
        movzx   eax, byte [0x600]
        EXPECT16 eax, 0x11, "A20 enabled: 0x000600 and 0x100600 are distinct"
        movzx   eax, byte [es:0x610]
        EXPECT16 eax, 0x22, "A20 enabled: 0x100600 reads back"

; -- Operand- and address-size prefixes --
        mov     eax, 0x12345678
        shr     eax, 16
        EXPECT16 eax, 0x1234, "66h: 32-bit mov and shr"
        mov     bx, sp
        push    eax
        mov     cx, sp
        pop     eax
        sub     bx, cx
        movzx   ebx, bx
        EXPECT16 ebx, 4, "66h: push eax moves SP by 4"
        mov     ebx, 0xFFFF
        mov     esi, 2
        lea     eax, [ebx + esi]
        EXPECT16 eax, 0x10001, "67h: 32-bit lea does not wrap"
        mov     eax, 0xFFFFFFFF
        lea     ax, [ebx + esi]
        EXPECT16 eax, 0xFFFF0001, "lea with 16-bit operand keeps EAX 31:16"
        lea     eax, [bx + si]
        EXPECT16 eax, 1, "lea, 32-bit operand, 16-bit address: zero-extended"
        mov     ax, 0x2000
        mov     es, ax
        mov     ebx, 8
        mov     word [es:ebx * 4 + 0x100], 0xBEEF
        movzx   eax, word [es:0x120]
        EXPECT16 eax, 0xBEEF, "67h: scaled-index addressing in real mode"
        mov     ecx, 0x00010001
        loop    .l16                            ; CX 1 -> 0: not taken
        mov     dx, 1
        jmp     .c16
.l16:   mov     dx, 2
.c16:   movzx   edx, dx
        EXPECT16 edx, 1, "loop (16-bit address size) tests CX only"
        EXPECT16 ecx, 0x00010000, "loop decrements CX, not ECX"
        mov     ecx, 0x00010001
        a32 loop .l32                           ; ECX -> 0x10000: taken
        mov     dx, 1
        jmp     .c32
.l32:   mov     dx, 2
.c32:   movzx   edx, dx
        EXPECT16 edx, 2, "67h loop tests ECX"
        EXPECT16 ecx, 0x00010000, "67h loop decrements ECX"

        jmp     done16

far_proc:
        mov     bp, sp
        mov     dx, [bp + 2]
        retf

        ROM_END
