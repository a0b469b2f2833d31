//! The IR's text form, read: regions as `print.ts` writes them, with `line N: message`
//! errors. It checks syntax only; whether the IR makes sense is `verify.ts`'s job.
//!
//! Grammar (one item per line; blank lines and `;` comments anywhere):
//!   file    := region*
//!   region  := 'region' '@' ADDR '{'  block*  '}'
//!   block   := 'block'N [ '(' param {',' param} ')' ] ':'   inst*
//!   param   := 'v'N ':' TYPE
//!   inst    := [ 'v'N ':' TYPE '=' ] OPCODE ['.' TYPE] [ piece {',' piece} ] [ '@' ADDR ]
//!   piece   := one per entry of the opcode's `syntax` in `opcodes.ts`:
//!              'v'N | INT | HEX | 'x'N | 'f'N | fflags|frm | 'size' N | signed|unsigned
//!              | read|write|exec | 'offset' N | COND | 'from' N | illegal|ebreak|ecall
//!              | ADDR | '@' NAME '(' [v {',' v}] ')' | bcall | FPOP | RM | v {',' v}
//!              | '[' [INT ':' bcall {',' INT ':' bcall}] ']' | 'default' bcall
//!   bcall   := 'block'N [ '(' 'v'N {',' 'v'N} ')' ]
//!   TYPE    := i32 | i64 | f32 | f64;   INT := ['-'] (decimal | '0x' hex);   ADDR := '0x' hex | decimal
//!   FPOP    := a name of FP_OPS (add, madd, to_w, ...);   RM := rne | rtz | rdn | rup | rmm | dyn
//! The `.TYPE` suffix is present exactly on polymorphic opcodes (result rule `ctrl`) and
//! must equal the result's type. The `@ADDR` after an instruction is its guest pc.

import type { Block, BlockCall, Inst, Param, Region } from './function.js';
import type { Token } from './lex.js';
import { LexError, lexLine } from './lex.js';
import { isAccess, isCsr, isFloatCC, isIntCC, isRoundingMode, isTrapKind } from './immediates.js';
import type { Piece } from './opcodes.js';
import { isFpOp, isOpcode, OPCODES } from './opcodes.js';
import { separatorAfter } from './print.js';
import { setSourceLine } from './source.js';
import type { Type } from './types.js';
import { isType, typeBits } from './types.js';

export class ParseError extends Error {
  constructor(readonly line: number, readonly detail: string) {
    super(`line ${line}: ${detail}`);
    this.name = 'ParseError';
  }
}

/** Every region in the text, in order. */
export function parseRegions(text: string): Region[] {
  const regions: Region[] = [];
  let region: Region | undefined;
  let block: Block | undefined;
  const lines = text.split('\n');
  lines.forEach((source, index) => {
    const lineNo = index + 1;
    let tokens: Token[];
    try {
      tokens = lexLine(source);
    } catch (e) {
      if (e instanceof LexError) throw new ParseError(lineNo, e.message);
      throw e;
    }
    if (tokens.length === 0) return;
    const p: LineParser = new LineParser(tokens, lineNo);
    if (region === undefined) {
      region = p.regionHeader();
      setSourceLine(region, lineNo);
      block = undefined;
    } else if (p.peekIs('}')) {
      p.next();
      p.end('the closing brace');
      regions.push(region);
      region = undefined;
    } else if (p.atBlockHeader()) {
      block = p.blockHeader();
      setSourceLine(block, lineNo);
      region.blocks.push(block);
    } else {
      if (block === undefined) p.fail('instruction before the first block label');
      const inst = p.inst();
      setSourceLine(inst, lineNo);
      block.insts.push(inst);
    }
  });
  if (region !== undefined) throw new ParseError(lines.length, "unterminated region (missing '}')");
  return regions;
}

/** The one region in the text. */
export function parseRegion(text: string): Region {
  const regions = parseRegions(text);
  if (regions.length !== 1) {
    throw new ParseError(regions.length === 0 ? 1 : text.split('\n').length, `expected one region, found ${regions.length}`);
  }
  return regions[0];
}

const VALUE = /^v(\d+)$/;
const BLOCK = /^block(\d+)$/;
const XREG = /^x(\d+)$/;
const FREG = /^f(\d+)$/;
const INT_LITERAL = /^-?(0x[0-9a-fA-F]+|[0-9]+)$/;

class LineParser {
  private pos = 0;

  constructor(private readonly tokens: Token[], private readonly line: number) {}

  fail(message: string): never {
    throw new ParseError(this.line, message);
  }

  peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  peekIs(text: string, offset = 0): boolean {
    return this.tokens[this.pos + offset]?.text === text;
  }

  next(): Token {
    const t = this.tokens[this.pos++];
    if (t === undefined) this.fail('unexpected end of line');
    return t;
  }

