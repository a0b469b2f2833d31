//! Every IR opcode, defined once: result rule, operand kinds, text syntax, effects, and a
//! one-line doc. The printer, parser, verifier and builder all read this table.
//!
//! Semantics shared by many rows:
//! - Integer ops wrap; shifts take the amount modulo the width (as RISC-V and wasm do).
//!   Division never traps: it has RISC-V M semantics (spec 13.2), which the backend
//!   must reproduce around wasm's trapping `div`/`rem`.
//! - FP arithmetic rounds to nearest-even and records no exception flags; a NaN result
//!   is the canonical NaN (0x7fc00000 / 0x7ff8000000000000, RISC-V spec 11.3). `fexact`
//!   is the RISC-V operation itself: any rounding mode, exception flags accrued into
//!   fflags (its operations are listed in FP_OPS). Sign ops (`fneg`, `fabs`, `fcopysign`)
//!   are bitwise and keep NaN payloads.
//! - A trapping op ("may trap") carries the guest pc of its instruction, and a trap
//!   makes all guest state observable, so every such op also reads `state`.

import type { Type } from './types.js';
import { FLOAT_TYPES, INT_TYPES, TYPES } from './types.js';

/** How the result type is found: `ctrl` = polymorphic over `types`, printed as the
 * `.type` suffix; a fixed type; `none`; `call` = optional result of any type. */
export type ResultRule = 'none' | 'ctrl' | 'call' | Type;

/** What each value operand must be: a fixed type; `T` = the result type; `int`/`float` =
 * any type of that class, and all `int` (or all `float`) operands of one instruction
 * agree; `any`; `bitcast` = same width as the result, other class. */
export type OperandKind = Type | 'T' | 'int' | 'float' | 'any' | 'bitcast';

/** The pieces of an instruction's text after the opcode, in order, comma-separated.
 * `arg` is the next value operand; the others are immediates or targets:
 * imm `-8` | bits `0x3ff0000000000000` | xreg `x10` | freg `f3` | csr `frm` |
 * size `size 8` | ext `signed` | access `write` | offset `offset 16` | icc `slt` |
 * fcc `lt` | from `from 32` | trap `illegal` | target `0x10080` | callee `@name(v1, v2)` |
 * block `block1(v2)` | cases `[0: block1, 7: block2(v3)]` | default `default block3` |
 * slot `slot 2` (a translation cache slot of the region, see `loadgc`) |
 * fop `madd` (an operation of FP_OPS) | rm `dyn` (a rounding mode) | args `v1, v2, v3`
 * (the value operands of a variadic op, as many as it takes). */
export type Piece =
  | 'arg' | 'imm' | 'bits' | 'xreg' | 'freg' | 'csr' | 'size' | 'ext' | 'access' | 'offset'
  | 'icc' | 'fcc' | 'from' | 'trap' | 'target' | 'callee' | 'block' | 'cases' | 'default'
  | 'slot' | 'fop' | 'rm' | 'args';

/** What an op reads or writes besides its operands: guest CPU state (x, f, fflags, frm),
 * guest memory, and the address mapping (page table and TLB). */
export type Resource = 'state' | 'mem' | 'mmu';

export interface OpInfo {
  readonly result: ResultRule;
  /** Allowed result types (for `ctrl` the polymorphic set; empty for `none`). */
  readonly types: readonly Type[];
  /** Value operands, in order. `call` takes any number of operands of any type. */
  readonly operands: readonly OperandKind[];
  readonly variadic: boolean;
  readonly syntax: readonly Piece[];
  /** Ends a block, and only that. */
  readonly terminator: boolean;
  /** Can leave the region with a guest trap (fault, syscall, ...): carries a pc. */
  readonly mayTrap: boolean;
  /** Must not be deleted, duplicated or reordered against other such ops, even if unused. */
  readonly sideEffects: boolean;
  readonly reads: readonly Resource[];
  readonly writes: readonly Resource[];
  readonly doc: string;
}

const PURE = { variadic: false, terminator: false, mayTrap: false, sideEffects: false, reads: [], writes: [] } as const;

function resultTypes(result: ResultRule, types?: readonly Type[]): readonly Type[] {
  if (result === 'none') return [];
  if (result === 'ctrl' || result === 'call') return types ?? TYPES;
  return [result];
}

function pure(result: ResultRule, types: readonly Type[] | undefined, operands: readonly OperandKind[],
  syntax: readonly Piece[], doc: string): OpInfo {
  return { ...PURE, result, types: resultTypes(result, types), operands, syntax, doc };
}

const intBinary = (doc: string) => pure('ctrl', INT_TYPES, ['T', 'T'], ['arg', 'arg'], doc);
const floatUnary = (doc: string) => pure('ctrl', FLOAT_TYPES, ['T'], ['arg'], doc);
const floatBinary = (doc: string) => pure('ctrl', FLOAT_TYPES, ['T', 'T'], ['arg', 'arg'], doc);

