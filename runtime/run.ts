//! `rvwasm run`: builds a Machine for a program, loads it and runs it in the chosen
//! tier, turning every way a run can end into an exit status and at most one line on stderr.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Interpreter } from './interp/interpreter.js';
import { beginWarmUp, endWarmUp, WARM_UP_INSTS } from './interp/warmup.js';
import { loadProgram, type LoadResult } from './loader.js';
import { GuestError, Machine, ProcessExit } from './machine.js';
import { AddressSpace, OutOfMemory } from './memory.js';
import { AutoEngine } from './tier/auto.js';

export interface RunOptions {
  /** The interpreter only, every region compiled before it runs, or both (tiered). */
  tier: 'interp' | 'jit' | 'auto';
  /** auto: region entries before a region is compiled. */
  hot: number;
  /** auto: compile worker threads. */
  jobs: number;
  /** auto: compile hot regions in the main thread, at once (deterministic runs). */
  sync: boolean;
  /** auto, testing aids: the share of compile jobs made to throw, and to end their worker. */
  injectCompileFaults: number;
  injectWorkerExits: number;
  /** Guest address translation of the JIT tier: the software TLB, or a fixed offset. */
  mmu: 'tlb' | 'flat';
  /** JIT: write each compiled region's IR, wasm text and CFG into this directory. */
  dumpIr?: string;
  /** JIT: how wasm modules are built (the backend's own encoder, or Binaryen). */
  emitter: 'direct' | 'binaryen';
  root?: string;
  sysroot?: string;
  stats: boolean;
  trace: boolean;
  /** JIT: optimizer passes in order (`--passes`; default: the default pipeline). */
  passes?: string[];
  /** JIT: verify the IR after every pass (`--verify-ir`). */
  verifyIr?: boolean;
  /** Environment for the guest; the host's by default. */
  env?: string[];
}

const DEFAULT_SYSROOT = '/usr/riscv64-linux-gnu';

function hostEnvironment(): string[] {
  return Object.entries(process.env).map(([k, v]) => `${k}=${v}`);
}

/** The JIT tier (`runtime/jit/index.ts`), which the CLI loads only for `--tier jit`
 * because loading it loads Binaryen. */
export interface JitTier {
  startJit(m: Machine, load: LoadResult, options: {
    dumpIr?: string; emitter: 'direct' | 'binaryen'; stats?: boolean; passes?: readonly string[]; verifyIr?: boolean;
  }): {
    run(): never;
    readonly instret: number;
    statsLines(): string[];
  };
}

/** Runs `program` to completion; resolves to its exit status. */
export async function runProgram(program: string, args: string[], options: RunOptions, jitTier?: JitTier): Promise<number> {
  if (options.root !== undefined && !fs.existsSync(options.root)) {
    process.stderr.write(`rvwasm: --root ${options.root}: No such directory\n`);
    return 1;
  }
  const sysroot = options.sysroot ?? (fs.existsSync(DEFAULT_SYSROOT) ? DEFAULT_SYSROOT : undefined);
  const m = new Machine({
    root: options.root && path.resolve(options.root),
    sysroot,
    trace: options.trace,
    env: options.env ?? hostEnvironment(),
    argv: [program, ...args],
    programPath: path.resolve(program),
  }, new AddressSpace(undefined, options.mmu === 'flat'));
  const started = process.hrtime.bigint();
  let status: number;
  let engine: { readonly instret: number; statsLines(): string[] } | undefined;
  try {
    const load = loadProgram(m, program, program);
    if (options.tier === 'jit') {
      if (jitTier === undefined) throw new Error('the JIT tier was not loaded');
      const jit = jitTier.startJit(m, load, {
        dumpIr: options.dumpIr, emitter: options.emitter, stats: options.stats, passes: options.passes, verifyIr: options.verifyIr,
      });
      engine = jit;
      jit.run();
    }
    // Not under --trace, which prints every instruction run (and wants no speed-up).
    const warming = !options.trace;
    if (warming) beginWarmUp();
    // --trace shows every instruction, so only the interpreter runs.
    if (options.tier === 'auto' && !options.trace) {
      const auto = new AutoEngine(m, {
        hot: options.hot, jobs: options.jobs, sync: options.sync,
        faultRate: options.injectCompileFaults, exitRate: options.injectWorkerExits,
        jit: {
          dumpIr: options.dumpIr, emitter: options.emitter, stats: options.stats, passes: options.passes, verifyIr: options.verifyIr,
        },
      }, load);
      engine = auto;
      await auto.run();
    }
    new Interpreter(m, { trace: options.trace, warmUp: warming ? { insts: WARM_UP_INSTS, end: endWarmUp } : undefined }).run();
  } catch (e) {
    // Whatever ended the guest, V8 optimizes this process's code again (tests run many).
    endWarmUp();
    if (e instanceof ProcessExit) status = e.status;
    else if (e instanceof GuestError) {
      process.stderr.write(`rvwasm: ${e.message}\n`);
      status = e.status;
    } else if (e instanceof OutOfMemory) {
      process.stderr.write(`rvwasm: ${program}: out of memory at guest pc 0x${m.pc.toString(16)}\n`);
      status = 1;
    } else {
      const detail = process.env.RVWASM_DEBUG ? `\n${(e as Error).stack}` : '';
      process.stderr.write(`rvwasm: internal error at guest pc 0x${m.pc.toString(16)}: ${(e as Error).message}${detail}\n`);
      status = 70;
    }
  }
  if (options.stats) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const instret = engine !== undefined ? engine.instret : m.instret;
    const mips = instret / seconds / 1e6;
    process.stderr.write(
      `rvwasm: stats: tier ${options.tier}, ${instret} guest instructions in ${seconds.toFixed(3)} s, ${mips.toFixed(1)} MIPS\n`,
    );
    for (const line of engine?.statsLines() ?? []) process.stderr.write(`rvwasm: stats: ${line}\n`);
  }
  return status!;
}
