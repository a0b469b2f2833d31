//! The inlined software-TLB fast path, in this one place: every `loadg`, `storeg` and
//! `translate` probes the direct-mapped TLB of `layout/layout.ts` in wasm and calls the
//! runtime's slow path only on a miss.
//!
//!   entry = TLB_OFF + ((vaddr >> 12) & (TLB_ENTRIES - 1)) * TLB_ENTRY_BYTES
//!   hit   = tag[entry] == (vaddr & (~0xfff | (size - 1)))   ; also rejects misalignment
//!   host  = wrap(vaddr) + wrap(addend[entry])                ; the low word is enough
//!
//! A miss calls HELPER_LOAD / HELPER_STORE (which perform the whole access: misaligned,
//! page-crossing, TLB fill) or HELPER_TRANSLATE. On a guest fault the helper does not
//! throw: it records the fault, sets EXIT_REASON_OFF, and the code branches to the
//! function's one fault exit, which writes the registers back and returns to the
//! dispatcher. So no access site carries register write-back code of its own.

import {
  FLAT_BASE, GUEST_ACCESSES_OFF, HELPER_LOAD, HELPER_STORE, HELPER_TRANSLATE, PAGE_MASK, PAGE_SHIFT, PERM_OFF, TLB_ADDEND, TLB_ENTRIES,
  TLB_ENTRY_BYTES, TLB_EXEC, TLB_LOOKUPS_OFF, TLB_OFF, TLB_READ, TLB_WRITE,
} from '../layout/layout.js';
import type { Access } from '../ir/immediates.js';
import type { Type } from '../ir/types.js';
import { type Expr, i32, i64, type Module, none, type WasmType, wasmType } from './module.js';

/** What the fast path needs from the function being lowered. */
export interface AccessEnv {
  readonly m: Module;
  /** An i32 scratch local that holds the entry offset during one access. */
  readonly entryLocal: number;
  /** Branches to the fault exit if the slow path just reported a fault. */
  faultCheck(): Expr;
  /** --mmu flat instead of the TLB (see `flatProbe`). */
  readonly flat: boolean;
  /** Count each probe in TLB_LOOKUPS_OFF (--stats). */
  readonly countLookups: boolean;
  /** A scratch local of a type, for use inside one expression. */
  scratchLocal(type: WasmType): number;
  /** The internal name of an imported helper, declaring it on first use. */
  helper(name: string, params: readonly WasmType[], result: WasmType): string;
  /** A block label not used before in the function (Binaryen wants unique names). */
  freshLabel(prefix: string): string;
  /** The locals of a translation cache slot (see `cachedAccess`), which serves one access kind. */
  slotLocals(slot: number, access: Access): SlotLocals;
}

/** A translation cache slot: the page (i64; -1 when empty, which no access can match) and
 * the low word of the host addend (i32; TLB mode only) of the last translation through it. */
export interface SlotLocals {
  page: number;
  addend: number;
}

/** Access kinds as `AddressSpace.translate` numbers them (runtime/memory.ts `Access`). */
export const ACCESS_CODE: Readonly<Record<Access, number>> = { read: 1, write: 2, exec: 4 };
const TAG_OFFSET: Readonly<Record<Access, number>> = { read: TLB_READ, write: TLB_WRITE, exec: TLB_EXEC };

const ENTRY_SHIFT = PAGE_SHIFT - Math.log2(TLB_ENTRY_BYTES);
const ENTRY_MASK = (TLB_ENTRIES - 1) * TLB_ENTRY_BYTES;

/**
 * --mmu flat: guest memory sits at host FLAT_BASE + vaddr, so there is no translation,
 * only a check: the access is aligned (so it stays on one page), below 4 GiB, and the
 * page's byte in the permission map at PERM_OFF allows it (code pages lack write there,
 * so stores to them take the slow path and invalidate, as with the TLB).
 *   entryLocal = wrap(vaddr)
 *   hit  = hi(vaddr) == 0 & (lo & (size-1)) == 0 & (perm[lo >> 12] & access) != 0
 *   host = lo + FLAT_BASE
 */
