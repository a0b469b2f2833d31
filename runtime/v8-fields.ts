//! Field shapes for objects the interpreter's loop reads. V8 compiles the loop with the
//! hooks it calls inlined, and with them what it has seen of the objects they read: a
//! field written only once so far is taken as a constant of the compiled code, a field
//! that held only small integers is read as one. The first later write of another kind of
//! value (the compiler, once loaded; a time in ms) then deoptimizes the loop, and throws
//! away a compile of it in flight: 100-200 ms of the interpreter in baseline code.

/** Gives each named field of `o` the value in `samples` and then its own again, before
 * any code depends on it: V8 then knows the field as mutable and as general as its
 * sample (a non-integer number: a double field; an object: any heap object). */
export function unpinFields(o: object, samples: Record<string, unknown>): void {
  const fields = o as Record<string, unknown>;
  for (const [name, sample] of Object.entries(samples)) {
    if (!(name in fields)) throw new Error(`unpinFields: the object has no field '${name}'`);
    const value = fields[name];
    fields[name] = sample;
    fields[name] = value;
  }
}
