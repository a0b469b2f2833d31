/* sudoku: combinatorial search. Generates puzzles with a unique solution (fill a random
 * grid by randomized backtracking, then remove clues while a bounded solution count stays
 * at one), then solves each one again with a constraint-propagating solver (naked and
 * hidden singles, then minimum-remaining-values branching). SIZE is the number of
 * puzzles. Modelled on SPEC's search workloads (deepsjeng, leela, exchange2 -- the last
 * one is itself a sudoku generator). */
#include "bench.h"

#define ALL 0x1ffu

typedef struct {
  uint8_t cell[81];
  uint16_t row[9], col[9], box[9]; /* used digits as bit masks */
} grid_t;

static uint8_t box_of[81];
static uint64_t nodes;

static inline int popcount16(uint32_t x) {
  int c = 0;
  while (x) { x &= x - 1; c++; }
  return c;
}

static inline int lowbit_index(uint32_t x) {
  int i = 0;
  while (!(x & 1)) { x >>= 1; i++; }
  return i;
}

static void grid_clear(grid_t *g) { memset(g, 0, sizeof *g); }

static inline void place(grid_t *g, int i, int d) {
  uint16_t b = (uint16_t)(1u << (d - 1));
  g->cell[i] = (uint8_t)d;
  g->row[i / 9] |= b; g->col[i % 9] |= b; g->box[box_of[i]] |= b;
}

static inline void unplace(grid_t *g, int i) {
  uint16_t b = (uint16_t)~(1u << (g->cell[i] - 1));
  g->cell[i] = 0;
  g->row[i / 9] &= b; g->col[i % 9] &= b; g->box[box_of[i]] &= b;
}

static inline uint32_t cands(const grid_t *g, int i) {
  return ALL & ~(uint32_t)(g->row[i / 9] | g->col[i % 9] | g->box[box_of[i]]);
}

static int grid_load(grid_t *g, const uint8_t *cells) {
  grid_clear(g);
  for (int i = 0; i < 81; i++) {
    if (!cells[i]) continue;
    if (!(cands(g, i) & (1u << (cells[i] - 1)))) return 0;
    place(g, i, cells[i]);
  }
  return 1;
}

/* Randomized fill: each empty cell (in order of fewest candidates) tries its
 * candidates in a random order. */
static int fill_random(grid_t *g, rng_t *r) {
  int best = -1, bestc = 10;
  for (int i = 0; i < 81; i++) {
    if (g->cell[i]) continue;
    int c = popcount16(cands(g, i));
    if (c < bestc) { bestc = c; best = i; if (c <= 1) break; }
  }
  if (best < 0) return 1;
  if (bestc == 0) return 0;
  uint32_t m = cands(g, best);
  int ds[9], nd = 0;
  while (m) { ds[nd++] = lowbit_index(m) + 1; m &= m - 1; }
  for (int k = nd - 1; k > 0; k--) {
    int j = (int)rng_below(r, (uint32_t)k + 1), t = ds[k];
    ds[k] = ds[j]; ds[j] = t;
  }
  for (int k = 0; k < nd; k++) {
    nodes++;
    place(g, best, ds[k]);
    if (fill_random(g, r)) return 1;
    unplace(g, best);
  }
  return 0;
}

/* Counts solutions up to `limit`; with `out` set, keeps the first solution found. */
static int count_solutions(grid_t *g, int limit, uint8_t *out) {
  /* Propagate naked singles first, remembering what we placed to undo it. */
  int placed[81], np = 0, found = 0;
  for (;;) {
    int progress = 0, best = -1, bestc = 10;
    for (int i = 0; i < 81; i++) {
      if (g->cell[i]) continue;
      uint32_t c = cands(g, i);
      if (!c) goto undo;
      if (!(c & (c - 1))) {
        place(g, i, lowbit_index(c) + 1);
        placed[np++] = i;
        progress = 1;
        continue;
      }
      int pc = popcount16(c);
      if (pc < bestc) { bestc = pc; best = i; }
    }
    if (progress) continue;
    /* Hidden singles per row: a digit with exactly one place. */
    for (int row = 0; row < 9 && !progress; row++) {
      for (int d = 0; d < 9; d++) {
        uint32_t bit = 1u << d;
        if (g->row[row] & bit) continue;
        int where = -1, cnt = 0;
        for (int c = 0; c < 9; c++) {
          int i = row * 9 + c;
          if (!g->cell[i] && (cands(g, i) & bit)) { where = i; cnt++; }
        }
        if (cnt == 0) goto undo;
        if (cnt == 1) { place(g, where, d + 1); placed[np++] = where; progress = 1; break; }
      }
    }
    if (progress) continue;
    if (best < 0) { /* solved */
      if (out) memcpy(out, g->cell, 81);
      found = 1;
      goto undo;
    }
    uint32_t m = cands(g, best);
    while (m && found < limit) {
      int d = lowbit_index(m) + 1;
      m &= m - 1;
      nodes++;
      place(g, best, d);
      found += count_solutions(g, limit - found, found ? NULL : out);
      unplace(g, best);
    }
    break;
  }
undo:
  while (np) unplace(g, placed[--np]);
  return found;
}

static void make_puzzle(rng_t *r, uint8_t *puzzle, uint8_t *solution) {
  grid_t g;
  grid_clear(&g);
  if (!fill_random(&g, r)) fail("sudoku", "could not fill a grid");
  memcpy(solution, g.cell, 81);
  memcpy(puzzle, g.cell, 81);
  int order[81];
  for (int i = 0; i < 81; i++) order[i] = i;
  for (int k = 80; k > 0; k--) {
    int j = (int)rng_below(r, (uint32_t)k + 1), t = order[k];
    order[k] = order[j]; order[j] = t;
  }
  for (int k = 0; k < 81; k++) {
    int i = order[k];
    uint8_t keep = puzzle[i];
    puzzle[i] = 0;
    grid_t t;
    grid_load(&t, puzzle);
    if (count_solutions(&t, 2, NULL) != 1) puzzle[i] = keep;
  }
}

int main(int argc, char **argv) {
  long count = bench_size(argc, argv, 1600);
  for (int i = 0; i < 81; i++) box_of[i] = (uint8_t)((i / 27) * 3 + (i % 9) / 3);
  rng_t r = {2024};
  uint64_t h = 0, clues = 0;
  int min_clues = 81;
  for (long p = 0; p < count; p++) {
    uint8_t puzzle[81], solution[81], solved[81];
    make_puzzle(&r, puzzle, solution);
    grid_t g;
    if (!grid_load(&g, puzzle)) fail("sudoku", "generated puzzle is inconsistent");
    if (count_solutions(&g, 1, solved) != 1 || memcmp(solved, solution, 81) != 0)
      fail("sudoku", "solver disagrees with the generator");
    int c = 0;
    for (int i = 0; i < 81; i++) c += puzzle[i] != 0;
    clues += (uint64_t)c;
    if (c < min_clues) min_clues = c;
    h = hash_bytes(h, puzzle, 81);
    h = hash_bytes(h, solved, 81);
  }
  printf("sudoku: %ld puzzles, %llu clues in all (fewest %d), %llu search nodes\n", count,
         (unsigned long long)clues, min_clues, (unsigned long long)nodes);
  print_checksum("sudoku", mix64(h, nodes));
  return 0;
}
