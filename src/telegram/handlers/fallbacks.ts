import { Composer } from 'grammy';
import type { BotContext } from '../context.js';

/** Kinds of message a user sends on purpose that the sommelier cannot read (service messages are left alone). */
const UNSUPPORTED = [
  'message:photo',
  'message:sticker',
  'message:voice',
  'message:video',
  'message:video_note',
  'message:audio',
  'message:document',
  'message:animation',
  'message:location',
  'message:venue',
  'message:contact',
  'message:poll',
  'message:dice',
] as const;

/** Photos, stickers, voice, edits: a short polite answer in the user's language. */
export function fallbackHandlers(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on([...UNSUPPORTED], async (ctx) => {
    await ctx.reply(ctx.texts.unsupported);
  });
  composer.on('edited_message', async (ctx) => {
    await ctx.reply(ctx.texts.edited);
  });
  return composer;
}
