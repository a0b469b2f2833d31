//! Memory management syscalls: brk, mmap, munmap, mprotect, mremap, madvise, msync,
//! mincore and the mlock family. Pages live in `m.as`; this module also keeps a coalesced
//! set of mapped ranges so that mmap finds free gaps quickly (re-synchronised from the page
//! table whenever someone else mapped pages behind its back).

import { FRAMES_BASE, MEMORY_BYTES, PAGE_SIZE } from '../../layout/layout.js';
import type { Machine } from '../machine.js';
import { OutOfMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory.js';
import { argI, argU, stateOf, warnOnce } from './abi.js';
import { EACCES, EEXIST, EFAULT, EINVAL, ENODEV, ENOMEM, EPERM, fail } from './errno.js';
import { fdTable } from './fdtable.js';
import { PageRanges } from './regions.js';

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_FIXED_NOREPLACE = 0x100000;

const PROT_MASK = PROT_READ | PROT_WRITE | PROT_EXEC;
const PROT_SEM = 0x8;
const PROT_GROWSDOWN = 0x01000000;
const PROT_GROWSUP = 0x02000000;

export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;
export const MREMAP_DONTUNMAP = 4;

export const MADV_DONTNEED = 4;
export const MADV_REMOVE = 9;

/** Lowest address mmap will hand out or accept (vm.mmap_min_addr). */
export const MMAP_MIN_ADDR = 0x10000;
/** User addresses stay below 2^47. */
export const USER_TOP = 2 ** 47;

const MIN_VPN = MMAP_MIN_ADDR / PAGE_SIZE;
const TOP_VPN = USER_TOP / PAGE_SIZE;
const TOTAL_FRAMES = (MEMORY_BYTES - FRAMES_BASE) / PAGE_SIZE;

interface MmState {
  ranges: PageRanges | null;
}

function mmState(m: Machine): MmState {
  return stateOf(m, 'mm', () => ({ ranges: null }));
}

/** The mapped ranges, built from the page table on first use. */
function ranges(m: Machine): PageRanges {
  const s = mmState(m);
  if (s.ranges === null) s.ranges = PageRanges.fromPages(m.as.mappedPageNumbers());
  return s.ranges;
}

function resync(m: Machine): PageRanges {
  mmState(m).ranges = null;
  return ranges(m);
}

const pageUp = (n: number) => Math.ceil(n / PAGE_SIZE);
const aligned = (a: number) => a % PAGE_SIZE === 0;

/** Maps `count` zeroed pages at `vpn`, or throws ENOMEM (leaving nothing half-mapped). */
function mapZeroed(m: Machine, vpn: number, count: number, prot: number): void {
  if (count > TOTAL_FRAMES) fail(ENOMEM);
  let fresh = 0;
  for (let i = 0; i < count; i++) if (!m.as.isMapped(vpn + i)) fresh++;
  if (fresh > TOTAL_FRAMES - m.as.framesInUse) fail(ENOMEM);
  try {
    m.as.mapPages(vpn, count, prot);
  } catch (e) {
    if (e instanceof OutOfMemory) {
      m.as.unmapPages(vpn, count);
      ranges(m).remove(vpn, vpn + count);
      fail(ENOMEM);
    }
    throw e;
  }
  ranges(m).add(vpn, vpn + count);
}

/** Ranges longer than this are handled through the range set instead of page by page. */
const LARGE = 1 << 16;

/** The mapped runs within [vpn, vpn+count). */
function mappedRuns(m: Machine, vpn: number, count: number): [number, number][] {
  if (count <= LARGE) {
    const runs: [number, number][] = [];
    for (let p = vpn; p < vpn + count; p++) {
      if (!m.as.isMapped(p)) continue;
      if (runs.length > 0 && runs[runs.length - 1][1] === p) runs[runs.length - 1][1] = p + 1;
      else runs.push([p, p + 1]);
    }
    return runs;
  }
  const out: [number, number][] = [];
  for (const [s, e] of resync(m).ranges()) {
    const lo = Math.max(s, vpn);
    const hi = Math.min(e, vpn + count);
    if (lo < hi) out.push([lo, hi]);
  }
  return out;
}

/** True if no page of [vpn, vpn+count) is mapped. */
function rangeFree(m: Machine, vpn: number, count: number): boolean {
  if (count <= LARGE) return m.as.isFree(vpn, count);
  return resync(m).isFree(vpn, vpn + count);
}

function unmap(m: Machine, vpn: number, count: number): void {
  for (const [s, e] of mappedRuns(m, vpn, count)) m.as.unmapPages(s, e - s);
  ranges(m).remove(vpn, vpn + count);
}

/** A free range of `count` pages, searching downwards from m.mmapBase; -1 if none. */
export function findFree(m: Machine, count: number): number {
  const top = Math.min(Math.floor(m.mmapBase / PAGE_SIZE), TOP_VPN);
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = attempt === 0 ? ranges(m) : resync(m);
    const vpn = r.findFreeTopDown(count, MIN_VPN, top);
    if (vpn < 0) {
      if (attempt === 0) continue;
      return -1;
    }
    if (rangeFree(m, vpn, count)) return vpn;
  }
  return -1;
}

