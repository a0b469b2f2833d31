//! The compiling half of the tiered engine, started when the first region gets hot. It
//! sends a hot region's entry pc and the code pages around it to the compile pool (the
//! worker lifts it: the main thread only looks up a few pages), or compiles it at once
//! with `--sync`, and installs what comes back in the code cache, linked to the
//! interpreter's block at the entry pc so that the switch costs the interpreter nothing.
//! A result is thrown away when a guest page it was lifted from has been written since:
//! each code page has a write generation, bumped by the same invalidation that drops the
//! code cache's and the interpreter's code.

import { type Block, NEVER_HOT } from '../interp/blocks.js';
import type { Interpreter } from '../interp/interpreter.js';
import { readSymbols } from '../elf.js';
import { warnOnce } from '../linux/abi.js';
import type { LoadResult } from '../loader.js';
import type { Machine } from '../machine.js';
import { GuestFault } from '../memory.js';
import type { CompiledRegion } from '../jit/cache.js';
import { CompiledCode, JitError } from '../jit/code.js';
import { takeCodeWindow } from '../jit/code-window.js';
import { type CompileJob, type InjectedFault, type JobDone } from '../jit/compile-job.js';
import { fetchInstruction } from '../fetch.js';
import { makeSymbolizer } from '../jit/dump.js';
import type { JitEngine } from '../jit/engine.js';
import { jitOptions, type JitStartOptions } from '../jit/options.js';
import type { CompilePool } from '../jit/pool.js';
import { DEFAULT_LIMITS } from '../../lifter/region.js';
import { PAGE_SIZE } from '../../layout/layout.js';
import { type HotRegion, lookAt } from './hot-region.js';

export interface CompilerOptions {
  /** Region-entry count at which a region is compiled (--hot). */
  hot: number;
  /** Compile workers (--jobs). */
  jobs: number;
  /** Compile in the main thread, at once (--sync). */
  sync: boolean;
  /** Testing aids: the share of compile jobs that throw, and that end their worker. */
  faultRate: number;
  exitRate: number;
  jit: JitStartOptions;
  /** The compile worker's module (default: compile-worker-entry.cjs beside jit/pool.js). */
  workerFile?: string;
}

/** Jobs out per worker: one running, one ready to start. */
const MAX_OUT_PER_WORKER = 2;
/** Table slots a job takes along for its exits: each guest block ends in at most two. */
const SLOTS_PER_JOB = 2 * DEFAULT_LIMITS.maxBlocks + 2;

/** Only a waiting region entered within this many ms is sent (see `pump`). */
const BUSY_MS = 50;
/** A waiting region that had no entry for this long has gone cold (start-up code, a
 * finished phase): it leaves the queue, and must get hot again to come back. */
const COLD_MS = 200;

/** A compile job out on the pool. */
interface Job {
  id: number;
  pc: number;
  /** Write generation of each page of its code window when it was sent. */
  gens: Map<number, number>;
  /** The table slots it took along. */
  slots: number[];
  sentAt: number;
}

export interface TierStats {
  /** Regions that got hot. */
  hot: number;
  /** Regions lifted and sent to the pool. */
  sent: number;
  installed: number;
  /** Results thrown away: their guest code was written while they compiled. */
  stale: number;
  failed: number;
  /** ms from the engine's start to the first installed region. */
  firstInstallMs: number | undefined;
  maxQueue: number;
  latenciesMs: number[];
}

export class TierCompiler {
  readonly jit: CompiledCode;
  readonly stats: TierStats = { hot: 0, sent: 0, installed: 0, stale: 0, failed: 0, firstInstallMs: undefined, maxQueue: 0, latenciesMs: [] };
  private readonly gens = new Map<number, number>();
  private readonly out = new Map<number, Job>();
  /** The newest job out for each entry pc. */
  private readonly outAt = new Map<number, Job>();
  private readonly failed = new Set<number>();
  /** Hot regions (by entry block) waiting for room on the pool. */
  private readonly pending = new Map<Block, HotRegion>();
  private nextId = 1;
  private faultSeed = 1;
  private symbolize: ((pc: number) => string | undefined) | undefined;

