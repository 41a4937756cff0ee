; paging.asm — paging (Intel SDM vol. 3 ch. 4): 32-bit paging with 4 KiB and
; 4 MiB (PSE) pages, #PF error codes and CR2, accessed/dirty bits, CR0.WP,
; user/supervisor, INVLPG, CR3 reloads, global pages, PAE paging with 2 MiB
; pages, reserved bits and NX.
%include "rom.inc"

PD              equ 0x10000     ; 32-bit paging: page directory
PT0             equ 0x11000     ; identity map of 0-4 MiB, user, writable
PT1             equ 0x12000     ; 0x400000-0x7FFFFF: test pages
FRAME0          equ 0x200000    ; test frames (physical)
FRAME1          equ 0x201000
FRAME2          equ 0x202000
FRAME3          equ 0x203000
PDPT            equ 0x20000     ; PAE
PAE_PD          equ 0x21000
PAE_PT0         equ 0x22000
PAE_PT2         equ 0x23000
UR              equ 0x600       ; ring-3 results
F_P             equ 1
F_W             equ 2
F_U             equ 4
F_A             equ 0x20
F_D             equ 0x40
F_PS            equ 0x80
F_G             equ 0x100

; SETPTE linear, value: the PTE in PT1 for a linear address in 0x400000-0x7FFFFF
%macro SETPTE 2
        mov     dword [PT1 + (((%1) >> 12) & 0x3FF) * 4], %2
%endmacro

        bits    16
main:
        ENTER_PM
        call    idt_init
        call    tss_init
        mov     eax, 1
        cpuid
        mov     [cpuid1_edx], edx

        ; page tables: zero, identity 0-4 MiB, PT1 for 4-8 MiB
        mov     edi, PD
        mov     ecx, 0x3000 / 4
        xor     eax, eax
        rep     stosd
        mov     edi, PT0
        mov     eax, F_P | F_W | F_U
.id:    stosd
        add     eax, 0x1000
        cmp     edi, PT0 + 0x1000
        jb      .id
        mov     dword [PD + 0], PT0 | F_P | F_W | F_U
        mov     dword [PD + 4], PT1 | F_P | F_W | F_U
        mov     dword [FRAME0 + 0x10], 0xCAFEBABE
        mov     dword [FRAME1 + 0x10], 0x11112222
        mov     dword [FRAME2 + 0x10], 0x33334444
        mov     dword [FRAME3 + 0x10], 0x55556666
        SETPTE  0x400000, FRAME0 | F_P | F_W | F_U
        SETPTE  0x401000, FRAME1 | F_P | F_W | F_U
        SETPTE  0x403000, FRAME2 | F_P | F_U             ; read-only
        SETPTE  0x404000, FRAME3 | F_P | F_W             ; supervisor

        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        jmp     .paged
.paged: mov     eax, cr0
        shr     eax, 31
        EXPECT  eax, 1, "CR0.PG set; identity-mapped code keeps running"

; -- Translation, accessed and dirty bits --
        mov     eax, [0x400010]
        EXPECT  eax, 0xCAFEBABE, "4 KiB page: linear 0x400010 -> physical 0x200010"
        mov     dword [0x400020], 0x0BADF00D
        mov     eax, [FRAME0 + 0x20]
        EXPECT  eax, 0x0BADF00D, "a write lands in the mapped frame"
        mov     eax, [0x401010]
        mov     eax, [PT1 + 4]
        and     eax, F_A | F_D
        EXPECT  eax, F_A, "a read sets the PTE's accessed bit, not dirty"
        mov     eax, [PD + 4]
        and     eax, F_A
        EXPECT  eax, F_A, "... and the PDE's accessed bit"
        mov     dword [0x401014], 1
        mov     eax, [PT1 + 4]
        and     eax, F_A | F_D
        EXPECT  eax, F_A | F_D, "a write sets the dirty bit"

; -- Page faults --
        EXPECT_FAULT .f1
.g1:    mov     eax, [0x800123]
.f1:    EXPECT  [exc_vec], 14, "read of a not-present PDE raises #PF"
        EXPECT  [exc_err], 0, "#PF error code 0: not present, read, supervisor"
        EXPECT  [exc_cr2], 0x800123, "CR2 holds the faulting linear address"
        EXPECT  [exc_eip], .g1, "#PF is a fault: EIP of the access"
        EXPECT_FAULT .f2
        mov     dword [0x402ABC], 1
