//! Constant folding and algebraic simplification. Pure ops on constants become constants
//! (`evaluate.ts`, exact IR semantics); identities forward a result to an operand; constant
//! chains reassociate so that `sp - 32 + 16` reads as one add to the same base; a branch
//! on a constant becomes a `br` (its other target may then become unreachable: DCE).
//!
//!   v2 = add.i64 v0, v1        ; v1 = iconst -32         v2 = add.i64 v0, v1
//!   v4 = add.i64 v2, v3        ; v3 = iconst 16     =>   v4 = add.i64 v0, v9   ; v9 = iconst -16
//!   v6 = divu.i64 v5, v8       ; v8 = iconst 0           v6 = iconst.i64 -1
//!   v7 = shl.i64 v4, v10       ; v10 = iconst 64         (uses of v7 read v4)
//!
//! Sound because every rewrite is an equality of the op's defined semantics over all
//! operand values (wrapping arithmetic, shift amounts modulo the width, RISC-V division
//! results), and only ops without effects are rewritten or removed: no trapping op, state
//! access or helper call moves, disappears or sees a different operand value. Floats are
//! folded only bitwise (sign ops, bitcasts), never through host FP arithmetic.

import { buildCfg } from '../ir/cfg.js';
import type { BlockCall, Inst, Region, Value } from '../ir/function.js';
import { blockMap, valueTypes } from '../ir/function.js';
import type { IntCC } from '../ir/immediates.js';
import type { Type } from '../ir/types.js';
import { isFloat, typeBits } from '../ir/types.js';
import { type Const, evalCopysign, evalIcmp, evalIntBinary, evalUnary } from './evaluate.js';
import type { Pass } from './pass.js';
import { definitions, Forwarding, freshValue } from './rewrite.js';

export const constfold: Pass = {
  name: 'constfold',
  summary: 'constant folding and algebraic simplification (exact IR semantics), constant branches',
  run: (region) => new Folder(region).run(),
};

/** What simplifying an instruction gave: a constant (a bigint: the instruction becomes
 * it), an existing value (a number: uses are forwarded to it and the instruction goes),
 * or nothing. */
type Simplified = Const | Value | undefined;

const COMMUTATIVE = new Set<Inst['op']>(['add', 'mul', 'and', 'or', 'xor', 'mulhs', 'mulhu']);

/** `a op c` with `a` the result of `b op k`: the same op with the constants combined. */
const REASSOCIATE: Partial<Record<Inst['op'], (k: Const, c: Const) => Const>> = {
  add: (k, c) => k + c,
  and: (k, c) => k & c,
  or: (k, c) => k | c,
  xor: (k, c) => k ^ c,
};

/** The condition with the operands swapped (`c < x` is `x > c`). */
const SWAPPED: Record<IntCC, IntCC> = {
  eq: 'eq', ne: 'ne', slt: 'sgt', sle: 'sge', sgt: 'slt', sge: 'sle', ult: 'ugt', ule: 'uge', ugt: 'ult', uge: 'ule',
};

/** The negated condition (`!(x < y)` is `x >= y`). */
const NEGATED: Record<IntCC, IntCC> = {
  eq: 'ne', ne: 'eq', slt: 'sge', sle: 'sgt', sgt: 'sle', sge: 'slt', ult: 'uge', ule: 'ugt', ugt: 'ule', uge: 'ult',
};

class Folder {
  private readonly fwd = new Forwarding();
  private readonly defs: Map<Value, Inst>;
  private readonly types: Map<Value, Type>;
  private nextValue: number;
  /** Instructions to insert before the one being simplified (new constants). */
  private before: Inst[] = [];

  constructor(private readonly region: Region) {
    this.defs = definitions(region);
    this.types = valueTypes(region);
    this.nextValue = freshValue(region);
  }

