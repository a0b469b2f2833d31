// Integer lowering against BigInt references of the IR's semantics: RISC-V M division
// (no traps: x/0, MIN/-1), high products, shifts modulo the width, comparisons,
// extensions; on i64 and on i32 (through trunc/extend).
import { describe, expect, it } from 'vitest';
import { EMITTERS, Harness } from './harness.js';

describe.each(EMITTERS)('%s emitter', (emitter) => {
  const h = new Harness(emitter);

  const VALUES = [0n, 1n, -1n, 2n, -2n, 3n, 7n, -7n, 63n, 64n, 0x7fffffffn, -0x80000000n, 0x80000000n, 0xffffffffn,
    0x123456789abcdefn, -0x123456789abcdefn, (1n << 63n) - 1n, -(1n << 63n), 0x5555_5555_5555_5555n];

  type Ref = (a: bigint, b: bigint, bits: number) => bigint;
  const u = (v: bigint, bits: number) => BigInt.asUintN(bits, v);
  const s = (v: bigint, bits: number) => BigInt.asIntN(bits, v);
  const min = (bits: number) => -(1n << BigInt(bits - 1));

  const REFS: Record<string, Ref> = {
    add: (a, b) => a + b,
    sub: (a, b) => a - b,
    mul: (a, b) => a * b,
    mulhs: (a, b, n) => (a * b) >> BigInt(n),
    mulhu: (a, b, n) => (u(a, n) * u(b, n)) >> BigInt(n),
    mulhsu: (a, b, n) => (a * u(b, n)) >> BigInt(n),
    divs: (a, b, n) => (b === 0n ? -1n : a === min(n) && b === -1n ? a : a / b),
    divu: (a, b, n) => (u(b, n) === 0n ? -1n : u(a, n) / u(b, n)),
    rems: (a, b, n) => (b === 0n ? a : a === min(n) && b === -1n ? 0n : a % b),
    remu: (a, b, n) => (u(b, n) === 0n ? a : u(a, n) % u(b, n)),
    and: (a, b) => a & b,
    or: (a, b) => a | b,
    xor: (a, b) => a ^ b,
    shl: (a, b, n) => a << (u(b, n) % BigInt(n)),
    shrs: (a, b, n) => a >> (u(b, n) % BigInt(n)),
    shru: (a, b, n) => u(a, n) >> (u(b, n) % BigInt(n)),
  };

  function binaryRegion(op: string, type: 'i32' | 'i64'): string {
    if (type === 'i64') {
      return `region @0x1000 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = getreg x11
      v2:i64 = ${op}.i64 v0, v1
      setreg x12, v2
      exit 0x1004
  }`;
    }
    return `region @0x1000 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = getreg x11
      v3:i32 = trunc v0
      v4:i32 = trunc v1
      v2:i32 = ${op}.i32 v3, v4
      v5:i64 = extend v2, signed
      setreg x12, v5
      exit 0x1004
  }`;
  }

  describe('integer ops', () => {
    for (const type of ['i64', 'i32'] as const) {
      const bits = type === 'i64' ? 64 : 32;
      for (const [op, ref] of Object.entries(REFS)) {
        it(`${op}.${type}`, () => {
          const r = h.compile(binaryRegion(op, type));
          for (const a of VALUES) {
            for (const b of VALUES) {
              const x = s(a, bits), y = s(b, bits);
              h.setX(10, a);
              h.setX(11, b);
              h.run(r);
              expect(h.x(12), `${op}.${type}(${x}, ${y})`).toBe(s(ref(x, y, bits), bits));
              expect(h.pc).toBe(0x1004);
            }
          }
        });
      }
    }

    it('icmp, select, sext, zext', () => {
      const r = h.compile(`region @0x2000 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = getreg x11
      v2:i32 = icmp slt v0, v1
      v3:i32 = icmp ult v0, v1
      v4:i64 = extend v2, unsigned
      v5:i64 = extend v3, unsigned
      setreg x12, v4
      setreg x13, v5
      v6:i64 = select.i64 v2, v0, v1
      setreg x14, v6
      v7:i64 = sext.i64 v0, from 8
      v8:i64 = sext.i64 v0, from 16
      v9:i64 = sext.i64 v0, from 32
      v10:i64 = zext.i64 v0, from 8
      v11:i64 = zext.i64 v0, from 32
      setreg x15, v7
      setreg x16, v8
      setreg x17, v9
      setreg x18, v10
      setreg x19, v11
      v12:i32 = trunc v0
      v13:i32 = sext.i32 v12, from 8
      v14:i32 = zext.i32 v12, from 16
      v15:i64 = extend v13, signed
      v16:i64 = extend v14, signed
      setreg x20, v15
      setreg x21, v16
      exit 0x2004
  }`);
      for (const a of VALUES) {
        for (const b of VALUES) {
          h.setX(10, a);
          h.setX(11, b);
          h.run(r);
          expect(h.x(12)).toBe(a < b ? 1n : 0n);
          expect(h.x(13)).toBe(u(a, 64) < u(b, 64) ? 1n : 0n);
          expect(h.x(14)).toBe(a < b ? a : b);
          expect(h.x(15)).toBe(s(a, 8));
          expect(h.x(16)).toBe(s(a, 16));
          expect(h.x(17)).toBe(s(a, 32));
          expect(h.x(18)).toBe(u(a, 8));
          expect(h.x(19)).toBe(u(a, 32));
          expect(h.x(20)).toBe(s(a, 8));
          expect(h.x(21)).toBe(u(a, 16));
        }
      }
    });

    it('keeps registers the region does not write, and writes back only what it writes', () => {
      const r = h.compile(`region @0x3000 {
  block0:
      v0:i64 = getreg x5
      v1:i64 = iconst.i64 1
      v2:i64 = add.i64 v0, v1
      setreg x6, v2
      exit 0x3004
  }`);
      h.setX(5, 41);
      h.setX(7, 99);
      h.run(r);
      expect(h.x(6)).toBe(42n);
      expect(h.x(5)).toBe(41n);
      expect(h.x(7)).toBe(99n);
    });
  });
});
