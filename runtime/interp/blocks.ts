//! Decoded basic blocks for the interpreter: straight-line runs of guest instructions,
//! decoded once and kept per start pc until a write to their page invalidates them.
//! Each instruction is 8 int32 slots (see the `S_*` offsets), operands pre-resolved to
//! indices into the Int32Array view of memory so that execution does no field extraction.
//! Blocks also carry the profile of the tiered engine: which blocks are region entries,
//! and a countdown to hotness (kept at 1 on a block whose pc has compiled code, so that
//! every entry hands over to it).

import { F_OFF, X0_SINK_OFF, X_OFF } from '../../layout/layout.js';
import { decodeInto, type Decoded } from '../../lifter/decode.js';
import { Op } from '../../lifter/opcodes.js';
import { fetchInstruction } from '../fetch.js';
import { AddressSpace } from '../memory.js';

export const STRIDE = 8;
/** Slot offsets of one decoded instruction. */
export const S_OP = 0, S_RD = 1, S_RS1 = 2, S_RS2 = 3, S_IMM = 4, S_RAW = 5, S_OFF = 6, S_LEN = 7;

const X32 = X_OFF >> 2;
const F32 = F_OFF >> 2;
const SINK32 = X0_SINK_OFF >> 2;

export interface Block {
  /** Guest pc of the first instruction. */
  pc: number;
  /** Number of instructions. */
  n: number;
  code: Int32Array;
  /** pc after the last instruction (where a block without a taken jump continues). */
  end: number;
  /** Virtual page numbers the block's bytes lie on. */
  pages: number[];
  /** Counts down on every entry; reaching 0 calls the hot hook (see `BlockCache.hot`). */
  heat: number;
  /** Entered where a translated region would start: after a call, return, indirect jump,
   * syscall or trap, or by a backward branch (a loop header). Only these get hot. */
  entry: boolean;
  /** The last instruction ends a region path (a call, jalr, ecall, ebreak, fence.i). */
  endsPath: boolean;
  /** False once a write to its code invalidated it. */
  valid: boolean;
  /** The last two successors, so that most block transitions skip the cache lookup. */
  succPc0: number;
  succ0: Block | undefined;
  succPc1: number;
  succ1: Block | undefined;
}

/** Ops after which a block ends: control transfers and anything that may change the code. */
function endsBlock(op: Op): boolean {
  return (op >= Op.jal && op <= Op.bgeu) || op === Op.ecall || op === Op.ebreak || op === Op.fence_i || op === Op.illegal;
}

/** Ops after which a translated region cannot go on (`endsPath` of lifter/region.ts). */
function endsRegionPath(d: Decoded): boolean {
  return (d.op === Op.jal && d.rd !== 0) || d.op === Op.jalr || d.op === Op.ecall || d.op === Op.ebreak ||
    d.op === Op.fence_i || d.op === Op.illegal;
}

/** A heat no block counts down to 0 in practice (and a Smi, unlike Infinity). */
export const NEVER_HOT = 1 << 30;

/** What the tiered engine hears of the interpreter's block cache. */
export interface HotHooks {
  /** Region-entry blocks start their countdown here. */
  threshold: number;
  /** A block was decoded (to link compiled code already installed at its pc). */
  built?(block: Block): void;
}

const isFpLoad = (op: Op) => op === Op.flw || op === Op.fld;
const isFpStore = (op: Op) => op === Op.fsw || op === Op.fsd;

export class BlockCache {
  private readonly blocks = new Map<number, Block>();
  private readonly byPage = new Map<number, Block[]>();
  private readonly scratch: Decoded = { op: Op.illegal, rd: 0, rs1: 0, rs2: 0, rs3: 0, rm: 0, imm: 0 };
  /** Most instructions in one block; 1 when tracing. */
  maxLength = 64;
  /** hooks: the tiered engine's; without them no block ever gets hot. */
  constructor(private readonly as: AddressSpace, private readonly hooks?: HotHooks) {
    as.onCodeWrite = (vpn) => this.invalidatePage(vpn);
  }

  get size(): number {
    return this.blocks.size;
  }

