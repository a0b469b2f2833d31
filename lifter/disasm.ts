//! The disassembler: one instruction to the text GNU objdump (binutils 2.40, `objdump -d`)
//! prints for it, e.g. `add\tsp,sp,-16` or `beqz\ta0,1040c`. The table in `encoding.ts`
//! gives each instruction's operand template (one formatter per operand kind below); the
//! alias table on top picks objdump's preferred spelling (`li`, `mv`, `ret`, `csrr`, ...).
//! Annotations objdump adds from the symbol table or from earlier instructions
//! (`<main+0x10>`, `# 11f00 <buf>`) are left to the caller, see `runtime/disasm-command.ts`.

import { expandCompressed } from './compressed.js';
import { decode, type Decoded } from './decode.js';
import { ENCODINGS } from './encoding.js';
import { Op } from './opcodes.js';

const X = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
const F = ['ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5',
  'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11'];
/** Static rounding modes; 7 (dynamic) is not printed, 5 and 6 are reserved. */
const RM = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'unknown', 'unknown', ''];

/** CSR names objdump knows in every privileged spec version, as runs of consecutive
 * numbers; `x3..31` stands for x3, x4, ... x31. */
const CSR_RUNS = `
001 fflags frm fcsr
008 vstart vxsat vxrm
00f vcsr
015 seed
100 sstatus
104 sie stvec
10c sstateen0..3
114 sieh
140 sscratch sepc scause
144 sip
14d stimecmp
150 siselect sireg
154 siph
15c stopei stimecmph
200 vsstatus
204 vsie vstvec
214 vsieh
240 vsscratch vsepc vscause vstval vsip
24d vstimecmp
250 vsiselect vsireg
254 vsiph
25c vstopei vstimecmph
280 vsatp
300 mstatus misa medeleg mideleg mie mtvec
308 mvien mvip
30c mstateen0..3
313 midelegh mieh
318 mvienh mviph
31c mstateen0..3h
323 mhpmevent3..31 mscratch mepc mcause
344 mip
350 miselect mireg
354 miph
35c mtopei
5a8 scontext
600 hstatus
602 hedeleg hideleg hie htimedelta hcounteren hgeie hvien hvictl henvcfg
60c hstateen0..3
613 hidelegh
615 htimedeltah
618 hvienh
61a henvcfgh
61c hstateen0..3h
643 htval hip hvip hviprio1 hviprio2
64a htinst
655 hviph hviprio1h hviprio2h
680 hgatp
6a8 hcontext
723 mhpmevent3..31h
7a0 tselect tdata1..3 tinfo tcontrol
7a8 mcontext
7aa mscontext
7b0 dcsr dpc dscratch0 dscratch1
b00 mcycle
b02 minstret mhpmcounter3..31
b80 mcycleh
b82 minstreth mhpmcounter3..31h
c00 cycle time instret hpmcounter3..31 vl vtype vlenb
c80 cycleh timeh instreth hpmcounter3..31h
da0 scountovf
db0 stopi
e12 hgeip
eb0 vstopi
f11 mvendorid marchid mimpid mhartid
fb0 mtopi
`;

/** The privileged spec versions objdump distinguishes (ELF attribute Tag_RISCV_priv_spec). */
export type PrivSpec = '1.9.1' | '1.10' | '1.11' | '1.12';
const PRIV_SPECS: readonly PrivSpec[] = ['1.9.1', '1.10', '1.11', '1.12'];

/** CSR names of some spec versions only: first version, last version, then a run as above. */
const CSR_RUNS_BY_SPEC = `
1.9.1 1.9.1 043 ubadaddr
1.9.1 1.9.1 143 sbadaddr
1.9.1 1.9.1 180 sptbr
1.9.1 1.9.1 320 mucounteren mscounteren mhcounteren
1.9.1 1.9.1 343 mbadaddr
1.9.1 1.9.1 380 mbase mbound mibase mibound mdbase mdbound
1.9.1 1.11  000 ustatus
1.9.1 1.11  004 uie utvec
1.9.1 1.11  040 uscratch uepc ucause
1.9.1 1.11  044 uip
1.9.1 1.11  102 sedeleg sideleg
1.10  1.11  043 utval
1.10  1.12  106 scounteren
1.10  1.12  143 stval
1.10  1.12  180 satp
1.10  1.12  306 mcounteren
1.10  1.12  343 mtval
1.10  1.12  3a0 pmpcfg0..3
1.10  1.12  3b0 pmpaddr0..15
1.11  1.12  320 mcountinhibit
1.12  1.12  10a senvcfg
1.12  1.12  30a menvcfg
1.12  1.12  310 mstatush
1.12  1.12  31a menvcfgh
1.12  1.12  34a mtinst mtval2
1.12  1.12  3a4 pmpcfg4..15
1.12  1.12  3c0 pmpaddr16..63
1.12  1.12  747 mseccfg
1.12  1.12  757 mseccfgh
1.12  1.12  f15 mconfigptr
`;

