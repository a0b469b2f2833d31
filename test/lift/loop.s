# Loops: the region entry is the outer loop header, so the IR gets an entry block that
# branches to it (the entry block may not be a branch target); an inner counted loop.
	.option norvc
outer:
	addi	a0, a0, -1
	mv	t0, a1
inner:
	ld	t1, 0(a2)
	add	a3, a3, t1
	addi	a2, a2, 8
	addi	t0, t0, -1
	bnez	t0, inner
	bnez	a0, outer
	ret
