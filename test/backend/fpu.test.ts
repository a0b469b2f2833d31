// The backend's FP unit (backend-wasm/fpu.ts): f registers, fflags and frm live in locals,
// written back before helper calls, on the fault exit and at exits, and reloaded after
// calls; `fexact` inline under round-to-nearest with NX skipped once set, the helper
// for the rest; `fclass`. (test/jit/fp-vectors.test.ts checks every instruction's values.)
import { describe, expect, it } from 'vitest';
import { Trap } from '../../runtime/interp/trap.js';
import { GuestFault } from '../../runtime/memory.js';
import { EMITTERS, Harness } from './harness.js';

const f64bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0];

describe.each(EMITTERS)('%s emitter', (emitter) => {
  const seen: bigint[] = [];
  const h: Harness = new Harness(emitter, {
    // sees f3 and fflags as the region left them, then changes f4 and frm
    peek: () => {
      seen.push(h.m.getF(3), BigInt(h.m.fflags));
      h.m.setF(4, 0x1234n);
      h.m.frm = 3;
    },
  });

  it('writes f registers and fflags back before a helper call and reloads them after', () => {
    const r = h.compile(`region @0x1000 {
  block0:
      v0:i64 = getfreg f1
      setfreg f3, v0
      v1:i32 = iconst.i32 5
      setcsr fflags, v1
      call @peek() @0x1000
      v2:i64 = getfreg f4
      v3:i32 = getcsr frm
      v4:i64 = extend v3, unsigned
      setreg x10, v2
      setreg x11, v4
      exit 0x1004
  }`);
    seen.length = 0;
    h.m.setF(1, 0xabcdn);
    h.m.setF(4, 0n);
    h.m.fflags = 0;
    h.m.frm = 0;
    h.run(r);
    expect(seen).toEqual([0xabcdn, 5n]);
    expect(h.x(10)).toBe(0x1234n);
    expect(h.x(11)).toBe(3n);
  });

  it('writes them back on the fault exit, as they were before the faulting instruction', () => {
    const r = h.compile(`region @0x1100 {
  block0:
      v0:i64 = getfreg f1
      v1:f64 = bitcast.f64 v0
      v2:f64 = fexact.f64 div, rne, v1, v1 @0x1100
      v3:i64 = bitcast.i64 v2
      setfreg f5, v3
      v4:i64 = getreg x10
      v5:i64 = loadg.i64 v4, size 8, unsigned @0x1104
      setfreg f6, v5
      exit 0x1108
  }`);
    h.m.setF(1, 0n); // 0/0: NV
    h.m.setF(5, 7n);
    h.m.setF(6, 7n);
    h.m.fflags = 0;
    h.setX(10, 0x7000_0000); // unmapped
    expect(() => h.run(r)).toThrow(GuestFault);
    expect(h.pc).toBe(0x1104);
    expect(h.m.getF(5)).toBe(0x7ff8000000000000n);
    expect(h.m.getF(6)).toBe(7n);
    expect(h.m.fflags).toBe(16);
  });

  /** f12 = fexact op f10, f11 under rm; the inline code when rm is rne (or dyn, frm 0). */
  const binary = (fop: string, rm: string) => h.compile(`region @0x1200 {
  block0:
      v0:i64 = getfreg f10
      v1:i64 = getfreg f11
      v2:f64 = bitcast.f64 v0
      v3:f64 = bitcast.f64 v1
      v4:f64 = fexact.f64 ${fop}, ${rm}, v2, v3 @0x1200
      v5:i64 = bitcast.i64 v4
      setfreg f12, v5
      exit 0x1204
  }`);
  const run = (r: ReturnType<typeof binary>, a: number, b: number, flags = 0, frm = 0): [number, number] => {
    h.m.setF(10, f64bits(a));
    h.m.setF(11, f64bits(b));
    h.m.fflags = flags;
    h.m.frm = frm;
    h.run(r);
    return [new Float64Array(new BigUint64Array([h.m.getF(12)]).buffer)[0], h.m.fflags];
  };

  it('inline round-to-nearest: NX when inexact, nothing when exact, other flags kept', () => {
    for (const rm of ['rne', 'dyn']) {
      const add = binary('add', rm);
      expect(run(add, 1, 2 ** -60)).toEqual([1, 1]);
      expect(run(add, 1, 2 ** -52)).toEqual([1 + 2 ** -52, 0]);
      expect(run(add, 1, 2 ** -60, 0b11110)).toEqual([1, 0b11111]);
      const mul = binary('mul', rm);
      expect(run(mul, 1 / 3, 3)).toEqual([1, 1]);
      expect(run(mul, 0.5, 3)).toEqual([1.5, 0]);
      const div = binary('div', rm);
      expect(run(div, 1, 3)).toEqual([1 / 3, 1]);
      expect(run(div, 1, 4)).toEqual([0.25, 0]);
    }
  });

  it('rare operands and results go to the helper: overflow, division by zero, invalid', () => {
    const mul = binary('mul', 'rne');
    expect(run(mul, 1e300, 1e300)).toEqual([Infinity, 5]); // OF | NX
    expect(run(mul, 1e-300, 1e-300)).toEqual([0, 3]); // UF | NX
    const div = binary('div', 'rne');
    expect(run(div, 1, 0)).toEqual([Infinity, 8]);
    expect(run(div, Infinity, Infinity)[1]).toBe(16);
  });

  it('directed modes: the helper rounds, through rm or frm', () => {
    const rtz = binary('add', 'rtz');
    expect(run(rtz, 1, -(2 ** -60))).toEqual([1 - 2 ** -53, 1]);
    const dyn = binary('add', 'dyn');
    expect(run(dyn, 1, -(2 ** -60), 0, 1)).toEqual([1 - 2 ** -53, 1]);
    expect(run(dyn, 1, 2 ** -60, 0, 3)).toEqual([1 + 2 ** -52, 1]); // rup
    expect(() => run(dyn, 1, 2, 0, 5)).toThrow(Trap);
  });

  it('the NX test is skipped once NX is set', () => {
    const r = h.compile(`region @0x1300 {
  block0:
      v0:i64 = getfreg f10
      v1:f64 = bitcast.f64 v0
      v2:f64 = fexact.f64 mul, rne, v1, v1 @0x1300
      v3:i64 = bitcast.i64 v2
      setfreg f12, v3
      exit 0x1304
  }`);
    // the NX test (out of line) sits behind a test of fflags & 1
    expect(r.emitted.text).toMatch(/i32\.and\s+\(local\.get \$\d+\)\s+\(i32\.const 1\)\s+\)\s+\)\s+\(then\s+\(local\.set \$\d+\s+\(i32\.or\s+\(local\.get \$\d+\)\s+\(call \$fpu_inexact_product/);
    h.m.setF(10, f64bits(1 / 3));
    h.m.fflags = 1;
    h.run(r);
    expect(h.m.fflags).toBe(1);
  });

  it('fclass sets the one bit of the class', () => {
    const r = h.compile(`region @0x1400 {
  block0:
      v0:i64 = getfreg f10
      v1:f64 = bitcast.f64 v0
      v2:i64 = fclass v1
      setreg x10, v2
      v3:i32 = trunc v0
      v4:f32 = bitcast.f32 v3
      v5:i64 = fclass v4
      setreg x11, v5
      exit 0x1404
  }`);
    // [register bits, class as f64, class of the low 32 bits as f32]
    const cases: [bigint, number, number][] = [
      [0xfff0000000000000n, 0, 4], [0xbff0000000000000n, 1, 4], [0x800fffffffffffffn, 2, 9], [0x8000000000000000n, 3, 4],
      [0n, 4, 4], [1n, 5, 5], [0x3ff0000000000000n, 6, 4], [0x7ff0000000000000n, 7, 4], [0x7ff0000000000001n, 8, 5],
      [0x7ff8000000000000n, 9, 4], [0x000000007f800000n, 5, 7], [0x00000000ff800001n, 5, 8], [0x000000007fc00000n, 5, 9],
      [0x0000000080000001n, 5, 2], [0x00000000bf800000n, 5, 1], [0x00000000ff800000n, 5, 0], [0x0000000000800000n, 5, 6],
      [0x0000000080000000n, 5, 3],
    ];
    for (const [bits, c64, c32] of cases) {
      h.m.setF(10, bits);
      h.run(r);
      expect([h.x(10), h.x(11)], bits.toString(16)).toEqual([1n << BigInt(c64), 1n << BigInt(c32)]);
    }
  });

  it('keeps everything written when a region leaves through an exit', () => {
    const r = h.compile(`region @0x1500 {
  block0:
      v0:i32 = iconst.i32 0x3f
      setcsr fflags, v0
      setcsr frm, v0
      v1:i64 = iconst.i64 77
      setfreg f31, v1
      exit 0x1504
  }`);
    h.run(r);
    expect([h.m.fflags, h.m.frm, h.m.getF(31)]).toEqual([0x1f, 7, 77n]);
  });
});
