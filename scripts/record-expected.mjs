#!/usr/bin/env node
// Records the reference behaviour of every guest in guests/tests.json by running
// it under qemu-riscv64, writing guests/expected/<name>.json = {stdout, stderr, status}.
//
//   node scripts/record-expected.mjs            record all
//   node scripts/record-expected.mjs NAME...    record only the named tests
//   node scripts/record-expected.mjs --check    compare instead of writing; exit 1 if stale
//
// tests.json entries: {name, bin, args?, env?, stdin?, tmpdir?: true, dynamic?: true,
// stderrQemuSpecific?: true}.  The guest gets exactly the environment in "env" (plus
// TMPDIR=<fresh empty dir> when "tmpdir" is set).  "dynamic" runs qemu with
// -L <sysroot>.  status is the exit code, or 128+signal when the guest was killed.
// Environment knobs: QEMU_RISCV64 (qemu binary), RVW_SYSROOT (default /usr/riscv64-linux-gnu).

import { spawnSync } from 'node:child_process';
import { constants as osConstants, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const guestsDir = join(root, 'guests');
const expectedDir = join(guestsDir, 'expected');
const qemu = which(process.env.QEMU_RISCV64 || 'qemu-riscv64');
const sysroot = process.env.RVW_SYSROOT || '/usr/riscv64-linux-gnu';
const TIMEOUT_MS = 120_000;

function which(cmd) {
  if (cmd.includes('/')) return resolve(cmd);
  for (const d of (process.env.PATH || '/usr/bin:/bin').split(':')) {
    if (d && existsSync(join(d, cmd))) return join(d, cmd);
  }
  throw new Error(`${cmd} not found in PATH`);
}

const argv = process.argv.slice(2);
const check = argv.includes('--check');
const only = argv.filter((a) => !a.startsWith('--'));

const tests = JSON.parse(readFileSync(join(guestsDir, 'tests.json'), 'utf8'));
const names = new Set();
for (const t of tests) {
  if (!t.name || !t.bin) throw new Error(`tests.json: entry without name/bin: ${JSON.stringify(t)}`);
  if (names.has(t.name)) throw new Error(`tests.json: duplicate name ${t.name}`);
  names.add(t.name);
}
for (const n of only) if (!names.has(n)) throw new Error(`unknown test ${n}`);

function runUnderQemu(t) {
  const bin = join(guestsDir, t.bin);
  if (!existsSync(bin)) throw new Error(`${t.name}: ${bin} missing (run make -C guests)`);
  const env = { ...(t.env || {}) };
  let tmp = null;
  if (t.tmpdir) {
    tmp = mkdtempSync(join(tmpdir(), `rvw-${t.name}-`));
    env.TMPDIR = tmp;
  }
  const qemuArgs = [...(t.dynamic ? ['-L', sysroot] : []), bin, ...(t.args || [])];
  // Go through sh only to disable core dumps (qemu would otherwise dump a host core
  // for fault tests); `env -i` gives qemu exactly the test's environment (sh would
  // add PWD), and exec keeps qemu as the direct child so its signal is visible.
  const assigns = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const script = 'ulimit -c 0; exec /usr/bin/env -i "$@"';
  const r = spawnSync('/bin/sh', ['-c', script, 'sh', ...assigns, qemu, ...qemuArgs], {
    cwd: guestsDir,
    env: {},
    input: t.stdin ?? '',
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`${t.name}: ${r.error.message}`);
  let status;
  if (r.signal) {
    const n = osConstants.signals[r.signal];
    if (!n) throw new Error(`${t.name}: unknown signal ${r.signal}`);
    status = 128 + n;
  } else {
    status = r.status;
  }
  let leftovers = null;
  if (tmp) {
    leftovers = readdirSync(tmp);
    rmSync(tmp, { recursive: true, force: true });
  }
  return { result: { stdout: r.stdout, stderr: r.stderr, status }, leftovers };
}

mkdirSync(expectedDir, { recursive: true });
const stale = [];
let problems = 0;
for (const t of tests) {
  if (only.length && !only.includes(t.name)) continue;
  const { result, leftovers } = runUnderQemu(t);
  if (leftovers && leftovers.length) {
    console.error(`warning: ${t.name} left files in its TMPDIR: ${leftovers.join(', ')}`);
    problems++;
  }
  const file = join(expectedDir, `${t.name}.json`);
  const text = JSON.stringify(result, null, 2) + '\n';
  if (check) {
    const old = existsSync(file) ? readFileSync(file, 'utf8') : null;
    const same = old !== null && JSON.stringify(JSON.parse(old)) === JSON.stringify(result);
    console.log(`${same ? 'ok   ' : 'STALE'} ${t.name} (status ${result.status})`);
    if (!same) stale.push(t.name);
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${t.name}.json (status ${result.status}, ${result.stdout.length} bytes stdout)`);
  }
}

if (check) {
  if (!only.length) {
    const extra = readdirSync(expectedDir)
      .filter((f) => f.endsWith('.json') && !names.has(f.slice(0, -5)));
    for (const f of extra) console.log(`note: ${f} has no entry in tests.json`);
  }
  if (stale.length) {
    console.error(`stale expected outputs: ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log('all expected outputs are up to date');
}
if (problems) process.exit(1);
