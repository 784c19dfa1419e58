# AltiVec (VMX) on v0-v31: integer modulo and saturating arithmetic (VSCR SAT
# is sticky, bit 0x00000001; NJ is 0x00010000), averages, min/max, multiplies,
# multiply-sums, sums across, logical, select, permute, shifts and rotates,
# splats, merges, packs and unpacks, compares (record forms set CR6: 0x80 =
# all true, 0x20 = all false, in the cr value 0x000000X0), float arithmetic,
# rounding and conversions, lvsl/lvsr, element and full loads/stores, VSCR.
# Estimate instructions (vrefp, vrsqrtefp, vexptefp, vlogefp) are checked
# by the snippet itself against the architected error bound; the estimate is
# then cleared so only the pass/fail CR6 bit is compared.
        .text
vaddubm_t: vaddubm v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vaddubs_t: vaddubs v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
#> sat_sticky v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80 vscr=1
vaddsbs_t: vaddsbs v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
#> sat_sticky v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80 vscr=1
vsububm_t: vsububm v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vsububs_t: vsububs v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
#> sat_sticky v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80 vscr=1
vsubsbs_t: vsubsbs v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
#> sat_sticky v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80 vscr=1
vavgub_t: vavgub v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vavgsb_t: vavgsb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vmaxub_t: vmaxub v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vmaxsb_t: vmaxsb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vminub_t: vminub v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vminsb_t: vminsb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vmuleub_t: vmuleub v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vmulesb_t: vmulesb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vmuloub_t: vmuloub v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vmulosb_t: vmulosb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vslb_t: vslb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vsrb_t: vsrb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vsrab_t: vsrab v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vrlb_t: vrlb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vmrghb_t: vmrghb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vmrglb_t: vmrglb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vcmpequb_t: vcmpequb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vcmpgtub_t: vcmpgtub v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vcmpgtsb_t: vcmpgtsb v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vsum4ubs_t: vsum4ubs v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
#> sat_sticky v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80 vscr=1
vsum4sbs_t: vsum4sbs v3,v1,v2
        blr
#> mix v1=00017f80,ff10f0e0,40c0a55a,01fe7e81 v2=01017f80,01f010f0,40c05aa5,ff027f80
#> sat v1=7f7f8080,ffff0000,80807f7f,fe01ff00 v2=01807f80,0101ffff,ff8001ff,02ff01ff
vadduhm_t: vadduhm v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vadduhs_t: vadduhs v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
#> sat_sticky v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000 vscr=1
vaddshs_t: vaddshs v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
#> sat_sticky v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000 vscr=1
vsubuhm_t: vsubuhm v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vsubuhs_t: vsubuhs v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
#> sat_sticky v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000 vscr=1
vsubshs_t: vsubshs v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
#> sat_sticky v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000 vscr=1
vavguh_t: vavguh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vavgsh_t: vavgsh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vmaxuh_t: vmaxuh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vmaxsh_t: vmaxsh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vminuh_t: vminuh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vminsh_t: vminsh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vmuleuh_t: vmuleuh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vmulesh_t: vmulesh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vmulouh_t: vmulouh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vmulosh_t: vmulosh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vslh_t: vslh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vsrh_t: vsrh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vsrah_t: vsrah v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vrlh_t: vrlh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vmrghh_t: vmrghh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vmrglh_t: vmrglh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vcmpequh_t: vcmpequh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vcmpgtuh_t: vcmpgtuh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vcmpgtsh_t: vcmpgtsh v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vpkuhum_t: vpkuhum v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vpkuhus_t: vpkuhus v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
#> sat_sticky v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000 vscr=1
vpkshss_t: vpkshss v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
#> sat_sticky v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000 vscr=1
vpkshus_t: vpkshus v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vsum4shs_t: vsum4shs v3,v1,v2
        blr
