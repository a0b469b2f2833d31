//! IR instructions to wasm expressions: one `lowerXxx` per IR op behind a flat switch,
//! and the per-function state they share (locals for values and guest registers, the
//! set of registers that may be dirty, helper imports). Terminators that branch are
//! the structurer's; the ones that leave the region (`exit`, `exitind`, `trap`) are here.
//!
//! Guest x registers live in locals: loaded on entry, written back before anything that
//! lets JS observe the state block (helper calls, traps, exits), reloaded after a `call`
//! (a helper may change any register). F registers, fflags and frm too (`fpu.ts`).
//! Exits and slow-path faults branch to two shared tails of the function (LEAVE, FAULT),
//! which write back every register the region writes; a register never written since it
//! was loaded holds the state block's value, so writing it back is harmless.

import {
  DISPATCH_SLOT, EXIT_REASON_OFF, HELPER_ECALL, HELPER_FMA32, HELPER_FMA64, HELPER_TRAP, INSTRET_OFF,
  INTERRUPT_OFF, JMP_CACHE_ENTRIES, JMP_CACHE_ENTRY_BYTES, JMP_CACHE_OFF, PC_OFF, X_OFF,
} from '../layout/layout.js';
import type { BlockId, Inst, Region, Value } from '../ir/function.js';
import { instUses, valueTypes } from '../ir/function.js';
import type { FloatCC, IntCC } from '../ir/immediates.js';
import { OPCODE_NAMES, OPCODES, type Opcode } from '../ir/opcodes.js';
import type { Type } from '../ir/types.js';
import { typeBits } from '../ir/types.js';
import { type Expr, f32, f64, i32, i64, type Module, none, type WasmType, wasmType } from './module.js';
import { lowerFexact } from './fexact.js';
import { FpState, lowerFclass, lowerGetcsr, lowerGetfreg, lowerSetcsr, lowerSetfreg } from './fpu.js';
import {
  type AccessEnv, countAccess, guestLoad, guestLoadCached, guestStore, guestStoreCached, guestTranslate, type SlotLocals, tlbFill,
} from './tlb.js';
import type { Access } from '../ir/immediates.js';

/** Labels of the function's shared tails. */
const LEAVE = 'leave';
const FAULT = 'fault';

/** Linux signal numbers and si_codes for the traps a region raises itself. */
const SIGILL = 4, ILL_ILLOPC = 1, SIGTRAP = 5, TRAP_BRKPT = 1;

const CANONICAL_NAN: Readonly<Record<string, bigint>> = { f32: 0x7fc00000n, f64: 0x7ff8000000000000n };

/** An IR construct the backend cannot lower (a bug in the producer of the IR). */
export class LowerError extends Error {}

export interface LowerOptions {
  /** Table slot of a direct exit's target pc (the engine assigns them). */
  slotFor(pc: number): number;
  /** Guest instructions retired by running a block, when INSTRET is tracked. */
  blockInsts?(block: BlockId): number;
  /** --mmu flat: guest accesses are host = vaddr + FLAT_BASE behind the permission byte map. */
  flat?: boolean;
  /** --stats: every inline access probe adds one to TLB_LOOKUPS_OFF. */
  countLookups?: boolean;
}

interface HelperImport {
  internal: string;
  params: readonly WasmType[];
  result: WasmType;
}

/** A value not yet computed: its expression is built where it is used (constants and
 * register reads at every use, other pure values at their single use), which keeps the
 * module small (Binaryen.js costs microseconds per expression) and V8's locals few. */
interface Deferred {
  build: () => Expr;
  /** x registers it reads: a `setreg` of one (or a helper call) computes it first. */
  regs: number;
  /** May be built more than once (constants, register reads). */
  rebuildable: boolean;
  /** For a register read: the register. */
  reg?: number;
}

/** Ops with no effects that read nothing but their operands. */
const PURE = new Set<Opcode>(OPCODE_NAMES.filter((op) => {
  const info = OPCODES[op];
  return !info.sideEffects && !info.mayTrap && info.reads.length === 0 && info.result !== 'none' && op !== 'call';
}));

/** Uses of a value: how many, and in which block (-1: in more than one). */
interface Uses {
  count: number;
  block: BlockId;
}