  get(pc: number): Block {
    return this.blocks.get(pc) ?? this.build(pc);
  }

  /** The decoded block at `pc`, if there is one (nothing is decoded). */
  peek(pc: number): Block | undefined {
    return this.blocks.get(pc);
  }

  /** The block at `pc` entered from nowhere the interpreter knows (start, trap, signal,
   * the tiered engine's dispatcher): a region entry. */
  enter(pc: number): Block {
    const b = this.get(pc);
    if (!b.entry) this.markEntry(b);
    return b;
  }

  /** The block at `pc` entered from `from`, through its successor cache. An edge is
   * classified once, when it enters the cache, so the usual path costs nothing. */
  next(from: Block, pc: number): Block {
    const s0 = from.succ0;
    if (from.succPc0 === pc && s0 !== undefined && s0.valid) return s0;
    const s1 = from.succ1;
    if (from.succPc1 === pc && s1 !== undefined && s1.valid) return s1;
    const b = this.get(pc);
    if (!b.entry && (from.endsPath || pc < from.end)) this.markEntry(b);
    from.succPc1 = from.succPc0;
    from.succ1 = from.succ0;
    from.succPc0 = pc;
    from.succ0 = b;
    return b;
  }

  /** A block found to be an entry starts its countdown from the threshold. Until now it
   * counted down from NEVER_HOT (every block counts, entry or not): a loop header first
   * reached by falling through is seen as an entry only when the loop branches back. */
  private markEntry(b: Block): void {
    b.entry = true;
    const hooks = this.hooks;
    if (hooks !== undefined && b.heat > hooks.threshold) b.heat = hooks.threshold;
  }

  invalidatePage(vpn: number): void {
    const list = this.byPage.get(vpn);
    if (!list) return;
    this.byPage.delete(vpn);
    for (const b of list) {
      b.valid = false;
      if (this.blocks.get(b.pc) === b) this.blocks.delete(b.pc);
    }
  }

  /** Decodes the block at `pc`. A fetch fault on the first instruction propagates; a fault
   * later ends the block before that instruction, which will fault when it runs. */
  private build(pc: number): Block {
    const words: number[] = [];
    const pages = new Set<number>();
    let at = pc;
    let endsPath = false;
    while (words.length / STRIDE < this.maxLength) {
      let inst: number;
      let len: number;
      try {
        ({ inst, len } = fetchInstruction(this.as, at, pages));
      } catch (e) {
        if (words.length === 0) throw e;
        break;
      }
      const d = decodeInto(inst, this.scratch);
      words.push(...this.encode(d, at - pc, len, inst));
      at += len;
      if (endsBlock(d.op)) {
        endsPath = endsRegionPath(d);
        break;
      }
    }
    const block: Block = {
      pc, n: words.length / STRIDE, code: Int32Array.from(words), end: at, pages: [...pages],
      heat: NEVER_HOT, entry: false, endsPath,
      valid: true, succPc0: -1, succ0: undefined, succPc1: -1, succ1: undefined,
    };
    this.blocks.set(pc, block);
    for (const vpn of block.pages) {
      this.as.markCode(vpn);
      let list = this.byPage.get(vpn);
      if (!list) this.byPage.set(vpn, (list = []));
      list.push(block);
    }
    this.hooks?.built?.(block);
    return block;
  }

  private encode(d: Decoded, off: number, len: number, inst: number): number[] {
    const rdIndex = isFpLoad(d.op) ? F32 + 2 * d.rd : d.rd === 0 ? SINK32 : X32 + 2 * d.rd;
    const rs2Index = isFpStore(d.op) ? F32 + 2 * d.rs2 : X32 + 2 * d.rs2;
    const raw = d.rd | (d.rs1 << 5) | (d.rs2 << 10) | (d.rs3 << 15) | (d.rm << 20);
    // Illegal instructions keep their encoding in the immediate, for the trap message.
    const imm = d.op === Op.illegal ? inst | 0 : d.imm;
    return [d.op, rdIndex, X32 + 2 * d.rs1, rs2Index, imm, raw, off, len];
  }
}
