; v86.asm — virtual-8086 mode (Intel SDM vol. 3 ch. 20.2-20.3): entry by iret
; with EFLAGS.VM=1, real-mode addressing, IOPL-sensitive instructions trapping
; to a #GP monitor that emulates them (cli, sti, int n reflected through the
; real-mode IVT, iret), the TSS I/O permission bitmap, int n through the
; protected-mode IDT at IOPL 3, and the return to protected mode.
%include "rom.inc"

V86_SS          equ 0x5000
V86_SP          equ 0xFFFE
V86_DS          equ 0x1234
IOMAP           equ 0x68            ; I/O bitmap offset in the TSS
gp_count        equ 0x640
gp_errs         equ 0x644
gp_eflags       equ 0x648
gp_ds           equ 0x64C
gp_log          equ 0x650           ; opcodes seen by the monitor (16 bytes)
gp_esp          equ 0x660
last_int        equ 0x664
H31             equ 0x670           ; int 0x31 frame, from the IDT handler
H30             equ 0x6A0           ; 1 if int 0x30 wrongly went through the IDT
VR              equ 0x700           ; results written by v86 code (ES = 0)

        bits    16
main:
        ENTER_PM
        call    idt_init
        call    tss_init
        ; TSS with an I/O bitmap: all ports allowed but 0x80
        mov     edi, TSS + IOMAP
        mov     ecx, 0x2000 / 4
        xor     eax, eax
        rep     stosd
        mov     byte [TSS + IOMAP + 0x2000], 0xFF
        mov     byte [TSS + IOMAP + 0x80 / 8], 1 << (0x80 % 8)
        mov     word [TSS + 102], IOMAP
        mov     eax, SEL_TSS
        mov     ebx, TSS
        mov     ecx, IOMAP + 0x2000
        mov     edx, 0x89
        call    set_desc
        mov     ax, SEL_TSS
        ltr     ax

        mov     eax, 13
        mov     ebx, v86_gp
        mov     ecx, SEL_CODE0
        mov     edx, 0x8E
        call    set_gate
        mov     eax, 0x31
        mov     ebx, h31
        mov     edx, 0xEE
        call    set_gate
        mov     eax, 0x30
        mov     ebx, h30
        call    set_gate
        mov     word [0x30 * 4], R16(v86_int30)
        mov     word [0x30 * 4 + 2], 0xF000
        mov     word [V86_DS * 16 + 0x10], 0xBEEF

; -- Phase 1: IOPL 0, a monitor emulates the sensitive instructions --
        mov     eax, R16(v86_code1)
        xor     ebx, ebx
        call    enter_v86
        movzx   eax, word [VR + 0]
        EXPECT  eax, 0xBEEF, "v86: DS:offset = DS*16 + offset"
        movzx   eax, word [VR + 2]
        EXPECT  eax, 0xF000, "v86: CS reads as a paragraph number"
        movzx   eax, word [VR + 4]
        EXPECT  eax, V86_DS, "v86: DS loaded from the iret frame"
        EXPECT  [gp_log], 0xCFCDFBFA, "IOPL 0: cli, sti, int n, iret trap to the monitor"
        mov     eax, [gp_log + 4]
        and     eax, 0xFFFF
        EXPECT  eax, 0xF4E6, "out to a port denied by the I/O bitmap, hlt trap"
        EXPECT  [gp_count], 6, "no other instruction trapped (out 0xE9 allowed)"
        EXPECT  [gp_errs], 0, "all #GP error codes are 0"
        EXPECT  [last_int], 0x30, "the monitor saw int 0x30"
        movzx   eax, word [VR + 6]
        EXPECT  eax, 0x3030, "int 0x30 reflected to the real-mode IVT handler"
        movzx   eax, word [VR + 8]
        EXPECT  eax, 0x4040, "emulated iret returned after the int"
        EXPECT  [H30], 0, "IOPL 0: int n does not use the IDT"
        mov     eax, [gp_eflags]
        and     eax, 0x20000
        EXPECT  eax, 0x20000, "#GP frame EFLAGS has VM set"
        EXPECT  [gp_ds], 0, "DS is null in a handler entered from v86"
        EXPECT  [gp_esp], RING0_STACK - 40, "v86 -> ring 0 pushes GS FS DS ES SS ESP EFLAGS CS EIP + error"

; -- Phase 2: IOPL 3, int n goes through the IDT --
        mov     dword [gp_count], 0
        mov     eax, R16(v86_code2)
        mov     ebx, 0x3000
        call    enter_v86
        EXPECT  [gp_count], 1, "IOPL 3: cli does not trap; hlt does"
        EXPECT  [H31 + 0], RING0_STACK - 36, "int 0x31 from v86: SS0:ESP0, 9-dword frame"
        EXPECT  [H31 + 4], 0, "int 0x31 handler: DS is null"
        mov     eax, [H31 + 8]
        and     eax, 0x23000
        EXPECT  eax, 0x23000, "int 0x31 frame: EFLAGS has VM and IOPL 3"
        EXPECT  [H31 + 12], 0, "int 0x31 frame: ES"
        EXPECT  [H31 + 16], V86_DS, "int 0x31 frame: DS"
        EXPECT  [H31 + 20], 0xF000, "int 0x31 frame: CS"
        movzx   eax, word [VR + 12]
        EXPECT  eax, 0x3131, "iret from the handler back to v86"
        movzx   eax, word [VR + 14]
        and     eax, 0x3200
        EXPECT  eax, 0x3000, "IOPL 3: cli clears IF; pushf shows IOPL 3"
        xor     eax, eax
        mov     ax, cs
        EXPECT  eax, SEL_CODE0, "back in protected mode"
        jmp     done32

