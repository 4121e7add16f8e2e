import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ScoreInput, TracingStats } from './types.js';

/**
 * Where spans and scores go once they leave the request path: the durable spool in ./spool, or any
 * other implementation with the same shape.
 */
export interface ExportPath {
  /** Handed to LangfuseSpanProcessor; undefined means the processor's own OTLP/HTTP exporter. */
  exporter: SpanExporter | undefined;
  submitScore(score: ScoreInput): Promise<void>;
  stats(): TracingStats;
  metrics(): Promise<string>;
  /** Ships what it can within timeoutMs, then releases timers and sockets. */
  shutdown(timeoutMs: number): Promise<void>;
}
