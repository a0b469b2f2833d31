# RV64I register-register ALU: add sub and or xor sll srl sra slt sltu,
# with x0 as a source (read as iconst 0) and as a destination (write dropped).
	.option norvc
	add	a0, a1, a2
	sub	a0, a0, a1
	and	t0, t1, t2
	or	t0, t0, zero
	xor	s1, s2, s3
	sll	a3, a4, a5
	srl	a3, a4, a5
	sra	a3, a4, a5
	slt	a6, a7, s4
	sltu	a6, a7, s4
	add	zero, a0, a1
	neg	a0, a0
