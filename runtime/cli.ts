//! The `rvwasm` command line: `run` a RISC-V program, `disasm` one, `--help`.
//! User mistakes end with one line on stderr and a shell-like exit status, never a stack.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_PIPELINE, parsePasses, passNames, PipelineError } from '../optimizer/pipeline.js';
import { PACKAGE_JSON } from './dist-paths.js';
import { type JitTier, runProgram, type RunOptions } from './run.js';
import { DEFAULT_HOT } from './tier/auto.js';

const USAGE = `usage: rvwasm run [options] PROGRAM [ARGS...]
       rvwasm disasm FILE [--func NAME]
       rvwasm --help | --version

Runs a 64-bit RISC-V Linux program (RV64GC, static or dynamically linked ELF) on Node.js.

run options:
  --tier auto|interp|jit
                       execution tier: auto (default) interprets at once and
                       compiles hot regions to WebAssembly on worker threads;
                       interp only interprets; jit compiles every region before
                       it first runs
  --hot N              auto: compile a region once it was entered N times
                       (default ${DEFAULT_HOT})
  --jobs N             auto: compile worker threads (default: cores - 1, at least 1)
  --sync               auto: compile hot regions in the main thread, at once
                       (deterministic runs; allows --dump-ir)
  --inject-compile-faults RATE
                       testing aid: make a share RATE (0..1) of compile jobs throw
  --inject-worker-exits RATE
                       testing aid: make a share RATE (0..1) of compile jobs end
                       their worker thread
  --mmu tlb|flat       guest address translation of the JIT: the software TLB
                       (default), or guest memory at a fixed offset behind a page
                       permission map (guest must fit below 4 GiB; measures the TLB)
  --dump-ir DIR        jit, auto --sync: write each compiled region's IR, wasm
                       text and CFG into DIR
  --emitter direct|binaryen
                       JIT: build wasm with the backend's encoder (default) or
                       through Binaryen.js (slower to load and to emit)
  --passes LIST        JIT: the optimizer passes to run, in order, comma-separated
                       ('' runs none; a pass may appear more than once); passes:
                       ${passNames().join(', ')}
                       default: ${DEFAULT_PIPELINE.join(',')}
  --verify-ir          JIT: check the IR with the verifier after every pass
  --root DIR           confine every guest path below DIR
  --sysroot DIR        where the dynamic linker and shared libraries are found
                       (default /usr/riscv64-linux-gnu when it exists)
  --stats              print instructions executed, time and MIPS on stderr at exit
                       (JIT: also regions, compile times, TLB misses, code cache)
  --trace              print every guest instruction executed on stderr (auto
                       then only interprets)
  --                   end of options

The guest's stdin, stdout and stderr are the command's own; rvwasm exits with the
guest's exit status (128+N when a signal N kills it).`;

export class UsageError extends Error {}

interface ParsedRun {
  options: RunOptions;
  program: string;
  args: string[];
}

const VALUE_OPTIONS = new Set([
  '--tier', '--root', '--sysroot', '--mmu', '--dump-ir', '--emitter', '--hot', '--jobs', '--inject-compile-faults',
  '--inject-worker-exits', '--passes',
]);
/** Options of the tiered engine only. */
const AUTO_OPTIONS = ['--hot', '--jobs', '--sync', '--inject-compile-faults', '--inject-worker-exits'];

