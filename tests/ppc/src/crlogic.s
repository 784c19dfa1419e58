# Condition register logical operations, mcrf, mfcr/mtcrf/mfocrf/mtocrf,
# mcrxr, and mfspr/mtspr for LR, CTR, XER and VRSAVE.
# CR bits are numbered 0 (cr0.lt, 0x80000000) .. 31 (cr7.so, 0x00000001).
        .text
crand_t: crand 0,5,10
        blr
#> both cr=0x04200000
#> one cr=0x04000000
#> clear cr=0x80000000
cror_t: cror 31,1,2
        blr
#> one cr=0x40000000
#> none cr=0x0000000e
#> self cr=0x00000001
crxor_t: crxor 12,12,12          # crclr
        blr
#> cr=0xffffffff
crxor2_t: crxor 3,0,31
        blr
#> diff cr=0x80000000
#> same cr=0x80000001
crnand_t: crnand 7,8,9
        blr
#> both cr=0x00c00000
#> one cr=0x00800001
crnor_t: crnor 16,17,18
        blr
#> none cr=0
#> one cr=0x00002000
creqv_t: creqv 20,20,20          # crset
        blr
#> cr=0
creqv2_t: creqv 1,2,3
        blr
#> eq cr=0x30000000
#> ne cr=0x20000000
crandc_t: crandc 25,26,27
        blr
#> t cr=0x00000020
#> f cr=0x00000030
crorc_t: crorc 14,15,13
        blr
#> t cr=0
#> f cr=0x00040000
crmove_t: crmove 30,0            # cror 30,0,0
        blr
#> cr=0x80000000
crnot_t: crnot 2,2
        blr
#> cr=0x20000000
#> cr=0x0
mcrf_t: mcrf 7,0
        blr
#> cr=0xa0000005
mcrf2_t: mcrf 2,5
        blr
#> cr=0x12345678
mcrf3_t: mcrf 4,4
        blr
#> cr=0x87654321
mfcr_t: mfcr r3
        blr
#> cr=0xdeadbeef
#> zero cr=0
mfcr_hi_t: li r3,-1
        mfcr r3                 # upper word of RT becomes zero
        blr
#> cr=0x80000001
mtcrf_t: mtcrf 0xff,r4
        blr
#> r4=0x12345678
#> high_ignored r4=0xffffffff00000000 cr=0xffffffff
mtcrf1_t: mtcrf 0x81,r4         # fields 0 and 7 only
        blr
#> r4=0xffffffff cr=0
#> r4=0 cr=0xffffffff
mtcrf2_t: mtcrf 0x3c,r4
        blr
#> r4=0x12345678 cr=0x9abcdef0
mtcrf0_t: mtcrf 0,r4
        blr
#> r4=-1 cr=0x13572468
mfocrf_t: mfocrf r3,0x80        # cr0; other fields of RT zero
        blr
#> cr=0xfedcba98
mfocrf5_t: mfocrf r3,0x04
        blr
#> cr=0xfedcba98
mfocrf7_t: li r3,-1
        mfocrf r3,0x01
        blr
#> cr=0x0000000f
mtocrf_t: mtocrf 0x40,r4        # cr1 only
        blr
#> r4=0xffffffff cr=0
#> r4=0x0a000000 cr=0xffffffff
mtocrf7_t: mtocrf 0x01,r4
        blr
#> r4=0x12345678 cr=0x87654321
mcrxr_t: mcrxr 3                # XER SO OV CA -> cr3, and clears them
        blr
#> all xer=0xe0000000
#> ca xer=0x20000000
#> count_kept xer=0x80000045 cr=0xffffffff
mcrxr0_t: mcrxr 0
        blr
#> xer=0x40000000 cr=0x0f000000
# --- special purpose registers
mflr_t: mflr r3
        blr
#> 1
mtlr_t: mflr r10
        mtlr r4
        mflr r3
        mtlr r10
        blr
#> r4=0x123456789abcdef0
mtspr_lr_t: mflr r10
        mtspr 8,r4              # LR by SPR number
        mfspr r3,8
        mtlr r10
        blr
#> r4=0xfedcba9876543210
mtctr_t: mtctr r4
        mfctr r3
        blr
#> r4=0x8000000000000001
#> r4=0
mtspr_ctr_t: mtspr 9,r4
        mfspr r3,9
        blr
#> r4=0x1111222233334444
mfctr_t: mfctr r3
        blr
#> ctr=0xabcdef
mtxer_t: mtxer r4
        mfxer r3
        blr
#> so r4=0x80000000
#> ov r4=0x40000000
#> ca r4=0x20000000
#> count r4=0x0000007f
#> all r4=0xe000007f
#> clear r4=0 xer=0xe0000010
mtspr_xer_t: mtspr 1,r4
        mfspr r3,1
        blr
#> r4=0xa0000011
mfxer_t: mfxer r3
        blr
#> xer=0xc0000020
xer_ca_use_t: mtxer r4          # CA written by mtxer feeds adde
        adde r3,r5,r6
        blr
#> r4=0x20000000 r5=1 r6=2
#> r4=0 r5=1 r6=2
xer_so_use_t: mtxer r4          # SO written by mtxer is copied into CR0
        cmpw r5,r6
        blr
#> r4=0x80000000 r5=1 r6=1
#> r4=0x40000000 r5=1 r6=2
vrsave_t: mtspr 256,r4          # VRSAVE (SPR 256) is user-accessible
        mfspr r3,256
        blr
#> r4=0xffff0000
#> r4=0x80000001
vrsave2_t: mtvrsave r4
        mfvrsave r3
        blr
#> r4=0x12345678
