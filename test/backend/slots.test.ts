// Translation cache slots (loadgc, storegc, tlbfill): the same results and faults as
// loadg/storeg, under the TLB and under --mmu flat, with fewer TLB probes; emptied after
// helper calls (which are allowed to change the mapping).
import { describe, expect, it } from 'vitest';
import { GUEST_ACCESSES_OFF, PAGE_SIZE, TLB_LOOKUPS_OFF } from '../../layout/layout.js';
import { GuestFault, PROT_READ, PROT_WRITE } from '../../runtime/memory.js';
import { EMITTERS, Harness } from './harness.js';

const MODES = EMITTERS.flatMap((emitter) => [false, true].map((flat) => ({ emitter, flat })));

describe.each(MODES)('$emitter emitter, flat $flat', ({ emitter, flat }) => {
  let remap: () => void = () => {};
  const h = new Harness(emitter, { remap: () => remap() }, flat);
  const BASE = flat ? 0x4000_0000 : 0x12_3456_0000;
  h.map(BASE, 3);
  h.map(BASE + 3 * PAGE_SIZE, 1, PROT_READ);
  const counters = () => [h.m.v.dv.getBigUint64(GUEST_ACCESSES_OFF, true), h.m.v.dv.getBigUint64(TLB_LOOKUPS_OFF, true)];
  const resetCounters = () => { h.m.v.dv.setBigUint64(GUEST_ACCESSES_OFF, 0n, true); h.m.v.dv.setBigUint64(TLB_LOOKUPS_OFF, 0n, true); };

  /** x12 = sum of the x11 8-byte words from x10 (loadgc, one slot), copied to x13.. (storegc). */
  const sumLoop = h.compile(`region @0x1000 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = getreg x11
      v2:i64 = getreg x13
      v3:i64 = iconst.i64 0
      br block1(v0, v1, v2, v3)
  block1(v10:i64, v11:i64, v12:i64, v13:i64):
      v14:i64 = loadgc.i64 v10, size 8, signed, slot 0 @0x1000
      storegc v12, v14, size 8, slot 1 @0x1004
      v15:i64 = add.i64 v13, v14
      v16:i64 = iconst.i64 8
      v17:i64 = add.i64 v10, v16
      v18:i64 = add.i64 v12, v16
      v19:i64 = iconst.i64 -1
      v20:i64 = add.i64 v11, v19
      setreg x10, v17
      setreg x12, v15
      setreg x13, v18
      v21:i64 = iconst.i64 0
      v22:i32 = icmp ne v20, v21
      condbr v22, block1(v17, v20, v18, v15), block2
  block2:
      exit 0x1008
  }`, { countLookups: true });

  it('reads and writes across pages, one probe per page and slot', () => {
    const n = 768; // reads pages 0 and 1; writes the last 256 words of page 1 and all of page 2
    for (let i = 0; i < n; i++) h.m.as.writeU64(BASE + 8 * i, BigInt(i * 3));
    h.m.as.writeU64(BASE, 5n);
    let want = 5n;
    for (let i = 1; i < n; i++) want += BigInt(i * 3);
    for (const warm of [false, true]) {
      h.setX(10, BASE);
      h.setX(11, n);
      h.setX(13, BASE + 2 * PAGE_SIZE - 8 * 256);
      resetCounters();
      h.run(sumLoop);
      expect(h.x(12)).toBe(want);
      expect(h.m.as.readU64(BASE + 2 * PAGE_SIZE - 8 * 256)).toBe(5n);
      expect(h.m.as.readU64(BASE + 3 * PAGE_SIZE - 8)).toBe(BigInt((n - 1) * 3));
      const [accesses, lookups] = counters();
      expect(accesses).toBe(BigInt(2 * n));
      // One probe per page and slot once the TLB holds the pages (a cold TLB entry costs
      // a second probe: the slow path fills the TLB, not the slot).
      if (warm) expect(lookups).toBe(4n);
      else expect(lookups).toBeLessThanOrEqual(8n);
    }
  });

  it('faults exactly as storeg does, with the registers of that iteration', () => {
    // The copy runs into the read-only fourth page after 512 + 1 words.
    h.setX(10, BASE);
    h.setX(11, 2000);
    h.setX(13, BASE + 2 * PAGE_SIZE - 8);
    let fault: unknown;
    try {
      h.run(sumLoop);
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(GuestFault);
    expect((fault as GuestFault).addr).toBe(BigInt(BASE + 3 * PAGE_SIZE));
    expect(h.pc).toBe(0x1004);
    expect(h.x(10)).toBe(BigInt(BASE + 8 * 513)); // written back in the iteration before
    expect(h.x(13)).toBe(BigInt(BASE + 3 * PAGE_SIZE));
  });

  it('takes misaligned and page-crossing accesses through the slow path', () => {
    const r = h.compile(`region @0x2000 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = loadgc.i64 v0, size 8, unsigned, slot 0 @0x2000
      v2:i64 = iconst.i64 3
      v3:i64 = add.i64 v0, v2
      v4:i64 = loadgc.i64 v3, size 8, unsigned, slot 0 @0x2004
      setreg x12, v1
      setreg x13, v4
      storegc v3, v1, size 8, slot 1 @0x2008
      exit 0x200c
  }`);
    const at = BASE + PAGE_SIZE - 8;
    h.m.as.write(at, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    h.setX(10, at);
    h.run(r);
    expect(h.x(12)).toBe(0x0807060504030201n);
    expect(h.x(13)).toBe(0x0b0a090807060504n);
    expect([...h.m.as.read(at + 3, 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('empties the slots after a helper call, which may change the mapping', () => {
    const r = h.compile(`region @0x3000 {
  block0:
      v0:i64 = getreg x10
      v1:i64 = loadgc.i64 v0, size 8, unsigned, slot 0 @0x3000
      setreg x12, v1
      call @remap() @0x3004
      v2:i64 = getreg x10
      v3:i64 = loadgc.i64 v2, size 8, unsigned, slot 0 @0x3008
      setreg x13, v3
      exit 0x300c
  }`);
    const page = BASE + 2 * PAGE_SIZE;
    h.m.as.writeU64(page, 111n);
    h.setX(10, page);
    remap = () => {
      // A new zeroed frame for the page (under the TLB: another frame), holding 222.
      h.m.as.unmapPages(page / PAGE_SIZE, 1);
      h.m.as.mapPages(BASE / PAGE_SIZE + 5, 1, PROT_READ | PROT_WRITE); // takes the freed frame
      h.m.as.mapPages(page / PAGE_SIZE, 1, PROT_READ | PROT_WRITE);
      h.m.as.writeU64(page, 222n);
    };
    h.run(r);
    remap = () => {};
    expect(h.x(12)).toBe(111n);
    expect(h.x(13)).toBe(222n);
  });

  it('tlbfill never faults, and fills a slot that later accesses use without a probe', () => {
    const r = h.compile(`region @0x4000 {
  block0:
      v0:i64 = getreg x10
      tlbfill v0, read, slot 0
      v1:i64 = loadgc.i64 v0, size 4, unsigned, slot 0 @0x4000
      setreg x12, v1
      exit 0x4004
  }`, { countLookups: true });
    h.setX(10, 0x10); // unmapped: tlbfill does nothing, the load faults
    expect(() => h.run(r)).toThrow(GuestFault);
    expect(h.pc).toBe(0x4000);
    h.m.as.writeU64(BASE + 0x40, 0x1234n);
    h.setX(10, BASE + 0x40);
    h.run(r); // fills the TLB entry
    resetCounters();
    h.run(r);
    expect(h.x(12)).toBe(0x1234n);
    expect(counters()).toEqual([1n, 1n]); // the tlbfill's probe; the load reused it
  });
});