function stateRead(result: Type, syntax: readonly Piece[], doc: string): OpInfo {
  return { ...pure(result, undefined, [], syntax, doc), reads: ['state'] };
}

function stateWrite(operand: Type, syntax: readonly Piece[], doc: string): OpInfo {
  return { ...pure('none', undefined, [operand], syntax, doc), sideEffects: true, writes: ['state'] };
}

function guestAccess(info: OpInfo, writes: readonly Resource[], extraReads: readonly Resource[]): OpInfo {
  return { ...info, mayTrap: true, sideEffects: true, reads: ['state', 'mmu', ...extraReads], writes };
}

function terminator(operands: readonly OperandKind[], syntax: readonly Piece[], doc: string, mayTrap = false): OpInfo {
  return { ...pure('none', undefined, operands, syntax, doc), terminator: true, mayTrap, sideEffects: true, reads: ['state'] };
}

const TABLE = {
  // ---- constants ----
  iconst: pure('ctrl', INT_TYPES, [], ['imm'], 'integer constant (decimal, or hex when large; held sign-normalized to the type)'),
  fconst: pure('ctrl', FLOAT_TYPES, [], ['bits'], 'float constant written as its raw IEEE bits, so NaN payloads survive'),

  // ---- guest CPU state ----
  getreg: stateRead('i64', ['xreg'], 'read guest integer register xN, N in 1..31 (x0 is iconst 0)'),
  setreg: stateWrite('i64', ['xreg', 'arg'], 'write guest integer register xN, N in 1..31 (x0 writes are dropped by the lifter)'),
  getfreg: stateRead('i64', ['freg'], 'read guest FP register fN as raw bits (f32 values NaN-boxed)'),
  setfreg: stateWrite('i64', ['freg', 'arg'], 'write guest FP register fN as raw bits'),
  getcsr: stateRead('i32', ['csr'], 'read fflags (bits 0..4: NX UF OF DZ NV) or frm (0..7)'),
  setcsr: stateWrite('i32', ['csr', 'arg'], 'write fflags or frm'),

  // ---- guest memory, before lowering ----
  loadg: guestAccess(pure('ctrl', TYPES, ['i64'], ['arg', 'size', 'ext'],
    'load size bytes at a guest vaddr, sign/zero-extended to the result (float: size = width); may fault'), [], ['mem']),
  storeg: guestAccess(pure('none', undefined, ['i64', 'any'], ['arg', 'arg', 'size'],
    'store the low size bytes of the value at a guest vaddr; may fault'), ['mem'], []),

  // ---- guest memory through a translation cache slot (optimizer/translation-cache.ts) ----
  // A slot is region-local state: the page and host addend of the last translation made
  // through it, empty on entry to the region and after every `call`. Which accesses share
  // a slot is a pure performance choice: each op means exactly what loadg/storeg means.
  loadgc: guestAccess(pure('ctrl', TYPES, ['i64'], ['arg', 'size', 'ext', 'slot'],
    'loadg that first tries the page held in the slot (one compare), else translates and refills the slot'), [], ['mem']),
  storegc: guestAccess(pure('none', undefined, ['i64', 'any'], ['arg', 'arg', 'size', 'slot'],
    'storeg that first tries the page held in the slot (one compare), else translates and refills the slot'), ['mem'], []),
  tlbfill: { ...pure('none', undefined, ['i64'], ['arg', 'access', 'slot'],
    'fill the slot with the page of a guest vaddr if the TLB holds it for the access; never faults, never observable'),
    sideEffects: true, reads: ['mmu'] },

  // ---- guest memory, lowered: TLB lookup, then host access ----
  translate: guestAccess(pure('i32', undefined, ['i64'], ['arg', 'size', 'access'],
    'TLB lookup: host address of size bytes at a guest vaddr for read/write/exec; the slow path fills or faults'), [], []),
  loadh: { ...pure('ctrl', TYPES, ['i32'], ['arg', 'offset', 'size', 'ext'],
    'load size bytes at host address + offset, sign/zero-extended (float: size = width)'), reads: ['mem'] },
  storeh: { ...pure('none', undefined, ['i32', 'any'], ['arg', 'arg', 'offset', 'size'],
    'store the low size bytes of the value at host address + offset'), sideEffects: true, writes: ['mem'] },

  // ---- integer arithmetic (i32, i64) ----
  add: intBinary('wrapping addition'),
  sub: intBinary('wrapping subtraction'),
  mul: intBinary('low half of the product'),
  mulhs: intBinary('high half of the signed x signed product'),
  mulhu: intBinary('high half of the unsigned x unsigned product'),
  mulhsu: intBinary('high half of the signed (first) x unsigned (second) product'),
  divs: intBinary('signed division toward zero; x / 0 = -1, MIN / -1 = MIN'),
  divu: intBinary('unsigned division; x / 0 = all ones'),
  rems: intBinary('signed remainder, sign of the dividend; x % 0 = x, MIN % -1 = 0'),
  remu: intBinary('unsigned remainder; x % 0 = x'),
  and: intBinary('bitwise and'),
  or: intBinary('bitwise or'),
  xor: intBinary('bitwise exclusive or'),
  shl: intBinary('shift left by the second operand modulo the width'),
  shrs: intBinary('arithmetic shift right by the second operand modulo the width'),
  shru: intBinary('logical shift right by the second operand modulo the width'),

  // ---- comparison, selection, integer conversions ----
  icmp: pure('i32', undefined, ['int', 'int'], ['icc', 'arg', 'arg'], 'compare two integers of one type: 1 if the condition holds, else 0'),
  select: pure('ctrl', TYPES, ['i32', 'T', 'T'], ['arg', 'arg', 'arg'], 'the first value if the i32 condition is non-zero, else the second'),
  sext: pure('ctrl', INT_TYPES, ['T'], ['arg', 'from'], 'sign-extend the low `from` bits (8, 16, 32; below the width) over the whole value'),
  zext: pure('ctrl', INT_TYPES, ['T'], ['arg', 'from'], 'zero-extend the low `from` bits (8, 16, 32; below the width) over the whole value'),
  trunc: pure('i32', undefined, ['i64'], ['arg'], 'low 32 bits of an i64'),
  extend: pure('i64', undefined, ['i32'], ['arg', 'ext'], 'widen an i32 to i64, sign- or zero-extending'),

  // ---- floating point (f32, f64) ----
  fadd: floatBinary('addition'),
  fsub: floatBinary('subtraction'),
  fmul: floatBinary('multiplication'),
  fdiv: floatBinary('division'),
  fsqrt: floatUnary('square root'),
  fmin: floatBinary('RISC-V fmin: minimumNumber (a NaN operand yields the other), -0 < +0'),
  fmax: floatBinary('RISC-V fmax: maximumNumber (a NaN operand yields the other), -0 < +0'),
  fneg: floatUnary('flip the sign bit'),
  fabs: floatUnary('clear the sign bit'),
  fcopysign: floatBinary('magnitude of the first, sign bit of the second'),
  fma: pure('ctrl', FLOAT_TYPES, ['T', 'T', 'T'], ['arg', 'arg', 'arg'], 'a x b + c with a single rounding'),
  fcmp: pure('i32', undefined, ['float', 'float'], ['fcc', 'arg', 'arg'], 'compare two floats of one type (quiet): 1 if the condition holds, else 0'),
  fcvt_to_sint: pure('ctrl', INT_TYPES, ['float'], ['arg'], 'float to signed integer toward zero, saturating; NaN gives the maximum (RISC-V fcvt)'),
  fcvt_to_uint: pure('ctrl', INT_TYPES, ['float'], ['arg'], 'float to unsigned integer toward zero, saturating (negative gives 0); NaN gives all ones'),
  fcvt_from_sint: pure('ctrl', FLOAT_TYPES, ['int'], ['arg'], 'signed integer to float, rounding to nearest-even'),
  fcvt_from_uint: pure('ctrl', FLOAT_TYPES, ['int'], ['arg'], 'unsigned integer to float, rounding to nearest-even'),
  fpromote: pure('f64', undefined, ['f32'], ['arg'], 'f32 to f64, exact'),
  fdemote: pure('f32', undefined, ['f64'], ['arg'], 'f64 to f32, rounding to nearest-even'),
  bitcast: pure('ctrl', TYPES, ['bitcast'], ['arg'], 'reinterpret the bits of a same-width value of the other class'),

  // ---- RISC-V floating point, exact ----
  fexact: { ...pure('ctrl', [...FLOAT_TYPES, 'i64'], [], ['fop', 'rm', 'args'],
    'RISC-V F/D operation fop (FP_OPS) rounded under rm (dyn: frm), accruing its exception flags into fflags; SIGILL if rm is dyn and frm is reserved'),
    variadic: true, mayTrap: true, sideEffects: true, reads: ['state'], writes: ['state'] },
  fclass: pure('i64', undefined, ['float'], ['arg'], 'RISC-V fclass: the class of a float as one bit, 0 (-inf) .. 9 (quiet NaN)'),

  // ---- helper calls ----
  call: { ...pure('call', TYPES, [], ['callee'], 'call a runtime helper (syscall, slow path, rare FP case) with any operands; result optional'),
    variadic: true, mayTrap: true, sideEffects: true, reads: ['state', 'mem', 'mmu'], writes: ['state', 'mem', 'mmu'] },

  // ---- terminators ----
  br: terminator([], ['block'], 'jump to a block, passing its parameters'),
  condbr: terminator(['i32'], ['arg', 'block', 'block'], 'to the first block if the i32 condition is non-zero, else to the second'),
  switch: terminator(['int'], ['arg', 'cases', 'default'], 'to the block of the case equal to the value, else to the default'),
  exit: terminator([], ['target'], 'leave the region for a known guest pc (direct, chainable)'),
  exitind: terminator(['i64'], ['arg'], 'leave the region for a computed guest pc (indirect jump)'),
  trap: terminator([], ['trap'], 'leave the region with a guest trap at the pc: illegal (SIGILL), ebreak (SIGTRAP), ecall (syscall, resumes at pc + 4)', true),
} satisfies Record<string, OpInfo>;

