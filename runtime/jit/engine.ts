//! The JIT tier's engine: the dispatch loop, and compilation of each region before it
//! first runs (lift, emit, V8 compile, install in the code cache), synchronously in the
//! main thread. Regions chain through the table without coming back here; the loop only
//! sees the pcs chained code could not go to directly (uncompiled targets, indirect jumps
//! the jump cache missed, syscalls, traps, interrupts).

import { INTERRUPT_OFF } from '../../layout/layout.js';
import { GuestFault } from '../memory.js';
import type { CompiledRegion } from './cache.js';
import { CompiledCode, JitError } from './code.js';
import { liftGuestRegion } from './region-source.js';
import { translateRegion } from './translate.js';

export { CompiledCode, JitError, type JitOptions, type JitStats, type RegionCode } from './code.js';

export class JitEngine extends CompiledCode {
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

  /** Lifts, emits, compiles and installs the region at pc. A fault fetching its first
   * instruction propagates as a GuestFault; anything else that fails is a JitError. */
  compile(pc: number): CompiledRegion {
    const where = `0x${pc.toString(16)}`;
    const t0 = performance.now();
    let lifted;
    try {
      // Up to the entries of regions already compiled, which it chains to instead.
      lifted = liftGuestRegion(this.m.as, pc, undefined, (at) => this.cache.lookup(at) !== undefined);
    } catch (e) {
      if (e instanceof GuestFault) throw e;
      throw new JitError(`cannot lift the region at ${where}: ${(e as Error).message}`);
    }
    const t1 = performance.now();
    const cache = this.cache;
    const dump = this.options.dumper?.begin(lifted);
    let translated;
    try {
      translated = translateRegion(lifted.region, lifted, (target) => cache.slotFor(target), {
        ...this.translateOptions,
        text: dump !== undefined,
        afterPass: dump && ((pass, index, region) => dump.afterPass(pass, index, region)),
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
    dump?.finish(emitted);
    return this.install(pc, module, emitted.helpers, { pages: lifted.pages, bytes: emitted.binary.length, guestInsts: lifted.guestInsts });
  }

}
