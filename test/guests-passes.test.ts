// The guests with the default optimizer pipeline minus one pass, for each pass, with the
// verifier after every pass: over a subset of the guests that covers libc, M, A, F/D,
// CSRs, faults and signal handlers (all guests under all of them would add minutes to the
// suite; they all passed when the passes were written).
import { passNames, without } from '../optimizer/pipeline.js';
import { describeGuests } from './guest-diff.js';

const PASS_OFF_CONFIGS: string[][] = passNames().map((p) => ['--tier', 'jit', '--verify-ir', '--passes', without(p).join(',')]);
const PASS_OFF_GUESTS = new Set(['intmath', 'atomics', 'fp', 'qsort', 'csr', 'sighandler']);

describeGuests((t) => (PASS_OFF_GUESTS.has(t.name) ? PASS_OFF_CONFIGS : []));