#> mix v1=00017fff,8000ffff,12345678,fffe0002 v2=0001ffff,80000001,edcba988,7fff8000
#> sat v1=7fff8000,7fff8000,0001ffff,4000c000 v2=00017fff,8000ffff,ffff0001,40004000
vadduwm_t: vadduwm v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vadduws_t: vadduws v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
#> sat_sticky v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001 vscr=1
vaddsws_t: vaddsws v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
#> sat_sticky v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001 vscr=1
vaddcuw_t: vaddcuw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vsubuwm_t: vsubuwm v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vsubuws_t: vsubuws v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
#> sat_sticky v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001 vscr=1
vsubsws_t: vsubsws v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
#> sat_sticky v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001 vscr=1
vsubcuw_t: vsubcuw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vavguw_t: vavguw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vavgsw_t: vavgsw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vmaxuw_t: vmaxuw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vmaxsw_t: vmaxsw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vminuw_t: vminuw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vminsw_t: vminsw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vslw_t: vslw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vsrw_t: vsrw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vsraw_t: vsraw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vrlw_t: vrlw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vmrghw_t: vmrghw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vmrglw_t: vmrglw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vcmpequw_t: vcmpequw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vcmpgtuw_t: vcmpgtuw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vcmpgtsw_t: vcmpgtsw v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vpkuwum_t: vpkuwum v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vpkuwus_t: vpkuwus v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vpkswss_t: vpkswss v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
#> sat_sticky v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001 vscr=1
vpkswus_t: vpkswus v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vsum2sws_t: vsum2sws v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vsumsws_t: vsumsws v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
#> sat_sticky v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001 vscr=1
vand_t: vand v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vandc_t: vandc v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vor_t: vor v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vnor_t: vnor v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vxor_t: vxor v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vsl_t: vsl v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vsr_t: vsr v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vslo_t: vslo v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vsro_t: vsro v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vpkpx_t: vpkpx v3,v1,v2
        blr
#> mix v1=00000001,7fffffff,80000000,ffffffff v2=00000002,00000001,ffffffff,00000001
#> sat v1=7fffffff,80000000,fffffffe,40000000 v2=7fffffff,80000000,00000003,40000000
vcmpequb._t: vcmpequb. v3,v1,v2
        blr
#> all v1=01020304,05060708,090a0b0c,0d0e0f10 v2=01020304,05060708,090a0b0c,0d0e0f10 cr=0x12345600
#> none v1=01020304,05060708,090a0b0c,0d0e0f10 v2=00000000,00000000,00000000,00000000 cr=0x12345600
#> some v1=01020304,05060708,090a0b0c,0d0e0f10 v2=01000000,00000000,00000000,00000000 cr=0x12345600
vcmpequh._t: vcmpequh. v3,v1,v2
        blr
#> all v1=ffff0000,12345678,00000000,00000001 v2=ffff0000,12345678,00000000,00000001 cr=0x12345600
#> some v1=ffff0000,12345678,00000000,00000001 v2=ffff0001,12345678,00000000,00000001 cr=0x12345600
vcmpequw._t: vcmpequw. v3,v1,v2
        blr
#> all v1=00000001,00000002,00000003,00000004 v2=00000001,00000002,00000003,00000004 cr=0x12345600
#> none v1=00000001,00000002,00000003,00000004 v2=00000000,00000000,00000000,00000000 cr=0x12345600
vcmpgtsw._t: vcmpgtsw. v3,v1,v2
        blr
#> all v1=00000002,00000003,00000004,00000005 v2=00000001,00000002,00000003,ffffffff cr=0x12345600
#> none v1=80000000,00000000,ffffffff,00000001 v2=7fffffff,00000000,ffffffff,00000001 cr=0x12345600
vcmpgtub._t: vcmpgtub. v3,v1,v2
        blr
#> some v1=80000000,00000000,00000000,000000ff v2=7f000000,00000000,00000000,000000fe cr=0x12345600
vcmpgtuh._t: vcmpgtuh. v3,v1,v2
        blr
#> none v1=00000000,00000000,00000000,00000000 v2=ffffffff,ffffffff,ffffffff,ffffffff cr=0x12345600
vcmpgtsb._t: vcmpgtsb. v3,v1,v2
        blr
#> all v1=01010101,01010101,01010101,01010101 v2=80808080,80808080,80808080,80808080 cr=0x12345600
vcmpgtsh._t: vcmpgtsh. v3,v1,v2
        blr
#> some v1=00010001,00010001,00010001,00010001 v2=00007fff,00000000,00000000,00000000 cr=0x12345600
vcmpgtuw._t: vcmpgtuw. v3,v1,v2
        blr
#> all v1=ffffffff,80000000,00000002,00000001 v2=00000000,7fffffff,00000001,00000000 cr=0x12345600
vaddfp_t: vaddfp v3,v1,v2
        blr
