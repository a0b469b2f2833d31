// The software MMU: page table permissions, TLB fills and invalidation, page crossing,
// code-page write tracking.
import { describe, expect, it } from 'vitest';
import { FLAT_BASE, FLAT_LIMIT, PAGE_SIZE, PERM_OFF, TLB_ENTRIES, TLB_ENTRY_BYTES, TLB_OFF, TLB_READ, TLB_WRITE } from '../../layout/layout.js';
import { Access, AddressSpace, GuestFault, OutOfMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../runtime/memory.js';

const as = new AddressSpace();
const split = (a: number) => [a % 2 ** 32 | 0, Math.floor(a / 2 ** 32) | 0] as const;
const translate = (a: number, size: number, access: Access) => as.translate(...split(a), size, access);
const tlbWord = (vpn: number, field: number, word: number) =>
  as.v.i32[(TLB_OFF + (vpn & (TLB_ENTRIES - 1)) * TLB_ENTRY_BYTES + field) / 4 + word];

function fault(f: () => unknown): GuestFault {
  try {
    f();
  } catch (e) {
    if (e instanceof GuestFault) return e;
    throw e;
  }
  throw new Error('expected a GuestFault');
}

describe('AddressSpace', () => {
  const base = 0x12_3456_7000; // above 4 GiB, so the high word matters
  const vpn = base / PAGE_SIZE;

  it('maps zeroed pages and translates reads and writes', () => {
    as.mapPages(vpn, 2, PROT_READ | PROT_WRITE);
    const h = translate(base + 8, 8, Access.Write);
    expect(as.v.u8[h]).toBe(0);
    as.v.u8[h] = 0xab;
    expect(as.read(base + 8, 1)[0]).toBe(0xab);
    // The fill left a TLB entry whose tags are the page address.
    expect(tlbWord(vpn, TLB_READ, 0)).toBe(base % 2 ** 32 | 0);
    expect(tlbWord(vpn, TLB_READ, 1)).toBe(0x12);
  });

  it('faults on unmapped pages with SEGV_MAPERR and the exact address', () => {
    const f = fault(() => translate(base + 3 * PAGE_SIZE + 5, 1, Access.Read));
    expect(f.code).toBe(1);
    expect(f.addr).toBe(BigInt(base + 3 * PAGE_SIZE + 5));
  });

  it('faults on a protection violation with SEGV_ACCERR, and mprotect takes effect at once', () => {
    translate(base, 4, Access.Write); // fills the write tag
    expect(as.protectPages(vpn, 1, PROT_READ)).toBe(true);
    expect(tlbWord(vpn, TLB_WRITE, 0)).toBe(-1);
    expect(fault(() => translate(base, 4, Access.Write)).code).toBe(2);
    expect(translate(base, 4, Access.Read)).toBeGreaterThan(0);
    expect(fault(() => translate(base, 4, Access.Exec)).code).toBe(2);
    as.protectPages(vpn, 1, PROT_READ | PROT_WRITE);
    expect(translate(base, 4, Access.Write)).toBeGreaterThan(0);
  });

  it('reports accesses that straddle two pages to the caller', () => {
    expect(translate(base + PAGE_SIZE - 2, 4, Access.Read)).toBe(-1);
    as.write(base + PAGE_SIZE - 2, Uint8Array.of(1, 2, 3, 4));
    expect([...as.read(base + PAGE_SIZE - 2, 4)]).toEqual([1, 2, 3, 4]);
  });

  it('refuses mprotect of a range with a hole, changing nothing', () => {
    expect(as.protectPages(vpn + 1, 2, PROT_READ)).toBe(false);
    expect(as.protOf(vpn + 1)).toBe(PROT_READ | PROT_WRITE);
  });

  it('forces stores to code pages onto the slow path and reports them', () => {
    const seen: number[] = [];
    as.onCodeWrite = (p) => seen.push(p);
    translate(base + PAGE_SIZE, 4, Access.Write);
    as.markCode(vpn + 1);
    expect(tlbWord(vpn + 1, TLB_WRITE, 0)).toBe(-1);
    translate(base + PAGE_SIZE, 4, Access.Write);
    expect(seen).toEqual([vpn + 1]);
    expect(as.isCode(vpn + 1)).toBe(false);
  });

  it('unmaps pages, invalidates their TLB entries and reuses frames zeroed', () => {
    const before = as.framesInUse;
    as.unmapPages(vpn, 2);
    expect(as.framesInUse).toBe(before - 2);
    expect(tlbWord(vpn, TLB_READ, 0)).toBe(-1);
    expect(fault(() => as.read(base, 1)).code).toBe(1);
    as.mapPages(vpn, 2, PROT_READ);
    expect([...as.read(base + 8, 1)]).toEqual([0]);
  });

  it('moves pages for mremap', () => {
    as.mapPages(vpn + 10, 1, PROT_READ | PROT_WRITE);
    as.write(base + 10 * PAGE_SIZE, Uint8Array.of(7));
    as.movePages(vpn + 10, vpn + 20, 1);
    expect(as.isMapped(vpn + 10)).toBe(false);
    expect(as.read(base + 20 * PAGE_SIZE, 1)[0]).toBe(7);
  });
});

describe('AddressSpace --mmu flat', () => {
  const flat = new AddressSpace(undefined, true);
  const vpn = 0x12345;
  const perm = (p: number) => flat.v.u8[PERM_OFF + p];

  it('puts each page at FLAT_BASE + vaddr and mirrors permissions in the byte map', () => {
    flat.mapPages(vpn, 2, PROT_READ | PROT_WRITE);
    expect(flat.frameOf(vpn)).toBe(FLAT_BASE + vpn * PAGE_SIZE);
    expect(perm(vpn)).toBe(PROT_READ | PROT_WRITE);
    flat.protectPages(vpn, 1, PROT_READ | PROT_EXEC);
    expect(perm(vpn)).toBe(PROT_READ | PROT_EXEC);
  });

  it('clears the write bit of code pages until a store forgets the code', () => {
    flat.markCode(vpn + 1);
    expect(perm(vpn + 1)).toBe(PROT_READ);
    flat.translate(((vpn + 1) * PAGE_SIZE) | 0, 0, 4, Access.Write);
    expect(perm(vpn + 1)).toBe(PROT_READ | PROT_WRITE);
  });

  it('zeroes pages mapped again, clears unmapped ones, and moves bytes for mremap', () => {
    flat.write((vpn + 1) * PAGE_SIZE, Uint8Array.of(9));
    flat.movePages(vpn + 1, vpn + 5, 1);
    expect(perm(vpn + 1)).toBe(0);
    expect(flat.read((vpn + 5) * PAGE_SIZE, 1)[0]).toBe(9);
    flat.mapPages(vpn + 1, 1, PROT_READ);
    expect(flat.read((vpn + 1) * PAGE_SIZE, 1)[0]).toBe(0);
  });

  it('has no room above FLAT_LIMIT', () => {
    expect(() => flat.mapPages(FLAT_LIMIT / PAGE_SIZE, 1, PROT_READ)).toThrow(OutOfMemory);
  });
});
