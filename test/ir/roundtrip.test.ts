// Text form: every fixture in fixtures/*.ir is canonical (printing what it parses gives
// it back, comments aside), re-parses to the same structure, verifies clean, and
// together the fixtures use every opcode and every immediate spelling.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Region } from '../../ir/function.js';
import { ACCESSES, CSRS, FLOAT_CCS, INT_CCS, ROUNDING_MODES, TRAP_KINDS } from '../../ir/immediates.js';
import { FP_OP_NAMES, OPCODE_NAMES, OPCODES } from '../../ir/opcodes.js';
import { parseRegions } from '../../ir/parse.js';
import { printRegions } from '../../ir/print.js';
import { formatVerifyErrors, verify } from '../../ir/verify.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.ir')).sort();

/** The text without comments, comment-only lines and trailing blanks. */
function stripComments(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const at = line.indexOf(';');
    if (at >= 0 && line.slice(0, at).trim() === '') continue;
    out.push((at >= 0 ? line.slice(0, at) : line).trimEnd());
  }
  return out.join('\n').replace(/^\n+/, '');
}

const parsed = new Map<string, Region[]>(FILES.map((f) => [f, parseFile(f)]));

function parseFile(file: string): Region[] {
  try {
    return parseRegions(readFileSync(path.join(DIR, file), 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

describe('IR text round trip', () => {
  it('has fixtures', () => {
    expect(FILES.length).toBeGreaterThan(3);
  });

  for (const file of FILES) {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    const regions = parsed.get(file)!;

    it(`${file}: prints back exactly`, () => {
      expect(printRegions(regions)).toBe(stripComments(text));
    });

    it(`${file}: re-parses to the same structure`, () => {
      const again = parseRegions(printRegions(regions));
      expect(again).toStrictEqual(regions);
      expect(printRegions(again)).toBe(printRegions(regions));
    });

    it(`${file}: verifies`, () => {
      for (const r of regions) {
        const errors = verify(r);
        expect(errors, formatVerifyErrors(r, errors)).toEqual([]);
      }
    });
  }

  it('covers every opcode and immediate spelling', () => {
    const text = FILES.map((f) => printRegions(parsed.get(f)!)).join('\n');
    const insts = [...parsed.values()].flat().flatMap((r) => r.blocks.flatMap((b) => b.insts));
    const used = new Set(insts.map((i) => i.op));
    expect(OPCODE_NAMES.filter((op) => !used.has(op))).toEqual([]);
    const conds = (op: string) => new Set(insts.filter((i) => i.op === op).map((i) => i.cond));
    expect([...conds('icmp')].sort()).toEqual([...INT_CCS].sort());
    expect([...conds('fcmp')].sort()).toEqual([...FLOAT_CCS].sort());
    for (const word of [...ACCESSES, ...CSRS, ...TRAP_KINDS]) expect(text).toMatch(new RegExp(`\\b${word}\\b`));
    const fexacts = insts.filter((i) => i.op === 'fexact');
    expect(FP_OP_NAMES.filter((fop) => !fexacts.some((i) => i.fop === fop))).toEqual([]);
    expect(ROUNDING_MODES.filter((rm) => !fexacts.some((i) => i.rm === rm))).toEqual([]);
    const missing = OPCODE_NAMES.flatMap((op) => OPCODES[op].result !== 'ctrl' ? []
      : OPCODES[op].types.filter((t) => !insts.some((i) => i.op === op && i.type === t)).map((t) => `${op}.${t}`));
    expect(missing).toEqual([]);
  });
});
