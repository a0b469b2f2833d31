//! `--dump-ir DIR`: per compiled region, the lifted IR (`<name>.lifted.ir`), the IR after
//! each optimizer pass (`<name>.<n>-<pass>.ir`, n counting from 1 along the pipeline), the
//! wasm text (`<name>.wat`) and a Graphviz CFG of the IR the backend got (`<name>.dot`),
//! where the name is `<symbol>+0x<off>` when the program's symbol table covers the entry
//! pc, else `0x<pc>`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EmittedRegion } from '../../backend-wasm/emit.js';
import type { Region } from '../../ir/function.js';
import { terminatorOf } from '../../ir/function.js';
import { formatBlockCall, printInst, printRegion } from '../../ir/print.js';
import type { ElfSymbol } from '../elf.js';
import type { LiftedRegion } from './region-source.js';

/** pc -> `symbol+0xoff` for the functions (and objects) of a symbol table, loaded at `bias`. */
export function makeSymbolizer(symbols: readonly ElfSymbol[], bias: number): (pc: number) => string | undefined {
  const sorted = symbols.filter((s) => s.name !== '').map((s) => ({ ...s, value: s.value + bias }))
    .sort((a, b) => a.value - b.value || b.type - a.type);
  return (pc) => {
    let lo = 0, hi = sorted.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].value <= pc) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    // The closest symbol at or below pc that contains it (sizeless ones contain their start).
    for (let i = best; i >= 0 && i > best - 16; i--) {
      const s = sorted[i];
      if (pc < s.value + Math.max(s.size, 1)) return `${s.name}+0x${(pc - s.value).toString(16)}`;
    }
    return undefined;
  };
}

export class RegionDumper {
  private readonly used = new Map<string, number>();

  constructor(readonly dir: string, private readonly symbolize: (pc: number) => string | undefined = () => undefined) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** File name stem of the region at pc (a recompiled region gets `.2`, `.3`, ...). */
  nameOf(pc: number): string {
    const base = (this.symbolize(pc) ?? `0x${pc.toString(16)}`).replace(/[^A-Za-z0-9_.+@$-]/g, '_');
    const n = (this.used.get(base) ?? 0) + 1;
    this.used.set(base, n);
    return n === 1 ? base : `${base}.${n}`;
  }

  /** Starts the dump of one region: writes its lifted IR now, before the passes change
   * it in place, and returns the writer of the later stages. */
  begin(lifted: LiftedRegion): RegionDump {
    const stem = path.join(this.dir, this.nameOf(lifted.region.entry));
    fs.writeFileSync(`${stem}.lifted.ir`, printRegion(lifted.region));
    return new RegionDump(stem, lifted);
  }
}

/** The files of one region after its lifted IR. */
export class RegionDump {
  constructor(readonly stem: string, private readonly lifted: LiftedRegion) {}

  /** The IR after the `index`-th pass of the pipeline. */
  afterPass(pass: string, index: number, region: Region): void {
    fs.writeFileSync(`${this.stem}.${index}-${pass}.ir`, printRegion(region));
  }

  /** The wasm text and the CFG of the optimized region. */
  finish(emitted: EmittedRegion): void {
    if (emitted.text !== undefined) fs.writeFileSync(`${this.stem}.wat`, emitted.text);
    fs.writeFileSync(`${this.stem}.dot`, cfgToDot(this.lifted.region, (b) => this.lifted.blockPc.get(b)));
  }
}

const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** The region's CFG in Graphviz: one box per block listing its instructions, and an
 * ellipse per place the region leaves to. */
export function cfgToDot(region: Region, blockPc: (b: number) => number | undefined = () => undefined): string {
  const lines = [`digraph "region_0x${region.entry.toString(16)}" {`, '  node [shape=box, fontname="monospace", fontsize=10];'];
  let leaves = 0;
  for (const b of region.blocks) {
    const pc = blockPc(b.id);
    const head = `block${b.id}${pc !== undefined ? ` @0x${pc.toString(16)}` : ''}`;
    const body = b.insts.map((i) => escape(printInst(i))).join('\\l');
    lines.push(`  b${b.id} [label="${escape(head)}:\\l${body}\\l"];`);
    const term = terminatorOf(b);
    if (term === undefined) continue;
    for (const t of term.targets ?? []) lines.push(`  b${b.id} -> b${t.block} [label="${escape(formatBlockCall(t))}"];`);
    if (term.op === 'exit' || term.op === 'exitind' || term.op === 'trap') {
      const label = term.op === 'exit' ? `exit 0x${term.target!.toString(16)}` : term.op === 'trap' ? `trap ${term.trap}` : 'exitind';
      lines.push(`  leave${leaves} [shape=ellipse, label="${label}"];`, `  b${b.id} -> leave${leaves};`);
      leaves++;
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
