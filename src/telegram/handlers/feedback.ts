import { Composer, GrammyError } from 'grammy';
import type { BotContext } from '../context.js';
import { decodeVote, feedbackKeyboard, type Vote } from '../feedback-buttons.js';
import { userIdFor } from '../sessions.js';
import type { HandlerDeps } from './shared.js';

/**
 * A 👍 / 👎 press: store the vote through the backend (which upserts one score per trace, so a second
 * press changes the vote rather than adding one), acknowledge it, then mark the chosen button.
 */
export function feedbackHandler(deps: HandlerDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('callback_query:data', async (ctx) => {
    const { texts } = ctx;
    const vote = decodeVote(ctx.callbackQuery.data);
    if (!vote) {
      await ctx.answerCallbackQuery({ text: texts.feedbackExpired });
      return;
    }
    // One user's presses run in order, so the last press is the vote that stays.
    void deps.queue.enqueue(`feedback:${ctx.from.id}`, async () => {
      try {
        await deps.backend.feedback({ traceId: vote.traceId, value: vote.vote, userId: userIdFor(ctx.from.id) });
      } catch (error) {
        deps.logger.warn({ err: error, traceId: vote.traceId }, 'feedback was not stored');
        await ctx.answerCallbackQuery({ text: texts.feedbackFailed });
        return;
      }
      await ctx.answerCallbackQuery({ text: texts.feedbackThanks });
      await markChoice(ctx, vote.traceId, vote.vote);
    });
  });
  return composer;
}

async function markChoice(ctx: BotContext, traceId: string, vote: Vote): Promise<void> {
  const message = ctx.callbackQuery?.message;
  const keyboard = feedbackKeyboard(traceId, vote);
  if (!message || !keyboard) return;
  const current = JSON.stringify(message.reply_markup?.inline_keyboard ?? []);
  if (current === JSON.stringify(keyboard.inline_keyboard)) return;
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: keyboard });
  } catch (error) {
    // Two quick presses of the same button: the second edit changes nothing and Telegram says so.
    if (error instanceof GrammyError && /not modified/i.test(error.description)) return;
    throw error;
  }
}
