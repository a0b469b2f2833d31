//! The default `Module` of `module.ts`: expressions are small typed trees, and
//! `emitBinary` writes the wasm binary format directly (WebAssembly core spec, chapter 5,
//! plus the threads, tail-call, sign-extension and saturating-conversion opcodes). It
//! checks nothing beyond types it needs for block signatures: V8 validates every module
//! it compiles, and the tests have Binaryen validate them too.

import { IMPORT_MEMORY, IMPORT_MODULE, IMPORT_TABLE, WASM_PAGES } from '../layout/layout.js';
import type { Type } from '../ir/types.js';
import { type Expr, f32, f64, i32, i64, type Module, none, type WasmType, wasmType } from './module.js';

/** The type of an expression that never completes (br, return, tail call). */
const UNREACHABLE = 0;

const enum K { Op, Const32, Const64, ConstF32, ConstF64, Get, Set, Load, Store, AtomicLoad, Block, Loop, If, Br, BrIf, BrTable, Call, ReturnCallIndirect }

/** One expression: its type, kind, opcode bytes, immediates and operands. */
class Node {
  constructor(
    readonly type: WasmType,
    readonly kind: K,
    /** Opcode (with a 0xfc/0xfe prefix in the high byte when there is one). */
    readonly op: number,
    readonly args: readonly Node[],
    readonly imm: number | bigint = 0,
    readonly imm2 = 0,
    readonly label?: string,
    readonly labels?: readonly string[],
  ) {}
}

const node = (e: Expr) => e as unknown as Node;
const expr = (n: Node) => n as unknown as Expr;

// Opcodes by IR type, in the binary format's order.
const INT = {
  i32: { eqz: 0x45, eq: 0x46, ne: 0x47, lt_s: 0x48, lt_u: 0x49, gt_s: 0x4a, gt_u: 0x4b, le_s: 0x4c, le_u: 0x4d, ge_s: 0x4e, ge_u: 0x4f,
    add: 0x6a, sub: 0x6b, mul: 0x6c, div_s: 0x6d, div_u: 0x6e, rem_s: 0x6f, rem_u: 0x70, and: 0x71, or: 0x72, xor: 0x73,
    shl: 0x74, shr_s: 0x75, shr_u: 0x76, extend8_s: 0xc0, extend16_s: 0xc1 },
  i64: { eqz: 0x50, eq: 0x51, ne: 0x52, lt_s: 0x53, lt_u: 0x54, gt_s: 0x55, gt_u: 0x56, le_s: 0x57, le_u: 0x58, ge_s: 0x59, ge_u: 0x5a,
    add: 0x7c, sub: 0x7d, mul: 0x7e, div_s: 0x7f, div_u: 0x80, rem_s: 0x81, rem_u: 0x82, and: 0x83, or: 0x84, xor: 0x85,
    shl: 0x86, shr_s: 0x87, shr_u: 0x88, extend8_s: 0xc2, extend16_s: 0xc3 },
} as const;
const FLOAT = {
  f32: { eq: 0x5b, ne: 0x5c, lt: 0x5d, gt: 0x5e, le: 0x5f, ge: 0x60, abs: 0x8b, neg: 0x8c, ceil: 0x8d, floor: 0x8e,
    trunc: 0x8f, nearest: 0x90, sqrt: 0x91, add: 0x92, sub: 0x93, mul: 0x94, div: 0x95, min: 0x96, max: 0x97, copysign: 0x98 },
  f64: { eq: 0x61, ne: 0x62, lt: 0x63, gt: 0x64, le: 0x65, ge: 0x66, abs: 0x99, neg: 0x9a, ceil: 0x9b, floor: 0x9c,
    trunc: 0x9d, nearest: 0x9e, sqrt: 0x9f, add: 0xa0, sub: 0xa1, mul: 0xa2, div: 0xa3, min: 0xa4, max: 0xa5, copysign: 0xa6 },
} as const;
type IntOp = keyof typeof INT.i32;
const COMPARE = new Set<IntOp>(['eqz', 'eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u']);
type FloatOp = keyof typeof FLOAT.f32;

