//! One IR region to one wasm module (`emitRegion`): a single function of type () -> (),
//! exported as REGION_EXPORT, following the region calling convention of
//! `layout/layout.ts`. Blocks are lowered by `lower.ts`, branches structured by
//! `structure.ts`; block parameters are locals, assigned on each incoming edge.

import { REGION_EXPORT } from '../layout/layout.js';
import { buildCfg } from '../ir/cfg.js';
import type { Block, BlockCall, BlockId, Region } from '../ir/function.js';
import { blockMap, terminatorOf } from '../ir/function.js';
import { DirectModule } from './encode.js';
import { binaryenIfLoaded, type Emitter, type Expr, type Module, none as NONE } from './module.js';
import { type LowerOptions, LowerError, Lowering } from './lower.js';
import { type Branch, type CfgNode, structure } from './structure.js';

export { LowerError } from './lower.js';

export interface EmitContext extends LowerOptions {
  /** The guest pc of a block that begins a guest basic block, if known: loop back-edges
   * to it test the interrupt word and may leave the region there. Sound with block
   * parameters too: every guest register is exact at such a block's start (the invariant
   * of `optimizer/pass.ts`), and the guest code from there depends on nothing else, so
   * whatever its parameters carry is recomputed by the region entered at that pc. */
  blockPc?(block: BlockId): number | undefined;
  /** Also return the module as wasm text. */
  text?: boolean;
  /** Run Binaryen's validator (tests); an invalid module throws LowerError. */
  validate?: boolean;
  /** How the module is built: the direct encoder (default) or Binaryen. Binaryen must be
   * loaded (`loadBinaryen`) for `binaryen`, `text` and `validate`. */
  emitter?: Emitter;
}

function createModule(emitter: Emitter): Module {
  const tools = binaryenIfLoaded();
  if (emitter === 'direct') return new DirectModule(tools);
  if (tools === undefined) throw new LowerError('the binaryen emitter needs Binaryen loaded (loadBinaryen)');
  return tools.create();
}

export interface EmittedRegion {
  binary: Uint8Array<ArrayBuffer>;
  text?: string;
  /** External names of the helpers the module imports (besides memory and table). */
  helpers: string[];
  /** Targets of the region's direct exits. */
  exits: number[];
}

/** Lowers `region` to a wasm module. Throws LowerError for IR it cannot lower. */
export function emitRegion(region: Region, ctx: EmitContext): EmittedRegion {
  const m = createModule(ctx.emitter ?? 'direct');
  try {
    const L = new Lowering(m, region, ctx);
    const cfg = buildCfg(region);
    const order = cfg.rpo;
    if (order.length === 0) throw new LowerError('region has no blocks');
    const position = new Map<BlockId, number>(order.map((b, i) => [b, i]));
    const blocks = blockMap(region);
    const dirtyIn = dirtyRegisters(region, order, cfg.preds);
    const exits: number[] = [];

    const nodes: CfgNode[] = order.map((id) => {
      const block = blocks.get(id)!;
      L.beginBlock(id, maskToSet(dirtyIn.get(id)!));
      const code: Expr[] = [...L.countBlock(id)];
      const term = terminatorOf(block);
      if (term === undefined) throw new LowerError(`block${id} has no terminator`);
      for (const inst of block.insts) {
        if (inst === term && (inst.op === 'br' || inst.op === 'condbr' || inst.op === 'switch')) break;
        if (inst.op === 'exit') exits.push(inst.target!);
        code.push(...L.lowerInst(inst));
      }
      const edge = (call: BlockCall): Branch => {
        const parts: Expr[] = [];
        const target = blocks.get(call.block)!;
        if (position.get(call.block)! <= position.get(id)!) {
          // A retreating edge closes a cycle: chained code must still let the runtime in.
          const pc = ctx.blockPc?.(call.block);
          if (pc !== undefined) parts.push(L.interruptCheck(pc));
        }
        const copies = parameterCopies(L, target, call);
        parts.push(...L.takePending(), ...copies);
        return { to: position.get(call.block)!, code: parts.length > 0 ? m.block(parts) : undefined };
      };
      const branches: Branch[] = [];
      switch (term.op) {
        case 'br':
          branches.push(edge(term.targets![0]));
          break;
        case 'condbr': {
          // The condition is evaluated after the block's code, before either edge's.
          const cond = L.get(term.args[0]);
          code.push(...L.takePending());
          branches.push({ ...edge(term.targets![0]), cond });
          branches.push(edge(term.targets![1]));
          break;
        }
        case 'switch': {
          const t = L.typeOf(term.args[0]);
          const key = L.getL(term.args[0]);
          code.push(...L.takePending());
          term.cases!.forEach((k, i) => {
            branches.push({ ...edge(term.targets![i]), cond: m.eq(t, key(), m.iconst(t, k)) });
          });
          branches.push(edge(term.targets![term.cases!.length]));
          break;
        }
      }
      return { code: m.block(code), branches };
    });

    const body = L.wrapBody(structure(m, nodes, L.labelLocal));
    L.declareImports();
    m.addFunction(REGION_EXPORT, [], NONE, L.locals, body);
    m.exportFunction(REGION_EXPORT, REGION_EXPORT);
    if (ctx.validate && !m.validate()) throw new LowerError(`Binaryen rejected the module of region 0x${region.entry.toString(16)}`);
    return {
      binary: m.emitBinary(),
      text: ctx.text ? m.emitText() : undefined,
      helpers: [...L.helpers.keys()],
      exits,
    };
  } finally {
    m.dispose();
  }
}

