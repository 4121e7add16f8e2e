import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { startLangfuseReceiver } from '../../support/langfuse-receiver.js';
import type { LangfuseReceiver } from '../../support/langfuse-receiver.js';
import { spansToRecord } from '../../../src/observability/spool/otlp.js';
import { decodeSegment, encodeRecord } from '../../../src/observability/spool/record.js';
import { startScriptedLangfuse } from './scripted-langfuse.js';
import {
  KEYS,
  arrived,
  directoryBytes,
  enabledStats,
  expectBalanced,
  receivedExactly,
  startSpool,
  tempDir,
  tracing,
  waitUntil,
  within,
} from './helpers.js';
import type { EmittedTrace, TestSpool } from './helpers.js';

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

const emitted = (spans: ReadableSpan[]): EmittedTrace => ({ traceId: spans[0]!.spanContext().traceId, spanIds: spans.map((span) => span.spanContext().spanId) });
const score = (id: string, traceId = 'a'.repeat(32), value = 1) => ({ id, traceId, name: 'user-feedback', value, comment: `comment ${id}` });
/** A `v1` line, as spools of earlier versions wrote them. */
const v1Line = (spans: ReadableSpan[]): Buffer => {
  const { payload, items } = spansToRecord(spans);
  return Buffer.concat([Buffer.from(`v1 ${items} ${crc32(payload).toString(16).padStart(8, '0')} `), payload, Buffer.from('\n')]);
};

