# Compares: signed/unsigned, word (L=0, low 32 bits sign/zero extended) and
# doubleword (L=1), into CR fields 0..7; SO is copied from XER.
        .text
cmpw_t: cmpw r4,r5
        blr
#> lt r4=1 r5=2
#> gt r4=2 r5=1
#> eq r4=5 r5=5
#> signed r4=0xffffffff r5=0
#> high_ignored r4=0x100000001 r5=1
#> so r4=1 r5=1 xer=0x80000000
#> other_fields r4=0 r5=1 cr=0xffffffff
cmpw7_t: cmpw cr7,r4,r5
        blr
#> lt r4=-5 r5=3
#> eq r4=7 r5=7 cr=0x12345670
cmpd_t: cmpd cr3,r4,r5
        blr
#> lt r4=0x8000000000000000 r5=0
#> gt r4=0x100000000 r5=1
#> eq r4=-1 r5=-1
#> so r4=2 r5=-1 xer=0x80000000
cmplw_t: cmplw cr1,r4,r5
        blr
#> unsigned_gt r4=0xffffffff r5=0
#> lt r4=1 r5=2
#> eq r4=0xaaaaaaaa00000005 r5=0x5
cmpld_t: cmpld r4,r5
        blr
#> gt r4=0x8000000000000000 r5=1
#> lt r4=1 r5=0x100000000
#> eq r4=0 r5=0
#> so r4=0 r5=0 xer=0x80000000
cmpwi_t: cmpwi cr2,r4,-1
        blr
#> eq r4=0xffffffff
#> gt r4=0
#> lt r4=0x80000000
cmpdi_t: cmpdi cr5,r4,-1
        blr
#> lt_word_is_pos r4=0xffffffff
#> eq r4=-1
#> lt r4=0x8000000000000000
cmplwi_t: cmplwi cr6,r4,0xffff
        blr
#> eq r4=0xffff
#> gt r4=0x10000
#> lt r4=0x1
cmpldi_t: cmpldi r4,0x8000
        blr
#> gt r4=0xffffffff00000000
#> lt r4=0x7fff
#> eq r4=0x8000
#> so r4=0x8000 xer=0x80000000
