#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm install builds it into dist/): the bundle
// (scripts/bundle.mjs), which loads faster, while it is newer than the modules tsc wrote.
import { statSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const mtime = (rel) => {
  try {
    return statSync(new URL(rel, dist)).mtimeMs;
  } catch {
    return undefined;
  }
};
const bundled = (mtime('bundle/cli.js') ?? -1) >= (mtime('runtime/cli.js') ?? Infinity);
const { main } = await import(bundled ? '../dist/bundle/cli.js' : '../dist/runtime/cli.js');

// A closed pipe on our own stdout (`rvwasm disasm FILE | head`) ends us quietly, as
// SIGPIPE ends a C program.
process.stdout.on('error', (e) => process.exit(e && e.code === 'EPIPE' ? 141 : 70));

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (e) => {
    process.stderr.write(`rvwasm: internal error: ${e && e.message}\n`);
    if (process.env.RVWASM_DEBUG) process.stderr.write(String(e && e.stack) + '\n');
    process.exit(70);
  },
);
