/* Execute an illegal instruction (all-zero word): must die with SIGILL. */
#include <stdio.h>

int main(void)
{
    printf("about to execute .word 0\n");
    fflush(stdout);
    __asm__ volatile(".word 0");
    printf("still alive?!\n");
    return 0;
}
