# Region ends without a direct successor: ecall (trap ecall), ebreak (trap ebreak),
# illegal 32-bit and compressed words (trap illegal), fence (nothing), fence.i (exit).
	.option norvc
	fence
	fence	rw, w
	beqz	a0, 1f
	ecall
1:	beqz	a1, 2f
	ebreak
2:	beqz	a2, 3f
	.word	0xffffffff
3:	beqz	a3, 4f
	.half	0
	.half	0
4:	fence.i
	addi	a0, a0, 1
