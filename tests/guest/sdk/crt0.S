/* Start-up code of Xenact guest programs.
 *
 * The kernel starts the title's main thread at the XEX entry point with r1
 * pointing into the stack it allocated (the XEX default stack size). This
 * code makes the stack pointer a clean 32-bit, 16-byte aligned address with
 * an empty back chain, clears .bss, calls main() and ends the title with
 * main's return value (see xenact_exit in runtime.c). */
        .machine ppc64
        .section .text.start,"ax",@progbits
        .globl  _start
        .type   _start,@function
_start:
        /* Titles run in 64-bit mode: keep only the low 32 bits of the
           stack pointer, then align it and open a frame with a null back
           chain so debuggers and unwinders stop here. */
        rldicl  %r1,%r1,0,32
        clrrwi  %r1,%r1,4
        li      %r0,0
        stwu    %r0,-32(%r1)

        /* Clear .bss a word at a time (the loader zero-fills the image
           too; this keeps the program correct if it is ever re-entered). */
        lis     %r3,__bss_start@ha
        addi    %r3,%r3,__bss_start@l
        lis     %r4,__bss_end@ha
        addi    %r4,%r4,__bss_end@l
1:      cmplw   %r3,%r4
        bge     2f
        stw     %r0,0(%r3)
        addi    %r3,%r3,4
        b       1b
2:
        bl      main
        bl      xenact_exit
3:      b       3b
        .size   _start,.-_start

        .section .note.GNU-stack,"",@progbits
