; resets.asm — ways a PC resets or powers off, one per run (test_boot_reset.c).
;
; The method is the byte after the string "EMU-RESET-METHOD:" in the image;
; the test patches it (default 0):
;   0  keyboard controller: command 0xFE to port 0x64 (pulse output port bit 0)
;   1  port 0x92 bit 0 from 0 to 1 (fast reset, PIIX3 "Port 92h")
;   2  port 0xCF9 = 0x02 then 0x06 (PIIX3 reset control: hard reset)
;   3  triple fault: IDT limit 0, then int3 (#GP, #DF, shutdown; SDM vol. 3
;      6.14 and 20.1.4: real-mode vectors past the IDT limit fault)
;   4  ACPI S5: PM I/O block at 0x600 (PIIX4 function 3, PMBA and PMIOSE),
;      then SLP_TYP=0 (soft off) with SLP_EN in PM1a_CNT (0x604)
;   5  spin forever (busy CPU: signal tests)
;   6  cli; hlt forever (idle CPU with no timer: signal tests)
;
; First boot: POST code 0xA1 to port 0x80, "# method N", a magic dword at
; 0x600 (RAM keeps it through a reset), the action. If the machine is still
; running after ~1M loop iterations: "not ok 1", FAIL. After the reset the
; magic is found: POST 0xA2, "ok 1 - back at the reset vector", checks of the
; reset state, PASS (exit status 1). S5 never comes back: emu exits 0.

%include "rom.inc"

MAGIC_AT        equ 0x600
MAGIC           equ 0x52534554          ; "TESR"
PM_BASE         equ 0x600
PCI_PM          equ 0x80000B00          ; bus 0, device 1, function 3

        bits    16
actions:
        dw      R16(by_kbc), R16(by_port92), R16(by_cf9), R16(by_triple_fault)
        dw      R16(by_acpi_s5), R16(spin), R16(halt)
actions_end:
null_idtr:
        dw      0
        dd      0
s_method:
        db      "# method ", 0
s_off:  db      "# S5", 10, 0
s_spin: db      "# spinning", 10, 0
s_halt: db      "# halted", 10, 0
        db      "EMU-RESET-METHOD:"
method: db      0

main:
        cmp     dword [MAGIC_AT], MAGIC
        je      after_reset
        mov     dword [MAGIC_AT], MAGIC
        mov     al, 0xA1
        out     0x80, al
        mov     si, R16(s_method)
        call    puts16
        mov     di, R16(method)         ; (nasm warns on [cs:R16(x)] displacements)
        movzx   eax, byte [cs:di]
        call    putdec16
        mov     al, 10
        call    putc16
        movzx   bx, byte [cs:di]
        cmp     bx, (actions_end - actions) / 2
        jae     no_reset
        add     bx, bx
        add     bx, R16(actions)
        jmp     [cs:bx]


by_kbc:
        in      al, 0x64
        test    al, 2                   ; input buffer full: wait
        jnz     by_kbc
        mov     al, 0xFE
        out     0x64, al
        jmp     wait_reset

by_port92:
        in      al, 0x92
        and     al, 0xFE
        out     0x92, al
        or      al, 1
        out     0x92, al
        jmp     wait_reset

by_cf9:
        mov     dx, 0xCF9
        mov     al, 0x02
        out     dx, al
        mov     al, 0x06
        out     dx, al
        jmp     wait_reset

by_triple_fault:
        mov     bx, R16(null_idtr)
        o32 lidt [cs:bx]
        int3
        jmp     wait_reset

by_acpi_s5:
        mov     eax, PCI_PM | 0x40      ; PMBA
        mov     dx, 0xCF8
        out     dx, eax
        mov     eax, PM_BASE | 1
        mov     dx, 0xCFC
        out     dx, eax
        mov     eax, PCI_PM | 0x80      ; PMREGMISC: PMIOSE
        mov     dx, 0xCF8
        out     dx, eax
        mov     al, 1
        mov     dx, 0xCFC
        out     dx, al
        mov     si, R16(s_off)
        call    puts16
        mov     dx, PM_BASE + 4         ; PM1a_CNT
        mov     ax, 0x2000              ; SLP_EN, SLP_TYP 0
        out     dx, ax
        jmp     wait_reset

spin:
        mov     si, R16(s_spin)
        call    puts16
.l:     jmp     .l

halt:
        mov     si, R16(s_halt)
        call    puts16
.l:     cli
        hlt
        jmp     .l

wait_reset:
        mov     ecx, 1000000
.l:     a32 loop .l
no_reset:
        or      ax, 1                   ; ZF=0: the check fails
        CHECK16 z, "the machine reset"
        jmp     done16

after_reset:
        mov     al, 0xA2
        out     0x80, al
        mov     dword [MAGIC_AT], 0
        xor     ax, ax                  ; ZF=1
        CHECK16 z, "back at the reset vector"
        mov     eax, cr0                ; at power-up/reset: 60000010H (SDM 9.1.1)
        EXPECT16 eax, 0x60000010, "CR0 after reset"
        in      al, 0x92
        movzx   eax, al
        and     eax, 1                  ; port 0x92 bit 0 reads 0 after reset
        EXPECT16 eax, 0, "port 0x92 fast-reset bit cleared"
        jmp     done16

        ROM_END
