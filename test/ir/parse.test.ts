// The parser: comments and spacing, source lines, and `line N: message` errors.
import { describe, expect, it } from 'vitest';
import { ParseError, parseRegion, parseRegions } from '../../ir/parse.js';
import { printRegion } from '../../ir/print.js';
import { sourceLine } from '../../ir/source.js';

describe('parser', () => {
  it('ignores comments, blank lines and spacing, and accepts any literal spelling', () => {
    const region = parseRegion(`; leading comment
region   @65552{  ; the header
  ; a comment line
block0 :
  v0 : i64=iconst.i64   0xFFFFFFFFFFFFFFFF ; hex, unsigned spelling
  v1:i32 = iconst.i32 4294967295
  v2:f32 = fconst.f32 0x1
  v3:i64 = loadh.i64 v1,offset 0x10,size 8,signed
  exit 65556

}
`);
    expect(printRegion(region)).toBe(`region @0x10010 {
block0:
    v0:i64 = iconst.i64 -1
    v1:i32 = iconst.i32 -1
    v2:f32 = fconst.f32 0x00000001
    v3:i64 = loadh.i64 v1, offset 16, size 8, signed
    exit 0x10014
}
`);
  });

  it('records the source line of regions, blocks and instructions', () => {
    const [, second] = parseRegions(`region @0x0 {
block0:
    exit 0x0
}

region @0x4 {
block0:
    v0:i64 = getreg x1
    exitind v0
}
`);
    expect(sourceLine(second)).toBe(6);
    expect(sourceLine(second.blocks[0])).toBe(7);
    expect(second.blocks[0].insts.map((i) => sourceLine(i))).toEqual([8, 9]);
  });

  it('parses an empty text as no regions', () => {
    expect(parseRegions('; nothing here\n\n')).toEqual([]);
  });

  const errors: [string, string][] = [
    ['block0:\n', "line 1: expected 'region @ADDR {', found 'block0'"],
    ['region @0x10 {\nblock0:\n    exit 0x10\n', "line 4: unterminated region (missing '}')"],
    ['region @0x10 {\n    exit 0x10\n}\n', 'line 2: instruction before the first block label'],
    ['region @0x10 {\nblock0:\n    v0:i64 = jump v1\n}\n', "line 3: unknown opcode 'jump'"],
    ['region @0x10 {\nblock0:\n    v0:i64 = add v1, v2\n}\n', "line 3: expected '.type' after 'add', found 'v1'"],
    ['region @0x10 {\nblock0:\n    v0:i32 = add.i64 v1, v2\n}\n', "line 3: result type i32 does not match 'add.i64'"],
    ['region @0x10 {\nblock0:\n    add.i64 v1, v2\n}\n', "line 3: 'add' defines a value: write 'vN:i64 = add.i64 ...'"],
    ['region @0x10 {\nblock0:\n    v0:i32 = icmp.i64 eq v1, v2\n}\n', "line 3: 'icmp' takes no type suffix"],
    ['region @0x10 {\nblock0:\n    v0:i32 = icmp lt v1, v2\n}\n', "line 3: expected an integer condition (eq ne slt sle sgt sge ult ule ugt uge), found 'lt'"],
    ['region @0x10 {\nblock0:\n    v0:i32 = iconst.i32 0x100000000\n}\n', 'line 3: constant 4294967296 does not fit in i32'],
    ['region @0x10 {\nblock0:\n    v0:i32 = iconst.i32 -0x80000001\n}\n', 'line 3: constant -2147483649 does not fit in i32'],
    ['region @0x10 {\nblock0:\n    v0:f32 = fconst.f32 0x100000000\n}\n', 'line 3: bits 0x100000000 do not fit in f32'],
    ['region @0x10 {\nblock0:\n    v0:f64 = fconst.f64 1\n}\n', "line 3: expected raw float bits (0x...), found '1'"],
    ['region @0x10 {\nblock0:\n    v0:i64 = loadg.i64 v1, size 8 @0x10\n}\n', "line 3: expected ',' and 'signed' or 'unsigned', found '@'"],
    ['region @0x10 {\nblock0:\n    v0:i64 = loadg.i64 v1, 8, signed @0x10\n}\n', "line 3: expected 'size N', found '8'"],
    ['region @0x10 {\nblock0:\n    v0:i32 = translate v1, size 8, rw @0x10\n}\n', "line 3: expected an access (read, write, exec), found 'rw'"],
    ['region @0x10 {\nblock0:\n    v0:i64 = getreg r1\n}\n', "line 3: expected an integer register (xN), found 'r1'"],
    ['region @0x10 {\nblock0:\n    setreg x1, v0 extra\n}\n', "line 3: unexpected 'extra' after the 'setreg' instruction"],
    ['region @0x10 {\nblock0:\n    br block1(v1\n}\n', "line 3: expected ')' after the block arguments, found end of line"],
    ['region @0x10 {\nblock0:\n    switch v0, [1 block1], default block2\n}\n', "line 3: expected ':' after the case key, found 'block1'"],
    ['region @0x10 {\nblock0:\n    trap segv @0x10\n}\n', "line 3: expected a trap kind (illegal, ebreak, ecall), found 'segv'"],
    ['region @0x10 {\nblock0:\n    call syscall() @0x10\n}\n', "line 3: expected '@helper(...)', found 'syscall'"],
    ['region @0x10 {\nblock0(v0 i64):\n}\n', "line 2: expected ':' and the parameter's type, found 'i64'"],
    ['region @0x10 {\nblock0:\n    exit 0x10 } \n}\n', "line 3: unexpected '}' after the 'exit' instruction"],
    ['region @0x10 {\nblock0:\n    exit 0x10 # \n}\n', "line 3: unexpected character '#' at column 15"],
    ['region @0x10 {\nblock0:\n    exit -16\n}\n', 'line 3: a target pc out of range: -16'],
    ['region @0x10 {\nblock0:\n}\n}\n', "line 4: expected 'region @ADDR {', found '}'"],
    ['region @0x10 {\nblock0:\n    v0:f64 = fexact.f64 fmadd, dyn, v1 @0x10\n}\n', "line 3: expected an FP operation (add, sub, madd, to_w, from_lu, demote, ...), found 'fmadd'"],
    ['region @0x10 {\nblock0:\n    v0:f64 = fexact.f64 add, rm7, v1, v2 @0x10\n}\n', "line 3: expected a rounding mode (rne rtz rdn rup rmm dyn), found 'rm7'"],
    ['region @0x10 {\nblock0:\n    v0:f64 = fexact.f64 add, dyn @0x10\n}\n', "line 3: expected ',' and a value, found '@'"],
  ];
  for (const [text, message] of errors) {
    it(`rejects: ${message}`, () => {
      expect(() => parseRegions(text)).toThrow(ParseError);
      expect(() => parseRegions(text)).toThrow(message);
    });
  }

  it('wants exactly one region from parseRegion', () => {
    expect(() => parseRegion('')).toThrow('line 1: expected one region, found 0');
  });
});
