# Logical operations, register and immediate forms, with record forms (CR0
# from the 64-bit result, SO copied from XER).
        .text
and_t:  and r3,r4,r5
        blr
#> r4=0xff00ff00ff00ff00 r5=0x0ff00ff00ff00ff0
#> r4=-1 r5=0x123456789abcdef0
and._t: and. r3,r4,r5
        blr
#> zero r4=0xf0 r5=0x0f
#> neg r4=-1 r5=0x8000000000000000
#> pos r4=0xff r5=0x0f
#> so r4=0 r5=0 xer=0x80000000
andc_t: andc r3,r4,r5
        blr
#> r4=0xffff r5=0x0ff0
andc._t: andc. r3,r4,r5
        blr
#> zero r4=0xf0 r5=0xff
#> neg r4=-1 r5=1
or_t:   or r3,r4,r5
        blr
#> r4=0xf000000000000000 r5=0x0f
or._t:  or. r3,r4,r5
        blr
#> zero r4=0 r5=0
#> neg r4=0x8000000000000000 r5=0
#> pos r4=1 r5=0x100000000
mr._t:  mr. r3,r4
        blr
#> word_sign_not_cr r4=0x80000000
#> neg r4=-2
orc_t:  orc r3,r4,r5
        blr
#> r4=0 r5=-1
#> r4=0x10 r5=0xff
orc._t: orc. r3,r4,r5
        blr
#> zero r4=0 r5=-1
#> neg r4=0 r5=0
xor_t:  xor r3,r4,r5
        blr
#> r4=0xaaaaaaaaaaaaaaaa r5=0xffffffff00000000
xor._t: xor. r3,r4,r5
        blr
#> zero r4=0x1234 r5=0x1234
#> neg r4=0x7fffffffffffffff r5=-1
nor_t:  nor r3,r4,r5
        blr
#> r4=0 r5=0
#> r4=0xf0f0 r5=0x0f0f
nor._t: nor. r3,r4,r5
        blr
#> zero r4=-1 r5=0
#> pos r4=0x8000000000000000 r5=0
not_t:  not r3,r4
        blr
#> r4=0x00000000ffffffff
nand_t: nand r3,r4,r5
        blr
#> r4=-1 r5=-1
#> r4=0xff r5=0xf0
nand._t: nand. r3,r4,r5
        blr
#> zero r4=-1 r5=-1
#> neg r4=0 r5=0
eqv_t:  eqv r3,r4,r5
        blr
#> r4=0xff00 r5=0x0ff0
eqv._t: eqv. r3,r4,r5
        blr
#> neg r4=5 r5=5
#> zero r4=-1 r5=0
andi._t: andi. r3,r4,0x8001
        blr
#> zero r4=0x7ffe
#> pos r4=0xffffffffffffffff
#> so r4=0 xer=0x80000000
andis._t: andis. r3,r4,0x8000
        blr
#> pos r4=0xffffffffffffffff
#> zero r4=0x7fffffff
ori_t:  ori r3,r4,0xffff
        blr
#> r4=0xffffffff00000000
#> r4=0
oris_t: oris r3,r4,0x8000
        blr
#> no_sign_ext r4=0
#> r4=0x1234
xori_t: xori r3,r4,0x5555
        blr
#> r4=0xffff
#> r4=-1
xoris_t: xoris r3,r4,0xffff
        blr
#> r4=0xffff0000
#> r4=0
nop_t:  nop
        ori r0,r0,0
        blr
#> keep r0=0x1234 r3=0x5678 cr=0x12345678 xer=0xA0000000
