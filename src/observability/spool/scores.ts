import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ScoreInput } from '../types.js';
import { joinPayloads } from './record.js';
import type { SpoolRecord } from './record.js';

/**
 * Scores travel as Langfuse ingestion events (`score-create`). The score id is ours and stable, so a
 * re-send is an upsert of the same score; each submission gets a new event id, because Langfuse may skip
 * an event id it saw in the last minutes (its seen-event cache) and a changed vote must not be skipped.
 */
const scoreInputSchema = z.object({
  id: z.string().min(1).max(200),
  traceId: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  value: z.number().finite(),
  comment: z.string().max(10_000).optional(),
  dataType: z.enum(['NUMERIC', 'BOOLEAN', 'CATEGORICAL']).optional(),
});

export function scoreToRecord(score: ScoreInput, environment: string, now: Date): SpoolRecord {
  const valid = scoreInputSchema.parse(score);
  const dataType = valid.dataType ?? 'NUMERIC';
  const event = {
    id: randomUUID(),
    type: 'score-create',
    timestamp: now.toISOString(),
    body: {
      id: valid.id,
      traceId: valid.traceId,
      name: valid.name,
      // Langfuse wants categorical values as strings, numeric and boolean ones as numbers.
      value: dataType === 'CATEGORICAL' ? String(valid.value) : valid.value,
      dataType,
      // An upsert keeps a field that is left out: null clears the comment of a changed vote.
      comment: valid.comment ?? null,
      environment,
    },
  };
  return { items: 1, traces: 0, payload: Buffer.from(JSON.stringify([event]), 'utf8') };
}

export const ingestionRequestBody = (payloads: readonly Buffer[]): Buffer => joinPayloads('{"batch":', payloads, '}');

/** The events inside records, each as its own one-event record (so a retry or dead letter is per event). */
export function splitEvents(records: readonly SpoolRecord[]): { id: string; record: SpoolRecord }[] {
  return records.flatMap((record) =>
    z
      .array(z.looseObject({ id: z.string() }))
      .parse(JSON.parse(record.payload.toString('utf8')))
      .map((event) => ({ id: event.id, record: { items: 1, traces: 0, payload: Buffer.from(JSON.stringify([event]), 'utf8') } })),
  );
}
