//! The tiered engine (`--tier auto`, the default): the interpreter runs the guest from its
//! first instruction and counts region entries (see `interp/blocks.ts`); a region that gets
//! hot is compiled on worker threads while the interpreter goes on, and its compiled code
//! takes over between two guest blocks once installed. The compiling half (`compiler.ts`:
//! the JIT engine, lifting, the worker pool) is loaded when the first region gets hot, so
//! that a short program never pays for it.
//!
//! The dispatcher here alternates between the tiers: compiled code runs until it returns
//! (a pc it cannot chain to, a trap, the interrupt word), the interpreter until its slice
//! ends or it reaches a block that compiled code now runs. The guest runs synchronously;
//! while the compiler loads or jobs are out, the dispatcher turns the event loop every few
//! milliseconds (for module loading and piscina's bookkeeping), never waiting on a compile.

import { loadBinaryen } from '../../backend-wasm/module.js';
import { INSTRET_OFF, INTERRUPT_OFF } from '../../layout/layout.js';
import { type Block, NEVER_HOT } from '../interp/blocks.js';
import { Interpreter } from '../interp/interpreter.js';
import { warnOnce } from '../linux/abi.js';
import type { LoadResult } from '../loader.js';
import type { Machine } from '../machine.js';
import type { CompiledRegion } from '../jit/cache.js';
import { CompilePool } from '../jit/pool.js';
import type { CompilerOptions, TierCompiler } from './compiler.js';

export type { CompilerOptions as AutoOptions } from './compiler.js';

/** Region entries before a region is compiled, when --hot is not given. */
export const DEFAULT_HOT = 100;

/** The compiler loads once a region is hot and the guest has run this long: its loading
 * costs the main thread some 60 ms, which a program that ends sooner would not win back. */
const COMPILER_DELAY_MS = 20;

/** Blocks the interpreter runs before the dispatcher looks around (fewer while the
 * compiler is due to start or loads, so that it starts on time and the event loop turns
 * often enough to load it). */
const SLICE_BLOCKS = 8192;
const SLICE_BLOCKS_LOADING = 512;
/** Longest run of guest code without a turn of the event loop, while the compiler loads
 * (module loading needs a few turns) and while compile jobs are out. */
const YIELD_LOADING_MS = 1;
const YIELD_BUSY_MS = 5;

const INTERRUPT32 = INTERRUPT_OFF >> 2;
const INSTRET32 = INSTRET_OFF >> 2;
const TWO32 = 4294967296;

const turnEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class AutoEngine {
  readonly interp: Interpreter;
  private compiler: TierCompiler | undefined;
  private loading: Promise<void> | undefined;
  private loadFailed = false;
  private pool: CompilePool | undefined;
  /** Hot region entries seen before the compiler was loaded. */
  private readonly waiting: Block[] = [];
  private readonly startedAt = performance.now();
  private lastYield = 0;
  /** Guest instructions retired in compiled code (the rest ran in the interpreter). */
  compiledInsts = 0;
  /** ms from the start to the first hot region, and to the compiler being loaded. */
  private firstHotMs: number | undefined;
  private loadedMs: number | undefined;

  constructor(private readonly m: Machine, private readonly options: CompilerOptions, private readonly load?: LoadResult) {
    this.interp = new Interpreter(m);
    this.interp.cache.hooks = { threshold: options.hot, built: (b) => this.compiler?.link(b) };
    this.interp.onHot = (b) => this.onHot(b);
  }

  /** Guest instructions retired so far, in both tiers. */
  get instret(): number {
    return this.m.instret;
  }

  /** Runs the guest until it exits (rejects with ProcessExit). */
  async run(): Promise<never> {
    const i32 = this.m.v.i32;
    if (this.options.sync) await this.startCompiler();
    for (;;) {
      const c = this.compiler;
      const r = c?.lookup(this.m.pc);
      if (r !== undefined) this.runCompiled(c!, r);
      else this.interp.runSlice(this.loading !== undefined || (c === undefined && this.waiting.length > 0) ? SLICE_BLOCKS_LOADING : SLICE_BLOCKS);
      if (this.waiting.length > 0 && this.loading === undefined && performance.now() - this.startedAt >= COMPILER_DELAY_MS) {
        void this.startCompiler();
      }
      if (i32[INTERRUPT32] !== 0) {
        // Cleared before polling: a reply posted after the poll sets it again.
        Atomics.store(i32, INTERRUPT32, 0);
        c?.poll();
      }
      if (this.loading !== undefined || (c !== undefined && c.queued > 0)) {
        const now = performance.now();
        if (now - this.lastYield >= (this.loading !== undefined ? YIELD_LOADING_MS : YIELD_BUSY_MS)) {
          await turnEventLoop();
          this.lastYield = performance.now();
          this.compiler?.poll();
        }
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

  /** The interpreter's hot hook: a block's countdown reached 0. */
  private onHot(b: Block): boolean {
    if (b.compiled !== undefined) {
      b.heat = 1;
      return true;
    }
    if (!b.entry || this.loadFailed) {
      b.heat = NEVER_HOT;
      return false;
    }
    if (this.compiler !== undefined) return this.compiler.request(b);
    // Its heat goes on below 0 while it waits: the compiler sends the hottest first.
    this.waiting.push(b);
    this.firstHotMs ??= performance.now() - this.startedAt;
    return false;
  }

  /** Loads the compiling half (once); the guest goes on meanwhile, except with --sync. */
  private startCompiler(): Promise<void> {
    if (this.loading !== undefined || this.compiler !== undefined || this.loadFailed) return this.loading ?? Promise.resolve();
    const loading = (async () => {
      try {
        // Binaryen's own large module must be compiled before the JIT's V8 flags are set
        // (see jit/v8-flags.ts): loaded here first, the workers get it from V8's cache of
        // compiled modules instead of compiling it all with TurboFan (20 s and more).
        if (this.options.jit.emitter === 'binaryen' && !this.options.sync) await loadBinaryen();
        // The workers boot on their threads while this thread loads the compiler.
        const pool = this.pool = this.options.sync ? undefined : CompilePool.start({
          jobs: this.options.jobs, emitter: this.options.jit.emitter, workerFile: this.options.workerFile,
          memory: this.m.as.memory.buffer as unknown as SharedArrayBuffer,
        });
        const { TierCompiler } = await import('./compiler.js');
        this.compiler = await TierCompiler.create(this.m, this.interp, this.options, this.startedAt, pool, this.load);
        this.loadedMs = performance.now() - this.startedAt;
      } catch (e) {
        this.loadFailed = true;
        void this.pool?.close();
        if (this.options.sync) throw e;
        warnOnce(this.m, 'compiler', `cannot start the compiler, the guest stays interpreted: ${(e as Error).message}`);
        return;
      } finally {
        this.loading = undefined;
      }
      for (const b of this.waiting.splice(0)) if (b.valid && b.compiled === undefined) this.compiler.request(b);
    })();
    this.loading = loading;
    return loading;
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
        : `auto: ${this.waiting.length} hot regions waited for the compiler, ${this.loading !== undefined ? 'still loading' : 'not started'} at exit`);
      return lines;
    }
    lines.push(`auto: first hot region after ${this.firstHotMs?.toFixed(1) ?? '-'} ms, compiler loaded after ${this.loadedMs?.toFixed(1) ?? '-'} ms`);
    return [...lines, ...c.statsLines()];
  }

  /** Stops the compile workers (tests; the CLI exits, which ends them). */
  async close(): Promise<void> {
    await this.loading?.catch(() => {});
    await this.pool?.close();
  }
}