function flatProbe(env: AccessEnv, vaddr: number, size: number, access: Access): [Expr, Expr] {
  const m = env.m;
  const lo = () => m.get(env.entryLocal, i32);
  const setLow = m.set(env.entryLocal, m.wrap(m.get(vaddr, i64)));
  const low4G = m.eqz('i64', m.shrU('i64', m.get(vaddr, i64), m.i64(32n)));
  const aligned = m.eqz('i32', m.and('i32', lo(), m.i32(size - 1)));
  const perm = m.load('i32', 1, false, m.shrU('i32', lo(), m.i32(PAGE_SHIFT)), PERM_OFF);
  const allowed = m.ne('i32', m.and('i32', perm, m.i32(ACCESS_CODE[access])), m.i32(0));
  return [setLow, m.and('i32', m.and('i32', low4G, aligned), allowed)];
}

/** Adds one to an i64 counter of the state block (--stats). */
function bump(m: Module, offset: number): Expr {
  return m.store('i64', 8, m.i32(0), m.add('i64', m.load('i64', 8, false, m.i32(0), offset), m.i64(1n)), offset);
}

/** One guest access made, counted in GUEST_ACCESSES_OFF under --stats. */
export function countAccess(env: AccessEnv): Expr[] {
  return env.countLookups ? [bump(env.m, GUEST_ACCESSES_OFF)] : [];
}

/** The probe of either MMU mode, counted in TLB_LOOKUPS_OFF under --stats. */
function probe(env: AccessEnv, vaddr: number, size: number, access: Access): [Expr, Expr] {
  const [setup, hit] = env.flat ? flatProbe(env, vaddr, size, access) : tlbProbe(env, vaddr, size, access);
  if (!env.countLookups) return [setup, hit];
  const m = env.m;
  return [m.block([bump(m, TLB_LOOKUPS_OFF), setup]), hit];
}

/** entryLocal = offset of the vaddr's entry from TLB_OFF; then the tag comparison. */
function tlbProbe(env: AccessEnv, vaddr: number, size: number, access: Access): [Expr, Expr] {
  const m = env.m;
  // (vaddr >> 12) & (N-1), scaled by the entry size, computed on the low word in one shift.
  const setEntry = m.set(env.entryLocal, m.and('i32', m.shrU('i32', m.wrap(m.get(vaddr, i64)), m.i32(ENTRY_SHIFT)), m.i32(ENTRY_MASK)));
  const tag = m.load('i64', 8, false, m.get(env.entryLocal, i32), TLB_OFF + TAG_OFFSET[access]);
  const want = m.and('i64', m.get(vaddr, i64), m.i64(BigInt(~PAGE_MASK | (size - 1))));
  return [setEntry, m.eq('i64', tag, want)];
}

/** Host address on a hit. */
function hostAddress(env: AccessEnv, vaddr: number): Expr {
  const m = env.m;
  if (env.flat) return m.add('i32', m.get(env.entryLocal, i32), m.i32(FLAT_BASE));
  return m.add('i32', m.wrap(m.get(vaddr, i64)), m.load('i32', 4, false, m.get(env.entryLocal, i32), TLB_OFF + TLB_ADDEND));
}

/** The slow path's zero-extended i64 as a value of type t, extended as the load asks. */
function fromSlowPath(m: Module, raw: Expr, t: Type, size: number, signed: boolean): Expr {
  switch (t) {
    case 'f64': return m.reinterpret('f64', raw);
    case 'f32': return m.reinterpret('f32', m.wrap(raw));
    case 'i64':
      if (!signed || size === 8) return raw;
      return size === 1 ? m.extend8S('i64', raw) : size === 2 ? m.extend16S('i64', raw) : m.extend32S(raw);
    case 'i32': {
      const low = m.wrap(raw);
      if (!signed || size === 4) return low;
      return size === 1 ? m.extend8S('i32', low) : m.extend16S('i32', low);
    }
  }
}