describe('durable export', () => {
  let receiver: LangfuseReceiver;
  let dir: string;
  const open: TestSpool[] = [];
  const track = (spool: TestSpool): TestSpool => {
    open.push(spool);
    return spool;
  };

  beforeEach(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    dir = await tempDir();
  });

  afterEach(async () => {
    for (const spool of open.splice(0)) await spool.shutdown(0);
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes spans from LangfuseSpanProcessor in immediate mode, keeps its masking and environment, and sends gzip OTLP JSON', async () => {
    const spool = track(startSpool(dir, receiver.url));
    const processor = new LangfuseSpanProcessor({
      exporter: spool.exporter,
      exportMode: 'immediate',
      environment: 'staging',
      release: '1.2.3',
      mediaUploadEnabled: false,
      mask: ({ data }) => (typeof data === 'string' ? data.replace('secret', '***') : data),
    });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    const tracer = provider.getTracer('langfuse-sdk');
    const root = tracer.startSpan('sommelier-chat', { attributes: { 'langfuse.observation.type': 'agent', 'langfuse.observation.input': 'my secret' } });
    const child = tracer.startSpan('search_wines', {}, trace.setSpan(ROOT_CONTEXT, root));
    child.end();
    root.end();
    const traces = [{ traceId: root.spanContext().traceId, spanIds: [root.spanContext().spanId, child.spanContext().spanId] }];
    await receiver.waitFor((r) => arrived(r, traces), 5_000);
    receivedExactly(receiver, traces);
    const rootSpan = receiver.spans.find((span) => span.name === 'sommelier-chat');
    expect(rootSpan?.attributes).toMatchObject({
      'langfuse.observation.type': 'agent',
      'langfuse.observation.input': 'my ***',
      'langfuse.environment': 'staging',
      'langfuse.release': '1.2.3',
    });
    const otlp = receiver.requests.filter((request) => request.path === '/api/public/otel/v1/traces');
    expect(otlp.every((request) => request.authorized && request.contentType === 'application/json' && request.contentEncoding === 'gzip')).toBe(true);
    expect(otlp.every((request) => request.bytes < request.decodedBytes)).toBe(true);
    await provider.shutdown();
  });

  it('sends the headers the Langfuse SDK sends, so Langfuse treats the spans as SDK v5 spans', async () => {
    const scripted = await startScriptedLangfuse();
    try {
      const spool = track(startSpool(dir, scripted.url));
      tracing(spool.exporter).emit(1);
      await waitUntil(() => scripted.acceptedSpanIds.length === 1, 5_000, 'the span');
      const headers = scripted.requests[0]!.headers;
      expect(headers.authorization).toBe(`Basic ${Buffer.from(`${KEYS.publicKey}:${KEYS.secretKey}`).toString('base64')}`);
      expect(headers['x-langfuse-sdk-name']).toBe('javascript');
      expect(headers['x-langfuse-sdk-version']).toMatch(/^5\./);
      expect(headers['x-langfuse-public-key']).toBe(KEYS.publicKey);
      expect(headers['content-encoding']).toBe('gzip');
      expect(scripted.requests[0]!.path).toBe('/api/public/otel/v1/traces');
    } finally {
      await scripted.close();
    }
  });

  it('holds a trace in memory until its root ends, then writes it whole with the scores given to it meanwhile', async () => {
    await receiver.setMode('refuse');
    const spool = track(startSpool(dir, receiver.url));
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spool.exporter)] });
    const tracer = provider.getTracer('spool-test');
    const root = tracer.startSpan('sommelier-chat');
    const traceId = root.spanContext().traceId;
    for (let i = 0; i < 3; i++) tracer.startSpan(`step-${i}`, {}, trace.setSpan(ROOT_CONTEXT, root)).end();
    const scored = spool.submitScore(score('auto', traceId));
    // Several flush intervals: the open trace and its score stay in memory, counted as pending.
    await new Promise((resolve) => setTimeout(resolve, 200));
    let stats = enabledStats(spool.stats());
    expect(stats.spans).toMatchObject({ received: 3, spooled: 0, pending: 3 });
    expect(stats.scores).toMatchObject({ received: 1, spooled: 0, pending: 1 });
    root.end();
    await within(scored, 2_000, 'the score to be written with its trace');
    stats = enabledStats(spool.stats());
    expect(stats.spans).toMatchObject({ received: 4, spooled: 4, pending: 4 });
    expect(stats.traces).toMatchObject({ received: 1, spooled: 1, pending: 1 });
    // After a failed attempt the segment is sealed: nothing renames it any more.
    await waitUntil(() => enabledStats(spool.stats()).lastExportError !== null, 5_000, 'a failed attempt');
    const [segment] = await readdir(join(dir, 'traces'));
    const { records } = decodeSegment(await readFile(join(dir, 'traces', segment!)));
    expect(records.map((record) => [record.items, record.traces])).toEqual([[4, 1]]);
    await receiver.setMode('ok');
    await receiver.waitFor((r) => r.spansByTrace(traceId).length === 4 && r.scores.length === 1, 5_000);
    await waitUntil(() => enabledStats(spool.stats()).scores.pending === 0, 5_000, 'the score to be delivered');
    expectBalanced(spool.stats());
    await provider.shutdown();
  });

  it('serialises a large trace in several records and delivers all of it', async () => {
    await receiver.setMode('refuse');
    const spool = track(startSpool(dir, receiver.url));
    const otel = tracing(spool.exporter);
    const traces = [otel.emit(600, 50)];
    await otel.flush();
    expect(enabledStats(spool.stats()).spans).toMatchObject({ spooled: 600, pending: 600 });
    await waitUntil(() => enabledStats(spool.stats()).lastExportError !== null, 5_000, 'a failed attempt');
    let records = 0;
    for (const name of await readdir(join(dir, 'traces'))) records += decodeSegment(await readFile(join(dir, 'traces', name))).records.length;
    expect(records).toBeGreaterThanOrEqual(3);
    await receiver.setMode('ok');
    await receiver.waitFor((r) => arrived(r, traces), 5_000);
    receivedExactly(receiver, traces);
  });

  it('when the spool is full refuses whole new traces, counts and logs them once, and never sends their scores', async () => {
    await receiver.setMode('refuse');
    const maxBytes = 48 * 1024;
    const spool = track(startSpool(dir, receiver.url, { maxBytes }));
    const otel = tracing(spool.exporter);
    const traces: EmittedTrace[] = [];
    for (let i = 0; i < 40; i++) {
      const emitted = otel.emit(4, 600);
      traces.push(emitted);
      void spool.submitScore(score(`auto-${i}`, emitted.traceId)).catch(() => undefined);
      await otel.flush();
    }
    const full = enabledStats(spool.stats());
    expect(full.traces.dropped).toBeGreaterThan(0);
    expect(full.traces.droppedBy).toEqual({ spool_full: full.traces.dropped });
    expect(full.spans.dropped).toBe(4 * full.traces.dropped);
    expect(full.scores.droppedBy.trace_dropped).toBe(full.traces.dropped);
    expect(full.pendingBytes).toBeLessThanOrEqual(maxBytes);
    expect(await directoryBytes(dir)).toBeLessThanOrEqual(maxBytes + 1024);
    expectBalanced(full);
    const dropLogs = spool.logger.lines.filter((line) => line.message.includes('dropped'));
    expect(dropLogs).toHaveLength(1);
    expect(dropLogs[0]?.level).toBe('warn');
    expect(spool.metrics()).toContain(`sommelier_tracing_traces_dropped_total{reason="spool_full"} ${full.traces.dropped}`);

    await receiver.setMode('ok');
    await waitUntil(() => enabledStats(spool.stats()).spans.pending === 0 && enabledStats(spool.stats()).scores.pending === 0, 10_000, 'the spool to drain');
    // The oldest were kept: what arrived is a prefix of what was emitted, each trace whole.
    const delivered = traces.map((t) => receiver.spansByTrace(t.traceId).length);
    const kept = 40 - full.traces.dropped;
    expect(delivered).toEqual([...Array<number>(kept).fill(4), ...Array<number>(40 - kept).fill(0)]);
    const scoredTraces = new Set(receiver.scores.map((s) => s.traceId));
    expect(traces.map((t) => scoredTraces.has(t.traceId))).toEqual(traces.map((t) => receiver.spansByTrace(t.traceId).length > 0));
    expectBalanced(spool.stats());
    expect(enabledStats(spool.stats()).traces.delivered).toBe(kept);
  });

  it("sets a batch Langfuse refuses as malformed (400) aside with its reason, delivers the rest, and reads an earlier version's spool", async () => {
    const good = [finishedSpans(3), finishedSpans(2)];
    const broken = { items: 1, traces: 1, payload: Buffer.from('[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[{]}]') };
    // Segments a previous run left behind: one written by an earlier version (no trace counts), then one
    // holding a malformed record and a good one.
    await mkdir(join(dir, 'traces'), { recursive: true });
    await writeFile(join(dir, 'traces', '0000000000000001-3.seg'), v1Line(good[0]!));
    await writeFile(join(dir, 'traces', '0000000000000002-3-2.seg'), Buffer.concat([encodeRecord(broken), encodeRecord(spansToRecord(good[1]!))]));
    const spool = track(startSpool(dir, receiver.url));
    const traces = good.map(emitted);
    await receiver.waitFor((r) => arrived(r, traces), 5_000);
    await waitUntil(() => enabledStats(spool.stats()).spans.pending === 0, 5_000, 'the spool to drain');
    receivedExactly(receiver, traces);
    const stats = enabledStats(spool.stats());
    expect(stats.spans).toMatchObject({ recovered: 6, delivered: 5, pending: 0, deadLettered: 1, dropped: 0 });
    expect(stats.traces).toMatchObject({ recovered: 2, delivered: 1, pending: 0, deadLettered: 1 });
    expectBalanced(stats);
    const files = await readdir(join(dir, 'dead-letter'));
    expect(files).toHaveLength(2);
    const reason = JSON.parse(await readFile(join(dir, 'dead-letter', files.find((f) => f.endsWith('.reason.json'))!), 'utf8')) as { stream: string; reason: string };
    expect(reason).toMatchObject({ stream: 'traces' });
    expect(reason.reason).toContain('HTTP 400');
    const body = await readFile(join(dir, 'dead-letter', files.find((f) => f.endsWith('.body.json'))!), 'utf8');
    expect(body).toBe(`{"resourceSpans":${broken.payload.toString()}}`);
    expect(spool.logger.lines.some((line) => line.level === 'warn' && line.message.includes('dead-letter'))).toBe(true);
  });

  it('on 413 splits a request until it fits, and sets aside only a single span that is still too large', async () => {
    const scripted = await startScriptedLangfuse();
    try {
      const limit = 300 * 1024;
      scripted.answer((request) => (request.body.length > limit ? { status: 413, body: { message: 'Request Entity Too Large' } } : { status: 200, body: {} }));
      const spool = track(startSpool(dir, scripted.url));
      const otel = tracing(spool.exporter);
      const traces = Array.from({ length: 10 }, () => otel.emit(4, 20_000));
      const giant = otel.emit(2, 400 * 1024);
      await otel.flush();
      const expected = [...traces.flatMap((t) => t.spanIds), giant.spanIds[0]!];
      await waitUntil(() => enabledStats(spool.stats()).spans.pending === 0, 10_000, 'the spool to drain');
      expect(new Set(scripted.acceptedSpanIds)).toEqual(new Set(expected));
      expect(scripted.requests.some((request) => request.body.length > limit)).toBe(true);
      expect(enabledStats(spool.stats()).spans).toMatchObject({ delivered: 41, deadLettered: 1, dropped: 0 });
      expectBalanced(spool.stats());
      const reasons = (await readdir(join(dir, 'dead-letter'))).filter((f) => f.endsWith('.reason.json'));
      expect(reasons).toHaveLength(1);
      expect(await readFile(join(dir, 'dead-letter', reasons[0]!), 'utf8')).toContain('single span');
    } finally {
      await scripted.close();
    }
  });

  it('keeps a dead letter within the cap of a full spool without pushing out deliverable data', async () => {
    const scripted = await startScriptedLangfuse();
    try {
      scripted.answer(() => ({ status: 503, body: {} }));
      const maxBytes = 64 * 1024;
      const spool = track(startSpool(dir, scripted.url, { maxBytes }));
      const otel = tracing(spool.exporter);
      // 12 KB that Langfuse will refuse, spooled first; then good spans fill the spool.
      otel.emitSpan({ payload: 'poison'.repeat(2_000) });
      await otel.flush();
      for (let i = 0; i < 40 && enabledStats(spool.stats()).spans.dropped === 0; i++) {
        otel.emit(4, 600);
        await otel.flush();
      }
      const before = enabledStats(spool.stats()).spans;
      expect(before.dropped).toBeGreaterThan(0);
      scripted.answer((request) => (request.body.includes('poison') ? { status: 400, body: { message: 'malformed span' } } : { status: 503, body: {} }));
      await waitUntil(() => enabledStats(spool.stats()).spans.deadLettered === 1, 5_000, 'the dead letter');
      expect(enabledStats(spool.stats()).spans).toMatchObject({ dropped: before.dropped, pending: before.pending - 1 });
      const files = await readdir(join(dir, 'dead-letter'));
      expect(await readFile(join(dir, 'dead-letter', files.find((f) => f.endsWith('.reason.json'))!), 'utf8')).toContain('malformed span');
      expect(await directoryBytes(dir)).toBeLessThanOrEqual(maxBytes + 1024);
      expectBalanced(spool.stats());
    } finally {
      await scripted.close();
    }
  });

  it('keeps scores through an outage and a restart; a new event id per submission, the same score id, comment null when none', async () => {
    await receiver.setMode('refuse');
    const first = track(startSpool(dir, receiver.url));
    await Promise.all(['s1', 's2', 's3'].map((id, i) => first.submitScore(score(id, undefined, i / 2))));
    await first.submitScore({ ...score('s4'), dataType: 'BOOLEAN', comment: undefined });
    // A changed vote: the same score id, now without a comment.
    await first.submitScore({ ...score('s1', undefined, -1), comment: undefined });
    await waitUntil(() => enabledStats(first.stats()).lastExportError !== null, 5_000, 'a failed attempt');
    await first.shutdown(200);

    await receiver.setMode('ok');
    const second = track(startSpool(dir, receiver.url));
    await receiver.waitFor((r) => r.scores.length === 5, 5_000);
    const last = new Map(receiver.scores.map((s) => [s.id, s]));
    expect(last.get('s2')).toMatchObject({ traceId: 'a'.repeat(32), name: 'user-feedback', value: 0.5, dataType: 'NUMERIC', comment: 'comment s2' });
    expect(last.get('s4')).toMatchObject({ value: 1, dataType: 'BOOLEAN', comment: null });
    expect(last.get('s1')).toMatchObject({ value: -1, comment: null });
    const events = receiver.ingestionEvents;
    expect(events.every((event) => event.type === 'score-create' && event.id !== event.body.id)).toBe(true);
    expect(new Set(events.map((event) => event.id)).size).toBe(5);
    expect(events.filter((event) => event.body.id === 's1').map((event) => event.body.comment)).toEqual(['comment s1', null]);
    expect(events.every((event) => 'comment' in event.body && event.body.environment === 'test')).toBe(true);
    await waitUntil(() => enabledStats(second.stats()).scores.pending === 0, 5_000, 'the score spool to drain');
    expect(enabledStats(second.stats()).scores).toMatchObject({ recovered: 5, delivered: 5 });
    expectBalanced(second.stats());
  });

  it('handles per-event ingestion errors: 4xx set aside, 5xx retried until accepted', async () => {
    const scripted = await startScriptedLangfuse();
    try {
      let calls = 0;
      scripted.answer((request) => {
        const batch = (request.json as { batch: { id: string; body: { id: string } }[] }).batch;
        calls += 1;
        const errors =
          calls === 1
            ? batch
                .filter((event) => event.body.id !== 'good')
                .map((event) => (event.body.id === 'bad' ? { id: event.id, status: 400, message: 'Invalid score value' } : { id: event.id, status: 500, message: 'database unavailable' }))
            : [];
        const failed = new Set(errors.map((e) => e.id));
        return { status: 207, body: { successes: batch.filter((e) => !failed.has(e.id)).map((e) => ({ id: e.id, status: 201 })), errors } };
      });
      const spool = track(startSpool(dir, scripted.url));
      await Promise.all([spool.submitScore(score('good')), spool.submitScore(score('bad')), spool.submitScore(score('flaky'))]);
      await waitUntil(() => enabledStats(spool.stats()).scores.delivered === 2, 5_000, 'the retried score');
      expect(enabledStats(spool.stats()).scores).toMatchObject({ deadLettered: 1, dropped: 0, pending: 0 });
      expectBalanced(spool.stats());
      const files = await readdir(join(dir, 'dead-letter'));
      const body = JSON.parse(await readFile(join(dir, 'dead-letter', files.find((f) => f.endsWith('.body.json'))!), 'utf8')) as { batch: { body: { id: string } }[] };
      expect(body.batch.map((e) => e.body.id)).toEqual(['bad']);
      expect(await readFile(join(dir, 'dead-letter', files.find((f) => f.endsWith('.reason.json'))!), 'utf8')).toContain('Invalid score value');
    } finally {
      await scripted.close();
    }
  });

  it('resumes from the spool after a restart and counts what it found', async () => {
    await receiver.setMode('refuse');
    const first = track(startSpool(dir, receiver.url));
    const otel = tracing(first.exporter);
    const traces = [otel.emit(3), otel.emit(5)];
    await otel.flush();
    await first.shutdown(100);
    expect(enabledStats(first.stats()).spans).toMatchObject({ received: 8, spooled: 8, pending: 8 });
    expectBalanced(first.stats());

    await receiver.setMode('ok');
    const second = track(startSpool(dir, receiver.url));
    await receiver.waitFor((r) => arrived(r, traces), 5_000);
    receivedExactly(receiver, traces);
    await waitUntil(() => enabledStats(second.stats()).spans.delivered === 8, 5_000, 'the delivered count');
    expect(enabledStats(second.stats()).traces).toMatchObject({ received: 0, recovered: 2, delivered: 2 });
    expectBalanced(second.stats());
  });

  it('shutdown tries a last send within its bound; what arrives later is dropped and counted', async () => {
    const spool = track(startSpool(dir, receiver.url, { flushIntervalMs: 60_000 }));
    const otel = tracing(spool.exporter);
    const traces = [otel.emit(2)];
    const stored = spool.submitScore(score('last'));
    await within(spool.shutdown(2_000), 5_000, 'shutdown');
    await stored;
    expect(arrived(receiver, traces)).toBe(true);
    expect(receiver.scores.map((s) => s.id)).toEqual(['last']);
    otel.emit(1);
    await expect(spool.submitScore(score('late'))).rejects.toThrow(/shut down/);
    const stats = enabledStats(spool.stats());
    expect(stats.spans.droppedBy).toEqual({ shutdown: 1 });
    expect(stats.scores.droppedBy).toEqual({ shutdown: 1 });
    expectBalanced(stats);
  });

  it('shutdown never hangs on a Langfuse that never answers, and keeps the data for the next start', async () => {
    await receiver.setMode('hang');
    const spool = track(startSpool(dir, receiver.url, { requestTimeoutMs: 30_000 }));
    const traces = [tracing(spool.exporter).emit(3)];
    await waitUntil(() => receiver.requests.length > 0, 5_000, 'a request in flight');
    await within(spool.shutdown(300), 3_000, 'shutdown with a hung Langfuse');
    expect(enabledStats(spool.stats()).spans.pending).toBe(3);

    await receiver.setMode('ok');
    track(startSpool(dir, receiver.url));
    await receiver.waitFor((r) => arrived(r, traces), 5_000);
  });

  it('rejects an invalid score instead of spooling it', async () => {
    const spool = track(startSpool(dir, receiver.url));
    await expect(spool.submitScore({ ...score('x'), value: Number.NaN })).rejects.toThrow();
    await expect(spool.submitScore({ ...score('x'), traceId: '' })).rejects.toThrow();
    expect(enabledStats(spool.stats()).scores.received).toBe(0);
  });

  it('publishes Prometheus metrics', async () => {
    const spool = track(startSpool(dir, receiver.url));
    tracing(spool.exporter).emit(3);
    await spool.submitScore(score('m1'));
    await waitUntil(() => enabledStats(spool.stats()).spans.delivered === 3 && enabledStats(spool.stats()).scores.delivered === 1, 5_000, 'delivery');
    const text = spool.metrics();
    for (const line of [
      'sommelier_tracing_spans_received_total 3',
      'sommelier_tracing_spans_spooled_total 3',
      'sommelier_tracing_spans_delivered_total 3',
      'sommelier_tracing_traces_delivered_total 1',
      'sommelier_tracing_scores_delivered_total 1',
      'sommelier_tracing_spans_pending 0',
      'sommelier_tracing_spans_dropped_total{reason="memory_full"} 0',
      'sommelier_tracing_spool_pending_bytes 0',
      'sommelier_tracing_export_requests_total{endpoint="traces",result="200"} 1',
      '# TYPE sommelier_tracing_traces_received_total counter',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toMatch(/sommelier_tracing_last_success_timestamp_seconds \d{10}/);
  });
});
