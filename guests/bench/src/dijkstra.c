/* dijkstra: single-source shortest paths with an indexed binary heap (decrease-key) on a
 * generated road-like graph (a grid with local detours and a few long highways) stored
 * in compressed sparse rows, from several sources, plus a BFS hop count.
 * SIZE is the number of vertices in thousands. Modelled on SPEC's graph/route
 * workloads (mcf, omnetpp's routing, astar). */
#include "bench.h"

typedef struct {
  uint32_t n, m;
  uint32_t *start; /* n + 1 */
  uint32_t *to;    /* m */
  uint32_t *w;     /* m */
} graph_t;

static graph_t make_graph(uint32_t n, uint64_t seed) {
  rng_t r = {seed};
  uint32_t side = 1;
  while (side * side < n) side++;
  /* Edge list first (as pairs), then counting sort into CSR. */
  uint32_t cap = n * 8 + 16, m = 0;
  uint32_t *eu = xmalloc(sizeof(uint32_t) * cap), *ev = xmalloc(sizeof(uint32_t) * cap);
  uint32_t *ew = xmalloc(sizeof(uint32_t) * cap);
#define EDGE(a, b, wt)                                    \
  do {                                                    \
    uint32_t wt_ = (wt);                                  \
    eu[m] = (a); ev[m] = (b); ew[m] = wt_; m++;           \
    eu[m] = (b); ev[m] = (a); ew[m] = wt_; m++;           \
  } while (0)
  for (uint32_t v = 0; v < n; v++) {
    uint32_t x = v % side, y = v / side;
    if (x + 1 < side && v + 1 < n && rng_below(&r, 10) < 9) EDGE(v, v + 1, 10 + rng_below(&r, 90));
    if (v + side < n && rng_below(&r, 10) < 9) EDGE(v, v + side, 10 + rng_below(&r, 90));
    (void)y;
    if (rng_below(&r, 4) == 0) { /* a local detour within a few blocks */
      int32_t dx = (int32_t)rng_below(&r, 7) - 3, dy = (int32_t)rng_below(&r, 7) - 3;
      int64_t u = (int64_t)v + dx + (int64_t)dy * side;
      if (u >= 0 && u < n && u != v) EDGE(v, (uint32_t)u, 30 + rng_below(&r, 200));
    }
    if (rng_below(&r, 64) == 0) { /* a highway */
      uint32_t u = rng_below(&r, n);
      if (u != v) EDGE(v, u, 200 + rng_below(&r, 2000));
    }
  }
#undef EDGE
  graph_t g;
  g.n = n;
  g.m = m;
  g.start = xcalloc(n + 1, sizeof(uint32_t));
  g.to = xmalloc(sizeof(uint32_t) * m);
  g.w = xmalloc(sizeof(uint32_t) * m);
  for (uint32_t e = 0; e < m; e++) g.start[eu[e] + 1]++;
  for (uint32_t v = 0; v < n; v++) g.start[v + 1] += g.start[v];
  uint32_t *fill = xmalloc(sizeof(uint32_t) * n);
  memcpy(fill, g.start, sizeof(uint32_t) * n);
  for (uint32_t e = 0; e < m; e++) {
    uint32_t k = fill[eu[e]]++;
    g.to[k] = ev[e];
    g.w[k] = ew[e];
  }
  free(fill); free(eu); free(ev); free(ew);
  return g;
}

/* Indexed binary min-heap over vertex ids keyed by dist[]. */
typedef struct {
  uint32_t *heap, *pos; /* pos[v] = index in heap, or UINT32_MAX */
  uint32_t size;
  const uint64_t *key;
} heap_t;

static inline void heap_swap(heap_t *h, uint32_t i, uint32_t j) {
  uint32_t a = h->heap[i], b = h->heap[j];
  h->heap[i] = b; h->heap[j] = a;
  h->pos[b] = i; h->pos[a] = j;
}

static void sift_up(heap_t *h, uint32_t i) {
  while (i > 0) {
    uint32_t p = (i - 1) / 2;
    if (h->key[h->heap[p]] <= h->key[h->heap[i]]) break;
    heap_swap(h, i, p);
    i = p;
  }
}

