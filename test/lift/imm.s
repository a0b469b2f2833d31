# RV64I immediates: addi (mv, nop, li), slti sltiu xori ori andi with negative and
# positive immediates, lui and auipc (constants), a 32-bit li (lui + addiw).
	.option norvc
	addi	a0, a1, -2048
	addi	a0, a1, 2047
	mv	a2, a3
	nop
	li	a4, 42
	slti	t0, t1, -1
	sltiu	t0, t1, -1
	seqz	t2, t3
	xori	a5, a6, -1
	ori	a5, a6, 0x7ff
	andi	a5, a6, -16
	lui	s0, 0x80000
	lui	s1, 0x12345
	auipc	s2, 0
	auipc	s3, 0xfffff
	li	s4, 0x12345678
