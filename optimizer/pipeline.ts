//! The pass manager: the registry of passes, the default pipeline, `--passes` parsing, and
//! running a pipeline with optional verification and a hook after each pass (IR dumps).

import type { Region } from '../ir/function.js';
import { verify, formatVerifyErrors } from '../ir/verify.js';
import { foldTranslations } from './fold-translations.js';
import { hoistTranslations } from './hoist-translations.js';
import type { Pass } from './pass.js';

/** Every pass, in the order of the default pipeline. */
const REGISTRY: readonly Pass[] = [foldTranslations, hoistTranslations];

/** The default pipeline (`--passes` not given). */
export const DEFAULT_PIPELINE: readonly string[] = REGISTRY.map((p) => p.name);

export function passNames(): string[] {
  return REGISTRY.map((p) => p.name);
}

/** A bad `--passes` list or a pass that broke the IR. */
export class PipelineError extends Error {}

/** `a,b,c` (or empty: no passes) to pass names; unknown names are an error. */
export function parsePasses(spec: string): string[] {
  const names = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const known = new Set(passNames());
  for (const n of names) {
    if (!known.has(n)) throw new PipelineError(`unknown pass '${n}' (passes: ${passNames().join(', ') || 'none'})`);
  }
  return names;
}

export interface PipelineOptions {
  /** Run the verifier after every pass; a failure throws PipelineError naming the pass. */
  verify?: boolean;
  /** Called after each pass with its 1-based position (dumps). */
  after?(pass: string, index: number, region: Region): void;
}

/** Runs the named passes over `region`, in place, in order. */
export function runPipeline(region: Region, names: readonly string[], options: PipelineOptions = {}): void {
  names.forEach((name, i) => {
    const pass = REGISTRY.find((p) => p.name === name);
    if (pass === undefined) throw new PipelineError(`unknown pass '${name}'`);
    pass.run(region);
    if (options.verify) {
      const errors = verify(region);
      if (errors.length > 0) throw new PipelineError(`after pass ${name}: ${formatVerifyErrors(region, errors)}`);
    }
    options.after?.(name, i + 1, region);
  });
}
