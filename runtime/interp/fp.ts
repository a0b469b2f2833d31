//! Exact RISC-V F and D semantics for the interpreter (unprivileged spec, chapters 11-13).
//!
//! JS arithmetic only rounds to nearest-even, so every operation first computes the
//! round-to-nearest result with one JS operation, then finds the exact error (TwoSum for
//! sums, a Veltkamp/Dekker two-product for products, the remainder for quotients and square
//! roots) and steps to the neighbouring float when the rounding mode asks for it. f32 values
//! are computed in f64 and then rounded once more, with the error carried along so that the
//! second rounding is exact. Whatever is rare or hard (NaN and infinite operands, results
//! near overflow or in the subnormal range, operands too large to split) goes to a slow
//! path that computes the exact result with BigInt and rounds it like softfloat does
//! (tininess detected after rounding, as RISC-V requires).

import { Op } from '../../lifter/opcodes.js';
import { X_OFF, F_OFF, FFLAGS_OFF, FRM_OFF } from '../../layout/layout.js';

/** Views over the whole shared memory buffer. */
export interface FpViews { i32: Int32Array; f64: Float64Array; f32: Float32Array; u8: Uint8Array }

const XW = X_OFF >> 2;
const FW = F_OFF >> 2;
const FD = F_OFF >> 3;
const FFW = FFLAGS_OFF >> 2;
const FRMW = FRM_OFF >> 2;

// fflags bits
const NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
// rounding modes
const RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;

const CNAN32 = 0x7fc00000;
const CNAN64_HI = 0x7ff80000;

const MIN64 = 2.2250738585072014e-308; // 2^-1022, smallest normal f64
const MIN32 = 1.1754943508222875e-38; // 2^-126, smallest normal f32
const TWO32 = 4294967296;
const TWO52 = 4503599627370496;
const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;
const SPLIT = 134217729; // 2^27 + 1, Veltkamp's constant for binary64
/** Operands below this can be split without overflow. */
const BIG = 2 ** 995;
/** Products above this have an exactly representable rounding error. */
const TINY = 2 ** -968;
/** Products and dividends below this cannot overflow in the two-product's partial products. */
const HUGE = 2 ** 1023;
const SQRT_LOW = 2 ** -960;
const SQRT_HIGH = 2 ** 1000;

// scratch for bit casts
const SB = new ArrayBuffer(8);
const S64 = new Float64Array(SB);
const S32 = new Float32Array(SB);
const SI = new Int32Array(SB);

/** Flags raised by the instruction being executed. */
let fl = 0;

/** Ops that have an rm field (their rm is checked even when it cannot matter). */
const HAS_RM = new Uint8Array(Op.COUNT);
for (const o of [
  Op.fmadd_s, Op.fmsub_s, Op.fnmsub_s, Op.fnmadd_s, Op.fadd_s, Op.fsub_s, Op.fmul_s, Op.fdiv_s, Op.fsqrt_s,
  Op.fcvt_w_s, Op.fcvt_wu_s, Op.fcvt_l_s, Op.fcvt_lu_s, Op.fcvt_s_w, Op.fcvt_s_wu, Op.fcvt_s_l, Op.fcvt_s_lu,
  Op.fmadd_d, Op.fmsub_d, Op.fnmsub_d, Op.fnmadd_d, Op.fadd_d, Op.fsub_d, Op.fmul_d, Op.fdiv_d, Op.fsqrt_d,
  Op.fcvt_s_d, Op.fcvt_d_s,
  Op.fcvt_w_d, Op.fcvt_wu_d, Op.fcvt_l_d, Op.fcvt_lu_d, Op.fcvt_d_w, Op.fcvt_d_wu, Op.fcvt_d_l, Op.fcvt_d_lu,
]) HAS_RM[o] = 1;

/** Executes one F/D instruction other than loads/stores (flw/fsw/fld/fsd are done by the core).
 * Returns false if the instruction is illegal (reserved rounding mode in the instruction's rm field,
 * or rm=7 (dynamic) while frm holds 5, 6 or 7); then nothing is changed. (It also returns false,
 * changing nothing, for an op that is not one of those.) */
export function execFp(v: FpViews, op: Op, rd: number, rs1: number, rs2: number, rs3: number, rm: number): boolean {
  if (rm > 4 && HAS_RM[op] === 1) {
    if (rm !== 7) return false;
    rm = v.i32[FRMW];
    if (rm >>> 0 > 4) return false;
  }
  fl = 0;
  if (!dispatch(v, op, rd, rs1, rs2, rs3, rm)) return false;
  if (fl !== 0) v.i32[FFW] |= fl;
  return true;
}

/** The same as `execFp`, but arithmetic goes straight to the exact BigInt reference
 * implementation (the slow path). For cross-checking the fast paths in tests. */
export function execFpReference(v: FpViews, op: Op, rd: number, rs1: number, rs2: number, rs3: number, rm: number): boolean {
  if (rm > 4 && HAS_RM[op] === 1) {
    if (rm !== 7) return false;
    rm = v.i32[FRMW];
    if (rm >>> 0 > 4) return false;
  }
  fl = 0;
  if (!slow(v, op, rd, rs1, rs2, rs3, rm) && !dispatch(v, op, rd, rs1, rs2, rs3, rm)) return false;
  if (fl !== 0) v.i32[FFW] |= fl;
  return true;
}

