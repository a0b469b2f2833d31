/* tree: pointer-chasing over linked structures. An order-statistics treap (insert,
 * delete, search, k-th element and rank queries) on heap-allocated nodes, then a singly
 * linked list whose nodes are linked in a shuffled order, traversed repeatedly and
 * sorted with a linked-list merge sort. SIZE is the number of tree operations in
 * thousands. Modelled on SPEC's pointer-chasing workloads (mcf, omnetpp, xalancbmk). */
#include "bench.h"

typedef struct tnode {
  struct tnode *l, *r;
  uint64_t key;
  uint32_t prio, size;
} tnode_t;

static inline uint32_t sz(const tnode_t *t) { return t ? t->size : 0; }
static inline void upd(tnode_t *t) { t->size = 1 + sz(t->l) + sz(t->r); }

/* Split into keys < k and keys >= k. */
static void split(tnode_t *t, uint64_t k, tnode_t **a, tnode_t **b) {
  if (!t) { *a = *b = NULL; return; }
  if (t->key < k) { split(t->r, k, &t->r, b); *a = t; }
  else { split(t->l, k, a, &t->l); *b = t; }
  upd(t);
}

static tnode_t *merge(tnode_t *a, tnode_t *b) {
  if (!a) return b;
  if (!b) return a;
  if (a->prio > b->prio) { a->r = merge(a->r, b); upd(a); return a; }
  b->l = merge(a, b->l);
  upd(b);
  return b;
}

static int contains(const tnode_t *t, uint64_t k) {
  while (t) {
    if (k == t->key) return 1;
    t = k < t->key ? t->l : t->r;
  }
  return 0;
}

static tnode_t *insert(tnode_t *t, tnode_t *n) {
  if (!t) return n;
  if (n->prio > t->prio) {
    split(t, n->key, &n->l, &n->r);
    upd(n);
    return n;
  }
  if (n->key < t->key) t->l = insert(t->l, n);
  else t->r = insert(t->r, n);
  upd(t);
  return t;
}

static tnode_t *erase(tnode_t *t, uint64_t k, int *done) {
  if (!t) return NULL;
  if (t->key == k) {
    tnode_t *m = merge(t->l, t->r);
    free(t);
    *done = 1;
    return m;
  }
  if (k < t->key) t->l = erase(t->l, k, done);
  else t->r = erase(t->r, k, done);
  upd(t);
  return t;
}

static uint64_t kth(const tnode_t *t, uint32_t k) { /* 0-based */
  for (;;) {
    uint32_t ls = sz(t->l);
    if (k < ls) t = t->l;
    else if (k == ls) return t->key;
    else { k -= ls + 1; t = t->r; }
  }
}

static uint32_t rank_of(const tnode_t *t, uint64_t k) { /* number of keys < k */
  uint32_t r = 0;
  while (t) {
    if (k <= t->key) t = t->l;
    else { r += sz(t->l) + 1; t = t->r; }
  }
  return r;
}

static uint32_t height(const tnode_t *t) {
  if (!t) return 0;
  uint32_t a = height(t->l), b = height(t->r);
  return 1 + (a > b ? a : b);
}

static void free_tree(tnode_t *t) {
  if (!t) return;
  free_tree(t->l);
  free_tree(t->r);
  free(t);
}

/* ---- linked list ---------------------------------------------------------------------- */

typedef struct lnode {
  struct lnode *next;
  uint64_t v;
  uint64_t pad[2]; /* a realistic record size: 32 bytes */
} lnode_t;

static lnode_t *list_sort(lnode_t *head) { /* bottom-up merge sort */
  size_t width = 1;
  for (;;) {
    lnode_t *p = head, *tail = NULL;
    head = NULL;
    size_t merges = 0;
    while (p) {
      merges++;
      lnode_t *q = p;
      size_t ps = 0, qs = width;
      while (ps < width && q) { ps++; q = q->next; }
      while (ps > 0 || (qs > 0 && q)) {
        lnode_t *e;
        if (ps == 0) { e = q; q = q->next; qs--; }
        else if (qs == 0 || !q || p->v <= q->v) { e = p; p = p->next; ps--; }
        else { e = q; q = q->next; qs--; }
        if (tail) tail->next = e; else head = e;
        tail = e;
      }
      p = q;
    }
    tail->next = NULL;
    if (merges <= 1) return head;
    width *= 2;
  }
}

int main(int argc, char **argv) {
  long kops = bench_size(argc, argv, 1200);
  size_t ops = (size_t)kops * 1000;
  rng_t r = {8086};
  tnode_t *root = NULL;
  uint64_t h = 0, found = 0, erased = 0, inserted = 0;
  uint64_t keyspace = ops / 2 + 16;
  for (size_t i = 0; i < ops; i++) {
    uint64_t k = rng_below(&r, (uint32_t)keyspace);
    uint32_t op = rng_below(&r, 10);
    if (op < 4) {
      if (!contains(root, k)) {
        tnode_t *n = xmalloc(sizeof *n);
        n->l = n->r = NULL;
        n->key = k;
        n->prio = (uint32_t)rng_next(&r);
        n->size = 1;
        root = insert(root, n);
        inserted++;
      }
    } else if (op < 6) {
      int done = 0;
      root = erase(root, k, &done);
      erased += (uint64_t)done;
    } else if (op < 8) {
      found += (uint64_t)contains(root, k);
    } else if (root) {
      uint64_t x = kth(root, rng_below(&r, root->size));
      h = mix64(h, x ^ ((uint64_t)rank_of(root, k) << 32));
    }
  }
  uint32_t hgt = height(root), nlive = sz(root);
  h = mix64(h, nlive);
  h = mix64(h, found);

  /* Linked list in shuffled memory order: nodes are allocated in sequence but linked
   * in a random permutation, so every step of a traversal is a cache miss. */
  size_t n = ops / 4 + 16;
  lnode_t *pool = xmalloc(sizeof(lnode_t) * n);
  uint32_t *perm = xmalloc(sizeof(uint32_t) * n);
  for (size_t i = 0; i < n; i++) perm[i] = (uint32_t)i;
  for (size_t i = n - 1; i > 0; i--) {
    uint32_t j = rng_below(&r, (uint32_t)i + 1), t = perm[i];
    perm[i] = perm[j]; perm[j] = t;
  }
  for (size_t i = 0; i < n; i++) {
    lnode_t *e = &pool[perm[i]];
    e->v = rng_next(&r) >> 16;
    e->pad[0] = e->pad[1] = i;
    e->next = i + 1 < n ? &pool[perm[i + 1]] : NULL;
  }
  lnode_t *head = &pool[perm[0]];
  uint64_t lsum = 0;
  for (int pass = 0; pass < 8; pass++)
    for (lnode_t *e = head; e; e = e->next) lsum = lsum * 31 + (e->v ^ (uint64_t)pass);
  head = list_sort(head);
  uint64_t prev = 0, idx = 0;
  for (lnode_t *e = head; e; e = e->next, idx++) {
    if (e->v < prev) fail("tree", "list not sorted");
    prev = e->v;
    if ((idx & 63) == 0) h = mix64(h, e->v ^ e->pad[0]);
  }
  if (idx != n) fail("tree", "list lost nodes");
  h = mix64(h, lsum);
  printf("tree: %zu ops, %llu inserted, %llu erased, %llu found, %u live, height %u; list %zu nodes\n",
         ops, (unsigned long long)inserted, (unsigned long long)erased, (unsigned long long)found, nlive,
         hgt, n);
  print_checksum("tree", h);
  free_tree(root);
  free(pool);
  free(perm);
  return 0;
}
