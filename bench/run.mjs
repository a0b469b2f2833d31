#!/usr/bin/env node
// rvwasm benchmark runner: `npm run bench [-- --quick] [--only NAME] [--runs N]`.
//
// Builds every workload of guests/bench natively (x86-64, gcc -O2) and for RISC-V
// (riscv64-linux-gnu-gcc -O2 -static), then times native, qemu-riscv64 and every rvwasm
// configuration of RVWASM_CONFIGS on each workload. Runs alternate between the
// configurations; each reports the median of N runs, and every ratio is taken against
// the native median of the same invocation. Every run must print exactly the native
// output (which ends in a checksum): a wrong checksum, a non-zero exit or a timeout is a
// failure, and any failure makes the runner exit 1.
//
// Output: a table on stdout, bench/results/latest.json and bench/results/latest.svg.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, relative } from 'node:path';
import { buildWorkloads, COMMITTED_BIN, fetchSqlite, hasCommand, ROOT, TARGETS } from './lib/build.mjs';
import { renderChart } from './lib/chart.mjs';
import { WORKLOADS } from './lib/workloads.mjs';

// ---- the rvwasm configurations ------------------------------------------------------------
// One line per configuration. A configuration whose options this build of the CLI does not
// accept yet (exit status 2 with "not implemented" / "unknown option" / "unknown tier") is
// skipped with a note, so a line can be added before its feature lands. Timed runs do not
// pass `--stats` (under the JIT it counts every guest access); MIPS come from the guest
// instruction count of the counting runs below.
export const RVWASM_CONFIGS = [
  { name: 'interp', args: ['--tier', 'interp'] },
  { name: 'jit', args: ['--tier', 'jit'] },
  { name: 'auto', args: ['--tier', 'auto'] },
  { name: 'jit-flat', args: ['--tier', 'jit', '--mmu', 'flat'] },
  { name: 'jit-nopass', args: ['--tier', 'jit', '--passes='] },
];

// One untimed `--stats` run per workload and line: the guest instruction count, and the
// JIT's guest accesses and TLB lookups with the optimizer's default pipeline and without
// any pass (what the translation passes save).
const COUNT_CONFIGS = [
  { name: 'passes', args: ['--tier', 'jit', '--stats'] },
  { name: 'no passes', args: ['--tier', 'jit', '--stats', '--passes='] },
];
const TLB_RE = /TLB: (\d+) guest accesses, (\d+) lookups/;

const USAGE = `usage: npm run bench [-- OPTIONS]

  --quick           small sizes (about 5e7 guest instructions each), 1 run by default
  --size S          full | medium | quick | test  (workload sizes; --quick is --size quick;
                    medium is about ten times quick)
  --only NAME[,..]  only these workloads (repeatable)
  --config NAME[,..] only these rvwasm configurations (repeatable); native always runs
  --runs N          runs per configuration, median reported (default 3, quick 1)
  --no-qemu         do not time qemu-riscv64
  --no-rvwasm       do not time rvwasm (native and qemu only, e.g. to check full sizes)
  --timeout S       per-run time limit in seconds (default 3600, quick 120)
  --jobs N          parallel compiles (default: number of cores)
  --out NAME        write bench/results/NAME.json and NAME.svg (default latest)
  --list            list workloads and configurations, then exit

workloads: ${WORKLOADS.map((w) => w.name).join(' ')}
rvwasm configurations: ${RVWASM_CONFIGS.map((c) => c.name).join(' ')}`;

