//! The `rvwasm` command line: `run` a RISC-V program, `disasm` one, `--help`.
//! User mistakes end with one line on stderr and a shell-like exit status, never a stack.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PIPELINE, parsePasses, passNames, PipelineError } from '../optimizer/pipeline.js';
import { type JitTier, runProgram, type RunOptions } from './run.js';

const USAGE = `usage: rvwasm run [options] PROGRAM [ARGS...]
       rvwasm disasm FILE [--func NAME]
       rvwasm --help | --version

Runs a 64-bit RISC-V Linux program (RV64GC, static or dynamically linked ELF) on Node.js.

run options:
  --tier interp|jit    execution tier: the interpreter (default), or every region
                       compiled to WebAssembly before it first runs
  --mmu tlb|flat       guest address translation of the JIT: the software TLB
                       (default), or guest memory at a fixed offset behind a page
                       permission map (guest must fit below 4 GiB; measures the TLB)
  --dump-ir DIR        JIT: write each region's IR, wasm text and CFG into DIR
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
  --trace              print every guest instruction executed on stderr
  --                   end of options

The guest's stdin, stdout and stderr are the command's own; rvwasm exits with the
guest's exit status (128+N when a signal N kills it).`;

export class UsageError extends Error {}

interface ParsedRun {
  options: RunOptions;
  program: string;
  args: string[];
}

const VALUE_OPTIONS = new Set(['--tier', '--root', '--sysroot', '--mmu', '--dump-ir', '--emitter', '--passes']);

export function parseRunArgs(argv: string[]): ParsedRun {
  const options: RunOptions = { tier: 'interp', mmu: 'tlb', emitter: 'direct', stats: false, trace: false };
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
    switch (arg) {
      case '--tier':
        if (value !== 'interp' && value !== 'jit') {
          if (value === 'auto') throw new UsageError(`--tier ${value} is not implemented yet (only interp and jit)`);
          throw new UsageError(`unknown tier '${value}' (expected interp or jit)`);
        }
        options.tier = value;
        break;
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
  if (options.tier !== 'jit' && options.dumpIr !== undefined) throw new UsageError('--dump-ir needs --tier jit');
  if (options.tier === 'interp' && (options.passes !== undefined || options.verifyIr)) {
    throw new UsageError(`${options.passes !== undefined ? '--passes' : '--verify-ir'} needs --tier jit`);
  }
  return { options, program: argv[i], args: argv.slice(i + 1) };
}

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
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
