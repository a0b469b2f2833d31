// The verifier, driven by test/ir/verify/*.ir (Cranelift's `test verifier` style): a line
// that must be rejected carries `; error: <part of the message>` (several per line are
// allowed); every such line must get a matching error, and no other line may get one.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRegions, parseRegion } from '../../ir/parse.js';
import { formatVerifyErrors, verify, verifyOrThrow, VerifyFailed } from '../../ir/verify.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'verify');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.ir')).sort();

/** The expected error substrings, by line number. */
function expectations(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  text.split('\n').forEach((line, i) => {
    const parts = line.split(/;\s*error:\s*/).slice(1).map((s) => s.trim());
    if (parts.length > 0) out.set(i + 1, parts);
  });
  return out;
}

describe('verifier fixtures', () => {
  it('has fixtures, valid and invalid', () => {
    expect(FILES).toContain('valid.ir');
    expect(FILES.length).toBeGreaterThan(3);
  });

  for (const file of FILES) {
    it(file, () => {
      const text = readFileSync(path.join(DIR, file), 'utf8');
      const want = expectations(text);
      const got = new Map<number, string[]>();
      for (const region of parseRegions(text)) {
        for (const e of verify(region)) {
          expect(e.line, `error without a line: ${e.message}`).toBeDefined();
          if (!got.has(e.line!)) got.set(e.line!, []);
          got.get(e.line!)!.push(e.message);
        }
      }
      const problems: string[] = [];
      for (const [line, parts] of want) {
        for (const part of parts) {
          if (!(got.get(line) ?? []).some((m) => m.includes(part))) {
            problems.push(`line ${line}: expected an error containing "${part}", got ${JSON.stringify(got.get(line) ?? [])}`);
          }
        }
      }
      for (const [line, messages] of got) {
        if (!want.has(line)) problems.push(`line ${line}: unexpected ${JSON.stringify(messages)}`);
      }
      expect(problems).toEqual([]);
    });
  }
});

describe('verifyOrThrow', () => {
  const bad = `region @0x10 {
block0:
    v0:i64 = add.i64 v1, v1
    exit 0x14
}
`;

  it('throws every error with its line, instruction and context', () => {
    const region = parseRegion(bad);
    let caught: unknown;
    try {
      verifyOrThrow(region, 'after pass cse');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(VerifyFailed);
    const failed = caught as VerifyFailed;
    expect(failed.errors).toHaveLength(1);
    expect(failed.message).toBe(
      'after pass cse: region @0x10: 1 verifier error\n' +
      '  line 3: block0: v1 is not defined\n' +
      '      v0:i64 = add.i64 v1, v1');
  });

  it('passes valid regions', () => {
    expect(() => verifyOrThrow(parseRegion('region @0x10 {\nblock0:\n    exit 0x10\n}\n'))).not.toThrow();
  });

  it('reports a region with no blocks', () => {
    expect(verify({ entry: 0, blocks: [] }).map((e) => e.message)).toEqual(['the region has no blocks']);
  });

  it('reports malformed instructions built by hand', () => {
    const errors = verify({
      entry: -1,
      blocks: [{ id: 0, params: [], insts: [
        { op: 'iconst', result: 0, type: 'i32', args: [], imm: 0xffffffffn },
        { op: 'iconst', result: 1, type: 'i64', args: [], imm: 1n, size: 8 },
        { op: 'fconst', result: 2, type: 'f32', args: [], imm: 1n << 40n },
        { op: 'getreg', result: 3, args: [], reg: 1 },
        { op: 'add', result: 4, type: 'i64', args: [1] },
        { op: 'br', args: [], targets: [] },
      ] }],
    });
    expect(formatVerifyErrors({ entry: -1, blocks: [] }, errors)).toMatchInlineSnapshot(`
      "region @-0x1: 7 verifier errors
        bad entry pc -1
        block0: iconst: constant 0xffffffff is not in the signed i32 range (write -1)
            v0:i32 = iconst.i32 0xffffffff
        block0: iconst: unexpected immediate 'size'
            v1:i64 = iconst.i64 1
        block0: fconst: raw bits 0x10000000000 do not fit in f32
            v2:f32 = fconst.f32 0x10000000000
        block0: getreg: a result needs both a value and a type
            v3:? = getreg x1
        block0: add: takes 2 operands, has 1
            v4:i64 = add.i64 v1, v?
        block0: br: needs 1 target, has 0
            br block?"
    `);
  });
});
