/* Integer edge cases of RV64IM, executed with inline asm where C would be UB. */
#include <stdint.h>
#include <stdio.h>

typedef uint64_t u64;

#define OP2(name)                                                     \
    static u64 op_##name(u64 a, u64 b)                                \
    {                                                                 \
        u64 r;                                                        \
        __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); \
        return r;                                                     \
    }

OP2(div) OP2(divu) OP2(rem) OP2(remu)
OP2(divw) OP2(divuw) OP2(remw) OP2(remuw)
OP2(mul) OP2(mulh) OP2(mulhu) OP2(mulhsu) OP2(mulw)
OP2(sll) OP2(srl) OP2(sra) OP2(sllw) OP2(srlw) OP2(sraw)
OP2(add) OP2(sub) OP2(addw) OP2(subw)
OP2(slt) OP2(sltu)

typedef u64 (*fn2)(u64, u64);
struct op { const char *name; fn2 f; };

static const struct op ops[] = {
    {"div", op_div}, {"divu", op_divu}, {"rem", op_rem}, {"remu", op_remu},
    {"divw", op_divw}, {"divuw", op_divuw}, {"remw", op_remw}, {"remuw", op_remuw},
    {"mul", op_mul}, {"mulh", op_mulh}, {"mulhu", op_mulhu}, {"mulhsu", op_mulhsu},
    {"mulw", op_mulw}, {"add", op_add}, {"sub", op_sub}, {"addw", op_addw}, {"subw", op_subw},
    {"slt", op_slt}, {"sltu", op_sltu},
};

static const u64 vals[] = {
    0, 1, 2, 3, 7, 0xffffffffffffffffull, 0xfffffffffffffffeull, 0x8000000000000000ull,
    0x7fffffffffffffffull, 0x80000000ull, 0x7fffffffull, 0xffffffffull, 0xffffffff80000000ull,
    0x100000000ull, 0x123456789abcdef0ull, 0xfedcba9876543210ull, 0x00000000fffffff9ull,
};

