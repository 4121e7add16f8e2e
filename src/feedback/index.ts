import { randomUUID } from 'node:crypto';
import type { Database } from '../catalog/database.js';
import type { Observability } from '../observability/types.js';

export const USER_FEEDBACK_SCORE = 'user-feedback';

export interface FeedbackInput {
  traceId: string;
  value: 1 | -1;
  comment?: string | undefined;
}

export interface FeedbackRecord {
  id: string;
  traceId: string;
  value: 1 | -1;
  comment: string | null;
  /** True once handed to the durable export path (Langfuse receives it even after an outage). */
  queuedForLangfuse: boolean;
}

/**
 * One feedback per trace: a second press updates the same row and re-sends the same score id,
 * which Langfuse treats as an upsert, so a changed mind never becomes a second score.
 */
export async function recordFeedback(db: Database, observability: Observability, input: FeedbackInput): Promise<FeedbackRecord> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO feedback (id, trace_id, value, comment) VALUES ($1, $2, $3, $4)
     ON CONFLICT (trace_id) DO UPDATE SET value = EXCLUDED.value, comment = EXCLUDED.comment, updated_at = now(), sent_at = NULL
     RETURNING id`,
    [randomUUID(), input.traceId, input.value, input.comment ?? null],
  );
  const id = rows[0]!.id;
  let queuedForLangfuse = false;
  if (observability.enabled) {
    await observability.submitScore({
      id,
      traceId: input.traceId,
      name: USER_FEEDBACK_SCORE,
      value: input.value,
      comment: input.comment,
      dataType: 'NUMERIC',
    });
    await db.query('UPDATE feedback SET sent_at = now() WHERE id = $1', [id]);
    queuedForLangfuse = true;
  }
  return { id, traceId: input.traceId, value: input.value, comment: input.comment ?? null, queuedForLangfuse };
}
