# RV64I loads and stores of every size and signedness, each with its guest pc; offsets
# negative, zero and positive; x0 as the base and a load into x0 (the load still runs).
	.option norvc
	lb	a0, -1(sp)
	lbu	a0, 0(sp)
	lh	a1, 2(sp)
	lhu	a1, -2(sp)
	lw	a2, 4(sp)
	lwu	a2, 2047(sp)
	ld	a3, -2048(sp)
	ld	a4, 0(a4)
	sb	a0, 1(sp)
	sh	a1, -3(sp)
	sw	a2, 0(sp)
	sd	a3, 8(a3)
	sd	zero, 16(sp)
	lw	a5, 0x100(zero)
	lw	zero, 0(a0)