/** [opcode, natural alignment log2] of loads by result type and size (signedness apart). */
function loadOp(t: Type, size: number, signed: boolean): number {
  switch (t) {
    case 'f32': return 0x2a;
    case 'f64': return 0x2b;
    case 'i32': return size === 1 ? (signed ? 0x2c : 0x2d) : size === 2 ? (signed ? 0x2e : 0x2f) : 0x28;
    case 'i64':
      return size === 1 ? (signed ? 0x30 : 0x31) : size === 2 ? (signed ? 0x32 : 0x33) : size === 4 ? (signed ? 0x34 : 0x35) : 0x29;
  }
}

function storeOp(t: Type, size: number): number {
  switch (t) {
    case 'f32': return 0x38;
    case 'f64': return 0x39;
    case 'i32': return size === 1 ? 0x3a : size === 2 ? 0x3b : 0x36;
    case 'i64': return size === 1 ? 0x3c : size === 2 ? 0x3d : size === 4 ? 0x3e : 0x37;
  }
}

const log2 = (size: number) => (size === 1 ? 0 : size === 2 ? 1 : size === 4 ? 2 : 3);

interface Func {
  name: string;
  type: number;
  locals: readonly WasmType[];
  body: Node;
}

/** A module under construction, written out by `emitBinary`. */
export class DirectModule implements Module {
  private readonly types: string[] = [];
  private readonly typeSigs: [readonly WasmType[], WasmType][] = [];
  private readonly imports: { internal: string; external: string; type: number }[] = [];
  private readonly funcs: Func[] = [];
  private readonly exports: { name: string; as: string }[] = [];

  /** `printer` (Binaryen's, when it is loaded) is for `emitText` and `validate`. */
  constructor(private readonly printer?: { text(bytes: Uint8Array): string; validate(bytes: Uint8Array): boolean }) {}

  private op(type: WasmType, op: number, ...args: Expr[]): Expr {
    return expr(new Node(type, K.Op, op, args.map(node)));
  }

  private int(t: Type, op: IntOp, ...args: Expr[]): Expr {
    return this.op(COMPARE.has(op) ? i32 : wasmType(t), INT[t as 'i32' | 'i64'][op], ...args);
  }

  private float(t: Type, op: FloatOp, ...args: Expr[]): Expr {
    const compare = op === 'eq' || op === 'ne' || op === 'lt' || op === 'gt' || op === 'le' || op === 'ge';
    return this.op(compare ? i32 : wasmType(t), FLOAT[t as 'f32' | 'f64'][op], ...args);
  }

  // ---- constants ----
  i32(v: number): Expr { return expr(new Node(i32, K.Const32, 0x41, [], v | 0)); }
  i64(v: bigint): Expr { return expr(new Node(i64, K.Const64, 0x42, [], BigInt.asIntN(64, v))); }
  iconst(t: Type, v: bigint): Expr { return t === 'i32' ? this.i32(Number(BigInt.asIntN(32, v))) : this.i64(v); }
  fconstBits(t: Type, bits: bigint): Expr {
    return t === 'f32'
      ? expr(new Node(f32, K.ConstF32, 0x43, [], Number(BigInt.asUintN(32, bits))))
      : expr(new Node(f64, K.ConstF64, 0x44, [], BigInt.asUintN(64, bits)));
  }

  // ---- locals ----
  get(index: number, type: WasmType): Expr { return expr(new Node(type, K.Get, 0x20, [], index)); }
  set(index: number, value: Expr): Expr { return expr(new Node(none, K.Set, 0x21, [node(value)], index)); }