static void sift_down(heap_t *h, uint32_t i) {
  for (;;) {
    uint32_t l = 2 * i + 1, r = l + 1, s = i;
    if (l < h->size && h->key[h->heap[l]] < h->key[h->heap[s]]) s = l;
    if (r < h->size && h->key[h->heap[r]] < h->key[h->heap[s]]) s = r;
    if (s == i) return;
    heap_swap(h, i, s);
    i = s;
  }
}

static uint64_t dijkstra(const graph_t *g, uint32_t src, uint64_t *dist, uint32_t *pred, heap_t *h) {
  const uint64_t INF = UINT64_MAX;
  for (uint32_t v = 0; v < g->n; v++) { dist[v] = INF; pred[v] = UINT32_MAX; h->pos[v] = UINT32_MAX; }
  h->size = 0;
  h->key = dist;
  dist[src] = 0;
  h->heap[0] = src; h->pos[src] = 0; h->size = 1;
  uint64_t settled = 0, relax = 0;
  while (h->size) {
    uint32_t u = h->heap[0];
    h->size--;
    h->pos[u] = UINT32_MAX - 1; /* settled */
    if (h->size) {
      h->heap[0] = h->heap[h->size];
      h->pos[h->heap[0]] = 0;
      sift_down(h, 0);
    }
    settled++;
    uint64_t du = dist[u];
    for (uint32_t e = g->start[u]; e < g->start[u + 1]; e++) {
      uint32_t v = g->to[e];
      uint64_t nd = du + g->w[e];
      if (nd < dist[v]) {
        relax++;
        dist[v] = nd;
        pred[v] = u;
        if (h->pos[v] == UINT32_MAX) {
          h->heap[h->size] = v;
          h->pos[v] = h->size++;
          sift_up(h, h->pos[v]);
        } else {
          sift_up(h, h->pos[v]);
        }
      }
    }
  }
  return settled * 1000003u + relax;
}

static uint32_t bfs_ecc(const graph_t *g, uint32_t src, uint32_t *level, uint32_t *queue) {
  for (uint32_t v = 0; v < g->n; v++) level[v] = UINT32_MAX;
  uint32_t qh = 0, qt = 0, maxl = 0;
  level[src] = 0;
  queue[qt++] = src;
  while (qh < qt) {
    uint32_t u = queue[qh++];
    for (uint32_t e = g->start[u]; e < g->start[u + 1]; e++) {
      uint32_t v = g->to[e];
      if (level[v] == UINT32_MAX) {
        level[v] = level[u] + 1;
        if (level[v] > maxl) maxl = level[v];
        queue[qt++] = v;
      }
    }
  }
  return maxl;
}

int main(int argc, char **argv) {
  long kv = bench_size(argc, argv, 400);
  uint32_t n = (uint32_t)kv * 1000;
  graph_t g = make_graph(n, 777);
  uint64_t *dist = xmalloc(sizeof(uint64_t) * n);
  uint32_t *pred = xmalloc(sizeof(uint32_t) * n);
  heap_t h = {xmalloc(sizeof(uint32_t) * n), xmalloc(sizeof(uint32_t) * n), 0, dist};

  rng_t r = {4242};
  uint64_t hsum = 0;
  const int sources = 8;
  uint64_t total_reach = 0, far = 0;
  for (int s = 0; s < sources; s++) {
    uint32_t src = rng_below(&r, n);
    hsum = mix64(hsum, dijkstra(&g, src, dist, pred, &h));
    uint64_t sum = 0, maxd = 0, reach = 0;
    for (uint32_t v = 0; v < n; v++) {
      if (dist[v] == UINT64_MAX) continue;
      reach++;
      sum += dist[v];
      if (dist[v] > maxd) maxd = dist[v];
      hsum = mix64(hsum, dist[v] ^ ((uint64_t)pred[v] << 40));
    }
    total_reach += reach;
    if (maxd > far) far = maxd;
    hsum = mix64(hsum, sum);
  }
  uint32_t *level = xmalloc(sizeof(uint32_t) * n), *queue = xmalloc(sizeof(uint32_t) * n);
  uint32_t ecc = bfs_ecc(&g, 0, level, queue);
  hsum = mix64(hsum, ecc);
  printf("dijkstra: %u vertices, %u arcs, %d sources, %llu reached, farthest %llu, bfs depth %u\n",
         g.n, g.m, sources, (unsigned long long)total_reach, (unsigned long long)far, ecc);
  print_checksum("dijkstra", hsum);
  return 0;
}
