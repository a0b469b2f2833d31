// Every pass keeps real lifted code valid: the regions lifted from each function of some
// guests go through the default pipeline, each pass alone, and the default pipeline
// without each pass, with the verifier after every pass. (Whether they keep it *right*
// is for the guest and lockstep differential tests.)
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Region } from '../../ir/function.js';
import { liftRegion } from '../../lifter/lift.js';
import { discoverRegion, type GuestCfg } from '../../lifter/region.js';
import { DEFAULT_PIPELINE, passNames, runPipeline, without } from '../../optimizer/pipeline.js';
import { readSymbols } from '../../runtime/elf.js';
import { GUESTS } from '../helpers.js';
import { fetchFromElf } from '../lift/fetch.js';

const STT_FUNC = 2;
/** A static C program with libc, one with FP, and one with atomics and signals. */
const NAMES = ['qsort', 'fp', 'sighandler'];

/** The guest region of every function (by start) of the guests, each function once. */
function guestRegions(): { where: string; cfg: GuestCfg }[] {
  const seen = new Set<string>();
  const out: { where: string; cfg: GuestCfg }[] = [];
  for (const name of NAMES) {
    const data = readFileSync(path.join(GUESTS, name));
    const fetch = fetchFromElf(data);
    for (const s of readSymbols(data)) {
      if (s.type !== STT_FUNC || s.size === 0 || seen.has(s.name) || fetch(s.value) === undefined) continue;
      seen.add(s.name);
      out.push({ where: `${name}: ${s.name}`, cfg: discoverRegion(fetch, s.value) });
    }
  }
  return out;
}

const REGIONS = guestRegions();
const CONFIGS: [string, readonly string[]][] = [
  ['the default pipeline', DEFAULT_PIPELINE],
  ...passNames().map((p): [string, readonly string[]] => [`${p} alone`, [p]]),
  ...passNames().map((p): [string, readonly string[]] => [`the default pipeline without ${p}`, without(p)]),
];

describe('passes over lifted guest regions', () => {
  it('lifts enough code to mean something', () => {
    expect(REGIONS.length).toBeGreaterThan(500);
  });

  it.each(CONFIGS)('%s keeps every region valid', (_label, passes) => {
    for (const { where, cfg } of REGIONS) {
      const region: Region = liftRegion(cfg);
      try {
        runPipeline(region, passes, { verify: true });
      } catch (e) {
        throw new Error(`${where} (0x${cfg.entry.toString(16)}): ${(e as Error).message}`);
      }
    }
  });
});