#> basic v1=f:1.5,-2.0,0.0,100.0 v2=f:2.25,0.5,-0.0,-100.0
#> special v1=f:inf,-inf,qnan,1.0 v2=f:1.0,-inf,2.0,snan
#> round v1=f:1.0,3.0,1e30,-7.0 v2=f:3.0e-8,1.0e-7,1e30,0.1
vsubfp_t: vsubfp v3,v1,v2
        blr
#> basic v1=f:1.5,-2.0,0.0,100.0 v2=f:2.25,0.5,-0.0,-100.0
#> special v1=f:inf,-inf,qnan,1.0 v2=f:1.0,-inf,2.0,snan
#> round v1=f:1.0,3.0,1e30,-7.0 v2=f:3.0e-8,1.0e-7,1e30,0.1
vmaxfp_t: vmaxfp v3,v1,v2
        blr
#> basic v1=f:1.5,-2.0,0.0,100.0 v2=f:2.25,0.5,-0.0,-100.0
#> special v1=f:inf,-inf,qnan,1.0 v2=f:1.0,-inf,2.0,snan
#> round v1=f:1.0,3.0,1e30,-7.0 v2=f:3.0e-8,1.0e-7,1e30,0.1
vminfp_t: vminfp v3,v1,v2
        blr
#> basic v1=f:1.5,-2.0,0.0,100.0 v2=f:2.25,0.5,-0.0,-100.0
#> special v1=f:inf,-inf,qnan,1.0 v2=f:1.0,-inf,2.0,snan
#> round v1=f:1.0,3.0,1e30,-7.0 v2=f:3.0e-8,1.0e-7,1e30,0.1
vcmpeqfp_t: vcmpeqfp v3,v1,v2
        blr
#> basic v1=f:1.5,-2.0,0.0,100.0 v2=f:2.25,0.5,-0.0,-100.0
#> special v1=f:inf,-inf,qnan,1.0 v2=f:1.0,-inf,2.0,snan
#> round v1=f:1.0,3.0,1e30,-7.0 v2=f:3.0e-8,1.0e-7,1e30,0.1
vcmpgefp_t: vcmpgefp v3,v1,v2
        blr
#> basic v1=f:1.5,-2.0,0.0,100.0 v2=f:2.25,0.5,-0.0,-100.0
#> special v1=f:inf,-inf,qnan,1.0 v2=f:1.0,-inf,2.0,snan
#> round v1=f:1.0,3.0,1e30,-7.0 v2=f:3.0e-8,1.0e-7,1e30,0.1
vcmpgtfp_t: vcmpgtfp v3,v1,v2
        blr
#> basic v1=f:1.5,-2.0,0.0,100.0 v2=f:2.25,0.5,-0.0,-100.0
#> special v1=f:inf,-inf,qnan,1.0 v2=f:1.0,-inf,2.0,snan
#> round v1=f:1.0,3.0,1e30,-7.0 v2=f:3.0e-8,1.0e-7,1e30,0.1
vcmpbfp_t: vcmpbfp v3,v1,v2
        blr
#> basic v1=f:1.5,-2.0,0.0,100.0 v2=f:2.25,0.5,-0.0,-100.0
#> special v1=f:inf,-inf,qnan,1.0 v2=f:1.0,-inf,2.0,snan
#> round v1=f:1.0,3.0,1e30,-7.0 v2=f:3.0e-8,1.0e-7,1e30,0.1
vcmpeqfp._t: vcmpeqfp. v3,v1,v2
        blr
#> some v1=f:1.0,2.0,3.0,4.0 v2=f:1.0,3.0,2.0,4.0
#> all v1=f:1.0,2.0,3.0,4.0 v2=f:1.0,2.0,3.0,4.0
#> none v1=f:-1.0,-2.0,-3.0,-4.0 v2=f:0.5,0.5,0.5,0.5
#> nan v1=f:qnan,qnan,qnan,qnan v2=f:1.0,1.0,1.0,1.0
vcmpgefp._t: vcmpgefp. v3,v1,v2
        blr
#> some v1=f:1.0,2.0,3.0,4.0 v2=f:1.0,3.0,2.0,4.0
#> all v1=f:1.0,2.0,3.0,4.0 v2=f:1.0,2.0,3.0,4.0
#> none v1=f:-1.0,-2.0,-3.0,-4.0 v2=f:0.5,0.5,0.5,0.5
#> nan v1=f:qnan,qnan,qnan,qnan v2=f:1.0,1.0,1.0,1.0
vcmpgtfp._t: vcmpgtfp. v3,v1,v2
        blr
