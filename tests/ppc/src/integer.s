# Integer arithmetic: add/sub families with carry, overflow (o) and record (.)
# forms, multiply, divide, sign extension, count leading zeros.  64-bit mode:
# CA and OV come from the 64-bit operation, CR0 compares the 64-bit result.
# Every snippet ends with blr.  Case directives (#>) are read by ../oracle.py.
        .text
add_t:  add r3,r4,r5
        blr
#> small r4=5 r5=7
#> neg r4=-5 r5=3
#> wrap64 r4=0x7fffffffffffffff r5=1
#> word_carry r4=0xffffffff r5=1
#> allones r4=-1 r5=-1
addo_t: addo r3,r4,r5
        blr
#> nov r4=5 r5=7
#> ovpos r4=0x7fffffffffffffff r5=1
#> ovneg r4=0x8000000000000000 r5=-1
#> word_no_ov r4=0x7fffffff r5=1
#> so_sticky r4=1 r5=1 xer=0x80000000
#> ov_cleared r4=1 r5=1 xer=0xC0000000
add._t: add. r3,r4,r5
        blr
#> pos r4=5 r5=7
#> zero r4=5 r5=-5
#> neg r4=5 r5=-7
#> word_neg_is_pos64 r4=0x7fffffff r5=1
#> so r4=1 r5=1 xer=0x80000000
#> keeps_other_cr r4=1 r5=-1 cr=0x0F0F0F0F
addo._t: addo. r3,r4,r5
        blr
#> ov r4=0x7fffffffffffffff r5=1
#> zero r4=0x8000000000000000 r5=0x8000000000000000
#> plain r4=2 r5=3
addc_t: addc r3,r4,r5
        blr
#> noca r4=5 r5=7
#> ca r4=-1 r5=1
#> ca_big r4=0x8000000000000000 r5=0x8000000000000000
#> word_nocarry r4=0xffffffff r5=1
#> ca_cleared r4=1 r5=1 xer=0x20000000
addco._t: addco. r3,r4,r5
        blr
#> ca_ov r4=0x8000000000000000 r5=0x8000000000000000
#> ca_only r4=-1 r5=2
#> ov_only r4=0x7fffffffffffffff r5=0x7fffffffffffffff
adde_t: adde r3,r4,r5
        blr
#> noca_in r4=5 r5=7
#> ca_in r4=5 r5=7 xer=0x20000000
#> ca_chain r4=-1 r5=0 xer=0x20000000
#> ca_out r4=-2 r5=1 xer=0x20000000
#> max r4=-1 r5=-1 xer=0x20000000
addeo._t: addeo. r3,r4,r5
        blr
#> ov r4=0x7fffffffffffffff r5=0 xer=0x20000000
#> zero r4=-1 r5=0 xer=0x20000000
#> so_in r4=1 r5=1 xer=0x80000000
addme_t: addme r3,r4
        blr
#> noca r4=5
#> ca r4=5 xer=0x20000000
#> zero_noca r4=0
#> zero_ca r4=0 xer=0x20000000
addmeo._t: addmeo. r3,r4
        blr
#> ov r4=0x8000000000000000
#> noov r4=0x8000000000000000 xer=0x20000000
#> neg r4=0
addze_t: addze r3,r4
        blr
#> noca r4=5
#> ca r4=5 xer=0x20000000
#> wrap r4=-1 xer=0x20000000
addzeo._t: addzeo. r3,r4
        blr
#> ov r4=0x7fffffffffffffff xer=0x20000000
#> zero r4=-1 xer=0x20000000
#> plain r4=0
addi_t: addi r3,r4,-1
        blr
#> r4=0
#> r4=0x8000000000000000
addi0_t: addi r3,0,0x7fff       # li: RA=0 means literal 0
        blr
#> r0=0x1234
addis_t: addis r3,r4,0x8000
        blr
#> r4=0
#> r4=0x80000000
addis0_t: lis r3,0x7fff
        blr
#> 1
addic_t: addic r3,r4,1
        blr
#> noca r4=5
#> ca r4=-1
#> word r4=0xffffffff
addic._t: addic. r3,r4,-1
        blr
