/* Self-modifying code against a tiered engine: functions generated into an RWX page get
 * hot (so a translation of them is being compiled in the background), and are rewritten
 * at once, round after round, while those compilations are in flight. A translation
 * installed although its code was rewritten meanwhile would return an old value. Then
 * the code stays long enough to run compiled, and is rewritten and checked again.
 *
 *   f(t0 = n):  a0 = 0; do { a0 += K; } while (--n);  return a0      (at page + 0)
 *   g():        return 7                                             (at page + 2048)
 * f's loop header is entered by a backward branch, so it gets hot within one call. */
	.file "selfmod-tier.S"
#include "asmlib.inc"

#define LI_A0_0     0x00000513
#define ADDI_A0_A0  0x00050513 /* | imm << 20 */
#define ADDI_T0_M1  0xfff28293
#define BNEZ_T0_M8  0xfe029ce3
#define RET         0x00008067
#define LI_A0_7     0x00700513

#define ITERATIONS  8

    .text
    .globl _start
_start:
    /* mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) */
    li a0, 0
    li a1, 4096
    li a2, 7
    li a3, 0x22
    li a4, -1
    li a5, 0
    li a7, 222
    ecall
    li t0, -4096
    bltu t0, a0, mmap_failed
    mv s0, a0
    SAY "mmap rwx: ok"

    li t0, LI_A0_0
    sw t0, 0(s0)
    li t0, ADDI_T0_M1
    sw t0, 8(s0)
    li t0, BNEZ_T0_M8
    sw t0, 12(s0)
    li t0, RET
    sw t0, 16(s0)
    addi s7, s0, 2047
    addi s7, s7, 1      /* g */
    li t0, LI_A0_7
    sw t0, 0(s7)
    li t0, RET
    sw t0, 4(s7)

    /* Phase 1: 1500 rounds; round r sets K = r mod 2048, then calls f and g 150 times. */
    li s1, 0            /* r */
    li s2, 0            /* sum of f's results */
    li s3, 0            /* wrong results */
    li s4, 0            /* sum of g's results */
round:
    andi a0, s1, 2047
    call set_k
    li s5, 150
    andi s6, s1, 2047
    slli s6, s6, 3      /* the right answer: K * ITERATIONS */
1:  li t0, ITERATIONS
    jalr s0
    add s2, s2, a0
    beq a0, s6, 2f
    addi s3, s3, 1
2:  jalr s7
    add s4, s4, a0
    addi s5, s5, -1
    bnez s5, 1b
    addi s1, s1, 1
    li t0, 1500
    bne s1, t0, round
    REPORT "phase 1: sum of f", s2
    REPORT "phase 1: sum of g (1575000)", s4
    REPORT "phase 1: wrong results (0)", s3

    /* Phase 2: three times, K fixed for 60000 calls (long enough to run compiled), then
     * rewritten and called once at once. */
    li s1, 3
    li s3, 0
phase2:
    li a0, 1000
    add a0, a0, s1
    call set_k
    li s5, 60000
    li s2, 0
1:  li t0, ITERATIONS
    jalr s0
    add s2, s2, a0
    addi s5, s5, -1
    bnez s5, 1b
    REPORT "phase 2: sum of f", s2
    li a0, 5
    call set_k
    li t0, ITERATIONS
    jalr s0
    REPORT "phase 2: f after rewriting (40)", a0
    addi s1, s1, -1
    bnez s1, phase2

    SAY "selfmod-tier done"
    EXIT 0

mmap_failed:
    SAY "mmap rwx: FAILED"
    EXIT 1

/* set_k(a0 = K, 0..2047): rewrites f's addi and makes the new code visible. */
set_k:
    slli a0, a0, 20
    li t0, ADDI_A0_A0
    or a0, a0, t0
    sw a0, 4(s0)
    fence.i
    ret
