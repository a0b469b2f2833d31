//! The verifier's checks of one instruction on its own: result, operand count and types,
//! immediates, guest pc, and branch targets (invariants 6-10 of `verify.ts`).

import type { Block, BlockCall, BlockId, Inst, Value } from './function.js';
import { IMMEDIATE_FIELDS, immediateFields } from './function.js';
import {
  EXT_FROMS, FREG_MAX, isAccess, isCsr, isFloatCC, isIntCC, isRoundingMode, isTrapKind, MEM_SIZES, XREG_MAX, XREG_MIN,
} from './immediates.js';
import type { OperandKind } from './opcodes.js';
import { FP_OPS, isFpOp, isOpcode, OPCODES } from './opcodes.js';
import { blockName, formatInt, valueName } from './print.js';
import type { Type } from './types.js';
import { bitcastPartner, isFloat, isInt, typeBits, typeBytes } from './types.js';

/** What the instruction checks need to know about the rest of the region. */
export interface InstContext {
  typeOf(v: Value): Type | undefined;
  block(id: BlockId): Block | undefined;
}

const HELPER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Problems with one instruction, as messages that start with its opcode. */
export function checkInst(inst: Inst, ctx: InstContext): string[] {
  if (!isOpcode(inst.op)) return [`unknown opcode '${String(inst.op)}'`];
  const errors: string[] = [];
  const say = (m: string) => errors.push(`${inst.op}: ${m}`);
  checkResult(inst, say);
  checkImmediates(inst, say);
  checkOperands(inst, ctx, say);
  checkPc(inst, say);
  for (const t of inst.targets ?? []) checkTarget(t, ctx, say);
  return errors;
}

type Say = (message: string) => void;

function checkResult(inst: Inst, say: Say): void {
  const info = OPCODES[inst.op];
  const { result, type } = inst;
  if ((result === undefined) !== (type === undefined)) return say('a result needs both a value and a type');
  if (result !== undefined && !(Number.isSafeInteger(result) && result >= 0)) say(`bad value id ${result}`);
  if (info.result === 'none') {
    if (result !== undefined) say(`produces no result, but defines ${valueName(result)}`);
  } else if (type === undefined) {
    if (info.result !== 'call') say(`missing its result`);
  } else if (!info.types.includes(type)) {
    say(`result ${valueName(result)} is ${type}, must be ${info.types.join(' or ')}`);
  } else if (inst.op === 'fexact' && inst.fop !== undefined && isFpOp(inst.fop) && !FP_OPS[inst.fop].results.includes(type)) {
    say(`result ${valueName(result)} of ${inst.fop} is ${type}, must be ${FP_OPS[inst.fop].results.join(' or ')}`);
  }
}

