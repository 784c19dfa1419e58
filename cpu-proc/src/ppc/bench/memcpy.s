# Memory copy: r3 = passes; each pass copies 4 KiB from r4 to r5 with
# doubleword loads and stores (every store marks the dirty bitmap).
        .text
        .globl _start
_start:
        mr      %r11, %r3
pass:
        li      %r6, 128
        mtctr   %r6
        addi    %r7, %r4, -8
        addi    %r8, %r5, -8
copy:
        ld      %r9, 8(%r7)
        ldu     %r10, 16(%r7)
        std     %r9, 8(%r8)
        stdu    %r10, 16(%r8)
        bdnz    copy
        addic.  %r11, %r11, -1
        bne     pass
        blr