  private constructor(
    private readonly m: Machine,
    private readonly interp: Interpreter,
    private readonly options: CompilerOptions,
    private readonly pool: CompilePool | undefined,
    private readonly startedAt: number,
    private readonly load: LoadResult | undefined,
    /** --sync: the JIT engine, which compiles in this thread. */
    private readonly engine: JitEngine | undefined,
  ) {
    this.jit = engine ?? new CompiledCode(m, jitOptions(options.jit, load));
    const jitCache = this.jit.cache;
    const blocks = interp.cache;
    m.as.onCodeWrite = (vpn) => {
      this.gens.set(vpn, (this.gens.get(vpn) ?? 0) + 1);
      // Compiled code first, so that it is unlinked from blocks still in the block cache.
      jitCache.invalidatePage(vpn);
      blocks.invalidatePage(vpn);
    };
    jitCache.onRemove = (r) => this.unlink(r);
  }

  /** The compiler for a machine whose guest already runs in `interp`. `startedAt`: when
   * the engine started (for the time to the first compiled region); `load`: the program
   * (symbols for warnings and dumps). */
  static async create(m: Machine, interp: Interpreter, options: CompilerOptions, startedAt: number,
    pool: CompilePool | undefined, load?: LoadResult): Promise<TierCompiler> {
    if (pool !== undefined) return TierCompiler.withPool(m, interp, options, startedAt, pool, load);
    // Only --sync loads the optimizer and the backend into this thread.
    const { JitEngine } = await import('../jit/engine.js');
    const { prepareJit } = await import('../jit/index.js');
    await prepareJit(options.jit);
    const engine = new JitEngine(m, jitOptions(options.jit, load));
    return new TierCompiler(m, interp, options, undefined, startedAt, load, engine);
  }

  /** The compiler that sends its regions to `pool` (see `create`). */
  static withPool(m: Machine, interp: Interpreter, options: CompilerOptions, startedAt: number,
    pool: CompilePool, load?: LoadResult): TierCompiler {
    return new TierCompiler(m, interp, options, pool, startedAt, load, undefined);
  }

  /** Regions waiting for the pool or out on it. */
  get queued(): number {
    return this.out.size + this.pending.size;
  }

  /** Whether the pool needs a turn of the event loop (see CompilePool.needsTurn). */
  needsTurn(now: number, since: number): boolean {
    return this.pool?.needsTurn(now, since) ?? false;
  }

  lookup(pc: number): CompiledRegion | undefined {
    return this.jit.cache.lookup(pc);
  }

  /** Links a block the interpreter just decoded to the region installed at its pc: a heat
   * of 1 has every entry of the block ask the hot hook, which runs the region. (The block
   * holds no reference to it: a field that went from undefined to a region would have V8
   * deoptimize the interpreter's loop.) */
  link(block: Block): void {
    if (this.jit.cache.lookup(block.pc) !== undefined) block.heat = 1;
  }

  private unlink(r: CompiledRegion): void {
    const b = this.interp.cache.peek(r.pc);
    // It may get hot again (after a flush of the full cache, or once its code is rewritten).
    if (b !== undefined) b.heat = this.options.hot;
  }

  /** The region entered at `hot.block` got hot. With --sync it is compiled and installed
   * at once (true: compiled code now runs there); else it waits for the pool, and the
   * block keeps counting its entries (its heat goes below 0), so that the busiest goes
   * first. `pump`: false to queue it only (see `requestAll`). */
  request(hot: HotRegion, pump = true): boolean {
    const block = hot.block;
    const pc = block.pc;
    const out = this.outAt.get(pc);
    if (this.failed.has(pc) || (out !== undefined && this.fresh(out)) || this.pending.has(block)) {
      if (!this.pending.has(block)) block.heat = NEVER_HOT;
      return false;
    }
    this.stats.hot++;
    if (this.pool === undefined) {
      block.heat = NEVER_HOT;
      return this.compileHere(pc, this.pickFault());
    }
    this.pending.set(block, hot);
    if (pump) this.pump();
    return false;
  }

  /** The regions that got hot before the compiler was loaded: all are queued before the
   * busiest are sent. */
  requestAll(hot: readonly HotRegion[]): void {
    for (const r of hot) if (r.block.valid) this.request(r, false);
    if (this.pool !== undefined) this.pump();
  }