function dispatch(v: FpViews, op: Op, rd: number, rs1: number, rs2: number, rs3: number, rm: number): boolean {
  switch (op) {
    // ---------------- double ----------------
    case Op.fadd_d: add64(v, rd, rs1, rs2, rm, false); return true;
    case Op.fsub_d: add64(v, rd, rs1, rs2, rm, true); return true;
    case Op.fmul_d: mul64(v, rd, rs1, rs2, rm); return true;
    case Op.fdiv_d: div64(v, rd, rs1, rs2, rm); return true;
    case Op.fsqrt_d: sqrt64(v, rd, rs1, rm); return true;
    case Op.fmadd_d: fma64(v, op, rd, rs1, rs2, rs3, rm, false, false); return true;
    case Op.fmsub_d: fma64(v, op, rd, rs1, rs2, rs3, rm, false, true); return true;
    case Op.fnmsub_d: fma64(v, op, rd, rs1, rs2, rs3, rm, true, false); return true;
    case Op.fnmadd_d: fma64(v, op, rd, rs1, rs2, rs3, rm, true, true); return true;
    case Op.fsgnj_d: case Op.fsgnjn_d: case Op.fsgnjx_d: {
      const i32 = v.i32;
      const h1 = i32[FW + 2 * rs1 + 1], h2 = i32[FW + 2 * rs2 + 1];
      const s = op === Op.fsgnj_d ? h2 : op === Op.fsgnjn_d ? ~h2 : h1 ^ h2;
      i32[FW + 2 * rd] = i32[FW + 2 * rs1];
      i32[FW + 2 * rd + 1] = (h1 & 0x7fffffff) | (s & 0x80000000);
      return true;
    }
    case Op.fmin_d: minmax64(v, rd, rs1, rs2, true); return true;
    case Op.fmax_d: minmax64(v, rd, rs1, rs2, false); return true;
    case Op.fcvt_s_d: {
      const x = v.f64[FD + rs1];
      const r = round32(x, 0, rm);
      if (r !== r) slow(v, op, rd, rs1, rs2, rs3, rm);
      else wr32(v, rd, r);
      return true;
    }
    case Op.fcvt_d_s: {
      const a = rd32(v, rs1);
      if (a !== a) {
        if (isSNaN32(bits32(v.i32, rs1))) fl |= NV;
        wrNaN64(v.i32, rd);
      } else v.f64[FD + rd] = a;
      return true;
    }
    case Op.fcvt_w_d: toInt(v.i32, rd, v.f64[FD + rs1], rm, 0); return true;
    case Op.fcvt_wu_d: toInt(v.i32, rd, v.f64[FD + rs1], rm, 1); return true;
    case Op.fcvt_l_d: toInt(v.i32, rd, v.f64[FD + rs1], rm, 2); return true;
    case Op.fcvt_lu_d: toInt(v.i32, rd, v.f64[FD + rs1], rm, 3); return true;
    case Op.fmv_x_d: {
      if (rd !== 0) {
        const i32 = v.i32;
        i32[XW + 2 * rd] = i32[FW + 2 * rs1];
        i32[XW + 2 * rd + 1] = i32[FW + 2 * rs1 + 1];
      }
      return true;
    }
    case Op.fclass_d: {
      const i32 = v.i32;
      wrX(i32, rd, fclass64(i32[FW + 2 * rs1 + 1], i32[FW + 2 * rs1]), 0);
      return true;
    }
    case Op.feq_d: case Op.flt_d: case Op.fle_d: {
      const a = v.f64[FD + rs1], b = v.f64[FD + rs2];
      let r: boolean;
      if (op === Op.feq_d) {
        r = a === b;
        if (!r && (a !== a || b !== b) && (isSNaN64(v.i32, rs1) || isSNaN64(v.i32, rs2))) fl |= NV;
      } else {
        r = op === Op.flt_d ? a < b : a <= b;
        if (!r && (a !== a || b !== b)) fl |= NV;
      }
      wrX(v.i32, rd, r ? 1 : 0, 0);
      return true;
    }
    case Op.fcvt_d_w: v.f64[FD + rd] = xlo(v.i32, rs1); return true;
    case Op.fcvt_d_wu: v.f64[FD + rd] = xlo(v.i32, rs1) >>> 0; return true;
    case Op.fcvt_d_l: case Op.fcvt_d_lu: {
      const i32 = v.i32;
      const hi = xhi(i32, rs1);
      const H = (op === Op.fcvt_d_l ? hi : hi >>> 0) * TWO32, L = xlo(i32, rs1) >>> 0;
      const s = H + L;
      const e = L - (s - H); // Fast2Sum: |H| >= L or H == 0
      v.f64[FD + rd] = e === 0 ? s : rm === RNE ? (fl |= NX, s) : fin64(s, e, -1, rm);
      return true;
    }
    case Op.fmv_d_x: {
      const i32 = v.i32;
      i32[FW + 2 * rd] = xlo(i32, rs1);
      i32[FW + 2 * rd + 1] = xhi(i32, rs1);
      return true;
    }

    // ---------------- single ----------------
    case Op.fadd_s: add32(v, op, rd, rs1, rs2, rm, false); return true;
    case Op.fsub_s: add32(v, op, rd, rs1, rs2, rm, true); return true;
    case Op.fmul_s: {
      const p = rd32(v, rs1) * rd32(v, rs2); // exact in f64
      const r = round32(p, 0, rm);
      if (r !== r) slow(v, op, rd, rs1, rs2, rs3, rm);
      else wr32(v, rd, r);
      return true;
    }
    case Op.fdiv_s: div32(v, rd, rs1, rs2, rm); return true;
    case Op.fsqrt_s: sqrt32(v, rd, rs1, rm); return true;
    case Op.fmadd_s: fma32(v, op, rd, rs1, rs2, rs3, rm, false, false); return true;
    case Op.fmsub_s: fma32(v, op, rd, rs1, rs2, rs3, rm, false, true); return true;
    case Op.fnmsub_s: fma32(v, op, rd, rs1, rs2, rs3, rm, true, false); return true;
    case Op.fnmadd_s: fma32(v, op, rd, rs1, rs2, rs3, rm, true, true); return true;
    case Op.fsgnj_s: case Op.fsgnjn_s: case Op.fsgnjx_s: {
      const i32 = v.i32;
      const a = bits32(i32, rs1), b = bits32(i32, rs2);
      const s = op === Op.fsgnj_s ? b : op === Op.fsgnjn_s ? ~b : a ^ b;
      i32[FW + 2 * rd] = (a & 0x7fffffff) | (s & 0x80000000);
      i32[FW + 2 * rd + 1] = -1;
      return true;
    }
    case Op.fmin_s: minmax32(v, rd, rs1, rs2, true); return true;
    case Op.fmax_s: minmax32(v, rd, rs1, rs2, false); return true;
    case Op.fcvt_w_s: toInt(v.i32, rd, rd32(v, rs1), rm, 0); return true;
    case Op.fcvt_wu_s: toInt(v.i32, rd, rd32(v, rs1), rm, 1); return true;
    case Op.fcvt_l_s: toInt(v.i32, rd, rd32(v, rs1), rm, 2); return true;
    case Op.fcvt_lu_s: toInt(v.i32, rd, rd32(v, rs1), rm, 3); return true;
    case Op.fmv_x_w: {
      const x = v.i32[FW + 2 * rs1];
      wrX(v.i32, rd, x, x >> 31);
      return true;
    }
    case Op.fclass_s: wrX(v.i32, rd, fclass32(bits32(v.i32, rs1)), 0); return true;
    case Op.feq_s: case Op.flt_s: case Op.fle_s: {
      const a = rd32(v, rs1), b = rd32(v, rs2);
      let r: boolean;
      if (op === Op.feq_s) {
        r = a === b;
        if (!r && (a !== a || b !== b) && (isSNaN32(bits32(v.i32, rs1)) || isSNaN32(bits32(v.i32, rs2)))) fl |= NV;
      } else {
        r = op === Op.flt_s ? a < b : a <= b;
        if (!r && (a !== a || b !== b)) fl |= NV;
      }
      wrX(v.i32, rd, r ? 1 : 0, 0);
      return true;
    }
    case Op.fcvt_s_w: wr32(v, rd, round32(xlo(v.i32, rs1), 0, rm)); return true;
    case Op.fcvt_s_wu: wr32(v, rd, round32(xlo(v.i32, rs1) >>> 0, 0, rm)); return true;
    case Op.fcvt_s_l: case Op.fcvt_s_lu: {
      const i32 = v.i32;
      const hi = xhi(i32, rs1);
      const H = (op === Op.fcvt_s_l ? hi : hi >>> 0) * TWO32, L = xlo(i32, rs1) >>> 0;
      const s = H + L;
      wr32(v, rd, round32(s, L - (s - H), rm)); // never tiny, never overflows
      return true;
    }
    case Op.fmv_w_x: {
      const i32 = v.i32;
      i32[FW + 2 * rd] = xlo(i32, rs1);
      i32[FW + 2 * rd + 1] = -1;
      return true;
    }
    default:
      return false;
  }
}

