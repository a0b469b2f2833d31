/* setjmp/longjmp across several frames, nested buffers, values preserved. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf outer, inner;
static int depth_reached;

static __attribute__((noinline)) int recurse(int n, jmp_buf *target, int val)
{
    volatile char pad[64];
    pad[n % 64] = (char)n;
    depth_reached = n;
    if (n <= 0) {
        longjmp(*target, val);
    }
    return n > 100 ? 0 : recurse(n - 1, target, val) + pad[n % 64];
}

static __attribute__((noinline)) int middle(int k)
{
    volatile int local = k * 100;
    int r = setjmp(inner);
    if (r == 0) {
        printf("inner setjmp returned 0 (local=%d)\n", local);
        recurse(5, &inner, k);
        printf("unreachable\n");
    }
    printf("inner longjmp returned %d (local=%d depth=%d)\n", r, local, depth_reached);
    local += r;
    if (k == 3)
        recurse(7, &outer, 77); /* skip out through middle() to main */
    return local;
}

int main(void)
{
    volatile int count = 0;
    volatile double fpv = 1.5;
    int r = setjmp(outer);
    printf("outer setjmp returned %d count=%d fpv=%.2f\n", r, count, fpv);
    if (r == 0 || r == 1) {
        count++;
        fpv *= 2;
        if (count < 3)
            longjmp(outer, 1);
        for (int k = 1; k <= 3; k++)
            printf("middle(%d) = %d\n", k, middle(k));
    }
    /* longjmp(…, 0) must make setjmp return 1 */
    jmp_buf z;
    volatile int zr = setjmp(z);
    if (zr == 0) {
        printf("zero test: first\n");
        longjmp(z, 0);
    }
    printf("zero test: setjmp returned %d\n", zr);

    /* sigsetjmp without mask saving */
    sigjmp_buf sj;
    volatile int sr = sigsetjmp(sj, 0);
    if (sr < 5)
        siglongjmp(sj, sr + 1);
    printf("siglongjmp loop ended at %d\n", sr);
    printf("final count=%d depth=%d\n", count, depth_reached);
    return 0;
}
