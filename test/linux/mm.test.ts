import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Access, GuestFault } from '../../runtime/memory.js';
import { AT_FDCWD, NR, bytes, cstr, makeMachine, putBytes, sys, tempDir } from './helpers.js';

const PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANON = 0x20, MAP_FIXED_NOREPLACE = 0x100000;
const EEXIST = 17, EINVAL = 22, ENOMEM = 12, EBADF = 9, EFAULT = 14;
const P = 4096;

function mmap(m: ReturnType<typeof makeMachine>, addr: number, len: number, prot: number, flags: number, fd = -1, off = 0) {
  return sys(m, NR.mmap, addr, len, prot, flags, fd, off);
}

describe('brk', () => {
  it('grows with zeroed pages, shrinks, and refuses collisions', () => {
    const m = makeMachine();
    m.brkStart = m.brkEnd = 0x40_0000;
    expect(sys(m, NR.brk, 0)).toBe(0x40_0000);
    expect(sys(m, NR.brk, 0x40_2345)).toBe(0x40_2345);
    expect(m.as.protOf(0x402)).toBe(PROT_READ | PROT_WRITE);
    expect(bytes(m, 0x40_2000, 16).every((b) => b === 0)).toBe(true);
    putBytes(m, 0x40_2000, 'heap');
    expect(sys(m, NR.brk, 0)).toBe(0x40_2345);
    expect(sys(m, NR.brk, 0x40_1000)).toBe(0x40_1000);
    expect(m.as.isMapped(0x401)).toBe(false);
    expect(m.as.isMapped(0x400)).toBe(true);
    // below the start: unchanged
    expect(sys(m, NR.brk, 0x1000)).toBe(0x40_1000);
    // a mapping in the way: the old break stays
    expect(mmap(m, 0x40_8000, P, PROT_READ, MAP_PRIVATE | MAP_ANON | MAP_FIXED)).toBe(0x40_8000);
    expect(sys(m, NR.brk, 0x41_0000)).toBe(0x40_1000);
    expect(sys(m, NR.brk, 0x40_8000)).toBe(0x40_8000);
    // regrown pages are zero again
    expect(bytes(m, 0x40_2000, 4).every((b) => b === 0)).toBe(true);
  });
});

