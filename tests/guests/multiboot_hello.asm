; multiboot_hello.asm — the test kernel of multiboot_kernel.inc, with the a.out kludge.
%include "multiboot_kernel.inc"
