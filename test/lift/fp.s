# RV64F/D: loads, stores and moves as raw bits (flw NaN-boxes); f32 operands unboxed (the
# canonical NaN unless NaN-boxed) and f32 results boxed; arithmetic and conversions one
# fexact each with the instruction's rounding mode; sign injection on the bits (fmv.d a
# plain copy); fmin/fmax/feq raise NV for a signaling NaN, flt/fle for any NaN; fclass.
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
	fmv.d	fa6, fa7
	fsgnjx.s	fa6, fa7, fa0
	fmax.d	ft2, ft3, ft4
	fle.d	a5, fa0, fa1
	fcvt.s.lu	fa5, a4, rmm
	fmv.x.w	a3, fa5
	fmv.d.x	fa6, a4
	fcvt.d.w	fa5, a0
