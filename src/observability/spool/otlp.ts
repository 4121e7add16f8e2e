import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { z } from 'zod';
import { joinPayloads } from './record.js';
import type { SpoolRecord } from './record.js';

/**
 * OTLP/JSON for the spool: a record holds the `resourceSpans` array of one export batch, so batches can
 * be joined into one request body by splicing text, without parsing them again.
 */
const REQUEST_PREFIX = Buffer.from('{"resourceSpans":', 'utf8');
const CLOSE_BRACE = 0x7d;

const resourceSpansSchema = z.array(
  z.looseObject({
    scopeSpans: z.array(z.looseObject({ spans: z.array(z.unknown()).default([]) })).default([]),
  }),
);

/** Serialises one export batch exactly as the stock OTLP/HTTP JSON exporter would (hex ids, string nanos). */
export function spansToRecord(spans: readonly ReadableSpan[]): SpoolRecord {
  const bytes = JsonTraceSerializer.serializeRequest(spans as ReadableSpan[]);
  if (!bytes) throw new Error('the OTLP JSON serializer produced nothing');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The request is `{"resourceSpans":[…]}`; take the array without a parse/stringify round trip.
  if (text.subarray(0, REQUEST_PREFIX.length).equals(REQUEST_PREFIX) && text[text.length - 1] === CLOSE_BRACE) {
    return { items: spans.length, payload: text.subarray(REQUEST_PREFIX.length, text.length - 1) };
  }
  const parsed = z.object({ resourceSpans: z.array(z.unknown()) }).parse(JSON.parse(text.toString('utf8')));
  return { items: spans.length, payload: Buffer.from(JSON.stringify(parsed.resourceSpans), 'utf8') };
}

/** One ExportTraceServiceRequest from several records. */
export function traceRequestBody(payloads: readonly Buffer[]): Buffer {
  return joinPayloads('{"resourceSpans":', payloads, '}');
}

/**
 * Halves a record by spans for a 413, keeping each span under its resource and scope. Null when the
 * record holds a single span (nothing left to split).
 */
export function splitTraceRecord(record: SpoolRecord): [SpoolRecord, SpoolRecord] | null {
  const resourceSpans = resourceSpansSchema.parse(JSON.parse(record.payload.toString('utf8')));
  const total = resourceSpans.reduce(
    (sum, rs) => sum + rs.scopeSpans.reduce((inner, ss) => inner + ss.spans.length, 0),
    0,
  );
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
    if (parts[0].length > 0) halves[0].push({ ...rs, scopeSpans: parts[0] });
    if (parts[1].length > 0) halves[1].push({ ...rs, scopeSpans: parts[1] });
  }
  return [
    { items: firstHalf, payload: Buffer.from(JSON.stringify(halves[0]), 'utf8') },
    { items: total - firstHalf, payload: Buffer.from(JSON.stringify(halves[1]), 'utf8') },
  ];
}

const partialSuccessSchema = z.object({
  partialSuccess: z
    .object({
      rejectedSpans: z.union([z.number(), z.string()]).optional(),
      errorMessage: z.string().optional(),
    })
    .optional(),
});

/** OTLP partial success: how many spans of an accepted request the server still rejected, and why. */
export function rejectedSpans(responseBody: string): { rejected: number; message: string | null } {
  if (responseBody.trim() === '') return { rejected: 0, message: null };
  let json: unknown;
  try {
    json = JSON.parse(responseBody);
  } catch {
    return { rejected: 0, message: null };
  }
  const parsed = partialSuccessSchema.safeParse(json);
  if (!parsed.success || !parsed.data.partialSuccess) return { rejected: 0, message: null };
  const rejected = Number(parsed.data.partialSuccess.rejectedSpans ?? 0);
  return {
    rejected: Number.isFinite(rejected) && rejected > 0 ? rejected : 0,
    message: parsed.data.partialSuccess.errorMessage ?? null,
  };
}