// ---------------- register access ----------------

function xlo(i32: Int32Array, r: number): number { return r === 0 ? 0 : i32[XW + 2 * r]; }
function xhi(i32: Int32Array, r: number): number { return r === 0 ? 0 : i32[XW + 2 * r + 1]; }
function wrX(i32: Int32Array, rd: number, lo: number, hi: number): void {
  if (rd !== 0) {
    i32[XW + 2 * rd] = lo;
    i32[XW + 2 * rd + 1] = hi;
  }
}
/** The f32 value of f register r; NaN if it is not properly NaN-boxed. */
function rd32(v: FpViews, r: number): number {
  const i = FW + 2 * r;
  return v.i32[i + 1] === -1 ? v.f32[i] : NaN;
}
/** The f32 bits of f register r; the canonical NaN if it is not properly NaN-boxed. */
function bits32(i32: Int32Array, r: number): number {
  const i = FW + 2 * r;
  return i32[i + 1] === -1 ? i32[i] : CNAN32;
}
function wr32(v: FpViews, rd: number, x: number): void {
  const i = FW + 2 * rd;
  v.f32[i] = x;
  v.i32[i + 1] = -1;
}
function wrNaN32(i32: Int32Array, rd: number): void {
  i32[FW + 2 * rd] = CNAN32;
  i32[FW + 2 * rd + 1] = -1;
}
function wrNaN64(i32: Int32Array, rd: number): void {
  i32[FW + 2 * rd] = 0;
  i32[FW + 2 * rd + 1] = CNAN64_HI;
}
function isSNaN32(b: number): boolean {
  return (b & 0x7fc00000) === 0x7f800000 && (b & 0x3fffff) !== 0;
}
function isSNaN64(i32: Int32Array, r: number): boolean {
  const hi = i32[FW + 2 * r + 1];
  return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x7ffff) | i32[FW + 2 * r]) !== 0;
}

// ---------------- rounding helpers ----------------

/** The neighbour of z (finite, non-zero) in the direction of sign(dir). */
function step64(z: number, dir: number): number {
  S64[0] = z;
  if ((z > 0) === (dir > 0)) {
    const lo = (SI[0] + 1) | 0;
    SI[0] = lo;
    if (lo === 0) SI[1] = (SI[1] + 1) | 0;
  } else {
    const lo = SI[0];
    SI[0] = (lo - 1) | 0;
    if (lo === 0) SI[1] = (SI[1] - 1) | 0;
  }
  return S64[0];
}
function step32(z: number, dir: number): number {
  S32[0] = z;
  SI[0] = (z > 0) === (dir > 0) ? SI[0] + 1 : SI[0] - 1;
  return S32[0];
}

/**
 * The result under a directed mode or RMM, given z = the correctly rounded-to-nearest result
 * (finite, |z| > the smallest normal) and e with the sign of (exact - z), e != 0.
 * tie: 1 if the exact value is a midpoint, 0 if not, -1 if e is the exact error (then the
 * tie is found from it). Raises NX, and OF if the step reaches infinity.
 */
