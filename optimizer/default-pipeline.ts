//! The names of the default pipeline's passes, apart from the passes themselves, so that
//! code choosing a pipeline (the CLI, the tiered engine's main thread) need not load them.
//! `pipeline.ts` explains the order.

export const DEFAULT_PIPELINE: readonly string[] = [
  'regpromote', 'constfold', 'copyprop', 'gvn', 'dce', 'fold-translations', 'hoist-translations',
];
