// Guest memory through the inlined TLB fast path: miss then hit, misaligned and
// page-crossing accesses (slow path), faults with exact pc and registers, the lowered
// translate/loadh/storeh, and stores to code pages invalidating translations.
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../layout/layout.js';
import { GuestFault, PROT_READ } from '../../runtime/memory.js';
import { EMITTERS, Harness } from './harness.js';

describe.each(EMITTERS)('%s emitter', (emitter) => {
  const h = new Harness(emitter);
  const BASE = 0x12_3456_0000; // above 4 GiB: the TLB tag's high word matters
  h.map(BASE, 2);
  h.map(BASE + 2 * PAGE_SIZE, 1, PROT_READ);

  /** x12 = load(x10, size, signed); store(x11, x12, size). */
  function copyRegion(size: number, signed: boolean): ReturnType<Harness['compile']> {
    return h.compile(`region @0x1000 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = loadg.i64 v0, size ${size}, ${signed ? 'signed' : 'unsigned'} @0x1000
      setreg x12, v1
      v2:i64 = getreg x11
      storeg v2, v1, size ${size} @0x1004
      exit 0x1008
  }`);
  }

  const bytes = (addr: number, n: number) => [...h.m.as.read(addr, n)];

  describe('loadg/storeg', () => {
    it('misses once per page, then hits', () => {
      const r = copyRegion(8, true);
      h.m.as.writeU64(BASE + 16, 0x8877665544332211n);
      h.m.as.flushTlb();
      const before = h.m.as.tlbMisses;
      h.setX(10, BASE + 16);
      h.setX(11, BASE + 32);
      h.run(r);
      expect(h.x(12)).toBe(BigInt.asIntN(64, 0x8877665544332211n));
      expect(h.m.as.readU64(BASE + 32)).toBe(0x8877665544332211n);
      expect(h.m.as.tlbMisses - before).toBe(1); // one fill sets the read and the write tag
      h.run(r);
      expect(h.m.as.tlbMisses - before).toBe(1);
    });

    it('extends every size as asked', () => {
      h.m.as.write(BASE + 64, Uint8Array.from([0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8]));
      const want: Record<string, bigint> = {
        '1s': -0x7fn, '1u': 0x81n, '2s': -0x6d7fn, '2u': 0x9281n, '4s': BigInt.asIntN(64, 0xffffffffb4a39281n), '4u': 0xb4a39281n,
      };
      for (const size of [1, 2, 4]) {
        for (const signed of [true, false]) {
          const r = copyRegion(size, signed);
          h.setX(10, BASE + 64);
          h.setX(11, BASE + 128);
          h.run(r);
          expect(h.x(12), `size ${size} ${signed}`).toBe(want[`${size}${signed ? 's' : 'u'}`]);
        }
      }
    });

    it('does misaligned and page-crossing accesses on the slow path', () => {
      const r = copyRegion(8, false);
      const src = BASE + PAGE_SIZE - 3; // crosses into the second page
      h.m.as.write(src, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
      h.setX(10, src);
      h.setX(11, BASE + 0x101); // misaligned, within a page
      h.run(r);
      expect(h.x(12)).toBe(0x0807060504030201n);
      expect(bytes(BASE + 0x101, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      h.setX(10, BASE + 0x101);
      h.setX(11, BASE + PAGE_SIZE - 5); // page-crossing store
      h.run(r);
      expect(bytes(BASE + PAGE_SIZE - 5, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('faults with the access pc and the registers written back', () => {
      const r = h.compile(`region @0x2000 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = iconst.i64 1
      v2:i64 = add.i64 v0, v1
      setreg x13, v2
      v3:i64 = getreg x11
      storeg v3, v2, size 8 @0x2008
      setreg x14, v2
      exit 0x2010
  }`);
      h.setX(10, 41);
      h.setX(13, 0);
      h.setX(14, 0);
      // A page-crossing store whose second page is read-only: nothing is written.
      const at = BASE + 2 * PAGE_SIZE - 4;
      h.m.as.write(at, Uint8Array.from([9, 9, 9, 9]));
      h.setX(11, at);
      let fault: unknown;
      try {
        h.run(r);
      } catch (e) {
        fault = e;
      }
      expect(fault).toBeInstanceOf(GuestFault);
      expect((fault as GuestFault).addr).toBe(BigInt(BASE + 2 * PAGE_SIZE));
      expect((fault as GuestFault).code).toBe(2);
      expect(h.pc).toBe(0x2008);
      expect(h.x(13)).toBe(42n);
      expect(h.x(14)).toBe(0n);
      expect(bytes(at, 4)).toEqual([9, 9, 9, 9]);
      // Unmapped: SEGV_MAPERR.
      h.setX(11, 0x7000_0000);
      expect(() => h.run(r)).toThrow(GuestFault);
      expect(h.pc).toBe(0x2008);
    });

    it('lowers translate, loadh and storeh', () => {
      const r = h.compile(`region @0x3000 {
  block0:
      v0:i64 = getreg x10
      v1:i32 = translate v0, size 8, read @0x3000
      v2:i64 = loadh.i64 v1, offset 0, size 8, unsigned
      v3:i64 = loadh.i64 v1, offset 8, size 4, signed
      setreg x12, v2
      setreg x13, v3
      v4:i64 = getreg x11
      v5:i32 = translate v4, size 8, write @0x3004
      storeh v5, v3, offset 0, size 8
      exit 0x3008
  }`);
      h.m.as.writeU64(BASE + 0x200, 0x1122334455667788n);
      h.m.as.writeU64(BASE + 0x208, 0xfedcba98n);
      h.setX(10, BASE + 0x200);
      h.setX(11, BASE + 0x300);
      h.m.as.flushTlb();
      h.run(r); // misses: the helper returns the host address
      h.run(r); // hits
      expect(h.x(12)).toBe(0x1122334455667788n);
      expect(h.x(13)).toBe(BigInt.asIntN(64, 0xfffffffffedcba98n));
      expect(h.m.as.readU64(BASE + 0x300)).toBe(0xfffffffffedcba98n);
      h.setX(11, BASE + 2 * PAGE_SIZE); // read-only page
      expect(() => h.run(r)).toThrow(GuestFault);
      expect(h.pc).toBe(0x3004);
    });

    it('float loads and stores move raw bits', () => {
      const r = h.compile(`region @0x4000 {
  block0:
      v0:i64 = getreg x10
      v1:f64 = loadg.f64 v0, size 8, unsigned @0x4000
      v2:f32 = loadg.f32 v0, size 4, unsigned @0x4004
      storeg v0, v1, size 8 @0x4008
      v3:i64 = iconst.i64 16
      v4:i64 = add.i64 v0, v3
      storeg v4, v2, size 4 @0x400c
      exit 0x4010
  }`);
      h.m.as.writeU64(BASE + 0x400, 0x7ff4000000000badn); // a signaling NaN survives
      h.setX(10, BASE + 0x400);
      h.run(r);
      expect(h.m.as.readU64(BASE + 0x400)).toBe(0x7ff4000000000badn);
      expect(h.m.as.readU64(BASE + 0x410) & 0xffffffffn).toBe(0xbadn);
    });
  });

  describe('code pages', () => {
    it('a store to a page with translated code invalidates it (slot back to the stub)', () => {
      const code = BASE + 0x800;
      const target = h.install(`region @${code} {
  block0:
      v0:i64 = iconst.i64 7
      setreg x20, v0
      exit 0x9000
  }`);
      h.cache.install({ ...target, pages: [BASE / PAGE_SIZE] });
      expect(h.cache.lookup(code)).toBeDefined();
      const r = copyRegion(8, false);
      h.setX(10, BASE);
      h.setX(11, BASE + 0x900); // same page as the "code"
      h.run(r);
      expect(h.cache.lookup(code)).toBeUndefined();
      expect(h.cache.table.get(target.slot)).toBe(h.cache.stub);
    });
  });
});
