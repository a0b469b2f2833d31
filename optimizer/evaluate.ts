//! Exact evaluation of pure IR ops on constant operands, with the semantics `ir/opcodes.ts`
//! states: integers wrap and are held sign-normalized to their type (as `iconst` holds
//! them), shift amounts are taken modulo the width, division has RISC-V M results
//! (unprivileged spec, 13.2: x / 0 = -1, x % 0 = x, MIN / -1 = MIN, MIN % -1 = 0).
//! Floats are only touched bitwise (sign ops, bitcasts), which is exact by construction;
//! FP arithmetic is left to run, so no rounding or NaN question can arise here.

import type { Inst } from '../ir/function.js';
import type { IntCC } from '../ir/immediates.js';
import type { Type } from '../ir/types.js';
import { typeBits } from '../ir/types.js';

/** A constant operand: integer value (sign-normalized) or raw float bits (unsigned). */
export type Const = bigint;

const signed = (bits: number, v: bigint): bigint => BigInt.asIntN(bits, v);
const unsigned = (bits: number, v: bigint): bigint => BigInt.asUintN(bits, v);

/** The result of an integer op `op` of type `t` on constants, or undefined if it is not
 * an integer op this file evaluates. */
export function evalIntBinary(op: Inst['op'], t: Type, x: Const, y: Const): Const | undefined {
  const n = typeBits(t);
  const N = BigInt(n);
  const shift = unsigned(n, y) & (N - 1n);
  const min = -(1n << (N - 1n));
  switch (op) {
    case 'add': return signed(n, x + y);
    case 'sub': return signed(n, x - y);
    case 'mul': return signed(n, x * y);
    case 'mulhs': return signed(n, (x * y) >> N);
    case 'mulhu': return signed(n, (unsigned(n, x) * unsigned(n, y)) >> N);
    case 'mulhsu': return signed(n, (x * unsigned(n, y)) >> N);
    case 'divs':
      if (y === 0n) return -1n;
      if (x === min && y === -1n) return min;
      return signed(n, x / y); // BigInt division truncates toward zero, as RISC-V does
    case 'divu': return y === 0n ? -1n : signed(n, unsigned(n, x) / unsigned(n, y));
    case 'rems':
      if (y === 0n) return x;
      return signed(n, x % y); // the sign of the dividend; MIN % -1 is 0
    case 'remu': return y === 0n ? x : signed(n, unsigned(n, x) % unsigned(n, y));
    case 'and': return x & y;
    case 'or': return x | y;
    case 'xor': return x ^ y;
    case 'shl': return signed(n, x << shift);
    case 'shrs': return x >> shift;
    case 'shru': return signed(n, unsigned(n, x) >> shift);
    default: return undefined;
  }
}

/** `icmp cond x, y` on constants of type `t`: 1 or 0. */
export function evalIcmp(cond: IntCC, t: Type, x: Const, y: Const): Const {
  const n = typeBits(t);
  const ux = unsigned(n, x), uy = unsigned(n, y);
  let r: boolean;
  switch (cond) {
    case 'eq': r = x === y; break;
    case 'ne': r = x !== y; break;
    case 'slt': r = x < y; break;
    case 'sle': r = x <= y; break;
    case 'sgt': r = x > y; break;
    case 'sge': r = x >= y; break;
    case 'ult': r = ux < uy; break;
    case 'ule': r = ux <= uy; break;
    case 'ugt': r = ux > uy; break;
    case 'uge': r = ux >= uy; break;
  }
  return r ? 1n : 0n;
}

/** The one-operand ops on a constant: integer extensions and truncation, float sign ops
 * and bitcasts (on raw bits). */
export function evalUnary(inst: Inst, x: Const): Const | undefined {
  const t = inst.type!;
  const n = typeBits(t);
  const sign = 1n << BigInt(n - 1);
  switch (inst.op) {
    case 'sext': return signed(n, signed(inst.from!, x));
    case 'zext': return signed(n, unsigned(inst.from!, x));
    case 'trunc': return signed(32, x);
    case 'extend': return inst.signed ? x : unsigned(32, x);
    case 'fneg': return x ^ sign;
    case 'fabs': return x & ~sign;
    // Integers are held signed, float bits unsigned: only the representation changes.
    case 'bitcast': return t === 'f32' || t === 'f64' ? unsigned(n, x) : signed(n, x);
    default: return undefined;
  }
}

/** `fcopysign x, y` on raw bits of type `t`. */
export function evalCopysign(t: Type, x: Const, y: Const): Const {
  const sign = 1n << BigInt(typeBits(t) - 1);
  return (x & ~sign) | (y & sign);
}
