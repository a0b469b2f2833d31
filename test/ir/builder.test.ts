// The builder: typed helpers produce the same IR as the text form, infer result types,
// normalize constants, and insert at a cursor inside existing regions.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Builder } from '../../ir/builder.js';
import { parseRegion } from '../../ir/parse.js';
import { printRegion } from '../../ir/print.js';
import { verify } from '../../ir/verify.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('Builder', () => {
  it('builds the basic fixture exactly', () => {
    const b = new Builder(0x10078);
    const entry = b.createBlock();
    const exit = b.createBlock();
    const other = b.createBlock();
    b.switchToBlock(entry);
    const x10 = b.getreg(10);
    const eight = b.iconst('i64', 8);
    const addr = b.add(x10, eight);
    const loaded = b.loadg(addr, 8, true, 'i64', 0x1007c);
    b.setreg(11, loaded);
    const eq = b.icmp('eq', loaded, eight);
    const param = b.addBlockParam(exit, 'i64');
    b.condbr(eq, exit, [addr], other);
    b.switchToBlock(exit);
    b.setreg(12, param);
    b.exit(0x10080);
    b.switchToBlock(other);
    b.exitind(loaded);
    const region = b.finish();

    const text = readFileSync(path.join(FIXTURES, 'basic.ir'), 'utf8');
    expect(region).toStrictEqual(parseRegion(text));
    expect(printRegion(region)).toBe(text.replace(/^;.*\n/gm, ''));
    expect(verify(region)).toEqual([]);
  });

  it('infers result types from operands', () => {
    const b = new Builder(0);
    b.switchToBlock(b.createBlock());
    const x = b.trunc(b.getreg(1));
    const y = b.iconst('i32', -1);
    expect(b.typeOf(b.mulhsu(x, y))).toBe('i32');
    expect(b.typeOf(b.extend(x, true))).toBe('i64');
    const f = b.fconstOf('f32', 1.5);
    expect(b.typeOf(b.fma(f, f, f))).toBe('f32');
    expect(b.typeOf(b.fpromote(f))).toBe('f64');
    expect(b.typeOf(b.fcvtToSint('i64', f))).toBe('i64');
    expect(b.typeOf(b.select(x, f, f))).toBe('f32');
    expect(b.typeOf(b.sext(x, 8))).toBe('i32');
    expect(b.typeOf(b.fcmp('uno', f, f))).toBe('i32');
    expect(() => b.add(999, x)).toThrow('v999 has no known type');
  });

  it('normalizes constants and switch keys', () => {
    const b = new Builder(0x100);
    const entry = b.createBlock();
    const target = b.createBlock();
    b.switchToBlock(entry);
    const c = b.iconst('i32', 0xffffffff);
    const big = b.iconst('i64', 0xffff_ffff_ffff_ffffn);
    const nan = b.fconst('f64', -1n);
    const one = b.fconstOf('f64', 1);
    const half = b.fconstOf('f32', 0.5);
    b.switch(c, [[0xffffffff, target], [7, target]], target);
    b.switchToBlock(target);
    b.exit(0x104);
    const insts = b.finish().blocks[0].insts;
    expect(insts.map((i) => i.imm)).toEqual([-1n, -1n, 0xffff_ffff_ffff_ffffn, 0x3ff0_0000_0000_0000n, 0x3f00_0000n, undefined]);
    expect(insts[5].cases).toEqual([-1n, 7n]);
    expect(verify(b.finish())).toEqual([]);
    expect(printRegion(b.finish())).toContain('switch v0, [-1: block1, 7: block1], default block1');
    void big; void nan; void one; void half;
  });

  it('builds calls with and without results, and traps', () => {
    const b = new Builder(0x200);
    b.switchToBlock(b.createBlock());
    const a7 = b.getreg(17);
    const r = b.call('syscall', [a7], 'i64', 0x204);
    const none = b.call('fence_i', [], undefined, 0x208);
    expect(none).toBeUndefined();
    b.setreg(10, r);
    b.trap('ecall', 0x20c);
    expect(printRegion(b.finish())).toBe(`region @0x200 {
block0:
    v0:i64 = getreg x17
    v1:i64 = call @syscall(v0) @0x204
    call @fence_i() @0x208
    setreg x10, v1
    trap ecall @0x20c
}
`);
  });

  it('inserts at a cursor in an existing region, with fresh ids', () => {
    const region = parseRegion(`region @0x10 {
block0:
    v0:i64 = getreg x10
    v7:i64 = add.i64 v0, v0
    setreg x10, v7
    br block3
block3:
    exit 0x14
}
`);
    const b = new Builder(region);
    b.switchToBlock(0, 2);
    const t = b.translate(7, 8, 'write', 0x10);
    b.storeh(t, 0, 0, 8);
    const blk = b.createBlock(['i32']);
    expect(blk).toBe(4);
    expect(b.params(blk)).toEqual([9]);
    b.switchToBlock(blk);
    b.exitind(b.loadh(b.params(blk)[0], 4, 8, false, 'i64'));
    expect(printRegion(region)).toBe(`region @0x10 {
block0:
    v0:i64 = getreg x10
    v7:i64 = add.i64 v0, v0
    v8:i32 = translate v7, size 8, write @0x10
    storeh v8, v0, offset 0, size 8
    setreg x10, v7
    br block3
block3:
    exit 0x14
block4(v9:i32):
    v10:i64 = loadh.i64 v9, offset 4, size 8, unsigned
    exitind v10
}
`);
  });

  it('refuses to insert without a block', () => {
    const b = new Builder(0);
    expect(() => b.getreg(1)).toThrow('no current block');
    expect(() => b.switchToBlock(3)).toThrow('no block3');
  });
});
