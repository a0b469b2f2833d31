//! Building IR: create blocks, then insert instructions at a cursor with typed helpers
//! (`b.add(x, y)`, `b.loadg(addr, 8, true, 'i64', pc)`). Result types are inferred from
//! operands; nothing is checked beyond that, the verifier does it.

import type { Block, BlockCall, BlockId, Inst, Region, Value } from './function.js';
import { blockMap, nextBlockId, nextValueId, valueTypes } from './function.js';
import type { Access, Csr, FloatCC, IntCC, RoundingMode, TrapKind } from './immediates.js';
import type { FpOp, Opcode } from './opcodes.js';
import type { Type } from './types.js';
import { typeBits } from './types.js';

/** A switch case: key, target block, and the arguments for its parameters. */
export type SwitchCase = readonly [key: bigint | number, block: BlockId, args?: readonly Value[]];

export class Builder {
  readonly region: Region;
  private readonly types: Map<Value, Type>;
  private readonly blocks: Map<BlockId, Block>;
  private nextValue: number;
  private nextBlock: number;
  private block: Block | undefined;
  private index = 0;

  /** A builder for a new, empty region entered at `entry`; or, given a region, one that
   * adds to it (fresh ids continue after the highest in use). */
  constructor(entry: number | Region) {
    this.region = typeof entry === 'number' ? { entry, blocks: [] } : entry;
    this.types = valueTypes(this.region);
    this.blocks = blockMap(this.region);
    this.nextValue = nextValueId(this.region);
    this.nextBlock = nextBlockId(this.region);
  }

  /** Appends a new block to the layout, with parameters of the given types. */
  createBlock(paramTypes: readonly Type[] = []): BlockId {
    const block: Block = { id: this.nextBlock++, params: [], insts: [] };
    for (const type of paramTypes) block.params.push({ value: this.newValue(type), type });
    this.region.blocks.push(block);
    this.blocks.set(block.id, block);
    return block.id;
  }

  /** Adds a parameter to a block; branches to it must then pass one more argument. */
  addBlockParam(block: BlockId, type: Type): Value {
    const value = this.newValue(type);
    this.getBlock(block).params.push({ value, type });
    return value;
  }

  /** The parameter values of a block. */
  params(block: BlockId): Value[] {
    return this.getBlock(block).params.map((p) => p.value);
  }

  /** Moves the cursor to `index` in the block (default: its end). */
  switchToBlock(block: BlockId, index?: number): void {
    this.block = this.getBlock(block);
    this.index = index ?? this.block.insts.length;
  }

  get currentBlock(): BlockId | undefined {
    return this.block?.id;
  }

  typeOf(v: Value): Type {
    const t = this.types.get(v);
    if (t === undefined) throw new Error(`builder: v${v} has no known type`);
    return t;
  }

  /** A fresh value of the type, defined by nobody yet (for hand-made instructions). */
  newValue(type: Type): Value {
    const v = this.nextValue++;
    this.types.set(v, type);
    return v;
  }

  /** Inserts an instruction at the cursor and moves past it. */
  insert(inst: Inst): Inst {
    if (this.block === undefined) throw new Error('builder: no current block (call switchToBlock)');
    if (inst.result !== undefined && inst.type !== undefined) this.types.set(inst.result, inst.type);
    this.block.insts.splice(this.index++, 0, inst);
    return inst;
  }

  finish(): Region {
    return this.region;
  }

  // ---- constants ----
  iconst(type: Type, value: bigint | number): Value {
    return this.value(type, { op: 'iconst', args: [], imm: BigInt.asIntN(typeBits(type), BigInt(value)) });
  }
  /** A float constant from its raw bits. */
  fconst(type: Type, bits: bigint): Value {
    return this.value(type, { op: 'fconst', args: [], imm: BigInt.asUintN(typeBits(type), bits) });
  }
  /** A float constant from a JS number (rounded to f32 for f32). */
  fconstOf(type: Type, x: number): Value {
    const view = new DataView(new ArrayBuffer(8));
    if (type === 'f32') {
      view.setFloat32(0, x);
      return this.fconst(type, BigInt(view.getUint32(0)));
    }
    view.setFloat64(0, x);
    return this.fconst(type, view.getBigUint64(0));
  }

