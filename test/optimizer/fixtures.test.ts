// Pass fixtures: each `<pass>/<case>.ir` here is an input region (after comment lines
// saying what the case checks), a line `; after <passes>:`, and the region the passes
// must turn it into. The runner parses and verifies the input, runs the passes with the
// verifier after each, and compares the printed result with the expected text; the
// passes are the folder's name unless a `; passes: a,b` line names others.
// `UPDATE=1 npx vitest run test/optimizer` rewrites the expected parts (review the diff).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRegion } from '../../ir/parse.js';
import { printRegion } from '../../ir/print.js';
import { verifyOrThrow } from '../../ir/verify.js';
import { passNames, runPipeline } from '../../optimizer/pipeline.js';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const UPDATE = !!process.env.UPDATE && process.env.UPDATE !== '0';
const MARKER = /^; after [^\n]*:$/m;

const folders = readdirSync(DIR).filter((d) => statSync(path.join(DIR, d)).isDirectory()).sort();

interface Fixture {
  input: string;
  passes: string[];
  expected: string | undefined;
}

function readFixture(file: string, folder: string): Fixture {
  const text = readFileSync(file, 'utf8');
  const m = MARKER.exec(text);
  const input = m === null ? text : text.slice(0, m.index);
  const named = /^; passes: *(.*)$/m.exec(input);
  const passes = (named ? named[1] : folder).split(',').map((s) => s.trim()).filter((s) => s !== '');
  return { input: input.trimEnd() + '\n', passes, expected: m === null ? undefined : text.slice(m.index + m[0].length + 1) };
}

describe('optimizer fixtures', () => {
  it('has fixtures for every pass', () => {
    for (const p of passNames()) expect(folders, `test/optimizer/${p}/`).toContain(p);
  });

  for (const folder of folders) {
    const files = readdirSync(path.join(DIR, folder)).filter((f) => f.endsWith('.ir')).sort();
    describe(folder, () => {
      for (const f of files) {
        const file = path.join(DIR, folder, f);
        it(f, () => {
          const fx = readFixture(file, folder);
          const region = parseRegion(fx.input);
          verifyOrThrow(region, `${folder}/${f}: the input`);
          runPipeline(region, fx.passes, { verify: true });
          const got = printRegion(region);
          expect(printRegion(parseRegion(got))).toBe(got);
          if (UPDATE || fx.expected === undefined) {
            writeFileSync(file, `${fx.input}; after ${fx.passes.join(', ') || 'no passes'}:\n${got}`);
          } else {
            expect(got).toBe(fx.expected);
          }
        });
      }
    });
  }
});
