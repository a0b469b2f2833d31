// The JSON form: every fixture survives toJSON -> JSON text -> fromJSON unchanged, and
// malformed JSON is rejected with the path of the bad field.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromJSON, toJSON } from '../../ir/json.js';
import { parseRegions } from '../../ir/parse.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('IR JSON', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ir')).sort()) {
    it(`${file}: round-trips through JSON text`, () => {
      for (const region of parseRegions(readFileSync(path.join(DIR, file), 'utf8'))) {
        const text = JSON.stringify(toJSON(region));
        expect(fromJSON(JSON.parse(text))).toStrictEqual(region);
      }
    });
  }

  it('writes bigints as decimal strings', () => {
    const [region] = parseRegions(`region @0x10 {
block0:
    v0:i64 = iconst.i64 -0x8000000000000000
    v1:f64 = fconst.f64 0xfff8000000000001
    switch v0, [-1: block1], default block1
block1:
    exit 0x10
}
`);
    const json = toJSON(region);
    expect(json.blocks[0].insts[0].imm).toBe('-9223372036854775808');
    expect(json.blocks[0].insts[1].imm).toBe('18444492273895866369');
    expect(json.blocks[0].insts[2].cases).toEqual(['-1']);
    expect(json.blocks[0].insts[2].targets).toEqual([{ block: 1, args: [] }, { block: 1, args: [] }]);
  });

  it('rejects malformed input with the path of the field', () => {
    const ok = { entry: 16, blocks: [{ id: 0, params: [], insts: [{ op: 'exit', args: [], target: 20 }] }] };
    expect(fromJSON(ok).blocks[0].insts[0]).toStrictEqual({ op: 'exit', args: [], target: 20 });
    const bad = (mutate: (j: any) => void) => {
      const j = structuredClone(ok);
      mutate(j);
      return () => fromJSON(j);
    };
    expect(() => fromJSON([])).toThrow('region: expected an object');
    expect(bad((j) => { j.blocks[0].insts[0].op = 'jump'; })).toThrow('blocks[0].insts[0].op: unknown opcode "jump"');
    expect(bad((j) => { j.blocks[0].insts[0].target = '20'; })).toThrow('blocks[0].insts[0].target: expected an integer');
    expect(bad((j) => { j.blocks[0].insts[0].imm = 5; })).toThrow('blocks[0].insts[0].imm: expected a decimal string');
    expect(bad((j) => { j.blocks[0].params = [{ value: 1, type: 'i8' }]; })).toThrow('blocks[0].params[0].type: expected a type');
    expect(bad((j) => { j.blocks[0].extra = 1; })).toThrow('blocks[0].extra: unknown field');
    expect(bad((j) => { j.blocks[0].insts[0].signed = 1; })).toThrow('blocks[0].insts[0].signed: expected a boolean');
    expect(bad((j) => { j.blocks[0].insts[0].targets = [{ block: 1 }]; })).toThrow('blocks[0].insts[0].targets[0].args: expected an array');
  });
});