; enter_v86(eax = IP at CS=F000, ebx = IOPL bits): runs until the monitor
; sees hlt; returns with registers kept.
enter_v86:
        pushad
        mov     [kern_esp], esp
        push    dword 0                                 ; GS
        push    dword 0                                 ; FS
        push    dword V86_DS
        push    dword 0                                 ; ES
        push    dword V86_SS
        push    dword V86_SP
        or      ebx, 0x20002                            ; VM
        push    ebx
        push    dword 0xF000
        push    eax
        iretd

leave_v86:
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     esp, [kern_esp]
        popad
        ret

; The monitor. Frame after pushad: +32 error, +36 EIP, +40 CS, +44 EFLAGS,
; +48 ESP, +52 SS, +56 ES, +60 DS, +64 FS, +68 GS.
v86_gp:
        mov     [ss:gp_esp], esp
        push    eax
        mov     eax, ds
        mov     [ss:gp_ds], eax
        pop     eax
        pushad
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        mov     ebp, esp
        mov     eax, [ebp + 32]
        or      [gp_errs], eax
        mov     eax, [ebp + 44]
        mov     [gp_eflags], eax
        movzx   esi, word [ebp + 40]
        shl     esi, 4
        movzx   eax, word [ebp + 36]
        add     esi, eax                                ; linear CS:IP
        movzx   eax, byte [esi]
        mov     ecx, [gp_count]
        cmp     ecx, 16
        jae     .nolog
        mov     [gp_log + ecx], al
.nolog: inc     dword [gp_count]
        cmp     al, 0xFA                                ; cli
        je      .one
        cmp     al, 0xFB                                ; sti
        je      .one
        cmp     al, 0xE6                                ; out imm8, al
        je      .two
        cmp     al, 0xCD
        je      .int
        cmp     al, 0xCF
        je      .iret
        jmp     leave_v86                               ; hlt (or anything else)
.one:   inc     dword [ebp + 36]
        jmp     .ret
.two:   add     dword [ebp + 36], 2
        jmp     .ret
.int:   movzx   ebx, byte [esi + 1]
        mov     [last_int], ebx
        call    v86_stack
        sub     ecx, 6
        and     ecx, 0xFFFF
        mov     [ebp + 48], ecx
        add     edi, ecx
        mov     eax, [ebp + 44]
        mov     [edi + 4], ax                           ; FLAGS
        mov     eax, [ebp + 40]
        mov     [edi + 2], ax                           ; CS
        mov     eax, [ebp + 36]
        add     eax, 2
        mov     [edi], ax                               ; IP after int n
        movzx   eax, word [ebx * 4]
        mov     [ebp + 36], eax
        movzx   eax, word [ebx * 4 + 2]
        mov     [ebp + 40], eax
        and     dword [ebp + 44], ~0x100                ; TF
        jmp     .ret
.iret:  call    v86_stack
        add     edi, ecx
        movzx   eax, word [edi]
        mov     [ebp + 36], eax
        movzx   eax, word [edi + 2]
        mov     [ebp + 40], eax
        movzx   eax, word [edi + 4]                     ; arithmetic flags, DF, TF
        and     eax, 0x0DD5
        and     dword [ebp + 44], ~0x0DD5
        or      [ebp + 44], eax
        add     ecx, 6
        and     ecx, 0xFFFF
        mov     [ebp + 48], ecx
.ret:   popad
        add     esp, 4
        iretd

v86_stack:                                              ; edi = SS*16, ecx = SP
        movzx   edi, word [ebp + 52]
        shl     edi, 4
        movzx   ecx, word [ebp + 48]
        ret

h31:    mov     [ss:H31 + 0], esp
        push    eax
        mov     eax, ds
        mov     [ss:H31 + 4], eax
        mov     eax, [esp + 4 + 8]
        mov     [ss:H31 + 8], eax
        mov     eax, [esp + 4 + 20]
        mov     [ss:H31 + 12], eax
        mov     eax, [esp + 4 + 24]
        mov     [ss:H31 + 16], eax
        mov     eax, [esp + 4 + 4]
        mov     [ss:H31 + 20], eax
        pop     eax
        iretd

h30:    mov     dword [ss:H30], 1
        iretd

; -- Virtual-8086 code (CS = 0xF000, DS = V86_DS, ES = 0) --
        bits    16
v86_code1:
        mov     ax, [0x10]
        mov     [es:VR + 0], ax
        mov     [es:VR + 2], cs
        mov     [es:VR + 4], ds
        cli
        sti
        int     0x30
        mov     word [es:VR + 8], 0x4040
        mov     si, R16(s_hello)
.p:     cs lodsb
        test    al, al
        jz      .pe
        out     DEBUGCON, al
        jmp     .p
.pe:    out     0x80, al
        hlt

v86_int30:
        mov     word [es:VR + 6], 0x3030
        iret

v86_code2:
        cli
        int     0x31
        mov     word [es:VR + 12], 0x3131
        pushf
        pop     ax
        mov     [es:VR + 14], ax
        hlt

s_hello: db     "# hello from v86 through the I/O bitmap", 10, 0

        ROM_END
