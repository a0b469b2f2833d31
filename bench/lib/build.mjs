// Builds the benchmark workloads natively (x86-64, gcc -O2) and for RISC-V
// (riscv64-linux-gnu-gcc -O2 -static) into bench/build/, and fetches the SQLite
// amalgamation from the npm registry (`npm pack better-sqlite3`, never installed).
//
// Builds are cached: each output has a .stamp holding a hash of its command line and
// of every input file, so a rerun only rebuilds what changed. Compiles run in parallel.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SRC_DIR = join(ROOT, 'guests', 'bench', 'src');
export const COMMITTED_BIN = join(ROOT, 'guests', 'bench', 'bin');
export const BUILD_DIR = join(ROOT, 'bench', 'build');
export const SQLITE_DIR = join(BUILD_DIR, 'sqlite');

// The npm package whose tarball carries the SQLite amalgamation, pinned so that every
// machine benchmarks the same SQLite (3.53.2).
export const SQLITE_PACKAGE = 'better-sqlite3@12.11.1';
const SQLITE_FILES = ['package/deps/sqlite3/sqlite3.c', 'package/deps/sqlite3/sqlite3.h'];

// Flags shared by both targets. -ffp-contract=off: no fused multiply-add on either side,
// so floating-point results are bit-identical between x86-64 and riscv64. The prefix
// map, -fno-ident and no build-id make the RISC-V binaries byte-reproducible.
const COMMON = ['-O2', '-ffp-contract=off', '-fno-ident', `-ffile-prefix-map=${ROOT}=.`];
export const TARGETS = {
  native: { cc: process.env.BENCH_CC || 'gcc', flags: [...COMMON], ldflags: [] },
  riscv: {
    cc: process.env.BENCH_RISCV_CC || 'riscv64-linux-gnu-gcc',
    flags: [...COMMON, '-march=rv64gc', '-mabi=lp64d'],
    ldflags: ['-static', '-Wl,--build-id=none'],
  },
};
// SQLite configured as an embedded, single-threaded library.
const SQLITE_DEFS = [
  '-DSQLITE_THREADSAFE=0', '-DSQLITE_OMIT_LOAD_EXTENSION', '-DSQLITE_DEFAULT_MEMSTATUS=0',
  '-DSQLITE_DQS=0', '-DSQLITE_OMIT_DEPRECATED', '-DSQLITE_OMIT_SHARED_CACHE',
];
const BUILD_ENV = { ...process.env, SOURCE_DATE_EPOCH: '0', LC_ALL: 'C' };

export function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v "${cmd}"`], { stdio: 'ignore' }).status === 0;
}

function sha(parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' ? p : p).update('\0');
  return h.digest('hex');
}

function fileHash(path) {
  return sha([readFileSync(path)]);
}

/** Fetches sqlite3.c/sqlite3.h into bench/build/sqlite/ unless already there. */
export function fetchSqlite(log = () => {}) {
  const c = join(SQLITE_DIR, 'sqlite3.c');
  const h = join(SQLITE_DIR, 'sqlite3.h');
  const mark = join(SQLITE_DIR, 'SOURCE');
  if (existsSync(c) && existsSync(h) && existsSync(mark) && readFileSync(mark, 'utf8').trim() === SQLITE_PACKAGE) {
    return SQLITE_DIR;
  }
  mkdirSync(SQLITE_DIR, { recursive: true });
  const tmp = join(SQLITE_DIR, 'pack');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  log(`fetching the SQLite amalgamation: npm pack ${SQLITE_PACKAGE}`);
  const npm = spawnSync('npm', ['pack', SQLITE_PACKAGE, '--pack-destination', tmp, '--json', '--silent'], {
    cwd: tmp, encoding: 'utf8', maxBuffer: 16 << 20,
  });
  if (npm.status !== 0) throw new Error(`npm pack ${SQLITE_PACKAGE} failed:\n${npm.stderr}`);
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${SQLITE_PACKAGE} produced no tarball`);
  const tar = spawnSync('tar', ['xzf', join(tmp, tgz), '-C', tmp, ...SQLITE_FILES], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`extracting ${SQLITE_FILES.join(', ')} from ${tgz} failed:\n${tar.stderr}`);
  writeFileSync(c, readFileSync(join(tmp, SQLITE_FILES[0])));
  writeFileSync(h, readFileSync(join(tmp, SQLITE_FILES[1])));
  writeFileSync(mark, SQLITE_PACKAGE + '\n');
  rmSync(tmp, { recursive: true, force: true });
  return SQLITE_DIR;
}

