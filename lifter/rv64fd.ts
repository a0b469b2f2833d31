//! RV64F and RV64D to IR (unprivileged spec, F and D chapters). F registers hold raw
//! 64-bit patterns: an f32 operand is read through `unbox` (the canonical NaN unless the
//! register is NaN-boxed) and an f32 result written through `box`; loads, stores and
//! `fmv` move raw bits. Arithmetic and conversions are one `fexact` each (any rounding
//! mode, exact flags); sign injection, moves, fclass, min/max and comparisons are plain
//! IR, plus the invalid flag where the spec raises it. An instruction with a reserved
//! static rounding mode is a call of the `fp` helper, which raises SIGILL:
//!
//!   call @fp(iconst.i32 <Op>, iconst.i32 <rd | rs1 << 5 | rs2 << 10 | rs3 << 15 | rm << 20>) @pc

import type { Value } from '../ir/function.js';
import type { RoundingMode } from '../ir/immediates.js';
import type { FpOp } from '../ir/opcodes.js';
import type { Decoded } from './decode.js';
import { Op } from './opcodes.js';
import { address, HELPER_FP, helperCall, type LiftContext, type TransTable } from './shapes.js';

type Fmt = 'f32' | 'f64';

/** The packed operand fields of the `fp` helper (the interpreter's S_RAW slot). */
export const packFp = (d: Decoded): number => d.rd | (d.rs1 << 5) | (d.rs2 << 10) | (d.rs3 << 15) | (d.rm << 20);

/** Upper 32 bits of a NaN-boxed f32 (spec, D chapter: "NaN Boxing of Narrower Values"). */
const NAN_BOX = -0x1_0000_0000n;
const CANONICAL_NAN32 = 0x7fc00000;
/** fflags bit of the invalid-operation exception. */
const NV_SHIFT = 4;
const QUIET_BIT: Readonly<Record<Fmt, bigint>> = { f32: 0x0040_0000n, f64: 0x0008_0000_0000_0000n };
const SIGN_BIT: Readonly<Record<Fmt, bigint>> = { f32: -0x8000_0000n, f64: -0x8000_0000_0000_0000n };
const INT_OF: Readonly<Record<Fmt, 'i32' | 'i64'>> = { f32: 'i32', f64: 'i64' };

/** rm field encodings 0..7; 5 and 6 are reserved. */
const RM: readonly (RoundingMode | undefined)[] = ['rne', 'rtz', 'rdn', 'rup', 'rmm', undefined, undefined, 'dyn'];

// ---- register access: NaN boxing lives here ----

/** The raw bits of f register r as the format's integer (f32: unboxed). */
function readBits(c: LiftContext, r: number, t: Fmt): Value {
  const raw = c.f(r);
  if (t === 'f64') return raw;
  const boxed = c.b.icmp('uge', raw, c.i64(NAN_BOX));
  return c.b.select(boxed, c.b.trunc(raw), c.i32(CANONICAL_NAN32));
}

function readF(c: LiftContext, r: number, t: Fmt): Value {
  return c.b.bitcast(t, readBits(c, r, t));
}

/** Writes the format's integer bits to f register r (f32: NaN-boxed). */
function writeBits(c: LiftContext, r: number, bits: Value, t: Fmt): void {
  c.setF(r, t === 'f64' ? bits : c.b.or(c.b.extend(bits, false), c.i64(NAN_BOX)));
}

function writeF(c: LiftContext, r: number, v: Value, t: Fmt): void {
  writeBits(c, r, c.b.bitcast(INT_OF[t], v), t);
}

// ---- exception flags ----

/** fflags |= NV when the i32 condition is 1. */
function raiseInvalidIf(c: LiftContext, cond: Value): void {
  const flags = c.b.getcsr('fflags');
  c.b.setcsr('fflags', c.b.or(flags, c.b.shl(cond, c.i32(NV_SHIFT))));
}

/** 1 if v is a signaling NaN: a NaN with the quiet bit clear. */
function isSignaling(c: LiftContext, v: Value, t: Fmt): Value {
  const it = INT_OF[t];
  const quiet = c.b.and(c.b.bitcast(it, v), c.b.iconst(it, QUIET_BIT[t]));
  return c.b.and(c.b.fcmp('uno', v, v), c.b.icmp('eq', quiet, c.b.iconst(it, 0)));
}

// ---- the instruction families ----

/** A rounding instruction with a reserved static rm raises SIGILL (through the helper). */
function reserved(c: LiftContext, d: Decoded): RoundingMode | undefined {
  const rm = RM[d.rm];
  if (rm === undefined) helperCall(c, HELPER_FP, d.op, packFp(d));
  return rm;
}

