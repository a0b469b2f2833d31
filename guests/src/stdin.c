/* Reads stdin to EOF; prints byte/line/word counts, a checksum and the text upper-cased. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    static char buf[65536];
    size_t n = 0;
    ssize_t r;
    int reads = 0;
    while (n < sizeof buf && (r = read(0, buf + n, sizeof buf - n)) > 0) {
        n += (size_t)r;
        reads++;
    }
    printf("read returned EOF: %s\n", r == 0 ? "yes" : "no");
    unsigned lines = 0, words = 0, inword = 0;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        lines += c == '\n';
        if (isspace(c))
            inword = 0;
        else if (!inword)
            inword = 1, words++;
        h = (h ^ c) * 16777619u;
    }
    printf("bytes=%zu lines=%u words=%u fnv1a=%08x\n", n, lines, words, h);
    for (size_t i = 0; i < n; i++)
        putchar(toupper((unsigned char)buf[i]));
    if (n && buf[n - 1] != '\n')
        putchar('\n');
    return 0;
}
