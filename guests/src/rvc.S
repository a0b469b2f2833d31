/* Exercises every RV64GC compressed encoding with explicit c.* mnemonics and
 * prints the results. Exit via syscall 93. */
	.file "rvc.S"
#include "asmlib.inc"

    .data
    .balign 16
dat:
    .dword 0x1122334455667788
    .dword 0x99aabbccddeeff00
    .dword 0x3ff8000000000000      /* 1.5 */
    .dword 0x4004000000000000      /* 2.5 */
    .dword 0
    .dword 0
    .space 256

    .text
    .globl _start
_start:
    /* ---- stack-pointer based forms ---- */
    mv s11, sp
    c.addi16sp sp, -512
    sub t0, s11, sp
    REPORT "c.addi16sp -512 (delta)", t0
    c.addi4spn s0, sp, 64
    c.mv a5, sp
    c.sub s0, a5
    REPORT "c.addi4spn 64 / c.mv / c.sub", s0
    c.addi4spn s1, sp, 1020
    sub s1, s1, sp
    REPORT "c.addi4spn 1020", s1
    c.addi4spn a0, sp, 4
    sub a0, a0, sp
    REPORT "c.addi4spn 4", a0

    c.li a4, -7
    c.sdsp a4, 8(sp)
    c.ldsp a3, 8(sp)
    REPORT "c.sdsp/c.ldsp -7", a3
    li a4, 0x0123456789abcdef
    c.sdsp a4, 504(sp)
    c.ldsp s2, 504(sp)
    REPORT "c.sdsp/c.ldsp 504", s2
    c.li a4, 1
    c.slli a4, 31
    c.swsp a4, 16(sp)
    c.lwsp a2, 16(sp)
    REPORT "c.swsp/c.lwsp 0x80000000 (sign-ext)", a2
    li a4, 0x7edcba98
    c.swsp a4, 252(sp)
    c.lwsp a2, 252(sp)
    REPORT "c.swsp/c.lwsp 252", a2

    /* ---- register-based loads/stores ---- */
    la a0, dat
    c.ld a1, 8(a0)
    REPORT "c.ld 8", a1
    la a0, dat
    c.lw a2, 4(a0)
    REPORT "c.lw 4", a2
    la a0, dat
    c.lw a2, 12(a0)
    REPORT "c.lw 12 (sign-ext)", a2
    la s0, dat
    li a3, 0xfedcba9876543210
    c.sd a3, 248(s0)
    ld s2, 248(s0)
    REPORT "c.sd 248", s2
    c.sw a3, 124(s0)
    lwu s2, 124(s0)
    REPORT "c.sw 124", s2
    c.lw a5, 124(s0)
    REPORT "c.lw 124", a5

    /* ---- FP compressed loads/stores ---- */
    la s1, dat
    c.fld fa0, 16(s1)
    c.fld fa1, 24(s1)
    fadd.d fa2, fa0, fa1
    c.fsd fa2, 32(s1)
    ld s2, 32(s1)
    REPORT "c.fld/c.fsd 1.5+2.5", s2
    c.fsdsp fa1, 40(sp)
    c.fldsp fa4, 40(sp)
    fmv.x.d s2, fa4
    REPORT "c.fsdsp/c.fldsp 2.5", s2
    c.fsdsp fa0, 504(sp)
    c.fldsp fs0, 504(sp)
    fmv.x.d s2, fs0
    REPORT "c.fsdsp/c.fldsp 504", s2

    /* ---- immediates ---- */
    c.nop
    c.li a0, -32
    REPORT "c.li -32", a0
    c.li a0, 31
    REPORT "c.li 31", a0
    c.li a0, 0
    c.addi a0, -32
    REPORT "c.addi -32", a0
    c.addi a0, 31
    REPORT "c.addi 31", a0
    li a0, 0x7fffffff
    c.addiw a0, 1
    REPORT "c.addiw 0x7fffffff+1", a0
    li a0, 0x123456789abcdef0
    c.addiw a0, 0
    REPORT "c.addiw 0 (sext.w)", a0
    li a0, 0xffffffff00000000
    c.addiw a0, -1
    REPORT "c.addiw -1 of 0xffffffff00000000", a0
    c.lui a0, 0xfffe0
    REPORT "c.lui 0xfffe0", a0
    c.lui a0, 0xfffff
    REPORT "c.lui 0xfffff", a0
    c.lui a0, 31
    REPORT "c.lui 31", a0
    c.lui a0, 1
    REPORT "c.lui 1", a0
    c.addi16sp sp, 496
    c.addi16sp sp, 16
    sub t0, s11, sp
    REPORT "c.addi16sp +496,+16 (delta)", t0
    c.addi16sp sp, -512

    /* ---- shifts and logic on x8-x15 ---- */
    li s0, 0x8000000000000001
    c.srli s0, 1
    REPORT "c.srli 1", s0
    li s0, 0x8000000000000001
    c.srli s0, 63
    REPORT "c.srli 63", s0
    li s1, 0x8000000000000001
    c.srai s1, 1
    REPORT "c.srai 1", s1
    li s1, 0x8000000000000001
    c.srai s1, 63
    REPORT "c.srai 63", s1
    li a2, 0x123456789abcdef0
    c.srai a2, 32
    REPORT "c.srai 32", a2
    li a3, 0x00000000ffffffff
    c.andi a3, -32
    REPORT "c.andi -32", a3
    li a3, 0x00000000ffffffff
    c.andi a3, 31
    REPORT "c.andi 31", a3
    li a3, 0x5555555555555555
    c.andi a3, 0
    REPORT "c.andi 0", a3
    li a0, 3
    c.slli a0, 63
    REPORT "c.slli 63", a0
    li a0, 0x0123456789abcdef
    c.slli a0, 4
    REPORT "c.slli 4", a0

    li a4, 0x00ff00ff00ff00ff
    li a5, 0x0f0f0f0f0f0f0f0f
    mv s0, a4
    c.xor s0, a5
    REPORT "c.xor", s0
    mv s0, a4
    c.or s0, a5
    REPORT "c.or", s0
    mv s0, a4
    c.and s0, a5
    REPORT "c.and", s0
    mv s0, a4
    c.sub s0, a5
    REPORT "c.sub", s0
    li s0, 0x80000000
    li s1, 1
    c.subw s0, s1
    REPORT "c.subw 0x80000000-1", s0
    li s0, 0
    c.subw s0, s1
    REPORT "c.subw 0-1", s0
    li s0, 0x7fffffff
    c.addw s0, s1
    REPORT "c.addw 0x7fffffff+1", s0
    li s0, 0xffffffff00000005
    li s1, 0x00000001fffffffe
    c.addw s0, s1
    REPORT "c.addw upper garbage", s0

    /* ---- c.mv / c.add ---- */
    li t3, 0x1111111111111111
    li t4, 0x2222222222222222
    c.mv t5, t3
    c.add t5, t4
    REPORT "c.mv/c.add", t5
    li s3, -1
    c.add s3, s3
    REPORT "c.add -1+-1", s3

    /* ---- control flow ---- */
    c.li s4, 0
    c.j 1f
    c.ebreak               /* never executed */
    c.li s4, 15
