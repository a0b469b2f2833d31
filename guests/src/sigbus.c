/* Misaligned accesses: plain loads/stores (allowed in user mode), then a misaligned
 * AMO (amoadd.w at address 2 mod 4). The expected file records what qemu does. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t buf[64] __attribute__((aligned(16)));

int main(void)
{
    for (int i = 0; i < 64; i++)
        buf[i] = (uint8_t)(i * 17 + 1);
    uint64_t ld, lw, lh;
    __asm__ volatile("ld %0, 3(%3)\n\tlw %1, 5(%3)\n\tlh %2, 7(%3)" : "=&r"(ld), "=&r"(lw), "=&r"(lh) : "r"(buf));
    printf("misaligned ld=%016llx lw=%016llx lh=%016llx\n", (unsigned long long)ld,
           (unsigned long long)lw, (unsigned long long)lh);
    __asm__ volatile("sd %0, 17(%1)\n\tsw %0, 30(%1)\n\tsh %0, 41(%1)" : : "r"(0x1122334455667788ull), "r"(buf) : "memory");
    printf("after misaligned stores:");
    for (int i = 16; i < 48; i++)
        printf(" %02x", buf[i]);
    printf("\n");
    double d = 0;
    memcpy(buf + 49, &(double){1.25}, 8);
    __asm__ volatile("fld fa5, 49(%1)\n\tfmv.x.d %0, fa5" : "=r"(ld) : "r"(buf) : "fa5");
    (void)d;
    printf("misaligned fld=%016llx\n", (unsigned long long)ld);

    printf("about to execute amoadd.w on an address that is 2 mod 4\n");
    fflush(stdout);
    uint64_t old;
    __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(buf + 2), "r"(1ull) : "memory");
    printf("amoadd.w returned old=%016llx (no fault)\n", (unsigned long long)old);
    return 0;
}
