/* RV64FD: rounding modes, fflags, NaN boxing, conversions, min/max, fclass,
 * fused multiply-add, sign injection and comparisons. Prints raw bits + flags. */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t u64;
typedef uint32_t u32;

static const char *fl(unsigned f)
{
    static char buf[6][16];
    static int k;
    char *b = buf[k++ % 6];
    char *p = b;
    if (f & 16) p += sprintf(p, "NV,");
    if (f & 8) p += sprintf(p, "DZ,");
    if (f & 4) p += sprintf(p, "OF,");
    if (f & 2) p += sprintf(p, "UF,");
    if (f & 1) p += sprintf(p, "NX,");
    if (p == b)
        strcpy(b, "-");
    else
        p[-1] = 0;
    return b;
}

static u64 dbits(double d) { u64 u; memcpy(&u, &d, 8); return u; }
static u64 sbits(float f) { u32 u; memcpy(&u, &f, 4); return u; }

typedef u64 (*opfn)(u64, u64, u64, unsigned *);

#define FN(name, pre, body, post)                                                   \
    static u64 name(u64 a, u64 b, u64 c, unsigned *flags)                           \
    {                                                                               \
        u64 r;                                                                      \
        unsigned f;                                                                 \
        __asm__ volatile(pre "\n\tfsflags zero\n\t" body "\n\t" post "\n\tfrflags %1" \
                         : "=&r"(r), "=&r"(f)                                       \
                         : "r"(a), "r"(b), "r"(c)                                   \
                         : "ft0", "ft1", "ft2", "ft3");                             \
        *flags = f;                                                                 \
        return r;                                                                   \
    }
#define IN_D "fmv.d.x ft0,%2\n\tfmv.d.x ft1,%3\n\tfmv.d.x ft2,%4"
#define IN_S "fmv.w.x ft0,%2\n\tfmv.w.x ft1,%3\n\tfmv.w.x ft2,%4"
#define OUT_D "fmv.x.d %0,ft3"
#define OUT_S "fmv.x.w %0,ft3"

enum kind { KD, KS, KI };
struct opinfo { const char *name; enum kind k; int arity; };
static const struct opinfo opinfo[] = {
    {"fadd.d", KD, 2}, {"fsub.d", KD, 2}, {"fmul.d", KD, 2}, {"fdiv.d", KD, 2},
    {"fsqrt.d", KD, 1}, {"fmadd.d", KD, 3}, {"fcvt.s.d", KD, 1}, {"fcvt.w.d", KD, 1},
    {"fcvt.wu.d", KD, 1}, {"fcvt.l.d", KD, 1}, {"fcvt.lu.d", KD, 1},
    {"fadd.s", KS, 2}, {"fsub.s", KS, 2}, {"fmul.s", KS, 2}, {"fdiv.s", KS, 2},
    {"fsqrt.s", KS, 1}, {"fmadd.s", KS, 3}, {"fcvt.w.s", KS, 1}, {"fcvt.wu.s", KS, 1},
    {"fcvt.l.s", KS, 1}, {"fcvt.lu.s", KS, 1},
    {"fcvt.d.l", KI, 1}, {"fcvt.d.lu", KI, 1}, {"fcvt.s.l", KI, 1}, {"fcvt.s.lu", KI, 1},
    {"fcvt.s.w", KI, 1}, {"fcvt.s.wu", KI, 1},
};
#define NOPS ((int)(sizeof opinfo / sizeof opinfo[0]))

