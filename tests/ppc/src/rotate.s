# Rotate and shift.  32-bit rotates (rlw*) in 64-bit mode rotate the low word
# duplicated into both halves (ROTL32), so mask bits above 32 can be set when
# MB > ME (wrapping mask).  Shifts: slw/srw take a 6-bit amount (>= 32 gives 0),
# sraw/srawi/srad/sradi set CA when the result is negative and 1 bits were
# shifted out.
        .text
rlwinm_t: rlwinm r3,r4,8,24,31   # extract byte
        blr
#> r4=0x12345678
#> high_ignored r4=0xffffffff12345678
rlwinm2_t: rlwinm r3,r4,0,0,31   # clrldi 32
        blr
#> r4=0xdeadbeefcafef00d
rlwinm3_t: rlwinm r3,r4,4,0,3
        blr
#> r4=0xf0000001
rlwinmw_t: rlwinm r3,r4,0,28,3   # wrapping mask sets bits 0..31 of the upper word too
        blr
#> r4=0x12345678
#> r4=0xffffffffffffffff
rlwinmr_t: rlwinm r3,r4,16,0,31  # rotate halves
        blr
#> r4=0x1234abcd
rlwinm._t: rlwinm. r3,r4,1,0,31
        blr
#> pos_in_64 r4=0x80000001
#> zero r4=0
rlwinm.w_t: rlwinm. r3,r4,0,31,0  # wrap mask: result has upper bits -> negative
        blr
#> neg r4=0x80000001
slwi_t: slwi r3,r4,31
        blr
#> r4=3
srwi_t: srwi r3,r4,4
        blr
#> r4=0xffffffffffffffff
rlwnm_t: rlwnm r3,r4,r5,0,31
        blr
#> r4=0x12345678 r5=8
#> amt_low5 r4=0x12345678 r5=0x28
#> r4=0x80000000 r5=1
rlwnm._t: rlwnm. r3,r4,r5,16,31
        blr
#> zero r4=0xffff0000 r5=0
#> pos r4=0xffff0000 r5=16
rlwimi_t: rlwimi r3,r4,8,16,23
        blr
#> r3=0xffffffffffffffff r4=0x000000ab
#> r3=0x1111111122222222 r4=0x12345678
rlwimiw_t: rlwimi r3,r4,0,24,7  # wrapping mask also inserts into the upper word
        blr
#> r3=0 r4=0xaabbccdd
#> r3=0x0123456789abcdef r4=0xffffffff
rlwimi._t: rlwimi. r3,r4,0,0,31
        blr
#> r3=0xffffffff00000000 r4=0x80000000
#> zero r3=0 r4=0
rldicl_t: rldicl r3,r4,8,0      # rotldi
        blr
#> r4=0x0123456789abcdef
rldicl2_t: rldicl r3,r4,0,48    # clrldi 48
        blr
#> r4=0x0123456789abcdef
rldicl3_t: rldicl r3,r4,60,4    # srdi 4
        blr
#> r4=0xffffffffffffffff
rldicl._t: rldicl. r3,r4,1,0
        blr
#> neg r4=0x4000000000000000
#> zero r4=0
rldicr_t: rldicr r3,r4,4,59     # sldi 4
        blr
#> r4=0xf123456789abcdef
rldicr2_t: rldicr r3,r4,0,0
        blr
#> r4=0xffffffffffffffff
#> r4=0x7fffffffffffffff
rldicr._t: rldicr. r3,r4,63,63
        blr
#> pos r4=2
#> zero r4=1
rldic_t: rldic r3,r4,8,40
        blr
#> r4=0xffffffffffffffff
#> r4=0x0123456789abcdef
rldic2_t: rldic r3,r4,32,0
        blr
#> r4=0x00000000ffffffff
rldimi_t: rldimi r3,r4,32,0     # insert low word into high word
        blr
#> r3=0x1111111122222222 r4=0xaaaaaaaabbbbbbbb
#> r3=0 r4=-1
rldimi2_t: rldimi r3,r4,8,48
        blr
#> r3=0xffffffffffffffff r4=0
#> r3=0x0123456789abcdef r4=0xff
rldimi._t: rldimi. r3,r4,0,0
        blr
