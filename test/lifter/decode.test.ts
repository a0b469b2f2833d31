//! The decoder, the compressed expansion and the disassembler against GNU binutils.
//! fixtures/allinsns.S holds every RV64GC instruction form; fixtures/allinsns.objdump is
//! `riscv64-linux-gnu-objdump -d` of it (linked at 0x10000) and fixtures/allinsns.bin its
//! .text bytes, so these tests need no cross tools. When the tools are installed, the
//! fixtures are checked to be current, and the guests' listings are compared live.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expandCompressed } from '../../lifter/compressed.js';
import { decode } from '../../lifter/decode.js';
import { disassemble } from '../../lifter/disasm.js';
import { Op } from '../../lifter/opcodes.js';
import { disasmCommand } from '../../runtime/disasm-command.js';
import { GUESTS, hasTool } from '../helpers.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const BASE = 0x10000;
const OBJDUMP = 'riscv64-linux-gnu-objdump';
const HAVE_BINUTILS = ['gcc', 'ld', 'objdump', 'objcopy'].every((t) => hasTool(`riscv64-linux-gnu-${t}`));

interface Insn { pc: number; len: 2 | 4; word: number; text: string }

/** The instruction lines and symbol headers of an objdump listing. */
function parseListing(listing: string): { insns: Insn[]; labels: Map<string, number> } {
  const insns: Insn[] = [];
  const labels = new Map<string, number>();
  for (const line of listing.split('\n')) {
    const header = /^([0-9a-f]{16}) <(.+)>:$/.exec(line);
    if (header) labels.set(header[2], parseInt(header[1], 16));
    const m = /^ *([0-9a-f]+):\t([0-9a-f]+) +\t(.*)$/.exec(line);
    if (m) insns.push({ pc: parseInt(m[1], 16), len: (m[2].length / 2) as 2 | 4, word: parseInt(m[2], 16), text: m[3] });
  }
  return { insns, labels };
}

/** objdump's text without what only a whole listing knows: `<symbol+off>` after addresses
 * and `# address` comments (runtime/disasm-command.ts adds those). */
