import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { register as globalRegistry } from 'prom-client';
import pino from 'pino';
import { startLangfuseReceiver } from '../../support/langfuse-receiver.js';
import type { LangfuseReceiver } from '../../support/langfuse-receiver.js';
import { createDurableExport } from '../../../src/observability/spool/index.js';
import type { DurableExport } from '../../../src/observability/spool/index.js';
import { spansToRecord } from '../../../src/observability/spool/otlp.js';
import { decodeSegment, encodeRecord } from '../../../src/observability/spool/record.js';
import { startScriptedLangfuse } from './scripted-langfuse.js';
import {
  FAST,
  KEYS,
  arrived,
  directoryBytes,
  receivedExactly,
  startDurable,
  tempDir,
  tracing,
  waitUntil,
  within,
} from './helpers.js';
import type { EmittedTrace } from './helpers.js';

/** Finished spans of one trace, without any exporter under test in the way. */
function finishedSpans(count: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('fixture');
  const root = tracer.startSpan('root');
  for (let i = 1; i < count; i++) tracer.startSpan(`child-${i}`, {}, trace.setSpan(ROOT_CONTEXT, root)).end();
  root.end();
  return memory.getFinishedSpans();
}

const exportNow = (durable: DurableExport, spans: ReadableSpan[]): Promise<ExportResult> =>
  new Promise((resolve) => durable.exporter.export(spans, resolve));

const score = (id: string, value = 1) => ({ id, traceId: 'a'.repeat(32), name: 'user-feedback', value, comment: `comment ${id}` });

