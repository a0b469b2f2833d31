//! The value types of the IR: two integer and two IEEE float widths, nothing else.
//! Guest registers are i64; FP registers are carried as raw i64 bits (f32 NaN-boxed).

export type Type = 'i32' | 'i64' | 'f32' | 'f64';

export const TYPES: readonly Type[] = ['i32', 'i64', 'f32', 'f64'];
export const INT_TYPES: readonly Type[] = ['i32', 'i64'];
export const FLOAT_TYPES: readonly Type[] = ['f32', 'f64'];

export function isType(s: string): s is Type {
  return s === 'i32' || s === 'i64' || s === 'f32' || s === 'f64';
}

export function isInt(t: Type): boolean {
  return t === 'i32' || t === 'i64';
}

export function isFloat(t: Type): boolean {
  return t === 'f32' || t === 'f64';
}

/** Width in bits: 32 or 64. */
export function typeBits(t: Type): 32 | 64 {
  return t === 'i32' || t === 'f32' ? 32 : 64;
}

/** Width in bytes: 4 or 8. */
export function typeBytes(t: Type): 4 | 8 {
  return t === 'i32' || t === 'f32' ? 4 : 8;
}

/** The type of the same width in the other class (i64 <-> f64, i32 <-> f32), for bitcasts. */
export function bitcastPartner(t: Type): Type {
  switch (t) {
    case 'i32': return 'f32';
    case 'i64': return 'f64';
    case 'f32': return 'i32';
    case 'f64': return 'i64';
  }
}