  /** Sends the busiest waiting regions while the pool has room: a short queue keeps
   * every worker busy and lets regions that get hot later overtake others. Busiest: most
   * guest instructions per ms since it got hot (entries times its entry block's length).
   * Only regions entered lately are sent: start-up code that was hot for a moment early
   * on must not hold up the program's main loop (it waits until it goes cold). */
  private pump(): void {
    const pool = this.pool!;
    const room = MAX_OUT_PER_WORKER * pool.jobs;
    // Nothing to do while the pool is full (a program with a flat profile has hundreds
    // of regions waiting, and this is called often).
    if (this.pending.size === 0 || this.out.size >= room) return;
    const now = performance.now();
    this.dropCold(now);
    while (this.pending.size > 0 && this.out.size < room) {
      let best: Block | undefined;
      let bestScore = -Infinity;
      for (const [b, r] of this.pending) {
        if (now - r.seenAt >= BUSY_MS) continue;
        const score = ((1 - b.heat) * b.n) / (now - r.hotAt + 1);
        if (score > bestScore) {
          best = b;
          bestScore = score;
        }
      }
      if (best === undefined) return;
      this.pending.delete(best);
      best.heat = NEVER_HOT;
      this.send(pool, best.pc);
    }
  }

  /** Drops the waiting regions whose code is gone or compiled, and those gone cold (no
   * entry for COLD_MS): the interpreter counts their entries again from the threshold. */
  private dropCold(now: number): void {
    for (const [b, r] of this.pending) {
      lookAt(r, now);
      if (!b.valid || this.jit.cache.lookup(b.pc) !== undefined) {
        this.pending.delete(b);
      } else if (now - r.seenAt >= COLD_MS) {
        this.pending.delete(b);
        b.heat = this.options.hot;
      }
    }
  }

  /** Sends the region at pc to a worker, with the code pages around it. */
  private send(pool: CompilePool, pc: number): void {
    const as = this.m.as;
    try {
      fetchInstruction(as, pc, new Set());
    } catch (e) {
      if (e instanceof GuestFault) return; // the interpreter will take the fault
      throw e;
    }
    const window = takeCodeWindow(as, pc);
    // Writes to every page the worker may read must now reach `onCodeWrite`.
    for (const vpn of window.vpns) as.markCode(vpn);
    const job: Job = {
      id: this.nextId++, pc, gens: new Map(window.vpns.map((vpn) => [vpn, this.gens.get(vpn) ?? 0])),
      slots: this.jit.cache.reserveSlots(SLOTS_PER_JOB), sentAt: performance.now(),
    };
    const message: CompileJob = {
      id: job.id, pc, window, stops: this.entriesIn(window.vpns, pc), slots: job.slots, options: this.jit.translateOptions, fault: this.pickFault(),
    };
    this.out.set(job.id, job);
    this.outAt.set(pc, job);
    pool.submit(message);
    this.stats.sent++;
    this.stats.maxQueue = Math.max(this.stats.maxQueue, this.out.size + this.pending.size);
  }

  /** Entry pcs other than `pc` on pages `vpns` of the regions that are installed, out on
   * the pool or waiting for it: a region lifted now stops at them (see `discoverRegion`). */
  private entriesIn(vpns: readonly number[], pc: number): number[] {
    const pages = new Set(vpns);
    const onPages = (at: number) => pages.has(Math.floor(at / PAGE_SIZE));
    const entries = this.jit.cache.entriesOn(pages);
    for (const at of this.outAt.keys()) if (onPages(at)) entries.add(at);
    for (const b of this.pending.keys()) if (onPages(b.pc)) entries.add(b.pc);
    entries.delete(pc);
    return [...entries];
  }

  /** --sync: the JIT engine's own compile, in this thread. */
  private compileHere(pc: number, fault: InjectedFault | undefined): boolean {
    let r: CompiledRegion;
    try {
      if (fault !== undefined) throw new JitError('injected compile fault');
      r = this.engine!.compile(pc);
    } catch (e) {
      if (e instanceof GuestFault) return false;
      this.fail(pc, (e as Error).message);
      return false;
    }
    this.installed(r);
    return true;
  }

  /** Installs the results that have come back, and sends more. */
  poll(): void {
    if (this.pool === undefined) return;
    const replies = this.pool.poll();
    for (const reply of replies) {
      const job = this.out.get(reply.id);
      if (job === undefined) continue;
      this.out.delete(job.id);
      if (this.outAt.get(job.pc) === job) this.outAt.delete(job.pc);
      this.stats.latenciesMs.push(performance.now() - job.sentAt);
      if (reply.kind === 'failed') {
        this.jit.cache.returnUnusedSlots(job.slots);
        this.fail(job.pc, reply.message);
      } else {
        this.installReply(job, reply);
      }
    }
    // Waiting regions may have become busy (or cold) since the last look.
    if (replies.length > 0 || this.pending.size > 0) this.pump();
  }

