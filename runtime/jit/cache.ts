//! The code cache of the JIT: guest pc -> compiled region, and the shared funcref table
//! through which regions chain. Every pc that is ever a region entry or a direct exit
//! target owns one table slot for the whole run; the slot holds the dispatcher stub until
//! the region at that pc is installed, and again once it is invalidated (its code page was
//! written) or evicted (the cache grew past its bounds: then everything goes, QEMU-style).
//! Resetting slots, never renumbering them, is what keeps chained callers correct.
//!
//! A compile worker cannot ask this cache for slots while it emits, so each of its jobs
//! takes a handful of spare slots along (`reserveSlots`) and numbers its region's exits
//! from them. Those become extra slots of their target pcs (`adoptExitSlots`): they hold
//! what the pc's own slot holds, for as long as the region that jumps through them is
//! installed, and then return to the spares.

import { DISPATCH_SLOT, JMP_CACHE_END, JMP_CACHE_ENTRIES, JMP_CACHE_ENTRY_BYTES, JMP_CACHE_OFF, PAGE_SIZE } from '../../layout/layout.js';
import type { AddressSpace } from '../memory.js';

export interface CompiledRegion {
  pc: number;
  slot: number;
  /** The region's exported function. */
  fn: () => void;
  /** Virtual pages of its guest code; a write to one invalidates it. */
  pages: number[];
  /** Size of its wasm binary. */
  bytes: number;
  guestInsts: number;
  /** Extra slots its exits jump through (`adoptExitSlots`), freed with it. */
  exitSlots?: readonly ExitSlot[];
}

/** A table slot a compiled region's exit to `pc` jumps through. */
export interface ExitSlot {
  pc: number;
  slot: number;
}

export interface CacheLimits {
  /** Most regions installed at once. */
  maxRegions: number;
  /** Most bytes of wasm binaries installed at once. */
  maxBytes: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxRegions: 16384, maxBytes: 64 << 20 };

/** A wasm module exporting `stub`, a () -> () function that returns at once. */
const STUB_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type: () -> ()
  0x03, 0x02, 0x01, 0x00, // func 0 of type 0
  0x07, 0x08, 0x01, 0x04, 0x73, 0x74, 0x75, 0x62, 0x00, 0x00, // export "stub"
  0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // body: no locals, end
]);

const TWO32 = 4294967296;

export class CodeCache {
  readonly table: WebAssembly.Table;
  /** The dispatcher stub: returning from it returns to the JS dispatch loop. */
  readonly stub: WebAssembly.ExportValue;
  private readonly slots = new Map<number, number>();
  /** pc -> extra slots that must hold what its own slot holds (see the file comment). */
  private readonly extraSlots = new Map<number, Set<number>>();
  /** Slots free for `reserveSlots`. */
  private readonly spareSlots: number[] = [];
  private readonly regions = new Map<number, CompiledRegion>();
  private readonly byPage = new Map<number, Set<CompiledRegion>>();
  private nextSlot = DISPATCH_SLOT + 1;
  private readonly i32: Int32Array;
  /** Installed wasm bytes. */
  bytes = 0;
  invalidated = 0;
  flushes = 0;
  /** Told of every region that leaves the cache (the tiered engine unlinks it). */
  onRemove: ((r: CompiledRegion) => void) | undefined;

  constructor(private readonly as: AddressSpace, readonly limits: CacheLimits = DEFAULT_CACHE_LIMITS) {
    this.stub = new WebAssembly.Instance(new WebAssembly.Module(STUB_MODULE)).exports.stub;
    this.table = new WebAssembly.Table({ initial: 1024, element: 'anyfunc' });
    for (let i = 0; i < this.table.length; i++) this.table.set(i, this.stub);
    this.i32 = as.v.i32;
    // Empty jump-cache entries hold pc -1, which no guest pc equals.
    this.i32.fill(-1, JMP_CACHE_OFF >> 2, JMP_CACHE_END >> 2);
  }

  get size(): number {
    return this.regions.size;
  }

  /** The table slot of pc, assigned on first request. */
  slotFor(pc: number): number {
    let slot = this.slots.get(pc);
    if (slot === undefined) {
      slot = this.newSlot();
      this.slots.set(pc, slot);
    }
    return slot;
  }

  private newSlot(): number {
    const slot = this.nextSlot++;
    if (slot >= this.table.length) this.table.grow(this.table.length, this.stub);
    return slot;
  }

