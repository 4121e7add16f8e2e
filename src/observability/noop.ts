import type { Observability, OutboundTrace, RequestTrace, TracingStats } from './types.js';

/** A request trace that records nothing: tracing off, or a request sampled out. */
export const noopTrace: RequestTrace = {
  traceId: null,
  generation: (_start, run) => run({ failedAttempt: () => undefined, end: () => undefined }),
  tool: (_name, _args, run) => run({ end: () => undefined }),
  score: () => undefined,
  finish: () => undefined,
};

/** The caller's side of an untraced round trip. */
export const noopOutbound: OutboundTrace = { traceId: null, traceparent: null, finish: () => undefined };

const disabledStats: TracingStats = { enabled: false, pendingBytes: 0 };

/** Tracing off: no spans, no timers, no allocations on the request path beyond the call itself. */
export function createNoopObservability(): Observability {
  return {
    enabled: false,
    traceOutbound: (_start, run) => run(noopOutbound),
    traceChat: (_start, run) => run(noopTrace),
    submitScore: async () => undefined,
    traceUrl: () => null,
    stats: () => disabledStats,
    metrics: async () => '',
    shutdown: async () => undefined,
  };
}
