//! Global value numbering of pure ops over the dominator tree (the dominator-based scheme
//! of Briggs, Cooper and Simpson, "Value Numbering", 1997): an op whose opcode, type,
//! immediates and operands equal those of one in a dominating position is replaced by
//! it. Commutative operands are ordered first, so `add v1, v2` and `add v2, v1` meet.
//!
//!   block0:                              block0:
//!     v3 = add.i64 v0, v1                  v3 = add.i64 v0, v1
//!     condbr v9, block1, block2     =>     condbr v9, block1, block2
//!   block1:                              block1:
//!     v5 = add.i64 v1, v0                  (uses of v5 read v3)
//!
//! Sound because only ops without effects whose result depends on nothing but their
//! operands and immediates are merged (no state or memory reads, nothing that may trap),
//! and the kept one dominates every use of the removed one, so it is computed first on
//! every path. Guest register reads are register promotion's business, not this pass's.

import { computeDominators } from '../ir/dominators.js';
import type { BlockId, Inst, Region, Value } from '../ir/function.js';
import { blockMap, immediateFields } from '../ir/function.js';
import type { Pass } from './pass.js';
import { Forwarding, isPure } from './rewrite.js';

export const gvn: Pass = {
  name: 'gvn',
  summary: 'global value numbering: pure ops computed twice reuse the dominating result',
  run: runGvn,
};

const COMMUTATIVE = new Set<Inst['op']>(['add', 'mul', 'and', 'or', 'xor', 'mulhs', 'mulhu']);

function runGvn(region: Region): void {
  const dom = computeDominators(region);
  const blocks = blockMap(region);
  const fwd = new Forwarding();
  /** Key -> the values computing it, with their blocks, in dominator-tree preorder. */
  const table = new Map<string, { value: Value; block: BlockId }[]>();
  for (const id of dom.preorder()) {
    const block = blocks.get(id)!;
    block.insts = block.insts.filter((inst) => {
      for (let i = 0; i < inst.args.length; i++) inst.args[i] = fwd.resolve(inst.args[i]);
      if (!isPure(inst)) return true;
      const k = key(inst);
      let seen = table.get(k);
      if (seen === undefined) table.set(k, (seen = []));
      // Earlier in this block, or in a block that dominates it.
      const leader = seen.find((s) => dom.dominates(s.block, id));
      if (leader === undefined) {
        seen.push({ value: inst.result!, block: id });
        return true;
      }
      fwd.set(inst.result!, leader.value);
      return false;
    });
  }
  fwd.apply(region);
}

/** The immediates of each opcode, in a fixed order. */
const IMMEDIATES = new Map<Inst['op'], (keyof Inst)[]>();

function key(inst: Inst): string {
  let fields = IMMEDIATES.get(inst.op);
  if (fields === undefined) IMMEDIATES.set(inst.op, (fields = [...immediateFields(inst.op)]));
  let k = `${inst.op}.${inst.type}`;
  const a = inst.args;
  const symmetric = COMMUTATIVE.has(inst.op) || (inst.op === 'icmp' && (inst.cond === 'eq' || inst.cond === 'ne'));
  if (symmetric && a[0] > a[1]) k += ` ${a[1]} ${a[0]}`;
  else for (const v of a) k += ` ${v}`;
  for (const f of fields) k += ` ${String(inst[f])}`;
  return k;
}
