//! The lifter's shared shapes (after QEMU's `translate.c`: `get_gpr`, `gen_set_gpr`,
//! `gen_arith`, `gen_load`, `gen_branch`): the one place that knows about x0, and the
//! patterns that most instructions of `rv64*.ts` and `zicsr.ts` are an instance of.

import type { Builder } from '../ir/builder.js';
import type { BlockId, Value } from '../ir/function.js';
import type { IntCC, TrapKind } from '../ir/immediates.js';
import type { Decoded } from './decode.js';
import type { Op } from './opcodes.js';

/** Helper names of `call`. `fp` and `csr` must equal HELPER_FP and HELPER_CSR of
 * `layout/layout.ts` (which the lifter may not import; a test compares them); `amo` has
 * no constant there yet. Each takes (op i32, packed fields i32), and the backend appends
 * the guest pc of the call. */
export const HELPER_FP = 'fp';
export const HELPER_CSR = 'csr';
export const HELPER_AMO = 'amo';

/** Lifts one decoded instruction at the context's pc. */
export type Trans = (c: LiftContext, d: Decoded) => void;
/** The lifting rules of one extension, by `Op`. */
export type TransTable = Partial<Record<Op, Trans>>;

/** The lifting state of one region: the builder, the instruction being lifted, and the
 * way to the IR block of a guest pc. */
export class LiftContext {
  /** Guest pc and length of the instruction being lifted. */
  pc = 0;
  len = 4;
  /** Set once the instruction ended its IR block (branch, exit, trap). */
  ended = false;
  private readonly exitStubs = new Map<number, BlockId>();

  /** `blockAt(pc)` is the IR block of the region's guest block starting at pc, if any. */
  constructor(readonly b: Builder, private readonly blockAt: (pc: number) => BlockId | undefined) {}

  /** The pc of the next instruction in program order. */
  get next(): number {
    return this.pc + this.len;
  }

  // ---- guest registers: x0 reads as zero and ignores writes, here and nowhere else ----
  x(r: number): Value {
    return r === 0 ? this.b.iconst('i64', 0) : this.b.getreg(r);
  }
  setX(r: number, v: Value): void {
    if (r !== 0) this.b.setreg(r, v);
  }
  f(r: number): Value {
    return this.b.getfreg(r);
  }
  setF(r: number, v: Value): void {
    this.b.setfreg(r, v);
  }

  // ---- constants ----
  i64(v: number | bigint): Value {
    return this.b.iconst('i64', v);
  }
  i32(v: number | bigint): Value {
    return this.b.iconst('i32', v);
  }
  /** v + imm, or v itself when imm is 0. */
  addImm(v: Value, imm: number): Value {
    return imm === 0 ? v : this.b.add(v, this.i64(imm));
  }

  // ---- control: every terminator goes through these, so `ended` is always right ----
  /** The IR block to branch to for a guest pc: its block in the region, else a small
   * block that exits to it (one per pc). */
  target(pc: number): BlockId {
    const inside = this.blockAt(pc);
    if (inside !== undefined) return inside;
    let stub = this.exitStubs.get(pc);
    if (stub === undefined) {
      const here = this.b.currentBlock;
      stub = this.b.createBlock();
      this.b.switchToBlock(stub);
      this.b.exit(pc);
      if (here !== undefined) this.b.switchToBlock(here);
      this.exitStubs.set(pc, stub);
    }
    return stub;
  }
  /** Continues at a guest pc: a branch inside the region, else an exit. */
  jump(pc: number): void {
    const inside = this.blockAt(pc);
    if (inside !== undefined) this.b.br(inside);
    else this.b.exit(pc);
    this.ended = true;
  }
  exit(pc: number): void {
    this.b.exit(pc);
    this.ended = true;
  }
  exitInd(pc: Value): void {
    this.b.exitind(pc);
    this.ended = true;
  }
  condBr(cond: Value, taken: number, notTaken: number): void {
    this.b.condbr(cond, this.target(taken), [], this.target(notTaken));
    this.ended = true;
  }
  trap(kind: TrapKind): void {
    this.b.trap(kind, this.pc);
    this.ended = true;
  }
}

/** Builder methods of the form (x, y) -> same type. */
export type BinOp = 'add' | 'sub' | 'mul' | 'mulhs' | 'mulhu' | 'mulhsu' | 'divs' | 'divu' | 'rems' | 'remu'
  | 'and' | 'or' | 'xor' | 'shl' | 'shrs' | 'shru';

/** rd = rs1 op rs2, on i64. */
export function arith(c: LiftContext, d: Decoded, op: BinOp): void {
  c.setX(d.rd, c.b[op](c.x(d.rs1), c.x(d.rs2)));
}

/** rd = rs1 op imm, on i64 (the immediate sign-extended; shift amounts are unsigned). */
export function arithImm(c: LiftContext, d: Decoded, op: BinOp): void {
  c.setX(d.rd, c.b[op](c.x(d.rs1), c.i64(d.imm)));
}

/** The *w forms: op on the low 32 bits, result sign-extended to 64 (unprivileged spec, RV64I chapter). */
export function arithW(c: LiftContext, d: Decoded, op: BinOp): void {
  const r = c.b[op](c.b.trunc(c.x(d.rs1)), c.b.trunc(c.x(d.rs2)));
  c.setX(d.rd, c.b.extend(r, true));
}

export function arithImmW(c: LiftContext, d: Decoded, op: BinOp): void {
  const r = c.b[op](c.b.trunc(c.x(d.rs1)), c.i32(d.imm));
  c.setX(d.rd, c.b.extend(r, true));
}

/** rd = (rs1 cond rs2) ? 1 : 0. */
export function setIf(c: LiftContext, d: Decoded, cond: IntCC): void {
  const x = c.x(d.rs1);
  c.setX(d.rd, c.b.extend(c.b.icmp(cond, x, c.x(d.rs2)), false));
}

/** rd = (rs1 cond imm) ? 1 : 0, the immediate sign-extended (also for sltiu). */
export function setIfImm(c: LiftContext, d: Decoded, cond: IntCC): void {
  const x = c.x(d.rs1);
  c.setX(d.rd, c.b.extend(c.b.icmp(cond, x, c.i64(d.imm)), false));
}

/** The effective address rs1 + imm of a load or store. */
export function address(c: LiftContext, d: Decoded): Value {
  return c.addImm(c.x(d.rs1), d.imm);
}

/** rd = the size bytes at rs1 + imm, sign- or zero-extended. Misaligned is legal. */
export function load(c: LiftContext, d: Decoded, size: 1 | 2 | 4 | 8, signed: boolean): void {
  c.setX(d.rd, c.b.loadg(address(c, d), size, signed, 'i64', c.pc));
}

/** The low size bytes of rs2 to rs1 + imm. */
export function store(c: LiftContext, d: Decoded, size: 1 | 2 | 4 | 8): void {
  const addr = address(c, d);
  c.b.storeg(addr, c.x(d.rs2), size, c.pc);
}

/** Conditional branch to pc + imm, else on to the next instruction. */
export function branch(c: LiftContext, d: Decoded, cond: IntCC): void {
  c.condBr(c.b.icmp(cond, c.x(d.rs1), c.x(d.rs2)), c.pc + d.imm, c.next);
}

/** A helper call that does the whole instruction on the state block:
 * `call @helper(iconst.i32 op, iconst.i32 packed) @pc`. */
export function helperCall(c: LiftContext, helper: string, op: Op, packed: number): void {
  c.b.call(helper, [c.i32(op), c.i32(packed)], undefined, c.pc);
}
