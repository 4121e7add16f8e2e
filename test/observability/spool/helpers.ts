import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createDurableExport } from '../../../src/observability/spool/index.js';
import type { DurableExport, DurableExportOptions, SpoolLogger } from '../../../src/observability/spool/index.js';
import type { LangfuseReceiver, ReceiverMode } from '../../support/langfuse-receiver.js';

export const KEYS = { publicKey: 'pk-lf-spool-test', secretKey: 'sk-lf-spool-test' };

/** Timeouts and backoff scaled down so a fault-and-recovery cycle takes well under a second. */
export const FAST = {
  requestTimeoutMs: 300,
  backoff: { initialMs: 20, maxMs: 200 },
  authRetryMs: 200,
  flushIntervalMs: 30,
  logIntervalMs: 60_000,
} satisfies Partial<DurableExportOptions>;

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

export function startDurable(
  dir: string,
  baseUrl: string,
  overrides: Partial<DurableExportOptions> = {},
): DurableExport & { logger: ReturnType<typeof memoryLogger> } {
  const logger = memoryLogger();
  const durable = createDurableExport({
    dir,
    baseUrl,
    ...KEYS,
    maxBytes: 64 * 1024 * 1024,
    logger,
    ...FAST,
    ...overrides,
  });
  return Object.assign(durable, { logger });
}

export interface EmittedTrace {
  traceId: string;
  spanIds: string[];
}

/** Wraps an exporter to record every result it reports to the span processor. */
export function recordingExporter(inner: SpanExporter): SpanExporter & { results: ExportResult[] } {
  const results: ExportResult[] = [];
  return {
    results,
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      inner.export(spans, (result) => {
        results.push(result);
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

/** Real OTel spans through a BatchSpanProcessor into the exporter under test. */
export function tracing(exporter: SpanExporter) {
  const recorder = recordingExporter(exporter);
  const provider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(recorder, { scheduledDelayMillis: 20, maxExportBatchSize: 64 })],
  });
  const tracer = provider.getTracer('spool-test', '1.0.0');
  return {
    results: recorder.results,
    /** One trace: a root and `spans - 1` children, each with `attributeBytes` of text. */
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
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
    allSucceeded: () => recorder.results.every((result) => result.code === ExportResultCode.SUCCESS),
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
  for (const span of receiver.spans) {
    const ids = got.get(span.traceId) ?? new Set<string>();
    ids.add(span.spanId);
    got.set(span.traceId, ids);
  }
  const actual = new Map([...got].map(([traceId, ids]) => [traceId, [...ids].sort()]));
  if (JSON.stringify([...actual].sort()) !== JSON.stringify([...expected].sort())) {
    throw new Error(`received spans differ from emitted ones: expected ${expected.size} traces, got ${actual.size}`);
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
