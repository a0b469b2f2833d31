//! The IR's data structures: a region (one translation unit, entered at a guest pc),
//! its blocks in layout order, their parameters and instructions. Plain objects with
//! numeric ids, so that they print, compare and serialize without ceremony.

import type { Access, Csr, FloatCC, IntCC, RoundingMode, TrapKind } from './immediates.js';
import type { FpOp, Opcode, Piece } from './opcodes.js';
import { OPCODES } from './opcodes.js';
import type { Type } from './types.js';

/** An SSA value, printed `vN`. */
export type Value = number;
/** A block, printed `blockN`. */
export type BlockId = number;

/** A branch target with the arguments bound to the block's parameters. */
export interface BlockCall {
  block: BlockId;
  args: Value[];
}

/** One instruction. Immediates are present exactly when the opcode's syntax names them
 * (see `immediateFields`); optional fields are absent, never `undefined`. */
export interface Inst {
  op: Opcode;
  /** The defined value and its type: both present, or both absent. */
  result?: Value;
  type?: Type;
  /** Value operands; branch arguments live in `targets`. */
  args: Value[];
  /** iconst: the value, sign-normalized to the type; fconst: the raw bits, unsigned. */
  imm?: bigint;
  /** getreg/setreg: x register; getfreg/setfreg: f register. */
  reg?: number;
  csr?: Csr;
  /** Bytes accessed: 1, 2, 4 or 8. */
  size?: number;
  /** loadg/loadh/extend: sign-extend (true) or zero-extend (false). */
  signed?: boolean;
  access?: Access;
  /** loadh/storeh: constant byte offset added to the host address (0 .. 2^32-1). */
  offset?: number;
  cond?: IntCC | FloatCC;
  /** sext/zext: width of the source bits, 8, 16 or 32. */
  from?: number;
  trap?: TrapKind;
  /** exit: the guest pc to continue at. */
  target?: number;
  /** call: the helper's name. */
  helper?: string;
  /** br: [dest]; condbr: [then, else]; switch: [...one per case, default]. */
  targets?: BlockCall[];
  /** switch: the case keys, sign-normalized to the operand type, parallel to `targets`. */
  cases?: bigint[];
  /** loadgc/storegc/tlbfill: the region's translation cache slot (0, 1, ...). */
  slot?: number;
  /** fexact: the operation and its rounding mode. */
  fop?: FpOp;
  rm?: RoundingMode;
  /** Guest pc of the instruction this came from; required when the op may trap. */
  pc?: number;
}

export interface Param {
  value: Value;
  type: Type;
}

export interface Block {
  id: BlockId;
  params: Param[];
  insts: Inst[];
}

/** A translation region: entered at guest pc `entry`, whose code is `blocks[0]`. */
export interface Region {
  entry: number;
  blocks: Block[];
}

/** The `Inst` fields each syntax piece fills. */
export const PIECE_FIELDS: Readonly<Record<Piece, readonly (keyof Inst)[]>> = {
  arg: [], imm: ['imm'], bits: ['imm'], xreg: ['reg'], freg: ['reg'], csr: ['csr'], size: ['size'],
  ext: ['signed'], access: ['access'], offset: ['offset'], icc: ['cond'], fcc: ['cond'], from: ['from'],
  trap: ['trap'], target: ['target'], callee: ['helper'], block: ['targets'], cases: ['cases', 'targets'],
  default: ['targets'], slot: ['slot'], fop: ['fop'], rm: ['rm'], args: [],
};

/** The optional immediate fields an instruction of this opcode must have. */
export function immediateFields(op: Opcode): ReadonlySet<keyof Inst> {
  const out = new Set<keyof Inst>();
  for (const piece of OPCODES[op].syntax) for (const f of PIECE_FIELDS[piece]) out.add(f);
  return out;
}

/** Every immediate field an `Inst` can carry (all optional fields but result/type/pc). */
export const IMMEDIATE_FIELDS: readonly (keyof Inst)[] = [
  'imm', 'reg', 'csr', 'size', 'signed', 'access', 'offset', 'cond', 'from', 'trap', 'target', 'helper', 'targets', 'cases',
  'slot', 'fop', 'rm',
];

/** The branch targets of an instruction (empty unless it branches). */
export function instTargets(inst: Inst): readonly BlockCall[] {
  return inst.targets ?? [];
}

/** Every value an instruction uses: operands, then branch arguments. */
export function instUses(inst: Inst): Value[] {
  const uses = [...inst.args];
  for (const t of instTargets(inst)) uses.push(...t.args);
  return uses;
}

/** The block's terminator, if its last instruction is one. */
export function terminatorOf(block: Block): Inst | undefined {
  const last = block.insts[block.insts.length - 1];
  return last !== undefined && OPCODES[last.op].terminator ? last : undefined;
}

export function blockMap(region: Region): Map<BlockId, Block> {
  const m = new Map<BlockId, Block>();
  for (const b of region.blocks) if (!m.has(b.id)) m.set(b.id, b);
  return m;
}

/** The type of every defined value (the first definition, if a value is defined twice). */
export function valueTypes(region: Region): Map<Value, Type> {
  const m = new Map<Value, Type>();
  for (const b of region.blocks) {
    for (const p of b.params) if (!m.has(p.value)) m.set(p.value, p.type);
    for (const i of b.insts) if (i.result !== undefined && i.type !== undefined && !m.has(i.result)) m.set(i.result, i.type);
  }
  return m;
}

/** One past the highest value id in use, for creating fresh values. */
export function nextValueId(region: Region): Value {
  let n = 0;
  for (const b of region.blocks) {
    for (const p of b.params) n = Math.max(n, p.value + 1);
    for (const i of b.insts) {
      if (i.result !== undefined) n = Math.max(n, i.result + 1);
      for (const v of instUses(i)) n = Math.max(n, v + 1);
    }
  }
  return n;
}

/** One past the highest block id in use (as a block or a branch target). */
export function nextBlockId(region: Region): BlockId {
  let n = 0;
  for (const b of region.blocks) {
    n = Math.max(n, b.id + 1);
    for (const i of b.insts) for (const t of instTargets(i)) n = Math.max(n, t.block + 1);
  }
  return n;
}
