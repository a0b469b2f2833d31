/* Signal delivery: SIGSEGV handler (SA_SIGINFO) + siglongjmp, SIGILL handler that
 * skips the faulting instruction via uc_mcontext and returns, SIGUSR1 via raise. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile sig_atomic_t segv_count, ill_count, usr_count;
static volatile uintptr_t segv_addr;
static volatile int segv_signo, segv_code, ill_code, ill_addr_matches;
extern char ill_insn[];

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    segv_count++;
    segv_addr = (uintptr_t)si->si_addr;
    segv_signo = si->si_signo;
    segv_code = si->si_code;
    (void)sig;
    siglongjmp(env, 1);
}

static void on_ill(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    ill_count++;
    ill_code = si->si_code;
    ill_addr_matches = (uintptr_t)si->si_addr == (uintptr_t)ill_insn &&
                       uc->uc_mcontext.__gregs[REG_PC] == (unsigned long)ill_insn;
    (void)sig;
    uc->uc_mcontext.__gregs[REG_PC] += 4;
}

static void on_usr1(int sig)
{
    usr_count++;
    /* write(2) is async-signal-safe */
    const char m[] = "in SIGUSR1 handler\n";
    fflush(stdout);
    write(1, m, sizeof m - 1);
    (void)sig;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    printf("sigaction(SIGSEGV)=%d\n", sigaction(SIGSEGV, &sa, NULL));

    static const uintptr_t addrs[] = {0x10, 0x8, 0x1000};
    for (int i = 0; i < 3; i++) {
        if (sigsetjmp(env, 1) == 0) {
            printf("faulting at %#lx\n", (unsigned long)addrs[i]);
            fflush(stdout);
            volatile uintptr_t a = addrs[i];
            *(volatile int *)a = 42;
            printf("no fault?!\n");
        } else {
            printf("caught: si_signo=%d si_code=%d si_addr=%#lx count=%d\n", segv_signo, segv_code,
                   (unsigned long)segv_addr, (int)segv_count);
        }
    }
    /* read fault too */
    if (sigsetjmp(env, 1) == 0) {
        volatile uintptr_t a = 0x20;
        volatile int x = *(volatile int *)a;
        (void)x;
    } else {
        printf("caught read fault: si_addr=%#lx\n", (unsigned long)segv_addr);
    }
    /* mask is restored by siglongjmp: SIGSEGV not blocked */
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("SIGSEGV blocked after siglongjmp: %d\n", sigismember(&cur, SIGSEGV));

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_ill;
    sa.sa_flags = SA_SIGINFO;
    printf("sigaction(SIGILL)=%d\n", sigaction(SIGILL, &sa, NULL));
    for (int i = 0; i < 2; i++) {
        volatile long before = 1000 + i;
        __asm__ volatile(".globl ill_insn\n"
                         ".option push\n.option norvc\n"
                         "ill_insn: .word 0\n"
                         ".option pop\n" ::: "memory");
        printf("resumed (iteration %d, before=%ld, ill_count=%d, si_code=%d, addr/pc match=%d)\n", i,
               before, (int)ill_count, ill_code, ill_addr_matches);
    }

    struct sigaction old;
    signal(SIGUSR1, on_usr1);
    printf("raise(SIGUSR1)=%d\n", raise(SIGUSR1));
    printf("usr_count=%d\n", (int)usr_count);
    /* blocked signal stays pending until unblocked */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGUSR1);
    printf("after raise while blocked: usr_count=%d\n", (int)usr_count);
    sigset_t pend;
    sigpending(&pend);
    printf("pending SIGUSR1: %d\n", sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    printf("after unblock: usr_count=%d\n", (int)usr_count);
    sigaction(SIGUSR1, NULL, &old);
    printf("SIGUSR1 handler installed: %d\n", old.sa_handler == on_usr1);
    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    printf("ignored SIGUSR1: usr_count=%d\n", (int)usr_count);
    printf("done\n");
    return 0;
}
