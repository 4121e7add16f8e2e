import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { startLangfuseReceiver } from '../support/langfuse-receiver.js';
import type { LangfuseReceiver } from '../support/langfuse-receiver.js';

const KEYS = { publicKey: 'pk-lf-receiver', secretKey: 'sk-lf-receiver' };
const AUTH = `Basic ${Buffer.from(`${KEYS.publicKey}:${KEYS.secretKey}`).toString('base64')}`;

/** Real SDK spans: a root with typed attributes and an error child. */
function recordSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('receiver-test', '1.2.3');
  const root = tracer.startSpan('root');
  root.setAttributes({ text: 'hello', count: 3, ratio: 0.5, flag: true, list: ['a', 'b'] });
  const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  child.end();
  root.end();
  return memory.getFinishedSpans();
}

async function post(receiver: LangfuseReceiver, path: string, body: Uint8Array | string, contentType: string, auth = AUTH) {
  return fetch(`${receiver.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: auth },
    body,
    signal: AbortSignal.timeout(2_000),
  });
}

describe('langfuse receiver', () => {
  let receiver: LangfuseReceiver;
  beforeEach(async () => {
    receiver = await startLangfuseReceiver(KEYS);
  });
  afterEach(async () => {
    await receiver.close();
  });

  it.each([
    ['application/json', JsonTraceSerializer],
    ['application/x-protobuf', ProtobufTraceSerializer],
  ] as const)('decodes OTLP sent as %s into flat spans', async (contentType, serializer) => {
    const recorded = recordSpans();
    const body = serializer.serializeRequest(recorded);
    if (!body) throw new Error('serializer returned nothing');
    const response = await post(receiver, '/api/public/otel/v1/traces', body, contentType);
    expect(response.status).toBe(200);

    const root = recorded.find((span) => span.name === 'root');
    const child = recorded.find((span) => span.name === 'child');
    if (!root || !child) throw new Error('spans missing');
    const traceId = root.spanContext().traceId;
    const spans = receiver.spansByTrace(traceId);
    expect(spans).toHaveLength(2);
    const receivedRoot = spans.find((span) => span.name === 'root');
    const receivedChild = spans.find((span) => span.name === 'child');
    expect(receivedRoot).toMatchObject({
      spanId: root.spanContext().spanId,
      parentSpanId: null,
      attributes: { text: 'hello', count: 3, ratio: 0.5, flag: true, list: ['a', 'b'] },
      scope: { name: 'receiver-test', version: '1.2.3' },
    });
    expect(receivedChild).toMatchObject({
      spanId: child.spanContext().spanId,
      parentSpanId: root.spanContext().spanId,
      status: { code: 2, message: 'boom' },
    });
    expect(receivedRoot?.endMs).toBeGreaterThanOrEqual(receivedRoot?.startMs ?? Infinity);
    expect(receivedRoot?.startMs).toBeGreaterThan(Date.UTC(2020, 0, 1));
    expect(receiver.traceIds()).toEqual([traceId]);
  });

  it('answers 401 and stores nothing without the right Basic auth', async () => {
    const body = JsonTraceSerializer.serializeRequest(recordSpans()) ?? new Uint8Array();
    const wrong = `Basic ${Buffer.from('pk-lf-receiver:wrong').toString('base64')}`;
    expect((await post(receiver, '/api/public/otel/v1/traces', body, 'application/json', wrong)).status).toBe(401);
    expect((await post(receiver, '/api/public/otel/v1/traces', body, 'application/json', '')).status).toBe(401);
    expect(receiver.spans).toHaveLength(0);
    expect(receiver.requests.map((r) => [r.authorized, r.status])).toEqual([
      [false, 401],
      [false, 401],
    ]);
  });

  it('collects scores from ingestion score-create events and from the scores API', async () => {
    const batch = {
      batch: [
        {
          id: 'event-1',
          type: 'score-create',
          timestamp: new Date().toISOString(),
          body: { id: 'score-1', traceId: 'a'.repeat(32), name: 'user-feedback', value: 1, dataType: 'NUMERIC' },
        },
        { id: 'event-2', type: 'sdk-log', timestamp: new Date().toISOString(), body: { log: 'x' } },
      ],
    };
    const ingestion = await post(receiver, '/api/public/ingestion', JSON.stringify(batch), 'application/json');
    expect(ingestion.status).toBe(207);
    expect(await ingestion.json()).toEqual({
      successes: [
        { id: 'event-1', status: 201 },
        { id: 'event-2', status: 201 },
      ],
      errors: [],
    });
    const rest = await post(
      receiver,
      '/api/public/scores',
      JSON.stringify({ id: 'score-2', traceId: 'b'.repeat(32), name: 'grounded', value: 0.5, comment: 'half' }),
      'application/json',
    );
    expect(rest.status).toBe(200);
    expect(await rest.json()).toEqual({ id: 'score-2' });
    expect(receiver.ingestionEvents.map((e) => e.type)).toEqual(['score-create', 'sdk-log']);
    expect(receiver.scores).toEqual([
      expect.objectContaining({ id: 'score-1', traceId: 'a'.repeat(32), name: 'user-feedback', value: 1, via: 'ingestion' }),
      expect.objectContaining({ id: 'score-2', name: 'grounded', value: 0.5, comment: 'half', via: 'scores-api' }),
    ]);
  });

  it('rejects a malformed score with 400 and stores nothing', async () => {
    const response = await post(receiver, '/api/public/scores', JSON.stringify({ value: 1 }), 'application/json');
    expect(response.status).toBe(400);
    expect(receiver.scores).toHaveLength(0);
  });

  it('refuses connections in refuse mode and serves again on the same port', async () => {
    const body = JsonTraceSerializer.serializeRequest(recordSpans()) ?? new Uint8Array();
    await receiver.setMode('refuse');
    const refused = await post(receiver, '/api/public/otel/v1/traces', body, 'application/json').catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(Error);
    expect(String((refused as Error & { cause?: unknown }).cause)).toMatch(/ECONNREFUSED/);
    await receiver.setMode('ok');
    expect((await post(receiver, '/api/public/otel/v1/traces', body, 'application/json')).status).toBe(200);
    expect(receiver.spans).toHaveLength(2);
  });

  it('never answers in hang mode and stores nothing', async () => {
    await receiver.setMode('hang');
    const body = JsonTraceSerializer.serializeRequest(recordSpans()) ?? new Uint8Array();
    const outcome = await fetch(`${receiver.url}/api/public/otel/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: AUTH },
      body,
      signal: AbortSignal.timeout(300),
    }).catch((error: unknown) => error);
    expect((outcome as Error).name).toBe('TimeoutError');
    await receiver.waitFor((r) => r.requests.some((req) => req.bytes > 0));
    expect(receiver.requests[0]?.status).toBeNull();
    expect(receiver.spans).toHaveLength(0);
  });

  it('resets the connection in reset mode', async () => {
    await receiver.setMode('reset');
    const body = JsonTraceSerializer.serializeRequest(recordSpans()) ?? new Uint8Array();
    const outcome = await post(receiver, '/api/public/otel/v1/traces', body, 'application/json').catch(
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(TypeError);
    expect(receiver.spans).toHaveLength(0);
  });

  it('answers the configured status with Retry-After, and delays then stores in delay mode', async () => {
    const body = JsonTraceSerializer.serializeRequest(recordSpans()) ?? new Uint8Array();
    await receiver.setMode({ status: 503, retryAfterSeconds: 7 });
    const unavailable = await post(receiver, '/api/public/otel/v1/traces', body, 'application/json');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('7');
    expect(receiver.spans).toHaveLength(0);

    await receiver.setMode({ delayMs: 150 });
    const pending = post(receiver, '/api/public/otel/v1/traces', body, 'application/json');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.spans).toHaveLength(0);
    expect((await pending).status).toBe(200);
    expect(receiver.spans).toHaveLength(2);
  });

  it('waitFor resolves with the predicate value and rejects on timeout; reset forgets everything', async () => {
    const body = JsonTraceSerializer.serializeRequest(recordSpans()) ?? new Uint8Array();
    const waiting = receiver.waitFor((r) => r.spans.length >= 2 && r.spans.length);
    await post(receiver, '/api/public/otel/v1/traces', body, 'application/json');
    expect(await waiting).toBe(2);
    await expect(receiver.waitFor((r) => r.spans.length > 5, 100)).rejects.toThrow(/timed out/);
    receiver.reset();
    expect(receiver.spans).toHaveLength(0);
    expect(receiver.requests).toHaveLength(0);
  });
});