function parseArgs(argv) {
  const o = { size: 'full', only: [], configs: [], runs: undefined, qemu: true, rvwasm: true, timeout: undefined,
    jobs: availableParallelism(), out: 'latest', list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--quick': o.size = 'quick'; break;
      case '--size': o.size = value(); break;
      case '--only': o.only.push(...value().split(',').filter(Boolean)); break;
      case '--config': o.configs.push(...value().split(',').filter(Boolean)); break;
      case '--runs': o.runs = Number(value()); break;
      case '--no-qemu': o.qemu = false; break;
      case '--no-rvwasm': o.rvwasm = false; break;
      case '--timeout': o.timeout = Number(value()); break;
      case '--jobs': o.jobs = Number(value()); break;
      case '--out': o.out = value(); break;
      case '--list': o.list = true; break;
      case '-h': case '--help': process.stdout.write(USAGE + '\n'); process.exit(0); break;
      default: usage(`unknown option ${a}`);
    }
  }
  if (!['full', 'medium', 'quick', 'test'].includes(o.size)) usage(`--size must be full, medium, quick or test`);
  o.runs ??= o.size === 'full' ? 3 : 1;
  o.timeout ??= o.size === 'full' ? 3600 : o.size === 'medium' ? 600 : 120;
  if (!Number.isInteger(o.runs) || o.runs < 1) usage('--runs must be a positive integer');
  if (!(o.timeout > 0)) usage('--timeout must be positive');
  if (!Number.isInteger(o.jobs) || o.jobs < 1) usage('--jobs must be a positive integer');
  if (!/^[\w.-]+$/.test(o.out)) usage('--out must be a plain file name');
  for (const n of o.only) if (!WORKLOADS.some((w) => w.name === n)) usage(`unknown workload ${n}`);
  for (const n of o.configs) if (!RVWASM_CONFIGS.some((c) => c.name === n)) usage(`unknown configuration ${n}`);
  return o;
}

function usage(msg) {
  process.stderr.write(`bench: ${msg}\n\n${USAGE}\n`);
  process.exit(2);
}

const log = (s) => process.stderr.write(`bench: ${s}\n`);

// ---- helpers ---------------------------------------------------------------------------

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function geomean(xs) {
  if (!xs.length) return undefined;
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

function firstLine(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout || r.stderr).split('\n')[0].trim() : undefined;
}

function gitDescribe() {
  const head = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return undefined;
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
  return head.stdout.trim() + (dirty.stdout.trim() ? '+dirty' : '');
}

/** Builds dist/ (tsc, then the bundles) when it is missing or older than a source file. */
function ensureCli() {
  buildModules();
  const bundle = join(ROOT, 'dist', 'bundle', 'cli.js');
  const cli = join(ROOT, 'dist', 'runtime', 'cli.js');
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(cli).mtimeMs) return;
  log('bundling rvwasm (scripts/bundle.mjs)');
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, encoding: 'utf8' });
  // Without the bundles bin/rvwasm.js runs the modules tsc wrote: slower to start, same code.
  if (r.status !== 0) log(`warning: bundling failed (start-up times will be longer):\n${(r.stdout + r.stderr).trim()}`);
}

/** Runs the project's tsc when dist/ is missing or older than a source file. */
function buildModules() {
  const cli = join(ROOT, 'dist', 'runtime', 'cli.js');
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'));
  let newest = 0;
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); }
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const inc of tsconfig.include || []) walk(join(ROOT, inc.replace(/\/\*.*$/, '')));
  if (existsSync(cli) && statSync(cli).mtimeMs >= newest) return;
  log('building rvwasm (tsc -p tsconfig.json)');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    if (!existsSync(cli)) {
      process.stderr.write(r.stdout + r.stderr);
      throw new Error('tsc failed and dist/runtime/cli.js does not exist');
    }
    log(`warning: tsc reported errors (using the emitted dist/ anyway):\n${(r.stdout + r.stderr).trim()}`);
  }
}

const CHILD_ENV = { PATH: process.env.PATH || '/usr/bin:/bin', LC_ALL: 'C' };

/** Runs one timed command; returns {seconds, stdout, stderr, status, timedOut}. */
function timed(cmd, args, timeoutS) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd: ROOT, env: CHILD_ENV, encoding: 'latin1', maxBuffer: 256 << 20, timeout: timeoutS * 1000, killSignal: 'SIGKILL',
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error && r.error.code !== 'ETIMEDOUT') throw r.error;
  const timedOut = r.error?.code === 'ETIMEDOUT' || (r.signal === 'SIGKILL' && seconds >= timeoutS);
  const status = r.signal ? `killed by ${r.signal}` : r.status;
  return { seconds, stdout: r.stdout ?? '', stderr: r.stderr ?? '', status, timedOut };
}

/** The informative end of a failed run's stderr: no stack frames, no stats lines. */
function errorLines(stderr) {
  const lines = stderr.split('\n').filter((l) => l.trim() && !/^\s+at /.test(l) && !/^rvwasm: stats:/.test(l) && !/^Node\.js v/.test(l));
  return lines.slice(-3).join(' | ') || '(no message)';
}