#> some v1=f:1.0,2.0,3.0,4.0 v2=f:1.0,3.0,2.0,4.0
#> all v1=f:1.0,2.0,3.0,4.0 v2=f:1.0,2.0,3.0,4.0
#> none v1=f:-1.0,-2.0,-3.0,-4.0 v2=f:0.5,0.5,0.5,0.5
#> nan v1=f:qnan,qnan,qnan,qnan v2=f:1.0,1.0,1.0,1.0
vcmpbfp._t: vcmpbfp. v3,v1,v2
        blr
#> some v1=f:1.0,2.0,3.0,4.0 v2=f:1.0,3.0,2.0,4.0
#> all v1=f:1.0,2.0,3.0,4.0 v2=f:1.0,2.0,3.0,4.0
#> none v1=f:-1.0,-2.0,-3.0,-4.0 v2=f:0.5,0.5,0.5,0.5
#> nan v1=f:qnan,qnan,qnan,qnan v2=f:1.0,1.0,1.0,1.0
vmaddfp_t: vmaddfp v3,v1,v2,v4
        blr
#> basic v1=f:1.5,2.0,-3.0,0.5 v2=f:2.0,0.25,4.0,0.5 v4=f:1.0,-0.5,12.0,-0.25
#> fused v1=3f800800,3f800001,40000000,3f800000 v2=3f800800,3f800001,40000000,3f800000 v4=bf801000,bf800002,c0800000,bf800000
#> nan v1=f:qnan,1.0,inf,1.0 v2=f:1.0,qnan,0.0,1.0 v4=f:1.0,1.0,1.0,snan
#> negzero v1=f:1.0,-1.0,0.0,-0.0 v2=f:-0.0,0.0,-1.0,-1.0 v4=f:-0.0,-0.0,-0.0,-0.0
vnmsubfp_t: vnmsubfp v3,v1,v2,v4
        blr
#> basic v1=f:1.5,2.0,-3.0,0.5 v2=f:2.0,0.25,4.0,0.5 v4=f:1.0,-0.5,12.0,0.25
#> fused v1=3f800800,3f800001,40000000,3f800000 v2=3f800800,3f800001,40000000,3f800000 v4=3f801000,3f800002,c0800000,bf800000
vnj_t:  vmaddfp v3,v1,v2,v4      # NJ=1: a denormal result becomes a zero of the same sign
        blr
#> nj v1=f:1.1754944e-38,-1.1754944e-38,1.0,2.0 v2=f:0.5,0.5,1.0,1.0 v4=80000000,80000000,80000000,80000000 vscr=0x10000
#> nj_off v1=f:1.1754944e-38,-1.1754944e-38,1.0,2.0 v2=f:0.5,0.5,1.0,1.0 v4=80000000,80000000,80000000,80000000
vrfin_t: vrfin v3,v2
        blr
#> v2=f:1.5,2.5,-1.5,-2.7
#> big v2=f:8388609.0,-0.4,0.6,1e20
#> special v2=f:inf,-0.0,qnan,-inf
vrfiz_t: vrfiz v3,v2
        blr
#> v2=f:1.5,2.5,-1.5,-2.7
#> big v2=f:8388609.0,-0.4,0.6,1e20
#> special v2=f:inf,-0.0,qnan,-inf
vrfip_t: vrfip v3,v2
        blr
#> v2=f:1.5,2.5,-1.5,-2.7
#> big v2=f:8388609.0,-0.4,0.6,1e20
#> special v2=f:inf,-0.0,qnan,-inf
vrfim_t: vrfim v3,v2
        blr
#> v2=f:1.5,2.5,-1.5,-2.7
#> big v2=f:8388609.0,-0.4,0.6,1e20
#> special v2=f:inf,-0.0,qnan,-inf
vcfsx0_t: vcfsx v3,v2,0
        blr
#> v2=00000001,ffffffff,7fffffff,80000000
#> v2=00000010,00000100,fffffff0,01000001
vcfsx4_t: vcfsx v3,v2,4
        blr
#> v2=00000001,ffffffff,7fffffff,80000000
#> v2=00000010,00000100,fffffff0,01000001
vcfsx31_t: vcfsx v3,v2,31
        blr
#> v2=00000001,ffffffff,7fffffff,80000000
#> v2=00000010,00000100,fffffff0,01000001
vcfux0_t: vcfux v3,v2,0
        blr