.f2:    EXPECT  [exc_err], F_W, "write to a not-present PTE: error code 2"
        EXPECT  [exc_cr2], 0x402ABC, "CR2 for a not-present PTE"
        EXPECT_FAULT .f3
        mov     dword [0x403000], 0x77
.f3:    EXPECT  [exc_vec], -1, "CR0.WP=0: supervisor writes a read-only page"
        mov     eax, [FRAME2]
        EXPECT  eax, 0x77, "... and the write lands"
        mov     eax, cr0
        or      eax, 1 << 16
        mov     cr0, eax
        EXPECT_FAULT .f4
        mov     dword [0x403004], 0x77
.f4:    EXPECT  [exc_vec], 14, "CR0.WP=1: supervisor write to a read-only page faults"
        EXPECT  [exc_err], F_P | F_W, "... error code 3 (present, write)"
        mov     eax, cr0
        and     eax, ~(1 << 16)
        mov     cr0, eax
        EXPECT_FAULT .f5
.g5:    jmp     0x800000
.f5:    EXPECT  [exc_cr2], 0x800000, "instruction fetch from a not-present page: CR2"
        EXPECT  [exc_eip], 0x800000, "... EIP is the target"
        EXPECT  [exc_err], 0, "... I/D bit clear without NXE (SDM 4.7)"
        mov     dword [0x3F000], 0
        mov     dword [PD + 8], 0x0003F000 | F_PS | F_P | F_W   ; PS with PSE off: PTE address
        EXPECT_FAULT .f5b
        mov     eax, [0x800000]
.f5b:   EXPECT  [exc_vec], 14, "PDE.PS ignored while CR4.PSE=0 (table at 0x3F000 is empty)"
        mov     dword [PD + 8], 0

; -- Ring 3 --
        mov     eax, [0x404010]
        mov     [UR + 0], eax
        mov     eax, user1
        mov     ebx, USER_STACK
        call    enter_user
        EXPECT  [UR + 0], 0x55556666, "supervisor reads a supervisor page"
        EXPECT  [UR + 4], F_P | F_U, "user read of a supervisor page: error code 5"
        EXPECT  [UR + 8], 0x404010, "... CR2"
        EXPECT  [UR + 12], F_P | F_W | F_U, "user write of a supervisor page: error code 7"
        EXPECT  [UR + 16], F_P | F_W | F_U, "user write of a read-only page: error code 7"
        EXPECT  [UR + 20], F_U, "user read of a not-present page: error code 4"
        EXPECT  [UR + 24], 0x33334444, "user reads a read-only user page"

; -- TLB maintenance --
        SETPTE  0x405000, FRAME0 | F_P | F_W
        mov     eax, [0x405010]
        EXPECT  eax, 0xCAFEBABE, "new mapping read"
        SETPTE  0x405000, FRAME1 | F_P | F_W
        invlpg  [0x405000]
        mov     eax, [0x405010]
        EXPECT  eax, 0x11112222, "invlpg: the changed PTE takes effect"
        SETPTE  0x405000, FRAME3 | F_P | F_W
        mov     eax, cr3
        mov     cr3, eax
        mov     eax, [0x405010]
        EXPECT  eax, 0x55556666, "CR3 reload flushes non-global entries"

        test    dword [cpuid1_edx], 1 << 13
        jz      .nopge
        mov     eax, cr4
        or      eax, 1 << 7                             ; PGE
        mov     cr4, eax
        SETPTE  0x406000, FRAME0 | F_P | F_W | F_G
        mov     eax, [0x406010]
        EXPECT  eax, 0xCAFEBABE, "global page read"
        SETPTE  0x406000, FRAME1 | F_P | F_W | F_G
        mov     eax, cr3
        mov     cr3, eax
        mov     eax, [0x406010]
        cmp     eax, 0xCAFEBABE
        je      .kept
        SKIP    "global entry kept across a CR3 reload", "not cached (permitted: the TLB is a cache)"
        jmp     .pge2
