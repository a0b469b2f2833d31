//! Guest code a compile worker can read by itself: the executable pages around a hot
//! region's entry, as host addresses in the shared memory. The main thread takes the
//! window (a few page-table lookups) instead of lifting the region itself; the worker
//! fetches, discovers and lifts from it. A region path that runs out of the window ends
//! there (an exit to the interpreter), as one that runs into unmapped memory does.
//!
//! The worker reads guest memory the guest may be writing meanwhile. That is safe because
//! every page of a window is marked as code before it is sent: a write to it, an unmap or
//! a remap bumps its write generation, and a result lifted from a page written since it
//! was sent is thrown away (see `tier/compiler.ts`).

import { PAGE_SIZE } from '../../layout/layout.js';
import { fetchHalfwords, type FetchFn } from '../../lifter/region.js';
import { type AddressSpace, PROT_EXEC } from '../memory.js';

/** Pages on each side of the entry page. Conditional branches reach 4 KiB either way and
 * a region holds at most a few hundred instructions, so paths rarely leave this. */
export const WINDOW_RADIUS = 2;

export interface CodeWindow {
  /** Virtual page numbers of the executable pages, ... */
  vpns: number[];
  /** ... and the host address of each one's frame. */
  hosts: number[];
}

/** The executable pages within WINDOW_RADIUS of pc's page (pc's own page first, when it is
 * executable; else the window is empty). */
export function takeCodeWindow(as: AddressSpace, pc: number): CodeWindow {
  const window: CodeWindow = { vpns: [], hosts: [] };
  const centre = Math.floor(pc / PAGE_SIZE);
  for (const d of [0, -1, 1, -2, 2].filter((x) => Math.abs(x) <= WINDOW_RADIUS)) {
    const vpn = centre + d;
    const prot = vpn < 0 ? -1 : as.protOf(vpn); // -1: unmapped
    if (prot < 0 || (prot & PROT_EXEC) === 0) {
      if (d === 0) return window;
      continue;
    }
    window.vpns.push(vpn);
    window.hosts.push(as.frameOf(vpn));
  }
  return window;
}

/** Instruction fetch from a window over the shared memory's halfwords: `undefined` outside
 * it; notes the pages read in `pages`. */
export function windowFetch(u16: Uint16Array, window: CodeWindow, pages: Set<number>): FetchFn {
  const frames = new Map<number, number>();
  window.vpns.forEach((vpn, i) => frames.set(vpn, window.hosts[i]));
  return fetchHalfwords((pc) => {
    const vpn = Math.floor(pc / PAGE_SIZE);
    const frame = frames.get(vpn);
    if (frame === undefined) return undefined;
    pages.add(vpn);
    return u16[(frame + (pc % PAGE_SIZE)) >>> 1];
  });
}