int main(void)
{
    const int nv = sizeof vals / sizeof vals[0];
    const int nops = sizeof ops / sizeof ops[0];
    u64 chk = 0;
    for (int o = 0; o < nops; o++) {
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < nv; j++) {
                u64 r = ops[o].f(vals[i], vals[j]);
                chk = (chk ^ r) * 0x100000001b3ull;
                /* print a selected subset fully, fold the rest into the checksum */
                if (i < 9 && j < 9)
                    printf("%s %016llx %016llx = %016llx\n", ops[o].name,
                           (unsigned long long)vals[i], (unsigned long long)vals[j],
                           (unsigned long long)r);
            }
        printf("%s checksum %016llx\n", ops[o].name, (unsigned long long)chk);
    }

    /* 32-bit overflow / divide-by-zero edges with garbage in the upper halves */
    static const u64 wa[] = {0xffffffff80000000ull, 0x0000000080000000ull, 0x12345678fffffff9ull};
    static const u64 wb[] = {0xffffffffffffffffull, 0x00000000ffffffffull, 0xabcdef0000000000ull, 0x0000000100000002ull};
    for (int o = 4; o < 8; o++)
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                printf("%s %016llx %016llx = %016llx\n", ops[o].name, (unsigned long long)wa[i],
                       (unsigned long long)wb[j], (unsigned long long)ops[o].f(wa[i], wb[j]));

    /* __int128 reference for the high multiplies */
    int mismatch = 0;
    for (int i = 0; i < nv; i++)
        for (int j = 0; j < nv; j++) {
            u64 a = vals[i], b = vals[j];
            u64 h = (u64)(((__int128)(int64_t)a * (__int128)(int64_t)b) >> 64);
            u64 hu = (u64)(((unsigned __int128)a * b) >> 64);
            u64 hsu = (u64)(((__int128)(int64_t)a * (__int128)(unsigned __int128)b) >> 64);
            mismatch += h != op_mulh(a, b);
            mismatch += hu != op_mulhu(a, b);
            mismatch += hsu != op_mulhsu(a, b);
        }
    printf("mulh* vs __int128 mismatches: %d\n", mismatch);

    /* shifts by register amounts: only low 6 (5 for *w) bits count */
    static const u64 sh[] = {0, 1, 31, 32, 33, 63, 64, 65, 127, 0xffffffffffffffc1ull};
    static const u64 sv[] = {0x8000000000000001ull, 0x00000000deadbeefull, 0xffffffff80000000ull};
    struct op shops[] = {{"sll", op_sll}, {"srl", op_srl}, {"sra", op_sra},
                         {"sllw", op_sllw}, {"srlw", op_srlw}, {"sraw", op_sraw}};
    for (int o = 0; o < 6; o++)
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 10; j++)
                printf("%s %016llx by %llu = %016llx\n", shops[o].name, (unsigned long long)sv[i],
                       (unsigned long long)sh[j], (unsigned long long)shops[o].f(sv[i], sh[j]));

    /* immediate forms and sign extension of *w results */
    u64 r;
    __asm__ volatile("addiw %0, %1, 1" : "=r"(r) : "r"((u64)0x7fffffff));
    printf("addiw 0x7fffffff+1 = %016llx\n", (unsigned long long)r);
    __asm__ volatile("addiw %0, %1, 0" : "=r"(r) : "r"((u64)0x1234567880000000ull));
    printf("addiw x,0 (sext.w) = %016llx\n", (unsigned long long)r);
    __asm__ volatile("addiw %0, %1, -1" : "=r"(r) : "r"((u64)0));
    printf("addiw 0-1 = %016llx\n", (unsigned long long)r);
    __asm__ volatile("slliw %0, %1, 31" : "=r"(r) : "r"((u64)1));
    printf("slliw 1<<31 = %016llx\n", (unsigned long long)r);
    __asm__ volatile("srliw %0, %1, 0" : "=r"(r) : "r"((u64)0xffffffff80000000ull));
    printf("srliw x,0 = %016llx\n", (unsigned long long)r);
    __asm__ volatile("srliw %0, %1, 1" : "=r"(r) : "r"((u64)0xffffffff80000000ull));
    printf("srliw x,1 = %016llx\n", (unsigned long long)r);
    __asm__ volatile("sraiw %0, %1, 31" : "=r"(r) : "r"((u64)0x0000000080000000ull));
    printf("sraiw x,31 = %016llx\n", (unsigned long long)r);
    __asm__ volatile("srai %0, %1, 63" : "=r"(r) : "r"((u64)0x8000000000000000ull));
    printf("srai x,63 = %016llx\n", (unsigned long long)r);
    __asm__ volatile("srli %0, %1, 63" : "=r"(r) : "r"((u64)0x8000000000000000ull));
    printf("srli x,63 = %016llx\n", (unsigned long long)r);
    __asm__ volatile("slli %0, %1, 63" : "=r"(r) : "r"((u64)3));
    printf("slli 3,63 = %016llx\n", (unsigned long long)r);
    __asm__ volatile("slti %0, %1, -1" : "=r"(r) : "r"((u64)0x8000000000000000ull));
    printf("slti min,-1 = %llu\n", (unsigned long long)r);
    __asm__ volatile("sltiu %0, %1, -1" : "=r"(r) : "r"((u64)0xfffffffffffffffeull));
    printf("sltiu -2,-1(unsigned max) = %llu\n", (unsigned long long)r);
    __asm__ volatile("sltiu %0, %1, 1" : "=r"(r) : "r"((u64)0));
    printf("seqz 0 = %llu\n", (unsigned long long)r);
    __asm__ volatile("lui %0, 0x80000" : "=r"(r));
    printf("lui 0x80000 = %016llx\n", (unsigned long long)r);
    __asm__ volatile("lui %0, 0xfffff\n\taddiw %0, %0, 2047" : "=r"(r));
    printf("lui+addiw = %016llx\n", (unsigned long long)r);
    __asm__ volatile("xori %0, %1, -1" : "=r"(r) : "r"((u64)0x00ff00ff00ff00ffull));
    printf("not = %016llx\n", (unsigned long long)r);
    __asm__ volatile("andi %0, %1, -2048" : "=r"(r) : "r"((u64)0x123456789abcdef0ull));
    printf("andi -2048 = %016llx\n", (unsigned long long)r);
    __asm__ volatile("ori %0, %1, 2047" : "=r"(r) : "r"((u64)0x8000000000000000ull));
    printf("ori 2047 = %016llx\n", (unsigned long long)r);
    /* load sign/zero extension */
    static const unsigned char mem[8] = {0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88};
    u64 lb, lbu, lh, lhu, lw, lwu, ld;
    __asm__ volatile("lb %0, 0(%7)\n\tlbu %1, 0(%7)\n\tlh %2, 0(%7)\n\tlhu %3, 0(%7)\n\t"
                     "lw %4, 0(%7)\n\tlwu %5, 0(%7)\n\tld %6, 0(%7)"
                     : "=&r"(lb), "=&r"(lbu), "=&r"(lh), "=&r"(lhu), "=&r"(lw), "=&r"(lwu), "=&r"(ld)
                     : "r"(mem));
    printf("lb=%016llx lbu=%016llx lh=%016llx lhu=%016llx\n", (unsigned long long)lb,
           (unsigned long long)lbu, (unsigned long long)lh, (unsigned long long)lhu);
    printf("lw=%016llx lwu=%016llx ld=%016llx\n", (unsigned long long)lw,
           (unsigned long long)lwu, (unsigned long long)ld);
    /* C-level division for comparison */
    volatile int64_t a = INT64_MIN, b = -7;
    printf("C: %lld / %lld = %lld rem %lld\n", (long long)a, (long long)b, (long long)(a / b), (long long)(a % b));
    volatile uint64_t ua = UINT64_MAX, ub = 10;
    printf("C: %llu / %llu = %llu rem %llu\n", (unsigned long long)ua, (unsigned long long)ub,
           (unsigned long long)(ua / ub), (unsigned long long)(ua % ub));
    return 0;
}