#define FAM(rm)                                                                  \
    FN(fadd_d_##rm, IN_D, "fadd.d ft3,ft0,ft1," #rm, OUT_D)                      \
    FN(fsub_d_##rm, IN_D, "fsub.d ft3,ft0,ft1," #rm, OUT_D)                      \
    FN(fmul_d_##rm, IN_D, "fmul.d ft3,ft0,ft1," #rm, OUT_D)                      \
    FN(fdiv_d_##rm, IN_D, "fdiv.d ft3,ft0,ft1," #rm, OUT_D)                      \
    FN(fsqrt_d_##rm, IN_D, "fsqrt.d ft3,ft0," #rm, OUT_D)                        \
    FN(fmadd_d_##rm, IN_D, "fmadd.d ft3,ft0,ft1,ft2," #rm, OUT_D)                \
    FN(fcvt_s_d_##rm, IN_D, "fcvt.s.d ft3,ft0," #rm, OUT_S)                      \
    FN(fcvt_w_d_##rm, IN_D, "fcvt.w.d %0,ft0," #rm, "")                          \
    FN(fcvt_wu_d_##rm, IN_D, "fcvt.wu.d %0,ft0," #rm, "")                        \
    FN(fcvt_l_d_##rm, IN_D, "fcvt.l.d %0,ft0," #rm, "")                          \
    FN(fcvt_lu_d_##rm, IN_D, "fcvt.lu.d %0,ft0," #rm, "")                        \
    FN(fadd_s_##rm, IN_S, "fadd.s ft3,ft0,ft1," #rm, OUT_S)                      \
    FN(fsub_s_##rm, IN_S, "fsub.s ft3,ft0,ft1," #rm, OUT_S)                      \
    FN(fmul_s_##rm, IN_S, "fmul.s ft3,ft0,ft1," #rm, OUT_S)                      \
    FN(fdiv_s_##rm, IN_S, "fdiv.s ft3,ft0,ft1," #rm, OUT_S)                      \
    FN(fsqrt_s_##rm, IN_S, "fsqrt.s ft3,ft0," #rm, OUT_S)                        \
    FN(fmadd_s_##rm, IN_S, "fmadd.s ft3,ft0,ft1,ft2," #rm, OUT_S)                \
    FN(fcvt_w_s_##rm, IN_S, "fcvt.w.s %0,ft0," #rm, "")                          \
    FN(fcvt_wu_s_##rm, IN_S, "fcvt.wu.s %0,ft0," #rm, "")                        \
    FN(fcvt_l_s_##rm, IN_S, "fcvt.l.s %0,ft0," #rm, "")                          \
    FN(fcvt_lu_s_##rm, IN_S, "fcvt.lu.s %0,ft0," #rm, "")                        \
    FN(fcvt_d_l_##rm, "", "fcvt.d.l ft3,%2," #rm, OUT_D)                         \
    FN(fcvt_d_lu_##rm, "", "fcvt.d.lu ft3,%2," #rm, OUT_D)                       \
    FN(fcvt_s_l_##rm, "", "fcvt.s.l ft3,%2," #rm, OUT_S)                         \
    FN(fcvt_s_lu_##rm, "", "fcvt.s.lu ft3,%2," #rm, OUT_S)                       \
    FN(fcvt_s_w_##rm, "", "fcvt.s.w ft3,%2," #rm, OUT_S)                         \
    FN(fcvt_s_wu_##rm, "", "fcvt.s.wu ft3,%2," #rm, OUT_S)

#define TAB(rm)                                                                       \
    {fadd_d_##rm, fsub_d_##rm, fmul_d_##rm, fdiv_d_##rm, fsqrt_d_##rm, fmadd_d_##rm,     \
     fcvt_s_d_##rm, fcvt_w_d_##rm, fcvt_wu_d_##rm, fcvt_l_d_##rm, fcvt_lu_d_##rm,       \
     fadd_s_##rm, fsub_s_##rm, fmul_s_##rm, fdiv_s_##rm, fsqrt_s_##rm, fmadd_s_##rm,     \
     fcvt_w_s_##rm, fcvt_wu_s_##rm, fcvt_l_s_##rm, fcvt_lu_s_##rm, fcvt_d_l_##rm,       \
     fcvt_d_lu_##rm, fcvt_s_l_##rm, fcvt_s_lu_##rm, fcvt_s_w_##rm, fcvt_s_wu_##rm}

FAM(rne) FAM(rtz) FAM(rdn) FAM(rup) FAM(rmm) FAM(dyn)
static const opfn tab[6][NOPS] = {TAB(rne), TAB(rtz), TAB(rdn), TAB(rup), TAB(rmm), TAB(dyn)};
static const char *const rmname[5] = {"rne", "rtz", "rdn", "rup", "rmm"};

/* operand triples */
static const double dops[][3] = {
    {1.0, 0x1p-53, 0}, {1.0, 3.0, 0}, {-1.0, 3.0, 0}, {0x1.0000000000001p0, 0x1.0000000000001p0, -1.0},
    {0x1.fffffffffffffp1023, 0x1.fffffffffffffp1023, 0}, {0x1p-1074, 0.5, 0}, {2.0, 1.0, 0},
    {1.0, -1.0, 0}, {2.5, -0.5, 0}, {-2.5, 0.5, 0}, {-0.5, 1.0, 0}, {2147483647.5, 1.0, 0},
    {-2147483648.5, 1.0, 0}, {4294967295.5, 1.0, 0}, {1e300, 1e-300, 0}, {0x1p63, 0x1p64, 0},
    {-0x1p63, -0x1.0000000000001p63, 0}, {-0.0, -0.0, 0}, {INFINITY, -INFINITY, 1.0},
    {__builtin_nan(""), 1.0, 0}, {__builtin_nans("1"), 1.0, 0}, {-1.0, 0.0, 0},
};
static const float sops[][3] = {
    {1.0f, 0x1p-24f, 0}, {1.0f, 3.0f, 0}, {-1.0f, 3.0f, 0}, {0x1.000002p0f, 0x1.000002p0f, -1.0f},
    {0x1.fffffep127f, 0x1.fffffep127f, 0}, {0x1p-149f, 0.5f, 0}, {2.0f, 1.0f, 0}, {1.0f, -1.0f, 0},
    {2.5f, -0.5f, 0}, {-2.5f, 0.5f, 0}, {0x1p31f, 0x1p32f, 0}, {-0x1p31f, -0x1.000002p31f, 0},
    {0x1p63f, 0x1p64f, 0}, {INFINITY, -INFINITY, 1.0f}, {__builtin_nanf(""), 1.0f, 0},
    {__builtin_nansf("1"), 1.0f, 0}, {-1.0f, 0.0f, 0},
};
static const u64 iops[] = {0, 0xffffffffffffffffull, 16777217, (u64)-16777217ll, 0x7fffffff, 0x80000000ull,
                           9007199254740993ull, (u64)-9007199254740993ll, 0x7fffffffffffffffull,
                           0x8000000000000000ull, 0xffffffff80000001ull, 0x00000001fffffffdull};

static void run_mode(int rmi, int dynamic, u64 *chk, int *mismatch)
{
    for (int o = 0; o < NOPS; o++) {
        const struct opinfo *oi = &opinfo[o];
        int n = oi->k == KD ? (int)(sizeof dops / sizeof dops[0])
              : oi->k == KS ? (int)(sizeof sops / sizeof sops[0])
                            : (int)(sizeof iops / sizeof iops[0]);
        for (int i = 0; i < n; i++) {
            u64 a, b, c;
            if (oi->k == KD)
                a = dbits(dops[i][0]), b = dbits(dops[i][1]), c = dbits(dops[i][2]);
            else if (oi->k == KS)
                a = sbits(sops[i][0]), b = sbits(sops[i][1]), c = sbits(sops[i][2]);
            else
                a = iops[i], b = c = 0;
            unsigned f, fd;
            u64 r = tab[rmi][o](a, b, c, &f);
            if (dynamic) {
                u64 rd = tab[5][o](a, b, c, &fd);
                if (rd != r || fd != f) {
                    (*mismatch)++;
                    printf("MISMATCH dyn %s %s %llx\n", rmname[rmi], oi->name, (unsigned long long)a);
                }
                continue;
            }
            *chk = (*chk ^ r ^ f) * 0x100000001b3ull;
            printf("%s %-9s %016llx", rmname[rmi], oi->name, (unsigned long long)a);
            if (oi->arity >= 2)
                printf(" %016llx", (unsigned long long)b);
            if (oi->arity >= 3)
                printf(" %016llx", (unsigned long long)c);
            printf(" -> %016llx %s\n", (unsigned long long)r, fl(f));
        }
    }
}

static void set_rm(int rmi)
{
    static const int fe[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
    if (rmi < 4)
        fesetround(fe[rmi]);
    else
        __asm__ volatile("fsrmi 4");
}

static unsigned get_frm(void)
{
    unsigned r;
    __asm__ volatile("frrm %0" : "=r"(r));
    return r;
}

static void cflags(const char *what)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    printf("%-28s flags:%s%s%s%s%s%s\n", what, e & FE_INVALID ? " invalid" : "",
           e & FE_DIVBYZERO ? " divbyzero" : "", e & FE_OVERFLOW ? " overflow" : "",
           e & FE_UNDERFLOW ? " underflow" : "", e & FE_INEXACT ? " inexact" : "", e ? "" : " none");
}

/* single-register helpers for the special sections */
#define R2(name, insn, pre)                                                  \
    static u64 name(u64 a, u64 b, unsigned *flags)                           \
    {                                                                        \
        u64 r;                                                               \
        unsigned f;                                                          \
        __asm__ volatile(pre " ft0,%2\n\t" pre " ft1,%3\n\tfsflags zero\n\t" insn \
                         "\n\tfrflags %1"                                    \
                         : "=&r"(r), "=&r"(f)                                \
                         : "r"(a), "r"(b)                                    \
                         : "ft0", "ft1", "ft2");                             \
        *flags = f;                                                          \
        return r;                                                            \
    }
R2(fmin_s, "fmin.s ft2,ft0,ft1\n\tfmv.x.w %0,ft2", "fmv.w.x")
R2(fmax_s, "fmax.s ft2,ft0,ft1\n\tfmv.x.w %0,ft2", "fmv.w.x")
R2(fmin_d, "fmin.d ft2,ft0,ft1\n\tfmv.x.d %0,ft2", "fmv.d.x")
R2(fmax_d, "fmax.d ft2,ft0,ft1\n\tfmv.x.d %0,ft2", "fmv.d.x")
R2(fsgnj_s, "fsgnj.s ft2,ft0,ft1\n\tfmv.x.w %0,ft2", "fmv.w.x")
R2(fsgnjn_s, "fsgnjn.s ft2,ft0,ft1\n\tfmv.x.w %0,ft2", "fmv.w.x")
R2(fsgnjx_s, "fsgnjx.s ft2,ft0,ft1\n\tfmv.x.w %0,ft2", "fmv.w.x")
R2(fsgnj_d, "fsgnj.d ft2,ft0,ft1\n\tfmv.x.d %0,ft2", "fmv.d.x")
R2(fsgnjn_d, "fsgnjn.d ft2,ft0,ft1\n\tfmv.x.d %0,ft2", "fmv.d.x")
R2(fsgnjx_d, "fsgnjx.d ft2,ft0,ft1\n\tfmv.x.d %0,ft2", "fmv.d.x")
R2(feq_s, "feq.s %0,ft0,ft1", "fmv.w.x")
R2(flt_s, "flt.s %0,ft0,ft1", "fmv.w.x")
R2(fle_s, "fle.s %0,ft0,ft1", "fmv.w.x")
R2(feq_d, "feq.d %0,ft0,ft1", "fmv.d.x")
R2(flt_d, "flt.d %0,ft0,ft1", "fmv.d.x")
R2(fle_d, "fle.d %0,ft0,ft1", "fmv.d.x")
R2(fclass_s, "fclass.s %0,ft0", "fmv.w.x")
R2(fclass_d, "fclass.d %0,ft0", "fmv.d.x")
/* raw 64-bit register into single-precision ops (NaN-boxing checks) */
R2(raw_fadd_s, "fadd.s ft2,ft0,ft1\n\tfmv.x.d %0,ft2", "fmv.d.x")
R2(raw_fsgnj_s, "fsgnj.s ft2,ft0,ft1\n\tfmv.x.d %0,ft2", "fmv.d.x")
R2(raw_fmin_s, "fmin.s ft2,ft0,ft1\n\tfmv.x.d %0,ft2", "fmv.d.x")
R2(raw_fcvt_d_s, "fcvt.d.s ft2,ft0\n\tfmv.x.d %0,ft2", "fmv.d.x")
R2(raw_fclass_s, "fclass.s %0,ft0", "fmv.d.x")
R2(raw_fmv_x_w, "fmv.x.w %0,ft0", "fmv.d.x")
R2(raw_feq_s, "feq.s %0,ft0,ft1", "fmv.d.x")
R2(raw_fcvt_w_s, "fcvt.w.s %0,ft0,rtz", "fmv.d.x")

#define FMA4(name, insn, pre, post)                                                   \
    static u64 name(u64 a, u64 b, u64 c, unsigned *flags)                             \
    {                                                                                 \
        u64 r;                                                                        \
        unsigned f;                                                                   \
        __asm__ volatile(pre " ft0,%2\n\t" pre " ft1,%3\n\t" pre " ft2,%4\n\tfsflags zero\n\t" \
                         insn "\n\t" post " %0,ft3\n\tfrflags %1"                     \
                         : "=&r"(r), "=&r"(f)                                         \
                         : "r"(a), "r"(b), "r"(c)                                     \
                         : "ft0", "ft1", "ft2", "ft3");                               \
        *flags = f;                                                                   \
        return r;                                                                     \
    }
FMA4(fmadd_d, "fmadd.d ft3,ft0,ft1,ft2", "fmv.d.x", "fmv.x.d")
FMA4(fmsub_d, "fmsub.d ft3,ft0,ft1,ft2", "fmv.d.x", "fmv.x.d")
FMA4(fnmadd_d, "fnmadd.d ft3,ft0,ft1,ft2", "fmv.d.x", "fmv.x.d")
FMA4(fnmsub_d, "fnmsub.d ft3,ft0,ft1,ft2", "fmv.d.x", "fmv.x.d")
FMA4(unfused_d, "fmul.d ft3,ft0,ft1\n\tfadd.d ft3,ft3,ft2", "fmv.d.x", "fmv.x.d")
FMA4(fmadd_s, "fmadd.s ft3,ft0,ft1,ft2", "fmv.w.x", "fmv.x.w")
FMA4(fmsub_s, "fmsub.s ft3,ft0,ft1,ft2", "fmv.w.x", "fmv.x.w")
FMA4(fnmadd_s, "fnmadd.s ft3,ft0,ft1,ft2", "fmv.w.x", "fmv.x.w")
FMA4(fnmsub_s, "fnmsub.s ft3,ft0,ft1,ft2", "fmv.w.x", "fmv.x.w")
FMA4(unfused_s, "fmul.s ft3,ft0,ft1\n\tfadd.s ft3,ft3,ft2", "fmv.w.x", "fmv.x.w")

#define SQNAN 0x7fc00000u
#define SSNAN 0x7f800001u
#define DQNAN 0x7ff8000000000000ull
#define DSNAN 0x7ff0000000000001ull

int main(void)
{
    unsigned f;
    u64 chk = 0;
    /* 1. static rounding modes */
    for (int m = 0; m < 5; m++)
        run_mode(m, 0, &chk, NULL);
    printf("static rounding checksum %016llx\n", (unsigned long long)chk);
    /* 2. dynamic rounding (fesetround / fsrmi 4) must equal static */
    for (int m = 0; m < 5; m++) {
        int mism = 0;
        set_rm(m);
        printf("dynamic %s: frm=%u fegetround=%s\n", rmname[m], get_frm(),
               m == 4 ? "n/a" : (fegetround() == (int[]){FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD}[m] ? "ok" : "BAD"));
        run_mode(m, 1, &chk, &mism);
        volatile double x = 1.0, y = 3.0, z = 0x1p-53, w = -1.0;
        double q = x / y, s = x + z, mn = w / y;
        volatile double big = 9007199254740993.0 /* rounds at compile time */;
        volatile long li = 9007199254740993l;
        double cv = (double)li;
        long lr = lrint(2.5);
        volatile double fa = 0x1.0000000000001p0;
        double fm = fma(fa, fa, -1.0);
        volatile float ff = 1.0f;
        float fq = ff / 3.0f;
        printf("  C: 1/3=%016llx 1+2^-53=%016llx -1/3=%016llx (double)2^53+1=%016llx lrint(2.5)=%ld fma=%016llx 1f/3=%08llx big=%016llx\n",
               (unsigned long long)dbits(q), (unsigned long long)dbits(s), (unsigned long long)dbits(mn),
               (unsigned long long)dbits(cv), lr, (unsigned long long)dbits(fm), (unsigned long long)sbits(fq),
               (unsigned long long)dbits(big));
        printf("  dyn vs static mismatches: %d\n", mism);
    }
    fesetround(FE_TONEAREST);
    printf("restored frm=%u\n", get_frm());

    /* 3. exception flags through fenv.h */
    volatile double one = 1.0, zero = 0.0, three = 3.0, big = 0x1.fffffffffffffp1023, tiny = 0x1p-1022, neg = -1.0;
    volatile double r;
    volatile float fone = 1.0f, fzero = 0.0f;
    feclearexcept(FE_ALL_EXCEPT); r = one + one; cflags("1+1");
    feclearexcept(FE_ALL_EXCEPT); r = one / three; cflags("1/3");
    feclearexcept(FE_ALL_EXCEPT); r = one / zero; cflags("1/0");
    feclearexcept(FE_ALL_EXCEPT); r = zero / zero; cflags("0/0");
    feclearexcept(FE_ALL_EXCEPT); r = big * 2.0; cflags("DBL_MAX*2");
    feclearexcept(FE_ALL_EXCEPT); r = tiny * tiny; cflags("DBL_MIN*DBL_MIN");
    feclearexcept(FE_ALL_EXCEPT); r = tiny / 2.0; cflags("DBL_MIN/2 (exact subnormal)");
    feclearexcept(FE_ALL_EXCEPT); r = tiny / 3.0; cflags("DBL_MIN/3");
    feclearexcept(FE_ALL_EXCEPT); r = sqrt(neg); cflags("sqrt(-1)");
    feclearexcept(FE_ALL_EXCEPT); r = INFINITY - (double)INFINITY * one; cflags("inf-inf");
    feclearexcept(FE_ALL_EXCEPT); r = (double)(fone / fzero); cflags("1f/0f");
    feclearexcept(FE_ALL_EXCEPT); r = one / three; r = one / zero; cflags("accumulate 1/3 then 1/0");
    feclearexcept(FE_INEXACT); cflags("after clearing only inexact");
    feraiseexcept(FE_OVERFLOW); cflags("feraiseexcept overflow");
    feclearexcept(FE_ALL_EXCEPT);
    (void)r;

    /* 4. NaN boxing */
    u64 reg;
    __asm__ volatile("fmv.w.x ft0,%1\n\tfmv.x.d %0,ft0" : "=r"(reg) : "r"(0x3fc00000u) : "ft0");
    printf("fmv.w.x 1.5f then fmv.x.d = %016llx\n", (unsigned long long)reg);
    static const float memf = -2.0f;
    __asm__ volatile("flw ft0,0(%1)\n\tfmv.x.d %0,ft0" : "=r"(reg) : "r"(&memf) : "ft0");
    printf("flw -2.0f then fmv.x.d = %016llx\n", (unsigned long long)reg);
    __asm__ volatile("fmv.w.x ft0,%1\n\tfadd.s ft0,ft0,ft0\n\tfmv.x.d %0,ft0" : "=r"(reg) : "r"(0x3f800000u) : "ft0");
    printf("fadd.s result fmv.x.d = %016llx\n", (unsigned long long)reg);
    __asm__ volatile("fmv.d.x ft0,%1\n\tfcvt.s.d ft0,ft0\n\tfmv.x.d %0,ft0" : "=r"(reg) : "r"(0x3ff0000000000000ull) : "ft0");
    printf("fcvt.s.d(1.0) result fmv.x.d = %016llx\n", (unsigned long long)reg);
    u32 stored = 0;
    __asm__ volatile("fmv.d.x ft0,%1\n\tfsw ft0,0(%0)" : : "r"(&stored), "r"(0x0000000040700000ull) : "ft0", "memory");
    printf("fsw of unboxed register stores low bits = %08x\n", stored);
    u64 stored64 = 0;
    __asm__ volatile("flw ft0,0(%1)\n\tfsd ft0,0(%0)" : : "r"(&stored64), "r"(&memf) : "ft0", "memory");
    printf("fsd after flw stores = %016llx\n", (unsigned long long)stored64);
    static const u64 unboxed[] = {0x000000003fc00000ull, 0xfffffffe3fc00000ull, 0x7fffffff3fc00000ull,
                                  0xffffffff3fc00000ull, 0x3ff0000000000000ull, 0xffffffff7f800001ull};
    for (int i = 0; i < 6; i++) {
        u64 v = unboxed[i];
        u64 one_s = 0xffffffff3f800000ull;
        u64 a1 = raw_fadd_s(v, one_s, &f);
        printf("raw %016llx: fadd.s 1.0 -> %016llx %s", (unsigned long long)v, (unsigned long long)a1, fl(f));
        a1 = raw_fsgnj_s(v, one_s, &f);
        printf(" | fsgnj.s -> %016llx %s", (unsigned long long)a1, fl(f));
        a1 = raw_fmin_s(v, one_s, &f);
        printf(" | fmin.s -> %016llx %s\n", (unsigned long long)a1, fl(f));
        a1 = raw_fcvt_d_s(v, 0, &f);
        printf("    fcvt.d.s -> %016llx %s", (unsigned long long)a1, fl(f));
        a1 = raw_fclass_s(v, 0, &f);
        printf(" | fclass.s -> %03llx", (unsigned long long)a1);
        a1 = raw_fmv_x_w(v, 0, &f);
        printf(" | fmv.x.w -> %016llx", (unsigned long long)a1);
        a1 = raw_feq_s(v, v, &f);
        printf(" | feq.s self -> %llu %s", (unsigned long long)a1, fl(f));
        a1 = raw_fcvt_w_s(v, 0, &f);
        printf(" | fcvt.w.s -> %016llx %s\n", (unsigned long long)a1, fl(f));
    }

    /* 5. fmin/fmax */
    static const u32 mm_s[][2] = {{SSNAN, 0x3f800000}, {0x3f800000, SSNAN}, {SQNAN, 0x3f800000},
                                  {0x3f800000, SQNAN}, {SSNAN, SQNAN}, {SQNAN, SQNAN}, {SSNAN, SSNAN},
                                  {0x80000000, 0}, {0, 0x80000000}, {0x3f800000, 0x40000000},
                                  {0xff800000, 0x7f800000}, {0xffc00001, 0xbf800000}};
    for (int i = 0; i < 12; i++) {
        unsigned f2;
        u64 mn = fmin_s(mm_s[i][0], mm_s[i][1], &f), mx = fmax_s(mm_s[i][0], mm_s[i][1], &f2);
        printf("fmin.s/fmax.s %08x %08x -> %08x %s / %08x %s\n", mm_s[i][0], mm_s[i][1],
               (u32)mn, fl(f), (u32)mx, fl(f2));
    }
    static const u64 mm_d[][2] = {{DSNAN, 0x3ff0000000000000ull}, {0x3ff0000000000000ull, DSNAN},
                                  {DQNAN, 0x3ff0000000000000ull}, {0x3ff0000000000000ull, DQNAN},
                                  {DSNAN, DQNAN}, {DQNAN, DQNAN}, {DSNAN, DSNAN},
                                  {0x8000000000000000ull, 0}, {0, 0x8000000000000000ull},
                                  {0xfff0000000000000ull, 0x7ff0000000000000ull},
                                  {0xfff8000000000123ull, 0xbff0000000000000ull}};
    for (int i = 0; i < 11; i++) {
        unsigned f2;
        u64 mn = fmin_d(mm_d[i][0], mm_d[i][1], &f), mx = fmax_d(mm_d[i][0], mm_d[i][1], &f2);
        printf("fmin.d/fmax.d %016llx %016llx -> %016llx %s / %016llx %s\n",
               (unsigned long long)mm_d[i][0], (unsigned long long)mm_d[i][1],
               (unsigned long long)mn, fl(f), (unsigned long long)mx, fl(f2));
    }

    /* 6. fclass */
    static const u32 cls_s[] = {0xff800000, 0xbf800000, 0x807fffff, 0x80000000, 0x00000000,
                                0x00000001, 0x3f800000, 0x7f800000, 0x7f800001, 0x7fc00000,
                                0xffffffff, 0x7fbfffff};
    for (int i = 0; i < 12; i++)
        printf("fclass.s %08x = %03llx\n", cls_s[i], (unsigned long long)fclass_s(cls_s[i], 0, &f));
    static const u64 cls_d[] = {0xfff0000000000000ull, 0xbff0000000000000ull, 0x800fffffffffffffull,
                                0x8000000000000000ull, 0, 1, 0x3ff0000000000000ull, 0x7ff0000000000000ull,
                                DSNAN, DQNAN, 0xffffffffffffffffull, 0x7ff7ffffffffffffull};
    for (int i = 0; i < 12; i++)
        printf("fclass.d %016llx = %03llx\n", (unsigned long long)cls_d[i],
               (unsigned long long)fclass_d(cls_d[i], 0, &f));

    /* 7. fused multiply-add */
    static const double fmad[][3] = {
        {0x1.0000000000001p0, 0x1.0000000000001p0, -1.0},
        {0x1.0000000000001p0, 0x1.fffffffffffffp-1, -1.0},
        {0.1, 10.0, -1.0}, {3.0, 1.0 / 3.0, -1.0},
        {0x1p1000, 0x1p100, -INFINITY}, {INFINITY, 0.0, 1.0}, {INFINITY, 0.0, __builtin_nan("")},
        {0.0, -1.0, 0.0}, {-0.0, 1.0, -0.0}, {1.0, 1.0, __builtin_nans("")},
        {0x1p-1000, 0x1p-100, 0x1p-1074}};
    for (int i = 0; i < 11; i++) {
        u64 a = dbits(fmad[i][0]), b = dbits(fmad[i][1]), c = dbits(fmad[i][2]);
        printf("d %016llx*%016llx,%016llx:", (unsigned long long)a, (unsigned long long)b, (unsigned long long)c);
        u64 v = fmadd_d(a, b, c, &f); printf(" fmadd=%016llx %s", (unsigned long long)v, fl(f));
        v = fmsub_d(a, b, c, &f); printf(" fmsub=%016llx %s", (unsigned long long)v, fl(f));
        v = fnmadd_d(a, b, c, &f); printf(" fnmadd=%016llx %s", (unsigned long long)v, fl(f));
        v = fnmsub_d(a, b, c, &f); printf(" fnmsub=%016llx %s", (unsigned long long)v, fl(f));
        v = unfused_d(a, b, c, &f); printf(" unfused=%016llx %s\n", (unsigned long long)v, fl(f));
    }
    static const float fmas[][3] = {
        {0x1.000002p0f, 0x1.000002p0f, -1.0f}, {0x1.000002p0f, 0x1.fffffep-1f, -1.0f},
        {0.1f, 10.0f, -1.0f}, {3.0f, 1.0f / 3.0f, -1.0f}, {INFINITY, 0.0f, 1.0f},
        {INFINITY, 0.0f, __builtin_nanf("")}, {0.0f, -1.0f, 0.0f}, {1.0f, 1.0f, __builtin_nansf("")},
        {0x1p-100f, 0x1p-40f, 0x1p-149f}};
    for (int i = 0; i < 9; i++) {
        u64 a = sbits(fmas[i][0]), b = sbits(fmas[i][1]), c = sbits(fmas[i][2]);
        printf("s %08llx*%08llx,%08llx:", (unsigned long long)a, (unsigned long long)b, (unsigned long long)c);
        u64 v = fmadd_s(a, b, c, &f); printf(" fmadd=%08x %s", (u32)v, fl(f));
        v = fmsub_s(a, b, c, &f); printf(" fmsub=%08x %s", (u32)v, fl(f));
        v = fnmadd_s(a, b, c, &f); printf(" fnmadd=%08x %s", (u32)v, fl(f));
        v = fnmsub_s(a, b, c, &f); printf(" fnmsub=%08x %s", (u32)v, fl(f));
        v = unfused_s(a, b, c, &f); printf(" unfused=%08x %s\n", (u32)v, fl(f));
    }

    /* 8. sign injection */
    static const u32 sg_s[] = {0x3f800000, 0xbf800000, 0x7fc00000, 0xff800001};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            printf("fsgnj.s %08x %08x -> %08x %08x %08x\n", sg_s[i], sg_s[j],
                   (u32)fsgnj_s(sg_s[i], sg_s[j], &f), (u32)fsgnjn_s(sg_s[i], sg_s[j], &f),
                   (u32)fsgnjx_s(sg_s[i], sg_s[j], &f));
    static const u64 sg_d[] = {0x3ff0000000000000ull, 0xbff0000000000000ull, DSNAN, 0xfff8000000000001ull};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            printf("fsgnj.d %016llx %016llx -> %016llx %016llx %016llx %s\n", (unsigned long long)sg_d[i],
                   (unsigned long long)sg_d[j], (unsigned long long)fsgnj_d(sg_d[i], sg_d[j], &f),
                   (unsigned long long)fsgnjn_d(sg_d[i], sg_d[j], &f),
                   (unsigned long long)fsgnjx_d(sg_d[i], sg_d[j], &f), fl(f));

    /* 9. comparisons */
    static const u32 cmp_s[] = {0x3f800000, 0x40000000, 0x80000000, 0x00000000, SQNAN, SSNAN, 0xff800000};
    for (int i = 0; i < 7; i++)
        for (int j = 0; j < 7; j++) {
            unsigned f1, f2, f3;
            u64 e = feq_s(cmp_s[i], cmp_s[j], &f1), l = flt_s(cmp_s[i], cmp_s[j], &f2),
                le = fle_s(cmp_s[i], cmp_s[j], &f3);
            printf("cmp.s %08x %08x feq=%llu %s flt=%llu %s fle=%llu %s\n", cmp_s[i], cmp_s[j],
                   (unsigned long long)e, fl(f1), (unsigned long long)l, fl(f2), (unsigned long long)le, fl(f3));
        }
    static const u64 cmp_d[] = {0x3ff0000000000000ull, 0x8000000000000000ull, 0, DQNAN, DSNAN, 0x7ff0000000000000ull};
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) {
            unsigned f1, f2, f3;
            u64 e = feq_d(cmp_d[i], cmp_d[j], &f1), l = flt_d(cmp_d[i], cmp_d[j], &f2),
                le = fle_d(cmp_d[i], cmp_d[j], &f3);
            printf("cmp.d %016llx %016llx feq=%llu %s flt=%llu %s fle=%llu %s\n", (unsigned long long)cmp_d[i],
                   (unsigned long long)cmp_d[j], (unsigned long long)e, fl(f1), (unsigned long long)l, fl(f2),
                   (unsigned long long)le, fl(f3));
        }

    /* 10. misc: fcvt.d.s / fcvt.s.d of NaNs, fmv.x.w sign extension, fcvt.d.w exact */
    u64 v;
    __asm__ volatile("fmv.w.x ft0,%1\n\tfcvt.d.s ft1,ft0\n\tfmv.x.d %0,ft1" : "=r"(v) : "r"(SSNAN) : "ft0", "ft1");
    printf("fcvt.d.s(sNaN) = %016llx\n", (unsigned long long)v);
    __asm__ volatile("fmv.w.x ft0,%1\n\tfcvt.d.s ft1,ft0\n\tfmv.x.d %0,ft1" : "=r"(v) : "r"(0x00000001u) : "ft0", "ft1");
    printf("fcvt.d.s(min subnormal) = %016llx\n", (unsigned long long)v);
    __asm__ volatile("fmv.d.x ft0,%1\n\tfcvt.s.d ft1,ft0\n\tfmv.x.w %0,ft1" : "=r"(v) : "r"(0xfff8000000000123ull) : "ft0", "ft1");
    printf("fcvt.s.d(-qNaN payload) = %016llx\n", (unsigned long long)v);
    __asm__ volatile("fmv.w.x ft0,%1\n\tfmv.x.w %0,ft0" : "=r"(v) : "r"(0x80000001u) : "ft0");
    printf("fmv.x.w sign-extends = %016llx\n", (unsigned long long)v);
    __asm__ volatile("fcvt.d.w ft0,%1\n\tfmv.x.d %0,ft0" : "=r"(v) : "r"(0xffffffff80000000ull) : "ft0");
    printf("fcvt.d.w(INT32_MIN) = %016llx\n", (unsigned long long)v);
    __asm__ volatile("fcvt.d.wu ft0,%1\n\tfmv.x.d %0,ft0" : "=r"(v) : "r"(0xffffffff80000000ull) : "ft0");
    printf("fcvt.d.wu(0x80000000) = %016llx\n", (unsigned long long)v);
    __asm__ volatile("fmv.d.x ft0,%1\n\tfsqrt.d ft0,ft0\n\tfmv.x.d %0,ft0" : "=r"(v) : "r"(0x8000000000000000ull) : "ft0");
    printf("fsqrt.d(-0) = %016llx\n", (unsigned long long)v);
    __asm__ volatile("fmv.d.x ft0,%1\n\tfadd.d ft0,ft0,ft0\n\tfmv.x.d %0,ft0" : "=r"(v) : "r"(0xfff8000000000123ull) : "ft0");
    printf("fadd.d(-qNaN payload) = %016llx (canonical)\n", (unsigned long long)v);
    unsigned fcsr;
    __asm__ volatile("frcsr %0" : "=r"(fcsr));
    printf("final fcsr = %02x\n", fcsr);
    return 0;
}
