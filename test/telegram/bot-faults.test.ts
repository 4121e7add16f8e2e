/**
 * The bot when things go wrong, and the details of what it sends the backend. A scripted backend
 * stands in for the sommelier here only because the real one cannot be told to hang, fail or ramble;
 * the happy paths run against the real app in bot.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textsFor } from '../../src/telegram/messages.js';
import { SESSION_FILE_NAME } from '../../src/telegram/run.js';
import type { InlineKeyboardMarkup, SentMessage } from '../support/fake-telegram.js';
import { startBotUnderTest, type BotUnderTest } from './harness.js';
import { chatReply, startStubBackend, type StubBackend } from './stub-backend.js';

const en = textsFor('en');
const ru = textsFor('ru');
const buttonTexts = (markup: InlineKeyboardMarkup | null) => markup?.inline_keyboard.flat().map((button) => button.text) ?? null;

describe('Telegram bot with a misbehaving backend', () => {
  let backend: StubBackend;
  let harness: BotUnderTest;
  let chatId = 5000;
  const nextUser = (languageCode = 'en') => ({ chatId: ++chatId, languageCode });

  beforeAll(async () => {
    backend = await startStubBackend();
    harness = await startBotUnderTest({ backendUrl: backend.url, env: { BACKEND_TIMEOUT_MS: '400' } });
  });

  afterAll(async () => {
    await harness?.dispose();
    await backend?.close();
  });

  it('sends the backend the session, user and channel, and /new starts a new session', async () => {
    const user = { chatId: ++chatId, fromId: 777, languageCode: 'en' };
    const sessionsSeen = () =>
      backend.requests.filter((r) => r.path === '/api/v1/chat' && r.body.userId === 'tg:777').map((r) => r.body.sessionId);
    backend.onChat(() => chatReply('Try a Barolo.'));
    harness.telegram.pushText(user, 'red wine please');
    await harness.telegram.waitForSent(user.chatId, 1);
    harness.telegram.pushText(user, '/new');
    await harness.telegram.waitForSent(user.chatId, 2);
    harness.telegram.pushText(user, 'and a white one?');
    await harness.telegram.waitForSent(user.chatId, 3);
    expect(harness.telegram.sentTo(user.chatId)[1]?.text).toBe(en.newSession);
    expect(sessionsSeen()).toEqual([`tg:${user.chatId}:0`, `tg:${user.chatId}:1`]);
    const request = backend.requests.find((r) => r.body.userId === 'tg:777');
    expect(request?.body).toEqual({ message: 'red wine please', sessionId: `tg:${user.chatId}:0`, userId: 'tg:777', channel: 'telegram' });
    // Tracing is off in this bot: no traceparent goes out.
    expect(request?.headers.traceparent).toBeUndefined();
    // grammY's session of this chat is in the bot's file; a chat that never used /new takes no entry.
    const other = nextUser('en');
    harness.telegram.pushText(other, 'and for dessert?');
    await harness.telegram.waitForSent(other.chatId, 1);
    const file = JSON.parse(await readFile(join(harness.config.dataDir, SESSION_FILE_NAME), 'utf8')) as unknown;
    expect(file).toEqual({ version: 1, counters: { [String(user.chatId)]: 1 } });
  });

  it('answers "try again" when the backend is down, and keeps running', async () => {
    const user = nextUser('ru');
    backend.onChat(() => ({ kind: 'reply', status: 503, body: { error: { code: 'unavailable', message: 'down' } } }));
    harness.telegram.pushText(user, 'Что к рыбе?');
    const [first] = await harness.telegram.waitForSent(user.chatId, 1);
    expect(first?.text).toBe(ru.backendUnavailable);
    backend.onChat(() => chatReply('Попробуйте Шабли.'));
    harness.telegram.pushText(user, 'Что к рыбе?');
    const messages = await harness.telegram.waitForSent(user.chatId, 2);
    expect(messages[1]?.text).toBe('Попробуйте Шабли.');
  });

  it('answers within the backend timeout when the backend hangs, typing meanwhile', async () => {
    const user = nextUser('en');
    backend.onChat(() => ({ kind: 'hang' }));
    harness.telegram.pushText(user, 'anything for pizza?');
    const [message] = await harness.telegram.waitForSent(user.chatId, 1);
    expect(message?.text).toBe(en.backendSlow);
    const typing = harness.telegram.callsOf('sendChatAction').filter((call) => call.payload.chat_id === user.chatId);
    expect(typing[0]?.payload.action).toBe('typing');
  });

  it('gives a polite answer when the backend refuses the message', async () => {
    const user = nextUser('en');
    backend.onChat(() => ({ kind: 'reply', status: 400, body: { error: { code: 'validation', message: 'bad' } } }));
    harness.telegram.pushText(user, 'hello');
    expect((await harness.telegram.waitForSent(user.chatId, 1))[0]?.text).toBe(en.backendRejected);
  });

  it('splits a reply over 4,096 characters on paragraph breaks, with the buttons under the last part', async () => {
    const user = nextUser('en');
    const paragraphs = Array.from({ length: 6 }, (_, i) => `${i} Château Test & <friends> ${'wine '.repeat(300)}`.trim());
    const reply = paragraphs.join('\n\n');
    expect(reply.length).toBeGreaterThan(9000);
    backend.onChat(() => chatReply(reply, { names: ['Château Test'] }));
    harness.telegram.pushText(user, 'tell me everything');
    const messages = await harness.telegram.waitForSent(user.chatId, 3);
    await harness.running.telegramBot.idle();
    const sent = harness.telegram.sentTo(user.chatId);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.every((m) => m.text.length <= 4096)).toBe(true);
    expect(sent.map((m) => m.text).join('\n\n')).toBe(reply);
    expect(sent.slice(0, -1).every((m) => m.replyMarkup === null)).toBe(true);
    expect(buttonTexts(sent.at(-1)!.replyMarkup)).toEqual(['👍', '👎']);
    expect(messages[0]?.raw).toContain('<b>Château Test</b> &amp; &lt;friends&gt;');
  });

  it('sends no buttons when the answer has no trace to attach a vote to', async () => {
    const user = nextUser('en');
    backend.onChat(() => chatReply('Try a Rioja.', { traceId: null }));
    harness.telegram.pushText(user, 'something Spanish');
    const [message] = await harness.telegram.waitForSent(user.chatId, 1);
    expect(message?.text).toBe('Try a Rioja.');
    expect(message?.replyMarkup).toBeNull();
  });

  it('tells the user when a vote could not be stored, and leaves the buttons alone', async () => {
    const user = nextUser('ru');
    backend.onChat(() => chatReply('Попробуйте Риоху.', { traceId: 'b'.repeat(32) }));
    backend.onFeedback(() => ({ kind: 'reply', status: 500, body: { error: { code: 'internal', message: 'boom' } } }));
    harness.telegram.pushText(user, 'испанское');
    const [answer] = await harness.telegram.waitForSent(user.chatId, 1);
    harness.telegram.pressButton(user, answer as SentMessage, `fb:-1:${'b'.repeat(32)}`);
    const ack = await harness.telegram.waitForCall('answerCallbackQuery', (call) => call.payload.text === ru.feedbackFailed);
    expect(ack.payload.text).toBe(ru.feedbackFailed);
    await harness.running.telegramBot.idle();
    expect(harness.telegram.callsOf('editMessageReplyMarkup').filter((c) => c.payload.chat_id === user.chatId)).toEqual([]);
  });

  it('falls back to plain text when Telegram refuses the HTML', async () => {
    const user = nextUser('en');
    backend.onChat(() => chatReply('Plain <is> fine'));
    harness.telegram.failNext('sendMessage', 400, "Bad Request: can't parse entities: unsupported start tag");
    harness.telegram.pushText(user, 'hi');
    const [message] = await harness.telegram.waitForSent(user.chatId, 1);
    expect(message?.text).toBe('Plain <is> fine');
    expect(message?.parseMode).toBeNull();
  });

  it('catches a failing handler, tells the user, and keeps running', async () => {
    const user = nextUser('en');
    harness.telegram.failNext('sendMessage', 500, 'Internal Server Error');
    harness.telegram.pushText(user, '/help');
    const [apology] = await harness.telegram.waitForSent(user.chatId, 1);
    expect(apology?.text).toBe(en.failure);
    harness.telegram.pushText(user, '/help');
    const messages = await harness.telegram.waitForSent(user.chatId, 2);
    expect(messages[1]?.text).toContain('/new');
  });

  it('apologises too when the answer fails after grammY has moved on (the queued part of a chat)', async () => {
    const user = nextUser('ru');
    backend.onChat(() => chatReply('Попробуйте Кьянти.'));
    harness.telegram.failNext('sendMessage', 500, 'Internal Server Error');
    harness.telegram.pushText(user, 'к пасте?');
    const [apology] = await harness.telegram.waitForSent(user.chatId, 1);
    expect(apology?.text).toBe(ru.failure);
    harness.telegram.pushText(user, 'к пасте?');
    expect((await harness.telegram.waitForSent(user.chatId, 2))[1]?.text).toBe('Попробуйте Кьянти.');
  });
});
