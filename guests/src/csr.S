/* Counter CSRs (only monotonicity is printed) and the FP CSRs fflags/frm/fcsr
 * through every Zicsr instruction form. */
	.file "csr.S"
#include "asmlib.inc"

    .macro CHECK_NONDEC name, rd_insn
    \rd_insn s0
    li t0, 2000
1:  addi t0, t0, -1
    bnez t0, 1b
    \rd_insn s1
    \rd_insn s2
    sltu s3, s1, s0          /* 1 if went backwards */
    sltu s4, s2, s1
    or s3, s3, s4
    bnez s3, 2f
    SAY "\name non-decreasing: ok"
    j 3f
2:  SAY "\name non-decreasing: FAIL"
3:
    .endm

    .text
    .globl _start
_start:
    CHECK_NONDEC "rdcycle", rdcycle
    CHECK_NONDEC "rdtime", rdtime
    CHECK_NONDEC "rdinstret", rdinstret
    csrr s0, cycle
    csrr s1, time
    csrr s2, instret
    csrrs s3, cycle, zero
    csrrs s4, time, zero
    csrrs s5, instret, zero
    sltu t0, s3, s0
    sltu t1, s4, s1
    or t0, t0, t1
    sltu t1, s5, s2
    or t0, t0, t1
    bnez t0, 1f
    SAY "csrr/csrrs x0 counter reads non-decreasing: ok"
    j 2f
1:  SAY "csrr/csrrs x0 counter reads non-decreasing: FAIL"
2:
    /* instret must advance across a long loop */
    rdinstret s0
    li t0, 100000
3:  addi t0, t0, -1
    bnez t0, 3b
    rdinstret s1
    bltu s0, s1, 4f
    SAY "rdinstret advanced over loop: FAIL"
    j 5f
4:  SAY "rdinstret advanced over loop: ok"
5:
    /* ---- FP CSRs ---- */
    frcsr s0
    REPORT "initial fcsr", s0
    li t0, 0x9f
    csrrw s0, fcsr, t0
    REPORT "csrrw fcsr,0x9f old", s0
    csrr s0, fflags
    REPORT "fflags", s0
    csrr s0, frm
    REPORT "frm", s0
    li t0, 5
    csrrc s0, fflags, t0
    REPORT "csrrc fflags,5 old", s0
    csrr s0, fcsr
    REPORT "fcsr", s0
    li t0, 4
    csrrc s0, frm, t0
    REPORT "csrrc frm,4 old", s0
    li t0, 2
    csrrs s0, frm, t0
    REPORT "csrrs frm,2 old", s0
    csrr s0, fcsr
    REPORT "fcsr", s0
    csrrwi s0, frm, 1
    REPORT "csrrwi frm,1 old", s0
    csrrsi s0, fflags, 0x10
    REPORT "csrrsi fflags,0x10 old", s0
    csrrci s0, fflags, 0x3
    REPORT "csrrci fflags,3 old", s0
    csrr s0, fcsr
    REPORT "fcsr", s0
    csrrwi s0, fflags, 0
    REPORT "csrrwi fflags,0 old", s0
    li t0, 0xff
    csrrw s0, fflags, t0
    REPORT "csrrw fflags,0xff old", s0
    csrr s0, fflags
    REPORT "fflags after writing 0xff", s0
    li t0, 0xffffffff
    csrrw zero, fcsr, t0
    csrr s0, fcsr
    REPORT "fcsr after writing 0xffffffff", s0
    csrr s0, frm
    REPORT "frm", s0
    csrrwi zero, fcsr, 0
    csrrs s0, fcsr, zero
    REPORT "fcsr after csrrwi 0", s0
    csrrsi s0, fcsr, 0x1f
    csrrci s1, fcsr, 0
    REPORT "csrrsi fcsr,0x1f old", s0
    REPORT "csrrci fcsr,0 (read only)", s1
    fsflags zero
    fsrm zero

    /* arithmetic sets flags */
    li t0, 1
    fcvt.d.l ft0, t0
    fcvt.d.l ft1, zero
    fdiv.d ft2, ft0, ft1
    frflags s0
    REPORT "fflags after 1/0", s0
    fsflags zero
    li t0, 3
    fcvt.d.l ft1, t0
    fdiv.d ft2, ft0, ft1
    frflags s0
    REPORT "fflags after 1/3", s0
    fsflagsi s1, 0
    REPORT "fsflagsi old", s1

    /* dynamic rounding mode taken from frm */
    li t0, 5
    fcvt.d.l ft0, t0
    li t0, 2
    fcvt.d.l ft1, t0
    fdiv.d ft2, ft0, ft1          /* 2.5 */
    fsrmi 2                       /* rdn */
    fcvt.w.d s0, ft2
    REPORT "fcvt.w.d 2.5 frm=rdn", s0
    fsrmi 3                       /* rup */
    fcvt.w.d s0, ft2
    REPORT "fcvt.w.d 2.5 frm=rup", s0
    fsrmi 0                       /* rne */
    fcvt.w.d s0, ft2
    REPORT "fcvt.w.d 2.5 frm=rne", s0
    fsrmi s1, 4                   /* rmm, returns old */
    fcvt.w.d s0, ft2
    REPORT "fcvt.w.d 2.5 frm=rmm", s0
    REPORT "fsrmi old", s1
    fcvt.w.d s0, ft2, rtz         /* static overrides dynamic */
    REPORT "fcvt.w.d 2.5 static rtz", s0
    frrm s0
    REPORT "frm", s0
    frcsr s0
    REPORT "final fcsr", s0
    SAY "csr done"
    EXIT 0