function fin64(z: number, e: number, tie: number, rm: number): number {
  fl |= NX;
  switch (rm) {
    case RTZ: if ((e > 0) === (z > 0)) return z; break;
    case RDN: if (e > 0) return z; break;
    case RUP: if (e < 0) return z; break;
    case RMM: {
      if (tie === 0 || (e > 0) !== (z > 0)) return z;
      const n = step64(z, e);
      return tie > 0 || 2 * Math.abs(e) === Math.abs(n - z) ? n : z;
    }
    default: return z;
  }
  const n = step64(z, e);
  if (n - n !== 0) fl |= OF;
  return n;
}
function fin32(z: number, e: number, tie: number, rm: number): number {
  fl |= NX;
  switch (rm) {
    case RTZ: if ((e > 0) === (z > 0)) return z; break;
    case RDN: if (e > 0) return z; break;
    case RUP: if (e < 0) return z; break;
    case RMM: {
      if (tie === 0 || (e > 0) !== (z > 0)) return z;
      const n = step32(z, e);
      return tie > 0 || 2 * Math.abs(e) === Math.abs(n - z) ? n : z;
    }
    default: return z;
  }
  const n = step32(z, e);
  if (n - n !== 0) fl |= OF;
  return n;
}

/** resolve() results (in a typed array: module-level number variables would box doubles) */
const RES = new Float64Array(3);

/**
 * Given a candidate z (finite, |z| > the smallest normal of its format) and the exact
 * error exact - z = e2 + w, where z = RN(z + e2) and w is far below e2's last bit, finds
 * the correctly rounded-to-nearest result RES[0], the sign RES[1] of exact - RES[0], and
 * whether the exact value is a midpoint (RES[2], as `tie` for fin64).
 */
function resolve(z: number, e2: number, w: number, is32: boolean): void {
  let rz = z, rsg = e2, rtie = -1;
  if (w !== 0) {
    if (e2 === 0) { rsg = w; rtie = 0; }
    else {
      const n = is32 ? step32(z, e2) : step64(z, e2);
      const h = (n - z) * 0.5;
      const q = (e2 - h) + w; // exact - midpoint, with the right sign
      if (q === 0) {
        rtie = 1;
        if (is32) S32[0] = z; else S64[0] = z;
        if ((SI[0] & 1) !== 0) { rz = n; rsg = -e2; }
      } else if ((q > 0) === (e2 > 0)) { rz = n; rsg = -e2; rtie = 0; }
      else rtie = 0;
    }
  }
  RES[0] = rz;
  RES[1] = rsg;
  RES[2] = rtie;
}
/**
 * Rounds the exact value s + e (s = RN64 of it, e its exact error) to f32 under rm.
 * Returns NaN when the slow path is needed (NaN, overflow, a tiny inexact result).
 */
function round32(s: number, e: number, rm: number): number {
  const c = Math.fround(s);
  const ac = Math.abs(c);
  if (ac > MIN32 && ac < Infinity) {
    const d = s - c; // exact
    if (e === 0) {
      if (d === 0) return c;
      if (rm === RNE) { fl |= NX; return c; }
      return fin32(c, d, -1, rm);
    }
    resolve(c, d, e, true);
    if (rm === RNE) { fl |= NX; return RES[0]; }
    return fin32(RES[0], RES[1], RES[2], rm);
  }
  if (e === 0 && s === c) return c; // exact: zero, infinity, or a representable tiny value
  return NaN;
}

/** The exact error of RN(a + b) = s (TwoSum). */
function sumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}
/** The exact error of RN(a * b) = p (Dekker), if |a|, |b| < BIG and |p| > TINY. */
function mulErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

// ---------------- double arithmetic ----------------

function add64(v: FpViews, rd: number, rs1: number, rs2: number, rm: number, sub: boolean): void {
  const f64 = v.f64;
  const a = f64[FD + rs1];
  const b = sub ? -f64[FD + rs2] : f64[FD + rs2];
  const s = a + b;
  if (s - s === 0) {
    const bb = s - a;
    const e = (a - (s - bb)) + (b - bb);
    if (e === 0) f64[FD + rd] = s === 0 && rm === RDN ? -(-a - b) : s;
    else if (rm === RNE) { fl |= NX; f64[FD + rd] = s; }
    else f64[FD + rd] = fin64(s, e, -1, rm);
    return;
  }
  slow(v, sub ? Op.fsub_d : Op.fadd_d, rd, rs1, rs2, 0, rm);
}

function mul64(v: FpViews, rd: number, rs1: number, rs2: number, rm: number): void {
  const f64 = v.f64;
  const a = f64[FD + rs1], b = f64[FD + rs2];
  const p = a * b;
  const ap = Math.abs(p);
  if (ap > TINY && ap < HUGE && Math.abs(a) < BIG && Math.abs(b) < BIG) {
    const e = mulErr(a, b, p);
    if (e === 0) f64[FD + rd] = p;
    else if (rm === RNE) { fl |= NX; f64[FD + rd] = p; }
    else f64[FD + rd] = fin64(p, e, -1, rm);
    return;
  }
  if (p === 0 && (a === 0 || b === 0)) { f64[FD + rd] = p; return; }
  slow(v, Op.fmul_d, rd, rs1, rs2, 0, rm);
}

function div64(v: FpViews, rd: number, rs1: number, rs2: number, rm: number): void {
  const f64 = v.f64;
  const a = f64[FD + rs1], b = f64[FD + rs2];
  const q = a / b;
  const aq = Math.abs(q);
  const aa = Math.abs(a);
  if (aq > TINY && aq < BIG && Math.abs(b) < BIG && aa > TINY && aa < HUGE) {
    const p = q * b;
    const r = (a - p) - mulErr(q, b, p); // the exact remainder a - q*b
    if (r === 0) f64[FD + rd] = q;
    else if (rm === RNE) { fl |= NX; f64[FD + rd] = q; }
    else f64[FD + rd] = fin64(q, b > 0 ? r : -r, 0, rm); // quotients are never midpoints
    return;
  }
  if (q === 0 && (a === 0 || Math.abs(b) === Infinity)) { f64[FD + rd] = q; return; }
  slow(v, Op.fdiv_d, rd, rs1, rs2, 0, rm);
}

