// What a compile worker reads of the guest: the executable pages around a region's
// entry, fetched straight from the shared memory.
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../layout/layout.js';
import { takeCodeWindow, windowFetch } from '../../runtime/jit/code-window.js';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../runtime/memory.js';

const RX = PROT_READ | PROT_EXEC;
const le32 = (w: number) => new Uint8Array([w & 255, (w >>> 8) & 255, (w >>> 16) & 255, w >>> 24]);

describe('code windows', () => {
  it('holds the executable pages around the entry, the entry page first', () => {
    const as = new AddressSpace();
    as.mapPages(8, 3, RX); // pages 8-10
    as.mapPages(11, 1, PROT_READ | PROT_WRITE); // data: never in a window
    const w = takeCodeWindow(as, 10 * PAGE_SIZE + 0x10);
    expect(w.vpns).toEqual([10, 9, 8]);
    expect(w.hosts).toEqual([10, 9, 8].map((vpn) => as.frameOf(vpn)));
    expect(takeCodeWindow(as, 11 * PAGE_SIZE).vpns).toEqual([]);
  });

  it('fetches 32-bit and compressed instructions inside it, nothing outside', () => {
    const as = new AddressSpace();
    as.mapPages(8, 1, RX);
    const end = 9 * PAGE_SIZE;
    as.write(8 * PAGE_SIZE, le32(0x00a50533), true); // add a0, a0, a0
    as.write(8 * PAGE_SIZE + 4, new Uint8Array([0x05, 0x05]), true); // c.addi a0, 1
    as.write(end - 2, new Uint8Array([0x33, 0x05]), true); // first half of a 32-bit instruction
    const pages = new Set<number>();
    const fetch = windowFetch(as.v.u16, takeCodeWindow(as, 8 * PAGE_SIZE), pages);
    expect(fetch(8 * PAGE_SIZE)).toEqual({ inst: 0x00a50533, len: 4 });
    expect(fetch(8 * PAGE_SIZE + 4)).toEqual({ inst: 0x00150513, len: 2 }); // addi a0, a0, 1
    expect(fetch(8 * PAGE_SIZE + 1)).toBeUndefined();
    expect(fetch(end - 2)).toBeUndefined(); // its second half lies outside the window
    expect(fetch(end)).toBeUndefined();
    expect([...pages]).toEqual([8]);
  });
});
