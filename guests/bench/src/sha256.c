/* sha256: hashing a large buffer. SHA-256 (FIPS 180-4) of the whole buffer and of each
 * 64 KiB chunk, plus XXH64 over the buffer, with both algorithms checked against
 * published test vectors first. SIZE is the buffer size in KiB.
 * Modelled on the crypto and checksum kernels in SPEC (xz's CRC/SHA checks, and the
 * hashing inside perlbench and gcc). */
#include "bench.h"

/* ---- SHA-256 ----------------------------------------------------------------------------- */

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

typedef struct {
  uint32_t h[8];
  uint8_t buf[64];
  size_t fill;
  uint64_t total;
} sha256_t;

static inline uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(uint32_t *h, const uint8_t *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t S1 = ror(e, 6) ^ ror(e, 11) ^ ror(e, 25);
    uint32_t ch = (e & f) ^ (~e & g);
    uint32_t t1 = hh + S1 + ch + K[i] + w[i];
    uint32_t S0 = ror(a, 2) ^ ror(a, 13) ^ ror(a, 22);
    uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    uint32_t t2 = S0 + maj;
    hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256_init(sha256_t *s) {
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, iv, sizeof iv);
  s->fill = 0;
  s->total = 0;
}

static void sha256_update(sha256_t *s, const uint8_t *p, size_t n) {
  s->total += n;
  if (s->fill) {
    size_t take = 64 - s->fill < n ? 64 - s->fill : n;
    memcpy(s->buf + s->fill, p, take);
    s->fill += take; p += take; n -= take;
    if (s->fill < 64) return;
    sha256_block(s->h, s->buf);
    s->fill = 0;
  }
  for (; n >= 64; p += 64, n -= 64) sha256_block(s->h, p);
  memcpy(s->buf, p, n);
  s->fill = n;
}

static void sha256_final(sha256_t *s, uint8_t out[32]) {
  uint64_t bits = s->total * 8;
  uint8_t pad[72] = {0x80};
  size_t padn = (s->fill < 56 ? 56 : 120) - s->fill;
  uint8_t len[8];
  for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update(s, pad, padn);
  sha256_update(s, len, 8);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(s->h[i] >> 24); out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(s->h[i] >> 8); out[4 * i + 3] = (uint8_t)s->h[i];
  }
}

static void hex(const uint8_t *d, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

/* ---- XXH64 ------------------------------------------------------------------------------- */

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static inline uint64_t rol64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static inline uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t xround(uint64_t acc, uint64_t in) { return rol64(acc + in * P2, 31) * P1; }
static inline uint64_t xmerge(uint64_t acc, uint64_t v) { return (acc ^ xround(0, v)) * P1 + P4; }

static uint64_t xxh64(const uint8_t *p, size_t n, uint64_t seed) {
  const uint8_t *end = p + n;
  uint64_t h;
  if (n >= 32) {
    uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
    do {
      v1 = xround(v1, rd64(p)); v2 = xround(v2, rd64(p + 8));
      v3 = xround(v3, rd64(p + 16)); v4 = xround(v4, rd64(p + 24));
      p += 32;
    } while (p + 32 <= end);
    h = rol64(v1, 1) + rol64(v2, 7) + rol64(v3, 12) + rol64(v4, 18);
    h = xmerge(h, v1); h = xmerge(h, v2); h = xmerge(h, v3); h = xmerge(h, v4);
  } else {
    h = seed + P5;
  }
  h += (uint64_t)n;
  for (; p + 8 <= end; p += 8) h = rol64(h ^ xround(0, rd64(p)), 27) * P1 + P4;
  if (p + 4 <= end) { h = rol64(h ^ ((uint64_t)rd32(p) * P1), 23) * P2 + P3; p += 4; }
  for (; p < end; p++) h = rol64(h ^ (*p * P5), 11) * P1;
  h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32;
  return h;
}

int main(int argc, char **argv) {
  long kib = bench_size(argc, argv, 131072);
  size_t n = (size_t)kib << 10;
  char hx[65];
  uint8_t d[32];
  sha256_t s;

  /* FIPS 180-4 example and the empty-input XXH64 value. */
  sha256_init(&s);
  sha256_update(&s, (const uint8_t *)"abc", 3);
  sha256_final(&s, d);
  hex(d, 32, hx);
  if (strcmp(hx, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
    fail("sha256", "SHA-256 test vector");
  if (xxh64((const uint8_t *)"", 0, 0) != 0xEF46DB3751D8E999ULL) fail("sha256", "XXH64 test vector");

  uint8_t *buf = xmalloc(n);
  rng_t r = {271828};
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t v = rng_next(&r);
    memcpy(buf + i, &v, 8);
  }
  /* Whole buffer, fed in uneven pieces to exercise the buffering path. */
  sha256_init(&s);
  for (size_t off = 0, step = 1; off < n; off += step, step = step * 3 % 4093 + 1)
    sha256_update(&s, buf + off, off + step <= n ? step : n - off);
  sha256_final(&s, d);
  hex(d, 32, hx);
  uint64_t h = hash_bytes(0, d, 32);
  /* Per-chunk digests, as a content-addressed store would compute. */
  const size_t chunk = 65536;
  for (size_t off = 0; off < n; off += chunk) {
    sha256_t c;
    uint8_t cd[32];
    sha256_init(&c);
    sha256_update(&c, buf + off, off + chunk <= n ? chunk : n - off);
    sha256_final(&c, cd);
    h = hash_bytes(h, cd, 32);
  }
  uint64_t x = 0;
  for (int pass = 0; pass < 4; pass++) x ^= xxh64(buf, n, (uint64_t)pass);
  h = mix64(h, x);
  printf("sha256: %ld KiB, sha256 %s, xxh64 %016llx\n", kib, hx, (unsigned long long)x);
  print_checksum("sha256", h);
  return 0;
}
