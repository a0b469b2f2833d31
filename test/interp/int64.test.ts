// The interpreter's 64-bit helpers (registers as two int32 words) against BigInt, on the
// values where word-wise arithmetic goes wrong: sign bits of either word set, carries
// between the words, the extremes.
import { describe, expect, it } from 'vitest';
import * as I64 from '../../runtime/interp/int64.js';

const VALUES = [0n, 1n, -1n, 2n, -2n, 7n, -7n, 0x7fffffffn, 0x80000000n, 0xffffffffn, -0x80000000n,
  0x1_0000_0001n, 0x123456789abcdefn, -0x123456789abcdefn, (1n << 63n) - 1n, -(1n << 63n),
  0x5555_5555_5555_5555n, -0x5555_5555_5555_5556n, 0xdead_beef_cafe_f00dn];

const u64 = (v: bigint) => BigInt.asUintN(64, v);
const s64 = (v: bigint) => BigInt.asIntN(64, v);
const lo = (v: bigint) => Number(BigInt.asIntN(32, v));
const hi = (v: bigint) => Number(BigInt.asIntN(32, v >> 32n));
const result = () => (BigInt(I64.rHi) << 32n) | BigInt(I64.rLo >>> 0);

type Helper = (alo: number, ahi: number, blo: number, bhi: number) => void;
const CASES: [string, Helper, (a: bigint, b: bigint) => bigint][] = [
  ['mul64', I64.mul64, (a, b) => a * b],
  ['mulhu64', I64.mulhu64, (a, b) => (u64(a) * u64(b)) >> 64n],
  ['mulh64', I64.mulh64, (a, b) => (s64(a) * s64(b)) >> 64n],
  ['mulhsu64', I64.mulhsu64, (a, b) => (s64(a) * u64(b)) >> 64n],
];

describe('int64 helpers', () => {
  it.each(CASES)('%s agrees with BigInt on every pair', (_name, helper, ref) => {
    for (const a of VALUES) {
      for (const b of VALUES) {
        helper(lo(a), hi(a), lo(b), hi(b));
        expect(u64(result()), `${a} ${b}`).toBe(u64(ref(a, b)));
      }
    }
  });

  it('umulh32 takes its words as int32 or uint32 alike', () => {
    for (const a of VALUES) {
      for (const b of VALUES) {
        const expected = Number(((u64(a) & 0xffffffffn) * (u64(b) & 0xffffffffn)) >> 32n) | 0;
        expect(I64.umulh32(lo(a), lo(b))).toBe(expected);
        expect(I64.umulh32(lo(a) >>> 0, lo(b) >>> 0)).toBe(expected);
      }
    }
  });
});