  expect(text: string, what = `'${text}'`): void {
    const t = this.peek();
    if (t?.text !== text) this.fail(`expected ${what}, found ${describe(t)}`);
    this.pos++;
  }

  end(what: string): void {
    const t = this.peek();
    if (t !== undefined) this.fail(`unexpected ${describe(t)} after ${what}`);
  }

  word(what: string): string {
    const t = this.peek();
    if (t?.kind !== 'word') this.fail(`expected ${what}, found ${describe(t)}`);
    this.pos++;
    return t.text;
  }

  numbered(re: RegExp, what: string): number {
    const t = this.peek();
    const m = t?.kind === 'word' ? re.exec(t.text) : null;
    if (m === null) this.fail(`expected ${what}, found ${describe(t)}`);
    this.pos++;
    const n = Number(m[1]);
    if (!Number.isSafeInteger(n)) this.fail(`${t!.text}: number too large`);
    return n;
  }

  value(): number {
    return this.numbered(VALUE, 'a value (vN)');
  }

  type(): Type {
    const t = this.peek();
    if (t === undefined || !isType(t.text)) this.fail(`expected a type (i32, i64, f32, f64), found ${describe(t)}`);
    this.pos++;
    return t.text as Type;
  }

  integer(what: string): bigint {
    const t = this.peek();
    if (t?.kind !== 'number' || !INT_LITERAL.test(t.text)) this.fail(`expected ${what}, found ${describe(t)}`);
    this.pos++;
    const neg = t.text.startsWith('-');
    const mag = BigInt(neg ? t.text.slice(1) : t.text);
    return neg ? -mag : mag;
  }