/** A value of type t as the i64 the store slow path takes. */
function toSlowPath(m: Module, value: Expr, t: Type): Expr {
  switch (t) {
    case 'i64': return value;
    case 'i32': return m.extendU(value);
    case 'f64': return m.reinterpret('i64', value);
    case 'f32': return m.extendU(m.reinterpret('i32', value));
  }
}

/** `loadg`: the loaded value (an expression of type t). `vaddr` is an i64 local. */
export function guestLoad(env: AccessEnv, vaddr: number, t: Type, size: number, signed: boolean, pc: number): Expr {
  const m = env.m;
  const [setEntry, hit] = probe(env, vaddr, size, 'read');
  const slow = loadSlowPath(env, vaddr, t, size, signed, pc);
  const miss = m.block([...slow.effects, slow.value], wasmType(t));
  return m.block([setEntry, m.if(hit, m.load(t, size, signed, hostAddress(env, vaddr)), miss)], wasmType(t));
}

/** A load's slow path: the helper call and fault check, then the loaded value. */
function loadSlowPath(env: AccessEnv, vaddr: number, t: Type, size: number, signed: boolean, pc: number): { effects: Expr[]; value: Expr } {
  const m = env.m;
  const load = env.helper(HELPER_LOAD, [i64, i32, i64], i64);
  const tmp = env.scratchLocal(i64);
  return {
    effects: [m.set(tmp, m.call(load, [m.get(vaddr, i64), m.i32(size), m.i64(BigInt(pc))], i64)), env.faultCheck()],
    value: fromSlowPath(m, m.get(tmp, i64), t, size, signed),
  };
}

/** A store's slow path: the helper call (which performs the whole access) and fault check. */
function storeSlowPath(env: AccessEnv, vaddr: number, value: () => Expr, t: Type, size: number, pc: number): Expr[] {
  const m = env.m;
  const store = env.helper(HELPER_STORE, [i64, i64, i32, i64], none);
  return [m.call(store, [m.get(vaddr, i64), toSlowPath(m, value(), t), m.i32(size), m.i64(BigInt(pc))], none), env.faultCheck()];
}

/** `storeg`: a statement. `vaddr` is an i64 local, `value` an expression of type t. */
export function guestStore(env: AccessEnv, vaddr: number, value: () => Expr, t: Type, size: number, pc: number): Expr {
  const m = env.m;
  const [setEntry, hit] = probe(env, vaddr, size, 'write');
  const miss = m.block(storeSlowPath(env, vaddr, value, t, size, pc));
  return m.block([setEntry, m.if(hit, m.store(t, size, hostAddress(env, vaddr), value()), miss)]);
}

/** `translate`: the host address (an i32 expression) of `size` bytes at the vaddr local. */
export function guestTranslate(env: AccessEnv, vaddr: number, size: number, access: Access, pc: number): Expr {
  const m = env.m;
  const [setEntry, hit] = probe(env, vaddr, size, access);
  const translate = env.helper(HELPER_TRANSLATE, [i64, i32, i32, i64], i32);
  const tmp = env.scratchLocal(i32);
  const miss = m.block([
    m.set(tmp, m.call(translate, [m.get(vaddr, i64), m.i32(size), m.i32(ACCESS_CODE[access]), m.i64(BigInt(pc))], i32)),
    env.faultCheck(),
    m.get(tmp, i32),
  ], i32);
  return m.block([setEntry, m.if(hit, hostAddress(env, vaddr), miss)], i32);
}

// ---- translation cache slots (loadgc, storegc, tlbfill) ----
//
// A slot holds the page and addend of the last translation made through it, in locals:
//   want = vaddr & (~0xfff | (size - 1))     ; as the TLB tag test, rejects misalignment
//   if want == page: host = wrap(vaddr) + addend  (flat: + FLAT_BASE)   -- no TLB access
//   else: the ordinary probe; a TLB hit refills the slot; a miss takes the slow path.
// A slot is only ever filled from a TLB (or permission map) hit for its access kind, so
// it is exactly as valid as that entry was; the mapping cannot change while the region
// runs (system calls leave it), and the slots are emptied after every helper call anyway.

