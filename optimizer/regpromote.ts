//! Register promotion: guest registers (x1..x31, f0..f31, fflags, frm) become SSA values
//! across the whole region. A read gets the value the register holds there: the last
//! write or read before it in its block, else the value at the end of each predecessor,
//! joined in a new block parameter where they differ (SSA construction after Braun et
//! al., "Simple and Efficient Construction of Static Single Assignment Form", CC 2013);
//! a register the region reaches unchanged is read once, at the top of the entry block.
//! Then a write that a later write of the same register overwrites in the same block,
//! with nothing between that can observe it, goes.
//!
//!   block1:                              block1:
//!     v0 = getreg x2                       v0 = getreg x2
//!     v1 = loadg.i64 v0, ... @0x1000       v1 = loadg.i64 v0, ... @0x1000
//!     setreg x10, v1                        setreg x10, v1
//!     br block2                    =>      br block2(v1)      ; (or no parameter at all
//!   block2:                              block2(v5:i64):     ;  if block2 has one pred)
//!     v2 = getreg x10                      v3 = add.i64 v5, v0
//!     v4 = getreg x2                       setreg x10, v3
//!     v3 = add.i64 v2, v4
//!     setreg x10, v3
//!
//! Why this is sound. Every write to guest state stays where it was (only a write that
//! the same block overwrites before any observer goes), so the state is exact wherever it
//! can be observed: at trapping ops, helper calls, region exits, and at the end of every
//! block (the invariant of `pass.ts`: a back-edge may leave the region at a block start).
//! A read is replaced by the value last written or read, which is what it would read,
//! as long as nothing else wrote the register between: only `call` does (helpers may
//! write any register), so knowledge ends at a call and a read after one stays a read
//! (inserted before a block's terminator when a successor needs the value after a call).
//! Observers of the state for dead-write removal: any op that may trap, calls,
//! terminators, and reads of the register.

import { buildCfg } from '../ir/cfg.js';
import type { Block, BlockId, Inst, Region, Value } from '../ir/function.js';
import { blockMap, terminatorOf } from '../ir/function.js';
import type { Csr } from '../ir/immediates.js';
import { OPCODES } from '../ir/opcodes.js';
import type { Type } from '../ir/types.js';
import type { Pass } from './pass.js';
import { Forwarding, freshValue, removeTrivialParams } from './rewrite.js';

export const regpromote: Pass = {
  name: 'regpromote',
  summary: 'register promotion: guest register reads become SSA values, overwritten writes go',
  run: (region) => new Promoter(region).run(),
};

/** A promotable piece of guest state: x1..x31 as 1..31, fN as 32+N, fflags, frm. */
type Var = number;
const F_BASE = 32;
const FFLAGS = 64;
const FRM = 65;
/** The bits a CSR keeps of what `setcsr` writes (the backend and interpreter mask). */
const CSR_MASK: Readonly<Record<Csr, bigint>> = { fflags: 0x1fn, frm: 7n };

function stateVar(inst: Inst): Var | undefined {
  switch (inst.op) {
    case 'getreg': case 'setreg': return inst.reg!;
    case 'getfreg': case 'setfreg': return F_BASE + inst.reg!;
    case 'getcsr': case 'setcsr': return inst.csr === 'fflags' ? FFLAGS : FRM;
    default: return undefined;
  }
}

const isRead = (inst: Inst): boolean => inst.op === 'getreg' || inst.op === 'getfreg' || inst.op === 'getcsr';
const isWrite = (inst: Inst): boolean => inst.op === 'setreg' || inst.op === 'setfreg' || inst.op === 'setcsr';
const varType = (v: Var): Type => (v >= FFLAGS ? 'i32' : 'i64');
const varCsr = (v: Var): Csr => (v === FFLAGS ? 'fflags' : 'frm');

/** What one block leaves behind, seen from its successors. */
interface BlockState {
  /** Value of each register at the block's end, where the block knows it. */
  out: Map<Var, Value>;
  /** The block calls a helper: registers it does not know at its end changed. */
  clobbered: boolean;
  /** Registers an op other than a write or a call changed (fexact accrues fflags). */
  clobberedVars: Set<Var>;
  /** Reads of registers the block neither wrote nor had a call before: they read the
   * value at the block's start. */
  exposed: Map<Var, Inst>;
}

class Promoter {
  private readonly fwd = new Forwarding();
  private readonly blocks: Map<BlockId, Block>;
  private readonly states = new Map<BlockId, BlockState>();
  private readonly atEntry = new Map<string, Value>();
  private readonly afterCall = new Map<string, Value>();
  private nextValue: number;
  private preds: ReadonlyMap<BlockId, readonly BlockId[]> = new Map();
  private reachable: ReadonlySet<BlockId> = new Set();

  constructor(private readonly region: Region) {
    this.blocks = blockMap(region);
    this.nextValue = freshValue(region);
  }

  run(): void {
    const read = new Set<Var>();
    for (const b of this.region.blocks) for (const i of b.insts) if (isRead(i)) read.add(stateVar(i)!);
    for (const b of this.region.blocks) this.states.set(b.id, this.forwardInBlock(b, read));

    const cfg = buildCfg(this.region);
    this.preds = cfg.preds;
    this.reachable = new Set(cfg.rpo);
    const entry = this.region.blocks[0];
    const removed = new Set<Inst>();
    for (const id of cfg.rpo) {
      if (id === entry.id) continue; // its reads at the start are the region's entry values
      for (const [v, inst] of this.states.get(id)!.exposed) {
        this.fwd.set(inst.result!, this.valueAtStart(id, v));
        removed.add(inst);
      }
    }
    if (removed.size > 0) for (const b of this.region.blocks) b.insts = b.insts.filter((i) => !removed.has(i));
    this.fwd.apply(this.region);
    removeTrivialParams(this.region, this.fwd);
    for (const b of this.region.blocks) removeOverwrittenWrites(b);
  }

