//! The IR verifier: run after building, after parsing and after every pass. It returns
//! every problem it finds (`verify`), or throws them all (`verifyOrThrow`).
//!
//! Invariants checked:
//!  1. The region has at least one block; its entry pc is a non-negative safe integer.
//!  2. Block ids are unique.
//!  3. The entry block (first in layout) has no parameters and is no branch target.
//!  4. Every block ends in exactly one terminator and has none elsewhere (so none is empty).
//!  5. Every value is defined exactly once, as a block parameter or an instruction result.
//!  6. Every opcode is known; the result is present exactly when the opcode defines one
//!     (optional for `call`), with a type the opcode allows; value ids are valid.
//!  7. Operand counts match the opcode (`call` takes any; `fexact` as its operation says);
//!     operand types match its operand kinds (result type, fixed type, integer, float,
//!     bitcast partner), and all integer (or all float) operands of one instruction have
//!     one type; an `fexact` result has a type its operation allows.
//!  8. Immediates are present exactly as the opcode's syntax names them, and valid: iconst
//!     values sign-normalized to the type, fconst bits within its width; x1..x31 for
//!     getreg/setreg (x0 is rejected: the lifter uses iconst 0 and drops writes), f0..f31;
//!     CSR fflags/frm; sizes 1, 2, 4, 8, no wider than the loaded or stored value (floats:
//!     exactly their width); sext/zext from 8, 16, 32 and below the width; offsets in u32;
//!     known conditions, access and trap kinds, FP operations and rounding modes; helper
//!     names are identifiers.
//!  9. Ops that may trap carry a guest pc; every pc and exit target is a non-negative safe
//!     integer.
//! 10. Branch targets exist and get as many arguments as they have parameters, of the
//!     same types; a switch has one target per case plus the default, and distinct case
//!     keys in the signed range of its operand's type.
//! 11. Every used value is defined, and its definition dominates the use: a block
//!     parameter is defined at its block's entry, a result right after its instruction,
//!     and branch arguments are used at the terminator. In blocks unreachable from the
//!     entry, uses are only checked for being defined.

import { buildCfg } from './cfg.js';
import { computeDominators } from './dominators.js';
import type { Block, BlockId, Inst, Region, Value } from './function.js';
import { blockMap, instUses, valueTypes } from './function.js';
import { OPCODES, isOpcode } from './opcodes.js';
import { blockName, formatAddress, printInst, valueName } from './print.js';
import { sourceLine } from './source.js';
import { checkInst, isAddress } from './verify-inst.js';

export interface VerifyError {
  /** `blockN: what is wrong`, or a region-level message. */
  readonly message: string;
  readonly block?: BlockId;
  readonly inst?: Inst;
  /** The text line, when the region was parsed. */
  readonly line?: number;
}

export class VerifyFailed extends Error {
  constructor(readonly errors: readonly VerifyError[], message: string) {
    super(message);
    this.name = 'VerifyFailed';
  }
}

interface Definition {
  block: BlockId;
  /** Index of the defining instruction; -1 for a block parameter. */
  index: number;
}

export function verify(region: Region): VerifyError[] {
  const errors: VerifyError[] = [];
  const report = (message: string, block?: Block, inst?: Inst) => {
    const line = (inst && sourceLine(inst)) ?? (block && sourceLine(block)) ?? sourceLine(region);
    errors.push({
      message: block ? `${blockName(block.id)}: ${message}` : message,
      ...(block ? { block: block.id } : {}),
      ...(inst ? { inst } : {}),
      ...(line !== undefined ? { line } : {}),
    });
  };

  if (!isAddress(region.entry)) report(`bad entry pc ${region.entry}`);
  if (region.blocks.length === 0) {
    report('the region has no blocks');
    return errors;
  }
  const blocks = blockMap(region);
  const types = valueTypes(region);
  const defs = new Map<Value, Definition>();
  const define = (v: Value, block: Block, index: number, inst?: Inst) => {
    const first = defs.get(v);
    if (first !== undefined) report(`${valueName(v)} is defined twice (first in ${blockName(first.block)})`, block, inst);
    else defs.set(v, { block: block.id, index });
  };

  const entry = region.blocks[0];
  if (entry.params.length > 0) report('the entry block cannot have parameters', entry);
  const seenBlocks = new Set<BlockId>();
  for (const block of region.blocks) {
    if (seenBlocks.has(block.id)) report(`${blockName(block.id)} is defined twice`, block);
    seenBlocks.add(block.id);
    for (const p of block.params) {
      if (!(Number.isSafeInteger(p.value) && p.value >= 0)) report(`bad value id ${p.value}`, block);
      define(p.value, block, -1);
    }
    checkTerminators(block, (m, inst) => report(m, block, inst));
    const ctx = { typeOf: (v: Value) => types.get(v), block: (id: BlockId) => blocks.get(id) };
    block.insts.forEach((inst, index) => {
      for (const m of checkInst(inst, ctx)) report(m, block, inst);
      if (inst.result !== undefined) define(inst.result, block, index, inst);
    });
  }

  const cfg = buildCfg(region);
  for (const p of cfg.preds.get(entry.id) ?? []) {
    report(`the entry block cannot be a branch target (from ${blockName(p)})`, blocks.get(p), blocks.get(p)?.insts.at(-1));
  }
  const dom = computeDominators(region, cfg);
  for (const block of region.blocks) {
    if (blocks.get(block.id) !== block) continue; // a duplicate block, already reported
    const reachable = dom.isReachable(block.id);
    block.insts.forEach((inst, index) => {
      const reported = new Set<Value>();
      for (const v of instUses(inst)) {
        if (reported.has(v)) continue;
        const def = defs.get(v);
        const ok = def !== undefined && (!reachable || (def.block === block.id ? def.index < index : dom.dominates(def.block, block.id)));
        if (ok) continue;
        reported.add(v);
        report(def === undefined ? `${valueName(v)} is not defined`
          : `${valueName(v)} used before its definition (defined in ${blockName(def.block)})`, block, inst);
      }
    });
  }
  return errors;
}

function checkTerminators(block: Block, report: (message: string, inst?: Inst) => void): void {
  const last = block.insts.at(-1);
  if (last === undefined) return report('empty block (it needs a terminator)');
  block.insts.forEach((inst, i) => {
    if (i < block.insts.length - 1 && isOpcode(inst.op) && OPCODES[inst.op].terminator) {
      report(`terminator '${inst.op}' in the middle of the block`, inst);
    }
  });
  if (!isOpcode(last.op) || !OPCODES[last.op].terminator) report(`does not end in a terminator (last is '${last.op}')`, last);
}

/** The errors, one per line with their text line and instruction, under a heading
 * naming the region. */
export function formatVerifyErrors(region: Region, errors: readonly VerifyError[]): string {
  const lines = [`region @${formatAddress(region.entry)}: ${errors.length} verifier error${errors.length === 1 ? '' : 's'}`];
  for (const e of errors) {
    lines.push(`  ${e.line !== undefined ? `line ${e.line}: ` : ''}${e.message}`);
    if (e.inst !== undefined) lines.push(`      ${printInst(e.inst)}`);
  }
  return lines.join('\n');
}

/** Throws a `VerifyFailed` listing every error; `context` (e.g. "after pass dce") leads
 * the message. */
export function verifyOrThrow(region: Region, context?: string): void {
  const errors = verify(region);
  if (errors.length === 0) return;
  const text = formatVerifyErrors(region, errors);
  throw new VerifyFailed(errors, context ? `${context}: ${text}` : text);
}
