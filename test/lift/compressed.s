# RVC: compressed forms expand to their base instruction before lifting (2-byte pcs):
# arithmetic, sp-relative and register loads/stores (also FP), branches, jumps, ebreak.
	.option rvc
	c.addi	a0, -1
	c.li	a1, 31
	c.lui	a2, 0xfffe1
	c.addi16sp	sp, -64
	c.addi4spn	s0, sp, 16
	c.slli	a0, 3
	c.srli	s1, 1
	c.srai	s1, 63
	c.andi	s1, -2
	c.mv	a3, a4
	c.add	a3, a4
	c.sub	s0, s1
	c.xor	s0, s1
	c.or	s0, s1
	c.and	s0, s1
	c.addw	s0, s1
	c.subw	s0, s1
	c.addiw	a5, 1
	c.lw	a0, 4(s0)
	c.ld	a1, 8(s1)
	c.sw	a0, 4(s0)
	c.sd	a1, 8(s1)
	c.lwsp	a2, 12(sp)
	c.ldsp	a3, 16(sp)
	c.swsp	a2, 12(sp)
	c.sdsp	a3, 16(sp)
	c.fld	fa0, 8(s0)
	c.fsd	fa0, 8(s0)
	c.fldsp	fa1, 24(sp)
	c.fsdsp	fa1, 24(sp)
	c.nop
	c.beqz	a0, 1f
	c.jr	ra
1:	c.bnez	a1, 2f
	c.jalr	t0
2:	c.beqz	s0, 3f
	c.ebreak
3:	c.j	1b
