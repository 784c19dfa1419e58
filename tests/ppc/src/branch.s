# Branches.  Each bc snippet sets r3=1 when the branch is NOT taken; r3 stays 0
# when it is taken.  CTR-decrementing forms also show the new CTR (64-bit
# compare in 64-bit mode).  BI selects the CR bit (0 = cr0.lt ... 31 = cr7.so).
        .text
bc0_2_t: bc 0,2,1f          # bdnzf: CTR-1 != 0 and CR bit false
        li r3,1
1:      blr
#> cr=0x20000000 ctr=2
#> cr=0x20000000 ctr=1
#> cr=0x20000000 ctr=0x100000000
#> cr=0x0 ctr=2
#> cr=0x0 ctr=1
#> cr=0x0 ctr=0x100000000
bc2_2_t: bc 2,2,1f          # bdzf: CTR-1 == 0 and CR bit false
        li r3,1
1:      blr
#> cr=0x20000000 ctr=2
#> cr=0x20000000 ctr=1
#> cr=0x20000000 ctr=0x100000000
#> cr=0x0 ctr=2
#> cr=0x0 ctr=1
#> cr=0x0 ctr=0x100000000
bc4_2_t: bc 4,2,1f          # bf
        li r3,1
1:      blr
#> cr=0x20000000
#> cr=0x0
bc4_31_t: bc 4,31,1f          # bf
        li r3,1
1:      blr
#> cr=0x1
#> cr=0xfffffffe
bc6_2_t: bc 6,2,1f          # bf, hint not taken (at=10)
        li r3,1
1:      blr
#> cr=0x20000000
#> cr=0x0
bc7_2_t: bc 7,2,1f          # bf, hint taken (at=11)
        li r3,1
1:      blr
#> cr=0x20000000
#> cr=0x0
bc8_2_t: bc 8,2,1f          # bdnzt
        li r3,1
1:      blr
#> cr=0x20000000 ctr=2
#> cr=0x20000000 ctr=1
#> cr=0x20000000 ctr=0x100000000
#> cr=0x0 ctr=2
#> cr=0x0 ctr=1
#> cr=0x0 ctr=0x100000000
bc10_2_t: bc 10,2,1f          # bdzt
        li r3,1
1:      blr
#> cr=0x20000000 ctr=2
#> cr=0x20000000 ctr=1
#> cr=0x20000000 ctr=0x100000000
#> cr=0x0 ctr=2
#> cr=0x0 ctr=1
#> cr=0x0 ctr=0x100000000
bc12_2_t: bc 12,2,1f          # bt
        li r3,1
1:      blr
#> cr=0x20000000
#> cr=0x0
bc12_31_t: bc 12,31,1f          # bt
        li r3,1
1:      blr
#> cr=0x1
#> cr=0xfffffffe
bc14_2_t: bc 14,2,1f          # bt, hint not taken
        li r3,1
1:      blr
#> cr=0x20000000
#> cr=0x0
bc15_2_t: bc 15,2,1f          # bt, hint taken
        li r3,1
1:      blr
#> cr=0x20000000
#> cr=0x0
bc16_2_t: bc 16,2,1f          # bdnz
        li r3,1
1:      blr
#> cr=0xffffffff ctr=2
#> cr=0xffffffff ctr=1
#> cr=0xffffffff ctr=0x100000000
bc18_2_t: bc 18,2,1f          # bdz
        li r3,1
1:      blr
#> cr=0xffffffff ctr=2
#> cr=0xffffffff ctr=1
#> cr=0xffffffff ctr=0x100000000
bc20_2_t: bc 20,2,1f          # branch always
        li r3,1
1:      blr
#> cr=0xffffffff
bc24_2_t: bc 24,2,1f          # bdnz, hint not taken (at=01 in BO{1,4})
        li r3,1
1:      blr
#> cr=0xffffffff ctr=2
#> cr=0xffffffff ctr=1
#> cr=0xffffffff ctr=0x100000000
bc25_2_t: bc 25,2,1f          # bdnz, hint taken
        li r3,1
1:      blr
#> cr=0xffffffff ctr=2
#> cr=0xffffffff ctr=1
#> cr=0xffffffff ctr=0x100000000
bc26_2_t: bc 26,2,1f          # bdz, hint not taken
        li r3,1