/** Assigns the branch arguments to the target's parameter locals, as one parallel copy. */
function parameterCopies(L: Lowering, target: Block, call: BlockCall): Expr[] {
  const m = L.m;
  const pairs = target.params
    .map((p, i) => ({ dst: p.value, src: call.args[i] }))
    .filter((p) => p.dst !== p.src);
  // Sequential copies are enough unless one overwrites a parameter a later one reads,
  // directly or inside a deferred expression (which may read any value's local).
  const clobbers = pairs.length > 1 &&
    pairs.some((q) => !L.isStable(q.src) || pairs.some((p) => q !== p && q.src === p.dst));
  if (!clobbers) return pairs.map((p) => m.set(L.local(p.dst), L.get(p.src)));
  const temps = pairs.map((p) => {
    const t = L.addLocal(L.localType(L.local(p.dst)));
    return { t, set: m.set(t, L.get(p.src)) };
  });
  return [...temps.map((x) => x.set), ...pairs.map((p, i) => m.set(L.local(p.dst), m.get(temps[i].t, L.localType(temps[i].t))))];
}

/** Registers that may be dirty (written since entry or since the last helper call) at
 * the start of each block: a forward may-analysis over the CFG, as x-register bitmasks. */
function dirtyRegisters(region: Region, order: readonly BlockId[], preds: ReadonlyMap<BlockId, readonly BlockId[]>): Map<BlockId, number> {
  const blocks = blockMap(region);
  const transfer = (id: BlockId, mask: number): number => {
    for (const inst of blocks.get(id)!.insts) {
      if (inst.op === 'setreg') mask |= 1 << inst.reg!;
      else if (inst.op === 'call') mask = 0;
    }
    return mask;
  };
  const inMask = new Map<BlockId, number>(order.map((b) => [b, 0]));
  const outMask = new Map<BlockId, number>(order.map((b) => [b, transfer(b, 0)]));
  for (let changed = true; changed;) {
    changed = false;
    for (const b of order) {
      let mask = 0;
      for (const p of preds.get(b) ?? []) mask |= outMask.get(p) ?? 0;
      if (mask === inMask.get(b)) continue;
      inMask.set(b, mask);
      const out = transfer(b, mask);
      if (out !== outMask.get(b)) outMask.set(b, out);
      changed = true;
    }
  }
  return inMask;
}

function maskToSet(mask: number): Set<number> {
  const s = new Set<number>();
  for (let r = 1; r < 32; r++) if (mask & (1 << r)) s.add(r);
  return s;
}