#> neg r3=0 r4=0x8000000000000000
#> zero r3=0 r4=0
rldcl_t: rldcl r3,r4,r5,0
        blr
#> r4=0x0123456789abcdef r5=4
#> amt_low6 r4=0x0123456789abcdef r5=0x44
#> r4=0x8000000000000001 r5=63
rldcl._t: rldcl. r3,r4,r5,56
        blr
#> zero r4=0xff r5=8
#> pos r4=0xff r5=0
rldcr_t: rldcr r3,r4,r5,31
        blr
#> r4=0x0123456789abcdef r5=16
#> r4=-1 r5=0
rldcr._t: rldcr. r3,r4,r5,0
        blr
#> neg r4=1 r5=63
#> zero r4=2 r5=63
slw_t:  slw r3,r4,r5
        blr
#> r4=0x12345678 r5=4
#> r4=0xffffffffffffffff r5=31
#> big r4=0x12345678 r5=32
#> amt63 r4=1 r5=63
#> amt64_wraps r4=1 r5=64
slw._t: slw. r3,r4,r5
        blr
#> pos64 r4=1 r5=31
#> zero r4=1 r5=32
srw_t:  srw r3,r4,r5
        blr
#> r4=0xffffffff80000000 r5=31
#> r4=0x12345678 r5=0
#> big r4=0xffffffff r5=32
srw._t: srw. r3,r4,r5
        blr
#> zero r4=0xf r5=4
#> pos r4=0x80000000 r5=0
sraw_t: sraw r3,r4,r5
        blr
#> neg_ca r4=0x80000001 r5=1
#> neg_noca r4=0x80000000 r5=1
#> pos r4=0x7fffffff r5=4
#> big_neg r4=0x80000000 r5=32
#> big_pos r4=0x7fffffff r5=40
#> zero_amt r4=0xffffffff r5=0
#> neg1 r4=0xffffffff r5=31
sraw._t: sraw. r3,r4,r5
        blr
#> neg r4=0x80000000 r5=4
#> zero r4=0x0000000f r5=4
srawi_t: srawi r3,r4,4
        blr
#> neg_ca r4=0xfffffff1
#> neg_noca r4=0xfffffff0
#> pos r4=0x7ffffff1
#> high_ignored r4=0x1234567800000010
srawi0_t: srawi r3,r4,0
        blr
#> sign_ext r4=0x80000000 xer=0x20000000
srawi._t: srawi. r3,r4,31
        blr
#> neg r4=0x80000000
#> zero r4=0x7fffffff
sld_t:  sld r3,r4,r5
        blr
#> r4=0x0123456789abcdef r5=4
#> r4=1 r5=63
#> big r4=1 r5=64
#> amt127 r4=1 r5=127
#> amt128_wraps r4=1 r5=128
sld._t: sld. r3,r4,r5
        blr
#> neg r4=1 r5=63
#> zero r4=2 r5=63
srd_t:  srd r3,r4,r5
        blr
#> r4=0x8000000000000000 r5=63
#> big r4=-1 r5=64
#> r4=0x0123456789abcdef r5=8
srd._t: srd. r3,r4,r5
        blr
#> zero r4=1 r5=1
#> pos r4=-1 r5=1
srad_t: srad r3,r4,r5
        blr
#> neg_ca r4=0x8000000000000001 r5=1
#> neg_noca r4=0x8000000000000000 r5=1
#> pos r4=0x7fffffffffffffff r5=8
#> big_neg r4=0x8000000000000000 r5=64
#> big_pos r4=0x7fffffffffffffff r5=100
#> zero_amt r4=-1 r5=0 xer=0x20000000
srad._t: srad. r3,r4,r5
        blr
#> neg r4=-16 r5=2
#> zero r4=3 r5=2
sradi_t: sradi r3,r4,4
        blr
#> neg_ca r4=0xfffffffffffffff1
#> neg_noca r4=0xfffffffffffffff0
#> pos r4=0x7ffffffffffffff1
sradi63_t: sradi r3,r4,63
        blr
#> neg r4=0x8000000000000000
#> pos r4=0x7fffffffffffffff
sradi32_t: sradi r3,r4,32         # sh bit 5 is in a separate field
        blr
#> r4=0x8000000000000001
sradi._t: sradi. r3,r4,1
        blr
#> neg r4=-1
#> zero r4=1