function addRun(names: Map<number, string>, line: string): void {
  const [base, ...words] = line.trim().split(/\s+/);
  let n = parseInt(base, 16);
  for (const w of words) {
    const range = /^([a-z]+)(\d+)\.\.(\d+)(h?)$/.exec(w);
    if (!range) { names.set(n++, w); continue; }
    for (let i = Number(range[2]); i <= Number(range[3]); i++) names.set(n++, `${range[1]}${i}${range[4]}`);
  }
}

/** CSR number to name, per privileged spec version. */
const CSR_NAMES = new Map<PrivSpec, ReadonlyMap<number, string>>(PRIV_SPECS.map((spec, v) => {
  const names = new Map<number, string>();
  for (const line of CSR_RUNS.trim().split('\n')) addRun(names, line);
  for (const line of CSR_RUNS_BY_SPEC.trim().split('\n')) {
    const [first, last, ...run] = line.split(/\s+/);
    if (PRIV_SPECS.indexOf(first as PrivSpec) <= v && v <= PRIV_SPECS.indexOf(last as PrivSpec)) addRun(names, run.join(' '));
  }
  return [spec, names];
}));

const hex = (v: number) => '0x' + v.toString(16);
/** An absolute address as objdump prints branch targets: bare hex, 64-bit wrap-around. */
const address = (a: number) => (a < 0 ? BigInt.asUintN(64, BigInt(a)) : a).toString(16);
const fenceSet = (bits: number) => bits === 0 ? 'unknown' : ['i', 'o', 'r', 'w'].filter((_, i) => bits & (8 >> i)).join('');

/** One formatter per operand kind of the templates in `encoding.ts` and `ALIASES`. */
const OPERAND: Record<string, (d: Decoded, pc: number, spec: PrivSpec) => string> = {
  rd: (d) => X[d.rd], rs1: (d) => X[d.rs1], rs2: (d) => X[d.rs2],
  fd: (d) => F[d.rd], fs1: (d) => F[d.rs1], fs2: (d) => F[d.rs2], fs3: (d) => F[d.rs3],
  imm: (d) => String(d.imm),
  uimm: (d) => hex(d.imm >>> 12),
  shamt: (d) => hex(d.imm),
  zimm: (d) => String(d.rs1),
  csr: (d, _, spec) => CSR_NAMES.get(spec)!.get(d.imm) ?? hex(d.imm),
  target: (d, pc) => address(pc + d.imm),
  rm: (d) => RM[d.rm],
  pred: (d) => fenceSet((d.imm >> 4) & 15),
  succ: (d) => fenceSet(d.imm & 15),
};

/** Fields the alias conditions may test; `fm` is the fence mode (bits 31..28). */
const FIELD: Record<string, (d: Decoded) => number> = {
  rd: (d) => d.rd, rs1: (d) => d.rs1, rs2: (d) => d.rs2, rm: (d) => d.rm, imm: (d) => d.imm, fm: (d) => d.imm >>> 8,
};

/** objdump's preferred spelling of each instruction, first match wins:
 *    instruction  conditions...  printed-as  operands
 * A condition is `field=number` or `field=field`. `?` means objdump does not accept the
 * encoding and prints it as data (`.4byte`). Instructions not listed print as in the table. */