/** Maps `count` zeroed pages anywhere (below mmapBase); returns the address. Throws ENOMEM. */
export function mapAnywhere(m: Machine, count: number, prot: number): number {
  const vpn = findFree(m, count);
  if (vpn < 0) fail(ENOMEM);
  mapZeroed(m, vpn, count, prot);
  return vpn * PAGE_SIZE;
}

// ---- brk ----

export function sysBrk(m: Machine): number {
  const want = argU(m, 0);
  if (m.brkStart === 0 || want < m.brkStart) return m.brkEnd;
  const oldTop = pageUp(m.brkEnd);
  const newTop = pageUp(want);
  if (newTop < oldTop) {
    unmap(m, newTop, oldTop - newTop);
  } else if (newTop > oldTop) {
    if (newTop > TOP_VPN || !rangeFree(m, oldTop, newTop - oldTop)) return m.brkEnd;
    try {
      mapZeroed(m, oldTop, newTop - oldTop, PROT_READ | PROT_WRITE);
    } catch {
      return m.brkEnd;
    }
  }
  m.brkEnd = want;
  return want;
}

// ---- mmap ----

export function sysMmap(m: Machine): number {
  const addr = argU(m, 0);
  const len = argU(m, 1);
  const prot = argI(m, 2) & PROT_MASK;
  const flags = argI(m, 3);
  const fd = argI(m, 4);
  const offset = argU(m, 5);
  const type = flags & MAP_TYPE;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) fail(EINVAL);
  if (len === 0 || !aligned(offset)) fail(EINVAL);
  if (len > USER_TOP) fail(ENOMEM);
  const count = pageUp(len);
  const anon = (flags & MAP_ANONYMOUS) !== 0;

  let contents: Uint8Array | undefined;
  if (!anon) {
    const desc = fdTable(m).get(fd).desc;
    if (!desc.readable) fail(EACCES);
    if (type !== MAP_PRIVATE && prot & PROT_WRITE && !desc.writable) fail(EACCES);
    if (desc.isDirectory) fail(ENODEV);
    contents = desc.mapRead(offset, count * PAGE_SIZE);
    if (type !== MAP_PRIVATE && prot & PROT_WRITE) {
      warnOnce(m, 'map-shared', 'MAP_SHARED file mappings are private copies: writes do not reach the file');
    }
  }

  let vpn: number;
  const fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
  if (fixed) {
    if (!aligned(addr)) fail(EINVAL);
    if (addr < MMAP_MIN_ADDR) fail(EPERM);
    vpn = addr / PAGE_SIZE;
    if (vpn + count > TOP_VPN) fail(ENOMEM);
    if ((flags & MAP_FIXED) === 0 && !rangeFree(m, vpn, count)) fail(EEXIST);
  } else {
    vpn = -1;
    const hint = Math.floor(addr / PAGE_SIZE);
    if (addr >= MMAP_MIN_ADDR && hint + count <= TOP_VPN && rangeFree(m, hint, count)) vpn = hint;
    if (vpn < 0) vpn = findFree(m, count);
    if (vpn < 0) fail(ENOMEM);
  }

  mapZeroed(m, vpn, count, prot);
  if (contents !== undefined && contents.length > 0) m.as.write(vpn * PAGE_SIZE, contents, true);
  return vpn * PAGE_SIZE;
}

export function sysMunmap(m: Machine): number {
  const addr = argU(m, 0);
  const len = argU(m, 1);
  if (!aligned(addr) || len === 0 || addr + len > USER_TOP) fail(EINVAL);
  unmap(m, addr / PAGE_SIZE, pageUp(len));
  return 0;
}

export function sysMprotect(m: Machine): number {
  const addr = argU(m, 0);
  const len = argU(m, 1);
  const prot = argI(m, 2);
  if (!aligned(addr)) fail(EINVAL);
  if (prot & ~(PROT_MASK | PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP)) fail(EINVAL);
  if (len === 0) return 0;
  if (addr + len > USER_TOP || pageUp(len) > TOTAL_FRAMES) fail(ENOMEM);
  if (!m.as.protectPages(addr / PAGE_SIZE, pageUp(len), prot & PROT_MASK)) fail(ENOMEM);
  return 0;
}

