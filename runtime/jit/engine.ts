//! The JIT tier's engine: the dispatch loop, and compilation of each region before it
//! first runs (lift, emit, V8 compile, install in the code cache), synchronously in the
//! main thread. Regions chain through the table without coming back here; the loop only
//! sees the pcs chained code could not go to directly (uncompiled targets, indirect jumps
//! the jump cache missed, syscalls, traps, interrupts).

import { EXIT_REASON_OFF, INSTRET_OFF, INTERRUPT_OFF, REGION_EXPORT, TLB_LOOKUPS_OFF } from '../../layout/layout.js';
import type { Emitter } from '../../backend-wasm/module.js';
import { Trap } from '../interp/trap.js';
import { raiseSignal } from '../linux/signals.js';
import type { Machine } from '../machine.js';
import { GuestFault } from '../memory.js';
import { type CacheLimits, CodeCache, type CompiledRegion, DEFAULT_CACHE_LIMITS } from './cache.js';
import { type RegionDumper } from './dump.js';
import { type Helpers, makeHelpers } from './helpers.js';
import { liftGuestRegion } from './region-source.js';
import { type TranslateOptions, translateRegion } from './translate.js';

const SIGSEGV = 11;

export interface JitOptions {
  /** Writes IR, wasm text and CFG of every compiled region. */
  dumper?: RegionDumper;
  cacheLimits?: CacheLimits;
  /** How wasm is built (default: the direct encoder). */
  emitter?: Emitter;
  /** Count inline TLB probes (--stats; costs a memory increment per access). */
  countLookups?: boolean;
  /** Optimizer passes (default: none). */
  passes?: readonly string[];
  /** Verify the IR after every pass. */
  verifyIr?: boolean;
}

/** A region that cannot be compiled: an internal error, never a fallback to the interpreter. */
export class JitError extends Error {}

export interface JitStats {
  regionsCompiled: number;
  guestInstsTranslated: number;
  liftMs: number;
  optimizeMs: number;
  emitMs: number;
  compileMs: number;
  wasmBytes: number;
}

/** What the code cache keeps of a region's guest code besides its function. */
export type RegionCode = Pick<CompiledRegion, 'pages' | 'bytes' | 'guestInsts'>;

export class JitEngine {
  readonly cache: CodeCache;
  readonly stats: JitStats = { regionsCompiled: 0, guestInstsTranslated: 0, liftMs: 0, optimizeMs: 0, emitMs: 0, compileMs: 0, wasmBytes: 0 };
  private readonly helpers: Helpers;
  private readonly imports: WebAssembly.Imports;

  constructor(private readonly m: Machine, private readonly options: JitOptions = {}) {
    this.cache = new CodeCache(m.as, options.cacheLimits ?? DEFAULT_CACHE_LIMITS);
    m.as.onCodeWrite = (vpn) => this.cache.invalidatePage(vpn);
    this.helpers = makeHelpers(m);
    this.imports = { env: { memory: m.as.memory, table: this.cache.table, ...this.helpers.imports } };
    m.v.dv.setBigUint64(INSTRET_OFF, BigInt(m.instret), true);
  }

  /** Guest instructions retired so far (counted per guest block at region exits). */
  get instret(): number {
    return Number(this.m.v.dv.getBigUint64(INSTRET_OFF, true));
  }

  /** Runs the guest until it exits (throws ProcessExit). */
  run(): never {
    const m = this.m;
    const i32 = m.v.i32;
    for (;;) {
      const pc = m.pc;
      let r: CompiledRegion;
      try {
        r = this.cache.lookup(pc) ?? this.compile(pc);
      } catch (e) {
        this.deliver(e);
        continue;
      }
      this.enter(r);
      if (i32[INTERRUPT_OFF >> 2] !== 0) Atomics.store(i32, INTERRUPT_OFF >> 2, 0);
    }
  }

  /** Runs region `r` (at m.pc) and whatever it chains to, until code returns to the
   * dispatcher; delivers the trap that made it return, if any. */
  enter(r: CompiledRegion): void {
    this.cache.noteIndirectTarget(r.pc, r.slot);
    try {
      r.fn();
      if (this.m.v.i32[EXIT_REASON_OFF >> 2] !== 0) this.deliver(this.helpers.takeFault());
    } catch (e) {
      this.deliver(e);
    }
  }

