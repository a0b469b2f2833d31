//! The reference interpreter: runs decoded blocks (see `blocks.ts`) with every guest
//! register kept as two int32 words in the shared state block, and every memory access
//! probing the software TLB inline before the slow path. It defines what every other
//! tier must reproduce, including precise traps: on a fault the pc and registers are
//! those of the faulting instruction.

import {
  INTERRUPT_OFF, PAGE_SIZE, SPLIT_OFF, TLB_ENTRIES, TLB_OFF,
} from '../../layout/layout.js';
import { disassemble } from '../../lifter/disasm.js';
import { MNEMONICS } from '../../lifter/encoding.js';
import { Op } from '../../lifter/opcodes.js';
import { syscall } from '../linux/syscalls.js';
import { raiseSignal } from '../linux/signals.js';
import { type Machine } from '../machine.js';
import { Access, type AddressSpace, GuestFault } from '../memory.js';
import { type Block, BlockCache, type HotHooks, NEVER_HOT, S_OFF, S_RAW, STRIDE } from './blocks.js';
import { execFp } from './fp.js';
import * as I64 from './int64.js';
import { csrAccess } from './csr.js';
import { execAmo } from './amo.js';
import { ILL_ILLOPC, SIGILL, SIGSEGV, SIGTRAP, TRAP_BRKPT, Trap } from './trap.js';


export interface InterpreterOptions {
  trace?: boolean;
  /** The tiered engine's hooks (see `Interpreter.onHot` and `onEvent`) and its hot
   * threshold. They are set here, once: a function field replaced after construction
   * would have V8 deoptimize the interpreter's loop, which reads it. */
  onHot?: (block: Block) => boolean;
  onEvent?: () => number;
  hot?: HotHooks;
  /** The end of the warm-up (see `warmup.ts`): called once, between two blocks, once the
   * guest has retired `insts` instructions. */
  warmUp?: { insts: number; end: () => void };
}

/** Blocks between two looks at the instruction count, during the warm-up. */
const WARM_UP_CHECK_BLOCKS = 4096;

const TWO32 = 4294967296;
const TLB32 = TLB_OFF >> 2;
const TMASK = TLB_ENTRIES - 1;
const INTERRUPT32 = INTERRUPT_OFF >> 2;

// The interpreter's helpers live at module level and take the register view as an argument:
// V8 inlines them into the interpreter loop by their (stable) identity. Closures made in
// `runSlice` itself would be new call targets whenever it is entered again, on which
// TurboFan deoptimizes the whole loop.

/** A memory access's slow path: the address space, and for an access that straddles two
 * pages (assembled in SPLIT_OFF) the host address of each byte, all checked before any
 * is written. */
interface SlowPath {
  as: AddressSpace;
  u8: Uint8Array;
  hosts: Float64Array;
  size: number;
}

function byteAddress(as: AddressSpace, lo: number, hi: number, i: number, access: Access): number {
  const a = (hi >>> 0) * TWO32 + (lo >>> 0) + i;
  return as.translate(a % TWO32 | 0, Math.floor(a / TWO32) | 0, 1, access);
}

function slow(sp: SlowPath, lo: number, hi: number, size: number, access: Access): number {
  const h = sp.as.translate(lo, hi, size, access);
  if (h >= 0) return h;
  const U8 = sp.u8;
  for (let i = 0; i < size; i++) sp.hosts[i] = byteAddress(sp.as, lo, hi, i, access);
  if (access === Access.Read) for (let i = 0; i < size; i++) U8[SPLIT_OFF + i] = U8[sp.hosts[i]];
  sp.size = size;
  return SPLIT_OFF;
}

function scatter(sp: SlowPath): void {
  const U8 = sp.u8;
  for (let i = 0; i < sp.size; i++) U8[sp.hosts[i]] = U8[SPLIT_OFF + i];
}

/** Host address for a load of `size` bytes at x[s1] + imm. */
function rAddr(R: Int32Array, sp: SlowPath, s1: number, imm: number, size: number): number {
  const base = R[s1];
  const lo = (base + imm) | 0;
  const hi = (R[s1 + 1] + (imm >> 31) + ((lo >>> 0) < (base >>> 0) ? 1 : 0)) | 0;
  const e = TLB32 + ((lo >>> 12) & TMASK) * 8;
  if (R[e] === (lo & (-PAGE_SIZE | (size - 1))) && R[e + 1] === hi) return (lo + R[e + 6]) >>> 0;
  return slow(sp, lo, hi, size, Access.Read);
}

