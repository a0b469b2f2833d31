/* matmul: dense double-precision linear algebra. A cache-blocked matrix product
 * C = A * B, a second product with the transpose, then an LU factorisation with partial
 * pivoting of the product and a solve, checked by its residual. SIZE is the matrix
 * order N. Modelled on SPEC's dense FP workloads (the BLAS-like kernels in bwaves,
 * cactuBSSN, and the LINPACK tradition).
 *
 * Built with -ffp-contract=off so that x86-64 and riscv64 round every operation the
 * same way; the checksum hashes the exact bits of the results. */
#include "bench.h"
#include <math.h>

#define BS 32

static void matmul(int n, const double *a, const double *b, double *c) {
  memset(c, 0, sizeof(double) * (size_t)n * (size_t)n);
  for (int ii = 0; ii < n; ii += BS)
    for (int kk = 0; kk < n; kk += BS)
      for (int jj = 0; jj < n; jj += BS) {
        int ie = ii + BS < n ? ii + BS : n, ke = kk + BS < n ? kk + BS : n;
        int je = jj + BS < n ? jj + BS : n;
        for (int i = ii; i < ie; i++)
          for (int k = kk; k < ke; k++) {
            double aik = a[(size_t)i * n + k];
            const double *brow = b + (size_t)k * n;
            double *crow = c + (size_t)i * n;
            for (int j = jj; j < je; j++) crow[j] += aik * brow[j];
          }
      }
}

static void transpose(int n, const double *a, double *t) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) t[(size_t)j * n + i] = a[(size_t)i * n + j];
}

/* In-place LU with partial pivoting; returns the number of row swaps. */
static int lu(int n, double *a, int *perm) {
  int swaps = 0;
  for (int i = 0; i < n; i++) perm[i] = i;
  for (int k = 0; k < n; k++) {
    int p = k;
    double best = fabs(a[(size_t)k * n + k]);
    for (int i = k + 1; i < n; i++) {
      double v = fabs(a[(size_t)i * n + k]);
      if (v > best) { best = v; p = i; }
    }
    if (best == 0.0) fail("matmul", "singular matrix");
    if (p != k) {
      for (int j = 0; j < n; j++) {
        double t = a[(size_t)k * n + j];
        a[(size_t)k * n + j] = a[(size_t)p * n + j];
        a[(size_t)p * n + j] = t;
      }
      int t = perm[k]; perm[k] = perm[p]; perm[p] = t;
      swaps++;
    }
    double piv = a[(size_t)k * n + k];
    for (int i = k + 1; i < n; i++) {
      double *row = a + (size_t)i * n;
      double f = row[k] / piv;
      row[k] = f;
      const double *prow = a + (size_t)k * n;
      for (int j = k + 1; j < n; j++) row[j] -= f * prow[j];
    }
  }
  return swaps;
}

static void lu_solve(int n, const double *lu, const int *perm, const double *b, double *x) {
  for (int i = 0; i < n; i++) {
    double s = b[perm[i]];
    for (int j = 0; j < i; j++) s -= lu[(size_t)i * n + j] * x[j];
    x[i] = s;
  }
  for (int i = n - 1; i >= 0; i--) {
    double s = x[i];
    for (int j = i + 1; j < n; j++) s -= lu[(size_t)i * n + j] * x[j];
    x[i] = s / lu[(size_t)i * n + i];
  }
}

int main(int argc, char **argv) {
  int n = (int)bench_size(argc, argv, 1000);
  size_t nn = (size_t)n * (size_t)n;
  double *a = xmalloc(sizeof(double) * nn), *b = xmalloc(sizeof(double) * nn);
  double *c = xmalloc(sizeof(double) * nn), *d = xmalloc(sizeof(double) * nn);
  double *t = xmalloc(sizeof(double) * nn), *m = xmalloc(sizeof(double) * nn);
  rng_t r = {99};
  for (size_t i = 0; i < nn; i++) a[i] = rng_unit(&r) - 0.5;
  for (size_t i = 0; i < nn; i++) b[i] = rng_unit(&r) - 0.5;
  for (int i = 0; i < n; i++) a[(size_t)i * n + i] += 4.0; /* keep A * B well conditioned */
  for (int i = 0; i < n; i++) b[(size_t)i * n + i] += 4.0;

  matmul(n, a, b, c);     /* C = A B */
  transpose(n, b, t);
  matmul(n, c, t, d);     /* D = A B B^T */
  uint64_t h = 0;
  double trace = 0.0, sum = 0.0;
  for (size_t i = 0; i < nn; i++) { h = hash_double(h, d[i]); sum += c[i]; }
  for (int i = 0; i < n; i++) trace += d[(size_t)i * n + i];

  /* Solve C x = y for y = C * ones, then measure how far x is from ones. */
  double *y = xmalloc(sizeof(double) * (size_t)n), *x = xmalloc(sizeof(double) * (size_t)n);
  for (int i = 0; i < n; i++) {
    double s = 0.0;
    for (int j = 0; j < n; j++) s += c[(size_t)i * n + j];
    y[i] = s;
  }
  memcpy(m, c, sizeof(double) * nn);
  int *perm = xmalloc(sizeof(int) * (size_t)n);
  int swaps = lu(n, m, perm);
  lu_solve(n, m, perm, y, x);
  double err = 0.0;
  for (int i = 0; i < n; i++) {
    double e = fabs(x[i] - 1.0);
    if (e > err) err = e;
    h = hash_double(h, x[i]);
  }
  if (!(err < 1e-6)) fail("matmul", "LU solve is inaccurate");
  printf("matmul: n %d, sum(AB) %.6f, trace(ABB^T) %.6f, lu swaps %d, solve error %s\n", n, sum,
         trace, swaps, err < 1e-9 ? "< 1e-9" : "< 1e-6");
  print_checksum("matmul", h);
  return 0;
}