describe('mmap', () => {
  it('maps anonymous memory below mmapBase, top down, without overlaps', () => {
    const m = makeMachine();
    const a = mmap(m, 0, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON);
    const b = mmap(m, 0, P, PROT_READ, MAP_PRIVATE | MAP_ANON);
    expect(a % P).toBe(0);
    expect(a + 3 * P).toBeLessThanOrEqual(m.mmapBase);
    expect(b + P).toBeLessThanOrEqual(a);
    expect(m.as.protOf(a / P)).toBe(PROT_READ | PROT_WRITE);
    expect(m.as.protOf(b / P)).toBe(PROT_READ);
    expect(sys(m, NR.munmap, a, 3 * P)).toBe(0);
    const c = mmap(m, 0, 2 * P, PROT_READ, MAP_PRIVATE | MAP_ANON);
    expect(c).toBe(a + P); // reuses the highest free gap
    m.mmapBase = 0x1000_0000;
    const d = mmap(m, 0, P, PROT_READ, MAP_PRIVATE | MAP_ANON);
    expect(d).toBe(0x1000_0000 - P);
  });

  it('honours hints, MAP_FIXED and MAP_FIXED_NOREPLACE', () => {
    const m = makeMachine();
    expect(mmap(m, 0x5000_0000, P, PROT_READ, MAP_PRIVATE | MAP_ANON)).toBe(0x5000_0000);
    const other = mmap(m, 0x5000_0000, P, PROT_READ, MAP_PRIVATE | MAP_ANON);
    expect(other).not.toBe(0x5000_0000);
    expect(mmap(m, 0x5000_0000, P, PROT_READ, MAP_PRIVATE | MAP_ANON | MAP_FIXED_NOREPLACE)).toBe(-EEXIST);
    // MAP_FIXED replaces, with fresh zeroes
    m.as.write(0x5000_0000, new Uint8Array([9]), true);
    expect(mmap(m, 0x5000_0000, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON | MAP_FIXED)).toBe(0x5000_0000);
    expect(bytes(m, 0x5000_0000, 1)[0]).toBe(0);
    expect(mmap(m, 0x5000_0001, P, PROT_READ, MAP_PRIVATE | MAP_ANON | MAP_FIXED)).toBe(-EINVAL);
    expect(mmap(m, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANON)).toBe(-EINVAL);
    expect(mmap(m, 0, P, PROT_READ, MAP_ANON)).toBe(-EINVAL);
    expect(mmap(m, 0, P, PROT_READ, MAP_PRIVATE, 77)).toBe(-EBADF);
  });

  it('returns ENOMEM when memory is exhausted', () => {
    const m = makeMachine();
    expect(mmap(m, 0, 2 ** 40, PROT_READ, MAP_PRIVATE | MAP_ANON)).toBe(-ENOMEM);
    expect(mmap(m, 0, 6 * 2 ** 30, PROT_NONE, MAP_PRIVATE | MAP_ANON)).toBe(-ENOMEM);
    // still usable afterwards
    expect(mmap(m, 0, P, PROT_READ, MAP_PRIVATE | MAP_ANON)).toBeGreaterThan(0);
  });

  it('copies file contents for private file mappings', () => {
    const t = tempDir();
    try {
      const m = makeMachine();
      const p = join(t.dir, 'data');
      const content = Buffer.alloc(P + 100);
      for (let i = 0; i < content.length; i++) content[i] = i & 0xff;
      writeFileSync(p, content);
      const fd = sys(m, NR.openat, AT_FDCWD, cstr(m, p), 0, 0);
      const a = mmap(m, 0, 2 * P, PROT_READ, MAP_PRIVATE, fd, 0);
      expect(a).toBeGreaterThan(0);
      expect(bytes(m, a, P + 100).equals(content)).toBe(true);
      expect(bytes(m, a + P + 100, P - 100).every((b) => b === 0)).toBe(true);
      expect(m.as.protOf(a / P)).toBe(PROT_READ);
      const b = mmap(m, 0, P, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, P);
      expect(bytes(m, b, 100).equals(content.subarray(P))).toBe(true);
      expect(mmap(m, 0, P, PROT_READ, MAP_PRIVATE, fd, 100)).toBe(-EINVAL);
      // shared writable mapping of a read-only fd is refused
      expect(mmap(m, 0, P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)).toBe(-13);
    } finally {
      t.cleanup();
    }
  });
});

