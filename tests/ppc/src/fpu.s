# Floating point.  FPSCR bits (mask): FX 80000000 FEX 40000000 VX 20000000
# OX 10000000 UX 08000000 ZX 04000000 XX 02000000 VXSNAN 01000000
# VXISI 00800000 VXIDI 00400000 VXZDZ 00200000 VXIMZ 00100000 VXVC 00080000
# FR 00040000 FI 00020000 FPRF 0001F000 (C FL FG FE FU) VXSOFT 00000400
# VXSQRT 00000200 VXCVI 00000100 VE..XE 000000F8 NI 00000004 RN 00000003.
# FPRF: +norm 4000, -norm 8000, +denorm 14000, -denorm 18000, +0 2000,
# -0 12000, +inf 5000, -inf 9000, QNaN 11000.
#
# The QEMU oracle does not model FPSCR[FR] (fraction rounded), so snippets
# that can round end with FRET, which clears FR before returning; FR itself
# is tested by hand in xenon.s.  Where the architecture leaves FPRF undefined
# (fctiw/fctid family) the snippet clears FPRF with FCLR before returning.
        .text
        .macro FRET
        mtfsb0 13
        blr
        .endm
        .macro FCLR
        mtfsfi 4,0
        mtfsb0 15
        .endm
fadd_t: fadd f3,f1,f2
        FRET
#> exact f1=1.5 f2=2.25
#> neg f1=1.0 f2=-3.0
#> zero f1=1.0 f2=-1.0
#> negzero f1=-0 f2=-0
#> inexact f1=1.0 f2=1e-20
#> tie_even f1=1.0 f2=0x3CA0000000000000
#> overflow f1=1.7976931348623157e308 f2=1.7976931348623157e308
#> inf f1=inf f2=1.0
#> inf_inf f1=inf f2=-inf
#> qnan_a f1=0x7ff8000000000001 f2=0x7ff8000000000002
#> qnan_b f1=1.0 f2=0x7ff8000000000002
#> snan f1=snan f2=1.0
#> denorm f1=0x0010000000000000 f2=0x8008000000000000
#> denorm_sum f1=0x0000000000000001 f2=0x0000000000000001
#> sticky_fx f1=1.0 f2=2.0 fpscr=0x82000000
fadd._t: fadd. f3,f1,f2         # CR1 <- FX FEX VX OX
        FRET
#> clean f1=1.0 f2=2.0
#> vx f1=inf f2=-inf
#> ox f1=1e308 f2=1e308
#> old_fx f1=1.0 f2=2.0 fpscr=0x80000000
fadds_t: fadds f3,f1,f2
        FRET
#> exact f1=1.5 f2=2.25
#> round f1=1.0 f2=0x3E10000000000000
#> overflow f1=0x47EFFFFFE0000000 f2=0x47EFFFFFE0000000
#> tiny f1=0x3810000000000000 f2=0xB80FFFFFC0000000 ~fpscr=0x00014000 # single denormal result: FPRF +denormal
#> nan f1=qnan f2=1.0
fsub_t: fsub f3,f1,f2
        FRET
#> f1=5.0 f2=7.5
#> zero f1=2.0 f2=2.0
#> inf_inf f1=inf f2=inf
#> snan_b f1=1.0 f2=snan
fsubs_t: fsubs f3,f1,f2
        FRET
#> f1=1.0 f2=0.25
#> cancel f1=0x3FF0000020000000 f2=1.0
fmul_t: fmul f3,f1,f3
        FRET
#> f1=3.0 f3=-0.5
#> inf_zero f1=inf f3=0
#> underflow f1=1e-200 f3=1e-200
#> denorm_exact f1=0x0010000000000000 f3=0.5
#> overflow f1=-1e200 f3=1e200
fmuls_t: fmuls f3,f1,f2
        FRET