const ALIASES = `
jal      rd=0                  j          target
jal      rd=1                  jal        target
jalr     rd=0 rs1=1 imm=0      ret        -
jalr     rd=0 imm=0            jr         rs1
jalr     rd=0                  jr         imm(rs1)
jalr     rd=1 imm=0            jalr       rs1
jalr     rd=1                  jalr       imm(rs1)
jalr     imm=0                 jalr       rd,rs1
beq      rs2=0                 beqz       rs1,target
bne      rs2=0                 bnez       rs1,target
blt      rs2=0                 bltz       rs1,target
blt      rs1=0                 bgtz       rs2,target
bge      rs1=0                 blez       rs2,target
bge      rs2=0                 bgez       rs1,target
addi     rd=0 rs1=0 imm=0      nop        -
addi     rs1=0                 li         rd,imm
addi     imm=0                 mv         rd,rs1
addi                           add        rd,rs1,imm
sltiu    imm=1                 seqz       rd,rs1
xori     imm=-1                not        rd,rs1
xori                           xor        rd,rs1,imm
ori                            or         rd,rs1,imm
andi     imm=255               zext.b     rd,rs1
andi                           and        rd,rs1,imm
slli                           sll        rd,rs1,shamt
srli                           srl        rd,rs1,shamt
srai                           sra        rd,rs1,shamt
sub      rs1=0                 neg        rd,rs2
slt      rs2=0                 sltz       rd,rs1
slt      rs1=0                 sgtz       rd,rs2
sltu     rs1=0                 snez       rd,rs2
addiw    imm=0                 sext.w     rd,rs1
addiw                          addw       rd,rs1,imm
slliw                          sllw       rd,rs1,shamt
srliw                          srlw       rd,rs1,shamt
sraiw                          sraw       rd,rs1,shamt
subw     rs1=0                 negw       rd,rs2
fence    rd=0 rs1=0 imm=0x0ff  fence      -
fence    rd=0 rs1=0 fm=0       fence      pred,succ
fence    rd=0 rs1=0 imm=0x833  fence.tso  -
fence                          ?          -
fence.i  rd=0 rs1=0 imm=0      fence.i    -
fence.i                        ?          -
csrrw    rd=0 rs1=0 imm=0xc00  unimp      -
csrrw    rd=0 imm=1            fsflags    rs1
csrrw    imm=1                 fsflags    rd,rs1
csrrw    rd=0 imm=2            fsrm       rs1
csrrw    imm=2                 fsrm       rd,rs1
csrrw    rd=0 imm=3            fscsr      rs1
csrrw    imm=3                 fscsr      rd,rs1
csrrw    rd=0                  csrw       csr,rs1
csrrs    rs1=0 imm=0xc00       rdcycle    rd
csrrs    rs1=0 imm=0xc01       rdtime     rd
csrrs    rs1=0 imm=0xc02       rdinstret  rd
csrrs    rs1=0 imm=1           frflags    rd
csrrs    rs1=0 imm=2           frrm       rd
csrrs    rs1=0 imm=3           frcsr      rd
csrrs    rs1=0                 csrr       rd,csr
csrrs    rd=0                  csrs       csr,rs1
csrrc    rd=0                  csrc       csr,rs1
csrrwi   imm=1                 fsflagsi   rd,zimm
csrrwi   imm=2                 fsrmi      rd,zimm
csrrwi   rd=0                  csrw       csr,zimm
csrrwi                         csrrw      rd,csr,zimm
csrrsi   rd=0                  csrs       csr,zimm
csrrsi                         csrrs      rd,csr,zimm
csrrci   rd=0                  csrc       csr,zimm
csrrci                         csrrc      rd,csr,zimm
fsgnj.s  rs1=rs2               fmv.s      fd,fs1
fsgnjn.s rs1=rs2               fneg.s     fd,fs1
fsgnjx.s rs1=rs2               fabs.s     fd,fs1
fsgnj.d  rs1=rs2               fmv.d      fd,fs1
fsgnjn.d rs1=rs2               fneg.d     fd,fs1
fsgnjx.d rs1=rs2               fabs.d     fd,fs1
fcvt.d.s  rm=0                 fcvt.d.s   fd,fs1
fcvt.d.s                       ?          -
fcvt.d.w  rm=0                 fcvt.d.w   fd,rs1
fcvt.d.w                       ?          -
fcvt.d.wu rm=0                 fcvt.d.wu  fd,rs1
fcvt.d.wu                      ?          -
`;

interface Alias {
  when: ((d: Decoded) => boolean)[];
  name: string;
  operands: string;
}

const ALIAS_BY_OP: ReadonlyMap<number, Alias[]> = (() => {
  const byName = new Map(ENCODINGS.map((e) => [e.mnemonic, e.op]));
  const out = new Map<number, Alias[]>();
  for (const line of ALIASES.trim().split('\n')) {
    const words = line.trim().split(/\s+/);
    const op = byName.get(words[0]);
    if (op === undefined) throw new Error(`disasm aliases: unknown instruction ${words[0]}`);
    const when = words.slice(1, -2).map((cond) => {
      const [field, value] = cond.split('=');
      const get = FIELD[field], other = FIELD[value];
      if (!get) throw new Error(`disasm aliases: unknown field in ${cond}`);
      const n = Number(value);
      return other ? (d: Decoded) => get(d) === other(d) : (d: Decoded) => get(d) === n;
    });
    if (!out.has(op)) out.set(op, []);
    out.get(op)!.push({ when, name: words.at(-2)!, operands: words.at(-1)! });
  }
  return out;
})();

