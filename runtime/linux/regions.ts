//! A set of page ranges, kept sorted and coalesced: the mapped areas of the address space,
//! so that mmap can find a free gap without walking every page.

export class PageRanges {
  /** Disjoint, sorted, non-adjacent [start, end) ranges of page numbers. */
  private starts: number[] = [];
  private ends: number[] = [];

  /** Builds the set from a list of page numbers (any order). */
  static fromPages(pages: Iterable<number>): PageRanges {
    const r = new PageRanges();
    const sorted = Float64Array.from(pages).sort();
    let i = 0;
    while (i < sorted.length) {
      let j = i + 1;
      while (j < sorted.length && sorted[j] === sorted[j - 1] + 1) j++;
      r.starts.push(sorted[i]);
      r.ends.push(sorted[j - 1] + 1);
      i = j;
    }
    return r;
  }

  get count(): number {
    return this.starts.length;
  }

  /** Index of the first range whose end is > p. */
  private firstEndingAfter(p: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid] > p) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  add(start: number, end: number): void {
    if (end <= start) return;
    // Ranges that touch or overlap [start, end) merge with it.
    const i = this.firstEndingAfter(start - 1);
    let j = i;
    let s = start;
    let e = end;
    while (j < this.starts.length && this.starts[j] <= end) {
      s = Math.min(s, this.starts[j]);
      e = Math.max(e, this.ends[j]);
      j++;
    }
    this.starts.splice(i, j - i, s);
    this.ends.splice(i, j - i, e);
  }

  remove(start: number, end: number): void {
    if (end <= start) return;
    const i = this.firstEndingAfter(start);
    let j = i;
    const keepS: number[] = [];
    const keepE: number[] = [];
    while (j < this.starts.length && this.starts[j] < end) {
      if (this.starts[j] < start) {
        keepS.push(this.starts[j]);
        keepE.push(start);
      }
      if (this.ends[j] > end) {
        keepS.push(end);
        keepE.push(this.ends[j]);
      }
      j++;
    }
    this.starts.splice(i, j - i, ...keepS);
    this.ends.splice(i, j - i, ...keepE);
  }

  /** True if no page of [start, end) is in the set. */
  isFree(start: number, end: number): boolean {
    const i = this.firstEndingAfter(start);
    return i >= this.starts.length || this.starts[i] >= end;
  }

  /** The highest start s with [s, s+n) free, bottom <= s and s+n <= top; -1 if none. */
  findFreeTopDown(n: number, bottom: number, top: number): number {
    if (top - bottom < n) return -1;
    // Walk the gaps from the one containing top downwards.
    let i = this.firstEndingAfter(top - 1) - 1; // last range ending at or below top... or overlapping it
    let gapEnd = top;
    // If a range overlaps top, the gap ends at its start.
    const k = i + 1;
    if (k < this.starts.length && this.starts[k] < top) gapEnd = Math.min(gapEnd, this.starts[k]);
    for (;;) {
      const gapStart = i >= 0 ? Math.max(this.ends[i], bottom) : bottom;
      if (gapEnd - gapStart >= n) return gapEnd - n;
      if (i < 0 || this.ends[i] <= bottom) return -1;
      gapEnd = this.starts[i];
      i--;
    }
  }

  *ranges(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.starts.length; i++) yield [this.starts[i], this.ends[i]];
  }
}
