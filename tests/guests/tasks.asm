; tasks.asm — hardware task switching (Intel SDM vol. 3 ch. 7): ltr, far jmp
; and far call to a TSS, a task gate in the IDT for int n and for #DF, busy
; bits, NT and the back link, iret back to the previous task, CR0.TS.
%include "rom.inc"

SEL_TSS_B       equ 0x40
SEL_TSS_C       equ 0x48
SEL_TSS_D       equ 0x50
TSS_B           equ 0x3100
TSS_C           equ 0x3200
TSS_D           equ 0x3300
R               equ 0x600       ; results written by the other tasks
NT              equ 0x4000

; TSS descriptor type byte: 0x89 available, 0x8B busy
%macro TYPE_OF 1
        movzx   eax, byte [GDT + (%1) + 5]
%endmacro

        bits    16
main:
        ENTER_PM
        call    idt_init
        call    tss_init                                ; task A: TR = SEL_TSS
        mov     edi, TSS_B
        mov     eax, task_b
        mov     ebx, 0x60000
        mov     ecx, SEL_TSS_B
        call    make_task
        mov     edi, TSS_C
        mov     eax, task_c
        mov     ebx, 0x5F000
        mov     ecx, SEL_TSS_C
        call    make_task
        mov     edi, TSS_D
        mov     eax, task_d
        mov     ebx, 0x5E000
        mov     ecx, SEL_TSS_D
        call    make_task

        TYPE_OF SEL_TSS
        EXPECT  eax, 0x8B, "ltr marks the TSS busy"
        xor     eax, eax
        str     ax
        EXPECT  eax, SEL_TSS, "str reads TR"

; -- jmp to a TSS --
        mov     ebx, 0x1234ABCD
        mov     esi, 0x5555AAAA
        jmp     SEL_TSS_B:0
.back_b:
        EXPECT  ebx, 0x1234ABCD, "jmp back: EBX restored from TSS A"
        EXPECT  esi, 0x5555AAAA, "jmp back: ESI restored from TSS A"
        EXPECT  [R + 0], SEL_TSS_B, "jmp to TSS B: TR = B"
        EXPECT  [R + 4], 0x8B, "jmp: the new task is busy"
        EXPECT  [R + 8], 0x89, "jmp: the old task is no longer busy"
        EXPECT  [R + 12], 0, "jmp: NT clear in the new task"
        EXPECT  [R + 16], 0, "jmp: no back link written"
        EXPECT  [R + 20], 0x1234ABCD, "jmp: EBX saved in the old TSS"
        EXPECT  [R + 24], .back_b, "jmp: EIP of the next instruction saved"
        TYPE_OF SEL_TSS_B
        EXPECT  eax, 0x89, "jmp back: B no longer busy"
        TYPE_OF SEL_TSS
        EXPECT  eax, 0x8B, "jmp back: A busy again"
        mov     eax, cr0
        and     eax, 8
        EXPECT  eax, 8, "a task switch sets CR0.TS"
        clts

; -- call to a TSS, iret back through the link --
        mov     dword [R + 40], -1
        call    SEL_TSS_C:0
        call    check_c
        TYPE_OF SEL_TSS_C
        EXPECT  eax, 0x89, "iret: the nested task is no longer busy"
        mov     eax, [TSS_C + 36]
        and     eax, NT
        EXPECT  eax, 0, "iret: NT cleared in the nested task's saved EFLAGS"
        pushfd
        pop     eax
        and     eax, NT
        EXPECT  eax, 0, "iret: back in A with NT clear"
        xor     eax, eax
        str     ax
        EXPECT  eax, SEL_TSS, "iret: TR = A"

; -- int n through a task gate --
        mov     eax, 0x40
        xor     ebx, ebx
        mov     ecx, SEL_TSS_C
        mov     edx, 0x85                               ; task gate, DPL 0
        call    set_gate
        mov     dword [R + 40], -1
        int     0x40
        call    check_c

; -- #DF through a task gate: #GP while #GP's gate is not present --
        mov     eax, 8
        xor     ebx, ebx
        mov     ecx, SEL_TSS_D
        mov     edx, 0x85
        call    set_gate
        and     byte [IDT + 13 * 8 + 5], 0x7F           ; gate 13: P = 0
        mov     dword [R + 60], -1
        EXPECT_FAULT .f1
        mov     ax, GDT_ENTRIES * 8                     ; past the GDT limit