  // ---- integer ----
  add(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'add', a, b); }
  sub(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'sub', a, b); }
  mul(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'mul', a, b); }
  divS(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'div_s', a, b); }
  divU(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'div_u', a, b); }
  remS(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'rem_s', a, b); }
  remU(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'rem_u', a, b); }
  and(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'and', a, b); }
  or(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'or', a, b); }
  xor(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'xor', a, b); }
  shl(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'shl', a, b); }
  shrS(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'shr_s', a, b); }
  shrU(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'shr_u', a, b); }
  eqz(t: Type, a: Expr): Expr { return this.int(t, 'eqz', a); }
  eq(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'eq', a, b); }
  ne(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'ne', a, b); }
  ltS(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'lt_s', a, b); }
  ltU(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'lt_u', a, b); }
  leS(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'le_s', a, b); }
  leU(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'le_u', a, b); }
  gtS(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'gt_s', a, b); }
  gtU(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'gt_u', a, b); }
  geS(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'ge_s', a, b); }
  geU(t: Type, a: Expr, b: Expr): Expr { return this.int(t, 'ge_u', a, b); }
  extend8S(t: Type, a: Expr): Expr { return this.int(t, 'extend8_s', a); }
  extend16S(t: Type, a: Expr): Expr { return this.int(t, 'extend16_s', a); }
  extend32S(a: Expr): Expr { return this.op(i64, 0xc4, a); }
  wrap(a: Expr): Expr { return this.op(i32, 0xa7, a); }
  extendS(a: Expr): Expr { return this.op(i64, 0xac, a); }
  extendU(a: Expr): Expr { return this.op(i64, 0xad, a); }

  // ---- floating point ----
  fadd(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'add', a, b); }
  fsub(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'sub', a, b); }
  fmul(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'mul', a, b); }
  fdiv(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'div', a, b); }
  fsqrt(t: Type, a: Expr): Expr { return this.float(t, 'sqrt', a); }
  fmin(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'min', a, b); }
  fmax(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'max', a, b); }
  fneg(t: Type, a: Expr): Expr { return this.float(t, 'neg', a); }
  fabs(t: Type, a: Expr): Expr { return this.float(t, 'abs', a); }
  fcopysign(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'copysign', a, b); }
  fnearest(t: Type, a: Expr): Expr { return this.float(t, 'nearest', a); }
  ftrunc(t: Type, a: Expr): Expr { return this.float(t, 'trunc', a); }
  ffloor(t: Type, a: Expr): Expr { return this.float(t, 'floor', a); }
  fceil(t: Type, a: Expr): Expr { return this.float(t, 'ceil', a); }
  feq(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'eq', a, b); }
  fne(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'ne', a, b); }
  flt(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'lt', a, b); }
  fle(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'le', a, b); }
  fgt(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'gt', a, b); }
  fge(t: Type, a: Expr, b: Expr): Expr { return this.float(t, 'ge', a, b); }
  /** 0xfc 0..7: i32.trunc_sat_f32_s, _u, i32 from f64 s, u, i64 from f32 s, u, i64 from f64 s, u. */
  truncSatS(to: Type, from: Type, a: Expr): Expr {
    return this.op(wasmType(to), 0xfc00 | ((to === 'i64' ? 4 : 0) + (from === 'f64' ? 2 : 0)), a);
  }
  truncSatU(to: Type, from: Type, a: Expr): Expr {
    return this.op(wasmType(to), 0xfc00 | ((to === 'i64' ? 4 : 0) + (from === 'f64' ? 2 : 0) + 1), a);
  }
  convertS(to: Type, from: Type, a: Expr): Expr {
    return this.op(wasmType(to), (to === 'f32' ? 0xb2 : 0xb7) + (from === 'i64' ? 2 : 0), a);
  }
  convertU(to: Type, from: Type, a: Expr): Expr {
    return this.op(wasmType(to), (to === 'f32' ? 0xb3 : 0xb8) + (from === 'i64' ? 2 : 0), a);
  }
  promote(a: Expr): Expr { return this.op(f64, 0xbb, a); }
  demote(a: Expr): Expr { return this.op(f32, 0xb6, a); }
  reinterpret(to: Type, a: Expr): Expr {
    const op = { i32: 0xbc, i64: 0xbd, f32: 0xbe, f64: 0xbf }[to];
    return this.op(wasmType(to), op, a);
  }

  // ---- memory ----
  load(t: Type, size: number, signed: boolean, ptr: Expr, offset = 0): Expr {
    const natural = t === 'f32' || t === 'f64' ? (t === 'f32' ? 4 : 8) : size;
    return expr(new Node(wasmType(t), K.Load, loadOp(t, size, signed), [node(ptr)], offset, log2(natural)));
  }
  store(t: Type, size: number, ptr: Expr, value: Expr, offset = 0): Expr {
    const natural = t === 'f32' || t === 'f64' ? (t === 'f32' ? 4 : 8) : size;
    return expr(new Node(none, K.Store, storeOp(t, size), [node(ptr), node(value)], offset, log2(natural)));
  }
  atomicLoadI32(offset: number): Expr {
    return expr(new Node(i32, K.AtomicLoad, 0xfe10, [node(this.i32(0))], offset, 2));
  }

  // ---- control ----
  block(children: readonly Expr[], type: WasmType = none, label?: string): Expr {
    return expr(new Node(type, K.Block, 0x02, children.map(node), 0, 0, label));
  }
  loop(label: string, body: Expr): Expr {
    const b = node(body);
    return expr(new Node(b.type === UNREACHABLE ? none : b.type, K.Loop, 0x03, [b], 0, 0, label));
  }
  if(cond: Expr, then: Expr, otherwise?: Expr): Expr {
    const t = node(then), e = otherwise === undefined ? undefined : node(otherwise);
    const type = e === undefined ? none : t.type !== UNREACHABLE ? t.type : e.type;
    return expr(new Node(type, K.If, 0x04, e === undefined ? [node(cond), t] : [node(cond), t, e]));
  }
  select(cond: Expr, a: Expr, b: Expr): Expr {
    const na = node(a);
    return expr(new Node(na.type === UNREACHABLE ? node(b).type : na.type, K.Op, 0x1b, [na, node(b), node(cond)]));
  }
  br(label: string): Expr { return expr(new Node(UNREACHABLE, K.Br, 0x0c, [], 0, 0, label)); }
  brIf(label: string, cond: Expr): Expr { return expr(new Node(none, K.BrIf, 0x0d, [node(cond)], 0, 0, label)); }
  brTable(labels: readonly string[], otherwise: string, index: Expr): Expr {
    return expr(new Node(UNREACHABLE, K.BrTable, 0x0e, [node(index)], 0, 0, otherwise, labels));
  }
  drop(a: Expr): Expr { return this.op(none, 0x1a, a); }
  nop(): Expr { return this.op(none, 0x01); }
  return(): Expr { return this.op(UNREACHABLE, 0x0f); }
  call(name: string, args: readonly Expr[], result: WasmType): Expr {
    return expr(new Node(result, K.Call, 0x10, args.map(node), 0, 0, name));
  }
  returnCallIndirect(slot: Expr): Expr {
    return expr(new Node(UNREACHABLE, K.ReturnCallIndirect, 0x13, [node(slot)], this.typeIndex([], none)));
  }

  // ---- module level ----
  private typeIndex(params: readonly WasmType[], result: WasmType): number {
    const key = `${params.join(',')}:${result}`;
    let i = this.types.indexOf(key);
    if (i < 0) {
      i = this.types.push(key) - 1;
      this.typeSigs.push([params, result]);
    }
    return i;
  }

  importFunction(internal: string, external: string, params: readonly WasmType[], result: WasmType): void {
    this.imports.push({ internal, external, type: this.typeIndex(params, result) });
  }

  addFunction(name: string, params: readonly WasmType[], result: WasmType, locals: readonly WasmType[], body: Expr): void {
    this.funcs.push({ name, type: this.typeIndex(params, result), locals, body: node(body) });
  }

  exportFunction(name: string, as: string): void {
    this.exports.push({ name, as });
  }

  emitBinary(): Uint8Array<ArrayBuffer> {
    const w = new Writer();
    w.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    w.section(1, (s) => {
      s.u32(this.typeSigs.length);
      for (const [params, result] of this.typeSigs) {
        s.byte(0x60);
        s.u32(params.length);
        for (const p of params) s.byte(p);
        if (result === none) s.u32(0);
        else { s.u32(1); s.byte(result); }
      }
    });
    w.section(2, (s) => {
      s.u32(2 + this.imports.length);
      s.name(IMPORT_MODULE); s.name(IMPORT_MEMORY); s.byte(0x02); s.byte(0x03); s.u32(WASM_PAGES); s.u32(WASM_PAGES);
      s.name(IMPORT_MODULE); s.name(IMPORT_TABLE); s.byte(0x01); s.byte(0x70); s.byte(0x00); s.u32(0);
      for (const imp of this.imports) { s.name(IMPORT_MODULE); s.name(imp.external); s.byte(0x00); s.u32(imp.type); }
    });
    w.section(3, (s) => {
      s.u32(this.funcs.length);
      for (const f of this.funcs) s.u32(f.type);
    });
    const index = new Map<string, number>();
    this.imports.forEach((imp, i) => index.set(imp.internal, i));
    this.funcs.forEach((f, i) => index.set(f.name, this.imports.length + i));
    w.section(7, (s) => {
      s.u32(this.exports.length);
      for (const e of this.exports) { s.name(e.as); s.byte(0x00); s.u32(index.get(e.name)!); }
    });
    w.section(10, (s) => {
      s.u32(this.funcs.length);
      for (const f of this.funcs) {
        const body = new Writer();
        const runs: [number, WasmType][] = [];
        for (const t of f.locals) {
          if (runs.length > 0 && runs[runs.length - 1][1] === t) runs[runs.length - 1][0]++;
          else runs.push([1, t]);
        }
        body.u32(runs.length);
        for (const [n, t] of runs) { body.u32(n); body.byte(t); }
        new BodyWriter(body, index).expr(f.body);
        body.byte(0x0b);
        s.u32(body.length);
        s.append(body);
      }
    });
    // The name section (custom, "name"; subsection 1: function names), for readable text.
    w.section(0, (s) => {
      s.name('name');
      const names = new Writer();
      names.u32(index.size);
      for (const [name, i] of [...index].sort((a, b) => a[1] - b[1])) { names.u32(i); names.name(name); }
      s.byte(1);
      s.u32(names.length);
      s.append(names);
    });
    return w.finish();
  }

  emitText(): string {
    if (this.printer === undefined) throw new Error('wasm text needs Binaryen (load it with loadBinaryen)');
    return this.printer.text(this.emitBinary());
  }

  validate(): boolean {
    if (this.printer === undefined) throw new Error('validation needs Binaryen (load it with loadBinaryen)');
    return this.printer.validate(this.emitBinary());
  }

  dispose(): void {}
}

