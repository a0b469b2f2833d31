// The benchmark workloads (guests/bench) at their smallest size under the interpreter:
// each must print exactly what the native x86-64 build printed (recorded in
// guests/bench/expected.json by `node bench/record.mjs`), checksum line included.
// Needs no cross compiler: the RISC-V binaries are committed in guests/bench/bin.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers.js';

interface Expected {
  workloads: Record<string, { args: string[]; checksum: string; stdout: string; binary: { sha256: string; bytes: number } | null }>;
}

const BIN = path.join(ROOT, 'guests', 'bench', 'bin');
const expected: Expected = JSON.parse(readFileSync(path.join(ROOT, 'guests', 'bench', 'expected.json'), 'utf8'));

describe('benchmark workloads, smallest size, interpreter', () => {
  for (const [name, e] of Object.entries(expected.workloads)) {
    const bin = path.join(BIN, name);
    const present = existsSync(bin);
    if (!present) {
      const why = e.binary === null
        ? 'its RISC-V build is over 3 MB and is not committed'
        : 'the binary is missing (run node bench/record.mjs)';
      console.log(`bench workload ${name} skipped: ${path.relative(ROOT, bin)} absent: ${why}`);
    }
    it.skipIf(!present)(`${name} ${e.args.join(' ')} prints checksum ${e.checksum}`, () => {
      const r = runCli(['run', '--tier', 'interp', bin, ...e.args]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(e.stdout);
    });
  }
});
