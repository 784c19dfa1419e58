/* compute: integer, floating-point and AltiVec work with known answers. */
#include <altivec.h>
#include "xenact.h"

/* Keeps the compiler from folding the arithmetic at build time. */
#define OPAQUE(x) ({ __typeof__(x) v_ = (x); __asm__ volatile("" : "+r"(v_)); v_; })
#define OPAQUE_V(x) ({ __typeof__(x) v_ = (x); __asm__ volatile("" : "+v"(v_)); v_; })
#define OPAQUE_F(x) ({ __typeof__(x) v_ = (x); __asm__ volatile("" : "+f"(v_)); v_; })

static u64 bits(double d) {
    union { double d; u64 u; } v = {d};
    return v.u;
}

static u32 fbits(float f) {
    union { float f; u32 u; } v = {f};
    return v.u;
}

static int check64(const char *name, u64 got, u64 want) {
    if (got == want) return xt_check(name, 1);
    printf("compute: %s: got 0x%016llx, want 0x%016llx\n", name, got, want);
    xt_check(name, 0);
    return 0;
}

/* 64-bit integer arithmetic the way titles do it: in one 64-bit register.
   Xenon runs titles in 64-bit mode, where 32-bit code's long long sequences
   (carries between halves) do not hold, so these use ld/add/mulld/std. */
static u64 add64(u64 a, u64 b) {
    volatile u64 in[2] = {a, b};
    volatile u64 out = 0;
    __asm__ volatile("ld 9,0(%1)\n\tld 10,8(%1)\n\tadd 9,9,10\n\tstd 9,0(%0)"
                     : : "b"(&out), "b"(in) : "r9", "r10", "memory");
    return out;
}

static u64 mul64(u64 a, u64 b) {
    volatile u64 in[2] = {a, b};
    volatile u64 out = 0;
    __asm__ volatile("ld 9,0(%1)\n\tld 10,8(%1)\n\tmulld 9,9,10\n\tstd 9,0(%0)"
                     : : "b"(&out), "b"(in) : "r9", "r10", "memory");
    return out;
}

static u32 crc32(const char *s) {
    u32 crc = 0xFFFFFFFF;
    for (; *s; s++) {
        crc ^= (u8)*s;
        for (int i = 0; i < 8; i++) crc = (crc >> 1) ^ (0xEDB88320 & -(crc & 1));
    }
    return ~crc;
}

static void integer(void) {
    s32 a = OPAQUE(-7), b = OPAQUE(2);
    xt_check_eq("int divide truncates", (u32)(a / b), (u32)-3);
    xt_check_eq("int remainder", (u32)(a % b), (u32)-1);
    xt_check_eq("unsigned divide", OPAQUE(0xFFFFFFFFu) / OPAQUE(10u), 429496729);
    xt_check_eq("arithmetic shift", (u32)(OPAQUE(-256) >> 4), (u32)-16);
    xt_check_eq("rotate", (OPAQUE(0x12345678u) << 8) | (OPAQUE(0x12345678u) >> 24), 0x34567812);
    xt_check_eq("count leading zeros", __builtin_clz(OPAQUE(0x00010000u)), 15);
    xt_check_eq("mulhwu", (u32)(((u64)OPAQUE(0xDEADBEEFu) * OPAQUE(0xCAFEBABEu)) >> 32), 0xB092AB7B);
    check64("64-bit multiply", mul64(0x0123456789ABCDEFull, 0x1000003ull), 0x6AF37C048C0369CDull);
    check64("64-bit add carries", add64(0x00000000FFFFFFFFull, 1ull), 0x0000000100000000ull);
    xt_check_eq("crc32 of 123456789", crc32(OPAQUE((const char *)"123456789")), 0xCBF43926);
}

static void fpu(void) {
    double third = OPAQUE_F(1.0) / OPAQUE_F(3.0);
    check64("double divide", bits(third), 0x3FD5555555555555ull);
    check64("double add rounds", bits(OPAQUE_F(0.1) + OPAQUE_F(0.2)), 0x3FD3333333333334ull);
    double x = OPAQUE_F(1.0);
    for (int i = 0; i < 6; i++) x = (x + OPAQUE_F(2.0) / x) * 0.5;
    check64("newton sqrt2", bits(x), 0x3FF6A09E667F3BCCull);
    check64("fsqrt", bits(__builtin_sqrt(OPAQUE_F(2.0))), 0x3FF6A09E667F3BCDull);
    check64("fmadd single rounding", bits(__builtin_fma(OPAQUE_F(0.1), OPAQUE_F(10.0), OPAQUE_F(-1.0))),
            0x3C90000000000000ull);
    xt_check_eq("single precision", fbits((float)OPAQUE_F(1.0) / (float)OPAQUE_F(3.0)), 0x3EAAAAAB);
    xt_check_eq("double to int truncates", (u32)(s32)OPAQUE_F(-2.75), (u32)-2);
    check64("int to double", bits((double)OPAQUE(-123456789)), 0xC19D6F3454000000ull);
    xt_check("compare less", OPAQUE_F(-0.0) < OPAQUE_F(1e-300));
}

static void altivec(void) {
    vector signed int a = {1, 2, 3, 0x7FFFFFFF};
    vector signed int b = {10, 20, 30, 1};
    vector signed int sum = vec_adds(OPAQUE_V(a), b);
    static const s32 sum_want[4] = {11, 22, 33, 0x7FFFFFFF};
    xt_check("vaddsws saturates", memcmp(&sum, sum_want, 16) == 0);

    vector float x = {1.0f, 2.0f, 3.0f, 4.0f};
    vector float y = {0.5f, 0.25f, 2.0f, -1.0f};
    vector float z = {1.0f, 1.0f, 1.0f, 1.0f};
    vector float m = vec_madd(OPAQUE_V(x), y, z);
    static const float m_want[4] = {1.5f, 1.5f, 7.0f, -3.0f};
    xt_check("vmaddfp", memcmp(&m, m_want, 16) == 0);

    vector unsigned char bytes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    vector unsigned char reverse = {15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
    vector unsigned char p = vec_perm(OPAQUE_V(bytes), bytes, reverse);
    xt_check("vperm reverses", memcmp(&p, &reverse, 16) == 0);

    vector signed int s = vec_splat(OPAQUE_V(b), 2);
    static const s32 s_want[4] = {30, 30, 30, 30};
    xt_check("vspltw", memcmp(&s, s_want, 16) == 0);
}

int main(void) {
    xt_program = "compute";
    integer();
    fpu();
    altivec();
    return xt_finish();
}