export function sysMremap(m: Machine): number {
  const oldAddr = argU(m, 0);
  const oldLen = argU(m, 1);
  const newLen = argU(m, 2);
  const flags = argI(m, 3);
  const newAddr = argU(m, 4);
  if (!aligned(oldAddr) || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) fail(EINVAL);
  if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP) && !(flags & MREMAP_MAYMOVE)) fail(EINVAL);
  if (newLen === 0 || oldLen === 0) fail(EINVAL);
  if (newLen > USER_TOP) fail(ENOMEM);
  const old = oldAddr / PAGE_SIZE;
  const oldCount = pageUp(oldLen);
  const newCount = pageUp(newLen);
  for (let i = 0; i < oldCount; i++) if (!m.as.isMapped(old + i)) fail(EFAULT);
  const tailProt = m.as.protOf(old + oldCount - 1);

  const moveTo = (dest: number): number => {
    const keep = Math.min(oldCount, newCount);
    if (newCount > oldCount) {
      const extra = newCount - oldCount;
      let fresh = extra;
      for (let i = 0; i < keep; i++) if (!m.as.isMapped(dest + i)) fresh++;
      if (fresh > TOTAL_FRAMES - m.as.framesInUse) fail(ENOMEM);
    }
    m.as.movePages(old, dest, keep);
    ranges(m).remove(old, old + keep);
    ranges(m).add(dest, dest + keep);
    if (newCount > oldCount) mapZeroed(m, dest + oldCount, newCount - oldCount, tailProt);
    if (oldCount > keep) unmap(m, old + keep, oldCount - keep);
    if (flags & MREMAP_DONTUNMAP) mapZeroed(m, old, keep, tailProt);
    return dest * PAGE_SIZE;
  };

  if (flags & MREMAP_FIXED) {
    if (!aligned(newAddr) || newAddr < MMAP_MIN_ADDR) fail(EINVAL);
    const dest = newAddr / PAGE_SIZE;
    if (dest + newCount > TOP_VPN) fail(EINVAL);
    if (dest < old + oldCount && old < dest + newCount) fail(EINVAL);
    unmap(m, dest, newCount);
    return moveTo(dest);
  }
  if (newCount <= oldCount && !(flags & MREMAP_DONTUNMAP)) {
    unmap(m, old + newCount, oldCount - newCount);
    return oldAddr;
  }
  if (!(flags & MREMAP_DONTUNMAP) && old + newCount <= TOP_VPN && rangeFree(m, old + oldCount, newCount - oldCount)) {
    mapZeroed(m, old + oldCount, newCount - oldCount, tailProt);
    return oldAddr;
  }
  if (!(flags & MREMAP_MAYMOVE)) fail(ENOMEM);
  const dest = findFree(m, newCount);
  if (dest < 0) fail(ENOMEM);
  return moveTo(dest);
}

const KNOWN_ADVICE = new Set([0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 100, 101]);

export function sysMadvise(m: Machine): number {
  const addr = argU(m, 0);
  const len = argU(m, 1);
  const advice = argI(m, 2);
  if (!aligned(addr) || !KNOWN_ADVICE.has(advice)) fail(EINVAL);
  if (len === 0) return 0;
  const vpn = addr / PAGE_SIZE;
  const count = pageUp(len);
  if (addr + len > USER_TOP) fail(EINVAL);
  const runs = mappedRuns(m, vpn, count);
  if (advice === MADV_DONTNEED || advice === MADV_REMOVE) {
    // Dropping private pages: the next touch sees zeroes (we don't re-read file pages).
    for (const [s, e] of runs) for (let p = s; p < e; p++) m.as.mapPages(p, 1, m.as.protOf(p));
  }
  if (runs.reduce((a, [s, e]) => a + e - s, 0) !== count) fail(ENOMEM);
  return 0;
}

/** msync, mlock, munlock, mlock2: succeed on mapped ranges. */
export function sysMappedRangeNoop(m: Machine): number {
  const addr = argU(m, 0);
  const len = argU(m, 1);
  const start = Math.floor(addr / PAGE_SIZE);
  const end = pageUp(addr + len);
  if (end - start > TOTAL_FRAMES) fail(ENOMEM);
  for (let p = start; p < end; p++) if (!m.as.isMapped(p)) fail(ENOMEM);
  return 0;
}

export function sysMsync(m: Machine): number {
  if (!aligned(argU(m, 0))) fail(EINVAL);
  const flags = argI(m, 2);
  if (flags & ~7 || (flags & 1 && flags & 4)) fail(EINVAL);
  return sysMappedRangeNoop(m);
}

export function sysMincore(m: Machine): number {
  const addr = argU(m, 0);
  const len = argU(m, 1);
  const vec = argU(m, 2);
  if (!aligned(addr)) fail(EINVAL);
  const count = pageUp(len);
  if (count > TOTAL_FRAMES) fail(ENOMEM);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    if (!m.as.isMapped(addr / PAGE_SIZE + i)) fail(ENOMEM);
    out[i] = 1;
  }
  if (count > 0) m.as.write(vec, out);
  return 0;
}
