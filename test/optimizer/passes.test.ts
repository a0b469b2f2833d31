// Each pass on IR text fixtures: `fixtures/<pass>.<case>.in.ir` is parsed, run through
// the pass alone, verified, printed, and compared with `<pass>.<case>.out.ir`
// (`UPDATE=1` rewrites the expected files; review the diff).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegions } from '../../ir/parse.js';
import { printRegions } from '../../ir/print.js';
import { verifyOrThrow } from '../../ir/verify.js';
import { runPipeline } from '../../optimizer/pipeline.js';

const DIR = path.join(import.meta.dirname, 'fixtures');
const CASES = fs.readdirSync(DIR).filter((f) => f.endsWith('.in.ir')).sort();

describe('pass fixtures', () => {
  for (const file of CASES) {
    const pass = file.slice(0, file.indexOf('.'));
    it(file.replace('.in.ir', ''), () => {
      const input = fs.readFileSync(path.join(DIR, file), 'utf8');
      const regions = parseRegions(input);
      for (const r of regions) {
        verifyOrThrow(r, 'fixture input');
        runPipeline(r, [pass], { verify: true });
      }
      const header = input.split('\n').filter((l) => l.startsWith(';')).join('\n');
      const got = `${header}\n${printRegions(regions)}`;
      const outFile = path.join(DIR, file.replace('.in.ir', '.out.ir'));
      if (process.env.UPDATE) fs.writeFileSync(outFile, got);
      expect(got).toBe(fs.readFileSync(outFile, 'utf8'));
    });
  }
});