describe('durable export', () => {
  let receiver: LangfuseReceiver;
  let dir: string;
  const open: DurableExport[] = [];
  const track = <T extends DurableExport>(durable: T): T => {
    open.push(durable);
    return durable;
  };

  beforeEach(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    dir = await tempDir();
  });

  afterEach(async () => {
    for (const durable of open.splice(0)) await durable.shutdown(0);
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers spans from the Langfuse span processor as OTLP JSON with Basic auth', async () => {
    const durable = track(startDurable(dir, receiver.url));
    const processor = new LangfuseSpanProcessor({
      exporter: durable.exporter,
      flushInterval: 0.02,
      mediaUploadEnabled: false,
      shouldExportSpan: () => true,
    });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    const tracer = provider.getTracer('langfuse-sdk');
    const root = tracer.startSpan('sommelier-chat', { attributes: { 'langfuse.observation.type': 'agent' } });
    const child = tracer.startSpan('search_wines', {}, trace.setSpan(ROOT_CONTEXT, root));
    child.end();
    root.end();
    const traces = [{ traceId: root.spanContext().traceId, spanIds: [root.spanContext().spanId, child.spanContext().spanId] }];
    await processor.forceFlush();
    await receiver.waitFor((r) => arrived(r, traces), 5_000);
    receivedExactly(receiver, traces);
    const rootSpan = receiver.spans.find((span) => span.name === 'sommelier-chat');
    expect(rootSpan?.attributes['langfuse.observation.type']).toBe('agent');
    expect(rootSpan?.encoding).toBe('json');
    expect(receiver.requests.every((request) => request.authorized && request.contentType === 'application/json')).toBe(true);
    await provider.shutdown();
  });

  it('sends the headers the Langfuse SDK sends, so Langfuse treats the spans as SDK v5 spans', async () => {
    const scripted = await startScriptedLangfuse();
    try {
      const durable = track(startDurable(dir, scripted.url));
      await exportNow(durable, finishedSpans(1));
      await waitUntil(() => scripted.acceptedSpanIds.length === 1, 5_000, 'the span');
      const headers = scripted.requests[0]!.headers;
      expect(headers.authorization).toBe(`Basic ${Buffer.from(`${KEYS.publicKey}:${KEYS.secretKey}`).toString('base64')}`);
      expect(headers['x-langfuse-sdk-name']).toBe('javascript');
      expect(headers['x-langfuse-sdk-version']).toMatch(/^5\./);
      expect(headers['x-langfuse-public-key']).toBe(KEYS.publicKey);
      expect(scripted.requests[0]!.path).toBe('/api/public/otel/v1/traces');
    } finally {
      await scripted.close();
    }
  });

  it('spools a large batch in several records and delivers all of it', async () => {
    await receiver.setMode('refuse');
    const durable = track(startDurable(dir, receiver.url));
    const spans = finishedSpans(300);
    const exportResult = await exportNow(durable, spans);
    expect(exportResult.code).toBe(ExportResultCode.SUCCESS);
    expect(durable.stats().spansSpooled).toBe(300);
    // Serialised in chunks (the event loop is free in between): several records, in order. After a failed
    // attempt everything is in sealed segments, which nothing renames any more.
    await waitUntil(() => durable.stats().lastExportError !== null, 5_000, 'a failed attempt');
    let records = 0;
    for (const name of await readdir(join(dir, 'traces'))) {
      records += decodeSegment(await readFile(join(dir, 'traces', name))).records.length;
    }
    expect(records).toBeGreaterThanOrEqual(5);
    await receiver.setMode('ok');
    const traces = [{ traceId: spans[0]!.spanContext().traceId, spanIds: spans.map((span) => span.spanContext().spanId) }];
    await receiver.waitFor((r) => arrived(r, traces), 5_000);
    receivedExactly(receiver, traces);
  });

  it('caps the spool: the oldest data is dropped, counted and logged once, the newest arrives', async () => {
    await receiver.setMode('refuse');
    const maxBytes = 48 * 1024;
    const durable = track(startDurable(dir, receiver.url, { maxBytes }));
    const otel = tracing(durable.exporter);
    const traces: EmittedTrace[] = [];
    for (let i = 0; i < 40; i++) {
      traces.push(otel.emit(4, 600));
      await otel.flush();
    }
    await durable.exporter.forceFlush?.();
    expect(otel.allSucceeded()).toBe(true);
    const full = durable.stats();
    expect(full.dropped).toBeGreaterThan(0);
    expect(full.spansSpooled + full.dropped).toBe(160);
    expect(full.pendingBytes).toBeLessThanOrEqual(maxBytes);
    expect(await directoryBytes(dir)).toBeLessThanOrEqual(maxBytes + 64);
    const dropLogs = durable.logger.lines.filter((line) => line.message.includes('dropped'));
    expect(dropLogs).toHaveLength(1);
    expect(dropLogs[0]?.level).toBe('warn');
    expect(await durable.metrics()).toContain(`sommelier_tracing_spans_dropped_total ${full.dropped}`);

    await receiver.setMode('ok');
    await waitUntil(() => durable.stats().spansSpooled === 0, 10_000, 'the spool to drain');
    const delivered = traces.map((t) => receiver.spansByTrace(t.traceId).length);
    // The oldest went first: what arrived is a suffix of what was emitted. Drops are per export batch,
    // and the batch processor may split one trace's spans over two batches, so only the oldest
    // delivered trace may be partial.
    const firstDelivered = delivered.findIndex((count) => count > 0);
    expect(firstDelivered).toBeGreaterThan(0);
    expect(delivered[firstDelivered]).toBeLessThanOrEqual(4);
    expect(delivered.slice(firstDelivered + 1).every((count) => count === 4)).toBe(true);
    expect(delivered.slice(0, firstDelivered).every((count) => count === 0)).toBe(true);
    expect(durable.stats().spansExported).toBe(160 - full.dropped);
    await otel.shutdown();
  });

  it('sets a batch Langfuse refuses as malformed (400) aside with the reason and delivers the rest of its segment', async () => {
    const good = [finishedSpans(3), finishedSpans(2)];
    const broken = { items: 1, payload: Buffer.from('[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[{]}]') };
    // A segment a previous run left behind: good, malformed, good.
    await mkdir(join(dir, 'traces'), { recursive: true });
    await writeFile(
      join(dir, 'traces', '0000000000000001-6.seg'),
      Buffer.concat([encodeRecord(spansToRecord(good[0]!)), encodeRecord(broken), encodeRecord(spansToRecord(good[1]!))]),
    );
    const durable = track(startDurable(dir, receiver.url));
    const traces = good.map((spans) => ({
      traceId: spans[0]!.spanContext().traceId,
      spanIds: spans.map((span) => span.spanContext().spanId),
    }));
    await receiver.waitFor((r) => arrived(r, traces), 5_000);
    await waitUntil(() => durable.stats().deadLettered === 1, 5_000, 'the dead letter');
    await waitUntil(() => durable.stats().spansExported === 5, 5_000, 'the exported count');
    receivedExactly(receiver, traces);
    expect(durable.stats()).toMatchObject({ spansExported: 5, spansSpooled: 0, deadLettered: 1, dropped: 0 });
    const files = await readdir(join(dir, 'dead-letter'));
    expect(files).toHaveLength(2);
    const reason = JSON.parse(await readFile(join(dir, 'dead-letter', files.find((f) => f.endsWith('.reason.json'))!), 'utf8')) as {
      status: number;
      stream: string;
      reason: string;
    };
    expect(reason).toMatchObject({ status: 400, stream: 'traces' });
    expect(reason.reason).toContain('400');
    const body = await readFile(join(dir, 'dead-letter', files.find((f) => f.endsWith('.body.json'))!), 'utf8');
    expect(body).toBe(`{"resourceSpans":${broken.payload.toString().slice(0, -1)}]}`.replace(']]}', ']}'));
    expect(durable.logger.lines.some((line) => line.level === 'warn' && line.message.includes('dead-letter'))).toBe(true);
  });

  it('on 413 splits a request until it fits, and sets aside only a single span that is still too large', async () => {
    const scripted = await startScriptedLangfuse();
    try {
      const limit = 6_000;
      scripted.answer((request) => (request.body.length > limit ? { status: 413, body: { message: 'Request Entity Too Large' } } : { status: 200, body: {} }));
      const durable = track(startDurable(dir, scripted.url, { oversizeFloorBytes: 1_000 }));
      const otel = tracing(durable.exporter);
      const traces = Array.from({ length: 10 }, () => otel.emit(4, 300));
      const giant = otel.emit(2, 8_000);
      await otel.flush();
      const giantSpan = giant.spanIds[1]!;
      const expected = [...traces.flatMap((t) => t.spanIds), giant.spanIds[0]!];
      await waitUntil(() => durable.stats().spansSpooled === 0, 10_000, 'the spool to drain');
      expect(new Set(scripted.acceptedSpanIds)).toEqual(new Set(expected));
      expect(scripted.acceptedSpanIds).not.toContain(giantSpan);
      expect(durable.stats()).toMatchObject({ spansExported: 41, deadLettered: 1, dropped: 0 });
      expect(scripted.requests.some((request) => request.body.length > limit)).toBe(true);
      const reasons = (await readdir(join(dir, 'dead-letter'))).filter((f) => f.endsWith('.reason.json'));
      expect(reasons).toHaveLength(1);
      const reason = await readFile(join(dir, 'dead-letter', reasons[0]!), 'utf8');
      expect(reason).toContain('413');
      expect(reason).toContain('single span');
      await otel.shutdown();
    } finally {
      await scripted.close();
    }
  });

  it('never pushes deliverable data out of a full spool to keep a dead letter: the reason is kept, the body is not', async () => {
    const scripted = await startScriptedLangfuse();
    try {
      scripted.answer(() => ({ status: 503, body: {} }));
      const durable = track(startDurable(dir, scripted.url, { maxBytes: 64 * 1024 }));
      const otel = tracing(durable.exporter);
      // 12 KB that Langfuse will refuse, spooled first; then good spans fill the spool.
      otel.emitSpan({ payload: 'poison'.repeat(2_000) });
      await otel.flush();
      for (let i = 0; i < 14; i++) {
        otel.emit(4, 600);
        await otel.flush();
      }
      expect(durable.stats().spansSpooled).toBe(57);
      // Langfuse comes back, refusing the poison: there is no room to keep it next to the pending spans.
      scripted.answer((request) =>
        request.body.includes('poison') ? { status: 400, body: { message: 'malformed span' } } : { status: 503, body: {} },
      );
      await waitUntil(() => durable.stats().deadLettered === 1, 5_000, 'the dead letter');
      expect(durable.stats()).toMatchObject({ dropped: 0, spansSpooled: 56 });
      const files = await readdir(join(dir, 'dead-letter'));
      const reason = await readFile(join(dir, 'dead-letter', files.find((f) => f.endsWith('.reason.json'))!), 'utf8');
      expect(reason).toContain('body not kept');
      expect(await directoryBytes(dir)).toBeLessThanOrEqual(64 * 1024 + 64);
      await otel.shutdown();
    } finally {
      await scripted.close();
    }
  });

  it('keeps scores through an outage and a restart, then delivers each once as a score-create upsert', async () => {
    await receiver.setMode('refuse');
    const first = track(startDurable(dir, receiver.url));
    await Promise.all(['s1', 's2', 's3'].map((id, i) => first.submitScore(score(id, i / 2))));
    await first.submitScore({ ...score('s4'), dataType: 'BOOLEAN', comment: undefined });
    await waitUntil(() => first.stats().lastExportError !== null, 5_000, 'a failed attempt');
    await first.shutdown(200);

    await receiver.setMode('ok');
    const second = track(startDurable(dir, receiver.url));
    await receiver.waitFor((r) => new Set(r.scores.map((s) => s.id)).size === 4, 5_000);
    const byId = new Map(receiver.scores.map((s) => [s.id, s]));
    expect(byId.get('s2')).toMatchObject({ traceId: 'a'.repeat(32), name: 'user-feedback', value: 0.5, dataType: 'NUMERIC', comment: 'comment s2' });
    expect(byId.get('s4')).toMatchObject({ value: 1, dataType: 'BOOLEAN', comment: null });
    expect(receiver.ingestionEvents.every((event) => event.type === 'score-create' && event.id === event.body.id)).toBe(true);
    expect(receiver.scores).toHaveLength(4);
    await waitUntil(() => second.stats().pendingBytes === 0, 5_000, 'the score spool to drain');
  });

  it('handles per-event ingestion errors: 4xx set aside, 5xx retried until accepted', async () => {
    const scripted = await startScriptedLangfuse();
    try {
      let calls = 0;
      scripted.answer((request) => {
        const batch = (request.json as { batch: { id: string }[] }).batch;
        calls += 1;
        const errors =
          calls === 1
            ? batch
                .filter((event) => event.id !== 'good')
                .map((event) =>
                  event.id === 'bad'
                    ? { id: event.id, status: 400, message: 'Invalid score value' }
                    : { id: event.id, status: 500, message: 'database unavailable' },
                )
            : [];
        const failed = new Set(errors.map((e) => e.id));
        return {
          status: 207,
          body: { successes: batch.filter((e) => !failed.has(e.id)).map((e) => ({ id: e.id, status: 201 })), errors },
        };
      });
      const durable = track(startDurable(dir, scripted.url, { flushIntervalMs: 50 }));
      await Promise.all([durable.submitScore(score('good')), durable.submitScore(score('bad')), durable.submitScore(score('flaky'))]);
      await waitUntil(() => scripted.acceptedEventIds.includes('flaky'), 5_000, 'the retried score');
      await waitUntil(() => durable.stats().pendingBytes === 0, 5_000, 'the score spool to drain');
      expect(scripted.acceptedEventIds.sort()).toEqual(['flaky', 'good']);
      expect(scripted.requests).toHaveLength(2);
      expect(durable.stats()).toMatchObject({ deadLettered: 1, dropped: 0 });
      const files = await readdir(join(dir, 'dead-letter'));
      const body = await readFile(join(dir, 'dead-letter', files.find((f) => f.endsWith('.body.json'))!), 'utf8');
      expect((JSON.parse(body) as { batch: { id: string }[] }).batch.map((e) => e.id)).toEqual(['bad']);
      const reason = await readFile(join(dir, 'dead-letter', files.find((f) => f.endsWith('.reason.json'))!), 'utf8');
      expect(reason).toContain('Invalid score value');
    } finally {
      await scripted.close();
    }
  });

  it('resumes from the spool after a restart: a new instance on the same directory ships old batches', async () => {
    await receiver.setMode('refuse');
    const first = track(startDurable(dir, receiver.url));
    const otel = tracing(first.exporter);
    const traces = [otel.emit(3), otel.emit(5)];
    await otel.flush();
    await otel.shutdown();
    await first.shutdown(100);
    expect(first.stats().spansSpooled).toBe(8);

    await receiver.setMode('ok');
    const second = track(startDurable(dir, receiver.url));
    await second.ready;
    await receiver.waitFor((r) => arrived(r, traces), 5_000);
    receivedExactly(receiver, traces);
    await waitUntil(() => second.stats().spansExported === 8, 5_000, 'the exported count');
  });

  it('shutdown tries a last send within its bound, even for scores still in their batching window', async () => {
    const durable = track(startDurable(dir, receiver.url, { flushIntervalMs: 60_000 }));
    const otel = tracing(durable.exporter);
    const traces = [otel.emit(2)];
    await otel.flush();
    await durable.submitScore(score('last'));
    await within(durable.shutdown(2_000), 5_000, 'shutdown');
    expect(arrived(receiver, traces)).toBe(true);
    expect(receiver.scores.map((s) => s.id)).toEqual(['last']);
    expect(await exportNow(durable, finishedSpans(1))).toMatchObject({ code: ExportResultCode.FAILED });
    await expect(durable.submitScore(score('late'))).rejects.toThrow(/shut down/);
    expect(durable.stats().dropped).toBe(2);
    await otel.shutdown();
  });

  it('shutdown never hangs on a Langfuse that never answers, and keeps the data for the next start', async () => {
    await receiver.setMode('hang');
    const durable = track(startDurable(dir, receiver.url, { requestTimeoutMs: 30_000 }));
    const otel = tracing(durable.exporter);
    const traces = [otel.emit(3)];
    await otel.flush();
    await waitUntil(() => receiver.requests.length > 0, 5_000, 'a request in flight');
    await within(durable.shutdown(300), 3_000, 'shutdown with a hung Langfuse');
    expect(durable.stats().spansSpooled).toBe(3);
    await otel.shutdown();

    await receiver.setMode('ok');
    track(startDurable(dir, receiver.url));
    await receiver.waitFor((r) => arrived(r, traces), 5_000);
  });

  it('rejects an invalid score instead of spooling it', async () => {
    const durable = track(startDurable(dir, receiver.url));
    await expect(durable.submitScore({ ...score('x'), value: Number.NaN })).rejects.toThrow();
    await expect(durable.submitScore({ ...score('x'), traceId: '' })).rejects.toThrow();
    expect(durable.stats().pendingBytes).toBe(0);
  });

  it('publishes Prometheus metrics in a registry of its own', async () => {
    const durable = track(startDurable(dir, receiver.url));
    await exportNow(durable, finishedSpans(3));
    await durable.submitScore(score('m1'));
    await waitUntil(() => durable.stats().spansExported === 3 && durable.stats().pendingBytes === 0, 5_000, 'delivery');
    await waitUntil(async () => (await durable.metrics()).includes('sommelier_tracing_scores_exported_total 1'), 5_000, 'the score count');
    const text = await durable.metrics();
    expect(text).toContain('sommelier_tracing_spans_exported_total 3');
    expect(text).toContain('sommelier_tracing_spans_spooled_total 3');
    expect(text).toContain('sommelier_tracing_scores_exported_total 1');
    expect(text).toContain('sommelier_tracing_spool_pending_bytes 0');
    expect(text).toContain('sommelier_tracing_spool_pending_spans 0');
    expect(text).toContain('sommelier_tracing_export_requests_total{endpoint="traces",result="200"} 1');
    expect(text).toMatch(/sommelier_tracing_last_success_timestamp_seconds \d{10}/);
    expect(await globalRegistry.metrics()).not.toContain('sommelier_tracing');
  });

  it('accepts a pino logger', async () => {
    const durable = createDurableExport({
      dir,
      baseUrl: receiver.url,
      ...KEYS,
      maxBytes: 1024 * 1024,
      ...FAST,
      logger: pino({ level: 'silent' }),
    });
    track(durable);
    await durable.ready;
    expect(durable.stats().enabled).toBe(true);
  });
});
