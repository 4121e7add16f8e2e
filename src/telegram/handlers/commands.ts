import { Composer, type Context } from 'grammy';
import { helpText, pickLanguage } from '../messages.js';
import type { SessionCounterStore } from '../sessions.js';
import { textsOf } from './shared.js';

/** /start, /help, /new, and a hint for commands we do not know. */
export function commandHandlers(sessions: SessionCounterStore): Composer<Context> {
  const composer = new Composer<Context>();

  composer.command('start', async (ctx) => {
    await ctx.reply(textsOf(ctx).start);
  });

  composer.command('help', async (ctx) => {
    await ctx.reply(helpText(pickLanguage(ctx.from?.language_code)));
  });

  composer.command('new', async (ctx) => {
    await sessions.next(ctx.chat.id);
    await ctx.reply(textsOf(ctx).newSession);
  });

  // Any other "/word" at the start: answer with a hint rather than sending the command to the sommelier.
  // In groups, "/word@other_bot" is meant for another bot and is left alone.
  composer.on('message:entities:bot_command', async (ctx, next) => {
    const first = ctx.message.entities[0];
    if (first?.type !== 'bot_command' || first.offset !== 0) return next();
    const command = ctx.message.text.slice(0, first.length);
    const addressee = command.split('@')[1];
    if (addressee !== undefined && addressee.toLowerCase() !== ctx.me.username.toLowerCase()) return;
    await ctx.reply(textsOf(ctx).unknownCommand);
  });

  return composer;
}
