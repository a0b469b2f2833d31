// Lifts every decodable instruction of the real guests: a linear sweep over each function
// symbol (for a guest without function symbols, from the entry to the end of its segment)
// gives its instructions; regions are lifted from each function's start and then from
// every instruction no earlier region covered, and each must verify. An instruction the
// lifter has no rule for fails here, by name. The static guests share most of libc: a
// function already seen (same name, same instructions up to their operands) in an earlier
// guest is skipped.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyOrThrow } from '../../ir/verify.js';
import { decode } from '../../lifter/decode.js';
import { MNEMONICS } from '../../lifter/encoding.js';
import { liftRegion } from '../../lifter/lift.js';
import { discoverRegion } from '../../lifter/region.js';
import { parseElf, PF_X, PT_LOAD, readSymbols } from '../../runtime/elf.js';
import { GUESTS } from '../helpers.js';
import { fetchFromElf } from './fetch.js';

const STT_FUNC = 2;
const NAMES = readdirSync(GUESTS).filter((f) => readFileSync(path.join(GUESTS, f)).subarray(0, 4).toString('latin1') === '\x7fELF').sort();

interface Coverage {
  instructions: number;
  regions: number;
  mnemonics: Set<string>;
}

/** Functions (name and instruction sequence) already lifted in an earlier guest. */
const seen = new Set<string>();

/** The function symbols of a guest, or for one without any, its entry to the end of the
 * executable segment holding it. */
function functions(data: Buffer): { name: string; start: number; end: number }[] {
  const funcs = readSymbols(data).filter((s) => s.type === STT_FUNC && s.size > 0)
    .map((s) => ({ name: s.name, start: s.value, end: s.value + s.size }));
  if (funcs.length > 0) return funcs;
  const elf = parseElf(data);
  const seg = elf.phdrs.find((p) => p.type === PT_LOAD && (p.flags & PF_X) !== 0 &&
    elf.entry >= p.vaddr && elf.entry < p.vaddr + p.filesz);
  return seg ? [{ name: '_start', start: elf.entry, end: seg.vaddr + seg.filesz }] : [];
}

function liftGuest(file: string): Coverage {
  const data = readFileSync(file);
  const fetch = fetchFromElf(data);
  const sweep: number[] = [];
  const starts = new Set<number>();
  for (const fn of functions(data)) {
    if (fetch(fn.start) === undefined) continue;
    const pcs: number[] = [];
    const ops: number[] = [];
    for (let pc = fn.start; pc < fn.end;) {
      const f = fetch(pc);
      if (f === undefined) break;
      pcs.push(pc);
      ops.push(decode(f.inst).op);
      pc += f.len;
    }
    const key = `${fn.name}:${ops.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    starts.add(fn.start);
    sweep.push(...pcs);
  }
  const covered = new Set<number>();
  const mnemonics = new Set<string>();
  let regions = 0;
  const liftFrom = (pc: number) => {
    const cfg = discoverRegion(fetch, pc);
    verifyOrThrow(liftRegion(cfg), `${path.basename(file)}: region at 0x${pc.toString(16)}`);
    regions++;
    for (const g of cfg.blocks) for (const gi of g.insts) {
      covered.add(gi.pc);
      mnemonics.add(MNEMONICS[gi.d.op]);
    }
  };
  for (const pc of [...starts].sort((a, b) => a - b)) liftFrom(pc);
  for (const pc of sweep) if (!covered.has(pc)) liftFrom(pc);
  return { instructions: new Set(sweep).size, regions, mnemonics };
}

describe('lifting real guests', () => {
  const all = new Set<string>();
  for (const name of NAMES) {
    it(name, () => {
      const c = liftGuest(path.join(GUESTS, name));
      expect(c.regions).toBeGreaterThan(0);
      for (const m of c.mnemonics) all.add(m);
    });
  }

  it('together use the instruction classes of RV64GC', () => {
    for (const m of ['addi', 'ld', 'sd', 'beq', 'jal', 'jalr', 'ecall', 'mul', 'divu', 'lr.w', 'sc.d', 'amoadd.w',
      'fld', 'fsw', 'fadd.d', 'fmadd.d', 'csrrs', 'fence', 'illegal']) {
      expect(all.has(m), m).toBe(true);
    }
  });
});
