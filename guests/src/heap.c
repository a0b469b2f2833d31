/* malloc/realloc/free of many sizes (brk and mmap paths), pattern fill + verify. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t lcg_state = 12345;
static uint32_t rnd(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(lcg_state >> 33);
}

static uint64_t sum;

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 7 + (i >> 8));
}

static int verify(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != (unsigned char)(seed + i * 7 + (i >> 8)))
            return 0;
        sum = sum * 31 + p[i];
    }
    return 1;
}

#define NSLOT 256

int main(void)
{
    static const size_t sizes[] = {0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 100,
                                   127, 128, 255, 256, 511, 1000, 4095, 4096, 4097,
                                   65536, 131071, 131072, 200000, 262144, 1 << 20,
                                   3 << 20, 5 << 20, (8 << 20) + 3};
    int nsizes = sizeof sizes / sizeof sizes[0];
    int bad = 0;

    /* 1: each size once, alignment check */
    for (int i = 0; i < nsizes; i++) {
        unsigned char *p = malloc(sizes[i]);
        int aligned = ((uintptr_t)p & 15) == 0;
        fill(p, sizes[i], i);
        int ok = verify(p, sizes[i], i);
        printf("malloc(%zu): %s aligned16=%d\n", sizes[i], ok ? "ok" : "BAD", aligned);
        bad += !ok || !aligned;
        free(p);
    }

    /* 2: random churn with many live blocks */
    unsigned char *slot[NSLOT] = {0};
    size_t len[NSLOT] = {0};
    unsigned seed[NSLOT] = {0};
    for (int iter = 0; iter < 3000; iter++) {
        int k = rnd() % NSLOT;
        if (slot[k]) {
            if (!verify(slot[k], len[k], seed[k]))
                bad++;
            if (rnd() & 1) {
                free(slot[k]);
                slot[k] = NULL;
                continue;
            }
            /* realloc keeps prefix */
            size_t nl = (rnd() % 4 == 0) ? rnd() % 300000 : rnd() % 2000;
            unsigned char *np = realloc(slot[k], nl ? nl : 1);
            size_t keep = nl < len[k] ? nl : len[k];
            if (!verify(np, keep, seed[k]))
                bad++;
            slot[k] = np;
            len[k] = nl;
            fill(np, nl, seed[k]);
        } else {
            size_t nl;
            uint32_t c = rnd() % 100;
            if (c < 70)
                nl = rnd() % 256;
            else if (c < 95)
                nl = rnd() % 8192;
            else
                nl = 100000 + rnd() % 200000;
            slot[k] = malloc(nl);
            len[k] = nl;
            seed[k] = rnd();
            fill(slot[k], nl, seed[k]);
        }
    }
    for (int k = 0; k < NSLOT; k++) {
        if (slot[k] && !verify(slot[k], len[k], seed[k]))
            bad++;
        free(slot[k]);
    }
    printf("churn done\n");

    /* 3: calloc zeroing, including after reuse */
    for (int i = 0; i < 3; i++) {
        size_t n = (size_t)4000 << (i * 5);
        unsigned char *p = malloc(n);
        memset(p, 0xAB, n);
        free(p);
        p = calloc(n, 1);
        size_t nz = 0;
        for (size_t j = 0; j < n; j++)
            nz += p[j] != 0;
        printf("calloc(%zu) nonzero=%zu\n", n, nz);
        bad += nz != 0;
        free(p);
    }

    /* 4: grow one block through realloc from tiny to 6 MB */
    unsigned char *g = NULL;
    size_t gl = 0;
    for (size_t n = 1; n <= (6u << 20); n = n * 3 + 1) {
        g = realloc(g, n);
        for (size_t j = gl; j < n; j++)
            g[j] = (unsigned char)(j * 13);
        gl = n;
    }
    int gok = 1;
    for (size_t j = 0; j < gl; j++)
        if (g[j] != (unsigned char)(j * 13))
            gok = 0;
    printf("realloc growth to %zu: %s\n", gl, gok ? "ok" : "BAD");
    bad += !gok;
    g = realloc(g, 10);
    printf("realloc shrink keeps prefix: %s\n", g[9] == (unsigned char)(9 * 13) ? "ok" : "BAD");
    free(g);

    printf("checksum=%016llx\n", (unsigned long long)sum);
    printf("errors=%d\n", bad);
    return bad != 0;
}
