// Control flow: loops stay wasm loops, block parameters as parallel copies, switch,
// exits that chain through the table, exitind through the jump cache, the interrupt
// word at entries and back-edges, traps, and helper calls that change registers.
import { describe, expect, it } from 'vitest';
import { INTERRUPT_OFF, PAGE_SIZE } from '../../layout/layout.js';
import { Op } from '../../lifter/opcodes.js';
import { Trap } from '../../runtime/interp/trap.js';
import { EMITTERS, Harness } from './harness.js';

describe.each(EMITTERS)('%s emitter', (emitter) => {
  const h = new Harness(emitter);
  const setInterrupt = (v: number) => Atomics.store(h.m.v.i32, INTERRUPT_OFF >> 2, v);

  /** sum = 0; for (i = 0; i < x10; i++) sum += i; with the loop state in block parameters. */
  const LOOP = `region @0x1000 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = iconst.i64 0
      br block1(v1, v1)
  block1(v2:i64, v3:i64):
      v4:i32 = icmp ult v2, v0
      condbr v4, block2, block3
  block2:
      v5:i64 = add.i64 v3, v2
      v6:i64 = iconst.i64 1
      v7:i64 = add.i64 v2, v6
      br block1(v7, v5)
  block3:
      setreg x11, v3
      exit 0x1010
  }`;

  describe('structured control flow', () => {
    it('runs a loop, and the wasm keeps it a loop', () => {
      const r = h.compile(LOOP);
      expect(r.emitted.text).toMatch(/\(loop /);
      h.setX(10, 100000);
      h.run(r);
      expect(h.x(11)).toBe(4999950000n);
      expect(h.pc).toBe(0x1010);
    });

    it('copies block parameters in parallel (a swap) and handles two edges to one block', () => {
      const r = h.compile(`region @0x1100 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = getreg x11
      v2:i64 = getreg x12
      br block1(v0, v1, v2)
  block1(v3:i64, v4:i64, v5:i64):
      v6:i64 = iconst.i64 1
      v7:i64 = sub.i64 v5, v6
      v8:i64 = iconst.i64 0
      v9:i32 = icmp sgt v7, v8
      condbr v9, block1(v4, v3, v7), block2(v3, v4)
  block2(v10:i64, v11:i64):
      v12:i32 = icmp eq v10, v11
      condbr v12, block3(v10), block3(v11)
  block3(v13:i64):
      setreg x13, v10
      setreg x14, v11
      setreg x15, v13
      exit 0x1104
  }`);
      for (const [n, first] of [[1, 5n], [2, 6n], [3, 5n], [10, 6n]] as const) {
        h.setX(10, 5);
        h.setX(11, 6);
        h.setX(12, n);
        h.run(r);
        expect([h.x(13), h.x(14), h.x(15)], `${n} rounds`).toEqual([first, 11n - first, 11n - first]);
      }
    });

    it('runs an irreducible CFG (a cycle entered at two blocks)', () => {
      // x10 = n; x11 = entry choice. block1 and block2 form a cycle with two entries;
      // each pass through block1 adds 1 to x12, through block2 adds 100; n counts down.
      const r = h.compile(`region @0x1300 {
block0:
    v0:i64 = getreg x11
    v1:i64 = iconst.i64 0
    v2:i32 = icmp ne v0, v1
    condbr v2, block1, block2
block1:
    v3:i64 = getreg x12
    v4:i64 = iconst.i64 1
    v5:i64 = add.i64 v3, v4
    setreg x12, v5
    br block2
block2:
    v6:i64 = getreg x12
    v7:i64 = iconst.i64 100
    v8:i64 = add.i64 v6, v7
    setreg x12, v8
    v9:i64 = getreg x10
    v10:i64 = iconst.i64 -1
    v11:i64 = add.i64 v9, v10
    setreg x10, v11
    v12:i64 = iconst.i64 0
    v13:i32 = icmp ne v11, v12
    condbr v13, block1, block3
block3:
    exit 0x1304
}`);
      expect(r.emitted.text).toMatch(/br_table/);
      for (const [n, first, want] of [[3n, 1n, 303n], [3n, 0n, 302n], [1n, 0n, 100n]]) {
        h.setX(10, n);
        h.setX(11, first);
        h.setX(12, 0);
        h.run(r);
        expect(h.x(12), `n ${n}, entry ${first}`).toBe(want);
        expect(h.pc).toBe(0x1304);
      }
    });

    it('switches on i32 and i64 keys', () => {
      const r = h.compile(`region @0x1200 {
  block0:
      v0:i64 = getreg x10
      switch v0, [0: block1, 7: block2, -1: block2, 0x100000000: block3], default block4
  block1:
      v1:i64 = iconst.i64 100
      setreg x11, v1
      exit 0x1204
  block2:
      v2:i64 = iconst.i64 200
      setreg x11, v2
      exit 0x1204
  block3:
      v3:i32 = trunc v0
      switch v3, [0: block1], default block4
  block4:
      v4:i64 = iconst.i64 300
      setreg x11, v4
      exit 0x1204
  }`);
      for (const [key, want] of [[0n, 100n], [7n, 200n], [-1n, 200n], [0x100000000n, 100n], [5n, 300n], [0xffffffffn, 300n]]) {
        h.setX(10, key);
        h.run(r);
        expect(h.x(11), `key ${key}`).toBe(want);
      }
    });
  });

  describe('exits and chaining', () => {
    const A = `region @0x2000 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = iconst.i64 1
      v2:i64 = add.i64 v0, v1
      setreg x10, v2
      exit 0x2100
  }`;
    const B = `region @0x2100 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = iconst.i64 10
      v2:i64 = mul.i64 v0, v1
      setreg x11, v2
      exit 0x2200
  }`;

    it('returns to the dispatcher at an uncompiled target, chains once it is installed', () => {
      const a = h.install(A);
      h.setX(10, 4);
      h.setX(11, 0);
      h.run(a);
      expect(h.pc).toBe(0x2100);
      expect(h.x(10)).toBe(5n);
      expect(h.x(11)).toBe(0n);
      h.install(B);
      h.run(a);
      expect(h.pc).toBe(0x2200);
      expect(h.x(11)).toBe(60n);
      // Invalidation puts the stub back: A returns at B's pc again.
      h.cache.install({ ...h.cache.lookup(0x2100)!, pages: [0x2] });
      h.cache.invalidatePage(0x2);
      h.run(a);
      expect(h.pc).toBe(0x2100);
    });

    it('exitind goes through the jump cache when it knows the target', () => {
      const c = h.install(`region @0x2300 {
  block0:
      v0:i64 = getreg x1
      v1:i64 = iconst.i64 -2
      v2:i64 = and.i64 v0, v1
      exitind v2
  }`);
      h.install(B.replace('@0x2100', '@0x2400'));
      h.setX(1, 0x2401);
      h.setX(10, 3);
      h.run(c);
      expect(h.pc).toBe(0x2400); // not in the jump cache yet: back to the dispatcher
      h.cache.noteIndirectTarget(0x2400, h.cache.slotFor(0x2400));
      h.run(c);
      expect(h.pc).toBe(0x2200);
      expect(h.x(11)).toBe(30n);
    });

    it('tests the interrupt word at entry and on loop back-edges', () => {
      const a = h.install(A);
      h.setX(10, 1);
      setInterrupt(1);
      h.run(a);
      expect(h.pc).toBe(0x2000);
      expect(h.x(10)).toBe(1n);
      setInterrupt(0);
    });

    it('leaves a loop at its back-edge with exact state when the interrupt word is set', () => {
      // A guest loop at 0x3004 (IR block1) counting x10 down; the hook raises the interrupt
      // when x10 reaches 500, the way another thread would.
      const hooked = new Harness(emitter, { hook: () => { if (hooked.x(10) === 500n) Atomics.store(hooked.m.v.i32, INTERRUPT_OFF >> 2, 1); } });
      const loop = hooked.compile(`region @0x3000 {
  block0:
      br block1
  block1:
      v0:i64 = getreg x10
      v1:i64 = iconst.i64 -1
      v2:i64 = add.i64 v0, v1
      setreg x10, v2
      call @hook() @0x3008
      v3:i64 = iconst.i64 0
      v4:i32 = icmp ne v2, v3
      condbr v4, block1, block2
  block2:
      exit 0x3010
  }`, { blockPc: (b) => (b === 1 ? 0x3004 : undefined) });
      hooked.setX(10, 1000);
      hooked.run(loop);
      expect(hooked.pc).toBe(0x3004);
      expect(hooked.x(10)).toBe(500n);
      Atomics.store(hooked.m.v.i32, INTERRUPT_OFF >> 2, 0);
      hooked.m.pc = 0x3004;
      hooked.resume(loop); // the entry block only branches to 0x3004: this resumes the loop
      expect(hooked.pc).toBe(0x3010);
      expect(hooked.x(10)).toBe(0n);
    });
  });

  describe('traps and helper calls', () => {
    it('ebreak and illegal raise SIGTRAP and SIGILL at their pc with registers written back', () => {
      for (const [kind, signo] of [['ebreak', 5], ['illegal', 4]] as const) {
        const r = h.compile(`region @0x4000 {
  block0:
      v0:i64 = iconst.i64 77
      setreg x9, v0
      trap ${kind} @0x4004
  }`);
        h.setX(9, 0);
        let err: unknown;
        try {
          h.run(r);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(Trap);
        expect((err as Trap).signo).toBe(signo);
        expect((err as Trap).addr).toBe(0x4004n);
        expect(h.pc).toBe(0x4004);
        expect(h.x(9)).toBe(77n);
      }
    });

    it('reloads registers after a helper call (amoadd.d writes rd)', () => {
      const DATA = 0x5000_0000;
      h.map(DATA, 1);
      h.m.as.writeU64(DATA, 40n);
      const r = h.compile(`region @0x5000 {
  block0:
      v0:i64 = iconst.i64 ${DATA}
      setreg x10, v0
      v1:i64 = iconst.i64 2
      setreg x11, v1
      v2:i32 = iconst.i32 ${Op.amoadd_d}
      v3:i32 = iconst.i32 ${12 | (10 << 5) | (11 << 10)}
      call @amo(v2, v3) @0x5008
      v4:i64 = getreg x12
      v5:i64 = iconst.i64 1
      v6:i64 = add.i64 v4, v5
      setreg x13, v6
      exit 0x500c
  }`);
      h.run(r);
      expect(h.m.as.readU64(DATA)).toBe(42n);
      expect(h.x(12)).toBe(40n);
      expect(h.x(13)).toBe(41n);
      expect(PAGE_SIZE).toBe(4096);
    });
  });
});
