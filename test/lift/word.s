# RV64I *w ops: computed on the low 32 bits (trunc), result sign-extended (extend signed):
# addiw (sext.w) slliw srliw sraiw addw subw sllw srlw sraw.
	.option norvc
	addiw	a0, a1, -1
	sext.w	a0, a0
	slliw	a2, a3, 31
	srliw	a2, a3, 1
	sraiw	a2, a3, 31
	addw	a4, a5, a6
	subw	a4, a5, a6
	sllw	a4, a5, a6
	srlw	a4, a5, a6
	sraw	a4, a5, a6
	negw	a7, a7
