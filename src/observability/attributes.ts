import type { TokenUsage } from '../shared/index.js';

/**
 * Langfuse usage types are disjoint buckets: the UI adds every type containing "input" to input and
 * prices each type separately, so cached and reasoning tokens are taken out of `input`/`output`
 * (the same split Langfuse applies to OpenAI-shaped usage). `total` stays the provider's total.
 */
export function toUsageDetails(usage: TokenUsage): Record<string, number> {
  const cached = usage.cachedInput ?? 0;
  const reasoning = usage.reasoning ?? 0;
  const details: Record<string, number> = {
    input: Math.max(usage.input - cached, 0),
    output: Math.max(usage.output - reasoning, 0),
    total: usage.total,
  };
  if (usage.cachedInput !== undefined) details.input_cached_tokens = usage.cachedInput;
  if (usage.reasoning !== undefined) details.output_reasoning_tokens = usage.reasoning;
  return details;
}

/** The SDK's modelParameters take strings and numbers only. */
export function toModelParameters(parameters: Record<string, string | number | boolean>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(parameters).map(([key, value]) => [key, typeof value === 'boolean' ? String(value) : value]),
  );
}
