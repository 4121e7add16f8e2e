/**
 * Real grammY against the fake Telegram Bot API, talking to the real sommelier (PGlite, offline engine)
 * over HTTP, both processes' tracing going to the test Langfuse receiver.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createNoopObservability } from '../../src/observability/noop.js';
import { createTelegramBot, HttpBackendClient, startTelegramBot, type TelegramBot } from '../../src/telegram/index.js';
import { helpText, textsFor } from '../../src/telegram/messages.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startFakeTelegram, type FakeTelegram, type InlineKeyboardMarkup, type SentMessage } from '../support/fake-telegram.js';
import type { LangfuseReceiver, ReceivedSpan } from '../support/langfuse-receiver.js';
import { assembleBoth } from '../support/trace-assembly.js';
import { silentLogger, startBotUnderTest, startReceiver, TEST_BOT_BACKEND_TOKEN, tracingEnv, type BotUnderTest } from './harness.js';

const ru = textsFor('ru');
const en = textsFor('en');
const CYRILLIC = /[а-яё]/i;
const buttons = (markup: InlineKeyboardMarkup | null) => markup?.inline_keyboard.flat() ?? [];
const traceIdOf = (message: SentMessage): string => {
  const data = buttons(message.replyMarkup)[0]?.callback_data ?? '';
  const match = /^fb:\+1:([0-9a-f]{32})$/.exec(data);
  if (!match?.[1]) throw new Error(`no trace id in the buttons of ${JSON.stringify(message)}`);
  return match[1];
};

let receiver: LangfuseReceiver;
let app: TestApp;

/** The trace once both the bot's span and the backend's agent with its generations have arrived. */
function completeTrace(r: LangfuseReceiver, traceId: string): ReceivedSpan[] | null {
  const spans = r.spansByTrace(traceId);
  const bot = spans.some((span) => span.name === 'telegram-update');
  const agent = spans.some((span) => span.name === 'sommelier-chat');
  const generations = spans.filter((span) => span.name === 'offline-completion').length;
  return bot && agent && generations >= 2 ? spans : null;
}

/** Under Langfuse v3 and v4 rules: the bot's span carries the reply and the backend's metadata; names and tags agree. */
function expectWholeTelegramTrace(spans: ReceivedSpan[], message: string): void {
  for (const assembled of Object.values(assembleBoth(spans))) {
    expect(assembled.conflicts).toEqual([]);
    expect(assembled.parentless.map((span) => span.name)).toEqual(['telegram-update']);
    expect(assembled.name).toBe('sommelier-chat');
    expect(assembled.tags).toEqual(['channel:telegram', 'engine:offline']);
    expect(assembled.input).toBe(message);
    expect(typeof assembled.output === 'string' && assembled.output.length > 20).toBe(true);
    expect(assembled.metadata).toMatchObject({ engine: 'offline', language: 'en', tool_used: expect.stringContaining('search') });
    expect(Number(assembled.metadata.iterations)).toBeGreaterThanOrEqual(2);
    expect(assembled.sessionId).toMatch(/^tg:/);
  }
}

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startTestApp({ LLM_PROVIDER: 'offline', ...tracingEnv(receiver) });
});

afterAll(async () => {
  await app?.dispose();
  await receiver?.close();
});

