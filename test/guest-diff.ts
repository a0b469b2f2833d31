//! The guest differential harness: every guest of guests/tests.json run under rvwasm
//! configurations and compared with the stdout, stderr and exit status that
//! qemu-riscv64 gave when the expected outputs were recorded (guests/expected/, by
//! `npm run record`). Test files pick the configurations, so that vitest runs them in
//! parallel.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, ROOT, runCli, runHost, type RunResult } from './helpers.js';

export interface GuestTest {
  name: string;
  bin: string;
  args?: string[];
  env?: Record<string, string>;
  stdin?: string;
  tmpdir?: boolean;
  /** qemu's own text for fatal signals differs from ours: compare stdout and status only. */
  stderrQemuSpecific?: boolean;
}

export const GUESTS: GuestTest[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'guests', 'tests.json'), 'utf8'));

export const HAVE_QEMU = hasTool('qemu-riscv64');

export function run(t: GuestTest, cmd: 'rvwasm' | 'qemu', config: string[]): RunResult {
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

export function compare(t: GuestTest, got: RunResult, want: RunResult) {
  expect(got.stdout, `${t.name}: stdout`).toBe(want.stdout);
  expect(got.status, `${t.name}: exit status (stderr: ${got.stderr.slice(0, 500)})`).toBe(want.status);
  if (!t.stderrQemuSpecific) expect(got.stderr, `${t.name}: stderr`).toBe(want.stderr);
}

/** One `it` per guest and configuration: the guest's output under rvwasm with that
 * configuration equals the recording; `live` also checks the recording against qemu. */
export function describeGuests(configsFor: (t: GuestTest) => readonly string[][], live = false,
  adjust: (got: RunResult, config: readonly string[]) => void = () => {}): void {
  describe.each(GUESTS.filter((t) => live || configsFor(t).length > 0))('guest $name', (t) => {
    const expected: RunResult = JSON.parse(fs.readFileSync(path.join(ROOT, 'guests', 'expected', `${t.name}.json`), 'utf8'));
    const configs = configsFor(t);
    if (configs.length > 0) {
      it.each(configs.map((c) => [c.join(' '), c]))('matches qemu-riscv64 under %s', (_label, config) => {
        const got = run(t, 'rvwasm', config as string[]);
        adjust(got, config as string[]);
        compare(t, got, expected);
      });
    }
    if (live) {
      it.skipIf(!HAVE_QEMU)('recorded output is current (live qemu-riscv64)', () => {
        compare(t, run(t, 'qemu', []), expected);
      });
    }
  });
}