#> f1=1.5 f2=1.5
#> round f1=0x3FF0000020000000 f2=0x3FF0000020000000
#> overflow f1=0x4410000000000000 f2=0x4410000000000000
#> denorm f1=0x3810000000000000 f2=0.25 ~fpscr=0x00014000 # single denormal result: FPRF +denormal
fdiv_t: fdiv f3,f1,f2
        FRET
#> f1=1.0 f2=4.0
#> third f1=1.0 f2=3.0
#> zero_div f1=1.0 f2=0
#> neg_zero_div f1=-1.0 f2=0
#> zero_zero f1=0 f2=0
#> inf_inf f1=inf f2=-inf
#> zero_num f1=0 f2=5.0
fdivs_t: fdivs f3,f1,f2
        FRET
#> f1=1.0 f2=3.0
#> f1=7.0 f2=0.5
#> zero_div f1=-2.0 f2=-0
fmadd_t: fmadd f4,f1,f2,f3      # f1*f2+f3, single rounding
        FRET
#> exact f1=2.0 f2=3.0 f3=1.0
#> fused f1=0x3FF0000000400000 f2=0x3FF0000000400000 f3=-1.0
#> inf_zero f1=inf f2=0 f3=1.0
#> inf_minus_inf f1=inf f2=1.0 f3=-inf
#> nan_a_first f1=0x7ff8000000000001 f2=0x7ff8000000000002 f3=0x7ff8000000000003
#> nan_b_before_c f1=1.0 f2=0x7ff8000000000002 f3=0x7ff8000000000003
#> nan_c f1=1.0 f2=0x7ff8000000000002 f3=2.0
#> snan_c f1=1.0 f2=2.0 f3=snan
fmadds_t: fmadds f4,f1,f2,f3
        FRET
#> exact f1=2.0 f2=3.0 f3=1.0
#> fused f1=0x3FF0010000000000 f2=0x3FF0010000000000 f3=0xBFF0020000000000
#> round f1=1.0 f2=1.0 f3=0x3E10000000000000
fmsub_t: fmsub f4,f1,f2,f3
        FRET
#> f1=2.0 f2=3.0 f3=1.0
#> fused f1=0x3FF0000000400000 f2=0x3FF0000000400000 f3=1.0
#> zero f1=2.0 f2=2.0 f3=4.0
fmsubs_t: fmsubs f4,f1,f2,f3
        FRET
#> f1=2.0 f2=3.0 f3=0.5
fnmadd_t: fnmadd f4,f1,f2,f3
        FRET
#> f1=2.0 f2=3.0 f3=1.0
#> zero_sign f1=1.0 f2=1.0 f3=-1.0
#> nan_sign_kept f1=qnan f2=1.0 f3=1.0
fnmadds_t: fnmadds f4,f1,f2,f3
        FRET
#> f1=0.5 f2=0.5 f3=0.75
fnmsub_t: fnmsub f4,f1,f2,f3
        FRET
#> f1=2.0 f2=3.0 f3=1.0
#> zero_sign f1=1.0 f2=1.0 f3=1.0
fnmsubs_t: fnmsubs f4,f1,f2,f3
        FRET
#> f1=2.0 f2=3.0 f3=10.0
fmadd._t: fmadd. f4,f1,f2,f3
        FRET
#> vx f1=inf f2=0 f3=0
#> ok f1=1.0 f2=1.0 f3=1.0
fsqrt_t: fsqrt f3,f1
        FRET
#> f1=4.0
#> two f1=2.0
#> neg f1=-1.0
#> negzero f1=-0
#> inf f1=inf
#> denorm f1=0x0000000000000004
fsqrts_t: fsqrts f3,f1
        FRET
#> f1=16.0
#> two f1=2.0
fabs_t: fabs f3,f1
        blr
#> f1=-2.5
#> nan_sign f1=0xfff8000000000000
#> snan_no_exc f1=0xfff4000000000000
fnabs_t: fnabs f3,f1
        blr
