/* Static PIE "Hello, world!" without libc.
 * Debian's riscv64 glibc 2.36 has no rcrt1.o, so -static-pie cannot link against
 * glibc; this guest brings its own startup code and applies its own
 * R_RISCV_RELATIVE relocations (the message pointers below need them), so the
 * loader only has to map an ET_DYN image without PT_INTERP at some base. */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>

extern Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

static const char msg1[] = "Hello, ";
static const char msg2[] = "world!\n";
static const char *const parts[] = {msg1, msg2}; /* R_RISCV_RELATIVE x2 */
static const size_t lens[] = {sizeof msg1 - 1, sizeof msg2 - 1};

static long sys3(long n, long a, long b, long c)
{
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

__attribute__((used, noreturn)) void cstart(long *sp)
{
    uintptr_t base = (uintptr_t)&__ehdr_start;
    Elf64_Rela *rela = NULL;
    size_t relasz = 0;
    for (Elf64_Dyn *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_RELA)
            rela = (Elf64_Rela *)(base + d->d_un.d_ptr);
        else if (d->d_tag == DT_RELASZ)
            relasz = d->d_un.d_val;
    }
    for (size_t i = 0; i < relasz / sizeof(Elf64_Rela); i++)
        if (ELF64_R_TYPE(rela[i].r_info) == R_RISCV_RELATIVE)
            *(volatile uint64_t *)(base + rela[i].r_offset) = base + rela[i].r_addend;
    (void)sp;
    const char *const *volatile pp = parts; /* force real loads of the relocated pointers */
    for (int i = 0; i < 2; i++)
        sys3(64, 1, (long)pp[i], (long)lens[i]);
    sys3(93, 0, 0, 0);
    __builtin_unreachable();
}

__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  mv a0, sp\n"
        "  andi sp, sp, -16\n"
        "  call cstart\n");
