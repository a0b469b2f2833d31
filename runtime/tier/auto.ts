//! The tiered engine (`--tier auto`, the default): the interpreter runs the guest from its
//! first instruction and counts region entries (see `interp/blocks.ts`); a region that gets
//! hot is compiled on worker threads while the interpreter goes on, and its compiled code
//! takes over between two guest blocks once installed. The compiling half (`compiler.ts`:
//! lifting, installed code, the worker pool) starts once a region is hot and the guest
//! has run a little, so that a short program never pays for it.
//!
//! The interpreter's loop stays the outer loop: it hands a block to compiled code through
//! its hot hook (compiled code runs, chained, until it returns somewhere, and the
//! interpreter goes on from there), and polls the workers through its event hook when a
//! worker has set the interrupt word. The loop returns to `run` only for what needs the
//! event loop: loading the backend for `--sync` or `--emitter binaryen`, and a turn for
//! piscina's bookkeeping when a worker may have died (see CompilePool.needsTurn). V8 runs
//! a loop function it has to enter again and again mostly in baseline code, so the loop
//! is entered as rarely as that.

import { loadBinaryen } from '../../backend-wasm/module.js';
import { INSTRET_OFF, INTERRUPT_OFF } from '../../layout/layout.js';
import { type Block, NEVER_HOT } from '../interp/blocks.js';
import { Interpreter } from '../interp/interpreter.js';
import { endWarmUp, WARM_UP_INSTS } from '../interp/warmup.js';
import { warnOnce } from '../linux/abi.js';
import { unpinFields } from '../v8-fields.js';
import type { LoadResult } from '../loader.js';
import type { Machine } from '../machine.js';
import type { CompiledRegion } from '../jit/cache.js';
import { CompilePool } from '../jit/pool.js';
import { type CompilerOptions, TierCompiler } from './compiler.js';
import { type HotRegion, hotRegion, lookAt } from './hot-region.js';

export type { CompilerOptions as AutoOptions } from './compiler.js';

/** Region entries before a region is compiled, when --hot is not given. */
export const DEFAULT_HOT = 100;

/** The compiler starts once a region is hot and the guest has run this long, and retired
 * this many instructions: starting it and a worker costs the main thread some 20-60 ms,
 * which a program that ends sooner would not win back (hello and the dynamic linker's
 * start-up run 20-120 thousand instructions, slowly, in a cold interpreter). */
const COMPILER_DELAY_MS = 20;
const COMPILER_DELAY_INSTS = 300_000;
/** The compile workers start booting earlier, once a region is hot and this many
 * instructions ran: their start costs the main thread little, and they are ready sooner. */
const POOL_DELAY_INSTS = 150_000;
/** Blocks between two looks at the clock, while something is due. */
const CHECK_BLOCKS = 8192;
/** While regions wait for the pool, the compiler looks at them this often (it sends the
 * busiest as the pool has room; a reply also has it look). */
const PUMP_MS = 10;

const INTERRUPT32 = INTERRUPT_OFF >> 2;
const INSTRET32 = INSTRET_OFF >> 2;
const TWO32 = 4294967296;

const turnEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class AutoEngine {
  readonly interp: Interpreter;
  private compiler: TierCompiler | undefined;
  private loadFailed = false;
  private pool: CompilePool | undefined;
  /** Hot region entries seen before the compiler was loaded. */
  private readonly waiting: HotRegion[] = [];
  private readonly startedAt = performance.now();
  /** When the event loop last turned, and the compiler last looked at its waiting regions. */
  private lastYield = 0;
  private lastPump = 0;
  /** Guest instructions retired in compiled code (the rest ran in the interpreter). */
  compiledInsts = 0;
  /** ms from the start to the first hot region, and to the compiler's start. */
  private firstHotMs: number | undefined;
  private startedMs: number | undefined;

  constructor(private readonly m: Machine, private readonly options: CompilerOptions, private readonly load?: LoadResult) {
    this.interp = new Interpreter(m, {
      hot: { threshold: options.hot, built: (b) => this.compiler?.link(b) },
      onHot: (b) => this.onHot(b),
      onEvent: () => this.onEvent(),
      // The interpreter's warm-up (see interp/warmup.ts) ends after its first instructions.
      warmUp: { insts: WARM_UP_INSTS, end: endWarmUp },
    });
    // The fields onHot and onEvent read, as they will be once the compiler runs (see v8-fields.ts).
    unpinFields(this, {
      compiler: {}, pool: {}, loadFailed: true, lastYield: 0.5, lastPump: 0.5, compiledInsts: 0.5, firstHotMs: 0.5, startedMs: 0.5,
    });
  }

  /** Guest instructions retired so far, in both tiers. */
  get instret(): number {
    return this.m.instret;
  }

  /** Runs the guest until it exits (rejects with ProcessExit). */
  async run(): Promise<never> {
    if (this.options.sync) await this.startCompiler();
    for (;;) {
      this.interp.runSlice(0);
      if (this.compilerDue()) {
        await this.startCompiler();
      } else {
        await turnEventLoop();
        this.compiler?.poll();
      }
      this.lastYield = performance.now();
    }
  }

  /** Whether the compile workers should start booting (before the compiler is due).
   * (With --emitter binaryen, Binaryen is loaded first: see startCompiler.) */
  private poolDue(): boolean {
    return this.pool === undefined && !this.options.sync && this.options.jit.emitter !== 'binaryen' &&
      this.m.instret >= POOL_DELAY_INSTS;
  }

  private compilerDue(): boolean {
    return this.compiler === undefined && !this.loadFailed && this.waiting.length > 0 &&
      performance.now() - this.startedAt >= COMPILER_DELAY_MS && this.m.instret >= COMPILER_DELAY_INSTS;
  }

  /** The interpreter's event hook: returns its next block budget, or -1 to leave it. */
  private onEvent(): number {
    const i32 = this.m.v.i32;
    if (i32[INTERRUPT32] !== 0) {
      // Cleared before polling: a reply posted after the poll sets it again.
      Atomics.store(i32, INTERRUPT32, 0);
      this.compiler?.poll();
    }
    const c = this.compiler;
    if (c === undefined) {
      if (this.loadFailed || this.waiting.length === 0) return NEVER_HOT;
      // Which waiting regions are still entered: the compiler sends those first.
      const now = performance.now();
      for (const r of this.waiting) lookAt(r, now);
      if (this.poolDue()) {
        try {
          this.startPool();
        } catch {
          // startCompiler tries again, and reports it.
        }
      }
      if (!this.compilerDue()) return CHECK_BLOCKS;
      // Started here if it can be, so that the interpreter's loop goes on (see startCompilerHere).
      return this.startCompilerHere() ? CHECK_BLOCKS : -1;
    }
    if (c.queued === 0) return NEVER_HOT;
    const now = performance.now();
    if (now - this.lastPump >= PUMP_MS) {
      this.lastPump = now;
      c.poll();
    }
    return c.needsTurn(now, this.lastYield) ? -1 : CHECK_BLOCKS;
  }

  /** The interpreter's hot hook: a block's countdown reached 0 (m.pc is its pc). */
  private onHot(b: Block): boolean {
    const c = this.compiler;
    const r = c?.lookup(b.pc);
    if (r !== undefined) {
      b.heat = 1;
      this.runCompiledFrom(r);
      return true;
    }
    if (!b.entry || this.loadFailed) {
      b.heat = NEVER_HOT;
      return false;
    }
    if (c !== undefined) {
      // With --sync the region is compiled now, and runs at once.
      const now = c.request(hotRegion(b)) ? c.lookup(b.pc) : undefined;
      if (now !== undefined) {
        this.runCompiledFrom(now);
        return true;
      }
    } else {
      // Its heat goes on below 0 while it waits: the compiler sends the busiest first.
      this.waiting.push(hotRegion(b));
      this.firstHotMs ??= performance.now() - this.startedAt;
    }
    // Something may now be due (the compiler's start, turns of the event loop): the
    // interrupt word has the interpreter ask `onEvent` before its next block.
    Atomics.store(this.m.v.i32, INTERRUPT32, 1);
    return false;
  }

  /** Runs compiled code from m.pc, and on while it returns to pcs that have some. */
  private runCompiledFrom(first: CompiledRegion): void {
    const c = this.compiler!;
    const i32 = this.m.v.i32;
    for (let r: CompiledRegion | undefined = first; r !== undefined; r = c.lookup(this.m.pc)) {
      this.runCompiled(c, r);
      if (i32[INTERRUPT32] !== 0) {
        Atomics.store(i32, INTERRUPT32, 0);
        c.poll();
      }
    }
  }

  /** Runs compiled code from m.pc; the instruction count moves between the interpreter's
   * counter and the one compiled code adds to in the state block. */
  private runCompiled(c: TierCompiler, r: CompiledRegion): void {
    const m = this.m;
    const i32 = m.v.i32;
    const before = m.instret;
    i32[INSTRET32] = before % TWO32 | 0;
    i32[INSTRET32 + 1] = Math.floor(before / TWO32);
    try {
      c.jit.enter(r);
    } finally {
      m.instret = (i32[INSTRET32 + 1] >>> 0) * TWO32 + (i32[INSTRET32] >>> 0);
      this.compiledInsts += m.instret - before;
    }
  }

  /** Starts the compile workers, once (see POOL_DELAY_INSTS): they boot on their own
   * threads while the guest runs on to the compiler's start. */
  private startPool(): CompilePool {
    return this.pool ??= CompilePool.start({
      jobs: this.options.jobs, emitter: this.options.jit.emitter, workerFile: this.options.workerFile,
      memory: this.m.as.memory.buffer as unknown as SharedArrayBuffer,
    });
  }

  /** Starts the compiling half, once, where the event loop must turn first: --sync loads
   * the optimizer and backend into this thread, --emitter binaryen loads Binaryen. */
  private async startCompiler(): Promise<void> {
    let compiler: TierCompiler;
    try {
      // Binaryen's own large module must be compiled before the JIT's V8 flags are set
      // (see jit/v8-flags.ts), which the first job of one worker does while another may
      // still load it: loaded here first, the workers get it from V8's cache of
      // compiled modules instead of compiling it all with TurboFan (20 s and more).
      if (this.options.jit.emitter === 'binaryen' && !this.options.sync) await loadBinaryen();
      const pool = this.options.sync ? undefined : this.startPool();
      compiler = await TierCompiler.create(this.m, this.interp, this.options, this.startedAt, pool, this.load);
    } catch (e) {
      if (this.options.sync) throw e;
      this.compilerFailed(e as Error);
      return;
    }
    this.compilerLoaded(compiler);
  }

  /** Starts the compiling half without leaving the interpreter's loop, where it can (with
   * the worker pool, and the default emitter). A return to `run` would make V8 enter the
   * loop function anew, and it then runs in baseline code until TurboFan has compiled it
   * for that entry too (the optimized code it runs in is for the loop, entered on stack:
   * OSR): 100-200 ms of a slower interpreter. False: use startCompiler. */
  private startCompilerHere(): boolean {
    if (this.options.sync || this.options.jit.emitter === 'binaryen') return false;
    try {
      this.compilerLoaded(TierCompiler.withPool(this.m, this.interp, this.options, this.startedAt, this.startPool(), this.load));
    } catch (e) {
      this.compilerFailed(e as Error);
    }
    return true;
  }

  private compilerLoaded(compiler: TierCompiler): void {
    this.compiler = compiler;
    this.startedMs = performance.now() - this.startedAt;
    compiler.requestAll(this.waiting.splice(0));
  }

  /** The guest stays interpreted; one warning says why. */
  private compilerFailed(e: Error): void {
    this.loadFailed = true;
    void this.pool?.close();
    for (const { block } of this.waiting.splice(0)) block.heat = NEVER_HOT;
    warnOnce(this.m, 'compiler', `cannot start the compiler, the guest stays interpreted: ${e.message}`);
  }

  /** The --stats lines of the tiered engine (with the JIT's, once it has run). */
  statsLines(): string[] {
    const total = this.m.instret;
    const compiled = this.compiledInsts;
    const pct = total > 0 ? ((100 * compiled) / total).toFixed(1) : '0.0';
    const lines = [`auto: ${total - compiled} instructions interpreted, ${compiled} compiled (${pct}%)`];
    const c = this.compiler;
    if (c === undefined) {
      lines.push(this.waiting.length === 0
        ? `auto: no region got ${this.options.hot} entries: the compiler never started`
        : `auto: ${this.waiting.length} hot regions waited for the compiler, not started at exit`);
      return lines;
    }
    lines.push(`auto: first hot region after ${this.firstHotMs?.toFixed(1) ?? '-'} ms, compiler started after ${this.startedMs?.toFixed(1) ?? '-'} ms`);
    return [...lines, ...c.statsLines()];
  }

  /** Stops the compile workers (tests; the CLI exits, which ends them). */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
