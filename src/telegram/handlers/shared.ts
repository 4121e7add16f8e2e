import { BotError } from 'grammy';
import type { Logger } from 'pino';
import type { Observability } from '../../observability/index.js';
import type { BackendClient } from '../backend.js';
import type { BotContext } from '../context.js';
import type { KeyedWorkQueue } from '../work-queue.js';

/** Everything the handlers need, passed in so each handler is a plain function of its dependencies. */
export interface HandlerDeps {
  backend: BackendClient;
  observability: Observability;
  logger: Logger;
  queue: KeyedWorkQueue;
  typingRenewMs: number;
  /** What the error boundary does with a failed update; work deferred past the boundary reports here too. */
  reportError: (error: BotError<BotContext>) => Promise<void>;
}

/**
 * The bot's error boundary (`bot.errorBoundary`): a failing update is logged and the user is told
 * something went wrong instead of being left in silence. The apology itself may fail (Telegram down):
 * that is only logged.
 */
export function reportUpdateError(logger: Logger): (error: BotError<BotContext>) => Promise<void> {
  return async ({ error, ctx }) => {
    logger.error({ err: error, updateId: ctx.update.update_id }, 'telegram update handling failed');
    if (ctx.chat === undefined) return;
    await ctx.reply(ctx.texts.failure).catch((replyError: unknown) => {
      logger.warn({ err: replyError, updateId: ctx.update.update_id }, 'could not tell the user about the failure');
    });
  };
}

/**
 * Hands an update's slow part to the chat's queue. It runs after grammY has finished the update, so
 * outside the error boundary: its failures are handed to the boundary's handler here.
 */
export function deferAnswer(deps: HandlerDeps, ctx: BotContext, key: string, work: () => Promise<void>): void {
  void deps.queue.enqueue(key, () => work().catch((error: unknown) => deps.reportError(new BotError(error, ctx))));
}
