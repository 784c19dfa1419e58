# Integer loop: r3 = iterations. ALU, rotate, record and carry forms,
# compare and a counted branch; 10 instructions per iteration.
        .text
        .globl _start
_start:
        mtctr   %r3
        li      %r4, 0
        li      %r5, 1
        lis     %r6, 0x1234
loop:
        add.    %r4, %r4, %r5
        rlwinm  %r7, %r4, 3, 0, 28
        xor     %r6, %r6, %r7
        addc    %r8, %r6, %r4
        subfe   %r9, %r8, %r5
        srawi   %r10, %r9, 2
        or      %r5, %r5, %r10
        cmpw    %cr1, %r6, %r7
        addi    %r5, %r5, 1
        bdnz    loop
        mr      %r3, %r4
        blr
