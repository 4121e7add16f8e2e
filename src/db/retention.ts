import type { Logger } from 'pino';
import type { Queryable } from './database.js';

/** How often the sweep runs after the first one at start-up. */
export const RETENTION_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export interface RetentionOptions {
  db: Queryable;
  /** Rows older than this many days are deleted; 0 keeps everything (no job at all). */
  days: number;
  logger: Logger;
  /** Called after rows were deleted, e.g. to drop in-process copies of the deleted turns. */
  onDeleted?: () => void;
  intervalMs?: number;
  now?: () => Date;
}

export interface RetentionSweep {
  conversationMessages: number;
  feedback: number;
}

export interface RetentionJob {
  /** Deletes what is older than the retention period now. */
  sweep(): Promise<RetentionSweep>;
  /** Stops the timer and waits for a sweep under way. */
  stop(): Promise<void>;
}

/**
 * Deletes conversation turns and feedback older than CONVERSATION_RETENTION_DAYS: once at start and then
 * hourly, on an unref'd timer (it never keeps a process alive). Turns go one by one by their own age, so
 * a long conversation loses its oldest turns first. Feedback goes by its last change; its score already
 * lives in Langfuse, whose own retention settings apply there (docs/SECURITY.md).
 */
export function startRetention(options: RetentionOptions): RetentionJob {
  const now = options.now ?? (() => new Date());
  let running: Promise<RetentionSweep> | null = null;
  let stopped = false;

  const sweep = (): Promise<RetentionSweep> => {
    running ??= (async () => {
      const cutoff = new Date(now().getTime() - options.days * 24 * 60 * 60 * 1000);
      const messages = await options.db.query<{ count: number }>(
        'WITH gone AS (DELETE FROM conversation_messages WHERE created_at < $1 RETURNING 1) SELECT count(*)::int AS count FROM gone',
        [cutoff.toISOString()],
      );
      const feedback = await options.db.query<{ count: number }>(
        'WITH gone AS (DELETE FROM feedback WHERE updated_at < $1 RETURNING 1) SELECT count(*)::int AS count FROM gone',
        [cutoff.toISOString()],
      );
      const result = { conversationMessages: messages.rows[0]?.count ?? 0, feedback: feedback.rows[0]?.count ?? 0 };
      if (result.conversationMessages + result.feedback > 0) {
        options.onDeleted?.();
        options.logger.info({ ...result, retentionDays: options.days }, 'retention: deleted conversation turns and feedback past the retention period');
      }
      return result;
    })().finally(() => {
      running = null;
    });
    return running;
  };

  if (options.days <= 0) {
    return { sweep: async () => ({ conversationMessages: 0, feedback: 0 }), stop: async () => undefined };
  }

  const sweepLogged = (): void => {
    if (stopped) return;
    sweep().catch((error: unknown) => options.logger.warn({ err: error }, 'retention: sweep failed; retrying at the next interval'));
  };
  sweepLogged();
  const timer = setInterval(sweepLogged, options.intervalMs ?? RETENTION_SWEEP_INTERVAL_MS);
  timer.unref();

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
