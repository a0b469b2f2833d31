/* Self-modifying code: generate code in an RWX mmap page, fence.i, run it,
 * patch it, fence.i, run again. */
	.file "selfmod.S"
#include "asmlib.inc"

#define ADDI_A0_ZERO(imm) ((((imm) & 0xfff) << 20) | 0x513)
#define ADDI_A0_A0(imm)   ((((imm) & 0xfff) << 20) | 0x50513)
#define RET               0x00008067
#define NOP               0x00000013
#define FENCE_I           0x0000100f
#define SW_A1_0_A2        0x00b62023
#define C_LI_A0(imm)      (0x4000 | ((((imm) >> 5) & 1) << 12) | (10 << 7) | (((imm) & 0x1f) << 2) | 1)
#define C_JR_RA           0x8082

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

    /* f: addi a0,zero,111 ; addi a0,a0,0 ; ret */
    li t0, ADDI_A0_ZERO(111)
    sw t0, 0(s0)
    li t0, ADDI_A0_A0(0)
    sw t0, 4(s0)
    li t0, RET
    sw t0, 8(s0)
    fence.i
    jalr s0
    REPORT "first call (111)", a0

    /* call it many times */
    li s1, 0
    li s2, 1000
1:  jalr s0
    add s1, s1, a0
    addi s2, s2, -1
    bnez s2, 1b
    REPORT "1000 calls sum (111000)", s1

    /* patch the first instruction */
    li t0, ADDI_A0_ZERO(222)
    sw t0, 0(s0)
    fence.i
    jalr s0
    REPORT "after patching imm (222)", a0

    /* patch the middle instruction */
    li t0, ADDI_A0_A0(-5)
    sw t0, 4(s0)
    fence.i
    li s1, 0
    li s2, 1000
2:  jalr s0
    add s1, s1, a0
    addi s2, s2, -1
    bnez s2, 2b
    REPORT "patched middle, 1000 calls sum (217000)", s1

    /* compressed code generated at runtime: c.li a0,7 ; c.jr ra */
    li t0, C_LI_A0(7)
    sh t0, 64(s0)
    li t0, C_JR_RA
    sh t0, 66(s0)
    fence.i
    addi s3, s0, 64
    jalr s3
    REPORT "compressed c.li 7", a0
    li t0, C_LI_A0(-3)
    sh t0, 64(s0)
    fence.i
    jalr s3
    REPORT "compressed c.li -3", a0

    /* code that patches itself: sw a1,0(a2) ; fence.i ; nop ; <slot> ; ret */
    li t0, SW_A1_0_A2
    sw t0, 128(s0)
    li t0, FENCE_I
    sw t0, 132(s0)
    li t0, NOP
    sw t0, 136(s0)
    li t0, ADDI_A0_ZERO(1)
    sw t0, 140(s0)
    li t0, RET
    sw t0, 144(s0)
    fence.i
    addi s4, s0, 128
    addi a2, s0, 140
    li a1, ADDI_A0_ZERO(1)
    jalr s4
    REPORT "self-patching code, same insn (1)", a0
    addi a2, s0, 140
    li a1, ADDI_A0_ZERO(99)
    jalr s4
    REPORT "self-patching code, new insn (99)", a0
    addi a2, s0, 140
    li a1, ADDI_A0_ZERO(-1)
    jalr s4
    REPORT "self-patching code, again (-1)", a0

    /* munmap */
    mv a0, s0
    li a1, 4096
    li a7, 215
    ecall
    REPORT "munmap", a0
    SAY "selfmod done"
    EXIT 0

mmap_failed:
    SAY "mmap rwx: FAILED"
    EXIT 1
