// The bundles of `scripts/bundle.mjs`: bin/rvwasm.js and the compile worker's entry load a
// bundle only while it is newer than the module tsc wrote (else they run the modules), and
// the bundled CLI finds the files beside it as the modules do.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers.js';

const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rvwasm-bundle-'));
  fs.writeFileSync(path.join(tmp, 'package.json'), '{"type": "module"}\n');
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(rel: string, text: string, mtimeS?: number): void {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  if (mtimeS !== undefined) fs.utimesSync(file, mtimeS, mtimeS);
}

function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd: tmp, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/rvwasm.js', () => {
  const stub = (which: string) => `export async function main() { process.stdout.write('${which}'); return 0; }\n`;

  beforeEach(() => {
    fs.mkdirSync(path.join(tmp, 'bin'));
    fs.copyFileSync(CLI, path.join(tmp, 'bin/rvwasm.js'));
  });

  it('runs the bundle while it is newer than the modules', () => {
    write('dist/runtime/cli.js', stub('modules'), 1_000_000);
    write('dist/bundle/cli.js', stub('bundle'), 1_000_010);
    expect(node(['bin/rvwasm.js']).stdout).toBe('bundle');
  });

  it('runs the modules once tsc has written them again', () => {
    write('dist/runtime/cli.js', stub('modules'), 1_000_010);
    write('dist/bundle/cli.js', stub('bundle'), 1_000_000);
    expect(node(['bin/rvwasm.js']).stdout).toBe('modules');
  });

  it('runs the modules when there is no bundle', () => {
    write('dist/runtime/cli.js', stub('modules'));
    expect(node(['bin/rvwasm.js']).stdout).toBe('modules');
  });
});

describe('the compile worker entry', () => {
  const ENTRY = 'dist/runtime/jit/compile-worker-entry.cjs';
  const stub = (which: string) =>
    `export const ready = Promise.resolve();\nexport default function compile() { process.stdout.write('${which}'); }\n`;
  // The entry is what piscina loads: a CommonJS module exporting the job function.
  const runJob = `require('./${ENTRY}')({})`;

  beforeEach(() => {
    fs.mkdirSync(path.join(tmp, path.dirname(ENTRY)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, ENTRY), path.join(tmp, ENTRY));
  });

  it('loads the bundle while it is newer than the worker module', () => {
    write('dist/runtime/jit/compile-worker.js', stub('modules'), 1_000_000);
    write('dist/bundle/compile-worker.js', stub('bundle'), 1_000_010);
    const r = node(['-e', runJob]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('bundle');
  });

  it('loads the worker module once tsc has written it again', () => {
    write('dist/runtime/jit/compile-worker.js', stub('modules'), 1_000_010);
    write('dist/bundle/compile-worker.js', stub('bundle'), 1_000_000);
    expect(node(['-e', runJob]).stdout).toBe('modules');
  });
});

describe('the bundles the build wrote', () => {
  it('are newer than the modules they were built from', () => {
    const mtime = (rel: string) => fs.statSync(path.join(ROOT, 'dist', rel)).mtimeMs;
    expect(mtime('bundle/cli.js')).toBeGreaterThanOrEqual(mtime('runtime/cli.js'));
    expect(mtime('bundle/compile-worker.js')).toBeGreaterThanOrEqual(mtime('runtime/jit/compile-worker.js'));
  });

  it('find the package beside them (the bundled CLI reads its version)', () => {
    const main = path.join(ROOT, 'dist/bundle/cli.js');
    const r = node(['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(['--version']);`]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`rvwasm ${PKG.version}\n`);
  });
});