1:      blr
#> cr=0xffffffff ctr=2
#> cr=0xffffffff ctr=1
#> cr=0xffffffff ctr=0x100000000
b_t:    b 1f                    # unconditional relative
        li r3,1
        li r4,1
1:      li r5,5
        blr
#> 1
bback_t: b 2f
1:      li r4,7
        blr
2:      li r3,3
        b 1b                    # backward branch
#> 1
bl_t:   mflr r10
        bl 1f                   # LR = address of the next instruction
        li r3,9                 # not executed before 1: (bl skips it)
1:      mflr r4
        mtlr r10
        blr
#> 1
bcl_t:  mflr r10
        bcl 20,31,1f            # always-taken bcl: the usual "get PC" idiom
1:      mflr r4
        mtlr r10
        blr
#> 1
bcl_nt_t: mflr r10
        bcl 4,2,1f              # not taken, but LR is still set
        li r3,1
1:      mflr r4
        mtlr r10
        blr
#> cr=0x20000000
#> taken cr=0
loop_t: li r3,0
1:      addi r3,r3,2
        bdnz 1b                 # CTR iterations
        blr
#> ctr=1
#> ctr=10
#> ctr=100
loopz_t: li r3,0
1:      addi r3,r3,1
        cmpwi r3,5
        bdnzf 2,1b              # until count or r3 == 5
        blr
#> stops_eq ctr=100
#> stops_ctr ctr=3
beqlr_t: beqlr                  # conditional return
        li r3,1
        blr
#> taken cr=0x20000000
#> not cr=0x80000000
bnelr_t: bnelr cr7
        li r3,1
        blr
#> taken cr=0x00000000
#> not cr=0x00000002
bdnzlr_t: bdnzlr
        li r3,1
        blr
#> taken ctr=5
#> not ctr=1
bclr_hint_t: bclr 15,0,0        # btlr with taken hint
        li r3,1
        blr
#> taken cr=0x80000000
#> not cr=0x40000000
bclrl_t: mflr r10
        bl 1f                   # LR -> 2:
2:      mflr r6
        mtlr r10
        blr
1:      mflr r5                 # r5 = address of 2:
        addi r5,r5,3f-2b        # address of 3: below
        mtlr r5
        blrl                    # branch to LR (3:) and set LR to the next insn
        li r3,1
3:      mflr r4
        mtlr r10
        blr
#> 1
bctr_t: mflr r10
        bl 1f
1:      mflr r5
        addi r5,r5,28           # -> 2:
        mtctr r5
        mtlr r10
        li r3,0
        bctr
        li r3,1
2:      blr
#> ctr_is_target
bctrl_t: mflr r10
        bl 1f
1:      mflr r5
        addi r5,r5,24           # -> 2:
        mtctr r5
        bctrl                   # LR = 3:
3:      mtlr r10
        blr
2:      mflr r6                 # r6 = address of 3:
        li r3,7
        mtlr r6
        blr
#> 1
bcctr_t: mflr r10
        bl 1f
1:      mflr r5
        addi r5,r5,28           # -> 2:
        mtctr r5
        mtlr r10
        li r3,0
        beqctr cr1              # conditional bcctr (BO=12, BI=6)
        li r3,1
2:      blr
#> taken cr=0x02000000
#> not cr=0x04000000
bcctr_f_t: mflr r10
        bl 1f
1:      mflr r5
        addi r5,r5,28
        mtctr r5
        mtlr r10
        li r3,0
        bcctr 4,29              # branch if cr7.gt false
        li r3,1
2:      blr
#> taken cr=0x0
#> not cr=0x4
ctr_ret_t: mtctr r4             # return through CTR instead of LR
        li r3,42
        bctr
#> ctr=0 r4=0xbcbcbcbc
trap_t: tw 4,r4,r5              # trap if equal: does not fire here
        twi 8,r4,0              # trap if signed greater than 0: not here
        td 2,r4,r5              # trap if unsigned less: -1 < -2 is false
        tdi 0,r0,0              # TO=0: never traps
        twi 3,r4,-1             # trap if unsigned less or greater (logical): r4 == -1 -> no
        blr
#> nofire r4=-1 r5=-2
