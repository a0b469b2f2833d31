// Differential tests: every guest of guests/tests.json gives, under rvwasm, the stdout,
// stderr and exit status that qemu-riscv64 gave when the expected outputs were recorded
// (guests/expected/, by `npm run record`). Where qemu-riscv64 is installed, it runs live
// too, so stale recordings fail.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
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
/** rvwasm configurations every guest must agree under. The tiered ones: the defaults;
 * everything hot at once on one worker; regions compiled in the main thread as soon as
 * they are entered 10 times (deterministic); and two workers with injected faults (jobs
 * that throw, workers that die), whose warnings on stderr are the one expected difference. */
const CONFIGS: string[][] = [
  ['--tier', 'interp'], ['--tier', 'jit'], ['--tier', 'jit', '--mmu', 'flat'],
  ['--tier', 'auto'],
  ['--tier', 'auto', '--hot', '1', '--jobs', '1'],
  ['--tier', 'auto', '--hot', '10', '--sync'],
  ['--tier', 'auto', '--hot', '2', '--jobs', '2', '--inject-compile-faults', '0.4', '--inject-worker-exits', '0.1'],
];
const INJECTED_WARNING = /^rvwasm: warning: cannot compile the region at .*\n/gm;

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

  it.each(CONFIGS.map((c) => [c.join(' '), c]))('matches qemu-riscv64 under %s', (_label, config) => {
    const got = run(t, 'rvwasm', config as string[]);
    if ((config as string[]).some((o) => o.startsWith('--inject-'))) got.stderr = got.stderr.replace(INJECTED_WARNING, '');
    compare(t, got, expected);
  });

  it.skipIf(!qemu)('recorded output is current (live qemu-riscv64)', () => {
    compare(t, run(t, 'qemu', []), expected);
  });
});