  /** A non-negative number that fits a JS number exactly (addresses, sizes, offsets). */
  natural(what: string): number {
    const n = this.integer(what);
    if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} out of range: ${n}`);
    return Number(n);
  }

  regionHeader(): Region {
    this.expect('region', "'region @ADDR {'");
    this.expect('@', "'@' and the entry address");
    const entry = this.natural('an entry address');
    this.expect('{');
    this.end('the region header');
    return { entry, blocks: [] };
  }

  atBlockHeader(): boolean {
    const t = this.peek();
    return t?.kind === 'word' && BLOCK.test(t.text) && (this.peekIs(':', 1) || this.peekIs('(', 1));
  }

  blockHeader(): Block {
    const id = this.numbered(BLOCK, 'a block (blockN)');
    const params: Param[] = [];
    if (this.peekIs('(')) {
      this.next();
      do {
        const value = this.value();
        this.expect(':', "':' and the parameter's type");
        params.push({ value, type: this.type() });
      } while (this.comma());
      this.expect(')');
    }
    this.expect(':', "':' after the block label");
    this.end('the block label');
    return { id, params, insts: [] };
  }

  comma(): boolean {
    if (!this.peekIs(',')) return false;
    this.pos++;
    return true;
  }

  inst(): Inst {
    let result: { value: number; type: Type } | undefined;
    if (this.peek()?.kind === 'word' && VALUE.test(this.peek()!.text) && this.peekIs(':', 1)) {
      const value = this.value();
      this.expect(':');
      const type = this.type();
      this.expect('=', "'=' after the result");
      result = { value, type };
    }
    const name = this.word('an opcode');
    if (!isOpcode(name)) this.fail(`unknown opcode '${name}'`);
    const info = OPCODES[name];
    const inst: Inst = { op: name, args: [] };
    if (info.result === 'ctrl') {
      this.expect('.', `'.type' after '${name}'`);
      const suffix = this.type();
      if (result === undefined) this.fail(`'${name}' defines a value: write 'vN:${suffix} = ${name}.${suffix} ...'`);
      if (result.type !== suffix) this.fail(`result type ${result.type} does not match '${name}.${suffix}'`);
    } else if (this.peekIs('.')) {
      this.fail(`'${name}' takes no type suffix`);
    }
    if (result !== undefined) {
      inst.result = result.value;
      inst.type = result.type;
    }
    info.syntax.forEach((piece, i) => {
      if (i > 0 && separatorAfter(info.syntax[i - 1]) === ', ') this.expect(',', `',' and ${PIECE_NAMES[piece]}`);
      this.piece(piece, inst);
    });
    if (this.peekIs('@')) {
      this.next();
      inst.pc = this.natural('a guest pc');
    }
    this.end(`the '${name}' instruction`);
    return inst;
  }

  piece(piece: Piece, inst: Inst): void {
    switch (piece) {
      case 'arg': inst.args.push(this.value()); break;
      case 'imm': inst.imm = this.constant(inst.type!); break;
      case 'bits': inst.imm = this.bits(inst.type!); break;
      case 'xreg': inst.reg = this.numbered(XREG, 'an integer register (xN)'); break;
      case 'freg': inst.reg = this.numbered(FREG, 'an FP register (fN)'); break;
      case 'csr': inst.csr = this.choice(isCsr, 'a CSR (fflags, frm)'); break;
      case 'size': this.expect('size', "'size N'"); inst.size = this.natural('a size'); break;
      case 'ext': inst.signed = this.choice((s) => s === 'signed' || s === 'unsigned', "'signed' or 'unsigned'") === 'signed'; break;
      case 'access': inst.access = this.choice(isAccess, 'an access (read, write, exec)'); break;
      case 'offset': this.expect('offset', "'offset N'"); inst.offset = this.natural('an offset'); break;
      case 'icc': inst.cond = this.choice(isIntCC, 'an integer condition (eq ne slt sle sgt sge ult ule ugt uge)'); break;
      case 'fcc': inst.cond = this.choice(isFloatCC, 'a float condition (eq ne lt le gt ge ord uno)'); break;
      case 'from': this.expect('from', "'from N'"); inst.from = this.natural('a bit width'); break;
      case 'trap': inst.trap = this.choice(isTrapKind, 'a trap kind (illegal, ebreak, ecall)'); break;
      case 'target': inst.target = this.natural('a target pc'); break;
      case 'callee': this.callee(inst); break;
      case 'block': (inst.targets ??= []).push(this.blockCall()); break;
      case 'cases': this.cases(inst); break;
      case 'default': this.expect('default', "'default blockN'"); (inst.targets ??= []).push(this.blockCall()); break;
      case 'slot': this.expect('slot', "'slot N'"); inst.slot = this.natural('a slot number'); break;
      case 'fop': inst.fop = this.choice(isFpOp, 'an FP operation (add, sub, madd, to_w, from_lu, demote, ...)'); break;
      case 'rm': inst.rm = this.choice(isRoundingMode, 'a rounding mode (rne rtz rdn rup rmm dyn)'); break;
      case 'args':
        do inst.args.push(this.value());
        while (this.comma());
        break;
    }
  }

  choice<T extends string>(ok: (s: string) => s is T, what: string): T;
  choice(ok: (s: string) => boolean, what: string): string;
  choice(ok: (s: string) => boolean, what: string): string {
    const t = this.peek();
    if (t?.kind !== 'word' || !ok(t.text)) this.fail(`expected ${what}, found ${describe(t)}`);
    this.pos++;
    return t.text;
  }

  /** An integer constant of the type, accepted in its signed or unsigned range. */
  constant(type: Type): bigint {
    const v = this.integer('an integer constant');
    const w = BigInt(typeBits(type));
    if (v < -(1n << (w - 1n)) || v >= 1n << w) this.fail(`constant ${v} does not fit in ${type}`);
    return BigInt.asIntN(Number(w), v);
  }

  bits(type: Type): bigint {
    const t = this.peek();
    if (t?.kind !== 'number' || !/^0x[0-9a-fA-F]+$/.test(t.text)) this.fail(`expected raw float bits (0x...), found ${describe(t)}`);
    const v = this.integer('raw float bits');
    if (v >= 1n << BigInt(typeBits(type))) this.fail(`bits ${t.text} do not fit in ${type}`);
    return v;
  }

  callee(inst: Inst): void {
    this.expect('@', "'@helper(...)'");
    inst.helper = this.word('a helper name');
    this.expect('(', "'(' and the call's arguments");
    if (!this.peekIs(')')) {
      do inst.args.push(this.value());
      while (this.comma());
    }
    this.expect(')', "')' after the call's arguments");
  }

  blockCall(): BlockCall {
    const block = this.numbered(BLOCK, 'a block (blockN)');
    const args: number[] = [];
    if (this.peekIs('(')) {
      this.next();
      do args.push(this.value());
      while (this.comma());
      this.expect(')', "')' after the block arguments");
    }
    return { block, args };
  }

  cases(inst: Inst): void {
    this.expect('[', "'[' and the switch cases");
    const keys: bigint[] = [];
    const targets: BlockCall[] = [];
    if (!this.peekIs(']')) {
      do {
        keys.push(this.integer('a case key'));
        this.expect(':', "':' after the case key");
        targets.push(this.blockCall());
      } while (this.comma());
    }
    this.expect(']', "']' after the switch cases");
    inst.cases = keys;
    inst.targets = targets;
  }
}

const PIECE_NAMES: Record<Piece, string> = {
  arg: 'a value', imm: 'a constant', bits: 'raw float bits', xreg: 'a register', freg: 'an FP register',
  csr: 'a CSR', size: "'size N'", ext: "'signed' or 'unsigned'", access: 'an access kind', offset: "'offset N'", slot: "'slot N'",
  icc: 'a condition', fcc: 'a condition', from: "'from N'", trap: 'a trap kind', target: 'a target pc',
  callee: "'@helper(...)'", block: 'a block', cases: "'[' cases ']'", default: "'default blockN'",
  fop: 'an FP operation', rm: 'a rounding mode', args: 'a value',
};

function describe(t: Token | undefined): string {
  return t === undefined ? 'end of line' : `'${t.text}'`;
}