/** Median time of `runs` runs of guests/bin/hello under rvwasm (default tier) and qemu. */
function measureStartup(cli, haveQemu, runs, failures) {
  const hello = join(ROOT, 'guests', 'bin', 'hello');
  const times = { rvwasm: [], qemu: [] };
  for (let i = 0; i < runs; i++) {
    for (const [name, cmd, args] of [['rvwasm', process.execPath, [cli, 'run', hello]], ...(haveQemu ? [['qemu', 'qemu-riscv64', [hello]]] : [])]) {
      const r = timed(cmd, args, 60);
      if (r.status !== 0 || r.stdout !== 'Hello, world!\n') {
        failures.push(`hello start-up: ${name}: exit status ${r.status}: ${errorLines(r.stderr)}`);
        return undefined;
      }
      times[name].push(r.seconds);
    }
  }
  log(`hello start-up: rvwasm ${times.rvwasm.map((t) => t.toFixed(3)).join(' ')}; qemu ${times.qemu.map((t) => t.toFixed(3)).join(' ')}`);
  return { runs, rvwasm: median(times.rvwasm), qemu: haveQemu ? median(times.qemu) : undefined };
}

/** The tiered engine against the better single tier, per workload: `auto` aims to be no
 * more than 10% slower than the faster of `interp` and `jit` (compile everything first). */
function tieringLines(results, configs) {
  const names = new Set(configs.map((c) => c.name));
  if (!names.has('auto') || !names.has('interp') || !names.has('jit')) return [];
  const lines = ['auto against the better of interp and jit (aim: at most 1.10):'];
  const ratios = [];
  for (const e of results) {
    const [a, i, j] = ['auto', 'interp', 'jit'].map((n) => e.results[n]);
    if (!a.ok || !i.ok || !j.ok) continue;
    const best = Math.min(i.median, j.median);
    const ratio = a.median / best;
    ratios.push(ratio);
    lines.push(`  ${e.name.padEnd(10)} auto ${a.median.toFixed(3)} s, interp ${i.median.toFixed(3)} s, jit ${j.median.toFixed(3)} s: ` +
      `${ratio.toFixed(2)}${ratio > 1.1 ? '  (over the aim)' : ''}`);
  }
  if (ratios.length) lines.push(`  geomean ${geomean(ratios).toFixed(2)}, worst ${Math.max(...ratios).toFixed(2)}`);
  return lines;
}

const STATS_RE = /rvwasm: stats: tier (\S+), (\d+) guest instructions in ([\d.]+) s, ([\d.]+) MIPS/;