function checkImmediates(inst: Inst, say: Say): void {
  const expected = immediateFields(inst.op);
  for (const f of IMMEDIATE_FIELDS) {
    const present = inst[f] !== undefined;
    if (expected.has(f) && !present) say(`missing immediate '${f}'`);
    if (!expected.has(f) && present) say(`unexpected immediate '${f}'`);
  }
  const t = inst.type;
  switch (inst.op) {
    case 'iconst':
      if (t !== undefined && inst.imm !== undefined && BigInt.asIntN(typeBits(t), inst.imm) !== inst.imm) {
        say(`constant ${formatInt(inst.imm)} is not in the signed ${t} range (write ${formatInt(BigInt.asIntN(typeBits(t), inst.imm))})`);
      }
      break;
    case 'fconst':
      if (t !== undefined && inst.imm !== undefined && BigInt.asUintN(typeBits(t), inst.imm) !== inst.imm) {
        say(`raw bits ${formatInt(inst.imm)} do not fit in ${t}`);
      }
      break;
    case 'getreg':
      if (inst.reg === 0) say('x0 is not allowed (the lifter uses iconst 0)');
      else checkRange(inst.reg, XREG_MIN, XREG_MAX, 'x', say);
      break;
    case 'setreg':
      if (inst.reg === 0) say('x0 is not allowed (the lifter drops writes to x0)');
      else checkRange(inst.reg, XREG_MIN, XREG_MAX, 'x', say);
      break;
    case 'getfreg': case 'setfreg': checkRange(inst.reg, 0, FREG_MAX, 'f', say); break;
    case 'getcsr': case 'setcsr': if (inst.csr !== undefined && !isCsr(inst.csr)) say(`unknown CSR '${inst.csr}'`); break;
    case 'translate': case 'tlbfill': if (inst.access !== undefined && !isAccess(inst.access)) say(`unknown access '${inst.access}'`); break;
    case 'icmp': if (inst.cond !== undefined && !isIntCC(inst.cond)) say(`'${inst.cond}' is not an integer condition`); break;
    case 'fcmp': if (inst.cond !== undefined && !isFloatCC(inst.cond)) say(`'${inst.cond}' is not a float condition`); break;
    case 'trap': if (inst.trap !== undefined && !isTrapKind(inst.trap)) say(`unknown trap kind '${inst.trap}'`); break;
    case 'exit': if (inst.target !== undefined && !isAddress(inst.target)) say(`bad target pc ${inst.target}`); break;
    case 'call': if (inst.helper !== undefined && !HELPER_NAME.test(inst.helper)) say(`bad helper name '${inst.helper}'`); break;
    case 'fexact':
      if (inst.fop !== undefined && !isFpOp(inst.fop)) say(`unknown FP operation '${inst.fop}'`);
      if (inst.rm !== undefined && !isRoundingMode(inst.rm)) say(`unknown rounding mode '${inst.rm}'`);
      break;
    case 'sext': case 'zext':
      if (inst.from !== undefined && t !== undefined && (!EXT_FROMS.includes(inst.from) || inst.from >= typeBits(t))) {
        say(`from ${inst.from} must be 8, 16 or 32 and below the width of ${t}`);
      }
      break;
  }
  if (inst.size !== undefined && !MEM_SIZES.includes(inst.size)) say(`size ${inst.size} must be 1, 2, 4 or 8`);
  if (inst.offset !== undefined && !(Number.isInteger(inst.offset) && inst.offset >= 0 && inst.offset <= 0xffffffff)) {
    say(`offset ${inst.offset} must be in 0 .. 0xffffffff`);
  }
  if (inst.signed !== undefined && typeof inst.signed !== 'boolean') say('signedness must be a boolean');
  if (inst.slot !== undefined && !(Number.isInteger(inst.slot) && inst.slot >= 0 && inst.slot < 0x10000)) say(`slot ${inst.slot} must be in 0 .. 65535`);
  if (inst.cases !== undefined) checkCases(inst.cases, say);
  if (inst.targets !== undefined) {
    const want = OPCODES[inst.op].syntax.filter((p) => p === 'block' || p === 'default').length + (inst.cases?.length ?? 0);
    if (inst.targets.length !== want) say(`needs ${want} target${want === 1 ? '' : 's'}, has ${inst.targets.length}`);
  }
}

function checkRange(reg: number | undefined, min: number, max: number, prefix: string, say: Say): void {
  if (reg !== undefined && !(Number.isInteger(reg) && reg >= min && reg <= max)) {
    say(`${prefix}${reg} is out of range (${prefix}${min}..${prefix}${max})`);
  }
}

function checkCases(cases: readonly bigint[], say: Say): void {
  const seen = new Set<bigint>();
  for (const k of cases) {
    if (seen.has(k)) say(`case ${formatInt(k)} appears twice`);
    seen.add(k);
  }
}