/** Writes function bodies: instructions in postorder, labels resolved to depths. */
class BodyWriter {
  private readonly labels: (string | undefined)[] = [];

  constructor(private readonly w: Writer, private readonly funcs: ReadonlyMap<string, number>) {}

  private depth(label: string): number {
    for (let i = this.labels.length - 1; i >= 0; i--) if (this.labels[i] === label) return this.labels.length - 1 - i;
    throw new Error(`branch to unknown label ${label}`);
  }

  private blockType(t: WasmType): void {
    this.w.byte(t === UNREACHABLE ? none : t);
  }

  private memarg(n: Node): void {
    this.w.u32(n.imm2);
    this.w.u32(n.imm as number);
  }

  private opcode(op: number): void {
    if (op > 0xff) { this.w.byte(op >> 8); this.w.u32(op & 0xff); } else this.w.byte(op);
  }

  expr(n: Node): void {
    const w = this.w;
    switch (n.kind) {
      case K.Op:
        for (const a of n.args) this.expr(a);
        this.opcode(n.op);
        return;
      case K.Const32: w.byte(0x41); w.s32(n.imm as number); return;
      case K.Const64: w.byte(0x42); w.s64(n.imm as bigint); return;
      case K.ConstF32: w.byte(0x43); w.u32le(n.imm as number); return;
      case K.ConstF64: w.byte(0x44); w.u64le(n.imm as bigint); return;
      case K.Get: w.byte(0x20); w.u32(n.imm as number); return;
      case K.Set: this.expr(n.args[0]); w.byte(0x21); w.u32(n.imm as number); return;
      case K.Load: case K.Store: case K.AtomicLoad:
        for (const a of n.args) this.expr(a);
        this.opcode(n.op);
        this.memarg(n);
        return;
      case K.Block: case K.Loop:
        w.byte(n.op);
        this.blockType(n.type);
        this.labels.push(n.label);
        for (const a of n.args) this.expr(a);
        this.labels.pop();
        w.byte(0x0b);
        return;
      case K.If:
        this.expr(n.args[0]);
        w.byte(0x04);
        this.blockType(n.type);
        this.labels.push(undefined);
        this.expr(n.args[1]);
        if (n.args.length > 2) { w.byte(0x05); this.expr(n.args[2]); }
        this.labels.pop();
        w.byte(0x0b);
        return;
      case K.Br: w.byte(0x0c); w.u32(this.depth(n.label!)); return;
      case K.BrIf: this.expr(n.args[0]); w.byte(0x0d); w.u32(this.depth(n.label!)); return;
      case K.BrTable:
        this.expr(n.args[0]);
        w.byte(0x0e);
        w.u32(n.labels!.length);
        for (const l of n.labels!) w.u32(this.depth(l));
        w.u32(this.depth(n.label!));
        return;
      case K.Call: {
        for (const a of n.args) this.expr(a);
        const f = this.funcs.get(n.label!);
        if (f === undefined) throw new Error(`call of unknown function ${n.label}`);
        w.byte(0x10); w.u32(f);
        return;
      }
      case K.ReturnCallIndirect: this.expr(n.args[0]); w.byte(0x13); w.u32(n.imm as number); w.u32(0); return;
    }
  }
}

