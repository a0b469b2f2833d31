//! Region discovery: from an entry pc, the guest CFG that one translation covers. It
//! follows direct conditional branches and plain jumps (`jal x0`) within limits, and
//! splits guest basic blocks at every branch target so that loops become IR loops.

import { expandCompressed } from './compressed.js';
import { decode, type Decoded } from './decode.js';
import { Op } from './opcodes.js';

/** One instruction at a pc: its 32-bit word (compressed forms already expanded) and its
 * length in bytes. `undefined` when the pc is not executable. */
export interface Fetched {
  inst: number;
  len: 2 | 4;
}

export type FetchFn = (pc: number) => Fetched | undefined;

/** A FetchFn over guest code read a halfword at a time (`undefined` where it is not
 * executable): compressed instructions expanded, a 32-bit one needing both halves. */
export function fetchHalfwords(half: (pc: number) => number | undefined): FetchFn {
  return (pc) => {
    if (pc % 2 !== 0) return undefined;
    const lo = half(pc);
    if (lo === undefined) return undefined;
    if ((lo & 3) !== 3) return { inst: expandCompressed(lo), len: 2 };
    const hi = half(pc + 2);
    if (hi === undefined) return undefined;
    return { inst: (lo | (hi << 16)) >>> 0, len: 4 };
  };
}

export interface RegionLimits {
  /** Most distinct guest instructions in one region. */
  maxInsts: number;
  /** Most guest basic blocks in one region. */
  maxBlocks: number;
}

export const DEFAULT_LIMITS: RegionLimits = { maxInsts: 256, maxBlocks: 64 };

export interface GuestInst {
  pc: number;
  len: 2 | 4;
  /** The 32-bit instruction word (expanded, for a compressed one). */
  inst: number;
  d: Decoded;
}

/** A guest basic block: a straight run of instructions entered only at `start`. */
export interface GuestBlock {
  start: number;
  insts: GuestInst[];
  /** The pc after the last instruction: where the block falls through to (a block of the
   * region, or an exit when the path ran out of budget or into unfetchable memory). */
  next: number;
  /** Start pcs of the blocks of this region it can continue to, in order, no repeats. */
  succs: number[];
}

export interface GuestCfg {
  entry: number;
  /** The entry block first, then the others by start pc. */
  blocks: GuestBlock[];
}

export class RegionError extends Error {
  override name = 'RegionError';
}

export const isCondBranch = (op: Op): boolean => op >= Op.beq && op <= Op.bgeu;

/** Instructions after which a path cannot go on inside the region: control transfers
 * the region does not follow (calls, indirect jumps), traps, and `fence.i`. */
export function endsPath(d: Decoded): boolean {
  switch (d.op) {
    case Op.jal: return d.rd !== 0;
    case Op.jalr: case Op.ecall: case Op.ebreak: case Op.fence_i: case Op.illegal: return true;
    default: return false;
  }
}

/** Ends a guest basic block: anything that is not a plain fall-through. */
export function endsBlock(d: Decoded): boolean {
  return isCondBranch(d.op) || d.op === Op.jal || endsPath(d);
}

/** The direct targets of a block-ending instruction that the region may follow. */
function directSuccessors(gi: GuestInst): number[] {
  const { d, pc, len } = gi;
  if (isCondBranch(d.op)) return [pc + d.imm, pc + len];
  if (d.op === Op.jal && d.rd === 0) return [pc + d.imm];
  return [];
}

/** Says which pcs other than the entry a region must not contain: paths that reach one
 * leave the region there (see `discoverRegion`). */
export type StopFn = (pc: number) => boolean;

/** Discovers the region entered at `entryPc`. Throws a RegionError when the entry pc
 * itself cannot be fetched. Paths end where they reach a pc that `stopAt` names: the
 * entries of other regions, compiled or about to be, which would otherwise be translated
 * again inside this one (a loop entered both at its header and at the return point of a
 * call in its body would be compiled twice). */
export function discoverRegion(fetch: FetchFn, entryPc: number, limits: Partial<RegionLimits> = {}, stopAt?: StopFn): GuestCfg {
  const { maxInsts, maxBlocks } = { ...DEFAULT_LIMITS, ...limits };
  const fetched = new Map<number, Fetched | undefined>();
  const fetchOnce = (pc: number) => {
    if (!fetched.has(pc)) fetched.set(pc, fetch(pc));
    return fetched.get(pc);
  };
  if (fetchOnce(entryPc) === undefined) {
    throw new RegionError(`region discovery: the entry pc 0x${entryPc.toString(16)} is not executable`);
  }

  // Phase 1: explore paths breadth-first, collecting decoded instructions and leaders.
  const insts = new Map<number, GuestInst>();
  const leaders = new Set<number>([entryPc]);
  const work = [entryPc];
  const stops = (pc: number) => pc !== entryPc && stopAt !== undefined && stopAt(pc);
  const addLeader = (pc: number) => {
    if (leaders.has(pc) || leaders.size >= maxBlocks || stops(pc)) return;
    if (!insts.has(pc)) {
      if (insts.size >= maxInsts || fetchOnce(pc) === undefined) return;
      work.push(pc);
    }
    leaders.add(pc);
  };
  for (let w = 0; w < work.length; w++) {
    for (let pc = work[w]; !insts.has(pc) && insts.size < maxInsts;) {
      const f = fetchOnce(pc);
      if (f === undefined) break;
      const gi: GuestInst = { pc, len: f.len, inst: f.inst >>> 0, d: decode(f.inst >>> 0) };
      insts.set(pc, gi);
      if (endsBlock(gi.d)) {
        for (const t of directSuccessors(gi)) addLeader(t);
        break;
      }
      pc += f.len;
      // Falling through into another region's entry ends the path too.
      if (stops(pc)) break;
    }
  }
  // A leader queued but never reached (the instruction budget ran out) is not in the region.
  for (const pc of leaders) if (!insts.has(pc)) leaders.delete(pc);

  // Phase 2: one block per leader, running until the next leader or a block end.
  const blocks: GuestBlock[] = [];
  for (const start of leaders) {
    const block: GuestBlock = { start, insts: [], next: start, succs: [] };
    let pc = start;
    for (;;) {
      const gi = insts.get(pc);
      if (gi === undefined) break; // out of budget or unfetchable: the block exits to pc
      block.insts.push(gi);
      pc += gi.len;
      if (endsBlock(gi.d)) {
        for (const t of directSuccessors(gi)) if (leaders.has(t) && !block.succs.includes(t)) block.succs.push(t);
        break;
      }
      if (leaders.has(pc)) {
        block.succs.push(pc);
        break;
      }
    }
    block.next = pc;
    blocks.push(block);
  }
  blocks.sort((a, b) => (a.start === entryPc ? -1 : b.start === entryPc ? 1 : a.start - b.start));
  return { entry: entryPc, blocks };
}
