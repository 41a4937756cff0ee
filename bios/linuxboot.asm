; linuxboot.asm — option ROM that boots the Linux bzImage given with -kernel.
;
; emu (src/hw/linuxboot.c) splits the image and patches its setup header; this
; ROM, run by SeaBIOS as the boot entry "Linux loader" (fw_cfg file
; genroms/linuxboot.bin, first in "bootorder"), copies the pieces to the addresses
; fw_cfg gives and starts the real-mode setup code the way the x86 boot protocol
; describes for a 16-bit boot loader (Documentation/arch/x86/boot.rst, "Running
; the kernel"): DS = ES = FS = GS = SS = the setup segment, SP at the heap end
; (the command line follows the heap: 0x10000 above the setup for protocol
; >= 2.02, so SP wraps to 0), interrupts off, far jump to setup segment + 0x20, 0.
;
; fw_cfg items read: SETUP_ADDR/SIZE/DATA, KERNEL_ADDR/SIZE/DATA,
; CMDLINE_ADDR/SIZE/DATA, INITRD_ADDR/SIZE/DATA (absent initrd: size 0).
; The copies use fw_cfg DMA, or the byte port when FW_CFG_ID lacks the DMA bit.

%include "kernel_rom.inc"

bev:
    ROM_ENTER
    mov ax, FW_CFG_KERNEL_SIZE
    call fw_cfg_read32
    test eax, eax
    jz .no_kernel
    mov ax, FW_CFG_SETUP_SIZE
    call fw_cfg_read32
    test eax, eax
    jz .no_kernel
    call enable_a20
    LOAD_ITEM FW_CFG_SETUP_ADDR, FW_CFG_SETUP_SIZE, FW_CFG_SETUP_DATA
    LOAD_ITEM FW_CFG_KERNEL_ADDR, FW_CFG_KERNEL_SIZE, FW_CFG_KERNEL_DATA
    LOAD_ITEM FW_CFG_CMDLINE_ADDR, FW_CFG_CMDLINE_SIZE, FW_CFG_CMDLINE_DATA
    LOAD_ITEM FW_CFG_INITRD_ADDR, FW_CFG_INITRD_SIZE, FW_CFG_INITRD_DATA

    mov ax, FW_CFG_SETUP_ADDR
    call fw_cfg_read32
    mov ebx, eax
    mov ax, FW_CFG_CMDLINE_ADDR
    call fw_cfg_read32
    sub eax, ebx                        ; heap end: where the command line starts
    and ax, 0xfff0                      ; 0x10000 -> 0: the first push goes to 0xfffe
    shr ebx, 4                          ; setup segment
    cli
    mov ss, bx
    mov sp, ax
    mov ds, bx
    mov es, bx
    mov fs, bx
    mov gs, bx
    add bx, 0x20
    push bx
    push word 0
    retf                                ; the setup code's entry

.no_kernel:
    mov si, error_no_kernel
    jmp rom_fail

rom_product:        db "Linux loader", 0
rom_error_prefix:   db "linuxboot: ", 0
error_no_kernel:    db "no kernel in fw_cfg", 13, 10, 0

    ROM_END