  run(): void {
    const cfg = buildCfg(this.region);
    const blocks = blockMap(this.region);
    // Reverse postorder visits definitions before their uses (but around loops), so one
    // walk sees chains of foldable ops whole; unreachable blocks follow.
    const order = [...cfg.rpo, ...this.region.blocks.map((b) => b.id).filter((id) => !cfg.rpo.includes(id))];
    for (const id of order) {
      const block = blocks.get(id)!;
      const out: Inst[] = [];
      for (const inst of block.insts) {
        for (let i = 0; i < inst.args.length; i++) inst.args[i] = this.fwd.resolve(inst.args[i]);
        if (inst.targets !== undefined) for (const t of inst.targets) t.args = t.args.map((v) => this.fwd.resolve(v));
        const s = inst.result !== undefined ? this.simplify(inst) : undefined;
        if (this.before.length > 0) {
          out.push(...this.before);
          this.before = [];
        }
        if (typeof s === 'number') this.fwd.set(inst.result!, s);
        else if (typeof s === 'bigint') out.push(this.constant(inst, s));
        else out.push(inst.op === 'condbr' || inst.op === 'switch' ? this.foldBranch(inst) : inst);
      }
      block.insts = out;
    }
    this.fwd.apply(this.region);
  }

  private constOf(v: Value): Const | undefined {
    const d = this.defs.get(this.fwd.resolve(v));
    return d !== undefined && (d.op === 'iconst' || d.op === 'fconst') ? d.imm : undefined;
  }

  private def(v: Value): Inst | undefined {
    return this.defs.get(this.fwd.resolve(v));
  }

  /** A constant defining the same value as `inst`, which it replaces. (A new object, so
   * that instructions keep one shape: V8 slows down on deleted properties.) */
  private constant(inst: Inst, imm: Const): Inst {
    const c: Inst = { op: isFloat(inst.type!) ? 'fconst' : 'iconst', result: inst.result, type: inst.type, args: [], imm };
    this.defs.set(inst.result!, c);
    return c;
  }

  /** A new constant, inserted before the instruction being simplified. */
  private newConst(type: Type, imm: Const): Value {
    const result = this.nextValue++;
    const inst: Inst = { op: isFloat(type) ? 'fconst' : 'iconst', result, type, args: [], imm };
    this.before.push(inst);
    this.defs.set(result, inst);
    this.types.set(result, type);
    return result;
  }

  private simplify(inst: Inst): Simplified {
    const { op, args } = inst;
    const t = inst.type!;
    if (args.length === 2 && COMMUTATIVE.has(op) && this.constOf(args[0]) !== undefined && this.constOf(args[1]) === undefined) {
      inst.args = [args[1], args[0]];
    }
    const [x, y] = inst.args;
    const cx = x === undefined ? undefined : this.constOf(x);
    const cy = y === undefined ? undefined : this.constOf(y);
    switch (op) {
      case 'add': case 'sub': case 'mul': case 'mulhs': case 'mulhu': case 'mulhsu':
      case 'divs': case 'divu': case 'rems': case 'remu':
      case 'and': case 'or': case 'xor': case 'shl': case 'shrs': case 'shru':
        if (cx !== undefined && cy !== undefined) return evalIntBinary(op, t, cx, cy)!;
        return this.simplifyBinary(inst, cx, cy);
      case 'icmp': return this.simplifyIcmp(inst);
      case 'select': {
        const c = this.constOf(inst.args[0]);
        if (c !== undefined) return c !== 0n ? inst.args[1] : inst.args[2];
        if (inst.args[1] === inst.args[2]) return inst.args[1];
        return undefined;
      }
      case 'sext': case 'zext': case 'extend': case 'fneg': case 'fabs': case 'bitcast':
        if (cx !== undefined) return evalUnary(inst, cx)!;
        // Sign flips and reinterpretations undo themselves, bit for bit.
        if ((op === 'fneg' || op === 'bitcast') && this.def(x)?.op === op) return this.def(x)!.args[0];
        return undefined;
      case 'trunc':
        if (cx !== undefined) return evalUnary(inst, cx)!;
        if (this.def(x)?.op === 'extend') return this.def(x)!.args[0];
        return undefined;
      case 'fcopysign':
        if (cx !== undefined && cy !== undefined) return evalCopysign(t, cx, cy);
        return undefined;
      default: return undefined;
    }
  }

