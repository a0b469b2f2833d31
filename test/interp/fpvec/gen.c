// Generates RISC-V F/D test vectors: runs each instruction (under qemu-riscv64, see the
// Makefile) on a seeded pseudo-random set of operands, under every static rounding mode,
// and prints the result bits and the accrued flags.
//
// Output, one line per operand tuple:
//   rm ops:     <op> <a> [<b> [<c>]] <r0>:<f0> <r1>:<f1> <r2>:<f2> <r3>:<f3> <r4>:<f4>
//   other ops:  <op> <a> [<b>] <r>:<f>
// rK/fK are the result and fflags for rm = K (rne rtz rdn rup rmm). All numbers are hex.
// f32 register values are printed as 8 hex digits when NaN-boxed, otherwise as 'u' and all
// 64 bits. r1..r4 are written as '=' when equal to r0, or as '+N'/'-N' (decimal delta of the
// raw 64-bit pattern, |N| < 1000) when close to it.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

typedef uint64_t u64;
typedef uint32_t u32;

// ---------------- PRNG (xoshiro256**, seeded by splitmix64) ----------------
static u64 st[4];
static u64 rotl(u64 x, int k) { return (x << k) | (x >> (64 - k)); }
static u64 rnd(void) {
  u64 r = rotl(st[1] * 5, 7) * 9, t = st[1] << 17;
  st[2] ^= st[0]; st[3] ^= st[1]; st[1] ^= st[2]; st[0] ^= st[3]; st[2] ^= t; st[3] = rotl(st[3], 45);
  return r;
}
static void seed(u64 s) {
  for (int i = 0; i < 4; i++) {
    u64 z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL; z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    st[i] = z ^ (z >> 31);
  }
}
static int rn(int n) { return (int)(rnd() % (u64)n); }
static u64 mask(int k) { return k >= 64 ? ~0ULL : (1ULL << k) - 1; }

static u64 d2u(double d) { u64 u; memcpy(&u, &d, 8); return u; }
static double u2d(u64 u) { double d; memcpy(&d, &u, 8); return d; }
static u32 f2u(float f) { u32 u; memcpy(&u, &f, 4); return u; }
static float u2f(u32 u) { float f; memcpy(&f, &u, 4); return f; }

// ---------------- value generators ----------------
// A format: precision p (with the implicit bit), exponent bits, total bits.
typedef struct { int p, ew, w; } Fmt;
static const Fmt F32 = {24, 8, 32}, F64 = {53, 11, 64};
static int bias(Fmt f) { return (1 << (f.ew - 1)) - 1; }
static int emaxb(Fmt f) { return (1 << f.ew) - 2; } // largest biased exponent of a finite value
static u64 pack(Fmt f, int s, int be, u64 frac) {
  return ((u64)s << (f.w - 1)) | ((u64)be << (f.p - 1)) | (frac & mask(f.p - 1));
}
static int expOf(Fmt f, u64 x) { return (int)((x >> (f.p - 1)) & mask(f.ew)); }

// A mantissa with k significant bits (1 <= k <= p), as a fraction field (implicit bit dropped).
static u64 shortFrac(Fmt f, int k) {
  u64 m = (rnd() & mask(k - 1)) | (1ULL << (k - 1));
  switch (rn(4)) { // bias the low bits toward the interesting patterns
    case 0: m |= 1; break;
    case 1: m = (m | 1) ^ 2; m |= 1ULL << (k - 1); break;
    default: break;
  }
  return (m << (f.p - k)) & mask(f.p - 1);
}
static int smallK(Fmt f) { return rn(3) ? 1 + rn(f.p) : 1 + rn(1 + rn(f.p)); }