function positiveInteger(option: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${option} needs a positive integer (got '${value}')`);
  return n;
}

function rate(option: string, value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !(x >= 0 && x <= 1)) throw new UsageError(`${option} needs a rate from 0 to 1 (got '${value}')`);
  return x;
}

export function parseRunArgs(argv: string[]): ParsedRun {
  const options: RunOptions = {
    tier: 'auto', mmu: 'tlb', emitter: 'direct', stats: false, trace: false,
    hot: DEFAULT_HOT, jobs: Math.max(1, os.availableParallelism() - 1), sync: false, injectCompileFaults: 0, injectWorkerExits: 0,
  };
  const given = new Set<string>();
  let i = 0;
  for (; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === '--') { i++; break; }
    if (!arg.startsWith('--')) break;
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    if (VALUE_OPTIONS.has(arg) && value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
    }
    given.add(arg);
    switch (arg) {
      case '--tier':
        if (value !== 'interp' && value !== 'jit' && value !== 'auto') throw new UsageError(`unknown tier '${value}' (expected auto, interp or jit)`);
        options.tier = value;
        break;
      case '--hot': options.hot = positiveInteger(arg, value!); break;
      case '--jobs': options.jobs = positiveInteger(arg, value!); break;
      case '--sync': options.sync = true; break;
      case '--inject-compile-faults': options.injectCompileFaults = rate(arg, value!); break;
      case '--inject-worker-exits': options.injectWorkerExits = rate(arg, value!); break;
      case '--mmu':
        if (value !== 'tlb' && value !== 'flat') throw new UsageError(`unknown MMU mode '${value}' (expected tlb or flat)`);
        options.mmu = value;
        break;
      case '--dump-ir': options.dumpIr = value; break;
      case '--emitter':
        if (value !== 'direct' && value !== 'binaryen') throw new UsageError(`unknown emitter '${value}' (expected direct or binaryen)`);
        options.emitter = value;
        break;
      case '--root': options.root = value; break;
      case '--sysroot': options.sysroot = value; break;
      case '--passes':
        try {
          options.passes = parsePasses(value!);
        } catch (e) {
          if (e instanceof PipelineError) throw new UsageError(`--passes: ${e.message}`);
          throw e;
        }
        break;
      case '--verify-ir': options.verifyIr = true; break;
      case '--stats': options.stats = true; break;
      case '--trace': options.trace = true; break;
      default: throw new UsageError(`unknown option ${arg}`);
    }
  }
  if (i >= argv.length) throw new UsageError('no program given');
  if (options.tier === 'interp' && (options.passes !== undefined || options.verifyIr)) {
    throw new UsageError(`${options.passes !== undefined ? '--passes' : '--verify-ir'} needs --tier jit or auto`);
  }
  if (options.tier !== 'auto') {
    const misplaced = AUTO_OPTIONS.find((o) => given.has(o));
    if (misplaced !== undefined) throw new UsageError(`${misplaced} needs --tier auto`);
  }
  if (options.dumpIr !== undefined && options.tier !== 'jit' && !(options.tier === 'auto' && options.sync)) {
    throw new UsageError('--dump-ir needs --tier jit, or --tier auto with --sync');
  }
  return { options, program: argv[i], args: argv.slice(i + 1) };
}

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8'));
  return `rvwasm ${pkg.version}`;
}

/** Runs the CLI; resolves to the process exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        process.stderr.write(USAGE + '\n');
        return 2;
      case '-h': case '--help': case 'help':
        process.stdout.write(USAGE + '\n');
        return 0;
      case '--version':
        process.stdout.write(version() + '\n');
        return 0;
      case 'run': {
        const { options, program, args } = parseRunArgs(rest);
        let jit: JitTier | undefined;
        if (options.tier === 'jit') {
          const tier = await import('./jit/index.js');
          await tier.prepareJit(options);
          jit = tier;
        }
        return runProgram(program, args, options, jit);
      }
      case 'disasm': {
        const { disasmCommand } = await import('./disasm-command.js');
        const file = rest.find((a) => !a.startsWith('--') && rest[rest.indexOf(a) - 1] !== '--func');
        const fi = rest.indexOf('--func');
        if (!file) throw new UsageError('disasm needs a FILE');
        if (fi >= 0 && rest[fi + 1] === undefined) throw new UsageError('--func needs a NAME');
        return disasmCommand(file, fi >= 0 ? rest[fi + 1] : undefined, (line: string) => process.stdout.write(line + "\n"));
      }
      default:
        if (command.startsWith('-')) throw new UsageError(`unknown option ${command}`);
        throw new UsageError(`unknown command '${command}' (try: rvwasm run ${path.basename(command)})`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`rvwasm: ${e.message}\nTry 'rvwasm --help' for more information.\n`);
      return 2;
    }
    throw e;
  }
}
