/* RV64A: LR/SC, every AMO (.w and .d) with edge values, GCC builtins, C11 atomics. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

typedef uint64_t u64;
typedef uint32_t u32;

#define AMO_D(name)                                                           \
    static u64 name##_d(u64 *p, u64 v)                                        \
    {                                                                         \
        u64 old;                                                              \
        __asm__ volatile(#name ".d %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory"); \
        return old;                                                           \
    }
#define AMO_W(name)                                                           \
    static u64 name##_w(u32 *p, u64 v)                                        \
    {                                                                         \
        u64 old;                                                              \
        __asm__ volatile(#name ".w %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory"); \
        return old;                                                           \
    }
#define AMO(name) AMO_D(name) AMO_W(name)

AMO(amoswap) AMO(amoadd) AMO(amoand) AMO(amoor) AMO(amoxor)
AMO(amomax) AMO(amomaxu) AMO(amomin) AMO(amominu)

struct amo { const char *name; u64 (*d)(u64 *, u64); u64 (*w)(u32 *, u64); };
static const struct amo amos[] = {
    {"amoswap", amoswap_d, amoswap_w}, {"amoadd", amoadd_d, amoadd_w},
    {"amoand", amoand_d, amoand_w},    {"amoor", amoor_d, amoor_w},
    {"amoxor", amoxor_d, amoxor_w},    {"amomax", amomax_d, amomax_w},
    {"amomaxu", amomaxu_d, amomaxu_w}, {"amomin", amomin_d, amomin_w},
    {"amominu", amominu_d, amominu_w},
};

static const u64 vals[] = {0, 1, 0xffffffffffffffffull, 0x8000000000000000ull,
                           0x7fffffffffffffffull, 0x0000000080000000ull, 0x000000007fffffffull,
                           0xffffffff00000001ull, 0x123456789abcdef0ull};

static u64 lrsc_add_d(u64 *p, u64 inc, int *tries)
{
    u64 old, tmp;
    int n = 0;
    __asm__ volatile("1: lr.d.aq %0, (%3)\n\t"
                     "add %1, %0, %4\n\t"
                     "sc.d.rl %1, %1, (%3)\n\t"
                     "addi %2, %2, 1\n\t"
                     "bnez %1, 1b"
                     : "=&r"(old), "=&r"(tmp), "+r"(n)
                     : "r"(p), "r"(inc)
                     : "memory");
    *tries = n;
    return old;
}

static u64 lrsc_add_w(u32 *p, u64 inc)
{
    u64 old, tmp;
    __asm__ volatile("1: lr.w %0, (%2)\n\t"
                     "addw %1, %0, %3\n\t"
                     "sc.w %1, %1, (%2)\n\t"
                     "bnez %1, 1b"
                     : "=&r"(old), "=&r"(tmp)
                     : "r"(p), "r"(inc)
                     : "memory");
    return old;
}

int main(void)
{
    const int nv = sizeof vals / sizeof vals[0];
    for (int a = 0; a < 9; a++) {
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < nv; j++) {
                u64 m = vals[i];
                u64 old = amos[a].d(&m, vals[j]);
                printf("%s.d mem=%016llx src=%016llx -> old=%016llx new=%016llx\n", amos[a].name,
                       (unsigned long long)vals[i], (unsigned long long)vals[j],
                       (unsigned long long)old, (unsigned long long)m);
            }
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < nv; j++) {
                /* place the word in the upper half of a doubleword to check neighbours stay intact */
                u32 mw[2] = {0xa5a5a5a5u, (u32)vals[i]};
                u64 old = amos[a].w(&mw[1], vals[j]);
                printf("%s.w mem=%08x src=%016llx -> old=%016llx new=%08x guard=%08x\n", amos[a].name,
                       (u32)vals[i], (unsigned long long)vals[j], (unsigned long long)old, mw[1], mw[0]);
            }
    }
    /* amo with rd = x0 */
    u64 m = 5;
    __asm__ volatile("amoadd.d zero, %1, (%0)" : : "r"(&m), "r"((u64)10) : "memory");
    printf("amoadd.d rd=x0 -> mem=%llu\n", (unsigned long long)m);

    /* LR/SC */
    u64 counter = 0xfffffffffffffff0ull;
    int tries_total = 0;
    for (int i = 0; i < 100; i++) {
        int t;
        lrsc_add_d(&counter, 3, &t);
        tries_total += t;
    }
    printf("lr/sc.d counter=%016llx (tries>=100: %s)\n", (unsigned long long)counter,
           tries_total >= 100 ? "yes" : "no");
    u32 wc = 0x7ffffff0u;
    u64 old = 0;
    for (int i = 0; i < 20; i++)
        old = lrsc_add_w(&wc, 1);
    printf("lr/sc.w counter=%08x last old=%016llx\n", wc, (unsigned long long)old);
    /* sc without reservation must fail */
    u64 scm = 1, scr;
    __asm__ volatile("lr.d %0, (%1)\n\tsc.d %0, zero, (%1)\n\tsc.d %0, zero, (%1)" : "=&r"(scr) : "r"(&scm) : "memory");
    printf("second sc.d without reservation: result=%s mem=%llu\n", scr ? "fail(nonzero)" : "success(0)",
           (unsigned long long)scm);
    u32 lrw = 0x80000000u;
    u64 lrv;
    __asm__ volatile("lr.w %0, (%1)" : "=r"(lrv) : "r"(&lrw) : "memory");
    printf("lr.w sign-extends: %016llx\n", (unsigned long long)lrv);

    /* GCC builtins */
    long x = 100;
    long r1 = __atomic_fetch_add(&x, 5, __ATOMIC_SEQ_CST);
    long r2 = __atomic_add_fetch(&x, 5, __ATOMIC_RELAXED);
    long r3 = __atomic_exchange_n(&x, -1, __ATOMIC_ACQ_REL);
    long r4 = __atomic_fetch_and(&x, 0xff, __ATOMIC_SEQ_CST);
    long r5 = __atomic_fetch_or(&x, 0x100, __ATOMIC_SEQ_CST);
    long r6 = __atomic_fetch_xor(&x, 0x3, __ATOMIC_SEQ_CST);
    long r7 = __atomic_fetch_sub(&x, 1000, __ATOMIC_SEQ_CST);
    printf("builtins: %ld %ld %ld %ld %ld %ld %ld final=%ld\n", r1, r2, r3, r4, r5, r6, r7, x);
    long expect = 5;
    int ok1 = __atomic_compare_exchange_n(&x, &expect, 7, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas fail: ok=%d expected-now=%ld\n", ok1, expect);
    int ok2 = __atomic_compare_exchange_n(&x, &expect, 7, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas success: ok=%d x=%ld\n", ok2, x);
    unsigned char b = 0xf0;
    unsigned char ob = __atomic_fetch_add(&b, 0x20, __ATOMIC_SEQ_CST);
    printf("byte fetch_add: old=%02x new=%02x\n", ob, b);
    unsigned short h = 0xfffe;
    unsigned short oh = __atomic_fetch_add(&h, 3, __ATOMIC_SEQ_CST);
    printf("half fetch_add: old=%04x new=%04x\n", oh, h);
    _Bool flag = 0;
    int tas1 = __atomic_test_and_set(&flag, __ATOMIC_SEQ_CST);
    int tas2 = __atomic_test_and_set(&flag, __ATOMIC_SEQ_CST);
    __atomic_clear(&flag, __ATOMIC_SEQ_CST);
    printf("test_and_set: %d %d cleared=%d\n", tas1, tas2, (int)flag);

    /* C11 */
    _Atomic int ai = 10;
    int e = 11;
    _Bool s1 = atomic_compare_exchange_strong(&ai, &e, 20);
    printf("c11 strong fail: %d e=%d ai=%d\n", s1, e, atomic_load(&ai));
    _Bool s2 = atomic_compare_exchange_strong(&ai, &e, 20);
    printf("c11 strong ok: %d ai=%d\n", s2, atomic_load(&ai));
    int spins = 0;
    e = atomic_load(&ai);
    while (!atomic_compare_exchange_weak(&ai, &e, e * 3))
        spins++;
    printf("c11 weak loop: ai=%d\n", atomic_load(&ai));
    _Atomic unsigned long long aul = 0;
    for (int i = 0; i < 1000; i++)
        atomic_fetch_add_explicit(&aul, (unsigned long long)i * i, memory_order_relaxed);
    printf("c11 fetch_add sum=%llu\n", atomic_load(&aul));
    atomic_store(&aul, 0xffffffffffffffffull);
    printf("c11 exchange old=%llx\n", atomic_exchange(&aul, 1));
    atomic_thread_fence(memory_order_seq_cst);
    atomic_flag fl = ATOMIC_FLAG_INIT;
    int f1 = atomic_flag_test_and_set(&fl), f2 = atomic_flag_test_and_set(&fl);
    printf("atomic_flag: %d %d\n", f1, f2);
    (void)spins;
    return 0;
}
