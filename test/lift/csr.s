# Zicsr: fflags, frm and fcsr as getcsr/setcsr (fcsr = frm << 5 | fflags; a write keeps
# 5 and 3 bits; csrrs/csrrc with x0 or zimm 0 only read); every other CSR op is a call of
# the csr helper with its Op and packed fields rd | rs1 << 5 | csr << 10 (rs1 is the zimm
# for the immediate forms).
	.option norvc
	frflags	a0
	fsflags	a1, a2
	frrm	a3
	fsrmi	a4, 1
	frcsr	a5
	fscsr	a6
	csrrci	a0, fflags, 0x1f
	csrrs	a0, fcsr, t0
	rdcycle	t1
	rdtime	t2
	rdinstret	t3
	csrw	cycle, a0
	csrrs	a1, fflags, zero
	csrrsi	a2, frm, 0
	csrrwi	zero, fcsr, 0x1f
