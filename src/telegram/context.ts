import type { Context, MiddlewareFn, SessionFlavor } from 'grammy';
import { pickLanguage, textsFor, type BotLanguage, type BotTexts } from './messages.js';
import type { ChatSession } from './sessions.js';

/** Context flavor: the bot's own words in the user's language, on every update's context. */
export interface TextsFlavor {
  /** From Telegram's `language_code`; English for anything the bot has no texts for. */
  language: BotLanguage;
  texts: BotTexts;
}

/** The context every handler of this bot sees. */
export type BotContext = Context & TextsFlavor & SessionFlavor<ChatSession>;

/** Sets `ctx.language` and `ctx.texts` before any handler runs, so handlers never pick a language themselves. */
export function textsMiddleware(): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    ctx.language = pickLanguage(ctx.from?.language_code);
    ctx.texts = textsFor(ctx.language);
    return next();
  };
}