#> v2=00000001,ffffffff,7fffffff,80000000
#> v2=00000010,00000100,fffffff0,01000001
vcfux4_t: vcfux v3,v2,4
        blr
#> v2=00000001,ffffffff,7fffffff,80000000
#> v2=00000010,00000100,fffffff0,01000001
vcfux31_t: vcfux v3,v2,31
        blr
#> v2=00000001,ffffffff,7fffffff,80000000
#> v2=00000010,00000100,fffffff0,01000001
vctsxs0_t: vctsxs v3,v2,0
        blr
#> v2=f:1.5,-1.5,2.5,-2.9
#> sat v2=f:3e9,-3e9,qnan,inf
#> sat_sticky v2=f:1.0,2.0,3.0,4.0 vscr=1
#> frac v2=f:0.00390625,-0.00390625,127.99,-128.5
vctsxs8_t: vctsxs v3,v2,8
        blr
#> v2=f:1.5,-1.5,2.5,-2.9
#> sat v2=f:3e9,-3e9,qnan,inf
#> sat_sticky v2=f:1.0,2.0,3.0,4.0 vscr=1
#> frac v2=f:0.00390625,-0.00390625,127.99,-128.5
vctuxs0_t: vctuxs v3,v2,0
        blr
#> v2=f:1.5,-1.5,2.5,-2.9
#> sat v2=f:3e9,-3e9,qnan,inf
#> sat_sticky v2=f:1.0,2.0,3.0,4.0 vscr=1
#> frac v2=f:0.00390625,-0.00390625,127.99,-128.5
vctuxs8_t: vctuxs v3,v2,8
        blr
#> v2=f:1.5,-1.5,2.5,-2.9
#> sat v2=f:3e9,-3e9,qnan,inf
#> sat_sticky v2=f:1.0,2.0,3.0,4.0 vscr=1
#> frac v2=f:0.00390625,-0.00390625,127.99,-128.5
vspltb0_t: vspltb v3,v2,0
        blr
#> v2=00112233,44556677,8899aabb,ccddeeff
vspltb5_t: vspltb v3,v2,5
        blr
#> v2=00112233,44556677,8899aabb,ccddeeff
vspltb15_t: vspltb v3,v2,15
        blr
#> v2=00112233,44556677,8899aabb,ccddeeff
vsplth0_t: vsplth v3,v2,0
        blr
#> v2=00112233,44556677,8899aabb,ccddeeff
vsplth3_t: vsplth v3,v2,3
        blr
#> v2=00112233,44556677,8899aabb,ccddeeff
vsplth7_t: vsplth v3,v2,7
        blr
#> v2=00112233,44556677,8899aabb,ccddeeff
vspltw0_t: vspltw v3,v2,0
        blr
#> v2=00112233,44556677,8899aabb,ccddeeff
vspltw2_t: vspltw v3,v2,2
        blr
#> v2=00112233,44556677,8899aabb,ccddeeff
vspltw3_t: vspltw v3,v2,3
        blr
#> v2=00112233,44556677,8899aabb,ccddeeff
vspltisb0_t: vspltisb v3,0
        blr
#> v3=ffffffff,ffffffff,ffffffff,ffffffff
vspltisb15_t: vspltisb v3,15
        blr
#> v3=ffffffff,ffffffff,ffffffff,ffffffff
vspltisbm16_t: vspltisb v3,-16
        blr
#> v3=ffffffff,ffffffff,ffffffff,ffffffff
vspltisbm1_t: vspltisb v3,-1
        blr
#> v3=ffffffff,ffffffff,ffffffff,ffffffff
vspltish1_t: vspltish v3,1
        blr
#> v3=ffffffff,ffffffff,ffffffff,ffffffff
vspltishm2_t: vspltish v3,-2
        blr
#> v3=ffffffff,ffffffff,ffffffff,ffffffff
vspltisw7_t: vspltisw v3,7
        blr
#> v3=ffffffff,ffffffff,ffffffff,ffffffff
vspltiswm16_t: vspltisw v3,-16
        blr
#> v3=ffffffff,ffffffff,ffffffff,ffffffff
vupkhsb_t: vupkhsb v3,v2
        blr
#> v2=0080ff7f,01fe8000,8001ffff,7c1f03e0
vupklsb_t: vupklsb v3,v2
        blr
#> v2=0080ff7f,01fe8000,8001ffff,7c1f03e0
vupkhsh_t: vupkhsh v3,v2
        blr
