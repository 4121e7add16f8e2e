import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../db/index.js';
import type { Observability } from '../observability/index.js';

export const USER_FEEDBACK_SCORE = 'user-feedback';

export interface FeedbackInput {
  /** The answer voted on (one vote per answer); absent only for votes keyed by trace id alone. */
  answerId?: string | undefined;
  /** The answer's trace; null when it was not traced (the vote is stored and counted, no score is sent). */
  traceId: string | null;
  value: 1 | -1;
  comment?: string | undefined;
}

export interface FeedbackRecord {
  id: string;
  answerId: string | null;
  traceId: string | null;
  value: 1 | -1;
  comment: string | null;
  /** True once in the durable export path; false means stored here and sent later (see the resender). */
  queuedForLangfuse: boolean;
}

interface StoredVote {
  id: string;
  trace_id: string | null;
  value: number;
  comment: string | null;
  /** As text: a timestamptz keeps microseconds, a JS Date would not, and the compare must be exact. */
  updated_at: string;
}

/**
 * Wakes the resender of a database: a vote could not be handed to the export path, or now could. Keyed by
 * the Database, so each app's resender is its own; weak, so a closed database takes its entry with it.
 */
const resenders = new WeakMap<Database, (spoolWorks: boolean) => void>();

/**
 * Hands a stored vote to the export path and marks it sent (`sent_at`), unless it changed meanwhile (the
 * newer version is then sent on its own). False when the spool cannot take it now: it stays unsent.
 */
async function sendVote(db: Database, observability: Observability, vote: StoredVote & { trace_id: string }): Promise<boolean> {
  try {
    await observability.submitScore({
      id: vote.id,
      traceId: vote.trace_id,
      name: USER_FEEDBACK_SCORE,
      value: vote.value,
      comment: vote.comment ?? undefined,
      dataType: 'NUMERIC',
    });
  } catch {
    return false;
  }
  await db.query('UPDATE feedback SET sent_at = now() WHERE id = $1 AND updated_at = $2::timestamptz', [vote.id, vote.updated_at]);
  return true;
}

/**
 * One feedback per trace: a second press updates the same row and re-sends the same score id, which
 * Langfuse treats as an upsert, so a changed mind never becomes a second score. The vote is stored first;
 * if the trace spool cannot take it (a full or read-only disk), the answer is still a success and the
 * vote is sent once the spool works again, or after a restart.
 */
export async function recordFeedback(db: Database, observability: Observability, input: FeedbackInput): Promise<FeedbackRecord> {
  const { rows } = await db.query<StoredVote>(
    `INSERT INTO feedback (id, trace_id, value, comment, answer_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (${input.answerId ? 'answer_id' : 'trace_id'}) DO UPDATE SET value = EXCLUDED.value, comment = EXCLUDED.comment, updated_at = now(), sent_at = NULL
     RETURNING id, trace_id, value, comment, updated_at::text`,
    [randomUUID(), input.traceId, input.value, input.comment ?? null, input.answerId ?? null],
  );
  const vote = rows[0]!;
  // A vote on an untraced answer is stored (and counted) only: there is no trace to score.
  const traced = observability.enabled && vote.trace_id !== null;
  const queuedForLangfuse = traced && (await sendVote(db, observability, { ...vote, trace_id: vote.trace_id! }));
  if (traced) resenders.get(db)?.(queuedForLangfuse);
  return { id: vote.id, answerId: input.answerId ?? null, traceId: input.traceId, value: input.value, comment: input.comment ?? null, queuedForLangfuse };
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;
const PAGE = 100;

/**
 * Sends stored votes that never reached the export path: once at start (a restart after the spool failed,
 * or a crash between storing and spooling), then, while some remain, again with backoff (1 s doubling to
 * a minute). Nothing runs with tracing off: those votes are for traces that do not exist.
 */
export function startFeedbackResender(db: Database, observability: Observability, logger: Logger): { stop(): Promise<void> } {
  if (!observability.enabled) return { stop: async () => undefined };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let delay = FIRST_RETRY_MS;
  let running: Promise<void> | null = null;

  /** True when unsent votes remain. */
  const resend = async (): Promise<boolean> => {
    const { rows } = await db.query<StoredVote & { trace_id: string }>(
      `SELECT id, trace_id, value, comment, updated_at::text FROM feedback
        WHERE sent_at IS NULL AND trace_id IS NOT NULL ORDER BY updated_at LIMIT ${PAGE}`,
    );
    let sent = 0;
    for (const vote of rows) {
      if (stopped || !(await sendVote(db, observability, vote))) return true;
      sent += 1;
    }
    if (sent > 0) logger.info({ votes: sent }, 'feedback: stored votes handed to the trace spool');
    return rows.length === PAGE;
  };

  const run = (): void => {
    clearTimeout(timer);
    timer = undefined;
    running ??= resend()
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'feedback: could not re-send stored votes');
        return true;
      })
      .then((more) => {
        running = null;
        if (stopped || !more) {
          delay = FIRST_RETRY_MS;
          return;
        }
        timer = setTimeout(run, delay);
        timer.unref();
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      });
  };

  resenders.set(db, (spoolWorks) => {
    // A failure starts the retries if none are scheduled; a success cuts a scheduled backoff short.
    if (!running && (timer === undefined) !== spoolWorks) run();
  });
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      resenders.delete(db);
      await running;
    },
  };
}
