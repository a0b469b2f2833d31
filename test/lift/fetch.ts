// Fetch functions for the lifter tests: over a flat code image at a base pc, and over
// the executable segments of an ELF file.
import { fetchHalfwords, type FetchFn } from '../../lifter/region.js';
import { parseElf, PF_X, PT_LOAD } from '../../runtime/elf.js';

/** Reads instructions from `bytes` mapped at `base`; anything outside is not executable. */
export function fetchFromBytes(bytes: Uint8Array, base: number): FetchFn {
  return fetchFromSegments([{ vaddr: base, bytes }]);
}

/** Reads instructions from the file bytes of an ELF file's executable segments. */
export function fetchFromElf(data: Buffer): FetchFn {
  const elf = parseElf(data);
  const segs = elf.phdrs.filter((p) => p.type === PT_LOAD && (p.flags & PF_X) !== 0)
    .map((p) => ({ vaddr: p.vaddr, bytes: data.subarray(p.offset, p.offset + p.filesz) }));
  return fetchFromSegments(segs);
}

function fetchFromSegments(segs: { vaddr: number; bytes: Uint8Array }[]): FetchFn {
  return fetchHalfwords((pc) => {
    for (const s of segs) {
      const o = pc - s.vaddr;
      if (o >= 0 && o + 2 <= s.bytes.length) return s.bytes[o] | (s.bytes[o + 1] << 8);
    }
    return undefined;
  });
}

/** The instruction as it lies in memory (for the disassembler): 16 or 32 bits. */
export function rawAt(bytes: Uint8Array, base: number, pc: number, len: 2 | 4): number {
  const o = pc - base;
  const lo = bytes[o] | (bytes[o + 1] << 8);
  return len === 2 ? lo : (lo | (bytes[o + 2] << 16) | (bytes[o + 3] << 24)) >>> 0;
}