#> v2=0080ff7f,01fe8000,8001ffff,7c1f03e0
vupklsh_t: vupklsh v3,v2
        blr
#> v2=0080ff7f,01fe8000,8001ffff,7c1f03e0
vupkhpx_t: vupkhpx v3,v2
        blr
#> v2=0080ff7f,01fe8000,8001ffff,7c1f03e0
vupklpx_t: vupklpx v3,v2
        blr
#> v2=0080ff7f,01fe8000,8001ffff,7c1f03e0
vsel_t: vsel v3,v1,v2,v4
        blr
#> v1=00000000,ffffffff,12345678,aaaaaaaa v2=ffffffff,00000000,87654321,55555555 v4=0f0f0f0f,ffff0000,00000000,ffffffff
vperm_t: vperm v3,v1,v2,v4
        blr
#> rev v1=00010203,04050607,08090a0b,0c0d0e0f v2=10111213,14151617,18191a1b,1c1d1e1f v4=1f1e1d1c,1b1a1918,17161514,13121110
#> high_bits_ignored v1=00010203,04050607,08090a0b,0c0d0e0f v2=10111213,14151617,18191a1b,1c1d1e1f v4=e0f1c2d3,a4b58697,00101020,3f2f1f0f
#> splat v1=00010203,04050607,08090a0b,0c0d0e0f v2=10111213,14151617,18191a1b,1c1d1e1f v4=03030303,13131313,00000000,1f1f1f1f
vsldoi0_t: vsldoi v3,v1,v2,0
        blr
#> v1=00010203,04050607,08090a0b,0c0d0e0f v2=10111213,14151617,18191a1b,1c1d1e1f
vsldoi1_t: vsldoi v3,v1,v2,1
        blr
#> v1=00010203,04050607,08090a0b,0c0d0e0f v2=10111213,14151617,18191a1b,1c1d1e1f
vsldoi7_t: vsldoi v3,v1,v2,7
        blr
#> v1=00010203,04050607,08090a0b,0c0d0e0f v2=10111213,14151617,18191a1b,1c1d1e1f
vsldoi15_t: vsldoi v3,v1,v2,15
        blr
#> v1=00010203,04050607,08090a0b,0c0d0e0f v2=10111213,14151617,18191a1b,1c1d1e1f
vmhaddshs_t: vmhaddshs v3,v1,v2,v4
        blr
#> v1=7fff8000,40000001,ffff1234,80008000 v2=7fff8000,40000002,00010100,80008000 v4=7fff8000,00010002,fffe0000,7fff0000
vmhraddshs_t: vmhraddshs v3,v1,v2,v4
        blr
#> v1=7fff8000,40000001,ffff1234,80008000 v2=7fff8000,40000002,00010100,80008000 v4=7fff8000,00010002,fffe0000,7fff0000
vmladduhm_t: vmladduhm v3,v1,v2,v4
        blr
#> v1=ffff0002,12340100,80000001,00030004 v2=ffff0003,00100100,00020001,fffffffe v4=00010001,00000000,00000001,00020003
vmsumubm_t: vmsumubm v3,v1,v2,v4
        blr
#> v1=ff7f8001,7fff8000,01020304,ffffffff v2=ff7f8001,7fff8000,05060708,ffffffff v4=00000001,7fffffff,80000000,fffffff0
vmsummbm_t: vmsummbm v3,v1,v2,v4
        blr
#> v1=ff7f8001,7fff8000,01020304,ffffffff v2=ff7f8001,7fff8000,05060708,ffffffff v4=00000001,7fffffff,80000000,fffffff0
vmsumuhm_t: vmsumuhm v3,v1,v2,v4
        blr
#> v1=ff7f8001,7fff8000,01020304,ffffffff v2=ff7f8001,7fff8000,05060708,ffffffff v4=00000001,7fffffff,80000000,fffffff0
vmsumuhs_t: vmsumuhs v3,v1,v2,v4
        blr
#> v1=ff7f8001,7fff8000,01020304,ffffffff v2=ff7f8001,7fff8000,05060708,ffffffff v4=00000001,7fffffff,80000000,fffffff0
vmsumshm_t: vmsumshm v3,v1,v2,v4
        blr
#> v1=ff7f8001,7fff8000,01020304,ffffffff v2=ff7f8001,7fff8000,05060708,ffffffff v4=00000001,7fffffff,80000000,fffffff0
vmsumshs_t: vmsumshs v3,v1,v2,v4
        blr
