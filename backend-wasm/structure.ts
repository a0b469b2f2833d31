//! Structured control flow from a CFG. Reducible CFGs (all that compilers emit, and nearly
//! all guest regions) are structured from the dominator tree as in Ramsey, "Beyond
//! Relooper" (ICFP 2022): a loop header becomes a wasm `loop`, a merge node (two or more
//! forward in-edges) becomes the code after a `block` that the branches to it leave, and
//! any other node is placed inline at its one incoming branch. So every node's code is
//! emitted once and loops stay loops. An irreducible CFG (a cycle with two entries) gets
//! a dispatch loop instead: `loop { br_table on a label local }`, one arm per node.
//!
//!   A: if (c) goto B else goto C;  B: ...goto D;  C: ...goto D;  D: goto A or exit
//!   =>  loop $L0 { block $B3 { if (c) { B } else { C } }  D }
//!
//! Branches in node code to labels outside the structure (the function's shared tails)
//! are fine: the structurer never looks inside node code.

import { type Expr, i32, type Module } from './module.js';

export interface Branch {
  to: number;
  /** i32 condition, or undefined for the default branch (which must come last). */
  cond?: Expr;
  /** Code run on this edge only (parameter copies, interrupt checks). */
  code?: Expr;
}

export interface CfgNode {
  code: Expr;
  /** Empty when the code leaves the function itself (return, tail call, branch out). */
  branches: Branch[];
}

/** The structured code for `nodes`, which must be in reverse postorder from the entry
 * (node 0); `labelLocal` is an i32 local the irreducible fallback may use. */
export function structure(m: Module, nodes: readonly CfgNode[], labelLocal: number): Expr {
  const succs = nodes.map((n) => n.branches.map((b) => b.to));
  const idom = dominators(succs);
  const dominates = (a: number, b: number): boolean => {
    for (let x = b; ; x = idom[x]) {
      if (x === a) return true;
      if (x === 0) return a === 0;
    }
  };
  const forwardIn = new Array<number>(nodes.length).fill(0);
  const loopHeader = new Array<boolean>(nodes.length).fill(false);
  let reducible = true;
  succs.forEach((out, from) => {
    for (const to of out) {
      if (to > from) forwardIn[to]++;
      else if (dominates(to, from)) loopHeader[to] = true;
      else reducible = false;
    }
  });
  if (!reducible) return dispatchLoop(m, nodes, labelLocal);

  const children: number[][] = nodes.map(() => []);
  for (let i = 1; i < nodes.length; i++) children[idom[i]].push(i);
  const isMerge = (n: number) => forwardIn[n] >= 2;

  const doTree = (x: number): Expr => {
    // Merge children, the last in reverse postorder outermost.
    const merges = children[x].filter(isMerge).sort((a, b) => b - a);
    const body = nodeWithin(x, merges);
    return loopHeader[x] ? m.loop(`L${x}`, body) : body;
  };
  const nodeWithin = (x: number, merges: number[]): Expr => {
    if (merges.length === 0) return m.block([nodes[x].code, branchCode(x)]);
    const [y, ...rest] = merges;
    return m.block([m.block([nodeWithin(x, rest)], undefined, `B${y}`), doTree(y)]);
  };
  const doBranch = (from: number, b: Branch): Expr => {
    const go = b.to <= from ? m.br(`L${b.to}`) : isMerge(b.to) ? m.br(`B${b.to}`) : doTree(b.to);
    return b.code === undefined ? go : m.block([b.code, go]);
  };
  const branchCode = (x: number): Expr => chain(m, nodes[x].branches, (b) => doBranch(x, b));
  return doTree(0);
}

/** `if (c1) e1 else if (c2) e2 ... else default`; a nop when there are no branches. */
function chain(m: Module, branches: readonly Branch[], arm: (b: Branch) => Expr): Expr {
  if (branches.length === 0) return m.nop();
  let out = arm(branches[branches.length - 1]);
  if (branches[branches.length - 1].cond !== undefined) out = m.if(branches[branches.length - 1].cond!, out);
  for (let i = branches.length - 2; i >= 0; i--) out = m.if(branches[i].cond!, arm(branches[i]), out);
  return out;
}

/** Immediate dominators of nodes numbered in reverse postorder (Cooper, Harvey and
 * Kennedy); idom[0] = 0. */
function dominators(succs: readonly number[][]): number[] {
  const n = succs.length;
  const preds: number[][] = Array.from({ length: n }, () => []);
  succs.forEach((out, from) => { for (const to of out) preds[to].push(from); });
  const idom = new Array<number>(n).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (a > b) a = idom[a];
      while (b > a) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let b = 1; b < n; b++) {
      let d = -1;
      for (const p of preds[b]) if (idom[p] !== -1) d = d === -1 ? p : intersect(p, d);
      if (d !== -1 && idom[b] !== d) {
        idom[b] = d;
        changed = true;
      }
    }
  }
  return idom;
}

/** The irreducible fallback: label = 0; loop { dispatch on label to node code; each
 * branch sets the label and continues the loop }. */
function dispatchLoop(m: Module, nodes: readonly CfgNode[], labelLocal: number): Expr {
  const labels = nodes.map((_, i) => `X${i}`);
  let cur = m.brTable(labels, labels[0], m.get(labelLocal, i32));
  nodes.forEach((node, i) => {
    const go = (b: Branch) => m.block([...(b.code !== undefined ? [b.code] : []), m.set(labelLocal, m.i32(b.to)), m.br('D')]);
    cur = m.block([m.block([cur], undefined, labels[i]), node.code, chain(m, node.branches, go)]);
  });
  return m.block([m.set(labelLocal, m.i32(0)), m.loop('D', cur)]);
}
