//! The guest address space: the shared WebAssembly.Memory, host frames, the page table
//! with R/W/X permissions, and the software TLB (layout in `layout/layout.ts`) that the
//! interpreter probes inline and translated code will too. Everything that misses the TLB
//! lands in `translate`, the slow path: it checks permissions, fills the entry, or faults.

import {
  FLAT_BASE, FLAT_LIMIT, FRAMES_BASE, MEMORY_BYTES, PAGE_SHIFT, PAGE_SIZE, PERM_OFF, TLB_ADDEND, TLB_ENTRIES,
  TLB_ENTRY_BYTES, TLB_EXEC, TLB_OFF, TLB_READ, TLB_WRITE, WASM_PAGES,
} from '../layout/layout.js';

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

export const enum Access { Read = 1, Write = 2, Exec = 4 }

/** A guest memory access that Linux would answer with SIGSEGV (or SIGBUS). */
export class GuestFault extends Error {
  constructor(
    readonly addr: bigint,
    readonly access: Access,
    /** SEGV_MAPERR (1): nothing mapped there; SEGV_ACCERR (2): mapped, but not for this access. */
    readonly code: 1 | 2,
  ) {
    super(`guest fault at 0x${addr.toString(16)}`);
  }
}

/** Views of the whole shared memory; the memory never grows, so they never go stale. */
export interface MemViews {
  u8: Uint8Array;
  i8: Int8Array;
  u16: Uint16Array;
  i16: Int16Array;
  i32: Int32Array;
  u32: Uint32Array;
  f32: Float32Array;
  f64: Float64Array;
  dv: DataView;
}

export function makeViews(buffer: ArrayBufferLike): MemViews {
  return {
    u8: new Uint8Array(buffer), i8: new Int8Array(buffer), u16: new Uint16Array(buffer),
    i16: new Int16Array(buffer), i32: new Int32Array(buffer), u32: new Uint32Array(buffer),
    f32: new Float32Array(buffer), f64: new Float64Array(buffer), dv: new DataView(buffer),
  };
}

const TWO32 = 4294967296;
const PTE_PROT_MASK = 7;
/** Page-table entry: host frame address (page aligned) | prot bits. */
type Pte = number;

export class AddressSpace {
  readonly memory: WebAssembly.Memory;
  readonly v: MemViews;
  /** Page table: virtual page number -> host frame | prot. */
  private readonly pages = new Map<number, Pte>();
  private readonly freeFrames: number[] = [];
  private nextFrame = FRAMES_BASE;
  /** Pages holding code that some tier has decoded; writes to them go through the slow path. */
  private readonly codePages = new Set<number>();
  /** Called with a virtual page number when code on it must be forgotten. */
  onCodeWrite: (vpn: number) => void = () => {};
  /** TLB statistics for --stats. */
  tlbMisses = 0;