static const u64 SPEC64[] = {
  0x0000000000000000ULL, 0x7ff0000000000000ULL, 0x7ff8000000000000ULL, 0x7ff4000000000000ULL,
  0x7ff0000000000001ULL, 0x7ffc000000000123ULL, 0x0000000000000001ULL, 0x000fffffffffffffULL,
  0x0008000000000000ULL, 0x0010000000000000ULL, 0x0010000000000001ULL, 0x001fffffffffffffULL,
  0x7fefffffffffffffULL, 0x7feffffffffffffeULL, 0x7fe0000000000000ULL, 0x3ff0000000000000ULL,
  0x3ff0000000000001ULL, 0x3fefffffffffffffULL, 0x3fe0000000000000ULL, 0x4000000000000000ULL,
  0x3ca0000000000000ULL, 0x3cb0000000000000ULL, 0x0000000000000003ULL, 0x000ffffffffffffeULL,
  0x41e0000000000000ULL, 0x41f0000000000000ULL, 0x43e0000000000000ULL, 0x43f0000000000000ULL,
  0x47efffffe0000000ULL, 0x47effffff0000000ULL, 0x3810000000000000ULL, 0x380fffffe0000000ULL,
  0x36a0000000000000ULL, 0x3690000000000000ULL, 0x3800000000000000ULL, 0x7fd0000000000000ULL,
};
static const u32 SPEC32[] = {
  0x00000000, 0x7f800000, 0x7fc00000, 0x7fa00000, 0x7f800001, 0x7fe00123, 0x00000001, 0x007fffff,
  0x00400000, 0x00800000, 0x00800001, 0x00ffffff, 0x7f7fffff, 0x7f7ffffe, 0x7f000000, 0x3f800000,
  0x3f800001, 0x3f7fffff, 0x3f000000, 0x40000000, 0x33800000, 0x34000000, 0x00000003, 0x007ffffe,
  0x4f000000, 0x4f800000, 0x5f000000, 0x5f800000, 0x4effffff, 0x4f7fffff, 0x5effffff, 0x5f7fffff,
};

static u64 special(Fmt f) {
  u64 x = f.w == 64 ? SPEC64[rn(sizeof SPEC64 / 8)] : SPEC32[rn(sizeof SPEC32 / 4)];
  return x | ((u64)rn(2) << (f.w - 1));
}

// A value near an integer conversion limit or a small integer, with a fractional offset.
static double nearInt(void) {
  static const double bases[] = {0, 1, 2, 3, 7, 100, 8388608.0, 16777216.0, 2147483648.0, 4294967296.0,
                                 4503599627370496.0, 9007199254740992.0, 9223372036854775808.0,
                                 18446744073709551616.0, 2147483647.0, 4294967295.0};
  static const double offs[] = {0, 0.5, -0.5, 1, -1, 1.5, -1.5, 2.5, -2.5, 0.25, 0.75, -0.75};
  double b = rn(4) == 0 ? (double)(rnd() >> rn(64)) : bases[rn(sizeof bases / sizeof bases[0])];
  double x;
  switch (rn(4)) {
    case 0: x = b + offs[rn(sizeof offs / sizeof offs[0])]; break;
    case 1: x = u2d(d2u(b) + (u64)(rn(5) - 2)); break;              // b +- a few ulps
    case 2: x = b + (double)(rnd() >> 11) / 9007199254740992.0; break; // random fraction
    default: x = b; break;
  }
  return rn(2) ? -x : x;
}

static u64 gen(Fmt f) {
  int B = bias(f), EM = emaxb(f);
  int s = rn(2);
  switch (rn(16)) {
    case 0: case 1: return rnd() & mask(f.w);
    case 2: case 3: return special(f);
    case 4: case 5: case 6: return pack(f, s, B - 12 + rn(25), shortFrac(f, smallK(f)));
    case 7: return pack(f, s, 1 + rn(EM), shortFrac(f, smallK(f)));
    case 8: return pack(f, s, 1 + rn(f.p + 4), shortFrac(f, smallK(f)));          // near the bottom
    case 9: return pack(f, s, 0, shortFrac(f, smallK(f)) >> rn(f.p - 1));          // subnormal
    case 10: return pack(f, s, EM - rn(f.p + 4), shortFrac(f, smallK(f)));         // near the top
    case 11: case 12: {
      double x = nearInt();
      return f.w == 64 ? d2u(x) : f2u((float)x);
    }
    case 13: return pack(f, s, 1 + rn(EM), rn(2) ? mask(f.p - 1) : (u64)rn(2)); // 1.111.. / 1.000..(1)
    default: return pack(f, s, B - 3 + rn(7), rnd());
  }
}