#> v1=ff7f8001,7fff8000,01020304,ffffffff v2=ff7f8001,7fff8000,05060708,ffffffff v4=00000001,7fffffff,80000000,fffffff0
lvsl_t: lvsl v3,r4,r5
        blr
#> r4=0x10001000 r5=0
#> r4=0x10001000 r5=1
#> r4=0x10001000 r5=7
#> r4=0x10001000 r5=15
#> ra0 r4=0x10001003 r5=0x20
lvsr_t: lvsr v3,r4,r5
        blr
#> r4=0x10001000 r5=0
#> r4=0x10001000 r5=1
#> r4=0x10001000 r5=7
#> r4=0x10001000 r5=15
#> ra0 r4=0x10001003 r5=0x20
lvsl_rot_t: lvsl v5,r4,r5          # the classic unaligned load: lvx + lvx + lvsl + vperm
        lvx v3,r4,r5
        addi r6,r5,16
        lvx v4,r4,r6
        vperm v3,v3,v4,v5
        blr
#> r4=0x10001000 r5=5 m0x10001000=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
#> aligned r4=0x10001000 r5=16 m0x10001000=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f
lvx_t: lvx v3,r4,r5
        blr
#> r4=0x10001000 r5=0 m0x10001000=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
#> low_bits_ignored r4=0x10001000 r5=0x1b m0x10001000=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
lvxl_t: lvxl v3,r4,r5
        blr
#> r4=0x10001000 r5=0 m0x10001000=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
#> low_bits_ignored r4=0x10001000 r5=0x1b m0x10001000=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
lvx0_t: lvx v3,0,r5
        blr
#> r5=0x10001010 r0=0x1234 m0x10001000=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
lvebx_0_t: lvebx v3,r4,r5      # other elements undefined: splat the loaded one
        vspltb v3,v3,0
        blr
#> r4=0x10001010 r5=0 m0x10001010=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
lvebx_7_t: lvebx v3,r4,r5      # other elements undefined: splat the loaded one
        vspltb v3,v3,7
        blr
#> r4=0x10001010 r5=7 m0x10001010=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
lvebx_13_t: lvebx v3,r4,r5      # other elements undefined: splat the loaded one
        vspltb v3,v3,13
        blr
#> r4=0x10001010 r5=13 m0x10001010=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
lvehx_0_t: lvehx v3,r4,r5      # other elements undefined: splat the loaded one
        vsplth v3,v3,0
        blr
#> r4=0x10001010 r5=0 m0x10001010=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
lvehx_6_t: lvehx v3,r4,r5      # other elements undefined: splat the loaded one
        vsplth v3,v3,3
        blr
#> r4=0x10001010 r5=6 m0x10001010=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
lvehx_14_t: lvehx v3,r4,r5      # other elements undefined: splat the loaded one
        vsplth v3,v3,7
        blr
#> r4=0x10001010 r5=14 m0x10001010=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
lvewx_0_t: lvewx v3,r4,r5      # other elements undefined: splat the loaded one
        vspltw v3,v3,0
        blr
#> r4=0x10001010 r5=0 m0x10001010=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
lvewx_4_t: lvewx v3,r4,r5      # other elements undefined: splat the loaded one
        vspltw v3,v3,1
        blr
#> r4=0x10001010 r5=4 m0x10001010=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
lvewx_12_t: lvewx v3,r4,r5      # other elements undefined: splat the loaded one
        vspltw v3,v3,3
        blr
#> r4=0x10001010 r5=12 m0x10001010=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
stvx_t: stvx v3,r4,r5
        blr
#> r4=0x10001000 r5=0x20 v3=00112233,44556677,8899aabb,ccddeeff
#> low_bits_ignored r4=0x10001000 r5=0x2f v3=00112233,44556677,8899aabb,ccddeeff
stvxl_t: stvxl v3,r4,r5
        blr
#> r4=0x10001000 r5=0x20 v3=00112233,44556677,8899aabb,ccddeeff
#> low_bits_ignored r4=0x10001000 r5=0x2f v3=00112233,44556677,8899aabb,ccddeeff
stvebx_t: stvebx v3,r4,r5
        blr