#> ca r4=1
#> noca r4=0
#> neg r4=-5
#> so r4=2 xer=0x80000000
subf_t: subf r3,r4,r5          # r5 - r4
        blr
#> small r4=3 r5=10
#> neg r4=10 r5=3
#> min r4=1 r5=0x8000000000000000
subfo._t: subfo. r3,r4,r5
        blr
#> ov r4=1 r5=0x8000000000000000
#> ov2 r4=-1 r5=0x7fffffffffffffff
#> zero r4=7 r5=7
#> plain r4=7 r5=9
subfc_t: subfc r3,r4,r5
        blr
#> ca_ge r4=3 r5=10
#> noca_lt r4=10 r5=3
#> ca_eq r4=5 r5=5
#> ca_zero r4=0 r5=0
#> max r4=-1 r5=-1
subfco._t: subfco. r3,r4,r5
        blr
#> ov r4=1 r5=0x8000000000000000
#> noca r4=1 r5=0
subfe_t: subfe r3,r4,r5         # ~r4 + r5 + CA
        blr
#> ca_in r4=3 r5=10 xer=0x20000000
#> noca_in r4=3 r5=10
#> borrow r4=0 r5=0
#> eq_ca r4=0 r5=0 xer=0x20000000
subfeo._t: subfeo. r3,r4,r5
        blr
#> ov r4=1 r5=0x8000000000000000 xer=0x20000000
#> zero r4=5 r5=5 xer=0x20000000
subfme_t: subfme r3,r4         # ~r4 + CA - 1
        blr
#> noca r4=5
#> ca r4=5 xer=0x20000000
#> allones r4=-1 xer=0x20000000
subfmeo._t: subfmeo. r3,r4
        blr
#> ov r4=0x7fffffffffffffff
#> neg r4=0 xer=0x20000000
subfze_t: subfze r3,r4         # ~r4 + CA
        blr
#> noca r4=5
#> ca r4=5 xer=0x20000000
#> zero_ca r4=0 xer=0x20000000
subfzeo._t: subfzeo. r3,r4
        blr
#> ov r4=0x8000000000000000 xer=0x20000000
#> zero r4=-1
subfic_t: subfic r3,r4,100
        blr
#> ca r4=5
#> noca r4=200
#> eq r4=100
subficm_t: subfic r3,r4,-1
        blr
#> ca r4=0
#> ca_all r4=-1
neg_t:  neg r3,r4
        blr
#> r4=5
#> r4=0
#> r4=0x8000000000000000
nego._t: nego. r3,r4
        blr
#> ov r4=0x8000000000000000
#> pos r4=-7
#> zero r4=0
#> word r4=0x80000000
mullw_t: mullw r3,r4,r5        # 64-bit product of the low words
        blr
#> small r4=6 r5=7
#> neg r4=-6 r5=7
#> big r4=0x7fffffff r5=0x7fffffff
#> highbits_ignored r4=0x1234567800000003 r5=0xabcdef0000000005
#> minmin r4=0x80000000 r5=0x80000000
mullwo._t: mullwo. r3,r4,r5
        blr
#> ov r4=0x10000 r5=0x10000
#> nov r4=0x7fff r5=0x10000
#> neg_nov r4=-1 r5=0x7fffffff
#> ov_min r4=0x80000000 r5=-1
#> zero r4=0 r5=0x12345
mulli_t: mulli r3,r4,-3
        blr
#> r4=7
#> r4=0x4000000000000000
#> r4=-1
mulld_t: mulld r3,r4,r5
        blr
#> r4=6 r5=7
#> r4=0x100000000 r5=0x100000000
#> r4=-3 r5=0x5555555555555555
mulldo._t: mulldo. r3,r4,r5
        blr
#> ov r4=0x100000000 r5=0x100000000
#> nov r4=0x7fffffff r5=-0x80000000
#> ov_min r4=0x8000000000000000 r5=-1
#> neg r4=-2 r5=3
mulhd_t: mulhd r3,r4,r5
        blr
#> pos r4=0x100000000 r5=0x100000000
#> neg r4=-1 r5=1
#> big r4=0x7fffffffffffffff r5=0x7fffffffffffffff
#> mixed r4=0x8000000000000000 r5=3
mulhd._t: mulhd. r3,r4,r5
        blr
