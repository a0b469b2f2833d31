/* printf/snprintf formatting of integers and doubles, strtod round trips. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    /* integers */
    printf("[%d] [%i] [%u] [%x] [%X] [%o]\n", 0, -1, 4000000000u, 0xdeadbeefu, 0xcafeu, 0777u);
    printf("[%5d] [%-5d] [%05d] [%+d] [% d] [%+05d]\n", 42, 42, 42, 42, 42, -42);
    printf("[%#x] [%#o] [%#X] [%#x]\n", 255u, 8u, 0xabcu, 0u);
    printf("[%hhd] [%hhu] [%hd] [%hu]\n", (signed char)-128, (unsigned char)255, (short)-32768, (unsigned short)65535);
    printf("[%ld] [%lu] [%lx]\n", (long)INT64_MIN, (unsigned long)UINT64_MAX, (unsigned long)INT64_MIN);
    printf("[%lld] [%llu] [%llo]\n", (long long)INT64_MAX, 18446744073709551615ull, 01234567012345670123ull);
    printf("[%" PRId32 "] [%" PRIu32 "] [%" PRIx64 "] [%" PRIi8 "]\n", INT32_MIN, UINT32_MAX, UINT64_C(0x0123456789abcdef), (int8_t)-7);
    printf("[%zu] [%zd] [%td] [%jd]\n", (size_t)123456789012ul, (ssize_t)-5, (ptrdiff_t)-77, (intmax_t)-99);
    printf("[%.3d] [%8.3d] [%-8.3x|] [%.0d]\n", 7, -7, 0xau, 0);
    printf("[%*d] [%-*d] [%.*d]\n", 6, 12, 6, 12, 4, 3);
    printf("[%c%c%c] [%s] [%.3s] [%10s] [%-10s|] [%%]\n", 'a', 'b', 'c', "str", "truncate", "right", "left");

    /* doubles */
    const double vals[] = {0.0, -0.0, 1.0, -1.5, 0.1, 2.0 / 3.0, 123456.789, 1e-5, 1e21,
                           3.141592653589793, 1e300, DBL_MAX, DBL_MIN, 4.9e-324,
                           2.2250738585072009e-308, 0.5, 2.5, -2.5, 1e15 + 0.3, 9.999999};
    const int nv = sizeof vals / sizeof vals[0];
    for (int i = 0; i < nv; i++) {
        double v = vals[i];
        printf("v%02d: %f | %.0f | %.10f | %e | %.3e | %g | %.17g | %a | %.3a\n",
               i, v, v, v, v, v, v, v, v, v);
    }
    printf("[%10.3f] [%-10.3f|] [%+.2f] [% .2f] [%010.2f] [%#.0f] [%#g]\n",
           3.14159, 3.14159, 2.5, 2.5, -2.5, 3.0, 1.0);
    printf("[%G] [%E] [%A] [%F]\n", 1e-10, 12345.678, 1.0, INFINITY);
    double inf = INFINITY, nan = NAN;
    printf("inf: [%f] [%e] [%g] [%a] [%5.1f] [%-6f|] [%+f]\n", inf, inf, inf, inf, inf, inf, inf);
    printf("-inf: [%f] [%e] [%g]\n", -inf, -inf, -inf);
    printf("nan: [%f] [%e] [%g] [%F]\n", nan, nan, nan, nan);
    printf("-nan: [%f]\n", -nan);
    printf("rounding: [%.0f] [%.0f] [%.0f] [%.0f] [%.1f] [%.2f]\n", 0.5, 1.5, 2.5, 3.5, 0.25, 1.005);
    printf("long double: [%Lf] [%.20Lg] [%La]\n", 1.0L / 3, 1.0L / 3, 1.0L);
    printf("float promoted: [%f] [%a]\n", 1.1f, 1.1f);

    /* snprintf */
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%s-%d-%.2f", "abc", 123, 4.567);
    printf("snprintf n=%d buf=\"%s\"\n", n, buf);
    n = snprintf(buf, 8, "%s", "0123456789abcdef");
    printf("snprintf truncated n=%d buf=\"%s\"\n", n, buf);
    n = snprintf(NULL, 0, "%e", 1e100);
    printf("snprintf(NULL,0) n=%d\n", n);

    /* strtod round trips */
    const char *strs[] = {"0", "-0", "1e-320", "4.9406564584124654e-324", "2.2250738585072014e-308",
                          "1.7976931348623157e308", "1e309", "-1e309", "0x1.fffffffffffffp+1023",
                          "0.1", "3.14159265358979323846", "123456789012345678901234567890",
                          "inf", "-Infinity", "nan", "1e-400", "  42.5xyz", "9007199254740993",
                          "2.47032822920623272e-324"};
    const int ns = sizeof strs / sizeof strs[0];
    for (int i = 0; i < ns; i++) {
        char *end;
        double d = strtod(strs[i], &end);
        uint64_t bits;
        memcpy(&bits, &d, 8);
        char out[64];
        snprintf(out, sizeof out, "%.17g", d);
        double back = strtod(out, NULL);
        uint64_t bbits;
        memcpy(&bbits, &back, 8);
        if (isnan(d))
            bits &= ~0x8000000000000000ull, bbits &= ~0x8000000000000000ull;
        printf("strtod(\"%s\") = %016" PRIx64 " consumed=%d %%.17g=%s roundtrip=%s\n",
               strs[i], bits, (int)(end - strs[i]), out, bits == bbits ? "ok" : "BAD");
    }
    float f = strtof("16777217", NULL);
    printf("strtof(16777217)=%.1f\n", (double)f);
    printf("atoi=%d strtol=%ld strtoul=%lu strtoll(hex)=%lld\n", atoi("-123"), strtol("0x7fffffffffffffff", NULL, 0),
           strtoul("-1", NULL, 10), strtoll("-0x10", NULL, 16));
    return 0;
}
