import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { SlidingWindowRateLimiter } from '../rate-limit.js';

/**
 * Counts every message a user sends (text, commands, stickers, edits) against their per-minute budget;
 * over it, the first refused message gets a friendly notice and the rest of the burst is dropped.
 * Button presses are not counted: each one only changes the vote it already has.
 */
export function rateLimitMiddleware(limiter: SlidingWindowRateLimiter): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on(['message', 'edited_message'], async (ctx, next) => {
    const key = String(ctx.from?.id ?? ctx.chat.id);
    const decision = limiter.check(key);
    if (decision.allowed) return next();
    if (decision.notify) await ctx.reply(ctx.texts.rateLimited);
  });
  return composer;
}
