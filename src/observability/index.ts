/**
 * Observability's entry: the interface domain code traces through, the no-op, the prompt source and
 * `openObservability`. It stays light on purpose — OpenTelemetry and the Langfuse SDK live in
 * langfuse.ts, which only `openObservability` loads, and only when tracing is on.
 */
import { createNoopObservability } from './noop.js';
import type { LangfuseConfig, Observability, ObservabilityDeps } from './types.js';

export type * from './types.js';
export { createNoopObservability } from './noop.js';
export { createLangfusePromptSource } from './prompts.js';
export type { LangfusePromptOptions, LangfusePromptSource } from './prompts.js';

/**
 * The configured observability, loading OpenTelemetry and the Langfuse SDK only when tracing is on:
 * they are ~17 MiB of resident memory and part of every start-up that never traces (measured with the
 * app's modules loaded, docs/BENCHMARKS.md "Memory").
 */
export async function openObservability(config: LangfuseConfig, deps: ObservabilityDeps): Promise<Observability> {
  if (!config.enabled || !config.publicKey || !config.secretKey) return createNoopObservability();
  const { createObservability } = await import('./langfuse.js');
  return createObservability(config, deps);
}