// An operand related to x: same or nearby exponent, cancellation, etc.
static u64 related(Fmt f, u64 x) {
  int e = expOf(f, x), s = rn(2);
  switch (rn(8)) {
    case 0: return x;
    case 1: return x ^ (1ULL << (f.w - 1));
    case 2: return (x ^ (1ULL << (f.w - 1))) ^ (rnd() & mask(1 + rn(8)));      // near cancellation
    case 3: return x ^ (rnd() & mask(1 + rn(f.p)));
    default: {
      int d = rn(4) ? rn(f.p + 8) : rn(3 * f.p);
      int be = e - d + rn(3) - 1;
      if (be < 0) be = 0;
      if (be > emaxb(f)) be = emaxb(f);
      return pack(f, s, be, shortFrac(f, smallK(f)) >> (be == 0 ? rn(f.p) : 0));
    }
  }
}

// Operands whose product/quotient lands near the overflow or underflow threshold.
static void extremePair(Fmt f, u64 *a, u64 *b, int div) {
  int B = bias(f), EM = emaxb(f);
  int target = rn(2) ? EM - rn(3) + 1 : 1 - rn(f.p + 3);   // biased exponent of the result
  int ea = 1 + rn(EM);
  int eb = div ? ea - target + B : target - ea + B;
  if (eb < 1) eb = 1;
  if (eb > EM) eb = EM;
  *a = pack(f, rn(2), ea, shortFrac(f, smallK(f)));
  *b = pack(f, rn(2), eb, rn(2) ? shortFrac(f, smallK(f)) : rnd());
}

// f32 values live NaN-boxed in the 64-bit f registers; a few are deliberately not boxed.
static u64 box(u32 x) {
  if (rn(60) == 0) return rn(2) ? (u64)x : ((rnd() & 0xffffffff00000000ULL) ^ 0x100000000ULL) | x;
  return 0xffffffff00000000ULL | x;
}

// A 64-bit integer operand.
static u64 genInt(int p) {
  int s = rn(2);
  u64 v;
  switch (rn(8)) {
    case 0: v = rnd(); break;
    case 1: v = rnd() >> rn(64); break;
    case 2: { // p+1 or p+2 significant bits: exercises ties and sticky bits
      int k = p + 1 + rn(2), sh = rn(64 - k + 1);
      v = ((rnd() & mask(k)) | (1ULL << (k - 1)) | (rn(2) ? 1 : 0)) << sh;
      break;
    }
    case 3: { static const u64 t[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
                                       0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL,
                                       0xffffff, 0x1000001, 0x1fffffffffffffULL, 0x20000000000001ULL};
      v = t[rn(sizeof t / 8)]; break; }
    case 4: v = (rnd() & mask(1 + rn(32))) | (rnd() & ~mask(32)); break;  // junk in the upper word
    default: v = rnd() >> rn(40); break;
  }
  return s ? -v : v;
}

// ---------------- instruction wrappers ----------------
typedef u64 (*Fn)(int rm, u64 a, u64 b, u64 c, unsigned *fl);

#define RMSWITCH(A, X) switch (rm) { \
  case 0: A(X, "rne", "0"); break; case 1: A(X, "rtz", "1"); break; case 2: A(X, "rdn", "2"); break; \
  case 3: A(X, "rup", "3"); break; default: A(X, "rmm", "4"); break; }

#define PRE "fmv.d.x ft0,%2\n\tfmv.d.x ft1,%3\n\tfmv.d.x ft2,%4\n\tcsrw fflags,zero\n\t"
#define POSTF "\n\tfrflags %1\n\tfmv.x.d %0,ft3"
#define POSTX "\n\tfrflags %1"
#define IO : "=&r"(r), "=&r"(f) : "r"(a), "r"(b), "r"(c) : "ft0", "ft1", "ft2", "ft3"