#> f1=2.5
#> f1=-0
fneg_t: fneg f3,f1
        blr
#> f1=2.5
#> zero f1=0
#> nan f1=qnan
fmr_t:  fmr f3,f1
        blr
#> snan f1=snan fpscr=0x00000003
fmr._t: fmr. f3,f1              # CR1 from the FPSCR even for moves
        blr
#> f1=1.0 fpscr=0xa0100000
fsel_t: fsel f4,f1,f2,f3        # f1 >= 0 ? f2 : f3
        blr
#> pos f1=1.0 f2=10.0 f3=20.0
#> neg f1=-1.0 f2=10.0 f3=20.0
#> zero f1=0 f2=10.0 f3=20.0
#> negzero f1=-0 f2=10.0 f3=20.0
#> nan f1=qnan f2=10.0 f3=20.0
#> snan_no_exc f1=snan f2=10.0 f3=20.0
#> inf f1=-inf f2=10.0 f3=20.0
frsp_t: frsp f3,f1
        FRET
#> exact f1=1.5
#> round f1=0.1
#> overflow f1=1e39
#> underflow f1=1e-40 ~fpscr=0x8A034000 # single denormal result: FPRF +denormal
#> tiny f1=1e-50
#> nan f1=0x7ff8000000000123
#> snan f1=0x7ff0000000000123
#> max_single f1=0x47EFFFFFEFFFFFFF
#> inf f1=-inf
fcfid_t: fcfid f3,f1
        FRET
#> one f1=0x0000000000000001
#> neg f1=0xffffffffffffffff
#> big f1=0x7fffffffffffffff
#> min f1=0x8000000000000000
#> zero f1=0
# fctiw family: the word result is the low half of the FPR, read with stfiwx
fctiw_t: fctiw f3,f1
        stfiwx f3,0,r4
        lwz r3,0(r4)
        FCLR
        FRET
#> half_even -f3 r4=0x10001000 f1=2.5
#> neg -f3 r4=0x10001000 f1=-2.5
#> frac -f3 r4=0x10001000 f1=1.75
#> big -f3 r4=0x10001000 f1=3e9
#> small -f3 r4=0x10001000 f1=-3e9
#> max -f3 r4=0x10001000 f1=2147483647.0
#> min -f3 r4=0x10001000 f1=-2147483648.0
#> nan -f3 r4=0x10001000 f1=qnan
#> snan -f3 r4=0x10001000 f1=snan
#> inf -f3 r4=0x10001000 f1=inf
#> rz_mode -f3 r4=0x10001000 f1=2.5 fpscr=1
#> rp_mode -f3 r4=0x10001000 f1=2.1 fpscr=2
#> rm_mode -f3 r4=0x10001000 f1=-2.1 fpscr=3
fctiwz_t: fctiwz f3,f1
        stfiwx f3,0,r4
        lwz r3,0(r4)
        FCLR
        FRET
#> pos -f3 r4=0x10001000 f1=2.9
#> neg -f3 r4=0x10001000 f1=-2.9
#> ignores_rn -f3 r4=0x10001000 f1=-2.9 fpscr=3
#> big -f3 r4=0x10001000 f1=1e10
#> nan -f3 r4=0x10001000 f1=-qnan
#> tiny -f3 r4=0x10001000 f1=1e-300
fctid_t: fctid f3,f1
        FCLR
        FRET
#> f1=2.5
#> neg f1=-3.5
#> big f1=1e19
#> small f1=-1e19
#> nan f1=qnan
#> rp f1=0.1 fpscr=2
#> rm f1=-0.1 fpscr=3
#> exact f1=4503599627370497.0
fctidz_t: fctidz f3,f1
        FCLR
        FRET
#> f1=2.99
#> neg f1=-2.99
#> big f1=9.3e18
#> ninf f1=-inf
fcmpu_t: fcmpu cr3,f1,f2
        blr