  /** `n` slots for a compile job to number its exits from; each holds the stub until
   * adopted, and the job gives back what it did not use (`releaseSlots`). */
  reserveSlots(n: number): number[] {
    const out: number[] = [];
    while (out.length < n) out.push(this.spareSlots.pop() ?? this.newSlot());
    return out;
  }

  /** Frees slots that may have held a region (see `adoptExitSlots`): each gets the stub
   * back. */
  releaseSlots(slots: Iterable<number>): void {
    for (const slot of slots) {
      this.table.set(slot, this.stub);
      this.spareSlots.push(slot);
    }
  }

  /** Gives back reserved slots that were never adopted: they still hold the stub, so
   * their table entries are left alone (a job takes ~130 along and uses a few, and
   * `Table.set` from JavaScript costs about a microsecond). */
  returnUnusedSlots(slots: Iterable<number>): void {
    for (const slot of slots) this.spareSlots.push(slot);
  }

  /** Makes the reserved slots of a job's exits follow their target pcs: each holds the
   * region installed at its pc (or the stub) from now on, until `dropExitSlots`. */
  adoptExitSlots(exits: readonly ExitSlot[]): void {
    for (const { pc, slot } of exits) {
      let set = this.extraSlots.get(pc);
      if (set === undefined) this.extraSlots.set(pc, (set = new Set()));
      set.add(slot);
      this.table.set(slot, this.regions.get(pc)?.fn ?? this.stub);
    }
  }

  /** Frees the exit slots of a region that is no longer installed. */
  private dropExitSlots(exits: readonly ExitSlot[]): void {
    for (const { pc, slot } of exits) this.extraSlots.get(pc)?.delete(slot);
    this.releaseSlots(exits.map((e) => e.slot));
  }

  /** The entry pcs on pages `vpns` of the installed regions (found through the pages of
   * their code, which hold their entries too). */
  entriesOn(vpns: ReadonlySet<number>): Set<number> {
    const out = new Set<number>();
    for (const vpn of vpns) {
      for (const r of this.byPage.get(vpn) ?? []) if (vpns.has(Math.floor(r.pc / PAGE_SIZE))) out.add(r.pc);
    }
    return out;
  }

  lookup(pc: number): CompiledRegion | undefined {
    return this.regions.get(pc);
  }

  /** Whether installing `bytes` more would pass a bound (the caller then flushes). */
  full(bytes: number): boolean {
    return this.regions.size + 1 > this.limits.maxRegions || this.bytes + bytes > this.limits.maxBytes;
  }

  install(r: CompiledRegion): void {
    this.remove(this.regions.get(r.pc));
    this.regions.set(r.pc, r);
    this.bytes += r.bytes;
    this.table.set(r.slot, r.fn);
    for (const slot of this.extraSlots.get(r.pc) ?? []) this.table.set(slot, r.fn);
    for (const vpn of r.pages) {
      this.as.markCode(vpn);
      let set = this.byPage.get(vpn);
      if (set === undefined) this.byPage.set(vpn, (set = new Set()));
      set.add(r);
    }
  }

  /** Lets `exitind` to pc find its slot without the dispatcher. */
  noteIndirectTarget(pc: number, slot: number): void {
    const e = (JMP_CACHE_OFF + ((pc / 2) & (JMP_CACHE_ENTRIES - 1)) * JMP_CACHE_ENTRY_BYTES) >> 2;
    this.i32[e] = pc % TWO32 | 0;
    this.i32[e + 1] = Math.floor(pc / TWO32) | 0;
    this.i32[e + 2] = slot;
  }

  /** Drops every region with code on page vpn (the page was written or unmapped). */
  invalidatePage(vpn: number): void {
    const set = this.byPage.get(vpn);
    if (set === undefined) return;
    this.byPage.delete(vpn);
    for (const r of set) {
      if (this.regions.get(r.pc) === r) {
        this.remove(r);
        this.invalidated++;
      }
    }
  }

  /** Drops every region (eviction when full). */
  flush(): void {
    for (const r of [...this.regions.values()]) this.remove(r);
    this.byPage.clear();
    this.flushes++;
  }

  private remove(r: CompiledRegion | undefined): void {
    if (r === undefined || this.regions.get(r.pc) !== r) return;
    this.regions.delete(r.pc);
    this.bytes -= r.bytes;
    this.table.set(r.slot, this.stub);
    for (const slot of this.extraSlots.get(r.pc) ?? []) this.table.set(slot, this.stub);
    if (r.exitSlots !== undefined) this.dropExitSlots(r.exitSlots);
    for (const vpn of r.pages) this.byPage.get(vpn)?.delete(r);
    this.onRemove?.(r);
  }
}
