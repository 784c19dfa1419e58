# Loads and stores of every width: D-form, update (u), indexed (x), update
# indexed (ux), algebraic (lha/lwa), byte-reversed (lhbrx/lwbrx/ldbrx and
# stores), lmw/stmw, string loads/stores, FP loads/stores, unaligned accesses
# (Xenon handles them for plain integer/FP loads and stores), the reservation
# pair lwarx/stwcx. and ldarx/stdcx. on one thread, and the cache/sync hints
# that do nothing visible (dcbt, dcbtst, dcbf, dcbst, icbi, sync, lwsync,
# eieio, isync).  dcbz/dcbz128 are in xenon.s (Xenon line sizes differ from
# the QEMU oracle's).
# Data lives in the window 0x10001000-0x1000FFFF; r4 holds a base address.
        .text
lbz_t:  lbz r3,3(r4)
        blr
#> r4=0x10001000 m0x10001000=0011223344556677
#> high r4=0x10001000 m0x10001000=00112233ff556677
lbzu_t: lbzu r3,-1(r4)
        blr
#> r4=0x10001008 m0x10001000=0011223344556677
lbzx_t: lbzx r3,r4,r5
        blr
#> r4=0x10001000 r5=0x7 m0x10001000=0011223344556677
lbzx0_t: lbzx r3,0,r5           # RA=0 means 0
        blr
#> r0=0x1000 r5=0x10001002 m0x10001000=0011223344556677
lbzux_t: lbzux r3,r4,r5
        blr
#> r4=0x10001004 r5=-2 m0x10001000=0011223344556677
lhz_t:  lhz r3,2(r4)
        blr
#> r4=0x10001000 m0x10001000=00118233
#> unaligned r4=0x10001000 m0x10001000=0011823344
lhzu_t: lhzu r3,4(r4)
        blr
#> r4=0x10001000 m0x10001000=00112233aabbccdd
lhzx_t: lhzx r3,r4,r5
        blr
#> odd r4=0x10001000 r5=0x0f m0x10001000=00112233445566778899aabbccddeeff0102
lhzux_t: lhzux r3,r4,r5
        blr
#> r4=0x10001000 r5=6 m0x10001000=0011223344556677
lha_t:  lha r3,0(r4)
        blr
#> neg r4=0x10001000 m0x10001000=8001
#> pos r4=0x10001000 m0x10001000=7ffe
lhau_t: lhau r3,2(r4)
        blr
#> r4=0x10001000 m0x10001000=0000fffe
lhax_t: lhax r3,r4,r5
        blr
#> r4=0x10001000 r5=1 m0x10001000=00ff7f00
lhaux_t: lhaux r3,r4,r5
        blr
#> r4=0x10001010 r5=-16 m0x10001000=9000
lwz_t:  lwz r3,4(r4)
        blr
#> r4=0x10001000 m0x10001000=0011223388776655
#> unaligned r4=0x10001001 m0x10001000=0011223388776655
#> cross16 r4=0x1000100b m0x10001000=00112233445566778899aabbccddeeff0102030405
lwzu_t: lwzu r3,8(r4)
        blr
#> r4=0x10001000 m0x10001000=0000000000000000deadbeef
lwzx_t: lwzx r3,r4,r5
        blr
#> r4=0x10001000 r5=0x100 m0x10001100=cafef00d
lwzux_t: lwzux r3,r4,r5
        blr
#> r4=0x10001100 r5=-0x100 m0x10001000=12345678
lwa_t:  lwa r3,4(r4)
        blr
#> neg r4=0x10001000 m0x10001000=0000000080000000
#> pos r4=0x10001000 m0x10001000=000000007fffffff
lwax_t: lwax r3,r4,r5
        blr
#> r4=0x10001000 r5=2 m0x10001000=0000fffffffe
lwaux_t: lwaux r3,r4,r5
        blr
#> r4=0x10001000 r5=8 m0x10001000=0000000000000000ffffffff
ld_t:   ld r3,8(r4)
        blr
#> r4=0x10001000 m0x10001000=00000000000000000123456789abcdef
#> unaligned r4=0x10001003 m0x10001000=00000000000000000123456789abcdef0011
ldu_t:  ldu r3,-8(r4)
        blr
#> r4=0x10001010 m0x10001000=0000000000000000fedcba9876543210
ldx_t:  ldx r3,r4,r5
        blr
#> r4=0x10001000 r5=0x20 m0x10001020=8000000000000001
ldux_t: ldux r3,r4,r5
        blr
#> r4=0x10001000 r5=0x18 m0x10001018=1122334455667788
lhbrx_t: lhbrx r3,r4,r5
        blr
#> r4=0x10001000 r5=0 m0x10001000=3412
#> neg_no_sign r4=0x10001000 r5=1 m0x10001000=00ff80
lwbrx_t: lwbrx r3,r4,r5
        blr
#> r4=0x10001000 r5=0 m0x10001000=78563412
#> unaligned r4=0x10001000 r5=3 m0x10001000=00000000efbeadde
ldbrx_t: ldbrx r3,r4,r5
        blr
