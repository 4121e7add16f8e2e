import { pino } from 'pino';
import type { LangfuseConfig } from '../../src/observability/index.js';
import type { LangfuseReceiver, ReceivedSpan } from '../support/langfuse-receiver.js';

export const KEYS = { publicKey: 'pk-lf-test-0000', secretKey: 'sk-lf-test-0000' };
export const silentLogger = pino({ level: 'silent' });

export function langfuseConfig(receiver: LangfuseReceiver, overrides: Partial<LangfuseConfig> = {}): LangfuseConfig {
  return {
    enabled: true,
    publicKey: KEYS.publicKey,
    secretKey: KEYS.secretKey,
    baseUrl: receiver.url,
    publicUrl: 'http://langfuse.example.test',
    projectId: undefined,
    sampleRate: 1,
    environment: 'test',
    flushIntervalMs: 100,
    masking: true,
    spoolMaxBytes: 16 * 1024 * 1024,
    shutdownFlushTimeoutMs: 3_000,
    ...overrides,
  };
}

/** Span attributes the SDK sends as JSON strings, parsed. */
export function jsonAttribute(span: ReceivedSpan | undefined, key: string): unknown {
  const value = span?.attributes[key];
  if (typeof value !== 'string') throw new Error(`attribute ${key} missing on ${span?.name ?? 'no span'}`);
  return JSON.parse(value) as unknown;
}

export const observationType = (span: ReceivedSpan): unknown => span.attributes['langfuse.observation.type'];

/** Spans with their ancestor chain resolved within one trace. */
export function isDescendantOf(spans: ReceivedSpan[], child: ReceivedSpan, ancestorId: string): boolean {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  let current: ReceivedSpan | undefined = child;
  while (current?.parentSpanId) {
    if (current.parentSpanId === ancestorId) return true;
    current = byId.get(current.parentSpanId);
  }
  return false;
}