#> lt f1=1.0 f2=2.0
#> gt f1=2.0 f2=1.0
#> eq f1=2.0 f2=2.0
#> zeros f1=0 f2=-0
#> qnan f1=qnan f2=1.0
#> snan f1=1.0 f2=snan
#> inf f1=inf f2=1e308
fcmpo_t: fcmpo cr0,f1,f2
        blr
#> lt f1=-1.0 f2=2.0
#> eq f1=inf f2=inf
#> qnan f1=qnan f2=1.0 ~fpscr=0xA0081000 # a compare leaves FPSCR[C] unchanged
#> snan f1=snan f2=1.0 ~fpscr=0xA1081000 # a compare leaves FPSCR[C] unchanged
# rounding modes set with mtfsfi inside the snippet (field 7 = XE NI RN)
rn_fadd_t: mtfsfi 7,0
        fadd f3,f1,f2
        FRET
#> up f1=1.0 f2=0x3CA8000000000000
#> down f1=1.0 f2=0x3C98000000000000
#> neg f1=-1.0 f2=0xBCA8000000000000
rz_fadd_t: mtfsfi 7,1
        fadd f3,f1,f2
        FRET
#> pos f1=1.0 f2=0x3CA8000000000000
#> neg f1=-1.0 f2=0xBCA8000000000000
#> overflow f1=1e308 f2=1e308
rp_fadd_t: mtfsfi 7,2
        fadd f3,f1,f2
        FRET
#> pos f1=1.0 f2=0x3C98000000000000
#> neg f1=-1.0 f2=0xBC98000000000000
#> overflow f1=1e308 f2=1e308
#> exact_zero_sign f1=1.0 f2=-1.0
rm_fadd_t: mtfsfi 7,3
        fadd f3,f1,f2
        FRET
#> pos f1=1.0 f2=0x3C98000000000000
#> neg f1=-1.0 f2=0xBC98000000000000
#> exact_zero_sign f1=1.0 f2=-1.0
#> overflow f1=1e308 f2=1e308
rm_frsp_t: mtfsfi 7,3
        frsp f3,f1
        FRET
#> pos f1=0.1
#> neg f1=-0.1
rp_frsp_t: mtfsfi 7,2
        frsp f3,f1
        FRET
#> pos f1=0.1
#> neg f1=-0.1
rz_fdiv_t: mtfsfi 7,1
        fdiv f3,f1,f2
        FRET
#> f1=2.0 f2=3.0
#> f1=-2.0 f2=3.0
rp_fmuls_t: mtfsfi 7,2
        fmuls f3,f1,f2
        FRET
#> f1=0x3FF0000020000000 f2=0x3FF0000020000000
rn_mode_t: mtfsfi 7,3           # the mode stays set after the snippet
        fadd f3,f1,f2
        mtfsfi 7,0
        fadd f4,f1,f2
        FRET
#> f1=1.0 f2=0x3CA8000000000000
# FPSCR access
mffs_t: mffs f3                 # low word of f3 = FPSCR (read with stfiwx)
        stfiwx f3,0,r4
        lwz r3,0(r4)
        blr
#> -f3 r4=0x10001000 fpscr=0x82024003
#> zero -f3 r4=0x10001000
mffs._t: mffs. f3
        stfiwx f3,0,r4
        blr
#> -f3 r4=0x10001000 fpscr=0xb0100000
mtfsf_t: mtfsf 0xff,f1
        blr
#> f1=0x00000000000000f3
#> all_exc f1=0x000000009ff80700
#> fex_vx_computed f1=0x0000000060000000
mtfsf1_t: mtfsf 0x01,f1         # field 7 only
        blr
#> f1=0x0000000000000007 fpscr=0x02000000
mtfsf2_t: mtfsf 0x80,f1         # field 0: FX and OX; FEX/VX are summaries
        blr
#> f1=0x00000000f0000000
mtfsf._t: mtfsf. 0x0f,f1
        blr
