/* sort: sorting algorithms over 64-bit integers and strings. Introsort-style quicksort
 * (median of three, insertion sort for small runs), bottom-up merge sort, LSD radix sort
 * and heapsort on the same random keys (each result checked against the others), then a
 * three-way radix quicksort and a merge sort of pointers to strings.
 * SIZE is the number of integer keys in thousands. Modelled on SPEC's sorting-heavy
 * workloads (the sort phases of gcc, xz, and the classic SPEC integer kernels). */
#include "bench.h"

static void insertion(uint64_t *a, long n) {
  for (long i = 1; i < n; i++) {
    uint64_t v = a[i];
    long j = i - 1;
    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}

static void quicksort(uint64_t *a, long n) {
  while (n > 24) {
    long m = n / 2;
    uint64_t x = a[0], y = a[m], z = a[n - 1], p; /* median of three */
    p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    long i = 0, j = n - 1;
    for (;;) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i >= j) break;
      uint64_t t = a[i]; a[i] = a[j]; a[j] = t;
      i++; j--;
    }
    /* Recurse into the smaller half, loop on the larger. */
    if (j + 1 < n - j - 1) { quicksort(a, j + 1); a += j + 1; n -= j + 1; }
    else { quicksort(a + j + 1, n - j - 1); n = j + 1; }
  }
  insertion(a, n);
}

