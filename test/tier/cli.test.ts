// The tiered engine from the command line: it is the default; --stats reports both tiers,
// the compile queue and the workers; a region that cannot be compiled is named once and
// stays interpreted; --dump-ir works with --sync; bad values are one-line usage errors.
// (Every guest also runs under several tiered configurations in test/guests.test.ts.)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUESTS, runCli } from '../helpers.js';

const HELLO = path.join(GUESTS, 'hello');
/** 180 million guest instructions: long enough for the workers to start and compile. */
const QSORT = path.join(GUESTS, 'qsort');

const number = (re: RegExp, text: string): number => {
  const m = re.exec(text);
  if (m === null) throw new Error(`no match for ${re} in:\n${text}`);
  return Number(m[1]);
};

describe('rvwasm run --tier auto', () => {
  it('compiles hot regions on the workers and reports both tiers with --stats', () => {
    const r = runCli(['run', '--stats', QSORT]);
    expect(r.status).toBe(0);
    const total = number(/stats: tier auto, (\d+) guest instructions/, r.stderr);
    const interpreted = number(/auto: (\d+) instructions interpreted, \d+ compiled/, r.stderr);
    const compiled = number(/auto: \d+ instructions interpreted, (\d+) compiled \([\d.]+%\)/, r.stderr);
    expect(interpreted + compiled).toBe(total);
    expect(compiled).toBeGreaterThan(total / 2);
    expect(r.stderr).toMatch(/auto: first hot region after [\d.]+ ms, compiler started after [\d.]+ ms/);
    expect(number(/auto: \d+ regions got hot, \d+ sent to compile, (\d+) installed/, r.stderr)).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/0 failed; first installed after [\d.]+ ms/);
    expect(r.stderr).toMatch(/auto: compile queue: longest \d+, \d+ at exit; latency median [\d.]+ ms, max [\d.]+ ms/);
    expect(r.stderr).toMatch(/auto: 1 compile worker, utilisation \d+% \([\d.]+ ms busy in [\d.]+ ms\)/);
    expect(r.stderr).toMatch(/jit: \d+ regions compiled/);
  });

  it('is the default tier, and leaves a short program to the interpreter', () => {
    const r = runCli(['run', '--stats', HELLO]);
    expect(r.stdout).toBe('Hello, world!\n');
    expect(r.stderr).toMatch(/stats: tier auto, \d+ guest instructions/);
    expect(r.stderr).toMatch(/auto: \d+ instructions interpreted, 0 compiled/);
  });

  it('compiles in the main thread with --sync', () => {
    const r = runCli(['run', '--stats', '--hot', '1', '--sync', HELLO]);
    expect(r.stdout).toBe('Hello, world!\n');
    expect(r.status).toBe(0);
    expect(number(/auto: \d+ instructions interpreted, (\d+) compiled/, r.stderr)).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/auto: compiled in the main thread \(--sync\)/);
  });

  it('names each region it cannot compile once, and runs it interpreted', () => {
    const r = runCli(['run', '--stats', '--hot', '1', '--sync', '--inject-compile-faults', '1', HELLO]);
    expect(r.stdout).toBe('Hello, world!\n');
    expect(r.status).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('rvwasm: warning:'));
    expect(warnings.length).toBeGreaterThan(10);
    for (const w of warnings) {
      expect(w).toMatch(/^rvwasm: warning: cannot compile the region at 0x[0-9a-f]+( \(\S+\+0x[0-9a-f]+\))?, it stays interpreted: injected compile fault$/);
    }
    expect(new Set(warnings).size).toBe(warnings.length);
    expect(warnings.some((w) => /\(main\+0x0\)/.test(w))).toBe(true);
    expect(r.stderr).toMatch(/auto: \d+ instructions interpreted, 0 compiled/);
  });

  it('goes on when every compile job ends its worker', () => {
    const r = runCli(['run', '--stats', '--hot', '50', '--inject-worker-exits', '1', QSORT]);
    expect(r.status).toBe(0);
    const died = r.stderr.split('\n').filter((l) => l.startsWith('rvwasm: warning:'));
    expect(died.length).toBeGreaterThan(0);
    for (const w of died) expect(w).toMatch(/it stays interpreted: the compile worker died \(worker exited with code: 1\)$/);
    expect(r.stderr).toMatch(/auto: \d+ instructions interpreted, 0 compiled/);
    expect(r.stderr).toMatch(/, 0 installed, 0 stale \(code written while compiling\), [1-9]\d* failed/);
  });

  it('dumps the regions it compiles with --sync', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rvwasm-dump-'));
    try {
      const r = runCli(['run', '--hot', '1', '--sync', '--dump-ir', dir, HELLO]);
      expect(r.status).toBe(0);
      expect(fs.readdirSync(dir)).toContain('main+0x0.lifted.ir');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad values and misplaced options with a usage error', () => {
    const cases: [string[], RegExp][] = [
      [['--tier', 'turbo'], /unknown tier 'turbo' \(expected auto, interp or jit\)/],
      [['--hot', '0'], /--hot needs a positive integer \(got '0'\)/],
      [['--jobs', 'many'], /--jobs needs a positive integer \(got 'many'\)/],
      [['--inject-compile-faults', '1.5'], /--inject-compile-faults needs a rate from 0 to 1 \(got '1.5'\)/],
      [['--inject-worker-exits', ''], /--inject-worker-exits needs a rate from 0 to 1/],
      [['--tier', 'jit', '--hot', '5'], /--hot needs --tier auto/],
      [['--tier', 'interp', '--sync'], /--sync needs --tier auto/],
      [['--dump-ir', '/tmp/x'], /--dump-ir needs --tier jit, or --tier auto with --sync/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['run', ...args, HELLO]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});