describe('Telegram bot by long polling', () => {
  let harness: BotUnderTest;
  let chatId = 1000;
  const nextUser = (languageCode: string) => ({ chatId: ++chatId, languageCode });

  beforeAll(async () => {
    harness = await startBotUnderTest({ backendUrl: app.url, receiver, env: { TELEGRAM_RATE_LIMIT_PER_MINUTE: '4' } });
  });

  afterAll(async () => {
    await harness?.dispose();
  });

  it('answers a Russian user in Russian: typing first, then the reply with bold wines and 👍 / 👎', async () => {
    const user = nextUser('ru');
    harness.telegram.pushText(user, 'Какое красное вино подойдёт к стейку?');
    const [answer] = await harness.telegram.waitForSent(user.chatId, 1);
    expect(answer?.text).toMatch(CYRILLIC);
    expect(answer?.parseMode).toBe('HTML');
    expect(answer?.raw).toMatch(/<b>[^<]+<\/b>/);
    expect(buttons(answer!.replyMarkup).map((b) => b.text)).toEqual(['👍', '👎']);
    const traceId = traceIdOf(answer!);
    expect(buttons(answer!.replyMarkup)[1]?.callback_data).toBe(`fb:-1:${traceId}`);

    const typing = harness.telegram.callsOf('sendChatAction').find((call) => call.payload.chat_id === user.chatId);
    const sent = harness.telegram.callsOf('sendMessage').find((call) => call.payload.chat_id === user.chatId);
    expect(typing?.payload.action).toBe('typing');
    expect(typing!.seq).toBeLessThan(sent!.seq);
  });

  it('answers an English user in English, and greets in the user\'s language', async () => {
    const english = nextUser('en');
    harness.telegram.pushText(english, 'Which white wine goes with oysters?');
    const [answer] = await harness.telegram.waitForSent(english.chatId, 1);
    expect(answer?.text).not.toMatch(CYRILLIC);
    expect(buttons(answer!.replyMarkup)).toHaveLength(2);

    harness.telegram.pushText(english, '/start');
    expect((await harness.telegram.waitForSent(english.chatId, 2))[1]?.text).toBe(en.start);
    const russian = nextUser('ru-RU');
    harness.telegram.pushText(russian, '/start');
    harness.telegram.pushText(russian, '/help');
    const [start, help] = await harness.telegram.waitForSent(russian.chatId, 2);
    expect(start?.text).toBe(ru.start);
    expect(help?.text).toBe(helpText('ru'));
    expect(help?.text).toMatch(/new conversation/);
  });

  it('turns 👎 into a -1 score on the answer\'s trace, and a later 👍 updates that same score', async () => {
    const user = nextUser('ru');
    harness.telegram.pushText(user, 'Посоветуйте вино к пицце');
    const [answer] = await harness.telegram.waitForSent(user.chatId, 1);
    const traceId = traceIdOf(answer!);

    harness.telegram.pressButton(user, answer!, `fb:-1:${traceId}`);
    const ack = await harness.telegram.waitForCall('answerCallbackQuery', (call) => call.payload.text === ru.feedbackThanks);
    expect(ack.payload.text).toBe('Спасибо!');
    // The backend also puts automatic evaluation scores on the trace; the vote is the `user-feedback` one.
    const votes = (r: LangfuseReceiver) => r.scores.filter((s) => s.traceId === traceId && s.name === 'user-feedback');
    const down = await receiver.waitFor((r) => votes(r).find((s) => s.value === -1), 15_000);
    const edit = await harness.telegram.waitForCall('editMessageReplyMarkup', (call) => call.payload.chat_id === user.chatId);
    expect(buttons(edit.payload.reply_markup as InlineKeyboardMarkup).map((b) => b.text)).toEqual(['👍', '👎 ✓']);

    harness.telegram.pressButton(user, harness.telegram.sentTo(user.chatId)[0]!, `fb:+1:${traceId}`);
    const up = await receiver.waitFor((r) => votes(r).find((s) => s.value === 1), 15_000);
    expect(up.id).not.toBeNull();
    expect(up.id).toBe(down.id);
    expect(new Set(votes(receiver).map((s) => s.id)).size).toBe(1);
    await harness.running.telegramBot.idle();
    expect(buttons(harness.telegram.sentTo(user.chatId)[0]!.replyMarkup).map((b) => b.text)).toEqual(['👍 ✓', '👎']);
  });

  it('makes one trace: the bot\'s span is the root and the backend\'s spans continue it', async () => {
    const user = nextUser('en');
    harness.telegram.pushText(user, 'A dry white from Italy for fish');
    const [answer] = await harness.telegram.waitForSent(user.chatId, 1);
    const traceId = traceIdOf(answer!);

    const spans = await receiver.waitFor((r) => {
      const inTrace = r.spansByTrace(traceId);
      const hasBot = inTrace.some((s) => s.name === 'telegram-update');
      const hasBackend = inTrace.some((s) => s.name !== 'telegram-update' && s.parentSpanId !== null);
      return hasBot && hasBackend ? inTrace : null;
    }, 15_000);
    const roots = spans.filter((span) => span.parentSpanId === null);
    expect(roots.map((span) => span.name)).toEqual(['telegram-update']);
    const botSpan = roots[0]!;
    // Every backend span hangs (through its parents) off the bot's span.
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    for (const span of spans) {
      let cursor = span;
      while (cursor.parentSpanId !== null) {
        const parent = byId.get(cursor.parentSpanId);
        expect(parent, `parent of ${cursor.name} is in the trace`).toBeDefined();
        cursor = parent!;
      }
      expect(cursor.spanId).toBe(botSpan.spanId);
    }
    expect(spans.filter((span) => span.parentSpanId === botSpan.spanId).length).toBeGreaterThan(0);
    expectWholeTelegramTrace(await receiver.waitFor((r) => completeTrace(r, traceId), 15_000), 'A dry white from Italy for fish');
  });

  it('answers photos, stickers, voice and edits politely in the user\'s language, and keeps going', async () => {
    const russian = nextUser('ru');
    const english = nextUser('en');
    harness.telegram.pushMessage(russian, { sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } });
    harness.telegram.pushMessage(english, { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }] });
    harness.telegram.pushMessage(english, { voice: { file_id: 'v', file_unique_id: 'v', duration: 1 } });
    harness.telegram.pushEditedText(russian, 1, 'исправленный текст');
    const [sticker, edited] = await harness.telegram.waitForSent(russian.chatId, 2);
    const [photo, voice] = await harness.telegram.waitForSent(english.chatId, 2);
    expect([sticker?.text, edited?.text]).toEqual([ru.unsupported, ru.edited]);
    expect([photo?.text, voice?.text]).toEqual([en.unsupported, en.unsupported]);

    harness.telegram.pushText(english, 'Champagne for a birthday?');
    const messages = await harness.telegram.waitForSent(english.chatId, 3);
    expect(buttons(messages[2]!.replyMarkup)).toHaveLength(2);
  });

  it('reads the first 4,000 characters of a 5,000-character message and says so', async () => {
    const user = nextUser('en');
    const head = `What red goes with steak? ${'Really, I mean it. '.repeat(300)}`.slice(0, 4010);
    const long = `${head} ${'TAIL '.repeat(300)}`.slice(0, 5000);
    expect(long.length).toBe(5000);
    harness.telegram.pushText(user, long);
    const [answer] = await harness.telegram.waitForSent(user.chatId, 1);
    // The backend refuses anything over 4,000 characters; a real answer (with buttons) means it got less.
    expect(answer?.text.startsWith(en.truncatedNote(4000))).toBe(true);
    expect(buttons(answer!.replyMarkup)).toHaveLength(2);
    const traceId = traceIdOf(answer!);
    const botSpan = await receiver.waitFor((r) => r.spansByTrace(traceId).find((s) => s.name === 'telegram-update'), 15_000);
    const input = String(botSpan.attributes['langfuse.observation.input'] ?? '');
    expect(input).toContain('What red goes with steak?');
    expect(input).not.toContain('TAIL');
  });

  it('rate-limits a user who floods: one friendly notice, the rest dropped, other users unaffected', async () => {
    const flooder = nextUser('en');
    for (let i = 0; i < 6; i++) harness.telegram.pushText(flooder, '/help');
    // Commands are answered in update order, so once the bystander has its answer the flood is handled.
    const bystander = nextUser('en');
    harness.telegram.pushText(bystander, '/help');
    await harness.telegram.waitForSent(bystander.chatId, 1);
    expect(harness.telegram.sentTo(flooder.chatId).map((m) => m.text)).toEqual([
      helpText('en'),
      helpText('en'),
      helpText('en'),
      helpText('en'),
      en.rateLimited,
    ]);
  });
});