const instructionText = (text: string) => text.replace(/ <[^>]*>/g, '').replace(/ # .*$/, '').replace(/\s+/g, ' ').trim();

const fixture = parseListing(fs.readFileSync(path.join(FIXTURES, 'allinsns.objdump'), 'utf8'));
const bin = fs.readFileSync(path.join(FIXTURES, 'allinsns.bin'));
const rvcBlock = fixture.insns.filter((i) => i.pc >= fixture.labels.get('rvc_begin')! && i.pc < fixture.labels.get('norvc_begin')!);
const norvcBlock = fixture.insns.filter((i) => i.pc >= fixture.labels.get('norvc_begin')! && i.pc < fixture.labels.get('norvc_end')!);

/** The C-extension instruction a 16-bit word is (RISC-V unprivileged spec, tables 16.5-16.7). */
function compressedName(h: number): string {
  const q = h & 3, f3 = h >>> 13, rd = (h >>> 7) & 31, rs2 = (h >>> 2) & 31, b12 = (h >>> 12) & 1;
  const names = [
    ['c.addi4spn', 'c.fld', 'c.lw', 'c.ld', '', 'c.fsd', 'c.sw', 'c.sd'],
    [rd ? 'c.addi' : 'c.nop', 'c.addiw', 'c.li', rd === 2 ? 'c.addi16sp' : 'c.lui', '', 'c.j', 'c.beqz', 'c.bnez'],
    ['c.slli', 'c.fldsp', 'c.lwsp', 'c.ldsp', '', 'c.fsdsp', 'c.swsp', 'c.sdsp'],
  ];
  if (f3 !== 4) return names[q][f3];
  if (q === 1) {
    const f2 = (h >>> 10) & 3;
    if (f2 < 3) return ['c.srli', 'c.srai', 'c.andi'][f2];
    return (b12 ? ['c.subw', 'c.addw', '', ''] : ['c.sub', 'c.xor', 'c.or', 'c.and'])[(h >>> 5) & 3];
  }
  if (q === 2) return b12 ? (rs2 ? 'c.add' : rd ? 'c.jalr' : 'c.ebreak') : rs2 ? 'c.mv' : 'c.jr';
  return '';
}

const ALL_COMPRESSED = ('c.addi4spn c.fld c.lw c.ld c.fsd c.sw c.sd c.nop c.addi c.addiw c.li c.addi16sp c.lui ' +
  'c.srli c.srai c.andi c.sub c.xor c.or c.and c.subw c.addw c.j c.beqz c.bnez c.slli c.fldsp c.lwsp c.ldsp ' +
  'c.jr c.mv c.ebreak c.jalr c.add c.fsdsp c.swsp c.sdsp').split(' ');

describe('fixtures/allinsns', () => {
  it('has the listed bytes in allinsns.bin', () => {
    expect(fixture.insns.length).toBeGreaterThan(2600);
    for (const i of fixture.insns) {
      const at = i.pc - BASE;
      expect(i.len === 2 ? bin.readUInt16LE(at) : bin.readUInt32LE(at)).toBe(i.word);
    }
    const last = fixture.insns.at(-1)!;
    expect(last.pc - BASE + last.len).toBe(bin.length);
  });

  it('holds every compressed encoding, each assembled a second time uncompressed', () => {
    expect(rvcBlock.every((i) => i.len === 2)).toBe(true);
    expect(norvcBlock.every((i) => i.len === 4)).toBe(true);
    expect(rvcBlock.length).toBe(norvcBlock.length);
    const present = new Set(rvcBlock.map((i) => compressedName(i.word)));
    expect(ALL_COMPRESSED.filter((name) => !present.has(name))).toEqual([]);
  });

  it.skipIf(!HAVE_BINUTILS)('is current: allinsns.S assembles to allinsns.bin and allinsns.objdump', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allinsns-'));
    try {
      fs.copyFileSync(path.join(FIXTURES, 'allinsns.S'), path.join(dir, 'allinsns.S'));
      const run = (tool: string, ...args: string[]) => execFileSync(`riscv64-linux-gnu-${tool}`, args, { cwd: dir, maxBuffer: 64 << 20 }).toString();
      run('gcc', '-march=rv64gc', '-mabi=lp64d', '-c', 'allinsns.S', '-o', 'allinsns.o');
      run('ld', '-Ttext=0x10000', '--no-relax', 'allinsns.o', '-o', 'allinsns.elf');
      run('objcopy', '-O', 'binary', '-j', '.text', 'allinsns.elf', 'allinsns.bin');
      expect(run('objdump', '-d', 'allinsns.elf')).toBe(fs.readFileSync(path.join(FIXTURES, 'allinsns.objdump'), 'utf8'));
      expect(fs.readFileSync(path.join(dir, 'allinsns.bin')).equals(bin)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('disassemble', () => {
  it('prints every fixture instruction as objdump does', () => {
    // The fixture ELF says it follows privileged spec 1.11, which objdump's CSR names follow.
    const wrong = fixture.insns
      .map((i) => ({ at: i.pc.toString(16), objdump: instructionText(i.text), ours: disassemble(i.word, i.pc, i.len, '1.11').replace(/\s+/g, ' ') }))
      .filter((r) => r.objdump !== r.ours);
    expect(wrong).toEqual([]);
  });

  it("prints objdump's tab layout and 64-bit branch targets", () => {
    expect(disassemble(0x00008067, 0x1000, 4)).toBe('ret');
    expect(disassemble(0x4501, 0x1000, 2)).toBe('li\ta0,0');
    expect(disassemble(0x80000063, 0x10, 4)).toBe('beqz\tzero,fffffffffffff010'); // beq x0,x0,-4096 at 0x10
    expect(disassemble(0x02c5f553, 0, 4)).toBe('fadd.d\tfa0,fa1,fa2'); // dynamic rounding is not printed
  });

  it('prints unknown encodings as data, like objdump', () => {
    expect(disassemble(0x00000000, 0, 2)).toBe('unimp');
    expect(disassemble(0xffff, 0, 2)).toBe('.2byte\t0xffff');
    expect(disassemble(0x0000000b, 0, 4)).toBe('.4byte\t0xb');
    expect(disassemble(0xffffffff, 0, 4)).toBe('.4byte\t0xffffffff');
  });

  it.skipIf(!HAVE_BINUTILS)('prints every 16-bit encoding and 100000 random 32-bit words as objdump does', () => {
    let seed = 2463534242; // xorshift32
    const random = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
    const words: number[] = [];
    for (let h = 0; h < 0x10000; h++) if ((h & 3) !== 3) words.push(h);
    while (words.length < 49152 + 100000) {
      const w = random();
      if ((w & 3) === 3 && (w & 0x1f) !== 0x1f) words.push(w); // 32-bit, not a longer format
    }
    const bytes = Buffer.alloc(49152 * 2 + 100000 * 4);
    words.forEach((w, i) => (i < 49152 ? bytes.writeUInt16LE(w, 2 * i) : bytes.writeUInt32LE(w, 49152 * 2 + 4 * (i - 49152))));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encodings-'));
    try {
      fs.writeFileSync(path.join(dir, 'words.bin'), bytes);
      execFileSync('riscv64-linux-gnu-objcopy', ['-I', 'binary', '-O', 'elf64-littleriscv', '-B', 'riscv:rv64',
        '--rename-section', '.data=.text,contents,code,alloc,load,readonly', 'words.bin', 'words.o'], { cwd: dir });
      const { insns } = parseListing(execFileSync(OBJDUMP, ['-d', 'words.o'], { cwd: dir, maxBuffer: 1 << 30 }).toString());
      expect(insns.length).toBe(words.length);
      // No attributes in this file: objdump names CSRs by the newest spec, our default.
      const wrong = insns.map((i) => ({ word: i.word.toString(16), objdump: instructionText(i.text), ours: disassemble(i.word, i.pc, i.len).replace(/\s+/g, ' ') }))
        .filter((r) => r.objdump !== r.ours);
      expect(wrong.slice(0, 20)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names CSRs by privileged spec version', () => {
    const csrr = (csr: number) => ((csr << 20) | (2 << 12) | (10 << 7) | 0x73) >>> 0;
    expect(disassemble(csrr(0x000), 0, 4, '1.11')).toBe('csrr\ta0,ustatus');
    expect(disassemble(csrr(0x000), 0, 4)).toBe('csrr\ta0,0x0');
    expect(disassemble(csrr(0x180), 0, 4, '1.9.1')).toBe('csrr\ta0,sptbr');
    expect(disassemble(csrr(0x180), 0, 4)).toBe('csrr\ta0,satp');
    expect(disassemble(csrr(0x3ef), 0, 4)).toBe('csrr\ta0,pmpaddr63');
    expect(disassemble(csrr(0x3ef), 0, 4, '1.11')).toBe('csrr\ta0,0x3ef');
  });
});

describe('decode', () => {
  it('decodes compressed instructions as their 32-bit equivalents', () => {
    const differ = rvcBlock
      .map((c, k) => ({ at: c.pc.toString(16), compressed: decode(expandCompressed(c.word)), full: decode(norvcBlock[k].word) }))
      .filter((r) => JSON.stringify(r.compressed) !== JSON.stringify(r.full));
    expect(differ).toEqual([]);
    expect(rvcBlock.every((c) => decode(expandCompressed(c.word)).op !== Op.illegal)).toBe(true);
  });

  it('expands every 16-bit encoding to a valid instruction or to 0', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 3) === 3) continue;
      const x = expandCompressed(h);
      if (x !== 0 && decode(x).op === Op.illegal) throw new Error(`${h.toString(16)} expands to illegal ${x.toString(16)}`);
    }
  });

  it('decodes reserved and illegal encodings to Op.illegal', () => {
    const illegal32 = [
      0x00000000, 0xffffffff, // all zeros, all ones
      0x0000000b, 0x0000007f, // custom-0, >= 80-bit encodings
      0x1005a52f | (12 << 20), // lr.w with rs2 != 0
      0xe0058553 | (2 << 12), // fmv.x.w with funct3 2
      0x5a058553 | (1 << 20), // fsqrt.d with rs2 != 0
      (2 << 25) | (12 << 20) | (11 << 15) | (10 << 7) | 0x43, // fmadd with fmt 2 (half precision)
      0x80051513, // slli with funct6 != 0
      0x0205151b, // slliw with shamt bit 5
      0xfe000033, // OP with funct7 0x7f
      0x0000202f | (0x1f << 27), // AMO with an unknown funct5
      0x00004073, // SYSTEM funct3 4
      0x00100173, // ebreak with rd
    ];
    for (const w of illegal32) expect(decode(w >>> 0).op, w.toString(16)).toBe(Op.illegal);
    const reserved16 = [
      0x0000, // c.addi4spn with a zero immediate (x8)
      0x0004, // c.addi4spn with a zero immediate (x9)
      0x6101, // c.addi16sp with a zero immediate (c.lui with rd = x2)
      0x6501, // c.lui with a zero immediate
      0x2001, // c.addiw with rd = x0
      0x4002, // c.lwsp with rd = x0
      0x6002, // c.ldsp with rd = x0
      0x8002, // c.jr with rs1 = x0
      0x8000, 0x9000, // quadrant 0, funct3 4
      0x9c41, 0x9c61, // reserved c.subw/c.addw slots
    ];
    for (const h of reserved16) expect(expandCompressed(h), h.toString(16)).toBe(0);
    expect(decode(expandCompressed(0x0000)).op).toBe(Op.illegal);
  });
});

describe('rvwasm disasm', () => {
  const errors: string[] = [];
  afterEach(() => { vi.restoreAllMocks(); errors.length = 0; });
  const captureStderr = () => vi.spyOn(process.stderr, 'write').mockImplementation((s) => { errors.push(String(s)); return true; });

  it('reports bad files and unknown functions in one line', () => {
    captureStderr();
    const out: string[] = [];
    expect(disasmCommand('/nonexistent/file', undefined, (l) => out.push(l))).toBe(1);
    expect(disasmCommand(path.join(FIXTURES, 'allinsns.S'), undefined, (l) => out.push(l))).toBe(1);
    expect(errors).toEqual(['rvwasm: /nonexistent/file: no such file\n', `rvwasm: ${path.join(FIXTURES, 'allinsns.S')}: not an ELF file\n`]);
    expect(out).toEqual([]);
    const hello = path.join(GUESTS, 'hello');
    if (fs.existsSync(hello)) {
      expect(disasmCommand(hello, 'no_such_function', (l) => out.push(l))).toBe(1);
      expect(errors[2]).toBe(`rvwasm: no function no_such_function in ${hello}\n`);
    }
  });

  const guests = fs.existsSync(GUESTS)
    ? fs.readdirSync(GUESTS).map((f) => path.join(GUESTS, f)).filter((f) => {
      if (!fs.statSync(f).isFile()) return false;
      const fd = fs.openSync(f, 'r');
      const magic = Buffer.alloc(4);
      try { fs.readSync(fd, magic, 0, 4, 0); } finally { fs.closeSync(fd); }
      return magic.readUInt32BE(0) === 0x7f454c46;
    })
    : [];
  const why = !hasTool(OBJDUMP) ? `${OBJDUMP} is not installed` : guests.length === 0 ? `no guest ELF files in ${GUESTS}` : '';

  describe.skipIf(why !== '')(`lists guests exactly as objdump -d${why ? ` (skipped: ${why})` : ''}`, () => {
    for (const file of guests) {
      it(path.basename(file), () => {
        const ours: string[] = [];
        expect(disasmCommand(file, undefined, (l) => ours.push(l))).toBe(0);
        const theirs = execFileSync(OBJDUMP, ['-d', file], { maxBuffer: 1 << 30 }).toString().replace(/\n$/, '').split('\n');
        // Dynamically linked files: objdump names GOT slots in comments after the dynamic
        // relocations' versioned symbols (`<puts@GLIBC_2.27>`), which we do not reproduce.
        const dynamic = theirs.includes('Disassembly of section .plt:');
        const norm = (l: string) => dynamic ? l.replace(/( # [0-9a-f]+) <[^>]*>$/, '$1') : l;
        const firstDiff = theirs.findIndex((l, i) => norm(l) !== norm(ours[i] ?? ''));
        expect(firstDiff === -1 ? '' : `line ${firstDiff + 1}:\n  objdump: ${theirs[firstDiff]}\n  ours:    ${ours[firstDiff]}`).toBe('');
        expect(ours.length).toBe(theirs.length);
        expect(theirs.some((l) => /^ *[0-9a-f]+:\t/.test(l))).toBe(true);
      });
    }

    for (const [guest, func] of [['hello', 'main'], ['rvc', '_start']]) {
      it.skipIf(!guests.some((f) => path.basename(f) === guest))(`lists ${guest} --func ${func}`, () => {
        const file = path.join(GUESTS, guest);
        const ours: string[] = [];
        expect(disasmCommand(file, func, (l) => ours.push(l))).toBe(0);
        const theirs = execFileSync(OBJDUMP, ['-d', `--disassemble=${func}`, file]).toString().split('\n');
        const body = (lines: string[]) => lines.filter((l) => /^ *[0-9a-f]+:\t|^[0-9a-f]{16} </.test(l));
        expect(body(ours).length).toBeGreaterThan(1);
        expect(body(ours)).toEqual(body(theirs));
      });
    }
  });
});
