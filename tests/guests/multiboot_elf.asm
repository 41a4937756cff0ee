; multiboot_elf.asm — the test kernel of multiboot_kernel.inc as an ELF32 executable.
%define MB_ELF
%include "multiboot_kernel.inc"