function sqrt64(v: FpViews, rd: number, rs1: number, rm: number): void {
  const f64 = v.f64;
  const a = f64[FD + rs1];
  if (a > 0 && a < Infinity) {
    let x = a, scale = 1;
    // keep r*r finite and its error representable
    if (a < SQRT_LOW) { x = a * 2 ** 256; scale = 2 ** -128; }
    else if (a > SQRT_HIGH) { x = a * 2 ** -256; scale = 2 ** 128; }
    const r = Math.sqrt(x);
    const p = r * r;
    const rem = (x - p) - mulErr(r, r, p);
    let z = r;
    if (rem !== 0) z = rm === RNE ? (fl |= NX, r) : fin64(r, rem, 0, rm); // square roots are never midpoints
    f64[FD + rd] = z * scale;
    return;
  }
  if (a === 0) { f64[FD + rd] = a; return; }
  slow(v, Op.fsqrt_d, rd, rs1, 0, 0, rm);
}

function fma64(v: FpViews, op: Op, rd: number, rs1: number, rs2: number, rs3: number, rm: number,
               negProd: boolean, negC: boolean): void {
  const f64 = v.f64;
  const a = negProd ? -f64[FD + rs1] : f64[FD + rs1];
  const b = f64[FD + rs2];
  const c = negC ? -f64[FD + rs3] : f64[FD + rs3];
  const p = a * b;
  const ap = Math.abs(p);
  if (ap > TINY && ap < HUGE && Math.abs(a) < BIG && Math.abs(b) < BIG) {
    const E = mulErr(a, b, p);
    const s = p + c;
    const t = sumErr(p, c, s);
    let z: number, e2: number, w = 0;
    if (E === 0) { z = s; e2 = t; }
    else if (t === 0) { z = s + E; e2 = sumErr(s, E, z); }
    else {
      const u = t + E;
      w = sumErr(t, E, u);
      z = s + u;
      e2 = sumErr(s, u, z);
    }
    // now exact = z + e2 + w
    if (Math.abs(z) > MIN64 && z - z === 0) {
      if (e2 === 0 && w === 0) { f64[FD + rd] = z; return; }
      resolve(z, e2, w, false);
      f64[FD + rd] = rm === RNE ? (fl |= NX, RES[0]) : fin64(RES[0], RES[1], RES[2], rm);
      return;
    }
    if (z === 0 && e2 === 0 && w === 0) { f64[FD + rd] = rm === RDN ? -0 : 0; return; }
  } else if (p === 0 && (a === 0 || b === 0) && c - c === 0) {
    f64[FD + rd] = c !== 0 ? c : rm === RDN ? -(-p - c) : p + c;
    return;
  }
  slow(v, op, rd, rs1, rs2, rs3, rm);
}

function minmax64(v: FpViews, rd: number, rs1: number, rs2: number, min: boolean): void {
  const f64 = v.f64, i32 = v.i32;
  const a = f64[FD + rs1], b = f64[FD + rs2];
  let pick: number;
  if (a !== a || b !== b) {
    if (isSNaN64(i32, rs1) || isSNaN64(i32, rs2)) fl |= NV;
    if (a !== a && b !== b) { wrNaN64(i32, rd); return; }
    pick = a !== a ? rs2 : rs1;
  } else if (a === b) {
    // equal; for zeros, -0 < +0
    const negA = i32[FW + 2 * rs1 + 1] < 0;
    pick = a !== 0 ? rs1 : (negA === min ? rs1 : rs2);
  } else pick = (a < b) === min ? rs1 : rs2;
  i32[FW + 2 * rd] = i32[FW + 2 * pick];
  i32[FW + 2 * rd + 1] = i32[FW + 2 * pick + 1];
}

function fclass64(hi: number, lo: number): number {
  const neg = hi < 0;
  const ex = (hi >>> 20) & 0x7ff;
  const mz = ((hi & 0xfffff) | lo) === 0;
  if (ex === 0x7ff) return mz ? (neg ? 1 : 1 << 7) : (hi & 0x80000) !== 0 ? 1 << 9 : 1 << 8;
  if (ex === 0) return mz ? (neg ? 1 << 3 : 1 << 4) : (neg ? 1 << 2 : 1 << 5);
  return neg ? 1 << 1 : 1 << 6;
}

// ---------------- single arithmetic ----------------

function add32(v: FpViews, op: Op, rd: number, rs1: number, rs2: number, rm: number, sub: boolean): void {
  const a = rd32(v, rs1);
  const b = sub ? -rd32(v, rs2) : rd32(v, rs2);
  const s = a + b;
  const r = round32(s, sumErr(a, b, s), rm);
  if (r !== r) { slow(v, op, rd, rs1, rs2, 0, rm); return; }
  wr32(v, rd, r === 0 && rm === RDN ? -(-a - b) : r);
}

function div32(v: FpViews, rd: number, rs1: number, rs2: number, rm: number): void {
  const a = rd32(v, rs1), b = rd32(v, rs2);
  const q = a / b;
  const c = Math.fround(q); // RN24(RN53(a/b)) = RN24(a/b): 53 >= 2*24 + 2
  const ac = Math.abs(c);
  if (ac > MIN32 && ac < Infinity) {
    const r = a - c * b; // c*b is exact
    if (r !== 0) {
      if (rm === RNE) fl |= NX;
      else { wr32(v, rd, fin32(c, b > 0 ? r : -r, 0, rm)); return; }
    }
    wr32(v, rd, c);
    return;
  }
  if (q === 0 && (a === 0 || Math.abs(b) === Infinity)) { wr32(v, rd, q); return; }
  slow(v, Op.fdiv_s, rd, rs1, rs2, 0, rm);
}

function sqrt32(v: FpViews, rd: number, rs1: number, rm: number): void {
  const a = rd32(v, rs1);
  if (a > 0 && a < Infinity) {
    const c = Math.fround(Math.sqrt(a)); // double rounding is innocuous here too
    const r = a - c * c; // c*c is exact
    if (r !== 0) {
      if (rm === RNE) fl |= NX;
      else { wr32(v, rd, fin32(c, r, 0, rm)); return; }
    }
    wr32(v, rd, c);
    return;
  }
  if (a === 0) { wr32(v, rd, a); return; }
  slow(v, Op.fsqrt_s, rd, rs1, 0, 0, rm);
}

