// unpinFields changes nothing a program can see: every field keeps its value, and a name
// that is no field of the object is an error (a typo would otherwise add a property).
import { describe, expect, it } from 'vitest';
import { unpinFields } from '../../runtime/v8-fields.js';

describe('unpinFields', () => {
  it('leaves every field with its own value', () => {
    const o = { count: 7, at: undefined as number | undefined, flag: false, ref: undefined as object | undefined };
    unpinFields(o, { count: 0.5, at: 0.5, flag: true, ref: {} });
    expect(o).toEqual({ count: 7, at: undefined, flag: false, ref: undefined });
  });

  it('refuses a name that is no field of the object', () => {
    expect(() => unpinFields({ a: 1 }, { b: 0.5 })).toThrow(/no field 'b'/);
  });
});
