//! RV64I to IR, one small rule per instruction (after QEMU's `trans_rvi.c.inc`).
//! Link values and auipc results are constants: the region's pcs are known.

import type { Decoded } from './decode.js';
import { Op } from './opcodes.js';
import {
  arith, arithImm, arithImmW, arithW, branch, load, setIf, setIfImm, store, type LiftContext, type TransTable,
} from './shapes.js';

/** A plain jump (rd = x0) stays in the region when it can; a call leaves it. */
function jal(c: LiftContext, d: Decoded): void {
  const target = c.pc + d.imm;
  if (d.rd === 0) return c.jump(target);
  c.setX(d.rd, c.i64(c.next));
  c.exit(target);
}

/** rs1 is read before rd is written: they may be the same register. */
function jalr(c: LiftContext, d: Decoded): void {
  const target = c.b.and(c.addImm(c.x(d.rs1), d.imm), c.i64(-2));
  c.setX(d.rd, c.i64(c.next));
  c.exitInd(target);
}

export const RV64I: TransTable = {
  [Op.lui]: (c, d) => c.setX(d.rd, c.i64(d.imm)),
  [Op.auipc]: (c, d) => c.setX(d.rd, c.i64(BigInt(c.pc) + BigInt(d.imm))),
  [Op.jal]: jal,
  [Op.jalr]: jalr,

  [Op.beq]: (c, d) => branch(c, d, 'eq'),
  [Op.bne]: (c, d) => branch(c, d, 'ne'),
  [Op.blt]: (c, d) => branch(c, d, 'slt'),
  [Op.bge]: (c, d) => branch(c, d, 'sge'),
  [Op.bltu]: (c, d) => branch(c, d, 'ult'),
  [Op.bgeu]: (c, d) => branch(c, d, 'uge'),

  [Op.lb]: (c, d) => load(c, d, 1, true),
  [Op.lh]: (c, d) => load(c, d, 2, true),
  [Op.lw]: (c, d) => load(c, d, 4, true),
  [Op.ld]: (c, d) => load(c, d, 8, true),
  [Op.lbu]: (c, d) => load(c, d, 1, false),
  [Op.lhu]: (c, d) => load(c, d, 2, false),
  [Op.lwu]: (c, d) => load(c, d, 4, false),
  [Op.sb]: (c, d) => store(c, d, 1),
  [Op.sh]: (c, d) => store(c, d, 2),
  [Op.sw]: (c, d) => store(c, d, 4),
  [Op.sd]: (c, d) => store(c, d, 8),

  [Op.addi]: (c, d) => c.setX(d.rd, c.addImm(c.x(d.rs1), d.imm)),
  [Op.slti]: (c, d) => setIfImm(c, d, 'slt'),
  [Op.sltiu]: (c, d) => setIfImm(c, d, 'ult'),
  [Op.xori]: (c, d) => arithImm(c, d, 'xor'),
  [Op.ori]: (c, d) => arithImm(c, d, 'or'),
  [Op.andi]: (c, d) => arithImm(c, d, 'and'),
  [Op.slli]: (c, d) => arithImm(c, d, 'shl'),
  [Op.srli]: (c, d) => arithImm(c, d, 'shru'),
  [Op.srai]: (c, d) => arithImm(c, d, 'shrs'),

  [Op.add]: (c, d) => arith(c, d, 'add'),
  [Op.sub]: (c, d) => arith(c, d, 'sub'),
  [Op.sll]: (c, d) => arith(c, d, 'shl'),
  [Op.slt]: (c, d) => setIf(c, d, 'slt'),
  [Op.sltu]: (c, d) => setIf(c, d, 'ult'),
  [Op.xor]: (c, d) => arith(c, d, 'xor'),
  [Op.srl]: (c, d) => arith(c, d, 'shru'),
  [Op.sra]: (c, d) => arith(c, d, 'shrs'),
  [Op.or]: (c, d) => arith(c, d, 'or'),
  [Op.and]: (c, d) => arith(c, d, 'and'),

  [Op.addiw]: (c, d) => arithImmW(c, d, 'add'),
  [Op.slliw]: (c, d) => arithImmW(c, d, 'shl'),
  [Op.srliw]: (c, d) => arithImmW(c, d, 'shru'),
  [Op.sraiw]: (c, d) => arithImmW(c, d, 'shrs'),
  [Op.addw]: (c, d) => arithW(c, d, 'add'),
  [Op.subw]: (c, d) => arithW(c, d, 'sub'),
  [Op.sllw]: (c, d) => arithW(c, d, 'shl'),
  [Op.srlw]: (c, d) => arithW(c, d, 'shru'),
  [Op.sraw]: (c, d) => arithW(c, d, 'shrs'),

  // A single hart sees its own accesses in order: fence orders nothing for us.
  [Op.fence]: () => {},
  // The engine drops translations of written code pages; leaving the region is enough.
  [Op.fence_i]: (c) => c.exit(c.next),
  [Op.ecall]: (c) => c.trap('ecall'),
  [Op.ebreak]: (c) => c.trap('ebreak'),
  // Undecodable words (and reserved compressed encodings, which expand to 0).
  [Op.illegal]: (c) => c.trap('illegal'),
};
