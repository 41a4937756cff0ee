; mbr_hello.asm — a 512-byte boot sector for the boot tests (test_boot_media.c).
;
; The BIOS loads it at 0:7C00 (from a disk's sector 0, or as an El Torito
; no-emulation image, which may enter at 07C0:0000) and jumps to it with the
; boot drive in DL. It prints "EMU-MBR-HELLO drive=XX" (XX = DL in hex)
; through int 10h AH=0Eh, which SeaBIOS also copies to the serial console,
; and on the debug console port 0xE9; waits three timer ticks (SeaBIOS's
; serial console writes on ticks) and for COM1's transmitter to empty (LSR
; bit 6), then writes 0 to isa-debug-exit
; (port 0x501), so emu exits with status 1. Not a ROM program: no rom.inc.

        bits    16
        org     0x7C00

start:
        jmp     0:.canon                ; CS:IP = 0:7C00 whatever the entry
.canon: cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7C00
        sti
        cld
        mov     [drive], dl
        mov     si, msg
        call    puts
        mov     al, [drive]
        shr     al, 4
        call    puthex
        mov     al, [drive]
        call    puthex
        mov     al, 13
        call    putc
        mov     al, 10
        call    putc
        mov     ebx, [0x46C]            ; BIOS tick count (18.2 Hz)
.tick:  sti                             ; SeaBIOS's serial console flushes
        hlt                             ; what int 10h wrote on timer ticks
        mov     eax, [0x46C]
        sub     eax, ebx
        cmp     eax, 3
        jb      .tick
        mov     dx, 0x3FD               ; COM1 LSR: let the UART send it all
        mov     ecx, 1000000
.drain: in      al, dx
        test    al, 0x40                ; TEMT
        jnz     .exit
        a32 loop .drain
.exit:  mov     dx, 0x501
        xor     al, al
        out     dx, al
.hang:  cli
        hlt
        jmp     .hang

puts:                                   ; ds:si, NUL-terminated
        lodsb
        test    al, al
        jz      .e
        call    putc
        jmp     puts
.e:     ret

puthex:                                 ; low nibble of al
        and     al, 0x0F
        add     al, '0'
        cmp     al, '9'
        jbe     putc
        add     al, 'A' - '9' - 1
putc:                                   ; al to int 10h and port 0xE9
        out     0xE9, al
        push    ax
        mov     ah, 0x0E
        mov     bx, 0x0007
        int     0x10
        pop     ax
        ret

msg:    db      "EMU-MBR-HELLO drive=", 0
drive:  db      0

        times   510 - ($ - $$) db 0
        dw      0xAA55
