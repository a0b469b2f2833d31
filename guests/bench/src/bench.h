/* Shared helpers for the rvwasm benchmark workloads (guests/bench).
 *
 * Every workload takes one optional argument, a size, and prints a few lines ending
 * with "NAME: checksum XXXXXXXXXXXXXXXX". The output must be identical when the program
 * is built for x86-64 and for riscv64, so everything here is explicitly sized, uses
 * unsigned arithmetic where it may wrap, and never depends on the signedness of char. */
#ifndef RVWASM_BENCH_H
#define RVWASM_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: small, fast, and the same on every 64-bit target. */
typedef struct { uint64_t s; } rng_t;

static inline uint64_t rng_next(rng_t *r) {
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Uniform in [0, n) for n > 0 (multiply-shift; bias is irrelevant here). */
static inline uint32_t rng_below(rng_t *r, uint32_t n) {
  return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform double in [0, 1) built from 53 random bits: exact on every target. */
static inline double rng_unit(rng_t *r) {
  return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Order-dependent 64-bit hash combiner (a round of a multiply-xorshift mixer). */
static inline uint64_t mix64(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 33);
}

static inline uint64_t hash_bytes(uint64_t h, const void *p, size_t n) {
  const uint8_t *b = (const uint8_t *)p;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, b + i, 8);
    h = mix64(h, w);
  }
  uint64_t tail = 0;
  for (size_t k = 0; i < n; i++, k++) tail |= (uint64_t)b[i] << (8 * k);
  return mix64(h, tail ^ ((uint64_t)n << 56));
}

static inline uint64_t hash_double(uint64_t h, double d) {
  uint64_t bits;
  memcpy(&bits, &d, 8);
  return mix64(h, bits);
}

/* The size argument: argv[1] if given (a positive integer), else `def`. */
static inline long bench_size(int argc, char **argv, long def) {
  if (argc < 2) return def;
  char *end;
  long v = strtol(argv[1], &end, 10);
  if (*end != '\0' || v <= 0) {
    fprintf(stderr, "usage: %s [SIZE]  (SIZE a positive integer)\n", argv[0]);
    exit(2);
  }
  return v;
}

static inline void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fprintf(stderr, "out of memory (%zu bytes)\n", n);
    exit(3);
  }
  return p;
}

static inline void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) {
    fprintf(stderr, "out of memory (%zu x %zu bytes)\n", n, size);
    exit(3);
  }
  return p;
}

static inline void print_checksum(const char *name, uint64_t h) {
  printf("%s: checksum %016llx\n", name, (unsigned long long)h);
}

static inline void fail(const char *name, const char *what) {
  fprintf(stderr, "%s: self-check failed: %s\n", name, what);
  exit(1);
}

#endif
