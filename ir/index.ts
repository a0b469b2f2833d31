//! The IR's public surface, re-exported from the files that own each part.

export * from './types.js';
export * from './immediates.js';
export * from './opcodes.js';
export * from './function.js';
export * from './builder.js';
export * from './print.js';
export * from './parse.js';
export * from './source.js';
export * from './cfg.js';
export * from './dominators.js';
export * from './loops.js';
export * from './verify.js';
export * from './json.js';
