# RV64I shifts by immediate (slli srli srai, amounts 0, 1, 31, 32, 63) and by register
# (the IR shifts take the amount modulo 64, as RISC-V does).
	.option norvc
	slli	a0, a1, 0
	slli	a0, a1, 1
	slli	a0, a1, 63
	srli	a2, a3, 32
	srli	a2, a3, 63
	srai	a4, a5, 31
	srai	a4, a5, 63
	sll	a0, a0, a1
	srl	a0, a0, a1
	sra	a0, a0, a1