/** Fills an operand template; empty operands (a dynamic rounding mode) drop out with their comma. */
function operands(template: string, d: Decoded, pc: number, spec: PrivSpec): string {
  if (template === '-') return '';
  return template.split(',')
    .map((part) => part.replace(/[a-z][a-z0-9]*/g, (kind) => OPERAND[kind](d, pc, spec)))
    .filter((s) => s !== '')
    .join(',');
}

const line = (name: string, ops: string) => ops ? `${name}\t${ops}` : name;
const data = (inst: number, len: 2 | 4) => `.${len}byte\t${hex(inst)}`;

function disassemble32(d: Decoded, pc: number, inst: number, spec: PrivSpec): string {
  if (d.op === Op.illegal) return data(inst, 4);
  const alias = ALIAS_BY_OP.get(d.op)?.find((a) => a.when.every((test) => test(d)));
  if (alias?.name === '?') return data(inst, 4);
  if (alias) return line(alias.name, operands(alias.operands, d, pc, spec));
  const e = ENCODINGS[d.op];
  const ordering = e.format === 'AMO' ? ['', '.rl', '.aq', '.aqrl'][(inst >>> 25) & 3] : '';
  return line(e.mnemonic + ordering, operands(e.operands, d, pc, spec));
}

/** 16-bit forms objdump does not print as their 32-bit expansion would print: hints
 * (rd = zero, zero shifts), c.addi (never `mv`), c.mv, and the reserved c.addi16sp 0. */
function compressedSpecial(h: number, d: Decoded): string | undefined {
  const q = h & 3, f3 = h >>> 13;
  if (q === 1 && f3 === 0) {
    if (d.rd === 0) return d.imm === 0 ? 'nop' : `c.nop\t${d.imm}`;
    return `add\t${X[d.rd]},${X[d.rd]},${d.imm}`;
  }
  if (q === 1 && f3 === 2 && d.rd === 0) return `c.li\tzero,${d.imm}`;
  if (q === 1 && f3 === 3 && ((h >>> 7) & 31) === 2 && (h & 0x107c) === 0) return 'add\tsp,sp,0';
  if (q === 1 && f3 === 3 && d.rd === 0 && d.op === Op.lui) return `c.lui\tzero,${hex(d.imm >>> 12)}`;
  const shamt = d.imm & 63;
  if (q === 1 && f3 === 4 && ((h >>> 10) & 3) < 2 && shamt === 0) return `c.sr${(h >>> 10) & 1 ? 'a' : 'l'}i64\t${X[d.rd]}`;
  if (q === 2 && f3 === 0) {
    if (shamt === 0) return `c.slli64\t${X[d.rd]}`;
    if (d.rd === 0) return `c.slli\tzero,${hex(shamt)}`;
  }
  if (q === 2 && f3 === 4 && d.op === Op.add) {
    const isAdd = (h >>> 12) & 1;
    if (d.rd === 0) return `c.${isAdd ? 'add' : 'mv'}\tzero,${X[d.rs2]}`;
    if (!isAdd) return `mv\t${X[d.rd]},${X[d.rs2]}`;
  }
  return undefined;
}

/**
 * The text objdump prints for the instruction `inst` at `pc`: mnemonic, a tab, operands.
 * `inst` is the instruction as it lies in memory: for `len` 2 its low 16 bits are a
 * compressed instruction, printed as objdump prints it (mostly its 32-bit expansion).
 * Encodings objdump does not know print as `.2byte`/`.4byte` data, as objdump does.
 * CSR names follow `privSpec`, which objdump takes from the ELF file's attributes and
 * otherwise assumes to be the newest.
 */
export function disassemble(inst: number, pc: number, len: 2 | 4, privSpec: PrivSpec = '1.12'): string {
  if (len === 4) {
    inst >>>= 0;
    return (inst & 3) === 3 ? disassemble32(decode(inst), pc, inst, privSpec) : data(inst, 4);
  }
  const h = inst & 0xffff;
  if (h === 0) return 'unimp';
  const expanded = (h & 3) === 3 ? 0 : expandCompressed(h);
  const d = decode(expanded);
  const special = compressedSpecial(h, d);
  if (special !== undefined) return special;
  return d.op === Op.illegal ? data(h, 2) : disassemble32(d, pc, expanded, privSpec);
}