function fma32(v: FpViews, op: Op, rd: number, rs1: number, rs2: number, rs3: number, rm: number,
               negProd: boolean, negC: boolean): void {
  const a = rd32(v, rs1), b = rd32(v, rs2), c0 = rd32(v, rs3);
  const p = negProd ? -(a * b) : a * b; // exact in f64
  const c = negC ? -c0 : c0;
  const s = p + c;
  const r = round32(s, sumErr(p, c, s), rm);
  if (r !== r) { slow(v, op, rd, rs1, rs2, rs3, rm); return; }
  wr32(v, rd, r === 0 && rm === RDN ? -(-p - c) : r);
}

function minmax32(v: FpViews, rd: number, rs1: number, rs2: number, min: boolean): void {
  const i32 = v.i32;
  const a = rd32(v, rs1), b = rd32(v, rs2);
  const ba = bits32(i32, rs1), bb = bits32(i32, rs2);
  let r: number;
  if (a !== a || b !== b) {
    if (isSNaN32(ba) || isSNaN32(bb)) fl |= NV;
    r = a !== a ? (b !== b ? CNAN32 : bb) : ba;
  } else if (a === b) r = a !== 0 ? ba : ((ba < 0) === min ? ba : bb);
  else r = (a < b) === min ? ba : bb;
  i32[FW + 2 * rd] = r;
  i32[FW + 2 * rd + 1] = -1;
}

function fclass32(b: number): number {
  const neg = b < 0;
  const ex = (b >>> 23) & 0xff;
  const mz = (b & 0x7fffff) === 0;
  if (ex === 0xff) return mz ? (neg ? 1 : 1 << 7) : (b & 0x400000) !== 0 ? 1 << 9 : 1 << 8;
  if (ex === 0) return mz ? (neg ? 1 << 3 : 1 << 4) : (neg ? 1 << 2 : 1 << 5);
  return neg ? 1 << 1 : 1 << 6;
}

// ---------------- conversions to integer ----------------

/** fcvt.{w,wu,l,lu}: kind 0 w, 1 wu, 2 l, 3 lu. NaN reads as the largest positive result. */
function toInt(i32: Int32Array, rd: number, x: number, rm: number, kind: number): void {
  let r: number;
  switch (rm) {
    case RNE:
      r = x > -TWO52 && x < TWO52 ? (x >= 0 ? (x + TWO52) - TWO52 : (x - TWO52) + TWO52) : x;
      break;
    case RTZ: r = Math.trunc(x); break;
    case RDN: r = Math.floor(x); break;
    case RUP: r = Math.ceil(x); break;
    default: {
      const t = Math.trunc(x), f = x - t; // exact
      r = f >= 0.5 ? t + 1 : f <= -0.5 ? t - 1 : t;
    }
  }
  let lo: number, hi: number;
  switch (kind) {
    case 0:
      if (r >= -2147483648 && r <= 2147483647) { lo = r | 0; hi = lo >> 31; break; }
      fl |= NV;
      if (x < 0) { lo = -2147483648; hi = -1; } else { lo = 2147483647; hi = 0; }
      wrX(i32, rd, lo, hi);
      return;
    case 1:
      if (r >= 0 && r <= 4294967295) { lo = r | 0; hi = lo >> 31; break; }
      fl |= NV;
      if (x < 0) lo = hi = 0; else lo = hi = -1;
      wrX(i32, rd, lo, hi);
      return;
    case 2:
      if (r >= -TWO63 && r < TWO63) { hi = Math.floor(r / TWO32); lo = (r - hi * TWO32) | 0; hi |= 0; break; }
      fl |= NV;
      if (x < 0) { lo = 0; hi = -2147483648; } else { lo = -1; hi = 2147483647; }
      wrX(i32, rd, lo, hi);
      return;
    default:
      if (r >= 0 && r < TWO64) { hi = Math.floor(r / TWO32); lo = (r - hi * TWO32) | 0; hi |= 0; break; }
      fl |= NV;
      if (x < 0) lo = hi = 0; else lo = hi = -1;
      wrX(i32, rd, lo, hi);
      return;
  }
  if (r !== x) fl |= NX;
  wrX(i32, rd, lo, hi);
}

// ---------------- the slow path: exact BigInt arithmetic ----------------

const K_ZERO = 0, K_FIN = 1, K_INF = 2, K_QNAN = 3, K_SNAN = 4;
/** An unpacked operand: (-1)^s * m * 2^e when finite. */
interface Un { k: number; s: number; m: bigint; e: number }

function unpack64(hi: number, lo: number): Un {
  const s = hi >>> 31, ex = (hi >>> 20) & 0x7ff, fh = hi & 0xfffff;
  if (ex === 0x7ff) return { k: (fh | lo) === 0 ? K_INF : (fh & 0x80000) !== 0 ? K_QNAN : K_SNAN, s, m: 0n, e: 0 };
  const m = (BigInt(fh) << 32n) | BigInt(lo >>> 0);
  if (ex === 0) return m === 0n ? { k: K_ZERO, s, m, e: 0 } : { k: K_FIN, s, m, e: -1074 };
  return { k: K_FIN, s, m: m | (1n << 52n), e: ex - 1075 };
}
function unpack32(b: number): Un {
  const s = b >>> 31, ex = (b >>> 23) & 0xff, f = b & 0x7fffff;
  if (ex === 0xff) return { k: f === 0 ? K_INF : (f & 0x400000) !== 0 ? K_QNAN : K_SNAN, s, m: 0n, e: 0 };
  if (ex === 0) return f === 0 ? { k: K_ZERO, s, m: 0n, e: 0 } : { k: K_FIN, s, m: BigInt(f), e: -149 };
  return { k: K_FIN, s, m: BigInt(f | 0x800000), e: ex - 150 };
}
function get64(i32: Int32Array, r: number): Un { return unpack64(i32[FW + 2 * r + 1], i32[FW + 2 * r]); }
function get32(i32: Int32Array, r: number): Un { return unpack32(bits32(i32, r)); }

// slow-path result, as the two words of an f register
let rHi = 0, rLo = 0;

