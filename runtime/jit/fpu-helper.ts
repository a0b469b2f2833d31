//! The slow path of the IR's `fexact` (HELPER_FPU): the interpreter's `execFp` on a
//! private state block that holds the operands, so that rounding modes, exception flags,
//! NaN rules and tininess are the interpreter's own, not a second implementation.

import { decodeFpuCode } from '../../backend-wasm/fexact-outline.js';
import { FFLAGS_OFF, FPU_ARGS_OFF, FPU_FLAGS_OFF, FPU_RESULT_OFF, F_OFF, STATE_END, X_OFF } from '../../layout/layout.js';
import { FP_OP_NAMES, type FpOp } from '../../ir/opcodes.js';
import { Op } from '../../lifter/opcodes.js';
import { execFp, type FpViews } from '../interp/fp.js';

/** The instruction of each operation, single and double. */
const INSTRUCTION: Readonly<Record<FpOp, readonly [Op, Op]>> = {
  add: [Op.fadd_s, Op.fadd_d],
  sub: [Op.fsub_s, Op.fsub_d],
  mul: [Op.fmul_s, Op.fmul_d],
  div: [Op.fdiv_s, Op.fdiv_d],
  sqrt: [Op.fsqrt_s, Op.fsqrt_d],
  madd: [Op.fmadd_s, Op.fmadd_d],
  msub: [Op.fmsub_s, Op.fmsub_d],
  nmsub: [Op.fnmsub_s, Op.fnmsub_d],
  nmadd: [Op.fnmadd_s, Op.fnmadd_d],
  to_w: [Op.fcvt_w_s, Op.fcvt_w_d],
  to_wu: [Op.fcvt_wu_s, Op.fcvt_wu_d],
  to_l: [Op.fcvt_l_s, Op.fcvt_l_d],
  to_lu: [Op.fcvt_lu_s, Op.fcvt_lu_d],
  from_w: [Op.fcvt_s_w, Op.fcvt_d_w],
  from_wu: [Op.fcvt_s_wu, Op.fcvt_d_wu],
  from_l: [Op.fcvt_s_l, Op.fcvt_d_l],
  from_lu: [Op.fcvt_s_lu, Op.fcvt_d_lu],
  demote: [Op.fcvt_s_d, Op.fcvt_s_d],
  promote: [Op.fcvt_d_s, Op.fcvt_d_s],
};

interface Entry {
  op: Op;
  /** The float operands are f32: NaN-box them. */
  box: boolean;
  /** The result goes to an x register. */
  toX: boolean;
}

const ENTRIES: readonly (Entry | undefined)[] = Array.from({ length: FP_OP_NAMES.length * 2 }, (_, code) => {
  const decoded = decodeFpuCode(code);
  if (decoded === undefined) return undefined;
  const { fop, format } = decoded;
  return {
    op: INSTRUCTION[fop][format === 'f32' ? 0 : 1],
    box: fop === 'promote' || (format === 'f32' && fop !== 'demote'),
    toX: fop.startsWith('to_'),
  };
});

// operands go to f1..f3 and x1..x3 of the private block, the result comes from f4 or x4
const FW = F_OFF >> 2, XW = X_OFF >> 2, FFLAGS = FFLAGS_OFF >> 2;
const ARGS = FPU_ARGS_OFF >> 2, RESULT = FPU_RESULT_OFF >> 2, FLAGS = FPU_FLAGS_OFF >> 2;

/** The helper for a machine's memory; `illegal(pc)` reports a SIGILL (a reserved mode). */
export function fpuHelper(shared: FpViews, illegal: (pc: bigint) => void): (code: number, rm: number, pc: bigint) => void {
  const buf = new ArrayBuffer(STATE_END);
  const v: FpViews = { i32: new Int32Array(buf), f64: new Float64Array(buf), f32: new Float32Array(buf), u8: new Uint8Array(buf) };
  const own = v.i32, mem = shared.i32;
  return (code, rm, pc) => {
    const e = ENTRIES[code];
    if (e === undefined) throw new Error(`fpu helper: bad operation code ${code}`);
    if (rm > 4) return illegal(pc);
    for (let i = 0; i < 3; i++) {
      const lo = mem[ARGS + 2 * i], hi = mem[ARGS + 2 * i + 1];
      own[FW + 2 * (i + 1)] = lo;
      own[FW + 2 * (i + 1) + 1] = e.box ? -1 : hi;
      own[XW + 2 * (i + 1)] = lo;
      own[XW + 2 * (i + 1) + 1] = hi;
    }
    own[FFLAGS] = 0;
    execFp(v, e.op, 4, 1, 2, 3, rm);
    const from = (e.toX ? XW : FW) + 8;
    mem[RESULT] = own[from];
    mem[RESULT + 1] = own[from + 1];
    mem[FLAGS] = own[FFLAGS];
  };
}