.g1:    mov     es, ax
.f1:    EXPECT  [R + 60], 0, "#GP then #NP -> #DF through a task gate, error code 0"
        EXPECT  [R + 64], SEL_TSS, "#DF task: back link = the faulting task"
        EXPECT  [R + 68], .g1, "#DF task: faulting task's EIP saved (a fault)"
        EXPECT  [exc_vec], 13, "after iret the instruction reruns and raises #GP"
        EXPECT  [exc_err], GDT_ENTRIES * 8, "... with the selector as error code"
        clts

; -- busy TSS --
        EXPECT_FAULT .f2
        jmp     SEL_TSS:0
.f2:    EXPECT  [exc_vec], 13, "jmp to a busy TSS raises #GP"
        EXPECT  [exc_err], SEL_TSS, "... error code is the TSS selector"
        EXPECT_FAULT .f3
        call    SEL_TSS:0
.f3:    EXPECT  [exc_err], SEL_TSS, "call to a busy TSS raises #GP(selector)"
        TYPE_OF SEL_TSS
        EXPECT  eax, 0x8B, "A still busy"
        jmp     done32

check_c:
        EXPECT  [R + 40], NT, "nested task runs with NT set"
        EXPECT  [R + 44], SEL_TSS, "back link = the calling task"
        EXPECT  [R + 48], 0x8B, "the calling task stays busy"
        EXPECT  [R + 52], 0x8B, "the nested task is busy"
        EXPECT  [R + 56], SEL_TSS_C, "TR = the nested task"
        ret

; make_task(edi=TSS, eax=EIP, ebx=ESP, ecx=selector): ring 0, flat, IF=0
make_task:
        pushad
        push    eax
        push    ecx
        xor     eax, eax
        mov     ecx, 0x68 / 4
        rep     stosd
        pop     eax                                     ; selector
        pop     ecx                                     ; EIP
        sub     edi, 0x68
        mov     [edi + 32], ecx
        mov     dword [edi + 36], 2                     ; EFLAGS
        mov     [edi + 56], ebx                         ; ESP
        mov     dword [edi + 76], SEL_CODE0
        mov     dword [edi + 72], SEL_DATA0             ; ES
        mov     dword [edi + 80], SEL_DATA0             ; SS
        mov     dword [edi + 84], SEL_DATA0             ; DS
        mov     dword [edi + 88], SEL_DATA0             ; FS
        mov     dword [edi + 92], SEL_DATA0             ; GS
        mov     word [edi + 102], 0x68
        mov     ebx, edi
        mov     ecx, 0x67
        mov     edx, 0x89
        call    set_desc
        popad
        ret

; -- The other tasks: each loops, so it can be entered again --
task_b:
        xor     eax, eax
        str     ax
        mov     [R + 0], eax
        TYPE_OF SEL_TSS_B
        mov     [R + 4], eax
        TYPE_OF SEL_TSS
        mov     [R + 8], eax
        pushfd
        pop     eax
        and     eax, NT
        mov     [R + 12], eax
        movzx   eax, word [TSS_B]
        mov     [R + 16], eax
        mov     eax, [TSS + 52]
        mov     [R + 20], eax
        mov     eax, [TSS + 32]
        mov     [R + 24], eax
        jmp     SEL_TSS:0
        jmp     task_b

task_c:
        pushfd
        pop     eax
        and     eax, NT
        mov     [R + 40], eax
        movzx   eax, word [TSS_C]
        mov     [R + 44], eax
        TYPE_OF SEL_TSS
        mov     [R + 48], eax
        TYPE_OF SEL_TSS_C
        mov     [R + 52], eax
        xor     eax, eax
        str     ax
        mov     [R + 56], eax
        iretd
        jmp     task_c

task_d:
        mov     eax, [esp]
        mov     [R + 60], eax
        movzx   eax, word [TSS_D]
        mov     [R + 64], eax
        mov     eax, [TSS + 32]
        mov     [R + 68], eax
        or      byte [IDT + 13 * 8 + 5], 0x80           ; gate 13 present again
        add     esp, 4
        iretd
        jmp     task_d

        ROM_END
