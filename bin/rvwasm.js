#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm install builds it into dist/).
import { main } from '../dist/runtime/cli.js';

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (e) => {
    process.stderr.write(`rvwasm: internal error: ${e && e.message}\n`);
    if (process.env.RVWASM_DEBUG) process.stderr.write(String(e && e.stack) + '\n');
    process.exit(70);
  },
);
