//! Files rvwasm finds beside its own code. tsc writes this module to dist/runtime/, and
//! `scripts/bundle.mjs` bundles it into dist/bundle/: both one level below dist/, so a
//! path taken relative to this module's URL holds in both.

import { fileURLToPath } from 'node:url';

const DIST = new URL('../', import.meta.url);

/** The path of a file under dist/ (`rel`: e.g. 'runtime/jit/compile-worker-entry.cjs'). */
export function distFile(rel: string): string {
  return fileURLToPath(new URL(rel, DIST));
}

/** The package's own package.json (its version). */
export const PACKAGE_JSON = distFile('../package.json');