1:  c.addi s4, 1           /* s4 = 1 */
    c.li a0, 0
    c.beqz a0, 2f          /* taken */
    c.addi s4, 8
2:  c.slli s4, 1           /* s4 = 2 */
    c.li a1, 5
    c.beqz a1, 3f          /* not taken */
    c.addi s4, 1           /* s4 = 3 */
3:  c.slli s4, 1           /* s4 = 6 */
    c.bnez a1, 4f          /* taken */
    c.addi s4, 8
4:  c.slli s4, 1           /* s4 = 12 */
    c.bnez a0, 5f          /* not taken */
    c.addi s4, 1           /* s4 = 13 */
5:  REPORT "c.j/c.beqz/c.bnez path (expect d)", s4

    /* backward branch loop: sum 1..10 */
    c.li s5, 0
    c.li a2, 10
6:  c.add s5, a2
    c.addi a2, -1
    c.bnez a2, 6b
    REPORT "c.bnez loop sum 1..10", s5

    /* c.jr */
    la t0, 7f
    c.li s6, 1
    c.jr t0
    c.li s6, 2             /* skipped */
7:  REPORT "c.jr (expect 1)", s6

    /* c.jalr and return with c.jr ra */
    la t1, leaf
    c.jalr t1
retpoint:
    la t2, retpoint
    sub s7, ra, t2
    REPORT "c.jalr ra-retpoint (expect 0)", s7
    REPORT "leaf result", s8

    c.addi16sp sp, 496
    c.addi16sp sp, 16
    SAY "rvc done"
    EXIT 0

leaf:
    li s8, 0x4c656166       /* "Leaf" */
    c.jr ra