/** `want` of an access, as an i64 expression. */
function wantTag(env: AccessEnv, vaddr: number, size: number): Expr {
  return env.m.and('i64', env.m.get(vaddr, i64), env.m.i64(BigInt(~PAGE_MASK | (size - 1))));
}

/** Host address through a filled slot (the caller has compared the page). */
function slotHost(env: AccessEnv, vaddr: number, s: SlotLocals): Expr {
  const m = env.m;
  return m.add('i32', m.wrap(m.get(vaddr, i64)), env.flat ? m.i32(FLAT_BASE) : m.get(s.addend, i32));
}

/** Fills the slot from the entry the probe just hit. */
function fillSlot(env: AccessEnv, vaddr: number, size: number, s: SlotLocals): Expr[] {
  const m = env.m;
  const fill = [m.set(s.page, wantTag(env, vaddr, size))];
  if (!env.flat) fill.push(m.set(s.addend, m.load('i32', 4, false, m.get(env.entryLocal, i32), TLB_OFF + TLB_ADDEND)));
  return fill;
}

/** An access through slot `slot`, the access itself emitted once:
 *   block done { block miss { block hit { br_if hit (want == page); probe; br_if miss (!tlb hit); fill }
 *                              access(wrap(vaddr) + addend); br done }
 *                miss }                                                                     */
function cachedAccess(env: AccessEnv, vaddr: number, size: number, kind: Access, slot: number,
  access: (host: Expr) => Expr, miss: Expr[]): Expr {
  const m = env.m;
  const s = env.slotLocals(slot, kind);
  const [setEntry, hit] = probe(env, vaddr, size, kind);
  const SLOT_HIT = env.freshLabel('slot_hit'), SLOT_MISS = env.freshLabel('slot_miss'), SLOT_DONE = env.freshLabel('slot_done');
  const lookup = m.block([
    m.brIf(SLOT_HIT, m.eq('i64', wantTag(env, vaddr, size), m.get(s.page, i64))),
    setEntry,
    m.brIf(SLOT_MISS, m.eqz('i32', hit)),
    ...fillSlot(env, vaddr, size, s),
  ], none, SLOT_HIT);
  return m.block([
    m.block([lookup, access(slotHost(env, vaddr, s)), m.br(SLOT_DONE)], none, SLOT_MISS),
    ...miss,
  ], none, SLOT_DONE);
}

/** `loadgc`: like `guestLoad`, through a slot. */
export function guestLoadCached(env: AccessEnv, vaddr: number, t: Type, size: number, signed: boolean, pc: number, slot: number): Expr {
  const m = env.m;
  const value = env.scratchLocal(wasmType(t));
  const slow = loadSlowPath(env, vaddr, t, size, signed, pc);
  const miss = [...slow.effects, m.set(value, slow.value)];
  const access = cachedAccess(env, vaddr, size, 'read', slot, (host) => m.set(value, m.load(t, size, signed, host)), miss);
  return m.block([access, m.get(value, wasmType(t))], wasmType(t));
}

/** `storegc`: like `guestStore`, through a slot. */
export function guestStoreCached(env: AccessEnv, vaddr: number, value: () => Expr, t: Type, size: number, pc: number, slot: number): Expr {
  const miss = storeSlowPath(env, vaddr, value, t, size, pc);
  return cachedAccess(env, vaddr, size, 'write', slot, (host) => env.m.store(t, size, host, value()), miss);
}

/** `tlbfill`: fills the slot if the probe for a byte at vaddr hits; nothing else. */
export function tlbFill(env: AccessEnv, vaddr: number, kind: Access, slot: number): Expr {
  const m = env.m;
  const s = env.slotLocals(slot, kind);
  const [setEntry, hit] = probe(env, vaddr, 1, kind);
  return m.block([setEntry, m.if(hit, m.block(fillSlot(env, vaddr, 1, s)))]);
}
