import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { helpText } from '../messages.js';

/** /start, /help, /new, and a hint for commands we do not know. */
export function commandHandlers(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('start', async (ctx) => {
    await ctx.reply(ctx.texts.start);
  });

  composer.command('help', async (ctx) => {
    await ctx.reply(helpText(ctx.language));
  });

  composer.command('new', async (ctx) => {
    ctx.session.conversation += 1;
    await ctx.reply(ctx.texts.newSession);
  });

  // Any other "/word" at the start: answer with a hint rather than sending the command to the sommelier.
  // In groups, "/word@other_bot" is meant for another bot and is left alone.
  composer.on('message:entities:bot_command', async (ctx, next) => {
    const first = ctx.message.entities[0];
    if (first?.type !== 'bot_command' || first.offset !== 0) return next();
    const command = ctx.message.text.slice(0, first.length);
    const addressee = command.split('@')[1];
    if (addressee !== undefined && addressee.toLowerCase() !== ctx.me.username.toLowerCase()) return;
    await ctx.reply(ctx.texts.unknownCommand);
  });

  return composer;
}