  /** Forwards reads inside the block; returns what its successors need to know. */
  private forwardInBlock(block: Block, read: ReadonlySet<Var>): BlockState {
    const state: BlockState = { out: new Map(), clobbered: false, clobberedVars: new Set(), exposed: new Map() };
    const out: Inst[] = [];
    for (const inst of block.insts) {
      const v = stateVar(inst);
      if (v !== undefined && read.has(v) && isRead(inst)) {
        const known = state.out.get(v);
        if (known !== undefined) {
          this.fwd.set(inst.result!, known);
          continue;
        }
        state.out.set(v, inst.result!);
        if (!state.clobbered && !state.clobberedVars.has(v)) state.exposed.set(v, inst);
      } else if (v !== undefined && read.has(v) && isWrite(inst)) {
        out.push(inst);
        state.out.set(v, inst.op === 'setcsr' ? this.masked(inst, out) : inst.args[0]);
        continue;
      } else if (inst.op === 'call' || (OPCODES[inst.op].writes.includes('state') && !isWrite(inst) && inst.op !== 'fexact')) {
        state.out.clear();
        state.clobbered = true;
      } else if (inst.op === 'fexact') {
        // Accrues its exception flags into fflags (and touches nothing else it could change).
        state.out.delete(FFLAGS);
        state.clobberedVars.add(FFLAGS);
      }
      out.push(inst);
    }
    block.insts = out;
    return state;
  }

  /** What a `getcsr` reads after `setcsr`: the written value, masked (appended to `out`). */
  private masked(set: Inst, out: Inst[]): Value {
    const mask = this.nextValue++;
    const result = this.nextValue++;
    out.push({ op: 'iconst', result: mask, type: 'i32', args: [], imm: CSR_MASK[set.csr!] });
    out.push({ op: 'and', result, type: 'i32', args: [set.args[0], mask] });
    return result;
  }

  /** The value of v at the end of a block. */
  private valueAtEnd(id: BlockId, v: Var): Value {
    const state = this.states.get(id)!;
    const known = state.out.get(v);
    if (known !== undefined) return known;
    if (state.clobbered || state.clobberedVars.has(v) || !this.reachable.has(id)) return this.readBeforeTerminator(id, v);
    return this.valueAtStart(id, v);
  }

  /** The value of v at the start of a reachable block (Braun et al.'s readVariableRecursive). */
  private valueAtStart(id: BlockId, v: Var): Value {
    const key = `${id}:${v}`;
    const memo = this.atEntry.get(key);
    if (memo !== undefined) return memo;
    const preds = this.preds.get(id) ?? [];
    let value: Value;
    if (id === this.region.blocks[0].id) {
      value = this.nextValue++;
      this.blocks.get(id)!.insts.unshift(this.readInst(v, value));
    } else if (preds.length === 1) {
      value = this.valueAtEnd(preds[0], v);
    } else {
      // A join: a new parameter, recorded before its arguments are looked up, since
      // around a loop they lead back here.
      value = this.nextValue++;
      this.blocks.get(id)!.params.push({ value, type: varType(v) });
      this.atEntry.set(key, value);
      for (const p of preds) {
        const arg = this.valueAtEnd(p, v);
        for (const call of terminatorOf(this.blocks.get(p)!)?.targets ?? []) if (call.block === id) call.args.push(arg);
      }
    }
    this.atEntry.set(key, value);
    return value;
  }

  /** A read of v just before the block's terminator (after its last helper call). */
  private readBeforeTerminator(id: BlockId, v: Var): Value {
    const key = `${id}:${v}`;
    let value = this.afterCall.get(key);
    if (value === undefined) {
      value = this.nextValue++;
      const insts = this.blocks.get(id)!.insts;
      insts.splice(insts.length - 1, 0, this.readInst(v, value));
      this.afterCall.set(key, value);
      this.states.get(id)!.out.set(v, value);
    }
    return value;
  }

  private readInst(v: Var, result: Value): Inst {
    if (v >= FFLAGS) return { op: 'getcsr', result, type: 'i32', args: [], csr: varCsr(v) };
    if (v >= F_BASE) return { op: 'getfreg', result, type: 'i64', args: [], reg: v - F_BASE };
    return { op: 'getreg', result, type: 'i64', args: [], reg: v };
  }
}

/** Drops each state write that a later write of the same register in the block replaces
 * before anything observes it (a read of it, a trapping op, a call, the block's end). */
function removeOverwrittenWrites(block: Block): void {
  const overwritten = new Set<Var>();
  const dead = new Set<Inst>();
  for (let i = block.insts.length - 1; i >= 0; i--) {
    const inst = block.insts[i];
    const info = OPCODES[inst.op];
    if (info.mayTrap || info.terminator || inst.op === 'call') {
      overwritten.clear();
      continue;
    }
    const v = stateVar(inst);
    if (v === undefined) continue;
    if (isRead(inst)) overwritten.delete(v);
    else if (overwritten.has(v)) dead.add(inst);
    else overwritten.add(v);
  }
  if (dead.size > 0) block.insts = block.insts.filter((i) => !dead.has(i));
}