  private installReply(job: Job, reply: JobDone): void {
    const s = this.jit.stats;
    s.liftMs += reply.liftMs;
    s.optimizeMs += reply.optimizeMs;
    s.emitMs += reply.emitMs;
    s.compileMs += reply.compileMs;
    const cache = this.jit.cache;
    if (!this.fresh(job, reply.pages)) {
      cache.returnUnusedSlots(job.slots);
      this.stats.stale++;
      // Its entry block (if it survived the write) may get hot again.
      const b = this.interp.cache.peek(job.pc);
      if (b !== undefined && this.jit.cache.lookup(b.pc) === undefined) b.heat = this.options.hot;
      return;
    }
    const used = new Set(reply.exits.map((e) => e.slot));
    cache.returnUnusedSlots(job.slots.filter((slot) => !used.has(slot)));
    let r: CompiledRegion;
    try {
      r = this.jit.install(job.pc, reply.module, reply.helpers,
        { pages: reply.pages, bytes: reply.bytes, guestInsts: reply.guestInsts, exitSlots: reply.exits });
    } catch (e) {
      cache.releaseSlots(used);
      this.fail(job.pc, (e as Error).message);
      return;
    }
    this.installed(r);
  }

  private installed(r: CompiledRegion): void {
    this.stats.installed++;
    this.stats.firstInstallMs ??= performance.now() - this.startedAt;
    const b = this.interp.cache.peek(r.pc);
    if (b !== undefined) b.heat = 1;
  }

  /** Whether no page of the job's code window (or of `pages`, those its region was
   * lifted from) has been written since it was sent. */
  private fresh(job: Job, pages?: readonly number[]): boolean {
    for (const vpn of pages ?? job.gens.keys()) if ((this.gens.get(vpn) ?? 0) !== job.gens.get(vpn)) return false;
    return true;
  }

  /** The region at pc stays interpreted; one warning names it. */
  private fail(pc: number, why: string): void {
    this.stats.failed++;
    this.failed.add(pc);
    const load = this.load;
    this.symbolize ??= load !== undefined ? makeSymbolizer(readSymbols(load.elf.data), load.bias) : () => undefined;
    const name = this.symbolize(pc);
    const where = `0x${pc.toString(16)}${name !== undefined ? ` (${name})` : ''}`;
    warnOnce(this.m, `compile ${pc}`, `cannot compile the region at ${where}, it stays interpreted: ${why}`);
  }

  /** --inject-compile-faults / --inject-worker-exits: which fault, if any, this job gets
   * (from a fixed-seed generator, so that --sync runs repeat exactly). */
  private pickFault(): InjectedFault | undefined {
    const { faultRate, exitRate } = this.options;
    if (faultRate === 0 && exitRate === 0) return undefined;
    this.faultSeed = (Math.imul(this.faultSeed, 1103515245) + 12345) >>> 0;
    const x = (this.faultSeed >>> 8) / (1 << 24);
    if (x < exitRate) return 'exit';
    if (x < exitRate + faultRate) return 'throw';
    return undefined;
  }

  /** The --stats lines of the compiling half, then the JIT engine's. */
  statsLines(): string[] {
    const s = this.stats;
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    const first = s.firstInstallMs === undefined ? 'none installed' : `first installed after ${ms(s.firstInstallMs)}`;
    const lines = [
      `auto: ${s.hot} regions got hot, ${s.sent} sent to compile, ${s.installed} installed, ${s.stale} stale (code written while compiling), ${s.failed} failed; ${first}`,
    ];
    const pool = this.pool;
    if (pool !== undefined) {
      const lat = [...s.latenciesMs].sort((a, b) => a - b);
      const median = lat.length === 0 ? 0 : lat.length % 2 === 1 ? lat[lat.length >> 1] : (lat[lat.length / 2 - 1] + lat[lat.length / 2]) / 2;
      const wall = performance.now() - pool.startedAt;
      const use = wall > 0 ? (100 * pool.busyMs) / (wall * pool.jobs) : 0;
      lines.push(
        `auto: compile queue: longest ${s.maxQueue}, ${this.queued} at exit; latency median ${ms(median)}, max ${ms(lat.at(-1) ?? 0)}`,
        `auto: ${pool.jobs} compile worker${pool.jobs === 1 ? '' : 's'}, utilisation ${use.toFixed(0)}% (${ms(pool.busyMs)} busy in ${ms(wall)})` +
          (pool.resent > 0 ? `, ${pool.resent} jobs resent` : ''),
      );
    } else {
      lines.push('auto: compiled in the main thread (--sync)');
    }
    return [...lines, ...this.jit.statsLines()];
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