#define FF3_A(X, RMS, RMN) asm volatile(PRE X " ft3,ft0,ft1,ft2," RMS POSTF IO)
#define FF2_A(X, RMS, RMN) asm volatile(PRE X " ft3,ft0,ft1," RMS POSTF IO)
#define FF1_A(X, RMS, RMN) asm volatile(PRE X " ft3,ft0," RMS POSTF IO)
#define XF1_A(X, RMS, RMN) asm volatile(PRE X " %0,ft0," RMS POSTX IO)
#define FX1_A(X, RMS, RMN) asm volatile(PRE X " ft3,%2," RMS POSTF IO)
// raw encodings (binutils rejects an rm operand on these): .insn r OP-FP, rm, funct7, rd, rs1, rs2
#define FIN_A(X, RMS, RMN) asm volatile(PRE ".insn r 0x53, " RMN ", " X POSTF IO)

#define WITHRM(fn, A, X) static u64 fn(int rm, u64 a, u64 b, u64 c, unsigned *fl) { u64 r; unsigned f; \
  RMSWITCH(A, X) *fl = f; return r; }
#define FF3(fn, insn) WITHRM(fn, FF3_A, insn)
#define FF2(fn, insn) WITHRM(fn, FF2_A, insn)
#define FF1(fn, insn) WITHRM(fn, FF1_A, insn)
#define XF1(fn, insn) WITHRM(fn, XF1_A, insn)
#define FX1(fn, insn) WITHRM(fn, FX1_A, insn)
#define FIN(fn, fields) WITHRM(fn, FIN_A, fields)

// operations without a rounding mode
#define NORM(fn, body) static u64 fn(int rm, u64 a, u64 b, u64 c, unsigned *fl) { u64 r; unsigned f; (void)rm; \
  asm volatile(PRE body IO); *fl = f; return r; }
#define NF2(fn, insn) NORM(fn, insn " ft3,ft0,ft1" POSTF)
#define NX2(fn, insn) NORM(fn, insn " %0,ft0,ft1" POSTX)
#define NX1(fn, insn) NORM(fn, insn " %0,ft0" POSTX)
#define NFX(fn, insn) NORM(fn, insn " ft3,%2" POSTF)

#pragma GCC diagnostic ignored "-Wunused-parameter"