#> r4=0x10001000 r5=0 v3=00112233,44556677,8899aabb,ccddeeff @0x10001000:16
#> r4=0x10001000 r5=5 v3=00112233,44556677,8899aabb,ccddeeff @0x10001000:16
#> r4=0x10001000 r5=15 v3=00112233,44556677,8899aabb,ccddeeff @0x10001000:16
stvehx_t: stvehx v3,r4,r5
        blr
#> r4=0x10001000 r5=0 v3=00112233,44556677,8899aabb,ccddeeff @0x10001000:16
#> r4=0x10001000 r5=6 v3=00112233,44556677,8899aabb,ccddeeff @0x10001000:16
#> r4=0x10001000 r5=15 v3=00112233,44556677,8899aabb,ccddeeff @0x10001000:16
stvewx_t: stvewx v3,r4,r5
        blr
#> r4=0x10001000 r5=0 v3=00112233,44556677,8899aabb,ccddeeff @0x10001000:16
#> r4=0x10001000 r5=8 v3=00112233,44556677,8899aabb,ccddeeff @0x10001000:16
#> r4=0x10001000 r5=13 v3=00112233,44556677,8899aabb,ccddeeff @0x10001000:16
mfvscr_t: mfvscr v3
        blr
#> vscr=0x00010001 v3=ffffffff,ffffffff,ffffffff,ffffffff
#> zero v3=ffffffff,ffffffff,ffffffff,ffffffff
mtvscr_t: mtvscr v2               # only NJ and SAT of the last word are kept
        blr
#> v2=ffffffff,ffffffff,ffffffff,00010001
#> v2=00000000,00000000,00000000,00000001 vscr=0x10000
sat_sticky_t: vaddubs v3,v1,v2     # SAT set by the first op survives a later non-saturating op
        vaddubs v4,v2,v2
        blr
#> v1=ff000000,00000000,00000000,00000000 v2=01010101,01010101,01010101,01010101
vrefp_t: vrefp v3,v1           # |1 - est*x| <= 2^-12
        vnmsubfp v5,v3,v1,v2
        vcmpbfp. v6,v5,v4
        vxor v3,v3,v3
        vxor v5,v5,v5
        vxor v6,v6,v6
        blr
#> est v1=f:3.0,-7.0,0.1,1234.5 v2=f:1.0,1.0,1.0,1.0 v4=f:0.000244140625,0.000244140625,0.000244140625,0.000244140625
#> est2 v1=f:1.0,-1e-20,1e20,0.999 v2=f:1.0,1.0,1.0,1.0 v4=f:0.000244140625,0.000244140625,0.000244140625,0.000244140625
vrsqrtefp_t: vrsqrtefp v3,v1   # |1 - est*est*x| <= 2^-11
        vmaddfp v5,v3,v3,v7
        vnmsubfp v5,v5,v1,v2
        vcmpbfp. v6,v5,v4
        vxor v3,v3,v3
        vxor v5,v5,v5
        vxor v6,v6,v6
        blr
#> est v1=f:2.0,9.0,0.1,12345.0 v2=f:1.0,1.0,1.0,1.0 v4=f:0.00048828125,0.00048828125,0.00048828125,0.00048828125 v7=80000000,80000000,80000000,80000000
vexptefp_t: vexptefp v3,v1     # |1 - est/2^x| <= 1/16 (v2 = 2^-x)
        vnmsubfp v5,v3,v2,v8
        vcmpbfp. v6,v5,v4
        vxor v3,v3,v3
        vxor v5,v5,v5
        vxor v6,v6,v6
        blr
#> est v1=f:3.0,-2.0,0.5,0.0 v2=f:0.125,4.0,0.70710678,1.0 v4=f:0.0625,0.0625,0.0625,0.0625 v8=f:1.0,1.0,1.0,1.0
vlogefp_t: vlogefp v3,v1       # |est - log2(x)| <= 1/32
        vsubfp v5,v3,v2
        vcmpbfp. v6,v5,v4
        vxor v3,v3,v3
        vxor v5,v5,v5
        vxor v6,v6,v6
        blr
#> est v1=f:8.0,0.25,3.0,1.0 v2=f:3.0,-2.0,1.5849625,0.0 v4=f:0.03125,0.03125,0.03125,0.03125
vrefp_sp_t: vrefp v3,v1           # special operands have exact results
        blr
#> v1=f:inf,-inf,0.0,-0.0
vrsqrtefp_sp_t: vrsqrtefp v3,v1
        blr
#> v1=f:inf,0.0,-0.0,-1.0