/** Host address for a store of `size` bytes at x[s1] + imm. */
function wAddr(R: Int32Array, sp: SlowPath, s1: number, imm: number, size: number): number {
  const base = R[s1];
  const lo = (base + imm) | 0;
  const hi = (R[s1 + 1] + (imm >> 31) + ((lo >>> 0) < (base >>> 0) ? 1 : 0)) | 0;
  const e = TLB32 + ((lo >>> 12) & TMASK) * 8;
  if (R[e + 2] === (lo & (-PAGE_SIZE | (size - 1))) && R[e + 3] === hi) return (lo + R[e + 6]) >>> 0;
  return slow(sp, lo, hi, size, Access.Write);
}

function setNum(R: Int32Array, rd: number, v: number): void {
  R[rd] = v % TWO32 | 0;
  R[rd + 1] = Math.floor(v / TWO32) | 0;
}

const ltSigned = (al: number, ah: number, bl: number, bh: number) => ah < bh || (ah === bh && (al >>> 0) < (bl >>> 0));
const ltUnsigned = (al: number, ah: number, bl: number, bh: number) =>
  (ah >>> 0) < (bh >>> 0) || (ah === bh && (al >>> 0) < (bl >>> 0));

function add64(R: Int32Array, rd: number, al: number, ah: number, bl: number, bh: number): void {
  const lo = (al + bl) | 0;
  R[rd + 1] = (ah + bh + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
  R[rd] = lo;
}

function shl64(R: Int32Array, rd: number, lo: number, hi: number, s: number): void {
  if (s === 0) { R[rd] = lo; R[rd + 1] = hi; } else if (s < 32) { R[rd + 1] = (hi << s) | (lo >>> (32 - s)); R[rd] = lo << s; } else { R[rd + 1] = lo << (s - 32); R[rd] = 0; }
}

function shr64(R: Int32Array, rd: number, lo: number, hi: number, s: number): void {
  if (s === 0) { R[rd] = lo; R[rd + 1] = hi; } else if (s < 32) { R[rd] = (lo >>> s) | (hi << (32 - s)); R[rd + 1] = hi >>> s; } else { R[rd] = hi >>> (s - 32); R[rd + 1] = 0; }
}

function sar64(R: Int32Array, rd: number, lo: number, hi: number, s: number): void {
  if (s === 0) { R[rd] = lo; R[rd + 1] = hi; } else if (s < 32) { R[rd] = (lo >>> s) | (hi << (32 - s)); R[rd + 1] = hi >> s; } else { R[rd] = hi >> (s - 32); R[rd + 1] = hi >> 31; }
}

function setW(R: Int32Array, rd: number, v: number): void {
  R[rd] = v;
  R[rd + 1] = v >> 31;
}

function div32(a: number, b: number, rem: boolean, unsigned: boolean): number {
  if (b === 0) return rem ? a : -1;
  if (unsigned) return (rem ? (a >>> 0) % (b >>> 0) : Math.floor((a >>> 0) / (b >>> 0))) | 0;
  if (a === -2147483648 && b === -1) return rem ? 0 : a;
  return (rem ? a % b : Math.trunc(a / b)) | 0;
}

export class Interpreter {
  readonly cache: BlockCache;
  private readonly m: Machine;
  /** Called when a block's heat reaches 0 (m.pc is the block's). True: the hook ran the
   * guest from there (compiled code took over) and the interpreter goes on from m.pc. The
   * tiered engine gives its own (`InterpreterOptions.onHot`). */
  readonly onHot: (block: Block) => boolean;
  /** Called between two blocks (m.pc exact) when the slice's block budget runs out or the
   * interrupt word is set: returns the next budget, or a negative number to end the slice.
   * The tiered engine polls its compile workers here, so the loop keeps running: a loop
   * function that V8 has to enter again and again runs mostly in baseline code. */
  readonly onEvent: () => number;
  /** Where the last slice stopped and the block it came from, so that the next slice
   * keeps the successor chain (and does not take a mid-region pc for a region entry). */
  private resumePc = -1;
  private resumeFrom: Block | undefined;
  private readonly slowPath: SlowPath;

  constructor(m: Machine, private readonly options: InterpreterOptions = {}) {
    this.m = m;
    this.cache = new BlockCache(m.as, options.hot);
    this.onHot = options.onHot ?? ((block) => {
      block.heat = NEVER_HOT;
      return false;
    });
    const onEvent = options.onEvent ?? (() => {
      Atomics.store(m.v.i32, INTERRUPT32, 0);
      return NEVER_HOT;
    });
    // During the warm-up the event hook is also asked now and then for its end.
    let warmUp = options.warmUp;
    this.onEvent = warmUp === undefined ? onEvent : () => {
      const budget = onEvent();
      if (warmUp === undefined) return budget;
      if (m.instret < warmUp.insts) return budget < 0 ? budget : Math.min(budget, WARM_UP_CHECK_BLOCKS);
      warmUp.end();
      warmUp = undefined;
      return budget;
    };
    this.slowPath = { as: m.as, u8: m.v.u8, hosts: new Float64Array(8), size: 0 };
    if (options.trace) this.cache.maxLength = 1;
  }

  /** Runs the guest until it exits (throws ProcessExit). */
  run(): never {
    // During the warm-up the event hook looks at the instruction count now and then.
    this.runSlice(this.options.warmUp !== undefined ? WARM_UP_CHECK_BLOCKS : NEVER_HOT);
    for (;;) this.runSlice(NEVER_HOT);
  }

  /** Runs the guest from m.pc for `budget` blocks and on, as long as `onEvent` gives more.
   * Returns between two blocks, with m.pc and the registers exact; guest exits throw
   * ProcessExit as in `run`. */
  runSlice(budget: number): void {
    const m = this.m;
    const sp = this.slowPath;
    const V = m.v;
    const R = V.i32, U8 = V.u8, I8 = V.i8, U16 = V.u16, I16 = V.i16, DV = V.dv;
    const cache = this.cache;
    const trace = !!this.options.trace;

    let pc = m.pc;
    let prev = this.resumePc === pc ? this.resumeFrom : undefined;
    for (;;) {
      if (--budget < 0 || R[INTERRUPT32] !== 0) {
        m.pc = pc;
        budget = this.onEvent();
        if (budget < 0) {
          this.resumePc = pc;
          this.resumeFrom = prev;
          return;
        }
      }
      let i = 0;
      let block: Block;
      try {
        block = prev !== undefined ? cache.next(prev, pc) : cache.enter(pc);
      } catch (e) {
        m.pc = pc;
        prev = undefined;
        this.trap(e);
        pc = m.pc;
        continue;
      }
      if (--block.heat === 0) {
        m.pc = pc;
        if (this.onHot(block)) {
          // Compiled code ran from here: go on wherever it returned, as after a jump from
          // nowhere the interpreter knows.
          pc = m.pc;
          prev = undefined;
          continue;
        }
      }
      const code = block.code;
      const n = block.n;
      const bpc = block.pc;
      let next = block.end;
      if (trace) this.traceLine(bpc, code);
      try {
        for (; i < n; i++) {
          const k = i * STRIDE;
          const rd = code[k + 1], s1 = code[k + 2], s2 = code[k + 3], imm = code[k + 4];
          switch (code[k] as Op) {
            case Op.lui: R[rd] = imm; R[rd + 1] = imm >> 31; break;
            case Op.auipc: setNum(R, rd, bpc + code[k + S_OFF] + imm); break;
            case Op.jal: {
              const at = bpc + code[k + S_OFF];
              setNum(R, rd, at + code[k + 7]);
              next = at + imm;
              break;
            }
            case Op.jalr: {
              const base = R[s1];
              const lo = ((base + imm) | 0) & ~1;
              const hi = (R[s1 + 1] + (imm >> 31) + (((base + imm) >>> 0) < (base >>> 0) ? 1 : 0)) | 0;
              setNum(R, rd, bpc + code[k + S_OFF] + code[k + 7]);
              next = (hi >>> 0) * TWO32 + (lo >>> 0);
              break;
            }
            case Op.beq: if (R[s1] === R[s2] && R[s1 + 1] === R[s2 + 1]) next = bpc + code[k + S_OFF] + imm; break;
            case Op.bne: if (R[s1] !== R[s2] || R[s1 + 1] !== R[s2 + 1]) next = bpc + code[k + S_OFF] + imm; break;
            case Op.blt: if (ltSigned(R[s1], R[s1 + 1], R[s2], R[s2 + 1])) next = bpc + code[k + S_OFF] + imm; break;
            case Op.bge: if (!ltSigned(R[s1], R[s1 + 1], R[s2], R[s2 + 1])) next = bpc + code[k + S_OFF] + imm; break;
            case Op.bltu: if (ltUnsigned(R[s1], R[s1 + 1], R[s2], R[s2 + 1])) next = bpc + code[k + S_OFF] + imm; break;
            case Op.bgeu: if (!ltUnsigned(R[s1], R[s1 + 1], R[s2], R[s2 + 1])) next = bpc + code[k + S_OFF] + imm; break;
            case Op.lb: { const v = I8[rAddr(R, sp, s1, imm, 1)]; R[rd] = v; R[rd + 1] = v >> 31; break; }
            case Op.lh: { const h = rAddr(R, sp, s1, imm, 2); const v = (h & 1) === 0 ? I16[h >>> 1] : DV.getInt16(h, true); R[rd] = v; R[rd + 1] = v >> 31; break; }
            case Op.lw: { const h = rAddr(R, sp, s1, imm, 4); const v = (h & 3) === 0 ? R[h >>> 2] : DV.getInt32(h, true); R[rd] = v; R[rd + 1] = v >> 31; break; }
            case Op.ld: {
              const h = rAddr(R, sp, s1, imm, 8);
              if ((h & 3) === 0) { const lo = R[h >>> 2]; R[rd + 1] = R[(h >>> 2) + 1]; R[rd] = lo; } else { const lo = DV.getInt32(h, true); R[rd + 1] = DV.getInt32(h + 4, true); R[rd] = lo; }
              break;
            }
            case Op.lbu: R[rd] = U8[rAddr(R, sp, s1, imm, 1)]; R[rd + 1] = 0; break;
            case Op.lhu: { const h = rAddr(R, sp, s1, imm, 2); R[rd] = (h & 1) === 0 ? U16[h >>> 1] : DV.getUint16(h, true); R[rd + 1] = 0; break; }
            case Op.lwu: { const h = rAddr(R, sp, s1, imm, 4); R[rd] = (h & 3) === 0 ? R[h >>> 2] : DV.getInt32(h, true); R[rd + 1] = 0; break; }
            case Op.sb: U8[wAddr(R, sp, s1, imm, 1)] = R[s2]; break;
            case Op.sh: { const h = wAddr(R, sp, s1, imm, 2); if ((h & 1) === 0) U16[h >>> 1] = R[s2]; else DV.setInt16(h, R[s2], true); if (h === SPLIT_OFF) scatter(sp); break; }
            case Op.sw: { const h = wAddr(R, sp, s1, imm, 4); if ((h & 3) === 0) R[h >>> 2] = R[s2]; else DV.setInt32(h, R[s2], true); if (h === SPLIT_OFF) scatter(sp); break; }
            case Op.sd: {
              const h = wAddr(R, sp, s1, imm, 8);
              if ((h & 3) === 0) { R[h >>> 2] = R[s2]; R[(h >>> 2) + 1] = R[s2 + 1]; } else { DV.setInt32(h, R[s2], true); DV.setInt32(h + 4, R[s2 + 1], true); }
              if (h === SPLIT_OFF) scatter(sp);
              break;
            }
            case Op.addi: add64(R, rd, R[s1], R[s1 + 1], imm, imm >> 31); break;
            case Op.slti: R[rd] = ltSigned(R[s1], R[s1 + 1], imm, imm >> 31) ? 1 : 0; R[rd + 1] = 0; break;
            case Op.sltiu: R[rd] = ltUnsigned(R[s1], R[s1 + 1], imm, imm >> 31) ? 1 : 0; R[rd + 1] = 0; break;
            case Op.xori: R[rd] = R[s1] ^ imm; R[rd + 1] = R[s1 + 1] ^ (imm >> 31); break;
            case Op.ori: R[rd] = R[s1] | imm; R[rd + 1] = R[s1 + 1] | (imm >> 31); break;
            case Op.andi: R[rd] = R[s1] & imm; R[rd + 1] = R[s1 + 1] & (imm >> 31); break;
            case Op.slli: shl64(R, rd, R[s1], R[s1 + 1], imm); break;
            case Op.srli: shr64(R, rd, R[s1], R[s1 + 1], imm); break;
            case Op.srai: sar64(R, rd, R[s1], R[s1 + 1], imm); break;
            case Op.add: add64(R, rd, R[s1], R[s1 + 1], R[s2], R[s2 + 1]); break;
            case Op.sub: {
              const al = R[s1], bl = R[s2];
              R[rd + 1] = (R[s1 + 1] - R[s2 + 1] - ((al >>> 0) < (bl >>> 0) ? 1 : 0)) | 0;
              R[rd] = (al - bl) | 0;
              break;
            }
            case Op.sll: shl64(R, rd, R[s1], R[s1 + 1], R[s2] & 63); break;
            case Op.slt: R[rd] = ltSigned(R[s1], R[s1 + 1], R[s2], R[s2 + 1]) ? 1 : 0; R[rd + 1] = 0; break;
            case Op.sltu: R[rd] = ltUnsigned(R[s1], R[s1 + 1], R[s2], R[s2 + 1]) ? 1 : 0; R[rd + 1] = 0; break;
            case Op.xor: R[rd] = R[s1] ^ R[s2]; R[rd + 1] = R[s1 + 1] ^ R[s2 + 1]; break;
            case Op.srl: shr64(R, rd, R[s1], R[s1 + 1], R[s2] & 63); break;
            case Op.sra: sar64(R, rd, R[s1], R[s1 + 1], R[s2] & 63); break;
            case Op.or: R[rd] = R[s1] | R[s2]; R[rd + 1] = R[s1 + 1] | R[s2 + 1]; break;
            case Op.and: R[rd] = R[s1] & R[s2]; R[rd + 1] = R[s1 + 1] & R[s2 + 1]; break;
            case Op.addiw: setW(R, rd, (R[s1] + imm) | 0); break;
            case Op.slliw: setW(R, rd, R[s1] << imm); break;
            case Op.srliw: setW(R, rd, (R[s1] >>> imm) | 0); break;
            case Op.sraiw: setW(R, rd, R[s1] >> imm); break;
            case Op.addw: setW(R, rd, (R[s1] + R[s2]) | 0); break;
            case Op.subw: setW(R, rd, (R[s1] - R[s2]) | 0); break;
            case Op.sllw: setW(R, rd, R[s1] << (R[s2] & 31)); break;
            case Op.srlw: setW(R, rd, (R[s1] >>> (R[s2] & 31)) | 0); break;
            case Op.sraw: setW(R, rd, R[s1] >> (R[s2] & 31)); break;
            case Op.fence: case Op.fence_i: break;
            case Op.ecall:
              m.pc = bpc + code[k + S_OFF] + 4;
              syscall(m);
              next = m.pc;
              break;
            case Op.ebreak: throw new Trap(SIGTRAP, TRAP_BRKPT, BigInt(bpc + code[k + S_OFF]));
            case Op.csrrw: case Op.csrrs: case Op.csrrc: case Op.csrrwi: case Op.csrrsi: case Op.csrrci: {
              m.instret += i;
              const ok = csrAccess(m, code[k] as Op, rd, s1, (code[k + S_RAW] >>> 5) & 31, imm);
              m.instret -= i;
              if (!ok) throw new Trap(SIGILL, ILL_ILLOPC, BigInt(bpc + code[k + S_OFF]));
              break;
            }
            case Op.mul: I64.mul64(R[s1], R[s1 + 1], R[s2], R[s2 + 1]); R[rd] = I64.rLo; R[rd + 1] = I64.rHi; break;
            case Op.mulh: I64.mulh64(R[s1], R[s1 + 1], R[s2], R[s2 + 1]); R[rd] = I64.rLo; R[rd + 1] = I64.rHi; break;
            case Op.mulhsu: I64.mulhsu64(R[s1], R[s1 + 1], R[s2], R[s2 + 1]); R[rd] = I64.rLo; R[rd + 1] = I64.rHi; break;
            case Op.mulhu: I64.mulhu64(R[s1], R[s1 + 1], R[s2], R[s2 + 1]); R[rd] = I64.rLo; R[rd + 1] = I64.rHi; break;
            case Op.div: I64.div64(R[s1], R[s1 + 1], R[s2], R[s2 + 1], false); R[rd] = I64.rLo; R[rd + 1] = I64.rHi; break;
            case Op.divu: I64.divu64(R[s1], R[s1 + 1], R[s2], R[s2 + 1], false); R[rd] = I64.rLo; R[rd + 1] = I64.rHi; break;
            case Op.rem: I64.div64(R[s1], R[s1 + 1], R[s2], R[s2 + 1], true); R[rd] = I64.rLo; R[rd + 1] = I64.rHi; break;
            case Op.remu: I64.divu64(R[s1], R[s1 + 1], R[s2], R[s2 + 1], true); R[rd] = I64.rLo; R[rd + 1] = I64.rHi; break;
            case Op.mulw: setW(R, rd, Math.imul(R[s1], R[s2])); break;
            case Op.divw: setW(R, rd, div32(R[s1], R[s2], false, false)); break;
            case Op.divuw: setW(R, rd, div32(R[s1], R[s2], false, true)); break;
            case Op.remw: setW(R, rd, div32(R[s1], R[s2], true, false)); break;
            case Op.remuw: setW(R, rd, div32(R[s1], R[s2], true, true)); break;
            case Op.flw: { const h = rAddr(R, sp, s1, imm, 4); R[rd] = (h & 3) === 0 ? R[h >>> 2] : DV.getInt32(h, true); R[rd + 1] = -1; break; }
            case Op.fld: {
              const h = rAddr(R, sp, s1, imm, 8);
              if ((h & 3) === 0) { R[rd] = R[h >>> 2]; R[rd + 1] = R[(h >>> 2) + 1]; } else { R[rd] = DV.getInt32(h, true); R[rd + 1] = DV.getInt32(h + 4, true); }
              break;
            }
            case Op.fsw: { const h = wAddr(R, sp, s1, imm, 4); if ((h & 3) === 0) R[h >>> 2] = R[s2]; else DV.setInt32(h, R[s2], true); if (h === SPLIT_OFF) scatter(sp); break; }
            case Op.fsd: {
              const h = wAddr(R, sp, s1, imm, 8);
              if ((h & 3) === 0) { R[h >>> 2] = R[s2]; R[(h >>> 2) + 1] = R[s2 + 1]; } else { DV.setInt32(h, R[s2], true); DV.setInt32(h + 4, R[s2 + 1], true); }
              if (h === SPLIT_OFF) scatter(sp);
              break;
            }
            case Op.illegal: throw new Trap(SIGILL, ILL_ILLOPC, BigInt(bpc + code[k + S_OFF]));
            default: {
              const op = code[k] as Op;
              const raw = code[k + S_RAW];
              if (op >= Op.lr_w && op <= Op.amomaxu_d) {
                execAmo(m, op, raw & 31, (raw >>> 5) & 31, (raw >>> 10) & 31);
                break;
              }
              if (!execFp(V, op, raw & 31, (raw >>> 5) & 31, (raw >>> 10) & 31, (raw >>> 15) & 31, (raw >>> 20) & 7)) {
                throw new Trap(SIGILL, ILL_ILLOPC, BigInt(bpc + code[k + S_OFF]));
              }
            }
          }
        }
        m.instret += n;
        pc = next;
        prev = block;
      } catch (e) {
        prev = undefined;
        m.instret += i;
        m.pc = bpc + code[i * STRIDE + S_OFF];
        this.trap(e);
        pc = m.pc;
      }
    }
  }

  /** Delivers a trap as a guest signal (or ends the process); rethrows anything else. */
  private trap(e: unknown): void {
    if (e instanceof GuestFault) raiseSignal(this.m, { signo: SIGSEGV, code: e.code, addr: e.addr });
    else if (e instanceof Trap) raiseSignal(this.m, { signo: e.signo, code: e.code, addr: e.addr });
    else throw e;
  }

  /** One line per executed instruction (blocks are one instruction long when tracing). */
  private traceLine(pc: number, code: Int32Array): void {
    let text = MNEMONICS[code[0]];
    try {
      const half = this.m.as.read(pc, 2);
      const len = (half[0] & 3) === 3 ? 4 : 2;
      const bytes = len === 4 ? this.m.as.read(pc, 4) : half;
      const word = bytes.reduce((w, b, i) => w | (b << (8 * i)), 0) >>> 0;
      text = disassemble(word, pc, len);
    } catch {
      // Execute-only code cannot be read back; the mnemonic will do.
    }
    process.stderr.write(`[trace] ${pc.toString(16)}: ${text}\n`);
  }
}