/** rd = fop(rs1[, rs2[, rs3]]), all of format t. */
function arith(c: LiftContext, d: Decoded, fop: FpOp, t: Fmt, operands: 1 | 2 | 3): void {
  const rm = reserved(c, d);
  if (rm === undefined) return;
  const args = [d.rs1, d.rs2, d.rs3].slice(0, operands).map((r) => readF(c, r, t));
  writeF(c, d.rd, c.b.fexact(fop, rm, t, args, c.pc), t);
}

/** x[rd] = rs1 converted to an integer. The flags are raised even when rd is x0. */
function toInt(c: LiftContext, d: Decoded, fop: FpOp, t: Fmt): void {
  const rm = reserved(c, d);
  if (rm === undefined) return;
  c.setX(d.rd, c.b.fexact(fop, rm, 'i64', [readF(c, d.rs1, t)], c.pc));
}

function fromInt(c: LiftContext, d: Decoded, fop: FpOp, t: Fmt): void {
  const rm = reserved(c, d);
  if (rm === undefined) return;
  writeF(c, d.rd, c.b.fexact(fop, rm, t, [c.x(d.rs1)], c.pc), t);
}

/** fcvt.s.d and fcvt.d.s. */
function convert(c: LiftContext, d: Decoded, from: Fmt, to: Fmt): void {
  const rm = reserved(c, d);
  if (rm === undefined) return;
  writeF(c, d.rd, c.b.fexact(to === 'f32' ? 'demote' : 'promote', rm, to, [readF(c, d.rs1, from)], c.pc), to);
}

/** fsgnj, fsgnjn, fsgnjx: the magnitude of rs1 with a sign from rs2, on the bits. */
function signInject(c: LiftContext, d: Decoded, t: Fmt, kind: 'j' | 'jn' | 'jx'): void {
  const it = INT_OF[t];
  const a = readBits(c, d.rs1, t);
  if (kind === 'j' && d.rs1 === d.rs2) return writeBits(c, d.rd, a, t); // fmv
  const b = d.rs1 === d.rs2 ? a : readBits(c, d.rs2, t);
  const sign = c.b.iconst(it, SIGN_BIT[t]);
  const from = kind === 'j' ? b : kind === 'jn' ? c.b.xor(b, sign) : c.b.xor(a, b);
  const magnitude = c.b.and(a, c.b.iconst(it, ~SIGN_BIT[t]));
  writeBits(c, d.rd, c.b.or(magnitude, c.b.and(from, sign)), t);
}

/** fmin/fmax (minimumNumber/maximumNumber): NV only for a signaling NaN operand. */
function minMax(c: LiftContext, d: Decoded, t: Fmt, max: boolean): void {
  const a = readF(c, d.rs1, t), b = readF(c, d.rs2, t);
  raiseInvalidIf(c, c.b.or(isSignaling(c, a, t), isSignaling(c, b, t)));
  writeF(c, d.rd, max ? c.b.fmax(a, b) : c.b.fmin(a, b), t);
}

/** feq is quiet (NV for a signaling NaN); flt and fle signal (NV for any NaN). */
function compare(c: LiftContext, d: Decoded, t: Fmt, cond: 'eq' | 'lt' | 'le'): void {
  const a = readF(c, d.rs1, t), b = readF(c, d.rs2, t);
  const invalid = cond === 'eq' ? c.b.or(isSignaling(c, a, t), isSignaling(c, b, t)) : c.b.fcmp('uno', a, b);
  raiseInvalidIf(c, invalid);
  c.setX(d.rd, c.b.extend(c.b.fcmp(cond, a, b), false));
}

function flw(c: LiftContext, d: Decoded): void {
  const bits = c.b.loadg(address(c, d), 4, false, 'i64', c.pc);
  c.setF(d.rd, c.b.or(bits, c.i64(NAN_BOX)));
}

function fld(c: LiftContext, d: Decoded): void {
  c.setF(d.rd, c.b.loadg(address(c, d), 8, false, 'i64', c.pc));
}

/** fsw stores the low 32 bits whatever the boxing (same section). */
function fstore(c: LiftContext, d: Decoded, size: 4 | 8): void {
  const addr = address(c, d);
  c.b.storeg(addr, c.f(d.rs2), size, c.pc);
}

/** fmv.x.w: the low 32 bits, sign-extended, whatever the boxing. */
function fmvXW(c: LiftContext, d: Decoded): void {
  c.setX(d.rd, c.b.extend(c.b.trunc(c.f(d.rs1)), true));
}

type Rule = (c: LiftContext, d: Decoded, t: Fmt) => void;