export type Opcode = keyof typeof TABLE;

/** One operation of `fexact`: the result types it allows and its operands (kinds as for
 * opcodes; `T` = the result type). */
export interface FpOpInfo {
  readonly results: readonly Type[];
  readonly operands: readonly OperandKind[];
  readonly doc: string;
}

const FLOAT_RESULT = (operands: readonly OperandKind[], doc: string): FpOpInfo => ({ results: FLOAT_TYPES, operands, doc });
const TO_INT = (doc: string): FpOpInfo => ({ results: ['i64'], operands: ['float'], doc });
const FROM_INT = (doc: string): FpOpInfo => FLOAT_RESULT(['i64'], doc);

/** The operations of `fexact`, after the RISC-V instructions of the same names
 * (unprivileged spec, F and D chapters). Integer results are the x register's value
 * (32-bit results sign-extended); integer operands are a whole x register. */
const FP_TABLE = {
  add: FLOAT_RESULT(['T', 'T'], 'fadd: a + b'),
  sub: FLOAT_RESULT(['T', 'T'], 'fsub: a - b'),
  mul: FLOAT_RESULT(['T', 'T'], 'fmul: a x b'),
  div: FLOAT_RESULT(['T', 'T'], 'fdiv: a / b'),
  sqrt: FLOAT_RESULT(['T'], 'fsqrt: square root of a'),
  madd: FLOAT_RESULT(['T', 'T', 'T'], 'fmadd: a x b + c, rounded once'),
  msub: FLOAT_RESULT(['T', 'T', 'T'], 'fmsub: a x b - c, rounded once'),
  nmsub: FLOAT_RESULT(['T', 'T', 'T'], 'fnmsub: -(a x b) + c, rounded once'),
  nmadd: FLOAT_RESULT(['T', 'T', 'T'], 'fnmadd: -(a x b) - c, rounded once'),
  to_w: TO_INT('fcvt.w: to a signed 32-bit integer, saturating, NaN gives the maximum'),
  to_wu: TO_INT('fcvt.wu: to an unsigned 32-bit integer, saturating, NaN gives the maximum'),
  to_l: TO_INT('fcvt.l: to a signed 64-bit integer, saturating, NaN gives the maximum'),
  to_lu: TO_INT('fcvt.lu: to an unsigned 64-bit integer, saturating, NaN gives the maximum'),
  from_w: FROM_INT('fcvt.*.w: from the signed low 32 bits'),
  from_wu: FROM_INT('fcvt.*.wu: from the unsigned low 32 bits'),
  from_l: FROM_INT('fcvt.*.l: from the signed 64 bits'),
  from_lu: FROM_INT('fcvt.*.lu: from the unsigned 64 bits'),
  demote: { results: ['f32'], operands: ['f64'], doc: 'fcvt.s.d: f64 to f32' },
  promote: { results: ['f64'], operands: ['f32'], doc: 'fcvt.d.s: f32 to f64 (exact; only a signaling NaN raises a flag)' },
} satisfies Record<string, FpOpInfo>;

export type FpOp = keyof typeof FP_TABLE;

export const FP_OPS: Readonly<Record<FpOp, FpOpInfo>> = FP_TABLE;

export const FP_OP_NAMES: readonly FpOp[] = Object.keys(FP_TABLE) as FpOp[];

export function isFpOp(s: string): s is FpOp {
  return Object.prototype.hasOwnProperty.call(FP_TABLE, s);
}

export const OPCODES: Readonly<Record<Opcode, OpInfo>> = TABLE;

export const OPCODE_NAMES: readonly Opcode[] = Object.keys(TABLE) as Opcode[];

export function isOpcode(s: string): s is Opcode {
  return Object.prototype.hasOwnProperty.call(TABLE, s);
}

export function opInfo(op: Opcode): OpInfo {
  return TABLE[op];
}
