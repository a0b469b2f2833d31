# Conditional branches (beq bne blt bge bltu bgeu, and the beqz/bgtz pseudo forms with
# x0), targets inside the region, a diamond that joins, and a target outside it (an exit block).
	.option norvc
	beq	a0, a1, 1f
	addi	a2, a2, 1
1:	bne	a0, a1, 2f
	addi	a2, a2, 2
2:	blt	a0, a1, 3f
	bge	a0, a1, 3f
3:	bltu	a0, a1, 4f
	addi	a2, a2, 3
	j	5f
4:	addi	a2, a2, 4
5:	bgeu	a2, a3, . + 0x800
	beqz	a4, 6f
	bgtz	a5, 6f
6:	ret
