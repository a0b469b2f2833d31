//! Compiled code as the JIT tiers use it: the code cache with its funcref table, the
//! helpers translated code imports, installing a region's compiled module, and running
//! compiled code until it returns to a dispatcher. It compiles nothing itself (that is
//! `engine.ts`, or a compile worker), so the tiered engine's main thread can use it
//! without loading the optimizer and the backend.

import { EXIT_REASON_OFF, GUEST_ACCESSES_OFF, INSTRET_OFF, REGION_EXPORT, TLB_LOOKUPS_OFF } from '../../layout/layout.js';
import { DEFAULT_PIPELINE } from '../../optimizer/default-pipeline.js';
import type { Emitter } from '../../backend-wasm/module.js';
import { Trap } from '../interp/trap.js';
import { raiseSignal } from '../linux/signals.js';
import type { Machine } from '../machine.js';
import { GuestFault } from '../memory.js';
import { type CacheLimits, CodeCache, type CompiledRegion, DEFAULT_CACHE_LIMITS } from './cache.js';
import type { RegionDumper } from './dump.js';
import { type Helpers, makeHelpers } from './helpers.js';
import type { TranslateOptions } from './translate.js';

const SIGSEGV = 11;

export interface JitOptions {
  /** Writes IR, wasm text and CFG of every compiled region. */
  dumper?: RegionDumper;
  cacheLimits?: CacheLimits;
  /** How wasm is built (default: the direct encoder). */
  emitter?: Emitter;
  /** Count inline TLB probes (--stats; costs a memory increment per access). */
  countLookups?: boolean;
  /** Optimizer passes, in order (default: the default pipeline; empty: none). */
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
export type RegionCode = Pick<CompiledRegion, 'pages' | 'bytes' | 'guestInsts' | 'exitSlots'>;

/** The compiled code of one machine (see the file comment). */
export class CompiledCode {
  readonly cache: CodeCache;
  readonly stats: JitStats = { regionsCompiled: 0, guestInstsTranslated: 0, liftMs: 0, optimizeMs: 0, emitMs: 0, compileMs: 0, wasmBytes: 0 };
  private readonly helpers: Helpers;
  private readonly imports: WebAssembly.Imports;

  constructor(protected readonly m: Machine, protected readonly options: JitOptions = {}) {
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
  protected deliver(e: unknown): void {
    if (e instanceof GuestFault) raiseSignal(this.m, { signo: SIGSEGV, code: e.code, addr: e.addr });
    else if (e instanceof Trap) raiseSignal(this.m, { signo: e.signo, code: e.code, addr: e.addr });
    else throw e;
  }

  /** What `translateRegion` needs besides the region (also what compile workers get). */
  get translateOptions(): TranslateOptions {
    return {
      passes: this.options.passes ?? DEFAULT_PIPELINE,
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
    if (code.exitSlots !== undefined) cache.adoptExitSlots(code.exitSlots);
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
      ...this.tlbLines(),
    ];
  }

  /** Guest accesses of translated code, the TLB probes they made, and so the accesses
   * that reused an earlier translation (counted only under --stats). */
  private tlbLines(): string[] {
    const misses = `${this.m.as.tlbMisses} misses (slow path)`;
    if (!this.options.countLookups) return [`jit: TLB: accesses and lookups not counted, ${misses}`];
    const dv = this.m.v.dv;
    const accesses = dv.getBigUint64(GUEST_ACCESSES_OFF, true);
    const lookups = dv.getBigUint64(TLB_LOOKUPS_OFF, true);
    const perAccess = accesses === 0n ? 0 : Number(lookups) / Number(accesses);
    return [
      `jit: TLB: ${accesses} guest accesses, ${lookups} lookups (${perAccess.toFixed(3)} per access), ${accesses > lookups ? accesses - lookups : 0n} translations reused, ${misses}`,
    ];
  }
}
