//! Runs IR text through the backend on a real state block: parse, emit (with either
//! emitter, Binaryen validating every module), compile with V8, instantiate against a
//! machine's memory, the engine's code cache and its helpers.

import { emitRegion, type EmitContext, type EmittedRegion } from '../../backend-wasm/emit.js';
import { type Emitter, loadBinaryen } from '../../backend-wasm/module.js';
import { parseRegion } from '../../ir/parse.js';
import { verifyOrThrow } from '../../ir/verify.js';
import { EXIT_REASON_OFF, PAGE_SIZE, PC_OFF, REGION_EXPORT } from '../../layout/layout.js';
import { CodeCache, type CompiledRegion } from '../../runtime/jit/cache.js';
import { type Helpers, makeHelpers } from '../../runtime/jit/helpers.js';
import { Machine } from '../../runtime/machine.js';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../runtime/memory.js';

await loadBinaryen();

/** Every test runs under both ways of building modules. */
export const EMITTERS: readonly Emitter[] = ['direct', 'binaryen'];

export interface Compiled extends CompiledRegion {
  emitted: EmittedRegion;
}

export class Harness {
  readonly m: Machine;
  readonly cache: CodeCache;
  private readonly imports: WebAssembly.Imports;
  readonly helpers: Helpers;

  /** `extra` adds helpers for `call @name` in test regions; `flat` is --mmu flat. */
  constructor(readonly emitter: Emitter = 'direct', extra: Record<string, (...args: never[]) => unknown> = {}, readonly flat = false) {
    this.m = new Machine({ env: [], argv: ['test'], programPath: '/nonexistent' }, new AddressSpace(undefined, flat));
    this.cache = new CodeCache(this.m.as);
    this.m.as.onCodeWrite = (vpn) => this.cache.invalidatePage(vpn);
    this.helpers = makeHelpers(this.m);
    this.imports = { env: { memory: this.m.as.memory, table: this.cache.table, ...this.helpers.imports, ...extra } };
  }

  /** Compiles the region in `text` (not installed in the cache). */
  compile(text: string, ctx: Partial<EmitContext> = {}): Compiled {
    const region = parseRegion(text);
    verifyOrThrow(region, 'test region');
    const emitted = emitRegion(region, {
      slotFor: (pc) => this.cache.slotFor(pc), validate: true, text: true, emitter: this.emitter, flat: this.flat, ...ctx,
    });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(emitted.binary), this.imports);
    return {
      pc: region.entry, slot: this.cache.slotFor(region.entry), fn: instance.exports[REGION_EXPORT] as () => void,
      pages: [], bytes: emitted.binary.length, guestInsts: 0, emitted,
    };
  }

  /** Compiles and installs, so that exits to its pc chain to it. */
  install(text: string, ctx: Partial<EmitContext> = {}): Compiled {
    const r = this.compile(text, ctx);
    this.cache.install(r);
    return r;
  }

  /** Sets PC_OFF to the region's entry (as a caller would) and runs it; throws the
   * fault a slow path reported, as the dispatcher would deliver it. */
  run(r: CompiledRegion): void {
    this.m.pc = r.pc;
    this.resume(r);
  }

  /** Runs a region's function without setting PC_OFF. */
  resume(r: CompiledRegion): void {
    r.fn();
    if (this.m.v.i32[EXIT_REASON_OFF >> 2] !== 0) throw this.helpers.takeFault();
  }

  x(r: number): bigint {
    return BigInt.asIntN(64, this.m.getX(r));
  }

  setX(r: number, v: bigint | number): void {
    this.m.setX(r, BigInt(v));
  }

  get pc(): number {
    return this.m.pc;
  }

  set pc(v: number) {
    this.m.pc = v;
  }

  /** Maps `count` read-write pages at vaddr (page aligned). */
  map(vaddr: number, count = 1, prot = PROT_READ | PROT_WRITE): void {
    this.m.as.mapPages(vaddr / PAGE_SIZE, count, prot);
  }

  get pcWord(): bigint {
    return this.m.v.dv.getBigUint64(PC_OFF, true);
  }
}
