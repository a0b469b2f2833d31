#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm install builds it into dist/).
import { main } from '../dist/runtime/cli.js';

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
