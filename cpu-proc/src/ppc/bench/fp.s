# FP loop: r3 = iterations; fused multiply-adds, adds, a multiply and a
# single-precision round, with FPSCR flags kept up to date.
        .text
        .globl _start
_start:
        mtctr   %r3
loop:
        fmadd   %f1, %f2, %f3, %f1
        fadd    %f4, %f4, %f2
        fmul    %f5, %f4, %f3
        fmsub   %f6, %f5, %f2, %f6
        fadds   %f7, %f6, %f1
        frsp    %f8, %f5
        bdnz    loop
        blr