static void mergesort_bu(uint64_t *a, uint64_t *tmp, long n) {
  uint64_t *src = a, *dst = tmp;
  for (long w = 1; w < n; w *= 2) {
    for (long lo = 0; lo < n; lo += 2 * w) {
      long mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      long i = lo, j = mid, k = lo;
      while (i < mid && j < hi) dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    uint64_t *t = src; src = dst; dst = t;
  }
  if (src != a) memcpy(a, src, sizeof(uint64_t) * (size_t)n);
}

static void radixsort(uint64_t *a, uint64_t *tmp, long n) {
  uint64_t *src = a, *dst = tmp;
  for (int shift = 0; shift < 64; shift += 8) {
    long count[257] = {0};
    for (long i = 0; i < n; i++) count[((src[i] >> shift) & 0xff) + 1]++;
    for (int b = 0; b < 256; b++) count[b + 1] += count[b];
    for (long i = 0; i < n; i++) dst[count[(src[i] >> shift) & 0xff]++] = src[i];
    uint64_t *t = src; src = dst; dst = t;
  }
  /* Eight passes: the data ends up back in `a`. */
}

static void heapsort(uint64_t *a, long n) {
  for (long start = n / 2 - 1; start >= 0; start--) {
    long root = start;
    for (;;) {
      long c = 2 * root + 1;
      if (c >= n) break;
      if (c + 1 < n && a[c] < a[c + 1]) c++;
      if (a[root] >= a[c]) break;
      uint64_t t = a[root]; a[root] = a[c]; a[c] = t;
      root = c;
    }
  }
  for (long end = n - 1; end > 0; end--) {
    uint64_t t = a[0]; a[0] = a[end]; a[end] = t;
    long root = 0;
    for (;;) {
      long c = 2 * root + 1;
      if (c >= end) break;
      if (c + 1 < end && a[c] < a[c + 1]) c++;
      if (a[root] >= a[c]) break;
      t = a[root]; a[root] = a[c]; a[c] = t;
      root = c;
    }
  }
}

/* ---- strings ---------------------------------------------------------------------------- */

static inline int cmpstr(const uint8_t *a, const uint8_t *b) {
  while (*a && *a == *b) { a++; b++; }
  return (int)*a - (int)*b;
}

static inline int char_at(const uint8_t *s, size_t d) { return s[d]; }

/* Multikey (three-way radix) quicksort on the d-th character. */
static void mkqs(uint8_t **a, long n, size_t d) {
  while (n > 12) {
    int p = char_at(a[n / 2], d);
    long lt = 0, gt = n - 1, i = 0;
    while (i <= gt) {
      int c = char_at(a[i], d);
      if (c < p) { uint8_t *t = a[lt]; a[lt] = a[i]; a[i] = t; lt++; i++; }
      else if (c > p) { uint8_t *t = a[gt]; a[gt] = a[i]; a[i] = t; gt--; }
      else i++;
    }
    mkqs(a, lt, d);
    mkqs(a + gt + 1, n - gt - 1, d);
    if (p == 0) return; /* the equal run are identical strings */
    a += lt;
    n = gt - lt + 1;
    d++;
  }
  for (long i = 1; i < n; i++) { /* insertion sort on the remaining suffixes */
    uint8_t *v = a[i];
    long j = i - 1;
    while (j >= 0 && cmpstr(a[j] + d, v + d) > 0) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}

static void str_mergesort(uint8_t **a, uint8_t **tmp, long n) {
  if (n < 2) return;
  long m = n / 2;
  str_mergesort(a, tmp, m);
  str_mergesort(a + m, tmp, n - m);
  long i = 0, j = m, k = 0;
  while (i < m && j < n) tmp[k++] = cmpstr(a[i], a[j]) <= 0 ? a[i++] : a[j++];
  while (i < m) tmp[k++] = a[i++];
  while (j < n) tmp[k++] = a[j++];
  memcpy(a, tmp, sizeof(uint8_t *) * (size_t)n);
}

int main(int argc, char **argv) {
  long k = bench_size(argc, argv, 2000);
  long n = k * 1000;
  rng_t r = {31415};
  uint64_t *orig = xmalloc(sizeof(uint64_t) * (size_t)n), *a = xmalloc(sizeof(uint64_t) * (size_t)n);
  uint64_t *b = xmalloc(sizeof(uint64_t) * (size_t)n), *tmp = xmalloc(sizeof(uint64_t) * (size_t)n);
  for (long i = 0; i < n; i++) {
    uint64_t v = rng_next(&r);
    /* Some duplicates and some small values, as real keys have. */
    orig[i] = (i % 7 == 0) ? v % 1000 : v;
  }
  memcpy(a, orig, sizeof(uint64_t) * (size_t)n);
  quicksort(a, n);
  memcpy(b, orig, sizeof(uint64_t) * (size_t)n);
  mergesort_bu(b, tmp, n);
  if (memcmp(a, b, sizeof(uint64_t) * (size_t)n)) fail("sort", "mergesort != quicksort");
  memcpy(b, orig, sizeof(uint64_t) * (size_t)n);
  radixsort(b, tmp, n);
  if (memcmp(a, b, sizeof(uint64_t) * (size_t)n)) fail("sort", "radix sort != quicksort");
  memcpy(b, orig, sizeof(uint64_t) * (size_t)n);
  heapsort(b, n);
  if (memcmp(a, b, sizeof(uint64_t) * (size_t)n)) fail("sort", "heapsort != quicksort");
  for (long i = 1; i < n; i++)
    if (a[i - 1] > a[i]) fail("sort", "not sorted");
  uint64_t h = hash_bytes(0, a, sizeof(uint64_t) * (size_t)n);

  /* Strings with shared prefixes, as in a dictionary or a log. */
  long ns = n / 4;
  static const char *prefix[] = {"", "http://", "http://www.", "user_", "user_id_", "zz"};
  uint8_t *pool = xmalloc((size_t)ns * 32);
  uint8_t **s1 = xmalloc(sizeof(uint8_t *) * (size_t)ns), **s2 = xmalloc(sizeof(uint8_t *) * (size_t)ns);
  uint8_t **st = xmalloc(sizeof(uint8_t *) * (size_t)ns);
  for (long i = 0; i < ns; i++) {
    uint8_t *s = pool + (size_t)i * 32;
    const char *p = prefix[rng_below(&r, 6)];
    size_t len = strlen(p);
    memcpy(s, p, len);
    size_t extra = 1 + rng_below(&r, 12);
    for (size_t j = 0; j < extra; j++) s[len++] = (uint8_t)('a' + rng_below(&r, 6));
    s[len] = 0;
    s1[i] = s2[i] = s;
  }
  mkqs(s1, ns, 0);
  str_mergesort(s2, st, ns);
  for (long i = 0; i < ns; i++) {
    if (cmpstr(s1[i], s2[i]) != 0) fail("sort", "string sorts disagree");
    if (i && cmpstr(s1[i - 1], s1[i]) > 0) fail("sort", "strings not sorted");
  }
  for (long i = 0; i < ns; i += 7) h = hash_bytes(h, s1[i], strlen((const char *)s1[i]));
  printf("sort: %ld integers (min %llu, median %llu), %ld strings (first \"%s\", last \"%s\")\n", n,
         (unsigned long long)a[0], (unsigned long long)a[n / 2], ns, (const char *)s1[0],
         (const char *)s1[ns - 1]);
  print_checksum("sort", h);
  return 0;
}
