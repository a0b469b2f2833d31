/* compress: LZ77 (hash chains, 32 KiB window) + canonical Huffman coding of the tokens
 * with deflate's length/distance alphabets, then a full decode and a byte-for-byte check.
 * SIZE is the input size in KiB; the input is generated text with some binary noise.
 * Modelled on SPEC's compression workloads (gzip, bzip2, xz). */
#include "bench.h"

#define WBITS 15
#define WSIZE (1u << WBITS)
#define WMASK (WSIZE - 1)
#define HBITS 15
#define HSIZE (1u << HBITS)
#define MINM 3
#define MAXM 258
#define NLIT 286
#define NDIST 30
#define MAXBITS 15
#define BLOCK_TOKENS 32768

static const uint16_t len_base[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
                                       193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
                                       6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static uint8_t len_code[MAXM + 1]; /* match length -> index into len_base */

static void init_tables(void) {
  for (int c = 0; c < 29; c++) {
    int hi = c == 28 ? 258 : len_base[c] + (1 << len_extra[c]) - 1;
    for (int l = len_base[c]; l <= hi && l <= MAXM; l++) len_code[l] = (uint8_t)c;
  }
  len_code[258] = 28;
}

static int dist_code(uint32_t d) {
  int lo = 0, hi = 29;
  while (lo < hi) { /* largest c with dist_base[c] <= d */
    int mid = (lo + hi + 1) / 2;
    if (dist_base[mid] <= d) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/* ---- input generation ------------------------------------------------------------ */

static void gen_input(uint8_t *buf, size_t n, uint64_t seed) {
  static const char *syl[] = {"ka", "lo", "mi", "ne", "ru", "ta", "sho", "en", "ar", "qu",
                              "ix", "on", "the", "ble", "str", "ing", "pre", "com", "ver", "al"};
  char words[512][16];
  rng_t r = {seed};
  for (int w = 0; w < 512; w++) {
    int ns = 1 + (int)rng_below(&r, 4), len = 0;
    for (int s = 0; s < ns; s++) {
      const char *p = syl[rng_below(&r, 20)];
      while (*p && len < 15) words[w][len++] = *p++;
    }
    words[w][len] = 0;
  }
  size_t i = 0;
  while (i < n) {
    uint32_t kind = rng_below(&r, 100);
    if (kind == 0) { /* a run of skewed binary noise */
      size_t run = 64 + rng_below(&r, 192);
      for (size_t k = 0; k < run && i < n; k++) {
        uint64_t x = rng_next(&r);
        buf[i++] = (uint8_t)((x & 0xff) & ((x >> 8) & 0xff));
      }
    } else {
      /* Zipf-like word choice: product of two uniforms favours small indices. */
      uint32_t a = rng_below(&r, 512), b = rng_below(&r, 512);
      const char *p = words[(a * b) >> 9];
      while (*p && i < n) buf[i++] = (uint8_t)*p++;
      if (i < n) buf[i++] = kind < 8 ? (kind < 2 ? '\n' : ',') : ' ';
    }
  }
}

/* ---- bit I/O ------------------------------------------------------------------------ */

typedef struct { uint8_t *buf; size_t pos; uint64_t acc; int n; } bitw_t;

static inline void putbits(bitw_t *w, uint32_t v, int n) {
  w->acc |= (uint64_t)v << w->n;
  w->n += n;
  while (w->n >= 8) {
    w->buf[w->pos++] = (uint8_t)w->acc;
    w->acc >>= 8;
    w->n -= 8;
  }
}

static void flushbits(bitw_t *w) {
  if (w->n > 0) w->buf[w->pos++] = (uint8_t)w->acc;
  w->acc = 0;
  w->n = 0;
}

typedef struct { const uint8_t *buf; size_t pos, len; uint64_t acc; int n; } bitr_t;

static inline uint32_t getbits(bitr_t *r, int need) {
  while (r->n < need) {
    uint64_t byte = r->pos < r->len ? r->buf[r->pos] : 0;
    r->pos++;
    r->acc |= byte << r->n;
    r->n += 8;
  }
  uint32_t v = (uint32_t)(r->acc & ((1u << need) - 1));
  r->acc >>= need;
  r->n -= need;
  return v;
}

/* ---- Huffman ------------------------------------------------------------------------ */

/* Code lengths for `n` symbols with frequencies `freq_in`, limited to MAXBITS by
 * flattening the frequencies until the tree is shallow enough. */
static void huff_lengths(const uint32_t *freq_in, int n, uint8_t *len) {
  uint32_t freq[NLIT];
  int sym[NLIT], par[2 * NLIT], dep[2 * NLIT];
  uint64_t w[2 * NLIT];
  memcpy(freq, freq_in, sizeof(uint32_t) * (size_t)n);
  for (;;) {
    int m = 0;
    for (int i = 0; i < n; i++) {
      len[i] = 0;
      if (freq[i]) sym[m++] = i;
    }
    if (m == 0) return;
    if (m == 1) { len[sym[0]] = 1; return; }
    for (int i = 1; i < m; i++) { /* insertion sort by (freq, symbol) */
      int s = sym[i], j = i - 1;
      while (j >= 0 && freq[sym[j]] > freq[s]) { sym[j + 1] = sym[j]; j--; }
      sym[j + 1] = s;
    }
    for (int i = 0; i < m; i++) w[i] = freq[sym[i]];
    int lq = 0, iq = m, next = m;
    while (next < 2 * m - 1) { /* two-queue Huffman construction */
      int pick[2];
      for (int k = 0; k < 2; k++) {
        if (lq < m && (iq >= next || w[lq] <= w[iq])) pick[k] = lq++;
        else pick[k] = iq++;
      }
      w[next] = w[pick[0]] + w[pick[1]];
      par[pick[0]] = par[pick[1]] = next;
      next++;
    }
    dep[2 * m - 2] = 0;
    for (int i = 2 * m - 3; i >= 0; i--) dep[i] = dep[par[i]] + 1;
    int maxd = 0;
    for (int i = 0; i < m; i++) {
      len[sym[i]] = (uint8_t)dep[i];
      if (dep[i] > maxd) maxd = dep[i];
    }
    if (maxd <= MAXBITS) return;
    for (int i = 0; i < n; i++)
      if (freq[i]) freq[i] = (freq[i] >> 1) | 1;
  }
}

/* Canonical codes, bit-reversed so they can be written LSB-first. */
static void huff_codes(const uint8_t *len, int n, uint16_t *rcode) {
  int count[MAXBITS + 1] = {0}, next[MAXBITS + 2];
  for (int i = 0; i < n; i++) count[len[i]]++;
  count[0] = 0;
  int code = 0;
  for (int b = 1; b <= MAXBITS; b++) {
    code = (code + count[b - 1]) << 1;
    next[b] = code;
  }
  for (int i = 0; i < n; i++) {
    if (!len[i]) continue;
    uint32_t c = (uint32_t)next[len[i]]++, r = 0;
    for (int b = 0; b < len[i]; b++) r |= ((c >> b) & 1u) << (len[i] - 1 - b);
    rcode[i] = (uint16_t)r;
  }
}

typedef struct { uint16_t count[MAXBITS + 1]; uint16_t symbol[NLIT]; } huff_t;

static void huff_build(huff_t *h, const uint8_t *len, int n) {
  uint16_t offs[MAXBITS + 2];
  memset(h->count, 0, sizeof h->count);
  for (int s = 0; s < n; s++) h->count[len[s]]++;
  offs[1] = 0;
  for (int l = 1; l < MAXBITS; l++) offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
  for (int s = 0; s < n; s++)
    if (len[s]) h->symbol[offs[len[s]]++] = (uint16_t)s;
}

static int huff_decode(bitr_t *r, const huff_t *h) {
  int code = 0, first = 0, index = 0;
  for (int l = 1; l <= MAXBITS; l++) {
    code |= (int)getbits(r, 1);
    int count = h->count[l];
    if (code - count < first) return h->symbol[index + (code - first)];
    index += count;
    first += count;
    first <<= 1;
    code <<= 1;
  }
  return -1;
}

/* ---- LZ77 ----------------------------------------------------------------------- */

static inline uint32_t hash3(const uint8_t *p) {
  uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
  return (v * 2654435761u) >> (32 - HBITS);
}

/* Tokens: a literal byte (< 256) or (length << 16 | distance). */
static size_t lz77(const uint8_t *in, size_t n, uint32_t *tok, int max_chain) {
  static int32_t head[HSIZE], prev[WSIZE];
  for (uint32_t i = 0; i < HSIZE; i++) head[i] = -1;
  size_t i = 0, nt = 0;
#define INSERT(j)                                   \
  do {                                              \
    if ((j) + MINM <= n) {                          \
      uint32_t hh = hash3(in + (j));                \
      prev[(j) & WMASK] = head[hh];                 \
      head[hh] = (int32_t)(j);                      \
    }                                               \
  } while (0)
  while (i < n) {
    size_t best_len = 0, best_dist = 0;
    if (i + MINM <= n) {
      size_t maxl = n - i < MAXM ? n - i : MAXM;
      int32_t p = head[hash3(in + i)];
      int chain = max_chain;
      while (p >= 0 && i - (size_t)p < WSIZE && chain-- > 0) {
        const uint8_t *a = in + p, *b = in + i;
        if (a[best_len] == b[best_len] && a[0] == b[0]) {
          size_t l = 0;
          while (l < maxl && a[l] == b[l]) l++;
          if (l > best_len) {
            best_len = l;
            best_dist = i - (size_t)p;
            if (l == maxl) break;
          }
        }
        p = prev[p & WMASK];
      }
    }
    if (best_len >= MINM) {
      tok[nt++] = (uint32_t)(best_len << 16 | best_dist);
      for (size_t k = 0; k < best_len; k++) INSERT(i + k);
      i += best_len;
    } else {
      tok[nt++] = in[i];
      INSERT(i);
      i++;
    }
  }
#undef INSERT
  return nt;
}

/* ---- block coder ------------------------------------------------------------------ */

static size_t encode(const uint32_t *tok, size_t nt, uint8_t *out) {
  bitw_t w = {out, 0, 0, 0};
  for (size_t start = 0; start < nt || start == 0; start += BLOCK_TOKENS) {
    size_t end = start + BLOCK_TOKENS < nt ? start + BLOCK_TOKENS : nt;
    uint32_t lf[NLIT] = {0}, df[NDIST] = {0};
    for (size_t t = start; t < end; t++) {
      uint32_t v = tok[t];
      if (v < 256) lf[v]++;
      else {
        lf[257 + len_code[v >> 16]]++;
        df[dist_code(v & 0xffff)]++;
      }
    }
    lf[256] = 1;
    uint8_t ll[NLIT], dl[NDIST];
    uint16_t lc[NLIT], dc[NDIST];
    huff_lengths(lf, NLIT, ll);
    huff_lengths(df, NDIST, dl);
    huff_codes(ll, NLIT, lc);
    huff_codes(dl, NDIST, dc);
    putbits(&w, end >= nt, 1);
    for (int s = 0; s < NLIT; s++) putbits(&w, ll[s], 4);
    for (int s = 0; s < NDIST; s++) putbits(&w, dl[s], 4);
    for (size_t t = start; t < end; t++) {
      uint32_t v = tok[t];
      if (v < 256) {
        putbits(&w, lc[v], ll[v]);
      } else {
        uint32_t l = v >> 16, d = v & 0xffff;
        int c = len_code[l], dcode = dist_code(d);
        putbits(&w, lc[257 + c], ll[257 + c]);
        if (len_extra[c]) putbits(&w, l - len_base[c], len_extra[c]);
        putbits(&w, dc[dcode], dl[dcode]);
        if (dist_extra[dcode]) putbits(&w, d - dist_base[dcode], dist_extra[dcode]);
      }
    }
    putbits(&w, lc[256], ll[256]);
    if (end >= nt) break;
  }
  flushbits(&w);
  return w.pos;
}

static size_t decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap) {
  bitr_t r = {in, 0, n, 0, 0};
  size_t o = 0;
  static huff_t lh, dh;
  for (;;) {
    int last = (int)getbits(&r, 1);
    uint8_t ll[NLIT], dl[NDIST];
    for (int s = 0; s < NLIT; s++) ll[s] = (uint8_t)getbits(&r, 4);
    for (int s = 0; s < NDIST; s++) dl[s] = (uint8_t)getbits(&r, 4);
    huff_build(&lh, ll, NLIT);
    huff_build(&dh, dl, NDIST);
    for (;;) {
      int s = huff_decode(&r, &lh);
      if (s < 0) fail("compress", "bad literal/length code");
      if (s < 256) {
        if (o >= cap) fail("compress", "output overflow");
        out[o++] = (uint8_t)s;
      } else if (s == 256) {
        break;
      } else {
        int c = s - 257;
        uint32_t l = len_base[c] + (len_extra[c] ? getbits(&r, len_extra[c]) : 0);
        int dcode = huff_decode(&r, &dh);
        if (dcode < 0) fail("compress", "bad distance code");
        uint32_t d = dist_base[dcode] + (dist_extra[dcode] ? getbits(&r, dist_extra[dcode]) : 0);
        if (d > o || o + l > cap) fail("compress", "bad match");
        for (uint32_t k = 0; k < l; k++, o++) out[o] = out[o - d];
      }
    }
    if (last) break;
  }
  return o;
}

int main(int argc, char **argv) {
  long kib = bench_size(argc, argv, 16384);
  size_t n = (size_t)kib * 1024;
  init_tables();
  uint8_t *in = xmalloc(n), *back = xmalloc(n);
  uint32_t *tok = xmalloc(sizeof(uint32_t) * (n + 1));
  uint8_t *out = xmalloc(n + n / 2 + 1024);
  gen_input(in, n, 12345);

  uint64_t h = 0;
  static const int chains[2] = {8, 64};
  for (int pass = 0; pass < 2; pass++) {
    size_t nt = lz77(in, n, tok, chains[pass]);
    size_t clen = encode(tok, nt, out);
    size_t dlen = decode(out, clen, back, n);
    if (dlen != n || memcmp(in, back, n) != 0) fail("compress", "round trip differs");
    printf("compress: chain %d: %zu bytes -> %zu tokens -> %zu bytes\n", chains[pass], n, nt, clen);
    h = hash_bytes(h, out, clen);
    h = mix64(h, nt);
  }
  h = hash_bytes(h, back, n);
  print_checksum("compress", h);
  free(in); free(back); free(tok); free(out);
  return 0;
}