/** The state of one region function while it is lowered. */
export class Lowering implements AccessEnv {
  readonly m: Module;
  readonly entryLocal: number;
  /** The label local of the structurer's irreducible fallback. */
  readonly labelLocal: number;
  /** Counts retired instructions when INSTRET is tracked. */
  readonly instretLocal: number | undefined;
  /** Where LEAVE continues: the guest pc (i64) and the table slot (i32) to go to. */
  readonly exitPcLocal: number;
  readonly exitSlotLocal: number;
  /** Registers some instruction of the region writes. */
  readonly written = new Set<number>();
  private readonly localTypes: WasmType[] = [];
  private readonly valueLocals = new Map<Value, number>();
  private readonly types: Map<Value, Type>;
  private readonly uses = new Map<Value, Uses>();
  private readonly deferred = new Map<Value, Deferred>();
  /** Statements that must run before the instruction being lowered (values computed early). */
  private pending: Expr[] = [];
  private readonly scratch = new Map<WasmType, number>();
  private block: BlockId = -1;
  /** x register -> its local, for every register the region reads or writes. */
  readonly regLocals = new Map<number, number>();
  /** Registers that may differ from the state block at the current point. */
  dirty = new Set<number>();
  /** Imported helpers by external name. */
  readonly helpers = new Map<string, HelperImport>();
  /** Translation cache slots by number, with the access kind they serve. */
  private readonly slots = new Map<number, SlotLocals & { access: Access }>();
  /** Internal functions added on first use, by name. */
  private readonly internals = new Set<string>();
  /** The f registers, fflags and frm. */
  readonly fp: FpState;

  get flat(): boolean {
    return this.options.flat === true;
  }

  get countLookups(): boolean {
    return this.options.countLookups === true;
  }

  constructor(m: Module, readonly region: Region, readonly options: LowerOptions) {
    this.m = m;
    this.types = valueTypes(region);
    this.entryLocal = this.addLocal(i32);
    this.labelLocal = this.addLocal(i32);
    this.instretLocal = options.blockInsts !== undefined ? this.addLocal(i64) : undefined;
    this.exitPcLocal = this.addLocal(i64);
    this.exitSlotLocal = this.addLocal(i32);
    const regs = new Set<number>();
    for (const b of region.blocks) {
      for (const inst of b.insts) {
        if (inst.op === 'getreg' || inst.op === 'setreg') regs.add(inst.reg!);
        if (inst.op === 'setreg') this.written.add(inst.reg!);
        // Every slot exists before lowering starts, so that emptying them (after a call)
        // reaches the slots of instructions lowered later.
        if (inst.op === 'loadgc') this.slotLocals(inst.slot!, 'read');
        else if (inst.op === 'storegc') this.slotLocals(inst.slot!, 'write');
        else if (inst.op === 'tlbfill') this.slotLocals(inst.slot!, inst.access!);
        for (const v of instUses(inst)) {
          const u = this.uses.get(v);
          if (u === undefined) this.uses.set(v, { count: 1, block: b.id });
          else {
            u.count++;
            if (u.block !== b.id) u.block = -1;
          }
        }
      }
    }
    for (const r of [...regs].sort((a, b) => a - b)) this.regLocals.set(r, this.addLocal(i64));
    this.fp = new FpState(region, (t) => this.addLocal(t));
  }

  get locals(): readonly WasmType[] {
    return this.localTypes;
  }

  localType(index: number): WasmType {
    return this.localTypes[index];
  }

  addLocal(type: WasmType): number {
    this.localTypes.push(type);
    return this.localTypes.length - 1;
  }

  typeOf(v: Value): Type {
    const t = this.types.get(v);
    if (t === undefined) throw new LowerError(`v${v} is used but never defined`);
    return t;
  }

  /** Starts lowering a block: what may be dirty on entry to it. */
  beginBlock(id: BlockId, dirty: Set<number>): void {
    this.block = id;
    this.dirty = dirty;
    for (const [v, d] of this.deferred) if (d.regs !== 0) this.deferred.delete(v);
  }

