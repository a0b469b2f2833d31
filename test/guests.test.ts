// Differential tests: every guest of guests/tests.json gives, under rvwasm, the stdout,
// stderr and exit status that qemu-riscv64 gave when the expected outputs were recorded
// (guests/expected/, by `npm run record`). Where qemu-riscv64 is installed, it runs live
// too, so stale recordings fail.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { passNames, without } from '../optimizer/pipeline.js';
import { hasTool, ROOT, runCli, runHost, type RunResult } from './helpers.js';

interface GuestTest {
  name: string;
  bin: string;
  args?: string[];
  env?: Record<string, string>;
  stdin?: string;
  tmpdir?: boolean;
  /** qemu's own text for fatal signals differs from ours: compare stdout and status only. */
  stderrQemuSpecific?: boolean;
}

const tests: GuestTest[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'guests', 'tests.json'), 'utf8'));
const qemu = hasTool('qemu-riscv64');
/** rvwasm configurations every guest must agree under (the JIT with its default optimizer
 * pipeline, and with no pass at all). */
const CONFIGS: string[][] = [
  ['--tier', 'interp'], ['--tier', 'jit'], ['--tier', 'jit', '--mmu', 'flat'], ['--tier', 'jit', '--passes', ''],
];
/** The default pipeline with each pass switched off alone, verified after every pass:
 * over a subset of the guests that covers libc, M, A, F/D, CSRs, faults and signal
 * handlers (all guests under all of them would add minutes to the suite; they all
 * passed when the passes were written). */
const PASS_OFF_CONFIGS: string[][] = passNames().map((p) => ['--tier', 'jit', '--verify-ir', '--passes', without(p).join(',')]);
const PASS_OFF_GUESTS = new Set(['intmath', 'atomics', 'fp', 'qsort', 'csr', 'sighandler']);

function run(t: GuestTest, cmd: 'rvwasm' | 'qemu', config: string[]): RunResult {
  const env: Record<string, string> = { ...(t.env ?? {}) };
  let tmp: string | undefined;
  if (t.tmpdir) env.TMPDIR = tmp = fs.mkdtempSync(path.join(os.tmpdir(), `rvwasm-${t.name}-`));
  try {
    const bin = path.join('guests', t.bin);
    return cmd === 'rvwasm'
      ? runCli(['run', ...config, bin, ...(t.args ?? [])], { env, stdin: t.stdin })
      // No core dumps of qemu itself for the fault guests, and exactly the test's environment.
      : runHost('sh', ['-c', 'ulimit -c 0; exec env -i "$@"', 'sh', ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
        'qemu-riscv64', '-L', '/usr/riscv64-linux-gnu', bin, ...(t.args ?? [])], { stdin: t.stdin });
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function compare(t: GuestTest, got: RunResult, want: RunResult) {
  expect(got.stdout, `${t.name}: stdout`).toBe(want.stdout);
  expect(got.status, `${t.name}: exit status (stderr: ${got.stderr.slice(0, 500)})`).toBe(want.status);
  if (!t.stderrQemuSpecific) expect(got.stderr, `${t.name}: stderr`).toBe(want.stderr);
}

describe.each(tests)('guest $name', (t) => {
  const expected: RunResult = JSON.parse(fs.readFileSync(path.join(ROOT, 'guests', 'expected', `${t.name}.json`), 'utf8'));

  const configs = PASS_OFF_GUESTS.has(t.name) ? [...CONFIGS, ...PASS_OFF_CONFIGS] : CONFIGS;
  it.each(configs.map((c) => [c.join(' '), c]))('matches qemu-riscv64 under %s', (_label, config) => {
    compare(t, run(t, 'rvwasm', config as string[]), expected);
  });

  it.skipIf(!qemu)('recorded output is current (live qemu-riscv64)', () => {
    compare(t, run(t, 'qemu', []), expected);
  });
});