.kept:  EXPECT  eax, 0xCAFEBABE, "global entry kept across a CR3 reload"
.pge2:  mov     eax, cr4
        and     eax, ~(1 << 7)
        mov     cr4, eax
        or      eax, 1 << 7
        mov     cr4, eax
        mov     eax, [0x406010]
        EXPECT  eax, 0x11112222, "toggling CR4.PGE flushes global entries"
        SETPTE  0x406000, FRAME2 | F_P | F_W | F_G
        invlpg  [0x406000]
        mov     eax, [0x406010]
        EXPECT  eax, 0x33334444, "invlpg flushes a global entry"
        mov     eax, cr4
        and     eax, ~(1 << 7)
        mov     cr4, eax
        jmp     .pse
.nopge: SKIP    "global pages", "CPUID.1:EDX.PGE is 0"

; -- 4 MiB pages (PSE) --
.pse:   test    dword [cpuid1_edx], 1 << 3
        jz      .nopse
        mov     eax, cr4
        or      eax, 1 << 4
        mov     cr4, eax
        mov     dword [PD + 8], 0x400000 | F_PS | F_P | F_W     ; 0x800000 -> 0x400000
        mov     dword [PD + 12], 0x400000 | F_PS | F_P | F_W    ; 0xC00000 -> 0x400000
        mov     dword [0x800010], 0xF00DF00D
        mov     dword [0xBFF010], 0xD00FD00F
        mov     eax, [0xC00010]
        EXPECT  eax, 0xF00DF00D, "4 MiB page: two PDEs alias one frame"
        mov     eax, [0xFFF010]
        EXPECT  eax, 0xD00FD00F, "4 MiB page: offset bits 21:0 pass through"
        mov     eax, [PD + 8]
        and     eax, F_A | F_D
        EXPECT  eax, F_A | F_D, "4 MiB page: accessed and dirty set in the PDE"
        mov     dword [PD + 16], 0x400000 | (1 << 21) | F_PS | F_P | F_W
        EXPECT_FAULT .f6
        mov     eax, [0x1000040]
.f6:    EXPECT  [exc_vec], 14, "4 MiB PDE with reserved bit 21 raises #PF"
        EXPECT_Q [exc_err], 8 | F_P, "... error code has RSVD and P", "reserved-bit #PF error code lacks P"
        mov     dword [PD + 16], 0
        jmp     .pae
.nopse: SKIP    "4 MiB pages", "CPUID.1:EDX.PSE is 0"

; -- PAE --
.pae:   test    dword [cpuid1_edx], 1 << 6
        jnz     pae_tests
        SKIP    "PAE paging", "CPUID.1:EDX.PAE is 0"
        jmp     done32

; Ring-3 part of the U/S checks.
user1:
        EXPECT_FAULT .u1
        mov     eax, [0x404010]
.u1:    mov     eax, [exc_err]
        mov     [UR + 4], eax
        mov     eax, [exc_cr2]
        mov     [UR + 8], eax
        EXPECT_FAULT .u2
        mov     dword [0x404010], 1
.u2:    mov     eax, [exc_err]
        mov     [UR + 12], eax
        EXPECT_FAULT .u3
        mov     dword [0x403010], 1
.u3:    mov     eax, [exc_err]
        mov     [UR + 16], eax
        EXPECT_FAULT .u4
        mov     eax, [0x800000]
.u4:    mov     eax, [exc_err]
        mov     [UR + 20], eax
        mov     eax, [0x403010]
        mov     [UR + 24], eax
        int     VEC_USER_EXIT

pae_tests:
        mov     eax, cr0                                ; paging off to switch modes
        and     eax, ~0x80000000
        mov     cr0, eax
        mov     edi, PDPT
        mov     ecx, 0x4000 / 4
        xor     eax, eax
        rep     stosd
        mov     dword [PDPT], PAE_PD | F_P               ; PDPTE: R/W, U/S are reserved
        mov     dword [PAE_PD + 0], PAE_PT0 | F_P | F_W | F_U
        mov     dword [PAE_PD + 8], 0x200000 | F_PS | F_P | F_W | F_U
        mov     dword [PAE_PD + 16], PAE_PT2 | F_P | F_W | F_U
        mov     dword [PAE_PD + 24], 0x200000 | F_PS | F_P | F_W | F_U
        mov     edi, PAE_PT0
        mov     eax, F_P | F_W | F_U
