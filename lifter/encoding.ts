//! The RV64GC encoding table, declared once (after QEMU's `insn32.decode`): one line per
//! instruction, grouped by extension, in the order of `Op` in `opcodes.ts`. Each line is
//!   mnemonic  format  field=bits...  operands
//! The decoder, the interpreter, the lifter and the disassembler all read this table.

/** How the operand fields of an encoding are laid out. */
export type Format =
  | 'R' | 'R4' | 'I' | 'S' | 'B' | 'U' | 'J' | 'SH' | 'SHW' | 'CSR' | 'CSRI' | 'FENCE' | 'SYS' | 'AMO';

const RV64I = `
lui       U    op=0110111                          rd,uimm
auipc     U    op=0010111                          rd,uimm
jal       J    op=1101111                          rd,target
jalr      I    op=1100111 f3=000                   rd,imm(rs1)
beq       B    op=1100011 f3=000                   rs1,rs2,target
bne       B    op=1100011 f3=001                   rs1,rs2,target
blt       B    op=1100011 f3=100                   rs1,rs2,target
bge       B    op=1100011 f3=101                   rs1,rs2,target
bltu      B    op=1100011 f3=110                   rs1,rs2,target
bgeu      B    op=1100011 f3=111                   rs1,rs2,target
lb        I    op=0000011 f3=000                   rd,imm(rs1)
lh        I    op=0000011 f3=001                   rd,imm(rs1)
lw        I    op=0000011 f3=010                   rd,imm(rs1)
ld        I    op=0000011 f3=011                   rd,imm(rs1)
lbu       I    op=0000011 f3=100                   rd,imm(rs1)
lhu       I    op=0000011 f3=101                   rd,imm(rs1)
lwu       I    op=0000011 f3=110                   rd,imm(rs1)
sb        S    op=0100011 f3=000                   rs2,imm(rs1)
sh        S    op=0100011 f3=001                   rs2,imm(rs1)
sw        S    op=0100011 f3=010                   rs2,imm(rs1)
sd        S    op=0100011 f3=011                   rs2,imm(rs1)
addi      I    op=0010011 f3=000                   rd,rs1,imm
slti      I    op=0010011 f3=010                   rd,rs1,imm
sltiu     I    op=0010011 f3=011                   rd,rs1,imm
xori      I    op=0010011 f3=100                   rd,rs1,imm
ori       I    op=0010011 f3=110                   rd,rs1,imm
andi      I    op=0010011 f3=111                   rd,rs1,imm
slli      SH   op=0010011 f3=001 f6=000000         rd,rs1,shamt
srli      SH   op=0010011 f3=101 f6=000000         rd,rs1,shamt
srai      SH   op=0010011 f3=101 f6=010000         rd,rs1,shamt
add       R    op=0110011 f3=000 f7=0000000        rd,rs1,rs2
sub       R    op=0110011 f3=000 f7=0100000        rd,rs1,rs2
sll       R    op=0110011 f3=001 f7=0000000        rd,rs1,rs2
slt       R    op=0110011 f3=010 f7=0000000        rd,rs1,rs2
sltu      R    op=0110011 f3=011 f7=0000000        rd,rs1,rs2
xor       R    op=0110011 f3=100 f7=0000000        rd,rs1,rs2
srl       R    op=0110011 f3=101 f7=0000000        rd,rs1,rs2
sra       R    op=0110011 f3=101 f7=0100000        rd,rs1,rs2
or        R    op=0110011 f3=110 f7=0000000        rd,rs1,rs2
and       R    op=0110011 f3=111 f7=0000000        rd,rs1,rs2
addiw     I    op=0011011 f3=000                   rd,rs1,imm
slliw     SHW  op=0011011 f3=001 f7=0000000        rd,rs1,shamt
srliw     SHW  op=0011011 f3=101 f7=0000000        rd,rs1,shamt
sraiw     SHW  op=0011011 f3=101 f7=0100000        rd,rs1,shamt
addw      R    op=0111011 f3=000 f7=0000000        rd,rs1,rs2
subw      R    op=0111011 f3=000 f7=0100000        rd,rs1,rs2
sllw      R    op=0111011 f3=001 f7=0000000        rd,rs1,rs2
srlw      R    op=0111011 f3=101 f7=0000000        rd,rs1,rs2
sraw      R    op=0111011 f3=101 f7=0100000        rd,rs1,rs2
fence     FENCE op=0001111 f3=000                  pred,succ
fence.i   FENCE op=0001111 f3=001                  -
ecall     SYS  word=00000000000000000000000001110011 -
ebreak    SYS  word=00000000000100000000000001110011 -
`;

