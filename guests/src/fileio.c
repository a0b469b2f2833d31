/* File I/O syscalls in a private temp directory; prints only deterministic results. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static char dir[1024];

static void path(char *out, const char *name)
{
    snprintf(out, 4096, "%s/%s", dir, name);
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *label)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    char buf[4096];
    char *names[64];
    int n = 0;
    for (;;) {
        long r = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (r <= 0)
            break;
        for (long off = 0; off < r;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            if (n < 64)
                names[n++] = strdup(d->d_name);
            off += d->d_reclen;
        }
    }
    close(fd);
    qsort(names, n, sizeof(char *), cmpstr);
    printf("%s: %d entries:", label, n);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(void)
{
    const char *t = getenv("TMPDIR");
    if (!t || !*t)
        t = "/tmp";
    snprintf(dir, sizeof dir, "%s/rvwfio.XXXXXX", t);
    if (!mkdtemp(dir)) {
        printf("mkdtemp failed errno=%d\n", errno);
        return 1;
    }
    printf("mkdtemp ok\n");
    char p[4096], q[4096];

    path(p, "a.txt");
    int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
    printf("open create: %s\n", fd >= 0 ? "ok" : "FAIL");
    const char *msg = "The quick brown fox jumps over the lazy dog\n";
    ssize_t w = write(fd, msg, strlen(msg));
    printf("write=%zd\n", w);
    off_t o = lseek(fd, 0, SEEK_CUR);
    printf("lseek cur=%ld\n", (long)o);
    o = lseek(fd, 4, SEEK_SET);
    printf("lseek set=%ld\n", (long)o);
    char buf[256];
    memset(buf, 0, sizeof buf);
    ssize_t r = read(fd, buf, 5);
    printf("read=%zd \"%s\"\n", r, buf);
    o = lseek(fd, -4, SEEK_END);
    printf("lseek end-4=%ld\n", (long)o);
    memset(buf, 0, sizeof buf);
    r = read(fd, buf, 100);
    printf("read tail=%zd \"%.*s\"\n", r, (int)(r > 0 ? r - 1 : 0), buf);
    r = read(fd, buf, 100);
    printf("read at eof=%zd\n", r);

    struct stat st;
    fstat(fd, &st);
    printf("fstat size=%ld isreg=%d\n", (long)st.st_size, S_ISREG(st.st_mode));

    memset(buf, 0, sizeof buf);
    r = pread(fd, buf, 3, 16);
    printf("pread=%zd \"%s\" pos-after=%ld\n", r, buf, (long)lseek(fd, 0, SEEK_CUR));
    w = pwrite(fd, "CAT", 3, 16);
    printf("pwrite=%zd\n", w);
    memset(buf, 0, sizeof buf);
    pread(fd, buf, 44, 0);
    printf("content now: %.*s\n", 43, buf);

    /* writev / readv */
    lseek(fd, 0, SEEK_END);
    struct iovec iov[3] = {
        {"alpha-", 6}, {"beta-", 5}, {"gamma\n", 6}};
    w = writev(fd, iov, 3);
    printf("writev=%zd\n", w);
    fstat(fd, &st);
    printf("fstat size=%ld\n", (long)st.st_size);
    lseek(fd, 44, SEEK_SET);
    char b1[4] = {0}, b2[8] = {0}, b3[16] = {0};
    struct iovec riov[3] = {{b1, 3}, {b2, 7}, {b3, 15}};
    r = readv(fd, riov, 3);
    printf("readv=%zd \"%s\" \"%s\" \"%.*s\"\n", r, b1, b2, (int)strcspn(b3, "\n"), b3);

    /* sparse extension */
    w = pwrite(fd, "Z", 1, 99);
    fstat(fd, &st);
    printf("sparse pwrite=%zd size=%ld\n", w, (long)st.st_size);
    memset(buf, 0x55, sizeof buf);
    r = pread(fd, buf, 10, 61);
    int zeros = 0;
    for (int i = 0; i < r; i++)
        zeros += buf[i] == 0;
    printf("hole read=%zd zeros=%d\n", r, zeros);
    ftruncate(fd, 20);
    fstat(fd, &st);
    printf("ftruncate size=%ld\n", (long)st.st_size);

    /* dup / dup2 */
    int d = dup(fd);
    printf("dup: %s\n", d > fd ? "ok (higher fd)" : "FAIL");
    lseek(d, 0, SEEK_SET);
    printf("dup shares offset: %s\n", lseek(fd, 0, SEEK_CUR) == 0 ? "yes" : "no");
    int d2 = dup2(fd, 50);
    printf("dup2 -> %d\n", d2);
    memset(buf, 0, sizeof buf);
    r = read(50, buf, 9);
    printf("read via dup2=%zd \"%s\"\n", r, buf);
    close(d);
    close(50);
    r = read(50, buf, 1);
    printf("read closed fd=%zd errno=%s\n", r, errno == EBADF ? "EBADF" : "other");
    close(fd);

    /* pipe */
    int pfd[2];
    printf("pipe=%d\n", pipe(pfd));
    w = write(pfd[1], "through the pipe", 16);
    memset(buf, 0, sizeof buf);
    r = read(pfd[0], buf, sizeof buf);
    printf("pipe write=%zd read=%zd \"%s\"\n", w, r, buf);
    close(pfd[1]);
    r = read(pfd[0], buf, sizeof buf);
    printf("pipe read after close=%zd\n", r);
    close(pfd[0]);

    /* directories, rename, unlink */
    path(p, "sub");
    printf("mkdir=%d\n", mkdir(p, 0755));
    printf("mkdir again=%d errno=%s\n", mkdir(p, 0755), errno == EEXIST ? "EEXIST" : "other");
    path(p, "b.txt");
    fd = open(p, O_CREAT | O_WRONLY, 0600);
    write(fd, "bbb", 3);
    close(fd);
    path(p, "c.dat");
    fd = open(p, O_CREAT | O_WRONLY | O_EXCL, 0600);
    close(fd);
    fd = open(p, O_CREAT | O_WRONLY | O_EXCL, 0600);
    printf("O_EXCL on existing: %d errno=%s\n", fd, errno == EEXIST ? "EEXIST" : "other");
    list_dir("list1");
    path(p, "a.txt");
    path(q, "renamed.txt");
    printf("rename=%d\n", rename(p, q));
    printf("stat old: %d errno=%s\n", stat(p, &st), errno == ENOENT ? "ENOENT" : "other");
    printf("stat new: %d size=%ld\n", stat(q, &st), (long)st.st_size);
    list_dir("list2");
    printf("unlink renamed=%d\n", unlink(q));
    path(p, "b.txt");
    printf("unlink b=%d\n", unlink(p));
    path(p, "c.dat");
    printf("unlink c=%d\n", unlink(p));
    printf("unlink missing=%d errno=%s\n", unlink(p), errno == ENOENT ? "ENOENT" : "other");
    list_dir("list3");
    path(p, "sub");
    printf("rmdir=%d\n", rmdir(p));
    list_dir("list4");
    printf("rmdir tmp=%d\n", rmdir(dir));
    printf("stat tmp after rmdir: %d\n", stat(dir, &st));
    return 0;
}