/** The rules shared by both formats: [the F op, the D op, the rule]. */
const BOTH: readonly (readonly [Op, Op, Rule])[] = [
  [Op.fmadd_s, Op.fmadd_d, (c, d, t) => arith(c, d, 'madd', t, 3)],
  [Op.fmsub_s, Op.fmsub_d, (c, d, t) => arith(c, d, 'msub', t, 3)],
  [Op.fnmsub_s, Op.fnmsub_d, (c, d, t) => arith(c, d, 'nmsub', t, 3)],
  [Op.fnmadd_s, Op.fnmadd_d, (c, d, t) => arith(c, d, 'nmadd', t, 3)],
  [Op.fadd_s, Op.fadd_d, (c, d, t) => arith(c, d, 'add', t, 2)],
  [Op.fsub_s, Op.fsub_d, (c, d, t) => arith(c, d, 'sub', t, 2)],
  [Op.fmul_s, Op.fmul_d, (c, d, t) => arith(c, d, 'mul', t, 2)],
  [Op.fdiv_s, Op.fdiv_d, (c, d, t) => arith(c, d, 'div', t, 2)],
  [Op.fsqrt_s, Op.fsqrt_d, (c, d, t) => arith(c, d, 'sqrt', t, 1)],
  [Op.fsgnj_s, Op.fsgnj_d, (c, d, t) => signInject(c, d, t, 'j')],
  [Op.fsgnjn_s, Op.fsgnjn_d, (c, d, t) => signInject(c, d, t, 'jn')],
  [Op.fsgnjx_s, Op.fsgnjx_d, (c, d, t) => signInject(c, d, t, 'jx')],
  [Op.fmin_s, Op.fmin_d, (c, d, t) => minMax(c, d, t, false)],
  [Op.fmax_s, Op.fmax_d, (c, d, t) => minMax(c, d, t, true)],
  [Op.fcvt_w_s, Op.fcvt_w_d, (c, d, t) => toInt(c, d, 'to_w', t)],
  [Op.fcvt_wu_s, Op.fcvt_wu_d, (c, d, t) => toInt(c, d, 'to_wu', t)],
  [Op.fcvt_l_s, Op.fcvt_l_d, (c, d, t) => toInt(c, d, 'to_l', t)],
  [Op.fcvt_lu_s, Op.fcvt_lu_d, (c, d, t) => toInt(c, d, 'to_lu', t)],
  [Op.fcvt_s_w, Op.fcvt_d_w, (c, d, t) => fromInt(c, d, 'from_w', t)],
  [Op.fcvt_s_wu, Op.fcvt_d_wu, (c, d, t) => fromInt(c, d, 'from_wu', t)],
  [Op.fcvt_s_l, Op.fcvt_d_l, (c, d, t) => fromInt(c, d, 'from_l', t)],
  [Op.fcvt_s_lu, Op.fcvt_d_lu, (c, d, t) => fromInt(c, d, 'from_lu', t)],
  [Op.fclass_s, Op.fclass_d, (c, d, t) => c.setX(d.rd, c.b.fclass(readF(c, d.rs1, t)))],
  [Op.feq_s, Op.feq_d, (c, d, t) => compare(c, d, t, 'eq')],
  [Op.flt_s, Op.flt_d, (c, d, t) => compare(c, d, t, 'lt')],
  [Op.fle_s, Op.fle_d, (c, d, t) => compare(c, d, t, 'le')],
];

/** The shared rules for one format. */
function table(t: Fmt): TransTable {
  const out: TransTable = {};
  for (const [single, double, rule] of BOTH) out[t === 'f32' ? single : double] = (c, d) => rule(c, d, t);
  return out;
}

export const RV64F: TransTable = {
  ...table('f32'),
  [Op.flw]: flw,
  [Op.fsw]: (c, d) => fstore(c, d, 4),
  [Op.fmv_x_w]: fmvXW,
  [Op.fmv_w_x]: (c, d) => writeBits(c, d.rd, c.b.trunc(c.x(d.rs1)), 'f32'),
};

export const RV64D: TransTable = {
  ...table('f64'),
  [Op.fld]: fld,
  [Op.fsd]: (c, d) => fstore(c, d, 8),
  [Op.fcvt_s_d]: (c, d) => convert(c, d, 'f64', 'f32'),
  [Op.fcvt_d_s]: (c, d) => convert(c, d, 'f32', 'f64'),
  [Op.fmv_x_d]: (c, d) => c.setX(d.rd, c.f(d.rs1)),
  [Op.fmv_d_x]: (c, d) => c.setF(d.rd, c.x(d.rs1)),
};