#define FPOPS(S) \
  FF3(fmadd_##S, "fmadd." #S) FF3(fmsub_##S, "fmsub." #S) FF3(fnmsub_##S, "fnmsub." #S) FF3(fnmadd_##S, "fnmadd." #S) \
  FF2(fadd_##S, "fadd." #S) FF2(fsub_##S, "fsub." #S) FF2(fmul_##S, "fmul." #S) FF2(fdiv_##S, "fdiv." #S) \
  FF1(fsqrt_##S, "fsqrt." #S) \
  NF2(fsgnj_##S, "fsgnj." #S) NF2(fsgnjn_##S, "fsgnjn." #S) NF2(fsgnjx_##S, "fsgnjx." #S) \
  NF2(fmin_##S, "fmin." #S) NF2(fmax_##S, "fmax." #S) \
  XF1(fcvt_w_##S, "fcvt.w." #S) XF1(fcvt_wu_##S, "fcvt.wu." #S) XF1(fcvt_l_##S, "fcvt.l." #S) XF1(fcvt_lu_##S, "fcvt.lu." #S) \
  NX1(fclass_##S, "fclass." #S) NX2(feq_##S, "feq." #S) NX2(flt_##S, "flt." #S) NX2(fle_##S, "fle." #S) \
  FX1(fcvt_##S##_l, "fcvt." #S ".l") FX1(fcvt_##S##_lu, "fcvt." #S ".lu")

FPOPS(s)
FPOPS(d)
FX1(fcvt_s_w, "fcvt.s.w")
FX1(fcvt_s_wu, "fcvt.s.wu")
FIN(fcvt_d_w, "0x69, ft3, %2, x0")
FIN(fcvt_d_wu, "0x69, ft3, %2, x1")
FIN(fcvt_d_s, "0x21, ft3, ft0, x0")
FF1(fcvt_s_d, "fcvt.s.d")
NX1(fmv_x_w, "fmv.x.w")
NX1(fmv_x_d, "fmv.x.d")
NFX(fmv_w_x, "fmv.w.x")
NFX(fmv_d_x, "fmv.d.x")

// ---------------- the op table ----------------
enum Src { S_F32, S_F64, S_INT };
enum Dst { D_F32, D_F64, D_X };
enum Kind { K_ARITH, K_MUL, K_DIV, K_FMA, K_SQRT, K_CMP, K_TOINT, K_FROMINT, K_NARROW, K_ONE };
typedef struct { const char *name; Fn fn; int rm, nsrc, src, dst, kind; } Op;

#define OPS_OF(S, SRC, DST) \
  {"fmadd." #S, fmadd_##S, 1, 3, SRC, DST, K_FMA}, {"fmsub." #S, fmsub_##S, 1, 3, SRC, DST, K_FMA}, \
  {"fnmsub." #S, fnmsub_##S, 1, 3, SRC, DST, K_FMA}, {"fnmadd." #S, fnmadd_##S, 1, 3, SRC, DST, K_FMA}, \
  {"fadd." #S, fadd_##S, 1, 2, SRC, DST, K_ARITH}, {"fsub." #S, fsub_##S, 1, 2, SRC, DST, K_ARITH}, \
  {"fmul." #S, fmul_##S, 1, 2, SRC, DST, K_MUL}, {"fdiv." #S, fdiv_##S, 1, 2, SRC, DST, K_DIV}, \
  {"fsqrt." #S, fsqrt_##S, 1, 1, SRC, DST, K_SQRT}, \
  {"fsgnj." #S, fsgnj_##S, 0, 2, SRC, DST, K_CMP}, {"fsgnjn." #S, fsgnjn_##S, 0, 2, SRC, DST, K_CMP}, \
  {"fsgnjx." #S, fsgnjx_##S, 0, 2, SRC, DST, K_CMP}, {"fmin." #S, fmin_##S, 0, 2, SRC, DST, K_CMP}, \
  {"fmax." #S, fmax_##S, 0, 2, SRC, DST, K_CMP}, \
  {"fcvt.w." #S, fcvt_w_##S, 1, 1, SRC, D_X, K_TOINT}, {"fcvt.wu." #S, fcvt_wu_##S, 1, 1, SRC, D_X, K_TOINT}, \
  {"fcvt.l." #S, fcvt_l_##S, 1, 1, SRC, D_X, K_TOINT}, {"fcvt.lu." #S, fcvt_lu_##S, 1, 1, SRC, D_X, K_TOINT}, \
  {"fclass." #S, fclass_##S, 0, 1, SRC, D_X, K_ONE}, {"feq." #S, feq_##S, 0, 2, SRC, D_X, K_CMP}, \
  {"flt." #S, flt_##S, 0, 2, SRC, D_X, K_CMP}, {"fle." #S, fle_##S, 0, 2, SRC, D_X, K_CMP}, \
  {"fcvt." #S ".w", fcvt_##S##_w, 1, 1, S_INT, DST, K_FROMINT}, \
  {"fcvt." #S ".wu", fcvt_##S##_wu, 1, 1, S_INT, DST, K_FROMINT}, \
  {"fcvt." #S ".l", fcvt_##S##_l, 1, 1, S_INT, DST, K_FROMINT}, \
  {"fcvt." #S ".lu", fcvt_##S##_lu, 1, 1, S_INT, DST, K_FROMINT}

static const Op OPS[] = {
  OPS_OF(s, S_F32, D_F32),
  {"fmv.x.w", fmv_x_w, 0, 1, S_F32, D_X, K_ONE}, {"fmv.w.x", fmv_w_x, 0, 1, S_INT, D_F32, K_ONE},
  OPS_OF(d, S_F64, D_F64),
  {"fcvt.s.d", fcvt_s_d, 1, 1, S_F64, D_F32, K_NARROW}, {"fcvt.d.s", fcvt_d_s, 1, 1, S_F32, D_F64, K_ONE},
  {"fmv.x.d", fmv_x_d, 0, 1, S_F64, D_X, K_ONE}, {"fmv.d.x", fmv_d_x, 0, 1, S_INT, D_F64, K_ONE},
};

// ---------------- operand selection per kind ----------------
static u64 genF(int src) {
  if (src == S_F64) return gen(F64);
  if (src == S_F32) return box((u32)gen(F32));
  return genInt(rn(2) ? 24 : 53);
}
static u64 relF(int src, u64 x) {
  if (src == S_F64) return related(F64, x);
  return box((u32)related(F32, x & 0xffffffff));
}
static u64 wrapF(int src, u64 x) { return src == S_F32 ? box((u32)x) : x; }

// Operands whose product (or quotient) is within a few ulps of the smallest normal, the
// largest finite value, or a small subnormal: tininess after rounding, overflow thresholds.
static void boundaryPair(Fmt f, u64 *a, u64 *b, int div) {
  int B = bias(f);
  int which = rn(3);
  if (f.w == 64) {
    double T = which == 0 ? 0x1p-1022 : which == 1 ? 0x1.fffffffffffffp1023 : 0x1p-1070 * (1 + rn(16));
    double x = u2d(pack(f, rn(2), B - 40 + rn(80), rn(2) ? rnd() : shortFrac(f, smallK(f))));
    double y = div ? x / T : T / x;
    *a = d2u(x); *b = d2u(y) + (u64)(rn(5) - 2);
  } else {
    float T = which == 0 ? 0x1p-126f : which == 1 ? 0x1.fffffep127f : 0x1p-146f * (float)(1 + rn(16));
    float x = u2f((u32)pack(f, rn(2), B - 20 + rn(40), rn(2) ? rnd() : shortFrac(f, smallK(f))));
    float y = div ? x / T : T / x;
    *a = f2u(x); *b = (u32)(f2u(y) + (u32)(rn(5) - 2));
  }
}

// Hand-picked cases: exact values just beyond a midpoint of the result format while the
// intermediate f64 arithmetic lands exactly on it (double rounding), and exact midpoints.
static const struct { const char *op; u64 a, b, c; } HAND[] = {
  {"fmadd.d", 0x3ff0000000000001ULL, 0x3fefffffffffffffULL, 0x3960000000000001ULL},
  {"fmadd.d", 0x3ff0000000000001ULL, 0x3fefffffffffffffULL, 0x3960000000000000ULL},
  {"fmadd.d", 0x3ff0000000000001ULL, 0x3fefffffffffffffULL, 0x395fffffffffffffULL},
  {"fmadd.d", 0xbff0000000000001ULL, 0x3fefffffffffffffULL, 0xb960000000000001ULL},
  {"fmadd.s", 0xffffffff3f800001ULL, 0xffffffff3f7fffffULL, 0xffffffff28000001ULL},
  {"fmadd.s", 0xffffffff3f800001ULL, 0xffffffff3f7fffffULL, 0xffffffff28000000ULL},
  {"fmadd.s", 0xffffffff3f800001ULL, 0xffffffff3f7fffffULL, 0xffffffff27ffffffULL},
  {"fmadd.s", 0xffffffffbf800001ULL, 0xffffffff3f7fffffULL, 0xffffffffa8000001ULL},
  {"fadd.s", 0xffffffff3f800000ULL, 0xffffffff33800001ULL, 0},
  {"fadd.s", 0xffffffff3f800000ULL, 0xffffffff33800000ULL, 0},
  {"fadd.s", 0xffffffff3f800001ULL, 0xffffffff33800000ULL, 0},
  {"fadd.s", 0xffffffff4b800000ULL, 0xffffffff3f000000ULL, 0},
  {"fadd.d", 0x3ff0000000000000ULL, 0x3ca0000000000001ULL, 0},
  {"fadd.d", 0x3ff0000000000000ULL, 0x3ca0000000000000ULL, 0},
  {"fcvt.s.d", 0x3ff0000010000000ULL, 0, 0},
  {"fcvt.s.d", 0x3ff0000030000000ULL, 0, 0},
  {"fcvt.s.d", 0x380fffffffffffffULL, 0, 0},
  {"fcvt.s.d", 0x380ffffff0000000ULL, 0, 0},
  {"fcvt.s.d", 0x380fffffefffffffULL, 0, 0},
  {"fcvt.s.d", 0x380fffffe0000000ULL, 0, 0},
  {"fcvt.s.d", 0x47efffffefffffffULL, 0, 0},
  {"fcvt.s.d", 0x47effffff0000000ULL, 0, 0},
  {"fcvt.s.d", 0x47effffff0000001ULL, 0, 0},
  {"fmul.d", 0x3fffffffffffffffULL, 0x0008000000000000ULL, 0},
  {"fmul.d", 0x3ff0000000000001ULL, 0x000fffffffffffffULL, 0},
  {"fmul.d", 0x3ff8000000000000ULL, 0x000fffffffffffffULL, 0},
  {"fmul.s", 0xffffffff3fffffffULL, 0xffffffff00400000ULL, 0},
  {"fmul.s", 0xffffffff3f800001ULL, 0xffffffff007fffffULL, 0},
  {"fdiv.d", 0x0010000000000000ULL, 0x3ff0000000000001ULL, 0},
  {"fdiv.d", 0x0000000000000001ULL, 0x4000000000000000ULL, 0},
  {"fdiv.d", 0x0000000000000003ULL, 0x4000000000000000ULL, 0},
  {"fdiv.s", 0xffffffff00800000ULL, 0xffffffff3f800001ULL, 0},
  {"fdiv.s", 0xffffffff00000003ULL, 0xffffffff40000000ULL, 0},
};

static void operands(const Op *op, u64 v[3]) {
  int src = op->src;
  Fmt f = src == S_F32 ? F32 : F64;
  v[0] = genF(src); v[1] = genF(src); v[2] = genF(src);
  if ((op->kind == K_MUL || op->kind == K_DIV || op->kind == K_FMA) && rn(5) == 0) {
    boundaryPair(f, &v[0], &v[1], op->kind == K_DIV);
    v[0] = wrapF(src, v[0]); v[1] = wrapF(src, v[1]);
    if (op->kind == K_FMA && rn(2)) v[2] = wrapF(src, pack(f, rn(2), rn(3), rnd() >> rn(64)));
    return;
  }
  switch (op->kind) {
    case K_ARITH: case K_CMP:
      if (rn(2)) v[1] = relF(src, v[0]);
      break;
    case K_MUL: case K_DIV:
      if (rn(3) == 0) { extremePair(f, &v[0], &v[1], op->kind == K_DIV); v[0] = wrapF(src, v[0]); v[1] = wrapF(src, v[1]); }
      else if (op->kind == K_DIV && rn(3) == 0) { // exact quotients: a = b * q with short b, q
        if (src == S_F64) {
          double b = u2d(pack(f, rn(2), bias(f) - 30 + rn(60), shortFrac(f, 1 + rn(26))));
          double q = u2d(pack(f, rn(2), bias(f) - 30 + rn(60), shortFrac(f, 1 + rn(26))));
          v[0] = d2u(b * q); v[1] = d2u(b);
        } else {
          float b = u2f((u32)pack(f, rn(2), bias(f) - 20 + rn(40), shortFrac(f, 1 + rn(12))));
          float q = u2f((u32)pack(f, rn(2), bias(f) - 20 + rn(40), shortFrac(f, 1 + rn(12))));
          v[0] = box(f2u(b * q)); v[1] = box(f2u(b));
        }
      }
      break;
    case K_SQRT:
      if (rn(3) == 0) { // squares, and their neighbours
        if (src == S_F64) {
          double q = u2d(pack(f, 0, 1 + rn(emaxb(f)), shortFrac(f, 1 + rn(27))));
          v[0] = d2u(q * q) + (u64)(rn(3) - 1);
        } else {
          float q = u2f((u32)pack(f, 0, 1 + rn(emaxb(f)), shortFrac(f, 1 + rn(12))));
          v[0] = box(f2u(q * q) + (u32)(rn(3) - 1));
        }
      } else if (rn(2)) v[0] &= ~(1ULL << (f.w - 1)); // mostly positive
      break;
    case K_FMA: {
      int r = rn(6);
      if (r == 0) { extremePair(f, &v[0], &v[1], 0); v[0] = wrapF(src, v[0]); v[1] = wrapF(src, v[1]); }
      if (r <= 2) { // c near -(a*b) (cancellation) or far below it (sticky bits, ties)
        u64 p;
        if (src == S_F64) p = d2u(u2d(v[0]) * u2d(v[1]));
        else p = f2u(u2f((u32)v[0]) * u2f((u32)v[1]));
        if (rn(2)) p ^= 1ULL << (f.w - 1);
        v[2] = wrapF(src, rn(2) ? (p ^ (rnd() & mask(rn(f.p)))) : related(f, p));
      } else if (r == 3) v[2] = relF(src, v[0]);
      break;
    }
    case K_TOINT:
      if (rn(3)) v[0] = src == S_F64 ? d2u(nearInt()) : box(f2u((float)nearInt()));
      break;
    case K_NARROW: {
      int r = rn(4);
      if (r == 0) v[0] = pack(F64, rn(2), 1023 - 155 + rn(40), rnd());           // f32 subnormal range
      else if (r == 1) v[0] = pack(F64, rn(2), 1023 + 120 + rn(10), rn(2) ? rnd() : shortFrac(F64, 20 + rn(10)));
      else if (r == 2) v[0] = pack(F64, rn(2), 1023 - 20 + rn(40), shortFrac(F64, 22 + rn(10)));
      else if (rn(2)) v[0] = pack(F64, rn(2), rn(2) ? 1023 - 127 : 1023 + 127, mask(52) ^ (rnd() & mask(rn(40))));
      break;
    }
    default: break;
  }
}

// ---------------- output ----------------
static void put(int fmtDst, u64 x) {
  if (fmtDst == D_F32) {
    if ((x >> 32) == 0xffffffffULL) printf("%x", (u32)x);
    else printf("u%lx", (unsigned long)x);
  } else printf("%lx", (unsigned long)x);
}

int main(int argc, char **argv) {
  int nRm = argc > 1 ? atoi(argv[1]) : 600;
  int nOther = argc > 2 ? atoi(argv[2]) : 400;
  seed(argc > 3 ? strtoull(argv[3], 0, 0) : 0x5eed);
  for (unsigned i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
    const Op *op = &OPS[i];
    int n = op->rm ? nRm : nOther;
    int srcFmt = op->src == S_F32 ? D_F32 : D_F64;
    unsigned h = 0;
    for (int t = 0; t < n; t++) {
      u64 v[3];
      while (h < sizeof HAND / sizeof HAND[0] && strcmp(HAND[h].op, op->name)) h++;
      if (h < sizeof HAND / sizeof HAND[0]) { v[0] = HAND[h].a; v[1] = HAND[h].b; v[2] = HAND[h].c; h++; }
      else operands(op, v);
      printf("%s", op->name);
      for (int k = 0; k < op->nsrc; k++) { putchar(' '); put(srcFmt, v[k]); }
      unsigned fl;
      u64 r0 = op->fn(0, v[0], v[1], v[2], &fl);
      putchar(' '); put(op->dst, r0); printf(":%x", fl);
      if (op->rm) {
        for (int rm = 1; rm <= 4; rm++) {
          u64 r = op->fn(rm, v[0], v[1], v[2], &fl);
          int64_t d = (int64_t)(r - r0);
          if (d == 0) printf(" =");
          else if (d > -1000 && d < 1000) printf(" %+ld", (long)d);
          else { putchar(' '); put(op->dst, r); }
          printf(":%x", fl);
        }
      }
      putchar('\n');
    }
  }
  return 0;
}
