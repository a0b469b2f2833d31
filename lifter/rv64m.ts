//! RV64M to IR. The IR's division ops already have RISC-V semantics for a zero divisor
//! and for MIN / -1 (spec 13.2), so every rule is a single op.

import { Op } from './opcodes.js';
import { arith, arithW, type TransTable } from './shapes.js';

export const RV64M: TransTable = {
  [Op.mul]: (c, d) => arith(c, d, 'mul'),
  [Op.mulh]: (c, d) => arith(c, d, 'mulhs'),
  [Op.mulhsu]: (c, d) => arith(c, d, 'mulhsu'),
  [Op.mulhu]: (c, d) => arith(c, d, 'mulhu'),
  [Op.div]: (c, d) => arith(c, d, 'divs'),
  [Op.divu]: (c, d) => arith(c, d, 'divu'),
  [Op.rem]: (c, d) => arith(c, d, 'rems'),
  [Op.remu]: (c, d) => arith(c, d, 'remu'),

  // divuw/remuw: unsigned on the low 32 bits, and still sign-extend the 32-bit result.
  [Op.mulw]: (c, d) => arithW(c, d, 'mul'),
  [Op.divw]: (c, d) => arithW(c, d, 'divs'),
  [Op.divuw]: (c, d) => arithW(c, d, 'divu'),
  [Op.remw]: (c, d) => arithW(c, d, 'rems'),
  [Op.remuw]: (c, d) => arithW(c, d, 'remu'),
};