  /** Identities of integer ops with one constant (or two equal) operands. */
  private simplifyBinary(inst: Inst, cx: Const | undefined, c: Const | undefined): Simplified {
    const [x, y] = inst.args;
    const t = inst.type!;
    const n = BigInt(typeBits(t));
    switch (inst.op) {
      case 'sub':
        if (x === y) return 0n;
        if (c === undefined) return undefined;
        // x - c is x + (-c): one canonical form for GVN and reassociation.
        inst.op = 'add';
        inst.args = [x, this.newConst(t, BigInt.asIntN(Number(n), -c))];
        return this.simplifyBinary(inst, cx, this.constOf(inst.args[1]));
      case 'add':
        if (c === 0n) return x;
        break;
      case 'mul':
        if (c === 0n) return 0n;
        if (c === 1n) return x;
        break;
      case 'mulhs': case 'mulhu': case 'mulhsu':
        if (c === 0n || cx === 0n) return 0n;
        break;
      case 'and':
        if (c === 0n) return 0n;
        if (c === -1n || x === y) return x;
        break;
      case 'or':
        if (c === -1n) return -1n;
        if (c === 0n || x === y) return x;
        break;
      case 'xor':
        if (x === y) return 0n;
        if (c === 0n) return x;
        break;
      case 'shl': case 'shrs': case 'shru':
        if (c !== undefined && (BigInt.asUintN(Number(n), c) & (n - 1n)) === 0n) return x;
        if (cx === 0n || (inst.op === 'shrs' && cx === -1n)) return x;
        break;
      case 'divs': case 'divu':
        // RISC-V M: division by zero gives all ones, whatever the dividend.
        if (c === 0n) return -1n;
        if (c === 1n) return x;
        break;
      case 'rems': case 'remu':
        if (c === 0n) return x;
        if (c === 1n) return 0n;
        break;
    }
    const combine = REASSOCIATE[inst.op];
    const inner = this.def(x);
    if (combine !== undefined && c !== undefined && inner?.op === inst.op) {
      const k = this.constOf(inner.args[1]);
      if (k !== undefined) {
        inst.args = [inner.args[0], this.newConst(t, BigInt.asIntN(Number(n), combine(k, c)))];
        return this.simplifyBinary(inst, undefined, this.constOf(inst.args[1]));
      }
    }
    return undefined;
  }

  private simplifyIcmp(inst: Inst): Simplified {
    let [x, y] = inst.args;
    let cond = inst.cond as IntCC;
    if (this.constOf(x) !== undefined && this.constOf(y) === undefined) {
      [x, y] = [y, x];
      cond = SWAPPED[cond];
      inst.args = [x, y];
      inst.cond = cond;
    }
    const t = this.types.get(x)!;
    const cx = this.constOf(x), c = this.constOf(y);
    if (cx !== undefined && c !== undefined) return evalIcmp(cond, t, cx, c);
    if (x === y) return ['eq', 'sle', 'sge', 'ule', 'uge'].includes(cond) ? 1n : 0n;
    if (c === 0n && cond === 'ult') return 0n;
    if (c === 0n && cond === 'uge') return 1n;
    if (c !== 0n || (cond !== 'eq' && cond !== 'ne')) return undefined;
    // Comparisons with zero see through extensions (which keep zero-ness) and booleans.
    const d = this.def(x);
    if (d?.op === 'extend') {
      inst.args = [d.args[0], this.newConst('i32', 0n)];
      return this.simplifyIcmp(inst);
    }
    if (d?.op === 'icmp' || d?.op === 'fcmp') {
      if (cond === 'ne') return x;
      if (d.op === 'icmp') {
        inst.cond = NEGATED[d.cond as IntCC];
        inst.args = [...d.args];
        return this.simplifyIcmp(inst);
      }
    }
    return undefined;
  }

  /** A branch on a constant becomes a `br`, and so does one whose ways all agree. */
  private foldBranch(term: Inst): Inst {
    const targets = term.targets!;
    const c = this.constOf(term.args[0]);
    let to: BlockCall | undefined;
    if (c !== undefined) {
      if (term.op === 'condbr') to = targets[c !== 0n ? 0 : 1];
      else {
        const i = term.cases!.indexOf(BigInt.asIntN(typeBits(this.types.get(term.args[0])!), c));
        to = targets[i >= 0 ? i : targets.length - 1];
      }
    } else if (targets.every((t) => sameCall(t, targets[0]))) {
      to = targets[0];
    }
    return to === undefined ? term : { op: 'br', args: [], targets: [to] };
  }
}

function sameCall(a: BlockCall, b: BlockCall): boolean {
  return a.block === b.block && a.args.length === b.args.length && a.args.every((v, i) => v === b.args[i]);
}