.id:    mov     [edi], eax
        add     edi, 8
        add     eax, 0x1000
        cmp     edi, PAE_PT0 + 0x1000
        jb      .id
        mov     dword [PAE_PT2 + 0], FRAME0 | F_P | F_W
        ; MAXPHYADDR: CPUID 0x80000008 if present, else 36 (SDM 4.1.4)
        mov     dword [maxphys], 36
        mov     eax, 0x80000000
        cpuid
        cmp     eax, 0x80000008
        jb      .mp
        mov     eax, 0x80000008
        cpuid
        and     eax, 0xFF
        mov     [maxphys], eax
.mp:    mov     ecx, [maxphys]
        sub     ecx, 32
        mov     eax, 1
        shl     eax, cl
        mov     dword [PAE_PT2 + 16], FRAME0 | F_P | F_W       ; 0x402000: bit MAXPHYADDR set
        mov     [PAE_PT2 + 20], eax
        mov     dword [PAE_PT2 + 24], FRAME0 | F_P | F_W       ; 0x403000: bit 63 (XD)
        mov     dword [PAE_PT2 + 28], 0x80000000
        mov     dword [PAE_PT2 + 8], FRAME1 | F_P | F_W        ; 0x401000: XD, used with NXE
        mov     dword [PAE_PT2 + 12], 0x80000000
        mov     eax, cr4
        or      eax, 1 << 5
        mov     cr4, eax
        mov     eax, PDPT
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        jmp     .on
.on:    mov     eax, [0x400010]
        EXPECT  eax, 0xCAFEBABE, "PAE: 4 KiB page through PDPTE, PDE, PTE"
        mov     eax, [0x600010]
        EXPECT  eax, 0xCAFEBABE, "PAE: 2 MiB page"
        mov     eax, [PAE_PD + 24]
        and     eax, F_A
        EXPECT  eax, F_A, "PAE: accessed bit set in the 2 MiB PDE"
        EXPECT_FAULT .f1
        mov     eax, [0x402000]
.f1:    EXPECT  [exc_vec], 14, "PAE: address bit at MAXPHYADDR is reserved: #PF"
        EXPECT_Q [exc_err], 8 | F_P, "... error code RSVD | P", "reserved-bit #PF error code lacks P"
        EXPECT_FAULT .f2
        mov     eax, [0x403000]
.f2:    EXPECT_Q [exc_err], 8 | F_P, "PAE: XD bit with EFER.NXE=0 is reserved", "reserved-bit #PF error code lacks P"
        EXPECT  [exc_cr2], 0x403000, "... CR2"

        mov     eax, 0x80000000
        cpuid
        cmp     eax, 0x80000001
        jb      .nonx
        mov     eax, 0x80000001
        cpuid
        test    edx, 1 << 20
        jz      .nonx
        mov     ecx, 0xC0000080                         ; IA32_EFER
        rdmsr
        or      eax, 1 << 11                            ; NXE
        wrmsr
        mov     byte [FRAME1], 0xC3                     ; ret, never executed
        EXPECT_FAULT .f3
        mov     eax, [0x401010]
.f3:    EXPECT  [exc_vec], -1, "NX: data read of an XD page is allowed"
        EXPECT  eax, 0x11112222, "... and reads the frame"
        EXPECT_FAULT .f4
        jmp     0x401000
.f4:    EXPECT  [exc_vec], 14, "NX: instruction fetch from an XD page raises #PF"
        EXPECT  [exc_err], 0x10 | F_P, "... error code I/D | P"
        EXPECT  [exc_cr2], 0x401000, "... CR2"
        EXPECT_FAULT .f5
        jmp     0x404000
.f5:    EXPECT  [exc_err], 0x10, "NX on: fetch from a not-present page: I/D set"
        EXPECT_FAULT .f6
        mov     eax, [0x403000]
.f6:    EXPECT  [exc_vec], -1, "NXE=1: XD bit no longer reserved"
        jmp     done32
.nonx:  SKIP    "NX (execute-disable)", "CPUID.80000001:EDX.NX is 0"
        jmp     done32

cpuid1_edx      equ 0x6F0
maxphys         equ 0x6F4

        ROM_END
