# RV64M: mul mulh mulhsu mulhu div divu rem remu on i64; mulw divw divuw remw remuw on
# the low 32 bits, sign-extended (the IR ops have RISC-V division semantics).
	.option norvc
	mul	a0, a1, a2
	mulh	a0, a1, a2
	mulhsu	a0, a1, a2
	mulhu	a0, a1, a2
	div	a3, a4, a5
	divu	a3, a4, a5
	rem	a3, a4, a5
	remu	a3, a4, a5
	mulw	a6, a7, t0
	divw	a6, a7, t0
	divuw	a6, a7, t0
	remw	a6, a7, t0
	remuw	a6, a7, t0
