; multiboot.asm — option ROM that starts the multiboot kernel given with -kernel.
;
; emu (src/hw/multiboot.c) lays the kernel out as it must sit in memory (its
; segments, zeroed bss, the modules after it) and builds the multiboot
; information structure; this ROM, run by SeaBIOS as the boot entry "Multiboot
; loader" (fw_cfg file genroms/multiboot.bin), copies both into place, completes
; the information with what only the BIOS knows, and enters the kernel as the
; Multiboot Specification 0.6.96 (3.2, "Machine state") requires: 32-bit
; protected mode, CS a flat 32-bit code segment, DS/ES/FS/GS/SS flat data
; segments, paging off, A20 on, IF clear, EAX = 0x2BADB002, EBX = the
; information's physical address.
;
; fw_cfg items read: KERNEL_ADDR/SIZE/DATA (the image), INITRD_ADDR/SIZE/DATA
; (the information structure, 16-byte aligned below 1 MiB), KERNEL_ENTRY.
; What the ROM fills in: mem_lower from int 12h, the memory map from int 15h
; E820 at mmap_addr (room for MMAP_MAX entries, MULTIBOOT_MMAP_MAX in
; src/hw/multiboot.h), mmap_length and flag 6, mem_upper from the map's RAM
; entry at 1 MiB.

%include "kernel_rom.inc"

MB_MAGIC        equ 0x2badb002
MB_FLAGS        equ 0               ; offsets in the information structure (spec 3.3)
MB_MEM_LOWER    equ 4
MB_MEM_UPPER    equ 8
MB_MMAP_LENGTH  equ 44
MB_MMAP_ADDR    equ 48
MB_INFO_MMAP    equ 1 << 6
MMAP_MAX        equ 32              ; ORDER: MULTIBOOT_MMAP_MAX
MMAP_ENTRY      equ 24              ; be32 size (20) + the 20-byte E820 entry
KERNEL_STACK    equ 0x7c00          ; ESP at entry (the spec leaves it undefined)
E820_SMAP       equ 0x534d4150      ; "SMAP"

%define mmap_count word [bp - 4]

bev:
    ROM_ENTER
    mov ax, FW_CFG_KERNEL_SIZE
    call fw_cfg_read32
    test eax, eax
    jz .no_kernel
    mov ax, FW_CFG_INITRD_SIZE
    call fw_cfg_read32
    test eax, eax
    jz .no_kernel
    call enable_a20
    LOAD_ITEM FW_CFG_KERNEL_ADDR, FW_CFG_KERNEL_SIZE, FW_CFG_KERNEL_DATA
    LOAD_ITEM FW_CFG_INITRD_ADDR, FW_CFG_INITRD_SIZE, FW_CFG_INITRD_DATA
    mov ax, FW_CFG_INITRD_ADDR
    call fw_cfg_read32
    mov esi, eax
    shr eax, 4
    mov ds, ax                          ; DS:0 = the information structure
    int 0x12                            ; conventional memory, KiB
    movzx eax, ax
    mov [MB_MEM_LOWER], eax
    call memory_map
    mov ax, FW_CFG_KERNEL_ENTRY
    call fw_cfg_read32
    mov edi, eax

    ; Enter the kernel: flat 32-bit segments from the ROM's GDT.
    cli
    cld
    call load_gdt
    xor eax, eax
    mov ax, cs
    shl eax, 4
    add eax, pm_entry
    push dword SEL_CODE32
    push eax
    mov eax, cr0
    or al, 1
    mov cr0, eax
    o32 retf

.no_kernel:
    mov si, error_no_kernel
    jmp rom_fail

; The E820 map into the information structure at DS:0 (its mmap_addr).
memory_map:
    mov eax, [MB_MMAP_ADDR]
    mov di, ax
    and di, 0x0f
    shr eax, 4
    mov es, ax                          ; ES:DI = the first entry's size field
    mov mmap_count, 0
    xor ebx, ebx
.next:
    push di
    add di, 4
    mov eax, 0xe820
    mov edx, E820_SMAP
    mov ecx, 20
    int 0x15
    pop di
    jc .done                            ; CF: no (more) entries
    cmp eax, E820_SMAP
    jne .done
    mov dword [es:di], 20
    call note_mem_upper
    add di, MMAP_ENTRY
    add dword [MB_MMAP_LENGTH], MMAP_ENTRY
    inc mmap_count
    cmp mmap_count, MMAP_MAX
    jae .done
    test ebx, ebx                       ; EBX 0: that was the last entry
    jnz .next
.done:
    cmp mmap_count, 0
    je .ret
    or dword [MB_FLAGS], MB_INFO_MMAP
.ret:
    ret

; mem_upper: KiB of RAM from 1 MiB, as the entry at ES:DI tells if it is that one.
note_mem_upper:
    cmp dword [es:di + 4], 0x100000     ; base, low and high halves
    jne .ret
    cmp dword [es:di + 8], 0
    jne .ret
    cmp dword [es:di + 20], 1           ; type 1: RAM
    jne .ret
    mov eax, [es:di + 12]
    mov edx, [es:di + 16]
    shrd eax, edx, 10
    mov [MB_MEM_UPPER], eax
.ret:
    ret

    bits 32
pm_entry:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, KERNEL_STACK
    mov eax, MB_MAGIC
    mov ebx, esi
    jmp edi
    bits 16

rom_product:        db "Multiboot loader", 0
rom_error_prefix:   db "multiboot: ", 0
error_no_kernel:    db "no kernel in fw_cfg", 13, 10, 0

    ROM_END
