// The guests under the tiered engine (--tier auto): the defaults; everything hot at once
// on one worker; regions entered 10 times compiled at once in the main thread
// (deterministic); and two workers with injected faults (jobs that throw, workers that
// die), whose warnings on stderr are the one expected difference.
import { describeGuests } from './guest-diff.js';

const CONFIGS: string[][] = [
  ['--tier', 'auto'],
  ['--tier', 'auto', '--hot', '1', '--jobs', '1'],
  ['--tier', 'auto', '--hot', '10', '--sync'],
  ['--tier', 'auto', '--hot', '2', '--jobs', '2', '--inject-compile-faults', '0.4', '--inject-worker-exits', '0.1'],
];
const INJECTED_WARNING = /^rvwasm: warning: cannot compile the region at .*\n/gm;

describeGuests(() => CONFIGS, false, (got, config) => {
  if (config.some((o) => o.startsWith('--inject-'))) got.stderr = got.stderr.replace(INJECTED_WARNING, '');
});
