import type { Context } from 'grammy';
import type { Logger } from 'pino';
import type { Observability } from '../../observability/types.js';
import type { BackendClient } from '../backend.js';
import { pickLanguage, textsFor, type BotTexts } from '../messages.js';
import type { SessionCounterStore } from '../sessions.js';
import type { KeyedWorkQueue } from '../work-queue.js';

/** Everything the handlers need, passed in so each handler is a plain function of its dependencies. */
export interface HandlerDeps {
  backend: BackendClient;
  observability: Observability;
  logger: Logger;
  sessions: SessionCounterStore;
  queue: KeyedWorkQueue;
  typingRenewMs: number;
}

export function textsOf(ctx: Context): BotTexts {
  return textsFor(pickLanguage(ctx.from?.language_code));
}

/**
 * Runs a handler's work and, if it throws, logs it and tells the user something went wrong instead
 * of leaving them in silence. The apology itself may fail (Telegram down): that is only logged.
 */
export async function answerSafely(ctx: Context, logger: Logger, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    logger.error({ err: error, updateId: ctx.update.update_id }, 'telegram update handling failed');
    if (ctx.chat === undefined) return;
    await ctx.reply(textsOf(ctx).failure).catch((replyError: unknown) => {
      logger.warn({ err: replyError, updateId: ctx.update.update_id }, 'could not tell the user about the failure');
    });
  }
}