/** A growable byte buffer with the binary format's LEB128 encodings. */
class Writer {
  private buf = new Uint8Array(256);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b;
  }

  bytes(bs: readonly number[]): void {
    for (const b of bs) this.byte(b);
  }

  u32(v: number): void {
    this.room(5);
    v >>>= 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.buf[this.length++] = b;
    } while (v !== 0);
  }

  s32(v: number): void {
    this.room(5);
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { this.buf[this.length++] = b; return; }
      this.buf[this.length++] = b | 0x80;
    }
  }

  s64(v: bigint): void {
    this.room(10);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) { this.buf[this.length++] = b; return; }
      this.buf[this.length++] = b | 0x80;
    }
  }

  u32le(v: number): void {
    this.room(4);
    for (let i = 0; i < 4; i++) this.buf[this.length++] = (v >>> (8 * i)) & 0xff;
  }

  u64le(v: bigint): void {
    this.u32le(Number(v & 0xffffffffn));
    this.u32le(Number((v >> 32n) & 0xffffffffn));
  }

  name(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u32(b.length);
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  append(other: Writer): void {
    this.room(other.length);
    this.buf.set(other.buf.subarray(0, other.length), this.length);
    this.length += other.length;
  }

  section(id: number, fill: (s: Writer) => void): void {
    const s = new Writer();
    fill(s);
    this.byte(id);
    this.u32(s.length);
    this.append(s);
  }

  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.length);
  }
}