#> f1=0x000000000000f700 fpscr=0x90000000
mtfsfi_t: mtfsfi 0,8            # FX set explicitly
        blr
#> 1
mtfsfi3_t: mtfsfi 3,0xf
        blr
#> fpscr=0x00000000
mtfsfi6_t: mtfsfi 6,0xc         # VE OE...
        mtfsfi 6,0
        blr
#> fpscr=0x000000f0
mtfsb1_t: mtfsb1 6              # XX, and FX because it is an exception bit
        blr
#> 1 ~fpscr=0x82000000
#> already_set fpscr=0x02000000
mtfsb1b_t: mtfsb1 29            # NI
        blr
#> 1 ~fpscr=0x00000004
mtfsb1c_t: mtfsb1 3             # OX -> FX
        blr
#> fpscr=0x00000000 ~fpscr=0x90000000
mtfsb0_t: mtfsb0 0              # FX only
        blr
#> fpscr=0x92000000
mtfsb0b_t: mtfsb0 7             # VXSNAN: VX summary follows
        blr
#> fpscr=0xa1000000
mtfsb1._t: mtfsb1. 8            # VXISI -> VX and FX; CR1 <- FX FEX VX OX
        blr
#> 1 ~fpscr=0xa0800000 ~cr=0x0a000000
mcrfs_t: mcrfs cr2,1            # copies and clears the exception bits
        blr
#> fpscr=0xaf000000
mcrfs0_t: mcrfs cr7,0
        blr
#> fpscr=0x92000000
mcrfs4_t: mcrfs cr1,4           # FPCC: not an exception field, stays
        blr
#> fpscr=0x0000d000
# estimates: the snippet checks the architected bound itself and keeps only
# the CR1 verdict (0x08 = LT: error below the bound); estimate and FPSCR are
# cleared (f6 = 0 is moved into the FPSCR).
fres_t: fres f3,f1              # |est*x - 1| < 2^-8 (f2 = 1.0, f5 = bound)
        fmul f4,f3,f1
        fsub f4,f4,f2
        fabs f4,f4
        fcmpu cr1,f4,f5
        fsub f3,f3,f3
        fsub f4,f4,f4
        mtfsf 0xff,f6
        blr
#> three f1=3.0 f2=1.0 f5=0.00390625
#> neg f1=-7.0 f2=1.0 f5=0.00390625
#> tenth f1=0.1 f2=1.0 f5=0.00390625
#> big f1=1e30 f2=1.0 f5=0.00390625
#> one f1=1.0 f2=1.0 f5=0.00390625
frsqrte_t: frsqrte f3,f1        # |est*est*x - 1| < 2^-4
        fmul f4,f3,f3
        fmul f4,f4,f1
        fsub f4,f4,f2
        fabs f4,f4
        fcmpu cr1,f4,f5
        fsub f3,f3,f3
        fsub f4,f4,f4
        mtfsf 0xff,f6
        blr
#> two f1=2.0 f2=1.0 f5=0.0625
#> nine f1=9.0 f2=1.0 f5=0.0625
#> tenth f1=0.1 f2=1.0 f5=0.0625
#> big f1=1e100 f2=1.0 f5=0.0625
fres_sp_t: fres f3,f1           # special operands: exact results
        FRET
#> inf f1=inf
#> ninf f1=-inf
#> zero f1=0 ~f3=0x7FF0000000000000 ~fpscr=0x84005000 # 1/+0 = +inf, ZX (QEMU 7.2 returns 0.5)
#> negzero f1=-0 ~f3=0xFFF0000000000000 ~fpscr=0x84009000 # 1/-0 = -inf, ZX
#> qnan f1=0x7ff8000000000123
#> snan f1=snan
frsqrte_sp_t: frsqrte f3,f1
        FRET
#> inf f1=inf
#> zero f1=0
#> negzero f1=-0
#> neg f1=-1.0
#> ninf f1=-inf
#> qnan f1=qnan