describe('Telegram bot inside the app process (what `npm start` with a token runs)', () => {
  it('shares the app\'s tracing and still makes the bot\'s span the root of one trace', async () => {
    const telegram = await startFakeTelegram();
    const config = loadConfig({
      ...tracingEnv(receiver),
      DATA_DIR: app.dataDir,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
    });
    const running = await startTelegramBot({ config, backendUrl: app.url, observability: app.observability, logger: silentLogger });
    try {
      await running.ready;
      telegram.pushText({ chatId: 4001, languageCode: 'en' }, 'Something red for a barbecue');
      const [answer] = await telegram.waitForSent(4001, 1);
      const traceId = traceIdOf(answer!);
      const spans = await receiver.waitFor((r) => {
        const inTrace = r.spansByTrace(traceId);
        return inTrace.some((s) => s.name === 'telegram-update') && inTrace.length > 1 ? inTrace : null;
      }, 15_000);
      expect(spans.filter((span) => span.parentSpanId === null).map((span) => span.name)).toEqual(['telegram-update']);
      expectWholeTelegramTrace(await receiver.waitFor((r) => completeTrace(r, traceId), 15_000), 'Something red for a barbecue');
    } finally {
      await running.stop();
      await telegram.close();
    }
  });
});

describe('Telegram bot by webhook', () => {
  const SECRET = 'webhook-secret_123';
  let telegram: FakeTelegram;
  let server: Server;
  let telegramBot: TelegramBot;
  let webhookUrl: string;

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_URL: webhookUrl,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
    });
    telegramBot = createTelegramBot({
      config: config.telegram,
      // The backend lets only the bot (its token) use tg: sessions.
      backend: new HttpBackendClient({ baseUrl: app.url, timeoutMs: config.telegram.backendTimeoutMs, botToken: TEST_BOT_BACKEND_TOKEN }),
      observability: createNoopObservability(),
      logger: silentLogger,
    });
    server.on('request', telegramBot.webhook!.nodeHandler);
    await telegramBot.start();
  });

  afterAll(async () => {
    await telegramBot?.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await telegram?.close();
  });

  const update = (chatId: number, text: string, updateId: number) => ({
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 0,
      chat: { id: chatId, type: 'private' as const, first_name: 'T' },
      from: { id: chatId, is_bot: false, first_name: 'T', language_code: 'en' },
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command' as const, offset: 0, length: text.length }] } : {}),
    },
  });

  it('registers the webhook with its secret token', () => {
    expect(telegramBot.mode).toBe('webhook');
    expect(telegram.webhook).toEqual({ url: webhookUrl, secretToken: SECRET });
    const setWebhook = telegram.callsOf('setWebhook')[0];
    expect(setWebhook?.payload.allowed_updates).toEqual(['message', 'edited_message', 'callback_query']);
    // The command menu, in English by default and in Russian for Russian-speaking users.
    expect(telegram.callsOf('setMyCommands').map((call) => call.payload.language_code ?? 'default')).toEqual(['default', 'ru']);
  });

  it('rejects a wrong or missing secret with 401 and processes nothing', async () => {
    expect(await telegram.deliverToWebhook(update(3001, '/help', 900_001), 'wrong-secret')).toBe(401);
    expect(await telegram.deliverToWebhook(update(3001, '/help', 900_002), null)).toBe(401);
    // Commands are answered before the webhook responds, so a processed /help would already show here.
    expect(await telegram.deliverToWebhook(update(3001, '/start', 900_003))).toBe(200);
    expect(telegram.sentTo(3001).map((m) => m.text)).toEqual([en.start]);
    // The rejected update ids were never seen: Telegram's retry with the right secret is processed.
    expect(await telegram.deliverToWebhook(update(3001, '/help', 900_001))).toBe(200);
    expect(telegram.sentTo(3001).map((m) => m.text)).toEqual([en.start, helpText('en')]);
  });

  it('answers a text update with the sommelier\'s reply, once even if Telegram delivers it twice', async () => {
    const message = update(3002, 'Which wine with roast chicken?', 900_010);
    expect(await telegram.deliverToWebhook(message)).toBe(200);
    expect(await telegram.deliverToWebhook(message)).toBe(200);
    const [answer] = await telegram.waitForSent(3002, 1);
    expect(buttons(answer!.replyMarkup)).toHaveLength(2);
    await telegramBot.idle();
    expect(telegram.sentTo(3002)).toHaveLength(1);
    expect(telegram.callsOf('getUpdates')).toEqual([]);
  });

  it('also mounts on Fastify, checking the secret before the body is read', async () => {
    const fastify = Fastify();
    await fastify.register(telegramBot.webhook!.fastifyPlugin);
    try {
      const denied = await fastify.inject({
        method: 'POST',
        url: '/telegram/webhook',
        headers: { 'x-telegram-bot-api-secret-token': 'nope' },
        payload: update(3003, '/help', 900_020),
      });
      expect(denied.statusCode).toBe(401);
      const accepted = await fastify.inject({
        method: 'POST',
        url: '/telegram/webhook',
        headers: { 'x-telegram-bot-api-secret-token': SECRET },
        payload: update(3003, '/start', 900_021),
      });
      expect(accepted.statusCode).toBe(200);
      expect(telegram.sentTo(3003).map((m) => m.text)).toEqual([en.start]);
    } finally {
      await fastify.close();
    }
  });
});