  /**
   * `flat` (for --mmu flat): every guest page sits at host FLAT_BASE + vaddr, guest space
   * ends at FLAT_LIMIT, and the permission byte map at PERM_OFF mirrors the page table.
   */
  constructor(memory?: WebAssembly.Memory, readonly flat = false) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: WASM_PAGES, maximum: WASM_PAGES, shared: true });
    this.v = makeViews(this.memory.buffer);
    this.flushTlb();
  }

  get framesInUse(): number {
    return this.pages.size;
  }

  // ---- page table ----

  isMapped(vpn: number): boolean {
    return this.pages.has(vpn);
  }

  protOf(vpn: number): number {
    const pte = this.pages.get(vpn);
    return pte === undefined ? -1 : pte & PTE_PROT_MASK;
  }

  /** Host address of a mapped page's frame, or -1. */
  frameOf(vpn: number): number {
    const pte = this.pages.get(vpn);
    return pte === undefined ? -1 : pte - (pte & PTE_PROT_MASK);
  }

  private allocFrame(vpn: number): number {
    if (this.flat) {
      const frame = FLAT_BASE + vpn * PAGE_SIZE;
      if (vpn * PAGE_SIZE >= FLAT_LIMIT) throw new OutOfMemory();
      this.v.u8.fill(0, frame, frame + PAGE_SIZE);
      return frame;
    }
    let frame = this.freeFrames.pop();
    if (frame === undefined) {
      if (this.nextFrame + PAGE_SIZE > MEMORY_BYTES) throw new OutOfMemory();
      frame = this.nextFrame;
      this.nextFrame += PAGE_SIZE;
    } else {
      this.v.u8.fill(0, frame, frame + PAGE_SIZE);
    }
    return frame;
  }

  /** Maps `count` zeroed pages from `vpn` with `prot`, replacing what was there. */
  mapPages(vpn: number, count: number, prot: number): void {
    for (let i = 0; i < count; i++) {
      const p = vpn + i;
      const old = this.pages.get(p);
      let frame: number;
      if (old !== undefined) {
        frame = old - (old & PTE_PROT_MASK);
        this.v.u8.fill(0, frame, frame + PAGE_SIZE);
        this.forgetCode(p);
      } else {
        frame = this.allocFrame(p);
      }
      this.pages.set(p, frame + prot); // not `|`: frames above 2 GiB would turn negative
      this.invalidateTlbPage(p);
    }
  }

  /** --mmu flat: the permission byte of page `vpn`, as translated code checks it. */
  private updatePerm(vpn: number): void {
    if (!this.flat || vpn * PAGE_SIZE >= FLAT_LIMIT) return;
    const pte = this.pages.get(vpn);
    const prot = pte === undefined ? 0 : pte & PTE_PROT_MASK;
    this.v.u8[PERM_OFF + vpn] = this.codePages.has(vpn) ? prot & ~PROT_WRITE : prot;
  }

  unmapPages(vpn: number, count: number): void {
    for (let i = 0; i < count; i++) {
      const p = vpn + i;
      const pte = this.pages.get(p);
      if (pte === undefined) continue;
      this.forgetCode(p);
      this.pages.delete(p);
      if (!this.flat) this.freeFrames.push(pte - (pte & PTE_PROT_MASK));
      this.invalidateTlbPage(p);
    }
  }

  /** Changes protection of mapped pages; returns false if any page in the range is unmapped. */
  protectPages(vpn: number, count: number, prot: number): boolean {
    for (let i = 0; i < count; i++) if (!this.pages.has(vpn + i)) return false;
    for (let i = 0; i < count; i++) {
      const p = vpn + i;
      const pte = this.pages.get(p)!;
      this.pages.set(p, pte - (pte & PTE_PROT_MASK) + prot);
      this.invalidateTlbPage(p);
    }
    return true;
  }

  /** Moves the frames of `count` pages from `from` to `to` (mremap); both ranges page aligned. */
  movePages(from: number, to: number, count: number): void {
    if (this.flat) {
      // Frames are fixed by address: copy the bytes instead of moving frames.
      for (let i = 0; i < count; i++) {
        const prot = this.protOf(from + i);
        if (prot < 0) continue;
        this.mapPages(to + i, 1, prot);
        const src = this.frameOf(from + i), dst = this.frameOf(to + i);
        this.v.u8.copyWithin(dst, src, src + PAGE_SIZE);
        this.unmapPages(from + i, 1);
      }
      return;
    }
    const moved: [number, Pte][] = [];
    for (let i = 0; i < count; i++) {
      const pte = this.pages.get(from + i);
      if (pte === undefined) continue;
      this.forgetCode(from + i);
      this.pages.delete(from + i);
      this.invalidateTlbPage(from + i);
      moved.push([to + i, pte]);
    }
    for (const [p, pte] of moved) {
      this.unmapPages(p, 1);
      this.pages.set(p, pte);
      this.invalidateTlbPage(p);
    }
  }

  /** True if no page in [vpn, vpn+count) is mapped. */
  isFree(vpn: number, count: number): boolean {
    for (let i = 0; i < count; i++) if (this.pages.has(vpn + i)) return false;
    return true;
  }

  /** Lowest mapped vpn >= `vpn` (or Infinity); used when searching for free ranges. */
  mappedPageNumbers(): IterableIterator<number> {
    return this.pages.keys();
  }

  // ---- code tracking (self-modifying code) ----

  markCode(vpn: number): void {
    if (this.codePages.has(vpn)) return;
    this.codePages.add(vpn);
    this.updatePerm(vpn);
    // Stores to this page must take the slow path so that they invalidate the code.
    const e = this.tlbEntry(vpn);
    const v = this.v.i32;
    v[(e + TLB_WRITE) >> 2] = -1;
    v[(e + TLB_WRITE + 4) >> 2] = -1;
  }

  isCode(vpn: number): boolean {
    return this.codePages.has(vpn);
  }

  private forgetCode(vpn: number): void {
    if (!this.codePages.delete(vpn)) return;
    this.updatePerm(vpn);
    this.onCodeWrite(vpn);
  }

  // ---- TLB ----

  private tlbEntry(vpn: number): number {
    return TLB_OFF + (vpn & (TLB_ENTRIES - 1)) * TLB_ENTRY_BYTES;
  }

  flushTlb(): void {
    this.v.i32.fill(-1, TLB_OFF >> 2, (TLB_OFF + TLB_ENTRIES * TLB_ENTRY_BYTES) >> 2);
  }

  private invalidateTlbPage(vpn: number): void {
    this.updatePerm(vpn);
    const e = this.tlbEntry(vpn) >> 2;
    const v = this.v.i32;
    for (let i = 0; i < 6; i++) v[e + i] = -1;
  }

  /**
   * The slow path: translates a `size`-byte access at vaddr (lo/hi words) to a host address,
   * filling the TLB entry of its page. Returns -1 for a misaligned access that crosses a page
   * (the caller then goes byte by byte). Throws GuestFault when Linux would send SIGSEGV.
   */
  translate(lo: number, hi: number, size: number, access: Access): number {
    const vpn = (hi >>> 0) * 1048576 + (lo >>> PAGE_SHIFT);
    const off = lo & (PAGE_SIZE - 1);
    if (off + size > PAGE_SIZE) return -1;
    const pte = this.pages.get(vpn);
    if (pte === undefined) throw new GuestFault(toBig(lo, hi), access, 1);
    const prot = pte & PTE_PROT_MASK;
    if ((prot & access) === 0) throw new GuestFault(toBig(lo, hi), access, 2);
    if (access === Access.Write && this.codePages.has(vpn)) this.forgetCode(vpn);
    this.tlbMisses++;
    const frame = pte - prot;
    this.fillTlb(vpn, lo, hi, frame, prot);
    return frame + off;
  }

  private fillTlb(vpn: number, lo: number, hi: number, frame: number, prot: number): void {
    const e = this.tlbEntry(vpn) >> 2;
    const v = this.v.i32;
    const tagLo = lo & ~(PAGE_SIZE - 1);
    const isCode = this.codePages.has(vpn);
    v[e + (TLB_READ >> 2)] = prot & PROT_READ ? tagLo : -1;
    v[e + (TLB_READ >> 2) + 1] = prot & PROT_READ ? hi : -1;
    v[e + (TLB_WRITE >> 2)] = prot & PROT_WRITE && !isCode ? tagLo : -1;
    v[e + (TLB_WRITE >> 2) + 1] = prot & PROT_WRITE && !isCode ? hi : -1;
    v[e + (TLB_EXEC >> 2)] = prot & PROT_EXEC ? tagLo : -1;
    v[e + (TLB_EXEC >> 2) + 1] = prot & PROT_EXEC ? hi : -1;
    // addend = frame - page vaddr (mod 2^64), so that host = vaddr + addend.
    const addLo = (frame - tagLo) | 0;
    const borrow = (frame >>> 0) < (tagLo >>> 0) ? 1 : 0;
    v[e + (TLB_ADDEND >> 2)] = addLo;
    v[e + (TLB_ADDEND >> 2) + 1] = (0 - hi - borrow) | 0;
  }

  // ---- bulk access for syscalls and the loader (numbers are guest addresses < 2^53) ----

  /** Host address of `vaddr` for an access of `access` kind, page by page. */
  private hostOf(vaddr: number, access: Access, force: boolean): number {
    const vpn = Math.floor(vaddr / PAGE_SIZE);
    const pte = this.pages.get(vpn);
    if (pte === undefined) throw new GuestFault(BigInt(vaddr), access, 1);
    const prot = pte & PTE_PROT_MASK;
    if (!force && (prot & access) === 0) throw new GuestFault(BigInt(vaddr), access, 2);
    if (access === Access.Write && this.codePages.has(vpn)) this.forgetCode(vpn);
    return pte - prot + (vaddr % PAGE_SIZE);
  }

  /** Copies guest bytes out; throws GuestFault if any page is not readable. */
  read(vaddr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const a = vaddr + done;
      const n = Math.min(len - done, PAGE_SIZE - (a % PAGE_SIZE));
      const h = this.hostOf(a, Access.Read, false);
      out.set(this.v.u8.subarray(h, h + n), done);
      done += n;
    }
    return out;
  }

  /** Copies bytes into the guest; `force` ignores protection (loader, file-backed mmap). */
  write(vaddr: number, data: Uint8Array, force = false): void {
    let done = 0;
    while (done < data.length) {
      const a = vaddr + done;
      const n = Math.min(data.length - done, PAGE_SIZE - (a % PAGE_SIZE));
      const h = this.hostOf(a, Access.Write, force);
      this.v.u8.set(data.subarray(done, done + n), h);
      done += n;
    }
  }

  /** Reads a NUL-terminated string (at most `max` bytes). */
  readCString(vaddr: number, max = 1 << 16): string {
    const bytes: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.v.u8[this.hostOf(vaddr + i, Access.Read, false)];
      if (b === 0) return Buffer.from(bytes).toString('utf8');
      bytes.push(b);
    }
    throw new GuestFault(BigInt(vaddr + max), Access.Read, 1);
  }

  readU64(vaddr: number): bigint {
    return Buffer.from(this.read(vaddr, 8)).readBigUInt64LE(0);
  }

  writeU64(vaddr: number, value: bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, value));
    this.write(vaddr, b);
  }

  writeU32(vaddr: number, value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    this.write(vaddr, b);
  }
}

export class OutOfMemory extends Error {
  constructor() {
    super('out of host memory for guest pages');
  }
}

export function toBig(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function toNumber(lo: number, hi: number): number {
  return (hi >>> 0) * TWO32 + (lo >>> 0);
}
