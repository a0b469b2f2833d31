/* nbody: gravitational N-body simulation of a generated star cluster (64 bodies, all
 * pairs, softened forces, leapfrog integration), with energy and momentum accounting.
 * SIZE is the number of time steps. Modelled on SPEC's FP physics workloads
 * (namd, nab, the n-body kernels of the Benchmarks Game tradition).
 *
 * Built with -ffp-contract=off; only +, -, *, / and sqrt are used, which IEEE 754
 * rounds identically everywhere, and the checksum hashes the exact bits. */
#include "bench.h"
#include <math.h>

#define NB 64

typedef struct {
  double x[NB], y[NB], z[NB];
  double vx[NB], vy[NB], vz[NB];
  double ax[NB], ay[NB], az[NB];
  double m[NB];
} system_t;

static const double SOFT2 = 1e-4;

static void init(system_t *s, uint64_t seed) {
  rng_t r = {seed};
  for (int i = 0; i < NB; i++) {
    /* Uniform in a unit ball by rejection. */
    double x, y, z;
    do {
      x = 2.0 * rng_unit(&r) - 1.0;
      y = 2.0 * rng_unit(&r) - 1.0;
      z = 2.0 * rng_unit(&r) - 1.0;
    } while (x * x + y * y + z * z > 1.0);
    s->x[i] = x; s->y[i] = y; s->z[i] = z;
    s->m[i] = (0.5 + rng_unit(&r)) / NB;
    /* A slow rotation about the z axis plus some random motion. */
    s->vx[i] = -0.3 * y + 0.05 * (rng_unit(&r) - 0.5);
    s->vy[i] = 0.3 * x + 0.05 * (rng_unit(&r) - 0.5);
    s->vz[i] = 0.05 * (rng_unit(&r) - 0.5);
  }
  /* Zero the total momentum. */
  double px = 0, py = 0, pz = 0, mt = 0;
  for (int i = 0; i < NB; i++) {
    px += s->m[i] * s->vx[i]; py += s->m[i] * s->vy[i]; pz += s->m[i] * s->vz[i];
    mt += s->m[i];
  }
  for (int i = 0; i < NB; i++) { s->vx[i] -= px / mt; s->vy[i] -= py / mt; s->vz[i] -= pz / mt; }
}

static void accelerations(system_t *s) {
  for (int i = 0; i < NB; i++) s->ax[i] = s->ay[i] = s->az[i] = 0.0;
  for (int i = 0; i < NB; i++) {
    double xi = s->x[i], yi = s->y[i], zi = s->z[i];
    double axi = 0, ayi = 0, azi = 0;
    for (int j = i + 1; j < NB; j++) {
      double dx = s->x[j] - xi, dy = s->y[j] - yi, dz = s->z[j] - zi;
      double d2 = dx * dx + dy * dy + dz * dz + SOFT2;
      double inv = 1.0 / (d2 * sqrt(d2));
      double fi = s->m[j] * inv, fj = s->m[i] * inv;
      axi += dx * fi; ayi += dy * fi; azi += dz * fi;
      s->ax[j] -= dx * fj; s->ay[j] -= dy * fj; s->az[j] -= dz * fj;
    }
    s->ax[i] += axi; s->ay[i] += ayi; s->az[i] += azi;
  }
}

static double energy(const system_t *s) {
  double e = 0.0;
  for (int i = 0; i < NB; i++) {
    e += 0.5 * s->m[i] * (s->vx[i] * s->vx[i] + s->vy[i] * s->vy[i] + s->vz[i] * s->vz[i]);
    for (int j = i + 1; j < NB; j++) {
      double dx = s->x[j] - s->x[i], dy = s->y[j] - s->y[i], dz = s->z[j] - s->z[i];
      e -= s->m[i] * s->m[j] / sqrt(dx * dx + dy * dy + dz * dz + SOFT2);
    }
  }
  return e;
}

static void step(system_t *s, double dt) {
  /* Kick-drift-kick leapfrog; accelerations are current on entry. */
  double h = 0.5 * dt;
  for (int i = 0; i < NB; i++) {
    s->vx[i] += h * s->ax[i]; s->vy[i] += h * s->ay[i]; s->vz[i] += h * s->az[i];
    s->x[i] += dt * s->vx[i]; s->y[i] += dt * s->vy[i]; s->z[i] += dt * s->vz[i];
  }
  accelerations(s);
  for (int i = 0; i < NB; i++) {
    s->vx[i] += h * s->ax[i]; s->vy[i] += h * s->ay[i]; s->vz[i] += h * s->az[i];
  }
}

int main(int argc, char **argv) {
  long steps = bench_size(argc, argv, 200000);
  static system_t s;
  init(&s, 31337);
  accelerations(&s);
  double e0 = energy(&s);
  const double dt = 1e-4;
  uint64_t h = 0;
  for (long k = 0; k < steps; k++) {
    step(&s, dt);
    if ((k & 1023) == 1023) h = hash_double(h, s.x[k % NB]);
  }
  double e1 = energy(&s);
  for (int i = 0; i < NB; i++) {
    h = hash_double(h, s.x[i]); h = hash_double(h, s.y[i]); h = hash_double(h, s.z[i]);
    h = hash_double(h, s.vx[i]); h = hash_double(h, s.vy[i]); h = hash_double(h, s.vz[i]);
  }
  printf("nbody: %d bodies, %ld steps, energy %.9f -> %.9f\n", NB, steps, e0, e1);
  print_checksum("nbody", h);
  return 0;
}
