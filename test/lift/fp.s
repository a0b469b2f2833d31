# RV64F/D: flw (NaN-boxed) fld fsw fsd natively as raw bits; every other F/D op is a call
# of the fp helper with its Op and packed fields rd | rs1 << 5 | rs2 << 10 | rs3 << 15 | rm << 20.
	.option norvc
	flw	fa0, 4(sp)
	fld	fa1, -8(sp)
	fsw	fa0, 0(a0)
	fsd	fa1, 8(a0)
	fadd.s	fa2, fa0, fa1
	fadd.d	fa2, fa0, fa1, rtz
	fmadd.d	fa3, fa0, fa1, fa2
	fnmsub.s	fa3, fa0, fa1, fa2, rup
	fsqrt.d	ft0, ft1
	fsgnjn.d	ft0, ft1, ft1
	fmin.s	ft2, ft3, ft4
	fcvt.w.s	a0, fa0, rtz
	fcvt.lu.d	a1, fa1
	fcvt.d.l	fa4, a2
	fcvt.s.d	fa5, fa4
	fcvt.d.s	fa5, fa0
	fmv.x.d	a3, fa5
	fmv.w.x	fa6, a4
	feq.d	a5, fa0, fa1
	flt.s	a5, fa0, fa1
	fclass.d	a6, fa0
	fcvt.w.s	zero, fa0
