// The benchmark workloads (sources in guests/bench/src) and their sizes.
//
// Each program takes one argument, SIZE, and prints lines ending with
// "NAME: checksum XXXXXXXXXXXXXXXX". Four sizes per workload:
//   full   1-3 s natively on the 2-core reference machine (the program's own default)
//   medium about ten times quick (5-10 s under the interpreter): long enough for the
//          tiered engine's compiled code to matter, short enough to run every tier
//   quick  about 50 million guest instructions: 1-2 s under the interpreter, so that
//          `npm run bench -- --quick` stays under 3 minutes with several rvwasm configurations
//   test   under ~30 million guest instructions: the vitest test and guests/bench/expected.json
// The guest-instruction figures are from `rvwasm run --stats` on the riscv64 -O2 build.

export const WORKLOADS = [
  { name: 'compress', sizes: { full: 16384, medium: 960, quick: 96, test: 32 }, what: 'LZ77 + Huffman compress/decompress (KiB)' },
  { name: 'bytecode', sizes: { full: 1500, medium: 30, quick: 3, test: 1 }, what: 'stack-VM interpreter loop (rounds)' },
  { name: 'dijkstra', sizes: { full: 400, medium: 80, quick: 8, test: 2 }, what: 'Dijkstra + BFS on a road-like graph (k vertices)' },
  { name: 'sudoku', sizes: { full: 1600, medium: 80, quick: 8, test: 3 }, what: 'sudoku generation and solving (puzzles)' },
  { name: 'matmul', sizes: { full: 1000, medium: 276, quick: 128, test: 64 }, what: 'blocked matmul + LU solve, double (order N)' },
  { name: 'nbody', sizes: { full: 200000, medium: 5000, quick: 500, test: 200 }, what: '64-body gravity, leapfrog (steps)' },
  { name: 'hashtab', sizes: { full: 4000, medium: 1400, quick: 140, test: 20 }, what: 'chained hash tables, string and int keys (k ops)' },
  { name: 'tree', sizes: { full: 1200, medium: 800, quick: 80, test: 10 }, what: 'treap + shuffled linked list (k ops)' },
  { name: 'regex', sizes: { full: 250000, medium: 4000, quick: 400, test: 150 }, what: 'Pike-VM regex + string processing (lines)' },
  { name: 'sort', sizes: { full: 2000, medium: 400, quick: 40, test: 10 }, what: 'quick/merge/radix/heap sort + string sorts (k keys)' },
  { name: 'sha256', sizes: { full: 131072, medium: 2560, quick: 256, test: 64 }, what: 'SHA-256 + XXH64 over a buffer (KiB)' },
  { name: 'sqlite', sizes: { full: 200000, medium: 15000, quick: 1500, test: 300 }, what: 'SQLite in-memory database (rows)', sqlite: true },
];

export function workloadByName(name) {
  return WORKLOADS.find((w) => w.name === name);
}