describe('munmap / mprotect / mremap / madvise', () => {
  it('mprotect changes protections and fails on holes', () => {
    const m = makeMachine();
    const a = mmap(m, 0, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON);
    expect(sys(m, NR.mprotect, a + P, 2 * P, PROT_READ)).toBe(0);
    expect([0, 1, 2, 3].map((i) => m.as.protOf(a / P + i))).toEqual([3, 1, 1, 3]);
    expect(() => m.as.write(a + P, new Uint8Array([1]))).toThrow(GuestFault);
    expect(sys(m, NR.mprotect, a + 1, P, PROT_READ)).toBe(-EINVAL);
    expect(sys(m, NR.munmap, a + 3 * P, P)).toBe(0);
    expect(sys(m, NR.mprotect, a, 4 * P, PROT_READ)).toBe(-ENOMEM);
    expect(m.as.protOf(a / P)).toBe(3); // unchanged on failure
    expect(sys(m, NR.munmap, a + 1, P)).toBe(-EINVAL);
  });

  it('mremap shrinks, grows in place, and moves with MREMAP_MAYMOVE', () => {
    const m = makeMachine();
    const a = mmap(m, 0x6000_0000, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON);
    putBytes(m, a, 'first');
    putBytes(m, a + P, 'second');
    // grow in place (free above)
    expect(sys(m, NR.mremap, a, 2 * P, 4 * P, 0)).toBe(a);
    expect(m.as.protOf(a / P + 3)).toBe(3);
    // shrink
    expect(sys(m, NR.mremap, a, 4 * P, 3 * P, 0)).toBe(a);
    expect(m.as.isMapped(a / P + 3)).toBe(false);
    // block growth, then move
    expect(mmap(m, a + 3 * P, P, PROT_READ, MAP_PRIVATE | MAP_ANON | MAP_FIXED)).toBe(a + 3 * P);
    expect(sys(m, NR.mremap, a, 3 * P, 8 * P, 0)).toBe(-ENOMEM);
    const b = sys(m, NR.mremap, a, 3 * P, 8 * P, 1);
    expect(b).not.toBe(a);
    expect(b).toBeGreaterThan(0);
    expect(bytes(m, b, 5).toString()).toBe('first');
    expect(bytes(m, b + P, 6).toString()).toBe('second');
    expect(m.as.isMapped(a / P)).toBe(false);
    expect(m.as.isMapped(b / P + 7)).toBe(true);
    // MREMAP_FIXED
    const c = sys(m, NR.mremap, b, 8 * P, 2 * P, 3, 0x7000_0000);
    expect(c).toBe(0x7000_0000);
    expect(bytes(m, c, 5).toString()).toBe('first');
    expect(m.as.isMapped(b / P)).toBe(false);
    expect(sys(m, NR.mremap, 0x9000_0000, P, 2 * P, 1)).toBe(-EFAULT);
  });

  it('madvise(MADV_DONTNEED) zeroes pages', () => {
    const m = makeMachine();
    const a = mmap(m, 0, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON);
    putBytes(m, a, 'data');
    putBytes(m, a + P, 'more');
    expect(sys(m, NR.madvise, a, P, 4)).toBe(0);
    expect(bytes(m, a, 4).every((b) => b === 0)).toBe(true);
    expect(bytes(m, a + P, 4).toString()).toBe('more');
    expect(sys(m, NR.madvise, a, P, 3)).toBe(0); // WILLNEED
    expect(sys(m, NR.madvise, a, P, 999)).toBe(-EINVAL);
  });

  it('unmapped memory faults afterwards', () => {
    const m = makeMachine();
    const a = mmap(m, 0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON);
    expect(sys(m, NR.munmap, a, P)).toBe(0);
    try {
      m.as.read(a, 1);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GuestFault);
      expect((e as GuestFault).access).toBe(Access.Read);
    }
  });
});

describe('PageRanges', () => {
  it('matches a brute-force model under random adds and removes', async () => {
    const { PageRanges } = await import('../../runtime/linux/regions.js');
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const N = 200;
    for (let round = 0; round < 20; round++) {
      const r = PageRanges.fromPages([5, 6, 7, 50, 199].filter(() => rnd(2) === 0));
      const model = new Set<number>([...r.ranges()].flatMap(([s, e]) => Array.from({ length: e - s }, (_, i) => s + i)));
      for (let op = 0; op < 200; op++) {
        const s = rnd(N);
        const e = s + rnd(20);
        if (rnd(2) === 0) {
          r.add(s, e);
          for (let p = s; p < e; p++) model.add(p);
        } else {
          r.remove(s, e);
          for (let p = s; p < e; p++) model.delete(p);
        }
        // ranges are sorted, disjoint, non-adjacent and equal to the model
        const list = [...r.ranges()];
        for (let i = 1; i < list.length; i++) expect(list[i][0]).toBeGreaterThan(list[i - 1][1]);
        expect(new Set(list.flatMap(([a, b]) => Array.from({ length: b - a }, (_, i) => a + i)))).toEqual(model);
        const qs = rnd(N);
        const qn = 1 + rnd(10);
        let free = true;
        for (let p = qs; p < qs + qn; p++) if (model.has(p)) free = false;
        expect(r.isFree(qs, qs + qn)).toBe(free);
        const top = 1 + rnd(N);
        let want = -1;
        for (let st = top - qn; st >= 0; st--) {
          let ok = true;
          for (let p = st; p < st + qn; p++) if (model.has(p)) ok = false;
          if (ok) { want = st; break; }
        }
        expect(r.findFreeTopDown(qn, 0, top)).toBe(want);
      }
    }
  });
});
