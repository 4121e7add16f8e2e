import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { z } from 'zod';
import { joinPayloads } from './record.js';
import type { SpoolRecord } from './record.js';

/**
 * OTLP/JSON for the spool: a record holds the `resourceSpans` array of some spans, so records are joined
 * into one request body by splicing text, without parsing them again.
 */
const REQUEST_PREFIX = Buffer.from('{"resourceSpans":', 'utf8');

/** A trace is counted by its root: the span without a parent (a span continuing a caller's trace has one). */
export const isTraceRoot = (span: ReadableSpan): boolean => span.parentSpanContext === undefined;

/** Serialises spans exactly as the stock OTLP/HTTP JSON exporter would (hex ids, string nanos). */
export function spansToRecord(spans: readonly ReadableSpan[]): SpoolRecord {
  const bytes = JsonTraceSerializer.serializeRequest(spans as ReadableSpan[]);
  if (!bytes) throw new Error('the OTLP JSON serializer produced nothing');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!text.subarray(0, REQUEST_PREFIX.length).equals(REQUEST_PREFIX)) throw new Error('unexpected OTLP JSON layout');
  // `{"resourceSpans":[…]}` → the array, without a parse/stringify round trip.
  return { items: spans.length, traces: spans.filter(isTraceRoot).length, payload: text.subarray(REQUEST_PREFIX.length, text.length - 1) };
}

/** One ExportTraceServiceRequest from several records. */
export const traceRequestBody = (payloads: readonly Buffer[]): Buffer => joinPayloads('{"resourceSpans":', payloads, '}');

const resourceSpansSchema = z.array(
  z.looseObject({
    scopeSpans: z.array(z.looseObject({ spans: z.array(z.looseObject({ parentSpanId: z.string().optional() })).default([]) })).default([]),
  }),
);

/** Halves a record by spans (for a 413), keeping each span under its resource and scope; null for one span. */
export function splitTraceRecord(record: SpoolRecord): [SpoolRecord, SpoolRecord] | null {
  const resourceSpans = resourceSpansSchema.parse(JSON.parse(record.payload.toString('utf8')));
  const total = resourceSpans.reduce((sum, rs) => sum + rs.scopeSpans.reduce((inner, ss) => inner + ss.spans.length, 0), 0);
  if (total <= 1) return null;
  const firstHalf = Math.ceil(total / 2);
  let seen = 0;
  const halves: [typeof resourceSpans, typeof resourceSpans] = [[], []];
  for (const rs of resourceSpans) {
    const parts: [typeof rs.scopeSpans, typeof rs.scopeSpans] = [[], []];
    for (const ss of rs.scopeSpans) {
      const take = Math.max(0, Math.min(ss.spans.length, firstHalf - seen));
      if (take > 0) parts[0].push({ ...ss, spans: ss.spans.slice(0, take) });
      if (take < ss.spans.length) parts[1].push({ ...ss, spans: ss.spans.slice(take) });
      seen += ss.spans.length;
    }
    parts.forEach((scopes, half) => {
      if (scopes.length > 0) halves[half]!.push({ ...rs, scopeSpans: scopes });
    });
  }
  const toRecord = (half: typeof resourceSpans): SpoolRecord => {
    const spans = half.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    return { items: spans.length, traces: spans.filter((span) => !span.parentSpanId).length, payload: Buffer.from(JSON.stringify(half), 'utf8') };
  };
  return [toRecord(halves[0]), toRecord(halves[1])];
}
