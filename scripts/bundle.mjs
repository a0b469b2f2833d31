// Bundles what tsc wrote to dist/ into dist/bundle/ (part of `npm run build`): the CLI
// (dist/bundle/cli.js) and the compile worker (dist/bundle/compile-worker.js). Node loads
// one bundle in a fraction of the time it takes for the ~60 modules tsc writes (hello
// starts some 60 ms sooner, a compile worker is ready sooner). bin/rvwasm.js and the
// worker's entry use a bundle only while it is newer than the module it was built from,
// so a later `tsc` alone never leaves them running old code.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const out = `${dist}bundle`;

/** Entry points: the module tsc wrote, and the bundle's name. The bundles sit one level
 * below dist/ as dist/runtime/ does, which runtime/dist-paths.ts relies on. */
const BUNDLES = [
  { input: 'runtime/cli.js', name: 'cli' },
  { input: 'runtime/jit/compile-worker.js', name: 'compile-worker' },
];

fs.rmSync(out, { recursive: true, force: true });
for (const { input, name } of BUNDLES) {
  await build({
    input: dist + input,
    // Node's own modules and the runtime dependencies stay imports (Binaryen is ESM with
    // top-level await; piscina finds its worker script beside its own files).
    external: [/^node:/, /^binaryen$/, /^piscina$/],
    output: { dir: out, format: 'esm', entryFileNames: `${name}.js`, chunkFileNames: `${name}-[name].js` },
    logLevel: 'warn',
  });
}