  // ---- guest state ----
  getreg(reg: number): Value { return this.value('i64', { op: 'getreg', args: [], reg }); }
  setreg(reg: number, v: Value): void { this.effect({ op: 'setreg', args: [v], reg }); }
  getfreg(reg: number): Value { return this.value('i64', { op: 'getfreg', args: [], reg }); }
  setfreg(reg: number, v: Value): void { this.effect({ op: 'setfreg', args: [v], reg }); }
  getcsr(csr: Csr): Value { return this.value('i32', { op: 'getcsr', args: [], csr }); }
  setcsr(csr: Csr, v: Value): void { this.effect({ op: 'setcsr', args: [v], csr }); }

  // ---- memory ----
  loadg(addr: Value, size: number, signed: boolean, type: Type, pc: number): Value {
    return this.value(type, { op: 'loadg', args: [addr], size, signed, pc });
  }
  storeg(addr: Value, v: Value, size: number, pc: number): void {
    this.effect({ op: 'storeg', args: [addr, v], size, pc });
  }
  translate(addr: Value, size: number, access: Access, pc: number): Value {
    return this.value('i32', { op: 'translate', args: [addr], size, access, pc });
  }
  loadh(host: Value, offset: number, size: number, signed: boolean, type: Type): Value {
    return this.value(type, { op: 'loadh', args: [host], offset, size, signed });
  }
  storeh(host: Value, v: Value, offset: number, size: number): void {
    this.effect({ op: 'storeh', args: [host, v], offset, size });
  }

  // ---- integer arithmetic ----
  add(x: Value, y: Value): Value { return this.binary('add', x, y); }
  sub(x: Value, y: Value): Value { return this.binary('sub', x, y); }
  mul(x: Value, y: Value): Value { return this.binary('mul', x, y); }
  mulhs(x: Value, y: Value): Value { return this.binary('mulhs', x, y); }
  mulhu(x: Value, y: Value): Value { return this.binary('mulhu', x, y); }
  mulhsu(x: Value, y: Value): Value { return this.binary('mulhsu', x, y); }
  divs(x: Value, y: Value): Value { return this.binary('divs', x, y); }
  divu(x: Value, y: Value): Value { return this.binary('divu', x, y); }
  rems(x: Value, y: Value): Value { return this.binary('rems', x, y); }
  remu(x: Value, y: Value): Value { return this.binary('remu', x, y); }
  and(x: Value, y: Value): Value { return this.binary('and', x, y); }
  or(x: Value, y: Value): Value { return this.binary('or', x, y); }
  xor(x: Value, y: Value): Value { return this.binary('xor', x, y); }
  shl(x: Value, y: Value): Value { return this.binary('shl', x, y); }
  shrs(x: Value, y: Value): Value { return this.binary('shrs', x, y); }
  shru(x: Value, y: Value): Value { return this.binary('shru', x, y); }

  // ---- comparison, selection, integer conversions ----
  icmp(cond: IntCC, x: Value, y: Value): Value { return this.value('i32', { op: 'icmp', args: [x, y], cond }); }
  select(c: Value, x: Value, y: Value): Value { return this.value(this.typeOf(x), { op: 'select', args: [c, x, y] }); }
  sext(x: Value, from: number): Value { return this.value(this.typeOf(x), { op: 'sext', args: [x], from }); }
  zext(x: Value, from: number): Value { return this.value(this.typeOf(x), { op: 'zext', args: [x], from }); }
  trunc(x: Value): Value { return this.value('i32', { op: 'trunc', args: [x] }); }
  extend(x: Value, signed: boolean): Value { return this.value('i64', { op: 'extend', args: [x], signed }); }