  /** Statements that must run before what was lowered last. */
  takePending(): Expr[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** The local that holds IR value v from its definition on. */
  private valueLocal(v: Value): number {
    let l = this.valueLocals.get(v);
    if (l === undefined) {
      l = this.addLocal(wasmType(this.typeOf(v)));
      this.valueLocals.set(v, l);
    }
    return l;
  }

  /** A local holding v here (for operands read more than once). */
  local(v: Value): number {
    const d = this.deferred.get(v);
    if (d === undefined) return this.valueLocal(v);
    // A deferred register read is its register's local until a setreg (which computes
    // the values that read it first).
    if (d.reg !== undefined) return this.regLocal(d.reg);
    // A rebuildable value may be used in other blocks too: a temporary, valid here.
    const l = d.rebuildable ? this.addLocal(wasmType(this.typeOf(v))) : this.valueLocal(v);
    if (!d.rebuildable) this.deferred.delete(v);
    this.pending.push(this.m.set(l, d.build()));
    return l;
  }

  /** IR value v as an expression, for an operand read once. */
  get(v: Value): Expr {
    const d = this.deferred.get(v);
    if (d === undefined) return this.m.get(this.valueLocal(v), wasmType(this.typeOf(v)));
    if (!d.rebuildable) this.deferred.delete(v);
    return d.build();
  }

  /** Whether reading v later gives the same value whatever locals change meanwhile:
   * computed into its own local, or a deferred constant. */
  isStable(v: Value): boolean {
    const d = this.deferred.get(v);
    return d === undefined || (d.rebuildable && d.regs === 0);
  }

  /** `local.get` of v from a local, for operands read more than once. */
  getL(v: Value): () => Expr {
    const l = this.local(v);
    const w = wasmType(this.typeOf(v));
    return () => this.m.get(l, w);
  }

  /** Computes, into their locals, the deferred values that read the registers in `mask`. */
  private materialize(mask: number): void {
    if (this.deferred.size === 0) return;
    for (const [v, d] of this.deferred) {
      if ((d.regs & mask) === 0) continue;
      this.deferred.delete(v);
      this.pending.push(this.m.set(this.valueLocal(v), d.build()));
    }
  }

  private regsOf(inst: Inst): number {
    if (inst.op === 'getreg') return 1 << inst.reg!;
    let mask = 0;
    for (const a of inst.args) mask |= this.deferred.get(a)?.regs ?? 0;
    return mask;
  }

  /** Whether the result of `inst` can be built at its use instead of here. */
  private deferrable(inst: Inst): boolean {
    if (inst.op === 'iconst' || inst.op === 'fconst') return true;
    const u = this.uses.get(inst.result!) ?? { count: 0, block: this.block };
    if (inst.op === 'getreg') return u.block === this.block;
    return PURE.has(inst.op) && u.count <= 1 && u.block === this.block;
  }

  /** A scratch local of a type, for use inside one expression. */
  private labels = 0;

  freshLabel(prefix: string): string {
    return `${prefix}${this.labels++}`;
  }

  slotLocals(slot: number, access: Access): SlotLocals {
    let s = this.slots.get(slot);
    if (s === undefined) this.slots.set(slot, (s = { page: this.addLocal(i64), addend: this.addLocal(i32), access }));
    if (s.access !== access) throw new LowerError(`slot ${slot} serves both ${s.access} and ${access} accesses`);
    return s;
  }

  /** Empties every slot: on entry (locals start at 0, a page a null pointer would match)
   * and after helper calls. */
  emptySlots(): Expr[] {
    return [...this.slots.values()].map((s) => this.m.set(s.page, this.m.i64(-1n)));
  }

  scratchLocal(type: WasmType): number {
    let l = this.scratch.get(type);
    if (l === undefined) this.scratch.set(type, (l = this.addLocal(type)));
    return l;
  }

  helper(name: string, params: readonly WasmType[], result: WasmType): string {
    const known = this.helpers.get(name);
    if (known !== undefined) {
      if (known.params.length !== params.length || known.params.some((p, i) => p !== params[i]) || known.result !== result) {
        throw new LowerError(`helper @${name} is called with two different signatures`);
      }
      return known.internal;
    }
    const internal = `helper$${name}`;
    this.helpers.set(name, { internal, params, result });
    return internal;
  }

  /** Declares the helper imports in the module. */
  declareImports(): void {
    for (const [name, h] of this.helpers) this.m.importFunction(h.internal, name, h.params, h.result);
  }

  /** Adds an internal function once; returns its name. */
  internal(name: string, build: (m: Module) => void): string {
    if (!this.internals.has(name)) {
      this.internals.add(name);
      build(this.m);
    }
    return name;
  }

  // ---- guest state ----

  /** Loads every register local from the state block (entry, and after a helper call). */
  loadRegs(): Expr[] {
    const m = this.m;
    return [...[...this.regLocals].map(([r, l]) => m.set(l, m.load('i64', 8, false, m.i32(0), X_OFF + 8 * r))), ...this.fp.load(m)];
  }

  /** Stores of the registers that may be dirty here (before a helper call or trap). */
  writeback(): Expr[] {
    return this.storeRegs(this.dirty);
  }

  /** Stores of every register the region writes (the shared exits). */
  writebackAll(): Expr[] {
    return this.storeRegs(this.written);
  }

  private storeRegs(regs: ReadonlySet<number>): Expr[] {
    const m = this.m;
    return [...[...regs].sort((a, b) => a - b)
      .map((r) => m.store('i64', 8, m.i32(0), m.get(this.regLocal(r), i64), X_OFF + 8 * r)), ...this.fp.store(m)];
  }

  /** Adds the retired-instruction count to INSTRET and restarts it. */
  flushInstret(): Expr[] {
    const l = this.instretLocal;
    if (l === undefined) return [];
    const m = this.m;
    return [
      m.store('i64', 8, m.i32(0), m.add('i64', m.load('i64', 8, false, m.i32(0), INSTRET_OFF), m.get(l, i64)), INSTRET_OFF),
      m.set(l, m.i64(0n)),
    ];
  }

  /** Counts a block's instructions, at its start. */
  countBlock(block: BlockId): Expr[] {
    const l = this.instretLocal;
    const n = this.options.blockInsts?.(block) ?? 0;
    if (l === undefined || n === 0) return [];
    return [this.m.set(l, this.m.add('i64', this.m.get(l, i64), this.m.i64(BigInt(n))))];
  }

  /** Leaves the region for `pc` through table slot `slot` (an i32 expression). */
  leave(pc: Expr, slot: Expr): Expr[] {
    const m = this.m;
    return [m.set(this.exitPcLocal, pc), m.set(this.exitSlotLocal, slot), m.br(LEAVE)];
  }

  faultCheck(): Expr {
    const m = this.m;
    return m.brIf(FAULT, m.load('i32', 4, false, m.i32(0), EXIT_REASON_OFF));
  }

  /** `if (interrupt word) return` on region entry (nothing is dirty, PC_OFF is set). */
  entryInterruptCheck(): Expr {
    return this.m.if(this.m.atomicLoadI32(INTERRUPT_OFF), this.m.return());
  }

  /** `if (interrupt word) leave for pc via the dispatcher` on a loop back-edge. */
  interruptCheck(pc: number): Expr {
    const m = this.m;
    return m.if(m.atomicLoadI32(INTERRUPT_OFF), m.block(this.leave(m.i64(BigInt(pc)), m.i32(DISPATCH_SLOT))));
  }

  /** The function body around the structured code: entry, and the two shared tails. */
  wrapBody(body: Expr): Expr {
    const m = this.m;
    const main = m.block([this.entryInterruptCheck(), ...this.emptySlots(), ...this.loadRegs(), body], none, FAULT);
    // FAULT: the slow path recorded a guest fault (pc set, EXIT_REASON_OFF = Fault); the
    // dispatcher delivers it once the state block is exact.
    const withFault = m.block([main, ...this.writebackAll(), ...this.flushInstret(), m.return()], none, LEAVE);
    return m.block([
      withFault,
      ...this.writebackAll(),
      ...this.flushInstret(),
      m.store('i64', 8, m.i32(0), m.get(this.exitPcLocal, i64), PC_OFF),
      m.returnCallIndirect(m.get(this.exitSlotLocal, i32)),
    ]);
  }

  // ---- instructions ----

  /** Lowers one instruction that is not a branch (terminators that leave included). */
  lowerInst(inst: Inst): Expr[] {
    let out: Expr[];
    if (inst.result !== undefined && inst.op !== 'call') {
      if (this.deferrable(inst)) {
        const regs = this.regsOf(inst);
        const getreg = inst.op === 'getreg';
        this.deferred.set(inst.result, {
          build: () => this.lowerValue(inst),
          regs,
          rebuildable: getreg || inst.op === 'iconst' || inst.op === 'fconst',
          reg: getreg ? inst.reg : undefined,
        });
        return this.takePending();
      }
      out = [this.m.set(this.valueLocal(inst.result), this.lowerValue(inst))];
    } else {
      out = this.lowerEffect(inst);
    }
    return [...this.takePending(), ...out];
  }

  /** The value of an instruction that defines one. */
  lowerValue(inst: Inst): Expr {
    const m = this.m;
    switch (inst.op) {
      case 'iconst': return m.iconst(inst.type!, inst.imm!);
      case 'fconst': return m.fconstBits(inst.type!, inst.imm!);
      case 'getreg': return m.get(this.regLocal(inst.reg!), i64);
      case 'getfreg': return lowerGetfreg(this, inst);
      case 'getcsr': return lowerGetcsr(this, inst);
      case 'loadg': return lowerLoadg(this, inst);
      case 'loadgc': return lowerLoadgc(this, inst);
      case 'translate': return lowerTranslate(this, inst);
      case 'loadh': return lowerLoadh(this, inst);
      case 'add': return this.binary(inst, m.add);
      case 'sub': return this.binary(inst, m.sub);
      case 'mul': return this.binary(inst, m.mul);
      case 'mulhs': return lowerMulh(this, inst, 'ss');
      case 'mulhu': return lowerMulh(this, inst, 'uu');
      case 'mulhsu': return lowerMulh(this, inst, 'su');
      case 'divs': return lowerDivs(this, inst);
      case 'divu': return lowerDivu(this, inst);
      case 'rems': return lowerRems(this, inst);
      case 'remu': return lowerRemu(this, inst);
      case 'and': return this.binary(inst, m.and);
      case 'or': return this.binary(inst, m.or);
      case 'xor': return this.binary(inst, m.xor);
      // wasm shifts take the amount modulo the width, as the IR does.
      case 'shl': return this.binary(inst, m.shl);
      case 'shrs': return this.binary(inst, m.shrS);
      case 'shru': return this.binary(inst, m.shrU);
      case 'icmp': return lowerIcmp(this, inst);
      case 'select': return m.select(this.get(inst.args[0]), this.get(inst.args[1]), this.get(inst.args[2]));
      case 'sext': return lowerSext(this, inst);
      case 'zext': return lowerZext(this, inst);
      case 'trunc': return m.wrap(this.get(inst.args[0]));
      case 'extend': return inst.signed ? m.extendS(this.get(inst.args[0])) : m.extendU(this.get(inst.args[0]));
      case 'fadd': return this.canonical(inst.type!, this.binary(inst, m.fadd));
      case 'fsub': return this.canonical(inst.type!, this.binary(inst, m.fsub));
      case 'fmul': return this.canonical(inst.type!, this.binary(inst, m.fmul));
      case 'fdiv': return this.canonical(inst.type!, this.binary(inst, m.fdiv));
      case 'fsqrt': return this.canonical(inst.type!, m.fsqrt(inst.type!, this.get(inst.args[0])));
      case 'fmin': return lowerFminmax(this, inst, false);
      case 'fmax': return lowerFminmax(this, inst, true);
      case 'fneg': return m.fneg(inst.type!, this.get(inst.args[0]));
      case 'fabs': return m.fabs(inst.type!, this.get(inst.args[0]));
      case 'fcopysign': return this.binary(inst, m.fcopysign);
      case 'fma': return lowerFma(this, inst);
      case 'fcmp': return lowerFcmp(this, inst);
      case 'fcvt_to_sint': return lowerFcvtToInt(this, inst, true);
      case 'fcvt_to_uint': return lowerFcvtToInt(this, inst, false);
      case 'fcvt_from_sint': return m.convertS(inst.type!, this.typeOf(inst.args[0]), this.get(inst.args[0]));
      case 'fcvt_from_uint': return m.convertU(inst.type!, this.typeOf(inst.args[0]), this.get(inst.args[0]));
      case 'fpromote': return this.canonical('f64', m.promote(this.get(inst.args[0])));
      case 'fdemote': return this.canonical('f32', m.demote(this.get(inst.args[0])));
      case 'bitcast': return m.reinterpret(inst.type!, this.get(inst.args[0]));
      case 'fexact': return lowerFexact(this, inst);
      case 'fclass': return lowerFclass(this, inst);
      default: throw new LowerError(`${inst.op} defines no value`);
    }
  }

  /** The statements of an instruction that defines no value (or a helper call). */
  lowerEffect(inst: Inst): Expr[] {
    switch (inst.op) {
      case 'setreg': return lowerSetreg(this, inst);
      case 'setfreg': return lowerSetfreg(this, inst);
      case 'setcsr': return lowerSetcsr(this, inst);
      case 'storeg': return lowerStoreg(this, inst);
      case 'storeh': return lowerStoreh(this, inst);
      case 'storegc': return lowerStoregc(this, inst);
      case 'tlbfill': return [tlbFill(this, this.local(inst.args[0]), inst.access!, inst.slot!)];
      case 'call': return lowerCall(this, inst);
      case 'exit': return lowerExit(this, inst);
      case 'exitind': return lowerExitind(this, inst);
      case 'trap': return lowerTrap(this, inst);
      case 'br': case 'condbr': case 'switch':
        throw new LowerError(`${inst.op} is lowered by the structurer`);
      default: throw new LowerError(`${inst.op} without a result`);
    }
  }

  /** A two-operand op on the result type. */
  binary(inst: Inst, op: (this: Module, t: Type, a: Expr, b: Expr) => Expr): Expr {
    return op.call(this.m, inst.type!, this.get(inst.args[0]), this.get(inst.args[1]));
  }

  /** A float result whose NaNs become the canonical NaN (RISC-V spec 11.3). */
  canonical(t: Type, value: Expr): Expr {
    const m = this.m;
    const w = wasmType(t);
    const s = this.scratchLocal(w);
    return m.block([
      m.set(s, value),
      m.select(m.fne(t, m.get(s, w), m.get(s, w)), m.fconstBits(t, CANONICAL_NAN[t]), m.get(s, w)),
    ], w);
  }

  /** Before a setreg of r: values that read r are computed first. */
  beforeRegWrite(r: number): void {
    this.materialize(1 << r);
  }

  /** Before a helper call, which may change any register. */
  beforeCall(): void {
    this.materialize(-1);
  }

  regLocal(r: number): number {
    const l = this.regLocals.get(r);
    if (l === undefined) throw new LowerError(`x${r} has no local`);
    return l;
  }
}

// ---- guest state ----

function lowerSetreg(L: Lowering, inst: Inst): Expr[] {
  const r = inst.reg!;
  const value = L.get(inst.args[0]);
  L.beforeRegWrite(r);
  L.dirty.add(r);
  return [L.m.set(L.regLocal(r), value)];
}

// ---- guest memory ----

/** A guest access's value, counted as an access under --stats. */
function counted(L: Lowering, inst: Inst, load: Expr): Expr {
  const count = countAccess(L);
  return count.length === 0 ? load : L.m.block([...count, load], wasmType(inst.type!));
}

function lowerLoadg(L: Lowering, inst: Inst): Expr {
  return counted(L, inst, guestLoad(L, L.local(inst.args[0]), inst.type!, inst.size!, inst.signed!, inst.pc!));
}

function lowerLoadgc(L: Lowering, inst: Inst): Expr {
  return counted(L, inst, guestLoadCached(L, L.local(inst.args[0]), inst.type!, inst.size!, inst.signed!, inst.pc!, inst.slot!));
}

function lowerStoreg(L: Lowering, inst: Inst): Expr[] {
  const value = inst.args[1];
  return [...countAccess(L), guestStore(L, L.local(inst.args[0]), L.getL(value), L.typeOf(value), inst.size!, inst.pc!)];
}

function lowerStoregc(L: Lowering, inst: Inst): Expr[] {
  const value = inst.args[1];
  return [...countAccess(L), guestStoreCached(L, L.local(inst.args[0]), L.getL(value), L.typeOf(value), inst.size!, inst.pc!, inst.slot!)];
}

function lowerTranslate(L: Lowering, inst: Inst): Expr {
  return guestTranslate(L, L.local(inst.args[0]), inst.size!, inst.access!, inst.pc!);
}

function lowerLoadh(L: Lowering, inst: Inst): Expr {
  return counted(L, inst, L.m.load(inst.type!, inst.size!, inst.signed!, L.get(inst.args[0]), inst.offset!));
}

function lowerStoreh(L: Lowering, inst: Inst): Expr[] {
  const value = inst.args[1];
  const host = L.get(inst.args[0]);
  return [...countAccess(L), L.m.store(L.typeOf(value), inst.size!, host, L.get(value), inst.offset!)];
}

// ---- integer arithmetic ----

/** High half of a product. i32: the 64-bit product of the extended operands. i64: an
 * internal function per signedness, from the unsigned 128-bit product of 32-bit limbs,
 * corrected for signed operands (hi_s(a,b) = hi_u(a,b) - (a<0 ? b : 0) - (b<0 ? a : 0)). */
function lowerMulh(L: Lowering, inst: Inst, kind: 'ss' | 'uu' | 'su'): Expr {
  const m = L.m;
  const a = L.get(inst.args[0]), b = L.get(inst.args[1]);
  if (inst.type === 'i32') {
    const ea = kind === 'uu' ? m.extendU(a) : m.extendS(a);
    const eb = kind === 'ss' ? m.extendS(b) : m.extendU(b);
    return m.wrap(m.shrU('i64', m.mul('i64', ea, eb), m.i64(32n)));
  }
  const name = L.internal(`mulh${kind}64`, (mod) => addMulh64(mod, kind));
  return m.call(name, [a, b], i64);
}

function addMulh64(m: Module, kind: 'ss' | 'uu' | 'su'): void {
  // params 0 a, 1 b; locals 2 ll, 3 lh, 4 hl, 5 mid
  const a = () => m.get(0, i64), b = () => m.get(1, i64);
  const lo = (x: Expr) => m.and('i64', x, m.i64(0xffffffffn));
  const hi = (x: Expr) => m.shrU('i64', x, m.i64(32n));
  const body: Expr[] = [
    m.set(2, m.mul('i64', lo(a()), lo(b()))),
    m.set(3, m.mul('i64', lo(a()), hi(b()))),
    m.set(4, m.mul('i64', hi(a()), lo(b()))),
    m.set(5, m.add('i64', m.add('i64', hi(m.get(2, i64)), lo(m.get(3, i64))), lo(m.get(4, i64)))),
  ];
  let result = m.add('i64', m.add('i64', m.add('i64', m.mul('i64', hi(a()), hi(b())), hi(m.get(3, i64))), hi(m.get(4, i64))),
    hi(m.get(5, i64)));
  if (kind !== 'uu') result = m.sub('i64', result, m.select(m.ltS('i64', a(), m.i64(0n)), b(), m.i64(0n)));
  if (kind === 'ss') result = m.sub('i64', result, m.select(m.ltS('i64', b(), m.i64(0n)), a(), m.i64(0n)));
  body.push(result);
  m.addFunction(`mulh${kind}64`, [i64, i64], i64, [i64, i64, i64, i64], m.block(body, i64));
}

const minOf = (t: Type) => (t === 'i32' ? -(1n << 31n) : -(1n << 63n));

/** RISC-V M (spec 13.2): x / 0 = -1 and MIN / -1 = MIN, where wasm traps; the divisor
 * becomes 1 in both cases, which gives MIN for the second and is replaced for the first. */
function lowerDivs(L: Lowering, inst: Inst): Expr {
  const m = L.m, t = inst.type!;
  const a = L.getL(inst.args[0]), b = L.getL(inst.args[1]);
  const zero = () => m.eqz(t, b());
  const overflow = m.and('i32', m.eq(t, a(), m.iconst(t, minOf(t))), m.eq(t, b(), m.iconst(t, -1n)));
  const divisor = m.select(m.or('i32', zero(), overflow), m.iconst(t, 1n), b());
  return m.select(zero(), m.iconst(t, -1n), m.divS(t, a(), divisor));
}

function lowerDivu(L: Lowering, inst: Inst): Expr {
  const m = L.m, t = inst.type!;
  const a = L.getL(inst.args[0]), b = L.getL(inst.args[1]);
  const divisor = m.select(m.eqz(t, b()), m.iconst(t, 1n), b());
  return m.select(m.eqz(t, b()), m.iconst(t, -1n), m.divU(t, a(), divisor));
}

/** x % 0 = x; wasm's rem_s gives 0 for MIN % -1 without trapping, as RISC-V wants. */
function lowerRems(L: Lowering, inst: Inst): Expr {
  const m = L.m, t = inst.type!;
  const a = L.getL(inst.args[0]), b = L.getL(inst.args[1]);
  const divisor = m.select(m.eqz(t, b()), m.iconst(t, 1n), b());
  return m.select(m.eqz(t, b()), a(), m.remS(t, a(), divisor));
}

function lowerRemu(L: Lowering, inst: Inst): Expr {
  const m = L.m, t = inst.type!;
  const a = L.getL(inst.args[0]), b = L.getL(inst.args[1]);
  const divisor = m.select(m.eqz(t, b()), m.iconst(t, 1n), b());
  return m.select(m.eqz(t, b()), a(), m.remU(t, a(), divisor));
}

const ICMP: Record<IntCC, (m: Module, t: Type, a: Expr, b: Expr) => Expr> = {
  eq: (m, t, a, b) => m.eq(t, a, b), ne: (m, t, a, b) => m.ne(t, a, b),
  slt: (m, t, a, b) => m.ltS(t, a, b), sle: (m, t, a, b) => m.leS(t, a, b),
  sgt: (m, t, a, b) => m.gtS(t, a, b), sge: (m, t, a, b) => m.geS(t, a, b),
  ult: (m, t, a, b) => m.ltU(t, a, b), ule: (m, t, a, b) => m.leU(t, a, b),
  ugt: (m, t, a, b) => m.gtU(t, a, b), uge: (m, t, a, b) => m.geU(t, a, b),
};

function lowerIcmp(L: Lowering, inst: Inst): Expr {
  const t = L.typeOf(inst.args[0]);
  const a = L.get(inst.args[0]), b = L.get(inst.args[1]);
  return ICMP[inst.cond as IntCC](L.m, t, a, b);
}

function lowerSext(L: Lowering, inst: Inst): Expr {
  const m = L.m, t = inst.type!, a = L.get(inst.args[0]);
  return inst.from === 8 ? m.extend8S(t, a) : inst.from === 16 ? m.extend16S(t, a) : m.extend32S(a);
}

function lowerZext(L: Lowering, inst: Inst): Expr {
  const m = L.m, t = inst.type!;
  return m.and(t, L.get(inst.args[0]), m.iconst(t, (1n << BigInt(inst.from!)) - 1n));
}

// ---- floating point ----

/** RISC-V fmin/fmax (IEEE minimumNumber/maximumNumber): a NaN operand yields the other,
 * two NaNs the canonical NaN; wasm's min/max already order -0 below +0. */
function lowerFminmax(L: Lowering, inst: Inst, max: boolean): Expr {
  const m = L.m, t = inst.type!;
  const a = L.getL(inst.args[0]), b = L.getL(inst.args[1]);
  const isNan = (x: () => Expr) => m.fne(t, x(), x());
  const both = max ? m.fmax(t, a(), b()) : m.fmin(t, a(), b());
  const ifANan = m.select(isNan(b), m.fconstBits(t, CANONICAL_NAN[t]), b());
  const ifANumber = m.select(isNan(b), a(), both);
  return m.select(isNan(a), ifANan, ifANumber);
}

/** Wasm has no fused multiply-add; the runtime computes it exactly. */
function lowerFma(L: Lowering, inst: Inst): Expr {
  const t = inst.type!;
  const w = t === 'f32' ? f32 : f64;
  const name = L.helper(t === 'f32' ? HELPER_FMA32 : HELPER_FMA64, [w, w, w], w);
  return L.canonical(t, L.m.call(name, inst.args.map((a) => L.get(a)), w));
}

function lowerFcmp(L: Lowering, inst: Inst): Expr {
  const m = L.m;
  const t = L.typeOf(inst.args[0]);
  const cond = inst.cond as FloatCC;
  if (cond === 'ord' || cond === 'uno') {
    const a = L.getL(inst.args[0]), b = L.getL(inst.args[1]);
    return cond === 'ord'
      ? m.and('i32', m.feq(t, a(), a()), m.feq(t, b(), b()))
      : m.or('i32', m.fne(t, a(), a()), m.fne(t, b(), b()));
  }
  const a = L.get(inst.args[0]), b = L.get(inst.args[1]);
  switch (cond) {
    case 'eq': return m.feq(t, a, b);
    case 'ne': return m.fne(t, a, b);
    case 'lt': return m.flt(t, a, b);
    case 'le': return m.fle(t, a, b);
    case 'gt': return m.fgt(t, a, b);
    case 'ge': return m.fge(t, a, b);
  }
}

/** Saturating conversion; NaN gives the maximum (RISC-V fcvt), where wasm gives 0. */
function lowerFcvtToInt(L: Lowering, inst: Inst, signed: boolean): Expr {
  const m = L.m, t = inst.type!;
  const from = L.typeOf(inst.args[0]);
  const x = L.getL(inst.args[0]);
  const nanValue = signed ? (1n << BigInt(typeBits(t) - 1)) - 1n : -1n;
  const conv = signed ? m.truncSatS(t, from, x()) : m.truncSatU(t, from, x());
  return m.select(m.fne(from, x(), x()), m.iconst(t, nanValue), conv);
}

// ---- helper calls and leaving the region ----

function lowerCall(L: Lowering, inst: Inst): Expr[] {
  const m = L.m;
  if (inst.pc === undefined) throw new LowerError(`call @${inst.helper} has no pc`);
  const params = [...inst.args.map((a) => wasmType(L.typeOf(a))), i64];
  const result = inst.type !== undefined ? wasmType(inst.type) : none;
  const name = L.helper(inst.helper!, params, result);
  const call = m.call(name, [...inst.args.map((a) => L.get(a)), m.i64(BigInt(inst.pc))], result);
  L.beforeCall();
  const out = [...L.takePending(), ...L.writeback(), ...L.flushInstret()];
  out.push(inst.result !== undefined ? m.set(L.local(inst.result), call) : call);
  out.push(...L.loadRegs(), ...L.emptySlots());
  L.dirty = new Set();
  return out;
}

function lowerExit(L: Lowering, inst: Inst): Expr[] {
  const m = L.m;
  const pc = inst.target!;
  return L.leave(m.i64(BigInt(pc)), m.i32(L.options.slotFor(pc)));
}

const JMP_SHIFT = 1 - Math.log2(JMP_CACHE_ENTRY_BYTES);

/** To the jump cache's slot for the target if the cache knows the pc, else (slot
 * DISPATCH_SLOT) to the dispatcher. */
function lowerExitind(L: Lowering, inst: Inst): Expr[] {
  const m = L.m;
  const target = L.getL(inst.args[0]);
  const e = L.entryLocal;
  // ((pc >> 1) & (N-1)) * 16 == (pc << 3) & ((N-1) * 16)
  const index = m.and('i32', m.shl('i32', m.wrap(target()), m.i32(-JMP_SHIFT)), m.i32((JMP_CACHE_ENTRIES - 1) * JMP_CACHE_ENTRY_BYTES));
  const hit = m.eq('i64', m.load('i64', 8, false, m.get(e, i32), JMP_CACHE_OFF), target());
  const slot = m.select(hit, m.load('i32', 4, false, m.get(e, i32), JMP_CACHE_OFF + 8), m.i32(DISPATCH_SLOT));
  return [m.set(e, index), ...L.leave(target(), slot)];
}

function lowerTrap(L: Lowering, inst: Inst): Expr[] {
  const m = L.m;
  const pc = BigInt(inst.pc!);
  const out = [...L.writeback(), ...L.flushInstret()];
  if (inst.trap === 'ecall') {
    out.push(m.call(L.helper(HELPER_ECALL, [i64], none), [m.i64(pc)], none));
  } else {
    const [signo, code] = inst.trap === 'ebreak' ? [SIGTRAP, TRAP_BRKPT] : [SIGILL, ILL_ILLOPC];
    const trap = L.helper(HELPER_TRAP, [i32, i32, i64, i64], none);
    out.push(m.call(trap, [m.i32(signo), m.i32(code), m.i64(pc), m.i64(pc)], none));
  }
  out.push(m.return());
  return out;
}
