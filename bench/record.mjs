#!/usr/bin/env node
// Records what the vitest test test/bench/workloads.test.ts needs on a machine without
// the cross compiler:
//   guests/bench/bin/NAME        the RISC-V builds (static, -O2, reproducible flags);
//                                SQLite's only when under 3 MB
//   guests/bench/expected.json   the native x86-64 output of every workload at its
//                                smallest ("test") size, checked under qemu-riscv64 too
//
//   node bench/record.mjs          build, copy and record
//   node bench/record.mjs --check  rebuild and compare; exit 1 when anything committed is stale

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildWorkloads, COMMITTED_BIN, hasCommand, ROOT, TARGETS } from './lib/build.mjs';
import { WORKLOADS } from './lib/workloads.mjs';

const MAX_COMMITTED_BYTES = 3 * 1024 * 1024;
const EXPECTED = join(ROOT, 'guests', 'bench', 'expected.json');
const check = process.argv.includes('--check');
const log = (s) => process.stderr.write(`record: ${s}\n`);
const digest = (buf) => createHash('sha256').update(buf).digest('hex');

for (const cc of [TARGETS.native.cc, TARGETS.riscv.cc]) {
  if (!hasCommand(cc)) {
    log(`${cc} not found: recording needs both the native and the cross compiler`);
    process.exit(1);
  }
}
const bins = await buildWorkloads(WORKLOADS, ['native', 'riscv'], { log });
const haveQemu = hasCommand('qemu-riscv64');
if (!haveQemu) log('qemu-riscv64 not found: the RISC-V builds are not cross-checked');

const expected = {
  comment: 'Output of each benchmark workload at its smallest size, from the native x86-64 build '
    + '(gcc -O2 -ffp-contract=off); written by `node bench/record.mjs`. The RISC-V binaries in '
    + 'guests/bench/bin must print exactly this.',
  workloads: {},
};
const stale = [];
mkdirSync(COMMITTED_BIN, { recursive: true });
for (const w of WORKLOADS) {
  const args = [String(w.sizes.test)];
  const env = { PATH: process.env.PATH, LC_ALL: 'C' };
  const nat = spawnSync(bins[w.name].native, args, { encoding: 'latin1', env });
  if (nat.status !== 0) throw new Error(`${w.name}: native build exited ${nat.status}: ${nat.stderr}`);
  const m = /checksum ([0-9a-f]{16})\s*$/.exec(nat.stdout);
  if (!m) throw new Error(`${w.name}: no checksum line in\n${nat.stdout}`);
  if (haveQemu) {
    const q = spawnSync('qemu-riscv64', [bins[w.name].riscv, ...args], { encoding: 'latin1', env });
    if (q.status !== 0 || q.stdout !== nat.stdout) {
      throw new Error(`${w.name}: the RISC-V build under qemu-riscv64 disagrees with native:\n${q.stdout}${q.stderr}\nvs\n${nat.stdout}`);
    }
  }
  const built = readFileSync(bins[w.name].riscv);
  const dest = join(COMMITTED_BIN, w.name);
  const commit = built.length <= MAX_COMMITTED_BYTES;
  expected.workloads[w.name] = {
    args,
    checksum: m[1],
    stdout: nat.stdout,
    binary: commit ? { sha256: digest(built), bytes: built.length } : null,
  };
  if (!commit) log(`${w.name}: RISC-V binary is ${built.length} bytes (> 3 MB): not committed; its test is skipped`);
  if (check) {
    if (commit && (!existsSync(dest) || digest(readFileSync(dest)) !== digest(built))) stale.push(relative(ROOT, dest));
    if (!commit && existsSync(dest)) stale.push(`${relative(ROOT, dest)} (should not be committed)`);
  } else if (commit) {
    copyFileSync(bins[w.name].riscv, dest);
  } else {
    rmSync(dest, { force: true });
  }
  log(`${w.name} ${args[0]}: checksum ${m[1]}${commit ? `, ${built.length} bytes` : ''}`);
}
const text = JSON.stringify(expected, null, 2) + '\n';
if (check) {
  if (!existsSync(EXPECTED) || readFileSync(EXPECTED, 'utf8') !== text) stale.push(relative(ROOT, EXPECTED));
  if (stale.length) {
    log(`stale (rerun node bench/record.mjs): ${stale.join(', ')}`);
    process.exit(1);
  }
  log('guests/bench is up to date');
} else {
  writeFileSync(EXPECTED, text);
  log(`wrote ${relative(ROOT, EXPECTED)} and ${Object.values(expected.workloads).filter((e) => e.binary).length} binaries in ${relative(ROOT, COMMITTED_BIN)}`);
}