function run(cmd, args) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: BUILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.on('data', (d) => { err += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolveRun(err);
      else reject(new Error(`${cmd} ${args.map((a) => relative(ROOT, a) || a).join(' ')}\n${err}`));
    });
  });
}

/** One cached build step: `out` is rebuilt when its command or an input changed. */
async function step(out, cmd, args, inputs, log) {
  const key = sha([cmd, ...args, ...inputs.map(fileHash)]);
  const stamp = out + '.stamp';
  if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return out;
  mkdirSync(dirname(out), { recursive: true });
  rmSync(stamp, { force: true });
  const t0 = Date.now();
  const warnings = await run(cmd, args);
  writeFileSync(stamp, key);
  log(`built ${relative(ROOT, out)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (warnings.trim()) log(warnings.trim());
  return out;
}

async function pool(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  const errors = [];
  async function worker() {
    while (next < tasks.length) {
      const i = next++;
      try {
        results[i] = await tasks[i]();
      } catch (e) {
        errors.push(e);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  if (errors.length) throw new Error(`build failed:\n${errors.map((e) => e.message).join('\n')}`);
  return results;
}

export function binaryPath(target, name) {
  return join(BUILD_DIR, target, name);
}

/**
 * Builds `workloads` for `targets` ('native', 'riscv'). Returns
 * {name: {native?: path, riscv?: path}}. Longest compiles (SQLite) start first.
 */
export async function buildWorkloads(workloads, targets, { jobs = availableParallelism(), log = () => {} } = {}) {
  const header = join(SRC_DIR, 'bench.h');
  const needSqlite = workloads.some((w) => w.sqlite);
  if (needSqlite) fetchSqlite(log);
  const sqliteC = join(SQLITE_DIR, 'sqlite3.c');
  const sqliteH = join(SQLITE_DIR, 'sqlite3.h');

  const objects = {};
  const early = [];
  if (needSqlite) {
    for (const t of targets) {
      const T = TARGETS[t];
      const obj = join(BUILD_DIR, t, 'sqlite3.o');
      objects[t] = obj;
      early.push(() => step(obj, T.cc, [...T.flags, ...SQLITE_DEFS, '-w', '-c', sqliteC, '-o', obj], [sqliteC, sqliteH], log));
    }
  }
  const late = [];
  const out = {};
  for (const w of workloads) {
    out[w.name] = {};
    for (const t of targets) {
      const T = TARGETS[t];
      const src = join(SRC_DIR, `${w.name}.c`);
      const bin = binaryPath(t, w.name);
      out[w.name][t] = bin;
      if (w.sqlite) {
        late.push(() => step(bin, T.cc,
          [...T.flags, '-Wall', `-I${SQLITE_DIR}`, ...T.ldflags, '-o', bin, src, objects[t], '-lm'],
          [src, header, sqliteH, objects[t]], log));
      } else {
        late.push(() => step(bin, T.cc, [...T.flags, '-Wall', ...T.ldflags, '-o', bin, src, '-lm'], [src, header], log));
      }
    }
  }
  // The SQLite objects go first; the small workloads fill the other cores meanwhile,
  // and the SQLite links wait for their object.
  const small = late.filter((_, i) => !workloads[Math.floor(i / targets.length)].sqlite);
  const links = late.filter((_, i) => workloads[Math.floor(i / targets.length)].sqlite);
  await pool([...early, ...small], jobs);
  await pool(links, jobs);
  return out;
}

export function fileSize(path) {
  return statSync(path).size;
}