const ZICSR = `
csrrw     CSR  op=1110011 f3=001                   rd,csr,rs1
csrrs     CSR  op=1110011 f3=010                   rd,csr,rs1
csrrc     CSR  op=1110011 f3=011                   rd,csr,rs1
csrrwi    CSRI op=1110011 f3=101                   rd,csr,zimm
csrrsi    CSRI op=1110011 f3=110                   rd,csr,zimm
csrrci    CSRI op=1110011 f3=111                   rd,csr,zimm
`;

const RV64M = `
mul       R    op=0110011 f3=000 f7=0000001        rd,rs1,rs2
mulh      R    op=0110011 f3=001 f7=0000001        rd,rs1,rs2
mulhsu    R    op=0110011 f3=010 f7=0000001        rd,rs1,rs2
mulhu     R    op=0110011 f3=011 f7=0000001        rd,rs1,rs2
div       R    op=0110011 f3=100 f7=0000001        rd,rs1,rs2
divu      R    op=0110011 f3=101 f7=0000001        rd,rs1,rs2
rem       R    op=0110011 f3=110 f7=0000001        rd,rs1,rs2
remu      R    op=0110011 f3=111 f7=0000001        rd,rs1,rs2
mulw      R    op=0111011 f3=000 f7=0000001        rd,rs1,rs2
divw      R    op=0111011 f3=100 f7=0000001        rd,rs1,rs2
divuw     R    op=0111011 f3=101 f7=0000001        rd,rs1,rs2
remw      R    op=0111011 f3=110 f7=0000001        rd,rs1,rs2
remuw     R    op=0111011 f3=111 f7=0000001        rd,rs1,rs2
`;

function amoLines(width: string, f3: string): string {
  const ops: [string, string][] = [
    ['lr', '00010'], ['sc', '00011'], ['amoswap', '00001'], ['amoadd', '00000'], ['amoxor', '00100'],
    ['amoand', '01100'], ['amoor', '01000'], ['amomin', '10000'], ['amomax', '10100'],
    ['amominu', '11000'], ['amomaxu', '11100'],
  ];
  return ops.map(([name, f5]) => name === 'lr'
    ? `lr.${width} AMO op=0101111 f3=${f3} f5=${f5} rs2=00000  rd,(rs1)`
    : `${name}.${width} AMO op=0101111 f3=${f3} f5=${f5}  rd,rs2,(rs1)`).join('\n');
}
const RV64A = amoLines('w', '010') + '\n' + amoLines('d', '011');