#> r4=0x10001000 r5=0 m0x10001000=efcdab8967452301
#> unaligned r4=0x10001000 r5=5 m0x10001000=0000000000efcdab8967452381
stb_t:  stb r5,1(r4)
        blr
#> r4=0x10001000 r5=0x12345678 m0x10001000=aaaaaaaa
stbu_t: stbu r5,2(r4)
        blr
#> r4=0x10001000 r5=0xff
stbx_t: stbx r5,r4,r6
        blr
#> r4=0x10001000 r5=0x80 r6=0x33
stbux_t: stbux r5,r4,r6
        blr
#> r4=0x10001000 r5=0x7f r6=0xf
sth_t:  sth r5,2(r4)
        blr
#> r4=0x10001000 r5=0x1122334455667788 m0x10001000=ffffffffffff
#> unaligned r4=0x10001001 r5=0xabcd
sthu_t: sthu r5,6(r4)
        blr
#> r4=0x10001000 r5=0xbeef
sthx_t: sthx r5,r4,r6
        blr
#> cross16 r4=0x10001000 r5=0x1234 r6=0xf
sthux_t: sthux r5,r4,r6
        blr
#> r4=0x10001010 r5=0x5678 r6=-4
stw_t:  stw r5,4(r4)
        blr
#> r4=0x10001000 r5=0xffffffff12345678
#> unaligned r4=0x10001002 r5=0xdeadbeef m0x10001000=11111111111111111111
stwu_t: stwu r5,-4(r4)
        blr
#> r4=0x10001010 r5=0xcafebabe
stwx_t: stwx r5,r4,r6
        blr
#> r4=0x10001000 r5=0x01020304 r6=0x40
#> cross16 r4=0x10001000 r5=0x01020304 r6=0x0e
stwux_t: stwux r5,r4,r6
        blr
#> r4=0x10001000 r5=0x0a0b0c0d r6=0x24
std_t:  std r5,8(r4)
        blr
#> r4=0x10001000 r5=0x0123456789abcdef
#> unaligned r4=0x10001005 r5=0x0123456789abcdef
stdu_t: stdu r5,16(r4)
        blr
#> r4=0x10001000 r5=-2
stdx_t: stdx r5,r4,r6
        blr
#> r4=0x10001000 r5=0x8877665544332211 r6=0x30
stdux_t: stdux r5,r4,r6
        blr
#> r4=0x10001000 r5=0x1 r6=0x38
sthbrx_t: sthbrx r5,r4,r6
        blr
#> r4=0x10001000 r5=0x1234 r6=0
#> unaligned r4=0x10001000 r5=0xabcd r6=3
stwbrx_t: stwbrx r5,r4,r6
        blr
#> r4=0x10001000 r5=0x12345678 r6=0
#> unaligned r4=0x10001000 r5=0x89abcdef r6=0xd
stdbrx_t: stdbrx r5,r4,r6
        blr
#> r4=0x10001000 r5=0x0123456789abcdef r6=0
#> unaligned r4=0x10001000 r5=0x0123456789abcdef r6=0x9
lmw_t:  lmw r27,0(r4)          # loads r27..r31, zero-extended words
        blr
#> r4=0x10001000 m0x10001000=00000001800000020000000300000004ffffffff
lmw29_t: lmw r29,4(r4)
        blr
#> r4=0x10001000 m0x10001000=000000001111111122222222333333334444
stmw_t: stmw r28,0(r4)         # stores the low words of r28..r31
        blr
#> r4=0x10001010 r28=0xaaaaaaaa11111111 r29=0x22222222 r30=0x33333333 r31=0xffffffff44444444
stmw30_t: stmw r30,-8(r4)
        blr
#> r4=0x10001020 r30=0x0102030405060708 r31=0x1112131415161718
lswi_t: lswi r5,r4,7           # 7 bytes into r5 (4) and r6 (3, left-justified)
        blr
#> r4=0x10001000 m0x10001000=00112233445566778899 r6=-1
lswi32_t: lswi r8,r4,0        # NB=0 means 32 bytes: r8..r15
        blr
#> r4=0x10001000 m0x10001000=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
lswx_t: lswx r7,r4,r5          # byte count from XER[25:31]
        blr
#> r4=0x10001000 r5=1 xer=5 m0x10001000=a0a1a2a3a4a5a6a7 r8=-1
#> zero_count r4=0x10001000 r5=1 xer=0 r7=0x77 m0x10001000=a0a1a2a3a4a5a6a7
stswi_t: stswi r5,r4,6
        blr
#> r4=0x10001000 r5=0x11223344 r6=0x55667788
stswx_t: stswx r5,r4,r7
        blr
#> r4=0x10001000 r7=2 r5=0x11223344 r6=0x55667788 xer=7
# --- floating-point loads and stores
lfs_t:  lfs f1,0(r4)           # single -> double, exact
        blr
