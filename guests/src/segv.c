/* Store to address 16: must die with SIGSEGV. */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("about to store to address 16\n");
    fflush(stdout);
    volatile uintptr_t addr = 16; /* via a volatile so the compiler cannot see the constant */
    *(volatile int *)addr = 1;
    printf("still alive?!\n");
    return 0;
}