function setNaN(is32: boolean): void {
  if (is32) { rLo = CNAN32; rHi = -1; } else { rLo = 0; rHi = CNAN64_HI; }
}
function setInf(is32: boolean, s: number): void {
  if (is32) { rLo = (s << 31) | 0x7f800000; rHi = -1; } else { rLo = 0; rHi = (s << 31) | 0x7ff00000; }
}
function setZero(is32: boolean, s: number): void {
  if (is32) { rLo = s << 31; rHi = -1; } else { rLo = 0; rHi = s << 31; }
}
function setBits(is32: boolean, s: number, bits: bigint): void {
  if (is32) { rLo = Number(bits) | (s << 31); rHi = -1; }
  else { rLo = Number(bits & 0xffffffffn) | 0; rHi = Number(bits >> 32n) | (s << 31); }
}

function bitLen(m: bigint): number { return m.toString(2).length; }

let rsInexact = false;
/** m / 2^sh (sh >= 1) rounded to an integer under rm; sticky: the value is slightly above m. */
function shiftRound(m: bigint, sh: number, sticky: boolean, s: number, rm: number): bigint {
  const S = BigInt(sh);
  const q = m >> S;
  const rem = m - (q << S);
  rsInexact = rem !== 0n || sticky;
  if (!rsInexact) return q;
  const half = 1n << (S - 1n);
  let up: boolean;
  switch (rm) {
    case RNE: up = rem > half || (rem === half && (sticky || (q & 1n) === 1n)); break;
    case RTZ: up = false; break;
    case RDN: up = s === 1; break;
    case RUP: up = s === 0; break;
    default: up = rem >= half; break;
  }
  return up ? q + 1n : q;
}

/**
 * Rounds (-1)^s * (m + sticky) * 2^e (m > 0; if sticky, m must have at least p+2 bits)
 * to the format under rm, as softfloat does with tininess detected after rounding.
 */
function roundPack(is32: boolean, s: number, m: bigint, e: number, sticky: boolean, rm: number): void {
  const p = is32 ? 24 : 53, emin = is32 ? -126 : -1022, emax = is32 ? 127 : 1023, bias = is32 ? 127 : 1023;
  let n = bitLen(m);
  if (n < p + 2) { const k = p + 2 - n; m <<= BigInt(k); e -= k; n = p + 2; }
  const E = e + n - 1;
  // round to p bits with an unbounded exponent range
  let q = shiftRound(m, n - p, sticky, s, rm);
  let Er = E;
  if (q >> BigInt(p) !== 0n) { q >>= 1n; Er++; }
  if (Er > emax) {
    fl |= OF | NX;
    const toInf = rm === RNE || rm === RMM || (rm === RDN && s === 1) || (rm === RUP && s === 0);
    if (toInf) setInf(is32, s);
    else setBits(is32, s, ((BigInt(emax + bias) << BigInt(p - 1)) | ((1n << BigInt(p - 1)) - 1n)));
    return;
  }
  if (E >= emin) {
    if (rsInexact) fl |= NX;
    setBits(is32, s, (BigInt(Er + bias - 1) << BigInt(p - 1)) + q);
    return;
  }
  const tiny = Er < emin;
  const q2 = shiftRound(m, emin - p + 1 - e, sticky, s, rm);
  if (rsInexact) fl |= tiny ? NX | UF : NX;
  setBits(is32, s, q2); // q2 == 2^(p-1) encodes the smallest normal
}

function sAdd(x: Un, y: Un, is32: boolean, rm: number): void {
  if (x.k >= K_QNAN || y.k >= K_QNAN) {
    if (x.k === K_SNAN || y.k === K_SNAN) fl |= NV;
    setNaN(is32);
    return;
  }
  if (x.k === K_INF || y.k === K_INF) {
    if (x.k === K_INF && y.k === K_INF && x.s !== y.s) { fl |= NV; setNaN(is32); return; }
    setInf(is32, x.k === K_INF ? x.s : y.s);
    return;
  }
  if (x.k === K_ZERO && y.k === K_ZERO) { setZero(is32, x.s === y.s ? x.s : rm === RDN ? 1 : 0); return; }
  if (x.k === K_ZERO) { roundPack(is32, y.s, y.m, y.e, false, rm); return; }
  if (y.k === K_ZERO) { roundPack(is32, x.s, x.m, x.e, false, rm); return; }
  const e = Math.min(x.e, y.e);
  const xm = x.m << BigInt(x.e - e), ym = y.m << BigInt(y.e - e);
  const M = (x.s ? -xm : xm) + (y.s ? -ym : ym);
  if (M === 0n) { setZero(is32, rm === RDN ? 1 : 0); return; }
  if (M < 0n) roundPack(is32, 1, -M, e, false, rm);
  else roundPack(is32, 0, M, e, false, rm);
}

function sMul(x: Un, y: Un, is32: boolean, rm: number): void {
  if (x.k >= K_QNAN || y.k >= K_QNAN) {
    if (x.k === K_SNAN || y.k === K_SNAN) fl |= NV;
    setNaN(is32);
    return;
  }
  const s = x.s ^ y.s;
  if (x.k === K_INF || y.k === K_INF) {
    if (x.k === K_ZERO || y.k === K_ZERO) { fl |= NV; setNaN(is32); return; }
    setInf(is32, s);
    return;
  }
  if (x.k === K_ZERO || y.k === K_ZERO) { setZero(is32, s); return; }
  roundPack(is32, s, x.m * y.m, x.e + y.e, false, rm);
}

function sDiv(x: Un, y: Un, is32: boolean, rm: number): void {
  if (x.k >= K_QNAN || y.k >= K_QNAN) {
    if (x.k === K_SNAN || y.k === K_SNAN) fl |= NV;
    setNaN(is32);
    return;
  }
  const s = x.s ^ y.s;
  if (x.k === K_INF) {
    if (y.k === K_INF) { fl |= NV; setNaN(is32); return; }
    setInf(is32, s);
    return;
  }
  if (y.k === K_INF) { setZero(is32, s); return; }
  if (y.k === K_ZERO) {
    if (x.k === K_ZERO) { fl |= NV; setNaN(is32); return; }
    fl |= DZ;
    setInf(is32, s);
    return;
  }
  if (x.k === K_ZERO) { setZero(is32, s); return; }
  let k = (is32 ? 24 : 53) + 3 + bitLen(y.m) - bitLen(x.m);
  if (k < 0) k = 0;
  const num = x.m << BigInt(k);
  const q = num / y.m;
  roundPack(is32, s, q, x.e - y.e - k, num !== q * y.m, rm);
}

