// Differential tests: every guest gives under rvwasm what qemu-riscv64 gave when the
// expected outputs were recorded (test/guest-diff.ts). Where qemu-riscv64 is installed,
// it runs live too, so stale recordings fail.
import { describeGuests } from './guest-diff.js';

/** rvwasm configurations every guest must agree under (the JIT with its default optimizer
 * pipeline, and with no pass at all). */
const CONFIGS: string[][] = [
  ['--tier', 'interp'], ['--tier', 'jit'], ['--tier', 'jit', '--mmu', 'flat'], ['--tier', 'jit', '--passes', ''],
];

describeGuests(() => CONFIGS, true);
