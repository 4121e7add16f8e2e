import { Composer, GrammyError, type InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import { BACKEND_MESSAGE_MAX_CHARS, BackendError, type ChatReply } from '../backend.js';
import { feedbackKeyboard } from '../feedback-buttons.js';
import { renderReplyHtml, splitMessage, truncateMessage } from '../format.js';
import type { BotTexts } from '../messages.js';
import { sessionIdFor, userIdFor } from '../sessions.js';
import { withTyping } from '../typing.js';
import { deferAnswer, type HandlerDeps } from './shared.js';

/** Text messages: ask the sommelier (one traced round trip) and send the answer with 👍 / 👎. */
export function chatHandler(deps: HandlerDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('message:text', (ctx) => {
    // Queued, not awaited: the polling loop moves on to other users while this chat waits for its answer.
    // The session is read now, while grammY holds it: the message belongs to the conversation it was sent in.
    const sessionId = sessionIdFor(ctx.chat.id, ctx.session.conversation);
    deferAnswer(deps, ctx, `chat:${ctx.chat.id}`, () => answer(ctx, ctx.message.text, sessionId, deps));
  });
  return composer;
}

async function answer(ctx: BotContext & { chat: { id: number } }, text: string, sessionId: string, deps: HandlerDeps): Promise<void> {
  const { texts } = ctx;
  const chatId = ctx.chat.id;
  const { text: message, truncated } = truncateMessage(text, BACKEND_MESSAGE_MAX_CHARS);
  // Messages a channel posts into a linked group have no human sender; the chat stands in for one.
  const userId = userIdFor(ctx.from?.id ?? chatId);

  let reply: ChatReply;
  let outboundTraceId: string | null = null;
  try {
    reply = await withTyping(
      () => ctx.replyWithChatAction('typing'),
      () =>
        deps.observability.traceOutbound({ input: message, sessionId, userId, channel: 'telegram' }, async (outbound) => {
          outboundTraceId = outbound.traceId;
          const answered = await deps.backend.chat({ message, sessionId, userId, channel: 'telegram' }, { traceparent: outbound.traceparent });
          // The bot's span is the trace's parentless row: it carries the reply and the backend's metadata.
          outbound.finish({
            output: answered.reply,
            engine: answered.engine,
            model: answered.model,
            toolsUsed: answered.toolsUsed,
            iterations: answered.iterations,
            language: answered.language,
            recommendations: answered.recommendations.length,
          });
          return answered;
        }),
      deps.typingRenewMs,
    );
  } catch (error) {
    deps.logger.warn({ err: error, chatId, sessionId }, 'sommelier backend call failed');
    await ctx.reply(failureText(error, texts));
    return;
  }

  const body = truncated ? `${texts.truncatedNote(BACKEND_MESSAGE_MAX_CHARS)}\n\n${reply.reply}` : reply.reply;
  const chunks = splitMessage(body);
  if (chunks.length === 0) chunks.push(texts.emptyReply);
  // The backend's id is authoritative (it continued our trace, or started its own when we were not traced).
  const traceId = reply.traceId ?? outboundTraceId;
  const keyboard = traceId ? feedbackKeyboard(traceId) : null;
  const names = reply.recommendations.map((wine) => wine.name);
  for (const [index, chunk] of chunks.entries()) {
    await sendHtml(ctx, chunk, names, index === chunks.length - 1 ? keyboard : null);
  }
}

async function sendHtml(ctx: BotContext, chunk: string, wineNames: string[], keyboard: InlineKeyboard | null): Promise<void> {
  const markup = keyboard ? { reply_markup: keyboard } : {};
  try {
    await ctx.reply(renderReplyHtml(chunk, wineNames), { parse_mode: 'HTML', ...markup });
  } catch (error) {
    // Escaping should make this impossible; if Telegram still refuses the markup, plain text beats no answer.
    if (!(error instanceof GrammyError && error.error_code === 400 && /parse entities/i.test(error.description))) throw error;
    await ctx.reply(chunk, markup);
  }
}

export function failureText(error: unknown, texts: BotTexts): string {
  if (!(error instanceof BackendError)) return texts.failure;
  switch (error.failure) {
    case 'timeout':
      return texts.backendSlow;
    case 'rejected':
      if (error.status === 429) return texts.backendBusy;
      if (error.status !== null && error.status >= 400 && error.status < 500) return texts.backendRejected;
      return texts.backendUnavailable;
    case 'unreachable':
    case 'invalid-response':
    case 'aborted':
      return texts.backendUnavailable;
  }
}
