// Lifter text fixtures: each `*.s` here is a small RISC-V snippet (one instruction class),
// assembled at BASE into the `*.bin` committed next to it, lifted from BASE, verified,
// and printed; the result must equal the `*.ir` file: a listing of the discovered guest
// blocks (as comments), then the region. `UPDATE=1 npx vitest run test/lift` rewrites
// the `.bin` (when the RISC-V binutils are installed) and `.ir` files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRegion } from '../../ir/parse.js';
import { printRegion } from '../../ir/print.js';
import { verifyOrThrow } from '../../ir/verify.js';
import { disassemble } from '../../lifter/disasm.js';
import { liftRegion } from '../../lifter/lift.js';
import { discoverRegion, type GuestCfg } from '../../lifter/region.js';
import { hasTool } from '../helpers.js';
import { fetchFromBytes, rawAt } from './fetch.js';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const BASE = 0x10000;
const UPDATE = !!process.env.UPDATE && process.env.UPDATE !== '0';
const TOOLS = ['as', 'ld', 'objcopy'].every((t) => hasTool(`riscv64-linux-gnu-${t}`));
const SOURCES = readdirSync(DIR).filter((f) => f.endsWith('.s')).sort();

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}:\n${r.stderr}`);
}

/** Assembles a snippet and links it at BASE (so absolute targets resolve); the bytes of .text. */
function assemble(source: string): Buffer {
  const tmp = mkdtempSync(path.join(tmpdir(), 'rvwasm-lift-'));
  try {
    const obj = path.join(tmp, 'a.o'), elf = path.join(tmp, 'a.elf'), bin = path.join(tmp, 'a.bin');
    run('riscv64-linux-gnu-as', ['-march=rv64gc', '-mabi=lp64d', '-mno-relax', '-o', obj, source]);
    run('riscv64-linux-gnu-ld', ['--no-relax', `-Ttext=0x${BASE.toString(16)}`, '-e', `0x${BASE.toString(16)}`, '-o', elf, obj]);
    run('riscv64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', elf, bin]);
    return readFileSync(bin);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The guest blocks as comment lines: `; block 0x10000 -> 0x10008, 0x10010` and one
 * `;   0x10000  add a0,a1,a2` per instruction. */
function listing(cfg: GuestCfg, bytes: Uint8Array): string[] {
  const hex = (n: number) => `0x${n.toString(16)}`;
  const lines: string[] = [];
  for (const g of cfg.blocks) {
    lines.push(`; block ${hex(g.start)}${g.succs.length ? ` -> ${g.succs.map(hex).join(', ')}` : ''}`);
    for (const gi of g.insts) {
      lines.push(`;   ${hex(gi.pc)}  ${disassemble(rawAt(bytes, BASE, gi.pc, gi.len), gi.pc, gi.len).replace(/\t/g, ' ')}`);
    }
  }
  return lines;
}

function expectedText(source: string, bytes: Uint8Array): string {
  const header = readFileSync(source, 'utf8').split('\n').filter((l) => l.startsWith('#')).map((l) => `;${l.slice(1)}`);
  const cfg = discoverRegion(fetchFromBytes(bytes, BASE), BASE);
  const region = liftRegion(cfg);
  verifyOrThrow(region, path.basename(source));
  const text = printRegion(region);
  expect(printRegion(parseRegion(text))).toBe(text);
  return [...header, ';', ...listing(cfg, bytes), text].join('\n');
}

describe('lifter fixtures', () => {
  it('has fixtures', () => {
    expect(SOURCES.length).toBeGreaterThan(10);
  });

  for (const file of SOURCES) {
    const name = file.slice(0, -2);
    const source = path.join(DIR, file);
    const binFile = path.join(DIR, `${name}.bin`);
    const irFile = path.join(DIR, `${name}.ir`);

    it.runIf(TOOLS)(`${name}.bin is ${file} assembled`, () => {
      const bytes = assemble(source);
      if (UPDATE || !existsSync(binFile)) writeFileSync(binFile, bytes);
      expect(readFileSync(binFile).equals(bytes), `${name}.bin is stale: run UPDATE=1 npx vitest run test/lift`).toBe(true);
    });

    it(`${file} lifts to ${name}.ir`, () => {
      expect(existsSync(binFile), `${name}.bin is missing (needs riscv64-linux-gnu-as once)`).toBe(true);
      const text = expectedText(source, readFileSync(binFile));
      if (UPDATE || !existsSync(irFile)) writeFileSync(irFile, text);
      expect(text).toBe(readFileSync(irFile, 'utf8'));
    });
  }
});
