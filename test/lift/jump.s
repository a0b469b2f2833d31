# Jumps: jal x0 inside the region (a br), a call (jal ra: link constant, exit), jalr with
# rd = rs1 (rs1 read first), ret, jr; code after a call is not in the region.
	.option norvc
	.equ	far, 0x12000
	beqz	a0, 1f
	jal	far
	addi	a0, a0, 1
1:	beqz	a1, 2f
	jalr	a0, 8(a0)
2:	beqz	a2, 3f
	ret
3:	j	4f
	addi	a1, a1, 1
4:	bnez	a3, 5f
	jr	t0
5:	jalr	ra, -4(t1)