#> neg r4=-1 r5=2
#> zero r4=3 r5=4
mulhdu_t: mulhdu r3,r4,r5
        blr
#> big r4=-1 r5=-1
#> small r4=-1 r5=2
#> mid r4=0x123456789abcdef0 r5=0x0fedcba987654321
mulhw_t: mulhw r3,r4,r5        # upper word of RT undefined: cleared after
        clrldi r3,r3,32
        blr
#> pos r4=0x10000 r5=0x10000
#> neg r4=-1 r5=1
#> minmin r4=0x80000000 r5=0x80000000
#> ignores_high r4=0xffffffff00000002 r5=0x40000000
mulhwu_t: mulhwu r3,r4,r5
        clrldi r3,r3,32
        blr
#> big r4=0xffffffff r5=0xffffffff
#> small r4=0x10000 r5=0x10000
#> ignores_high r4=0x1234567880000000 r5=4
divw_t: divw r3,r4,r5          # upper word of RT undefined: cleared after
        clrldi r3,r3,32
        blr
#> pos r4=100 r5=7
#> neg r4=-100 r5=7
#> negneg r4=-100 r5=-7
#> trunc r4=7 r5=-2
#> ignores_high r4=0x1234567800000064 r5=0xffffffff0000000a
divwo_t: divwo r3,r4,r5
        blr
#> zero -r3 r4=5 r5=0
#> minneg1 -r3 r4=0x80000000 r5=-1
#> nov r4=9 r5=3
#> keeps_so r4=9 r5=3 xer=0x80000000
divwu_t: divwu r3,r4,r5
        clrldi r3,r3,32
        blr
#> big r4=0xffffffff r5=2
#> small r4=100 r5=7
#> div_high r4=0x80000000 r5=0xffffffff
divwuo_t: divwuo r3,r4,r5
        blr
#> zero -r3 r4=5 r5=0
#> nov r4=0xfffffffe r5=0xffffffff
divd_t: divd r3,r4,r5
        blr
#> pos r4=1000000000000 r5=7
#> neg r4=-1000000000000 r5=7
#> min r4=0x8000000000000000 r5=2
divd._t: divd. r3,r4,r5
        blr
#> neg r4=-10 r5=3
#> zero r4=2 r5=3
#> pos r4=10 r5=3
divdo_t: divdo r3,r4,r5
        blr
#> zero -r3 r4=5 r5=0
#> minneg1 -r3 r4=0x8000000000000000 r5=-1
#> nov r4=-9 r5=-3
divdu_t: divdu r3,r4,r5
        blr
#> big r4=-1 r5=2
#> same r4=-1 r5=-1
#> small r4=5 r5=10
divduo._t: divduo. r3,r4,r5
        blr
#> zero -r3 -cr r4=5 r5=0
#> plain r4=0x8000000000000000 r5=2
extsb_t: extsb r3,r4
        blr
#> neg r4=0x80
#> pos r4=0x7f
#> high r4=0x12345678abcdef01
extsb._t: extsb. r3,r4
        blr
#> neg r4=0xff
#> zero r4=0xffffff00
#> pos r4=0x1
extsh_t: extsh r3,r4
        blr
#> neg r4=0x8000
#> pos r4=0x12347fff
extsh._t: extsh. r3,r4
        blr
#> neg r4=0xffff
#> zero r4=0x10000
extsw_t: extsw r3,r4
        blr
#> neg r4=0x80000000
#> pos r4=0xffffffff7fffffff
extsw._t: extsw. r3,r4
        blr
#> neg r4=0xffffffff
#> zero r4=0xffffffff00000000
cntlzw_t: cntlzw r3,r4
        blr
#> zero r4=0
#> one r4=1
#> top r4=0x80000000
#> high_ignored r4=0xffffffff00000000
#> mid r4=0x00012345
cntlzw._t: cntlzw. r3,r4
        blr
#> zero r4=0
#> top r4=0xffffffff80000000
cntlzd_t: cntlzd r3,r4
        blr
#> zero r4=0
#> one r4=1
#> top r4=0x8000000000000000
#> word r4=0xffffffff
cntlzd._t: cntlzd. r3,r4
        blr
#> top r4=-1
#> zero r4=0
