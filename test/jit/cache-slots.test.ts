// The code cache's spare slots: a compile job numbers its region's exits from slots it
// took along; once adopted, each follows what is installed at its target pc, and it goes
// back to the spares when the region that jumps through it leaves the cache.
import { describe, expect, it } from 'vitest';
import { CodeCache, type CompiledRegion } from '../../runtime/jit/cache.js';
import { AddressSpace } from '../../runtime/memory.js';

/** A module exporting `f`, a () -> () function that returns at once. */
const F_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
]);
const newFn = () => new WebAssembly.Instance(new WebAssembly.Module(F_MODULE)).exports.f as () => void;

function region(cache: CodeCache, pc: number, exitSlots?: CompiledRegion['exitSlots']): CompiledRegion {
  return { pc, slot: cache.slotFor(pc), fn: newFn(), pages: [pc >> 12], bytes: 10, guestInsts: 1, exitSlots };
}

describe('code cache exit slots', () => {
  it('keep an adopted slot in step with its target pc, and free it with the region using it', () => {
    const cache = new CodeCache(new AddressSpace());
    const [exit, unused] = cache.reserveSlots(2);
    expect(exit).not.toBe(unused);
    expect(cache.table.get(exit)).toBe(cache.stub);
    cache.releaseSlots([unused]);

    // The region at 0x1000 jumps to 0x2000 through `exit`; nothing is at 0x2000 yet.
    const caller = region(cache, 0x1000, [{ pc: 0x2000, slot: exit }]);
    cache.adoptExitSlots(caller.exitSlots!);
    cache.install(caller);
    expect(cache.table.get(exit)).toBe(cache.stub);

    const callee = region(cache, 0x2000);
    cache.install(callee);
    expect(cache.table.get(exit)).toBe(callee.fn);
    expect(cache.table.get(callee.slot)).toBe(callee.fn);

    // Replaced at its pc, the callee's successor takes the slot over too.
    const callee2 = region(cache, 0x2000);
    cache.install(callee2);
    expect(cache.table.get(exit)).toBe(callee2.fn);

    // The caller's code page is written: its exit slot goes back to the spares.
    cache.invalidatePage(0x1);
    expect(cache.table.get(exit)).toBe(cache.stub);
    expect(cache.reserveSlots(2).sort()).toEqual([exit, unused].sort());
    // ...and the callee no longer writes to it.
    cache.install(region(cache, 0x2000));
    expect(cache.table.get(exit)).toBe(cache.stub);
  });

  it('take back reserved slots never adopted as they are, still holding the stub', () => {
    const cache = new CodeCache(new AddressSpace());
    const reserved = cache.reserveSlots(3);
    const callee = region(cache, 0x2000);
    cache.install(callee);
    // A job used the first for an exit to 0x2000 and gives the other two back.
    cache.adoptExitSlots([{ pc: 0x2000, slot: reserved[0] }]);
    cache.returnUnusedSlots(reserved.slice(1));
    expect(cache.table.get(reserved[0])).toBe(callee.fn);
    const again = cache.reserveSlots(2);
    expect(again.sort()).toEqual(reserved.slice(1).sort());
    for (const slot of again) expect(cache.table.get(slot)).toBe(cache.stub);
  });

  it('resets adopted slots to the stub when their target leaves the cache', () => {
    const cache = new CodeCache(new AddressSpace());
    const [exit] = cache.reserveSlots(1);
    const callee = region(cache, 0x2000);
    cache.install(callee);
    cache.adoptExitSlots([{ pc: 0x2000, slot: exit }]);
    expect(cache.table.get(exit)).toBe(callee.fn);
    cache.flush();
    expect(cache.table.get(exit)).toBe(cache.stub);
  });
});
