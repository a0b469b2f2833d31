/* clock_gettime / gettimeofday / nanosleep: print only deterministic facts. */
#include <errno.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static long long ns(const struct timespec *t) { return t->tv_sec * 1000000000ll + t->tv_nsec; }

int main(void)
{
    struct timespec m0, m1, r0, res;
    int ok = 1;
    printf("clock_gettime(MONOTONIC)=%d\n", clock_gettime(CLOCK_MONOTONIC, &m0));
    printf("clock_gettime(REALTIME)=%d\n", clock_gettime(CLOCK_REALTIME, &r0));
    printf("tv_nsec in range: %d\n", m0.tv_nsec >= 0 && m0.tv_nsec < 1000000000 && r0.tv_nsec >= 0 &&
                                         r0.tv_nsec < 1000000000);
    printf("realtime after 2020-01-01: %d\n", r0.tv_sec > 1577836800);
    printf("realtime before 2200-01-01: %d\n", r0.tv_sec < 7258118400ll);
    long long prev = ns(&m0);
    int nondec = 1;
    for (int i = 0; i < 1000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &m1);
        if (ns(&m1) < prev)
            nondec = 0;
        prev = ns(&m1);
    }
    printf("monotonic non-decreasing over 1000 reads: %d\n", nondec);
    ok &= nondec;

    struct timeval tv;
    printf("gettimeofday=%d\n", gettimeofday(&tv, NULL));
    long long tv_us = tv.tv_sec * 1000000ll + tv.tv_usec;
    long long r0_us = ns(&r0) / 1000;
    printf("gettimeofday usec in range: %d\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    printf("gettimeofday >= realtime read earlier: %d\n", tv_us >= r0_us);
    printf("gettimeofday within 60s of realtime: %d\n", tv_us - r0_us < 60000000ll);
    time_t tt = time(NULL);
    printf("time() within 60s of realtime: %d\n", tt >= r0.tv_sec && tt - r0.tv_sec < 60);

    printf("clock_getres(MONOTONIC)=%d\n", clock_getres(CLOCK_MONOTONIC, &res));
    printf("resolution <= 1ms: %d\n", res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000);

    struct timespec req = {0, 1000000}, rem = {0, 0}, a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int nr = nanosleep(&req, &rem);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long el = ns(&b) - ns(&a);
    printf("nanosleep(1ms)=%d\n", nr);
    printf("slept >= 1ms: %d\n", el >= 1000000);
    printf("slept < 5s: %d\n", el < 5000000000ll);
    ok &= el >= 1000000;

    struct timespec bad = {0, 1000000000};
    errno = 0;
    int br = nanosleep(&bad, NULL);
    printf("nanosleep(invalid nsec)=%d errno=%s\n", br, errno == EINVAL ? "EINVAL" : "other");

    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    volatile unsigned long spin = 0;
    for (unsigned long i = 0; i < 2000000; i++)
        spin += i;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    printf("process cputime non-decreasing: %d\n", ns(&c1) >= ns(&c0));
    printf("all ok: %d\n", ok);
    return !ok;
}
