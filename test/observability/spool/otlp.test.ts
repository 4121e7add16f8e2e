import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { spansToRecord, splitTraceRecord, traceRequestBody } from '../../../src/observability/spool/otlp.js';

interface OtlpSpan {
  spanId: string;
  traceId: string;
}
interface OtlpRequest {
  resourceSpans: { resource: unknown; scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[];
}

/** Spans from two tracers (two scopes) under one resource, with nested parents and a newline in an attribute. */
function recordSpans(count: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'sommelier-test' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracers = [provider.getTracer('scope-a', '1.0.0'), provider.getTracer('scope-b')];
  const root = tracers[0]!.startSpan('root');
  for (let i = 1; i < count; i++) {
    const child = tracers[i % 2]!.startSpan(`child-${i}`, {}, trace.setSpan(ROOT_CONTEXT, root));
    child.setAttribute('text', `line ${i}\nnext line — ünïcödé`);
    child.end();
  }
  root.end();
  return memory.getFinishedSpans();
}

const decode = (body: Buffer): OtlpRequest => JSON.parse(body.toString('utf8')) as OtlpRequest;
const spanIds = (request: OtlpRequest): string[] =>
  request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => span.spanId)));

describe('OTLP records', () => {
  it('serialises exactly what the stock OTLP/HTTP JSON exporter sends', () => {
    const spans = recordSpans(5);
    const record = spansToRecord(spans);
    expect(record).toMatchObject({ items: 5, traces: 1 });
    const stock = JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8')) as unknown;
    expect(decode(traceRequestBody([record.payload]))).toEqual(stock);
  });

  it('joins several batches into one request without losing a span', () => {
    const a = recordSpans(3);
    const b = recordSpans(4);
    const request = decode(traceRequestBody([spansToRecord(a).payload, spansToRecord(b).payload]));
    expect(spanIds(request).sort()).toEqual([...a, ...b].map((span) => span.spanContext().spanId).sort());
  });

  it('halves a record by spans, keeping resource and scope of each span', () => {
    const spans = recordSpans(7);
    const record = spansToRecord(spans);
    const split = splitTraceRecord(record);
    expect(split).not.toBeNull();
    const [first, second] = split!;
    expect([first.items, second.items]).toEqual([4, 3]);
    // The root lands in one half or the other, and is counted there once.
    expect(first.traces + second.traces).toBe(1);
    const original = decode(traceRequestBody([record.payload]));
    const halves = [decode(traceRequestBody([first.payload])), decode(traceRequestBody([second.payload]))];
    expect([...spanIds(halves[0]!), ...spanIds(halves[1]!)]).toEqual(spanIds(original));
    const scopeOf = (request: OtlpRequest): Map<string, string> =>
      new Map(request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => [s.spanId, ss.scope.name] as const))));
    const originalScopes = scopeOf(original);
    for (const half of halves) {
      for (const [spanId, scope] of scopeOf(half)) expect(scope).toBe(originalScopes.get(spanId));
      expect(half.resourceSpans[0]?.resource).toEqual(original.resourceSpans[0]?.resource);
    }
    expect(splitTraceRecord(spansToRecord(recordSpans(1)))).toBeNull();
  });

});