function isqrt(n: bigint): bigint {
  let x = BigInt(Math.ceil(Math.sqrt(Number(n)) * (1 + 2 ** -40))) + 1n; // >= floor(sqrt(n))
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

function sSqrt(x: Un, is32: boolean, rm: number): void {
  if (x.k >= K_QNAN) {
    if (x.k === K_SNAN) fl |= NV;
    setNaN(is32);
    return;
  }
  if (x.k === K_ZERO) { setZero(is32, x.s); return; }
  if (x.s === 1) { fl |= NV; setNaN(is32); return; }
  if (x.k === K_INF) { setInf(is32, 0); return; }
  let m = x.m, e = x.e;
  if ((e & 1) !== 0) { m <<= 1n; e -= 1; }
  let k = Math.ceil((2 * ((is32 ? 24 : 53) + 3) - bitLen(m)) / 2);
  if (k < 0) k = 0;
  const N = m << BigInt(2 * k);
  const r = isqrt(N);
  roundPack(is32, 0, r, (e - 2 * k) / 2, r * r !== N, rm);
}

function sFma(a: Un, b: Un, c: Un, negProd: boolean, negC: boolean, is32: boolean, rm: number): void {
  const infZero = (a.k === K_INF && b.k === K_ZERO) || (a.k === K_ZERO && b.k === K_INF);
  if (a.k >= K_QNAN || b.k >= K_QNAN || c.k >= K_QNAN || infZero) {
    // the invalid flag is raised for inf*0 even when the addend is a quiet NaN
    if (a.k === K_SNAN || b.k === K_SNAN || c.k === K_SNAN || infZero) fl |= NV;
    setNaN(is32);
    return;
  }
  const ps = a.s ^ b.s ^ (negProd ? 1 : 0);
  const prod: Un = a.k === K_INF || b.k === K_INF ? { k: K_INF, s: ps, m: 0n, e: 0 }
    : a.k === K_ZERO || b.k === K_ZERO ? { k: K_ZERO, s: ps, m: 0n, e: 0 }
      : { k: K_FIN, s: ps, m: a.m * b.m, e: a.e + b.e };
  sAdd(prod, { k: c.k, s: c.s ^ (negC ? 1 : 0), m: c.m, e: c.e }, is32, rm);
}

function neg(x: Un): Un { return { k: x.k, s: x.s ^ 1, m: x.m, e: x.e }; }

/**
 * Exact evaluation of an arithmetic op (rm already resolved), writing rd and raising flags.
 * Returns false for ops it does not implement.
 */
function slow(v: FpViews, op: Op, rd: number, rs1: number, rs2: number, rs3: number, rm: number): boolean {
  const i32 = v.i32;
  let is32 = true;
  switch (op) {
    case Op.fadd_s: sAdd(get32(i32, rs1), get32(i32, rs2), true, rm); break;
    case Op.fsub_s: sAdd(get32(i32, rs1), neg(get32(i32, rs2)), true, rm); break;
    case Op.fmul_s: sMul(get32(i32, rs1), get32(i32, rs2), true, rm); break;
    case Op.fdiv_s: sDiv(get32(i32, rs1), get32(i32, rs2), true, rm); break;
    case Op.fsqrt_s: sSqrt(get32(i32, rs1), true, rm); break;
    case Op.fmadd_s: sFma(get32(i32, rs1), get32(i32, rs2), get32(i32, rs3), false, false, true, rm); break;
    case Op.fmsub_s: sFma(get32(i32, rs1), get32(i32, rs2), get32(i32, rs3), false, true, true, rm); break;
    case Op.fnmsub_s: sFma(get32(i32, rs1), get32(i32, rs2), get32(i32, rs3), true, false, true, rm); break;
    case Op.fnmadd_s: sFma(get32(i32, rs1), get32(i32, rs2), get32(i32, rs3), true, true, true, rm); break;
    case Op.fcvt_s_d: {
      const x = get64(i32, rs1);
      if (x.k >= K_QNAN) { if (x.k === K_SNAN) fl |= NV; setNaN(true); }
      else if (x.k === K_INF) setInf(true, x.s);
      else if (x.k === K_ZERO) setZero(true, x.s);
      else roundPack(true, x.s, x.m, x.e, false, rm);
      break;
    }
    default:
      is32 = false;
      switch (op) {
        case Op.fadd_d: sAdd(get64(i32, rs1), get64(i32, rs2), false, rm); break;
        case Op.fsub_d: sAdd(get64(i32, rs1), neg(get64(i32, rs2)), false, rm); break;
        case Op.fmul_d: sMul(get64(i32, rs1), get64(i32, rs2), false, rm); break;
        case Op.fdiv_d: sDiv(get64(i32, rs1), get64(i32, rs2), false, rm); break;
        case Op.fsqrt_d: sSqrt(get64(i32, rs1), false, rm); break;
        case Op.fmadd_d: sFma(get64(i32, rs1), get64(i32, rs2), get64(i32, rs3), false, false, false, rm); break;
        case Op.fmsub_d: sFma(get64(i32, rs1), get64(i32, rs2), get64(i32, rs3), false, true, false, rm); break;
        case Op.fnmsub_d: sFma(get64(i32, rs1), get64(i32, rs2), get64(i32, rs3), true, false, false, rm); break;
        case Op.fnmadd_d: sFma(get64(i32, rs1), get64(i32, rs2), get64(i32, rs3), true, true, false, rm); break;
        default: return false;
      }
  }
  i32[FW + 2 * rd] = rLo;
  i32[FW + 2 * rd + 1] = is32 ? -1 : rHi;
  return true;
}