/** F and D share their shapes; `fmt` is 00 for single, 01 for double. */
function fpLines(s: 'f' | 'd'): string {
  const fmt = s === 'f' ? '00' : '01';
  const x = s === 'f' ? 's' : 'd';
  const ld = s === 'f' ? 'flw       I    op=0000111 f3=010' : 'fld       I    op=0000111 f3=011';
  const st = s === 'f' ? 'fsw       S    op=0100111 f3=010' : 'fsd       S    op=0100111 f3=011';
  const lines = [
    `${ld}   fd,imm(rs1)`,
    `${st}   fs2,imm(rs1)`,
    `fmadd.${x}   R4  op=1000011 fmt=${fmt}   fd,fs1,fs2,fs3,rm`,
    `fmsub.${x}   R4  op=1000111 fmt=${fmt}   fd,fs1,fs2,fs3,rm`,
    `fnmsub.${x}  R4  op=1001011 fmt=${fmt}   fd,fs1,fs2,fs3,rm`,
    `fnmadd.${x}  R4  op=1001111 fmt=${fmt}   fd,fs1,fs2,fs3,rm`,
    `fadd.${x}    R   op=1010011 f7=00000${fmt}   fd,fs1,fs2,rm`,
    `fsub.${x}    R   op=1010011 f7=00001${fmt}   fd,fs1,fs2,rm`,
    `fmul.${x}    R   op=1010011 f7=00010${fmt}   fd,fs1,fs2,rm`,
    `fdiv.${x}    R   op=1010011 f7=00011${fmt}   fd,fs1,fs2,rm`,
    `fsqrt.${x}   R   op=1010011 f7=01011${fmt} rs2=00000   fd,fs1,rm`,
    `fsgnj.${x}   R   op=1010011 f7=00100${fmt} f3=000   fd,fs1,fs2`,
    `fsgnjn.${x}  R   op=1010011 f7=00100${fmt} f3=001   fd,fs1,fs2`,
    `fsgnjx.${x}  R   op=1010011 f7=00100${fmt} f3=010   fd,fs1,fs2`,
    `fmin.${x}    R   op=1010011 f7=00101${fmt} f3=000   fd,fs1,fs2`,
    `fmax.${x}    R   op=1010011 f7=00101${fmt} f3=001   fd,fs1,fs2`,
  ];
  if (s === 'd') {
    lines.push(
      `fcvt.s.d  R   op=1010011 f7=0100000 rs2=00001   fd,fs1,rm`,
      `fcvt.d.s  R   op=1010011 f7=0100001 rs2=00000   fd,fs1,rm`,
    );
  }
  const mvx = s === 'f' ? 'fmv.x.w' : 'fmv.x.d';
  const mvf = s === 'f' ? 'fmv.w.x' : 'fmv.d.x';
  lines.push(
    `fcvt.w.${x}  R   op=1010011 f7=11000${fmt} rs2=00000   rd,fs1,rm`,
    `fcvt.wu.${x} R   op=1010011 f7=11000${fmt} rs2=00001   rd,fs1,rm`,
    `fcvt.l.${x}  R   op=1010011 f7=11000${fmt} rs2=00010   rd,fs1,rm`,
    `fcvt.lu.${x} R   op=1010011 f7=11000${fmt} rs2=00011   rd,fs1,rm`,
    `${mvx}   R   op=1010011 f7=11100${fmt} rs2=00000 f3=000   rd,fs1`,
    `fclass.${x}  R   op=1010011 f7=11100${fmt} rs2=00000 f3=001   rd,fs1`,
    `feq.${x}     R   op=1010011 f7=10100${fmt} f3=010   rd,fs1,fs2`,
    `flt.${x}     R   op=1010011 f7=10100${fmt} f3=001   rd,fs1,fs2`,
    `fle.${x}     R   op=1010011 f7=10100${fmt} f3=000   rd,fs1,fs2`,
    `fcvt.${x}.w  R   op=1010011 f7=11010${fmt} rs2=00000   fd,rs1,rm`,
    `fcvt.${x}.wu R   op=1010011 f7=11010${fmt} rs2=00001   fd,rs1,rm`,
    `fcvt.${x}.l  R   op=1010011 f7=11010${fmt} rs2=00010   fd,rs1,rm`,
    `fcvt.${x}.lu R   op=1010011 f7=11010${fmt} rs2=00011   fd,rs1,rm`,
    `${mvf}   R   op=1010011 f7=11110${fmt} rs2=00000 f3=000   fd,rs1`,
  );
  return lines.join('\n');
}

/** Bit positions of the fixed fields a table line may constrain. */
const FIELDS: Record<string, [number, number]> = {
  op: [0, 7], f3: [12, 3], f7: [25, 7], f6: [26, 6], f5: [27, 5], rs2: [20, 5], fmt: [25, 2], word: [0, 32],
};

export interface Encoding {
  /** Index in the table, equal to the instruction's `Op`. */
  op: number;
  mnemonic: string;
  format: Format;
  mask: number;
  match: number;
  /** Operand template for the disassembler, e.g. `rd,imm(rs1)`; `-` for none. */
  operands: string;
}

function parseTable(text: string, firstOp: number): Encoding[] {
  const out: Encoding[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const parts = line.split(/\s+/);
    const [mnemonic, format] = parts;
    let mask = 0, match = 0;
    let operands = '-';
    for (const p of parts.slice(2)) {
      const eq = p.indexOf('=');
      if (eq < 0) { operands = p; continue; }
      const [shift, width] = FIELDS[p.slice(0, eq)];
      const bits = p.slice(eq + 1);
      if (bits.length !== width) throw new Error(`encoding table: ${mnemonic}: ${p} is not ${width} bits`);
      const fieldMask = width === 32 ? 0xffffffff : ((1 << width) - 1) << shift;
      mask |= fieldMask;
      match |= (parseInt(bits, 2) << shift) & fieldMask;
    }
    out.push({ op: firstOp + out.length, mnemonic, format: format as Format, mask: mask >>> 0, match: match >>> 0, operands });
  }
  return out;
}

/** The whole table, index 0 being the illegal instruction. */
export const ENCODINGS: readonly Encoding[] = (() => {
  const all: Encoding[] = [{ op: 0, mnemonic: 'illegal', format: 'SYS', mask: 0, match: 1, operands: '-' }];
  for (const group of [RV64I, ZICSR, RV64M, RV64A, fpLines('f'), fpLines('d')]) {
    all.push(...parseTable(group, all.length));
  }
  return all;
})();

/** Mnemonic of each `Op`, as objdump prints it. */
export const MNEMONICS: readonly string[] = ENCODINGS.map((e) => e.mnemonic);