/** Operand count and types; for `switch` also the range of its case keys. */
function checkOperands(inst: Inst, ctx: InstContext, say: Say): void {
  const info = operandRules(inst);
  if (info === undefined) return;
  if (!info.variadic && inst.args.length !== info.operands.length) {
    say(`takes ${info.operands.length} operand${info.operands.length === 1 ? '' : 's'}, has ${inst.args.length}`);
    return;
  }
  const classType: Partial<Record<'int' | 'float', { v: Value; t: Type }>> = {};
  inst.args.forEach((v, i) => {
    const t = ctx.typeOf(v);
    if (t === undefined) return; // undefined values are reported with the uses
    const kind: OperandKind = info.variadic ? 'any' : info.operands[i];
    const want = expectedType(kind, inst.type);
    if (want !== undefined && t !== want) return say(`operand ${valueName(v)} is ${t}, expected ${want}`);
    if (kind === 'int' || kind === 'float') {
      if (kind === 'int' ? !isInt(t) : !isFloat(t)) return say(`operand ${valueName(v)} is ${t}, expected ${kind === 'int' ? 'an integer' : 'a float'}`);
      const first = classType[kind];
      if (first === undefined) classType[kind] = { v, t };
      else if (first.t !== t) say(`operand ${valueName(v)} is ${t}, but ${valueName(first.v)} is ${first.t}`);
    }
  });
  checkAccessWidth(inst, ctx, say);
  if (inst.op === 'switch' && inst.cases !== undefined) {
    const t = ctx.typeOf(inst.args[0]);
    if (t !== undefined && isInt(t)) {
      for (const k of inst.cases) if (BigInt.asIntN(typeBits(t), k) !== k) say(`case ${formatInt(k)} is not in the signed ${t} range`);
    }
  }
}

/** The operands an instruction takes: its opcode's, or for `fexact` its operation's
 * (undefined when the operation is unknown, which is reported with the immediates). */
function operandRules(inst: Inst): { variadic: boolean; operands: readonly OperandKind[] } | undefined {
  if (inst.op !== 'fexact') return OPCODES[inst.op];
  if (inst.fop === undefined || !isFpOp(inst.fop)) return undefined;
  return { variadic: false, operands: FP_OPS[inst.fop].operands };
}

function expectedType(kind: OperandKind, result: Type | undefined): Type | undefined {
  switch (kind) {
    case 'T': return result;
    case 'i32': case 'i64': case 'f32': case 'f64': return kind;
    case 'bitcast': return result === undefined ? undefined : bitcastPartner(result);
    default: return undefined;
  }
}

/** Loads and stores move at most the width of their value; floats exactly their width. */
function checkAccessWidth(inst: Inst, ctx: InstContext, say: Say): void {
  if (inst.size === undefined) return;
  let t: Type | undefined;
  if (inst.op === 'loadg' || inst.op === 'loadgc' || inst.op === 'loadh') t = inst.type;
  else if (inst.op === 'storeg' || inst.op === 'storegc' || inst.op === 'storeh') t = ctx.typeOf(inst.args[1]);
  if (t === undefined || !MEM_SIZES.includes(inst.size)) return;
  if (isFloat(t) && inst.size !== typeBytes(t)) say(`size ${inst.size} does not match ${t} (${typeBytes(t)} bytes)`);
  else if (inst.size > typeBytes(t)) say(`size ${inst.size} is wider than ${t}`);
}

function checkPc(inst: Inst, say: Say): void {
  if (inst.pc === undefined) {
    if (OPCODES[inst.op].mayTrap) say('missing its guest pc (it may trap)');
  } else if (!isAddress(inst.pc)) {
    say(`bad guest pc ${inst.pc}`);
  }
}

function checkTarget(t: BlockCall, ctx: InstContext, say: Say): void {
  const target = ctx.block(t.block);
  if (target === undefined) return say(`target ${blockName(t.block)} does not exist`);
  if (t.args.length !== target.params.length) {
    return say(`${blockName(t.block)} takes ${target.params.length} argument${target.params.length === 1 ? '' : 's'}, given ${t.args.length}`);
  }
  t.args.forEach((v, i) => {
    const have = ctx.typeOf(v);
    const want = target.params[i].type;
    if (have !== undefined && have !== want) say(`argument ${valueName(v)} to ${blockName(t.block)} is ${have}, expected ${want}`);
  });
}

export function isAddress(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