  /** Delivers a trap raised by a helper (the pc and registers are already exact). */
  private deliver(e: unknown): void {
    if (e instanceof GuestFault) raiseSignal(this.m, { signo: SIGSEGV, code: e.code, addr: e.addr });
    else if (e instanceof Trap) raiseSignal(this.m, { signo: e.signo, code: e.code, addr: e.addr });
    else throw e;
  }

  /** Lifts, emits, compiles and installs the region at pc. A fault fetching its first
   * instruction propagates as a GuestFault; anything else that fails is a JitError. */
  compile(pc: number): CompiledRegion {
    const where = `0x${pc.toString(16)}`;
    const t0 = performance.now();
    let lifted;
    try {
      lifted = liftGuestRegion(this.m.as, pc);
    } catch (e) {
      if (e instanceof GuestFault) throw e;
      throw new JitError(`cannot lift the region at ${where}: ${(e as Error).message}`);
    }
    const t1 = performance.now();
    const cache = this.cache;
    let translated;
    try {
      translated = translateRegion(lifted.region, lifted, (target) => cache.slotFor(target), {
        ...this.translateOptions,
        text: this.options.dumper !== undefined,
      });
    } catch (e) {
      throw new JitError(`cannot translate the region at ${where}: ${(e as Error).message}`);
    }
    const emitted = translated.emitted;
    const t2 = performance.now();
    let module: WebAssembly.Module;
    try {
      module = new WebAssembly.Module(emitted.binary);
    } catch (e) {
      throw new JitError(`V8 rejected the wasm of the region at ${where}: ${(e as Error).message}`);
    }
    const t3 = performance.now();
    const s = this.stats;
    s.liftMs += t1 - t0;
    s.optimizeMs += translated.optimizeMs;
    s.emitMs += translated.emitMs;
    s.compileMs += t3 - t2;
    this.options.dumper?.write(lifted, emitted);
    return this.install(pc, module, emitted.helpers, { pages: lifted.pages, bytes: emitted.binary.length, guestInsts: lifted.guestInsts });
  }

  /** What `translateRegion` needs besides the region (also what compile workers get). */
  get translateOptions(): TranslateOptions {
    return {
      passes: this.options.passes ?? [],
      verify: this.options.verifyIr,
      flat: this.m.as.flat,
      countLookups: this.options.countLookups,
      emitter: this.options.emitter,
    };
  }

  /** Instantiates a region's compiled module (here or in a compile worker) against the
   * shared memory, table and helpers, and installs it at pc in the code cache. */
  install(pc: number, module: WebAssembly.Module, helpers: readonly string[], code: RegionCode): CompiledRegion {
    const where = `0x${pc.toString(16)}`;
    for (const h of helpers) {
      if (this.helpers.imports[h] === undefined) throw new JitError(`the region at ${where} calls @${h}, which the runtime does not provide`);
    }
    const t0 = performance.now();
    let fn: () => void;
    try {
      fn = new WebAssembly.Instance(module, this.imports).exports[REGION_EXPORT] as () => void;
    } catch (e) {
      throw new JitError(`cannot instantiate the wasm of the region at ${where}: ${(e as Error).message}`);
    }
    const s = this.stats;
    s.compileMs += performance.now() - t0;
    s.regionsCompiled++;
    s.guestInstsTranslated += code.guestInsts;
    s.wasmBytes += code.bytes;
    const cache = this.cache;
    if (cache.full(code.bytes)) cache.flush();
    const region: CompiledRegion = { pc, slot: cache.slotFor(pc), fn, ...code };
    cache.install(region);
    return region;
  }

  /** The --stats lines of the JIT tier. */
  statsLines(): string[] {
    const s = this.stats;
    const c = this.cache;
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    return [
      `jit: ${s.regionsCompiled} regions compiled, ${s.guestInstsTranslated} guest instructions translated, ${(s.wasmBytes / 1024).toFixed(0)} KiB of wasm`,
      `jit: compile time: lift ${ms(s.liftMs)}, optimize ${ms(s.optimizeMs)}, emit ${ms(s.emitMs)}, V8 compile ${ms(s.compileMs)} (total ${ms(s.liftMs + s.optimizeMs + s.emitMs + s.compileMs)})`,
      `jit: code cache: ${c.size} regions, ${(c.bytes / 1024).toFixed(0)} KiB, ${c.invalidated} invalidated, ${c.flushes} flushes`,
      `jit: TLB lookups: ${this.options.countLookups ? this.m.v.dv.getBigUint64(TLB_LOOKUPS_OFF, true) : 'not counted'} inline, ${this.m.as.tlbMisses} misses (slow path)`,
    ];
  }
}