  // ---- floating point ----
  fadd(x: Value, y: Value): Value { return this.binary('fadd', x, y); }
  fsub(x: Value, y: Value): Value { return this.binary('fsub', x, y); }
  fmul(x: Value, y: Value): Value { return this.binary('fmul', x, y); }
  fdiv(x: Value, y: Value): Value { return this.binary('fdiv', x, y); }
  fmin(x: Value, y: Value): Value { return this.binary('fmin', x, y); }
  fmax(x: Value, y: Value): Value { return this.binary('fmax', x, y); }
  fcopysign(x: Value, y: Value): Value { return this.binary('fcopysign', x, y); }
  fsqrt(x: Value): Value { return this.unary('fsqrt', x); }
  fneg(x: Value): Value { return this.unary('fneg', x); }
  fabs(x: Value): Value { return this.unary('fabs', x); }
  fma(a: Value, b: Value, c: Value): Value { return this.value(this.typeOf(a), { op: 'fma', args: [a, b, c] }); }
  fcmp(cond: FloatCC, x: Value, y: Value): Value { return this.value('i32', { op: 'fcmp', args: [x, y], cond }); }
  fcvtToSint(type: Type, x: Value): Value { return this.value(type, { op: 'fcvt_to_sint', args: [x] }); }
  fcvtToUint(type: Type, x: Value): Value { return this.value(type, { op: 'fcvt_to_uint', args: [x] }); }
  fcvtFromSint(type: Type, x: Value): Value { return this.value(type, { op: 'fcvt_from_sint', args: [x] }); }
  fcvtFromUint(type: Type, x: Value): Value { return this.value(type, { op: 'fcvt_from_uint', args: [x] }); }
  fpromote(x: Value): Value { return this.value('f64', { op: 'fpromote', args: [x] }); }
  fdemote(x: Value): Value { return this.value('f32', { op: 'fdemote', args: [x] }); }
  bitcast(type: Type, x: Value): Value { return this.value(type, { op: 'bitcast', args: [x] }); }
  /** The RISC-V operation `fop` with a result of `type` (see FP_OPS). */
  fexact(fop: FpOp, rm: RoundingMode, type: Type, args: readonly Value[], pc: number): Value {
    return this.value(type, { op: 'fexact', args: [...args], fop, rm, pc });
  }
  fclass(x: Value): Value { return this.value('i64', { op: 'fclass', args: [x] }); }

  // ---- calls ----
  /** Calls a helper; returns its result when `resultType` is given. */
  call(helper: string, args: readonly Value[], resultType: Type, pc: number): Value;
  call(helper: string, args: readonly Value[], resultType: undefined, pc: number): undefined;
  call(helper: string, args: readonly Value[], resultType: Type | undefined, pc: number): Value | undefined {
    const inst: Inst = { op: 'call', args: [...args], helper, pc };
    if (resultType === undefined) {
      this.insert(inst);
      return undefined;
    }
    return this.value(resultType, inst);
  }

  // ---- terminators ----
  br(block: BlockId, args: readonly Value[] = []): void {
    this.effect({ op: 'br', args: [], targets: [call(block, args)] });
  }
  condbr(c: Value, then: BlockId, thenArgs: readonly Value[], otherwise: BlockId, otherwiseArgs: readonly Value[] = []): void {
    this.effect({ op: 'condbr', args: [c], targets: [call(then, thenArgs), call(otherwise, otherwiseArgs)] });
  }
  /** Keys are normalized to the signed range of the operand's type. */
  switch(v: Value, cases: readonly SwitchCase[], otherwise: BlockId, otherwiseArgs: readonly Value[] = []): void {
    const bits = typeBits(this.typeOf(v));
    this.effect({
      op: 'switch', args: [v],
      targets: [...cases.map(([, block, args]) => call(block, args ?? [])), call(otherwise, otherwiseArgs)],
      cases: cases.map(([key]) => BigInt.asIntN(bits, BigInt(key))),
    });
  }
  exit(target: number): void { this.effect({ op: 'exit', args: [], target }); }
  exitind(pc: Value): void { this.effect({ op: 'exitind', args: [pc] }); }
  trap(kind: TrapKind, pc: number): void { this.effect({ op: 'trap', args: [], trap: kind, pc }); }

  // ---- internals ----
  private getBlock(id: BlockId): Block {
    const b = this.blocks.get(id);
    if (b === undefined) throw new Error(`builder: no block${id}`);
    return b;
  }

  private value(type: Type, inst: Omit<Inst, 'result' | 'type'>): Value {
    const result = this.newValue(type);
    const { op, args, ...rest } = inst;
    this.insert({ op, result, type, args, ...rest });
    return result;
  }

  private effect(inst: Inst): void {
    this.insert(inst);
  }

  private binary(op: Opcode, x: Value, y: Value): Value {
    return this.value(this.typeOf(x), { op, args: [x, y] });
  }

  private unary(op: Opcode, x: Value): Value {
    return this.value(this.typeOf(x), { op, args: [x] });
  }
}

function call(block: BlockId, args: readonly Value[]): BlockCall {
  return { block, args: [...args] };
}
