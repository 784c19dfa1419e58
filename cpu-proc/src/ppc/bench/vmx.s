# VMX loop: r3 = iterations, r4 = 16-byte aligned buffer; vector loads,
# multiply-add, integer adds, a permute and a store per iteration.
        .text
        .globl _start
_start:
        mtctr   %r3
        li      %r5, 16
        lvx     %v1, 0, %r4
        lvx     %v2, %r5, %r4
        vspltisw %v3, 1
loop:
        lvx     %v4, 0, %r4
        vmaddfp %v5, %v4, %v1, %v2
        vadduwm %v6, %v6, %v3
        vperm   %v7, %v5, %v6, %v1
        vaddfp  %v8, %v8, %v5
        stvx    %v7, %r5, %r4
        bdnz    loop
        blr