#> r4=0x10001000 m0x10001000=3fc00000
#> denorm r4=0x10001000 m0x10001000=00000001
#> inf r4=0x10001000 m0x10001000=ff800000
#> nan_keeps_payload r4=0x10001000 m0x10001000=7fc12345
#> snan_not_quieted r4=0x10001000 m0x10001000=7f812345
#> unaligned r4=0x10001001 m0x10001000=00c0490fdb
lfsu_t: lfsu f2,4(r4)
        blr
#> r4=0x10001000 m0x10001000=00000000bf800000
lfsx_t: lfsx f3,r4,r5
        blr
#> r4=0x10001000 r5=8 m0x10001000=000000000000000080000000
lfsux_t: lfsux f4,r4,r5
        blr
#> r4=0x10001000 r5=12 m0x10001000=00000000000000000000000042280000
lfd_t:  lfd f1,8(r4)
        blr
#> r4=0x10001000 m0x10001000=0000000000000000400921fb54442d18
#> snan r4=0x10001000 m0x10001000=00000000000000007ff0000000000001
#> unaligned r4=0x10000ffd m0x10001000=0000000000000000400921fb54442d18
lfdu_t: lfdu f2,-8(r4)
        blr
#> r4=0x10001008 m0x10001000=c000000000000000
lfdx_t: lfdx f3,r4,r5
        blr
#> r4=0x10001000 r5=16 m0x10001010=0000000000000001
lfdux_t: lfdux f4,r4,r5
        blr
#> r4=0x10001000 r5=24 m0x10001018=7ff0000000000000
stfs_t: stfs f1,4(r4)          # double -> single (rounded per FPSCR[RN])
        blr
#> f1=1.5 r4=0x10001000
#> round f1=0x3ff0000010000000 r4=0x10001000
#> denorm_single f1=0x37D0000000000000 r4=0x10001000
#> denorm_single_trunc f1=0x37D0000000000001 r4=0x10001000
#> nan f1=0x7ff8000000000123 r4=0x10001000
#> unaligned f1=-2.0 r4=0x10001003
stfsu_t: stfsu f1,8(r4)
        blr
#> f1=0.25 r4=0x10001000
stfsx_t: stfsx f1,r4,r5
        blr
#> f1=-0 r4=0x10001000 r5=0x20
stfsux_t: stfsux f1,r4,r5
        blr
#> f1=inf r4=0x10001000 r5=0x24
stfd_t: stfd f1,8(r4)
        blr
#> f1=3.25 r4=0x10001000
#> snan_kept f1=snan r4=0x10001000
#> unaligned f1=0x0102030405060708 r4=0x10001001
stfdu_t: stfdu f1,-8(r4)
        blr
#> f1=-1.0 r4=0x10001010
stfdx_t: stfdx f1,r4,r5
        blr
#> f1=0x8000000000000001 r4=0x10001000 r5=0x30
stfdux_t: stfdux f1,r4,r5
        blr
#> f1=1e300 r4=0x10001000 r5=0x38
stfiwx_t: stfiwx f1,r4,r5      # low word of the FPR, no conversion
        blr
#> f1=0x123456789abcdef0 r4=0x10001000 r5=4
#> f1=1.0 r4=0x10001000 r5=0 m0x10001000=ffffffff
# --- reservations (one thread)
lwarx_t: lwarx r3,r4,r5
        stwcx. r6,r4,r5        # succeeds: CR0 = 0b001 || SO
        blr
#> r4=0x10001000 r5=8 r6=0x55555555 m0x10001008=12345678
#> so r4=0x10001000 r5=8 r6=0x55555555 m0x10001008=12345678 xer=0x80000000
lwarx_add_t: lwarx r3,0,r4      # the usual atomic-increment loop
        addi r3,r3,1
        stwcx. r3,0,r4
        bne- lwarx_add_t
        blr
#> r4=0x10001010 m0x10001010=0000ffff
stwcx_nores_t: stwcx. r6,r4,r5  # no reservation held: fails, memory unchanged
        blr
#> r4=0x10001000 r5=0 r6=0x11111111 m0x10001000=aaaaaaaa
stwcx_twice_t: lwarx r3,0,r4
        stwcx. r5,0,r4
        mfcr r7
        stwcx. r6,0,r4          # reservation consumed: fails
        blr
#> r4=0x10001000 r5=1 r6=2 m0x10001000=00000000
ldarx_t: ldarx r3,r4,r5
        stdcx. r6,r4,r5
        blr
#> r4=0x10001000 r5=0x10 r6=0x0102030405060708 m0x10001010=8000000000000000
stdcx_nores_t: stdcx. r6,0,r4
        blr
#> r4=0x10001000 r6=-1 m0x10001000=0000000000000001
lwarx_sz_t: lwarx r3,0,r4       # zero-extends the word
        blr
#> r4=0x10001000 m0x10001000=ffffffff
# --- hints and barriers: no architected effect on registers or memory
hints_t: dcbt r4,r5
        dcbtst r4,r5
        dcbf r4,r5
        dcbst r4,r5
        icbi r4,r5
        sync
        lwsync
        eieio
        isync
        blr
#> r4=0x10001000 r5=0x20 m0x10001020=0123456789abcdef cr=0x12345678 xer=0x20000000
