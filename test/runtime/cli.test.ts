// Bad input on the command line: one clear line on stderr, a shell-like exit status,
// never a JavaScript stack trace.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GUESTS, runCli } from '../helpers.js';

const HELLO = path.join(GUESTS, 'hello');
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rvwasm-cli-'));
});

/** A copy of hello with `patch` applied to its bytes. */
function patched(name: string, patch: (b: Buffer) => Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, patch(Buffer.from(fs.readFileSync(HELLO))));
  return file;
}

/** Byte offset of program header `i` of an ELF64 file. */
const phdr = (b: Buffer, i: number) => Number(b.readBigUInt64LE(32)) + i * b.readUInt16LE(54);
const firstLoad = (b: Buffer) => {
  for (let i = 0; i < b.readUInt16LE(56); i++) if (b.readUInt32LE(phdr(b, i)) === 1) return i;
  throw new Error('no PT_LOAD');
};

function expectOneLine(r: { stderr: string; status: number }, status: number, pattern: RegExp) {
  expect(r.status).toBe(status);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^rvwasm: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('rvwasm CLI', () => {
  it('prints help and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/usage: rvwasm run/);
  });

  it('runs a guest and passes its exit status through', () => {
    const r = runCli(['run', HELLO]);
    expect(r.stdout).toBe('Hello, world!\n');
    expect(r.status).toBe(0);
  });

  it('--stats reports guest instructions and MIPS on stderr', () => {
    const r = runCli(['run', '--stats', HELLO]);
    expect(r.stdout).toBe('Hello, world!\n');
    const m = /rvwasm: stats: tier auto, (\d+) guest instructions in [\d.]+ s, [\d.]+ MIPS/.exec(r.stderr);
    expect(Number(m?.[1])).toBeGreaterThan(1000);
  });

  it('--trace disassembles every executed instruction', () => {
    const r = runCli(['run', '--trace', HELLO]);
    expect(r.stdout).toBe('Hello, world!\n');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('[trace] '));
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.some((l) => /\becall\b/.test(l))).toBe(true);
  });

  it('rejects an unknown option with status 2', () => {
    const r = runCli(['run', '--frobnicate', HELLO]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --frobnicate/);
  });

  it('reports a missing file with status 127', () => {
    expectOneLine(runCli(['run', path.join(dir, 'nope')]), 127, /No such file or directory/);
  });

  it('reports a file that is not ELF with status 126', () => {
    const f = path.join(dir, 'text');
    fs.writeFileSync(f, 'just some text\n');
    expectOneLine(runCli(['run', f]), 126, /not an ELF file/);
  });

  it('reports an ELF for another machine', () => {
    expectOneLine(runCli(['run', '/bin/sh']), 126, /not a RISC-V program \(machine: x86-64\)/);
  });

  it('reports a 32-bit ELF', () => {
    const f = patched('elf32', (b) => { b[4] = 1; return b; });
    expectOneLine(runCli(['run', f]), 126, /32-bit ELF is not supported/);
  });

  it('reports a truncated file', () => {
    const f = patched('truncated', (b) => b.subarray(0, 2000));
    expectOneLine(runCli(['run', f]), 126, /truncated/);
  });

  it('reports a truncated header', () => {
    const f = patched('tiny', (b) => b.subarray(0, 30));
    expectOneLine(runCli(['run', f]), 126, /truncated/);
  });

  it('reports overlapping segments', () => {
    const f = patched('overlap', (b) => {
      const loads = [];
      for (let i = 0; i < b.readUInt16LE(56); i++) if (b.readUInt32LE(phdr(b, i)) === 1) loads.push(i);
      expect(loads.length).toBeGreaterThan(1);
      // Move the second PT_LOAD onto the first (keeping offset and address congruent).
      const a = phdr(b, loads[0]), c = phdr(b, loads[1]);
      b.writeBigUInt64LE(b.readBigUInt64LE(a + 16) + (b.readBigUInt64LE(c + 8) % 4096n), c + 16);
      return b;
    });
    expectOneLine(runCli(['run', f]), 126, /overlap/);
  });

  it('reports an absurdly large segment', () => {
    const f = patched('huge', (b) => { b.writeBigUInt64LE(1n << 40n, phdr(b, firstLoad(b)) + 40); return b; });
    expectOneLine(runCli(['run', f]), 126, /absurdly large|outside the user address space/);
  });

  it('reports a directory', () => {
    expectOneLine(runCli(['run', dir]), 126, /Is a directory/);
  });
});
