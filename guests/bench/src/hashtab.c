/* hashtab: hash tables with linked, individually allocated nodes. A word-frequency
 * count over generated text with string keys (separate chaining, growth by rehashing),
 * then an integer-keyed table under a mixed insert / lookup / delete load, with every
 * node taken from and returned to malloc. SIZE is the number of operations in
 * thousands. Modelled on SPEC's pointer-heavy workloads (perlbench's hashes, gcc's
 * symbol tables, xalancbmk's string pools). */
#include "bench.h"

/* ---- string-keyed table -------------------------------------------------------------- */

typedef struct snode {
  struct snode *next;
  uint64_t hash;
  uint32_t count, len;
  char key[]; /* not NUL-terminated */
} snode_t;

typedef struct {
  snode_t **b;
  size_t nb, n;
} stab_t;

static uint64_t fnv1a(const uint8_t *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) { h ^= s[i]; h *= 0x100000001b3ULL; }
  return h;
}

static void stab_grow(stab_t *t) {
  size_t nb = t->nb * 2;
  snode_t **b = xcalloc(nb, sizeof *b);
  for (size_t i = 0; i < t->nb; i++) {
    snode_t *e = t->b[i];
    while (e) {
      snode_t *next = e->next;
      size_t k = e->hash & (nb - 1);
      e->next = b[k];
      b[k] = e;
      e = next;
    }
  }
  free(t->b);
  t->b = b;
  t->nb = nb;
}

static snode_t *stab_add(stab_t *t, const uint8_t *key, size_t len) {
  uint64_t h = fnv1a(key, len);
  snode_t **slot = &t->b[h & (t->nb - 1)];
  for (snode_t *e = *slot; e; e = e->next)
    if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0) { e->count++; return e; }
  snode_t *e = xmalloc(sizeof *e + len);
  e->hash = h;
  e->len = (uint32_t)len;
  e->count = 1;
  memcpy(e->key, key, len);
  e->next = *slot;
  *slot = e;
  if (++t->n > t->nb) stab_grow(t);
  return e;
}

/* ---- integer-keyed table --------------------------------------------------------------- */

typedef struct inode {
  struct inode *next;
  uint64_t key, value;
} inode_t;

typedef struct {
  inode_t **b;
  size_t nb, n;
} itab_t;

static inline size_t ihash(uint64_t k, size_t nb) {
  k ^= k >> 29; k *= 0xbf58476d1ce4e5b9ULL; k ^= k >> 32;
  return (size_t)k & (nb - 1);
}

static void itab_resize(itab_t *t, size_t nb) {
  inode_t **b = xcalloc(nb, sizeof *b);
  for (size_t i = 0; i < t->nb; i++) {
    inode_t *e = t->b[i];
    while (e) {
      inode_t *next = e->next;
      size_t k = ihash(e->key, nb);
      e->next = b[k];
      b[k] = e;
      e = next;
    }
  }
  free(t->b);
  t->b = b;
  t->nb = nb;
}

static int itab_put(itab_t *t, uint64_t key, uint64_t value) {
  inode_t **slot = &t->b[ihash(key, t->nb)];
  for (inode_t *e = *slot; e; e = e->next)
    if (e->key == key) { e->value = value; return 0; }
  inode_t *e = xmalloc(sizeof *e);
  e->key = key;
  e->value = value;
  e->next = *slot;
  *slot = e;
  if (++t->n > t->nb * 2) itab_resize(t, t->nb * 2);
  return 1;
}

static inode_t *itab_get(const itab_t *t, uint64_t key) {
  for (inode_t *e = t->b[ihash(key, t->nb)]; e; e = e->next)
    if (e->key == key) return e;
  return NULL;
}

static int itab_del(itab_t *t, uint64_t key) {
  inode_t **p = &t->b[ihash(key, t->nb)];
  for (; *p; p = &(*p)->next) {
    if ((*p)->key == key) {
      inode_t *e = *p;
      *p = e->next;
      free(e);
      t->n--;
      if (t->nb > 64 && t->n < t->nb / 4) itab_resize(t, t->nb / 2);
      return 1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  long kops = bench_size(argc, argv, 4000);
  size_t ops = (size_t)kops * 1000;
  rng_t r = {555};

  /* Words: a vocabulary whose size grows with the run, sampled with a skew. */
  size_t vocab = ops / 8 + 100;
  uint8_t (*words)[12] = xmalloc(vocab * sizeof *words);
  uint8_t *wlen = xmalloc(vocab);
  for (size_t w = 0; w < vocab; w++) {
    size_t len = 3 + rng_below(&r, 9);
    for (size_t i = 0; i < len; i++) words[w][i] = (uint8_t)('a' + rng_below(&r, 26));
    wlen[w] = (uint8_t)len;
  }
  stab_t st = {xcalloc(16, sizeof(snode_t *)), 16, 0};
  uint32_t topcount = 0;
  for (size_t i = 0; i < ops; i++) {
    uint32_t a = rng_below(&r, (uint32_t)vocab), b = rng_below(&r, (uint32_t)vocab);
    size_t w = (size_t)a * b / vocab;
    snode_t *e = stab_add(&st, words[w], wlen[w]);
    if (e->count > topcount) topcount = e->count;
  }
  uint64_t h = 0;
  for (size_t i = 0; i < st.nb; i++) /* order-independent digest of the counts */
    for (snode_t *e = st.b[i]; e; e = e->next) h += mix64(e->hash, e->count);

  /* Integer table: a sliding working set with lookups, updates and deletes. */
  itab_t it = {xcalloc(64, sizeof(inode_t *)), 64, 0};
  uint64_t hits = 0, misses = 0, inserted = 0, deleted = 0, vsum = 0;
  uint64_t span = ops / 4 + 64;
  for (size_t i = 0; i < ops; i++) {
    uint64_t base = i / 2;
    uint64_t key = (base + rng_below(&r, (uint32_t)span)) * 0x9e3779b97f4a7c15ULL;
    switch (rng_below(&r, 8)) {
    case 0: case 1: case 2:
      inserted += (uint64_t)itab_put(&it, key, i);
      break;
    case 3:
      deleted += (uint64_t)itab_del(&it, (base + rng_below(&r, 64)) * 0x9e3779b97f4a7c15ULL);
      break;
    default: {
      inode_t *e = itab_get(&it, key);
      if (e) { hits++; vsum += e->value; } else misses++;
    }
    }
  }
  h = mix64(h, st.n);
  h = mix64(h, it.n);
  h = mix64(h, hits);
  h = mix64(h, vsum);
  h = mix64(h, inserted * 31 + deleted);
  printf("hashtab: %zu words, %zu distinct, top count %u; ints: %zu live, %llu hits, %llu misses, "
         "%llu deleted\n",
         ops, st.n, topcount, it.n, (unsigned long long)hits, (unsigned long long)misses,
         (unsigned long long)deleted);
  print_checksum("hashtab", h);
  return 0;
}