// ---- main --------------------------------------------------------------------------------

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  if (opt.list) {
    for (const w of WORKLOADS) process.stdout.write(`${w.name.padEnd(10)} ${w.what}; sizes ${JSON.stringify(w.sizes)}\n`);
    for (const c of RVWASM_CONFIGS) process.stdout.write(`config ${c.name.padEnd(10)} rvwasm run ${c.args.join(' ')}\n`);
    return 0;
  }
  const started = Date.now();
  let workloads = WORKLOADS.filter((w) => !opt.only.length || opt.only.includes(w.name));
  const failures = [];
  const notes = [];
  if (workloads.some((w) => w.sqlite)) {
    try {
      fetchSqlite(log);
    } catch (e) {
      failures.push(`sqlite: cannot get the SQLite source: ${e.message.split('\n')[0]}`);
      log(failures[failures.length - 1]);
      workloads = workloads.filter((w) => !w.sqlite);
    }
  }

  // Tools and binaries.
  if (!hasCommand(TARGETS.native.cc)) throw new Error(`${TARGETS.native.cc} not found: the native build is the reference`);
  const haveCross = hasCommand(TARGETS.riscv.cc);
  const haveQemu = opt.qemu && hasCommand('qemu-riscv64');
  if (opt.qemu && !haveQemu) notes.push('qemu-riscv64 not found: not timed');
  if (opt.rvwasm) ensureCli();
  const t0 = Date.now();
  const targets = haveCross ? ['native', 'riscv'] : ['native'];
  const bins = await buildWorkloads(workloads, targets, { jobs: opt.jobs, log });
  if (!haveCross) {
    notes.push(`${TARGETS.riscv.cc} not found: using the committed RISC-V binaries in guests/bench/bin`);
    for (const w of workloads) {
      const p = join(COMMITTED_BIN, w.name);
      if (existsSync(p)) bins[w.name].riscv = p;
    }
  }
  const buildSeconds = (Date.now() - t0) / 1000;
  log(`build done in ${buildSeconds.toFixed(1)} s`);

  // Configurations: native first (the reference), then qemu, then rvwasm.
  const cli = join(ROOT, 'bin', 'rvwasm.js');
  const configs = [{ name: 'native', kind: 'native', command: (w, size) => [bins[w.name].native, [size]] }];
  if (haveQemu) configs.push({ name: 'qemu', kind: 'qemu', command: (w, size) => ['qemu-riscv64', [bins[w.name].riscv, size]] });
  const probeW = workloads.find((w) => bins[w.name].riscv) ?? workloads[0];
  for (const c of opt.rvwasm ? RVWASM_CONFIGS : []) {
    if (opt.configs.length && !opt.configs.includes(c.name)) continue;
    const args = c.args;
    // Probe: does this CLI accept the configuration's options?
    const probe = timed(process.execPath, [cli, 'run', ...args, '--stats', bins[probeW.name].riscv ?? '/nonexistent', String(probeW.sizes.test)], 120);
    if (probe.status === 2 && /not implemented|unknown (option|tier)|needs a value/.test(probe.stderr)) {
      notes.push(`configuration ${c.name} skipped: ${probe.stderr.trim().split('\n')[0]}`);
      continue;
    }
    configs.push({ name: c.name, kind: 'rvwasm', args, command: (w, size) => [process.execPath, [cli, 'run', ...args, bins[w.name].riscv, size]] });
  }
  for (const n of notes) log(n);
  log(`configurations: ${configs.map((c) => c.name).join(', ')}; ${opt.runs} run(s) each; ${opt.size} sizes`);

  // Timing.
  const results = [];
  for (const w of workloads) {
    const size = String(w.sizes[opt.size]);
    const entry = { name: w.name, what: w.what, size: Number(size), checksum: undefined, results: {} };
    for (const c of configs) entry.results[c.name] = { times: [], ok: true, errors: [] };
    let reference;
    const missing = configs.filter((c) => c.kind !== 'native' && !bins[w.name].riscv);
    for (const c of missing) {
      entry.results[c.name].ok = false;
      entry.results[c.name].errors.push('no RISC-V binary');
      failures.push(`${w.name}: ${c.name}: no RISC-V binary (no cross compiler and none committed)`);
    }
    for (let run = 0; run < opt.runs; run++) {
      // Rotate the order each run so that no configuration always follows another;
      // native always runs first in the first round, to establish the reference output.
      const order = configs.map((_, i) => configs[(i + run) % configs.length]);
      for (const c of order) {
        const res = entry.results[c.name];
        if (c.kind !== 'native' && !bins[w.name].riscv) continue;
        // Without a native reference (native failed) nothing can be checked.
        if (c.kind !== 'native' && reference === undefined) continue;
        const [cmd, args] = c.command(w, size);
        const r = timed(cmd, args, opt.timeout);
        let err;
        if (r.timedOut) err = `timed out after ${opt.timeout} s`;
        else if (r.status !== 0) err = `exit status ${r.status}: ${errorLines(r.stderr)}`;
        if (c.kind === 'native' && reference === undefined && !err) {
          reference = r.stdout;
          const m = /checksum ([0-9a-f]{16})\s*$/.exec(reference);
          if (!m) err = 'native output has no checksum line';
          else entry.checksum = m[1];
        }
        if (!err && reference !== undefined && r.stdout !== reference) {
          const got = /checksum ([0-9a-f]{16})/.exec(r.stdout)?.[1] ?? 'none';
          err = got === entry.checksum ? 'output differs from native (checksum equal)' : `wrong checksum ${got} (native ${entry.checksum})`;
        }
        if (err) {
          res.ok = false;
          res.errors.push(err);
          failures.push(`${w.name}: ${c.name}: ${err}`);
          log(`${w.name} ${c.name}: FAILED: ${err}`);
          continue;
        }
        res.times.push(r.seconds);
        log(`${w.name} ${c.name} run ${run + 1}/${opt.runs}: ${r.seconds.toFixed(3)} s`);
      }
    }
    if (opt.rvwasm && bins[w.name].riscv && reference !== undefined) {
      entry.counts = {};
      for (const k of COUNT_CONFIGS) {
        const r = timed(process.execPath, [cli, 'run', ...k.args, bins[w.name].riscv, size], opt.timeout);
        if (r.status === 2 && /unknown option|needs a value/.test(r.stderr)) {
          const note = `count run '${k.name}' skipped: ${r.stderr.trim().split('\n')[0]}`;
          if (!notes.includes(note)) notes.push(note);
          continue;
        }
        const s = STATS_RE.exec(r.stderr);
        const t = TLB_RE.exec(r.stderr);
        if (r.status !== 0 || r.stdout !== reference || !s) {
          const err = `count run '${k.name}': ${r.status !== 0 ? `exit status ${r.status}: ${errorLines(r.stderr)}` : 'output differs from native'}`;
          failures.push(`${w.name}: ${err}`);
          log(`${w.name}: FAILED: ${err}`);
          continue;
        }
        entry.guestInstructions ??= Number(s[2]);
        if (t) entry.counts[k.name] = { accesses: Number(t[1]), lookups: Number(t[2]) };
      }
      const c = entry.counts;
      log(`${w.name}: ${entry.guestInstructions} guest instructions; TLB lookups per access ${Object.entries(c).map(([k, v]) => `${k} ${(v.lookups / v.accesses).toFixed(3)}`).join(', ')}`);
    }
    const nat = entry.results.native;
    const natMedian = nat.ok && nat.times.length ? median(nat.times) : undefined;
    for (const c of configs) {
      const res = entry.results[c.name];
      if (res.ok && res.times.length === opt.runs) {
        res.median = median(res.times);
        if (natMedian) res.ratio = res.median / natMedian;
        if (entry.guestInstructions && c.kind === 'rvwasm') res.mips = entry.guestInstructions / res.median / 1e6;
      } else {
        res.ok = false;
      }
      if (!res.errors.length) delete res.errors;
    }
    results.push(entry);
  }

  // Start-up: hello (command start to exit), rvwasm's default tier against qemu-riscv64.
  const startup = opt.rvwasm ? measureStartup(cli, haveQemu, opt.size === 'full' ? 11 : 7, failures) : undefined;

  // Summary.
  const gm = {};
  for (const c of configs) {
    const ok = results.map((e) => e.results[c.name]).filter((r) => r.ok);
    gm[c.name] = {
      time: geomean(ok.map((r) => r.median)),
      ratio: c.kind === 'native' ? 1 : geomean(ok.filter((r) => r.ratio).map((r) => r.ratio)),
      mips: geomean(ok.filter((r) => r.mips).map((r) => r.mips)),
      workloads: ok.length,
    };
  }
  const report = {
    version: 1,
    date: new Date().toISOString(),
    mode: opt.size,
    runs: opt.runs,
    host: {
      cpu: cpus()[0]?.model?.trim() ?? 'unknown CPU',
      cores: availableParallelism(),
      node: process.version,
      gcc: firstLine(TARGETS.native.cc, ['--version']),
      riscvGcc: haveCross ? firstLine(TARGETS.riscv.cc, ['--version']) : undefined,
      qemu: haveQemu ? firstLine('qemu-riscv64', ['--version']) : undefined,
      rvwasm: gitDescribe(),
    },
    configs: configs.map((c) => ({
      name: c.name, kind: c.kind,
      command: c.kind === 'native' ? `${TARGETS.native.cc} -O2 build` : c.kind === 'qemu' ? 'qemu-riscv64' : `rvwasm run ${c.args.join(' ')}`,
    })),
    workloads: results,
    geomean: gm,
    startup,
    notes,
    failures,
    buildSeconds,
    totalSeconds: undefined,
  };

  // Table.
  const rv = configs.filter((c) => c.kind === 'rvwasm');
  const cols = [];
  cols.push({ head: ['workload', ''], left: true, cell: (e) => e.name, foot: 'geomean' });
  cols.push({ head: ['size', ''], cell: (e) => String(e.size), foot: '' });
  const fmtT = (t) => (t === undefined ? '-' : t < 10 ? `${t.toFixed(3)}s` : `${t.toFixed(1)}s`);
  const fmtR = (r) => (r === undefined ? '-' : r >= 100 ? `${r.toFixed(0)}x` : `${r.toFixed(1)}x`);
  for (const c of configs) {
    const get = (e) => e.results[c.name];
    cols.push({ head: [c.name, 'time'], cell: (e) => (get(e).ok ? fmtT(get(e).median) : 'FAIL'), foot: fmtT(gm[c.name].time) });
    if (c.kind !== 'native') {
      cols.push({ head: ['', 'ratio'], cell: (e) => (get(e).ok ? fmtR(get(e).ratio) : 'FAIL'), foot: fmtR(gm[c.name].ratio) });
    }
  }
  for (const c of rv) {
    const get = (e) => e.results[c.name];
    cols.push({ head: [c.name, 'MIPS'], cell: (e) => (get(e).ok && get(e).mips ? get(e).mips.toFixed(1) : '-'),
      foot: gm[c.name].mips ? gm[c.name].mips.toFixed(1) : '-' });
  }
  cols.push({ head: ['guest', 'Minsn'], cell: (e) => (e.guestInstructions ? (e.guestInstructions / 1e6).toFixed(1) : '-'), foot: '' });
  // The translation passes: TLB lookups per guest access with and without them, and the
  // time of the TLB relative to --mmu flat (no translation at all).
  const perAccess = (e, k) => (e.counts?.[k] ? e.counts[k].lookups / e.counts[k].accesses : undefined);
  const fmtP = (v) => (v === undefined ? '-' : v.toFixed(3));
  for (const [k, head] of [['passes', 'opt'], ['no passes', 'no-opt']]) {
    cols.push({ head: [head === 'opt' ? 'lookups/access' : '', head], cell: (e) => fmtP(perAccess(e, k)),
      foot: fmtP(geomean(results.map((e) => perAccess(e, k)).filter((v) => v !== undefined))) });
  }
  if (configs.some((c) => c.name === 'jit') && configs.some((c) => c.name === 'jit-flat')) {
    const tlbFlat = (e) => (e.results.jit.ok && e.results['jit-flat'].ok ? e.results.jit.median / e.results['jit-flat'].median : undefined);
    for (const e of results) e.tlbOverFlat = tlbFlat(e);
    cols.push({ head: ['tlb/', 'flat'], cell: (e) => (e.tlbOverFlat === undefined ? '-' : e.tlbOverFlat.toFixed(2)),
      foot: fmtP(geomean(results.map((e) => e.tlbOverFlat).filter((v) => v !== undefined))) });
  }
  cols.push({ head: ['checksum', ''], left: true, cell: (e) => e.checksum ?? '-', foot: '' });
  const rows = [cols.map((c) => c.head[0]), cols.map((c) => c.head[1]),
    ...results.map((e) => cols.map((c) => c.cell(e))), cols.map((c) => c.foot)];
  const widths = cols.map((c, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((s, i) => (cols[i].left ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  ').trimEnd();
  const out = [];
  out.push(`rvwasm benchmark: ${opt.size} sizes, median of ${opt.runs} run(s); ratio = time / native time (same invocation)`);
  out.push(`${report.host.cpu}, ${report.host.cores} cores, node ${process.version}; rvwasm ${report.host.rvwasm ?? '?'}`);
  out.push('');
  out.push(line(rows[0]), line(rows[1]));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(2, -1)) out.push(line(r));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  out.push(line(rows[rows.length - 1]));
  out.push('');
  out.push(...tieringLines(results, configs));
  if (startup) {
    const q = startup.qemu === undefined ? '' : `, qemu-riscv64 ${startup.qemu.toFixed(3)} s (${(startup.rvwasm / startup.qemu).toFixed(1)}x)`;
    out.push(`hello start-up (command start to exit, median of ${startup.runs}): rvwasm ${startup.rvwasm.toFixed(3)} s${q}`);
  }
  out.push('');
  for (const n of notes) out.push(`note: ${n}`);
  report.totalSeconds = (Date.now() - started) / 1000;

  // Files.
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, `${opt.out}.json`);
  const svgPath = join(dir, `${opt.out}.svg`);
  writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');
  try {
    writeFileSync(svgPath, await renderChart(report));
  } catch (e) {
    failures.push(`chart: ${e.message}`);
  }
  out.push(`wrote ${relative(ROOT, jsonPath)} and ${relative(ROOT, svgPath)}; build ${buildSeconds.toFixed(1)} s, total ${report.totalSeconds.toFixed(1)} s`);
  if (failures.length) {
    out.push('', `FAILED (${failures.length}):`, ...failures.map((f) => `  ${f}`));
  } else {
    out.push(`all ${configs.length} configurations printed the native output and checksum for all ${results.length} workloads`);
  }
  process.stdout.write(out.join('\n') + '\n');
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(1);
  },
);
