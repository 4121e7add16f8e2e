import type { Config } from '../config/index.js';
import type { ObservabilityDeps } from './index.js';
import { createNoopObservability } from './noop.js';
import type { Observability } from './types.js';

/**
 * The configured observability, loading OpenTelemetry and the Langfuse SDK only when tracing is on:
 * they are ~17 MiB of resident memory and part of every start-up that never traces (measured with the
 * app's modules loaded, docs/BENCHMARKS.md "Memory").
 */
export async function openObservability(config: Config['langfuse'], deps: ObservabilityDeps): Promise<Observability> {
  if (!config.enabled || !config.publicKey || !config.secretKey) return createNoopObservability();
  const { createObservability } = await import('./index.js');
  return createObservability(config, deps);
}
