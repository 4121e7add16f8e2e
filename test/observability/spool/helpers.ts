import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { expect } from 'vitest';
import { createSpoolExport } from '../../../src/observability/spool/index.js';
import type { SpoolExport, SpoolExportOptions, SpoolLogger } from '../../../src/observability/spool/index.js';
import type { EnabledTracingStats, TracingStats } from '../../../src/observability/types.js';
import type { LangfuseReceiver, ReceiverMode } from '../../support/langfuse-receiver.js';

export const KEYS = { publicKey: 'pk-lf-spool-test', secretKey: 'sk-lf-spool-test' };

/** Timeouts and retries scaled down so a fault-and-recovery cycle takes well under a second. */
export const FAST = { requestTimeoutMs: 300, retryMaxMs: 200, flushIntervalMs: 30 } satisfies Partial<SpoolExportOptions>;

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  details: object;
  message: string;
}

export function memoryLogger(): SpoolLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (details, message) => lines.push({ level: 'info', details, message }),
    warn: (details, message) => lines.push({ level: 'warn', details, message }),
    error: (details, message) => lines.push({ level: 'error', details, message }),
  };
}

export const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'trace-spool-'));

export type TestSpool = SpoolExport & { logger: ReturnType<typeof memoryLogger> };

export function startSpool(dir: string, baseUrl: string, overrides: Partial<SpoolExportOptions> = {}): TestSpool {
  const logger = memoryLogger();
  const spool = createSpoolExport({ dir, baseUrl, ...KEYS, environment: 'test', maxBytes: 64 * 1024 * 1024, logger, ...FAST, ...overrides });
  return Object.assign(spool, { logger });
}

export interface EmittedTrace {
  traceId: string;
  spanIds: string[];
}

/**
 * Real OTel spans handed one by one to the exporter under test, as LangfuseSpanProcessor does in its
 * "immediate" export mode.
 */
export function tracing(exporter: SpanExporter) {
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('spool-test', '1.0.0');
  return {
    /** One trace: a root and `spans - 1` children (ending first, as in a request), each with `attributeBytes` of text. */
    emit(spans: number, attributeBytes = 200): EmittedTrace {
      const root = tracer.startSpan('sommelier-chat');
      const context = trace.setSpan(ROOT_CONTEXT, root);
      const spanIds = [root.spanContext().spanId];
      for (let i = 1; i < spans; i++) {
        const child = tracer.startSpan(`step-${i}`, {}, context);
        child.setAttribute('payload', 'x'.repeat(attributeBytes));
        spanIds.push(child.spanContext().spanId);
        child.end();
      }
      root.end();
      return { traceId: root.spanContext().traceId, spanIds };
    },
    /** A one-span trace with the given attributes. */
    emitSpan(attributes: Record<string, string>): EmittedTrace {
      const span = tracer.startSpan('single', { attributes });
      span.end();
      return { traceId: span.spanContext().traceId, spanIds: [span.spanContext().spanId] };
    },
    /** Everything ended so far is written to the spool. */
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** Every span of every trace arrived, each span id counted once (re-sends of a span id are upserts). */
export function arrived(receiver: LangfuseReceiver, traces: readonly EmittedTrace[]): boolean {
  return traces.every((t) => receiver.spansByTrace(t.traceId).length === t.spanIds.length);
}

/** What arrived is exactly what was emitted: no span missing, none unknown; duplicates only by span id. */
export function receivedExactly(receiver: LangfuseReceiver, traces: readonly EmittedTrace[]): void {
  const expected = new Map(traces.map((t) => [t.traceId, [...t.spanIds].sort()]));
  const got = new Map<string, Set<string>>();
  for (const span of receiver.spans) got.set(span.traceId, (got.get(span.traceId) ?? new Set()).add(span.spanId));
  const actual = new Map([...got].map(([traceId, ids]) => [traceId, [...ids].sort()]));
  expect([...actual].sort()).toEqual([...expected].sort());
}

/** The stats of a tracing that is on. */
export function enabledStats(stats: TracingStats): EnabledTracingStats {
  if (!stats.enabled) throw new Error('tracing is off');
  return stats;
}

/** received + recovered = delivered + pending + dropped + dead-lettered, for spans, traces and scores. */
export function expectBalanced(stats: TracingStats): void {
  const enabled = enabledStats(stats);
  for (const kind of ['spans', 'traces', 'scores'] as const) {
    const flow = enabled[kind];
    expect({ kind, in: flow.received + flow.recovered }).toEqual({ kind, in: flow.delivered + flow.pending + flow.dropped + flow.deadLettered });
    expect(Object.values(flow.droppedBy).reduce((sum, n) => sum + n, 0)).toBe(flow.dropped);
  }
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Bytes of every file under a directory (the spool cap covers all of it). */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** Resolves with `work`, or rejects if it takes longer than `ms` (a hang detector, not a speed check). */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A request body as sent: gzip-compressed JSON. */
export const decodeBody = (body: Buffer): unknown => JSON.parse(gunzipSync(body).toString('utf8')) as unknown;

/** The Langfuse failures issue 4 names, as receiver modes (429 included: it is retried like 503). */
export const FAULT_MODES: [string, ReceiverMode][] = [
  ['connection refused', 'refuse'],
  ['accepts but never answers', 'hang'],
  ['answers after 10 s', { delayMs: 10_000 }],
  ['HTTP 500', { status: 500 }],
  ['HTTP 502 with Retry-After', { status: 502, retryAfterSeconds: 1 }],
  ['HTTP 503 with Retry-After', { status: 503, retryAfterSeconds: 1 }],
  ['HTTP 429 with Retry-After', { status: 429, retryAfterSeconds: 1 }],
  ['HTTP 401', { status: 401 }],
  ['HTTP 413 for every request', { status: 413 }],
  ['connection reset', 'reset'],
];
