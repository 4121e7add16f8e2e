import { z } from 'zod';
import type { ScoreInput } from '../types.js';
import { joinPayloads } from './record.js';
import type { SpoolRecord } from './record.js';

/**
 * Scores travel as Langfuse ingestion events (`score-create`). The event id and the score id are both
 * our own score id, so a re-send after a lost acknowledgement is an upsert, not a second score.
 */
export const scoreInputSchema = z.object({
  id: z.string().min(1).max(200),
  traceId: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  value: z.number().finite(),
  comment: z.string().max(10_000).optional(),
  dataType: z.enum(['NUMERIC', 'BOOLEAN', 'CATEGORICAL']).optional(),
});

const eventSchema = z.looseObject({ id: z.string() });
export type IngestionEventJson = z.infer<typeof eventSchema>;

export function scoreToRecord(score: ScoreInput, environment: string | undefined, now: Date): SpoolRecord {
  const valid = scoreInputSchema.parse(score);
  const dataType = valid.dataType ?? 'NUMERIC';
  const event = {
    id: valid.id,
    type: 'score-create',
    timestamp: now.toISOString(),
    body: {
      id: valid.id,
      traceId: valid.traceId,
      name: valid.name,
      // Langfuse wants categorical values as strings, numeric and boolean ones as numbers.
      value: dataType === 'CATEGORICAL' ? String(valid.value) : valid.value,
      dataType,
      ...(valid.comment === undefined ? {} : { comment: valid.comment }),
      ...(environment === undefined ? {} : { environment }),
    },
  };
  return { items: 1, payload: Buffer.from(JSON.stringify([event]), 'utf8') };
}

export function ingestionRequestBody(payloads: readonly Buffer[]): Buffer {
  return joinPayloads('{"batch":', payloads, '}');
}

/** The events inside records, each as its own one-event record (so a retry or dead-letter is per event). */
export function recordEvents(records: readonly SpoolRecord[]): { id: string; record: SpoolRecord }[] {
  const events: { id: string; record: SpoolRecord }[] = [];
  for (const record of records) {
    const parsed = z.array(eventSchema).parse(JSON.parse(record.payload.toString('utf8')));
    for (const event of parsed) {
      events.push({ id: event.id, record: { items: 1, payload: Buffer.from(JSON.stringify([event]), 'utf8') } });
    }
  }
  return events;
}

const ingestionResponseSchema = z.object({
  successes: z.array(z.object({ id: z.string(), status: z.number() })).default([]),
  errors: z
    .array(
      z.object({
        id: z.string(),
        status: z.number(),
        message: z.string().nullish(),
        error: z.unknown().optional(),
      }),
    )
    .default([]),
});

export type IngestionError = z.infer<typeof ingestionResponseSchema>['errors'][number];

/** Per-event errors of a 2xx/207 ingestion answer; an answer we cannot read counts as all accepted. */
export function ingestionErrors(responseBody: string): IngestionError[] {
  let json: unknown;
  try {
    json = JSON.parse(responseBody);
  } catch {
    return [];
  }
  const parsed = ingestionResponseSchema.safeParse(json);
  return parsed.success ? parsed.data.errors : [];
}

export function describeIngestionError(error: IngestionError): string {
  const detail = error.message ?? (error.error === undefined ? '' : JSON.stringify(error.error));
  return `${error.status}${detail ? `: ${detail}` : ''}`.slice(0, 2_000);
}
