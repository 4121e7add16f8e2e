/**
 * A fake Telegram Bot API server for tests: real HTTP on 127.0.0.1, the `/bot<token>/<method>` URL
 * shape grammY uses, Telegram's `{ok, result}` / `{ok: false, error_code, description}` envelopes, and
 * the checks that catch real bugs (HTML that Telegram would refuse to parse, messages over 4,096
 * characters, editing a markup to itself, answering a callback query twice, getUpdates while a webhook
 * is set). Every call is recorded; tests push updates and wait for the bot's calls.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { Message, Update, User } from 'grammy/types';

export const FAKE_BOT_TOKEN = '123456:TEST-fake-token';
export const FAKE_BOT_USER: User & { can_join_groups: boolean; can_read_all_group_messages: boolean; supports_inline_queries: boolean } = {
  id: 123456,
  is_bot: true,
  first_name: 'Sommelier Test',
  username: 'sommelier_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};
const MAX_TEXT = 4096;

export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
  /** Position in the call log, for "happened before" checks without clocks. */
  seq: number;
}

export interface SentMessage {
  chatId: number;
  messageId: number;
  /** The text as sent (with HTML markup when parse_mode is HTML). */
  raw: string;
  /** The text a user sees (markup removed, entities decoded). */
  text: string;
  parseMode: string | null;
  replyMarkup: InlineKeyboardMarkup | null;
}

interface InlineButton {
  text: string;
  callback_data?: string;
}
export interface InlineKeyboardMarkup {
  inline_keyboard: InlineButton[][];
}

export interface UserSpec {
  chatId: number;
  /** Defaults to chatId (a private chat). */
  fromId?: number;
  languageCode?: string;
  firstName?: string;
  chatType?: 'private' | 'group' | 'supergroup';
}

export interface FakeTelegram {
  /** Pass as grammY's `client.apiRoot` / TELEGRAM_API_ROOT. */
  readonly apiRoot: string;
  readonly token: string;
  readonly calls: readonly RecordedCall[];
  callsOf(method: string): RecordedCall[];
  readonly sent: readonly SentMessage[];
  sentTo(chatId: number): SentMessage[];
  readonly webhook: { url: string; secretToken: string | null } | null;
  pushUpdate(update: Omit<Update, 'update_id'>): Update;
  pushText(user: UserSpec, text: string): Update;
  /** A message without text, e.g. `{ sticker: {...} }` or `{ photo: [...] }`. */
  pushMessage(user: UserSpec, content: Partial<Message>): Update;
  pushEditedText(user: UserSpec, messageId: number, text: string): Update;
  /** A press of an inline button under one of the bot's messages. */
  pressButton(user: UserSpec, message: SentMessage, callbackData: string): Update;
  /** POSTs the update to the registered webhook as Telegram would; returns the HTTP status. */
  deliverToWebhook(update: Update, secretToken?: string | null): Promise<number>;
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Waits until `count` messages were sent to the chat; returns them. */
  waitForSent(chatId: number, count?: number, timeoutMs?: number): Promise<SentMessage[]>;
  /** Makes the next call of `method` fail with this Bot API error. */
  failNext(method: string, errorCode: number, description: string): void;
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const ALLOWED_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'span', 'blockquote', 'tg-emoji',
]);

/** Telegram's HTML rules: only known tags, properly nested; every other `<`, `>`, `&` must be an entity. */
export function parseTelegramHtml(html: string): string {
  const stack: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '<') {
      const close = html.indexOf('>', i);
      if (close === -1) throw new ApiError(400, "Bad Request: can't parse entities: unclosed start tag");
      const tag = html.slice(i + 1, close);
      const match = /^(\/?)([a-z-]+)(\s[^<>]*)?$/.exec(tag);
      if (!match || !ALLOWED_TAGS.has(match[2]!)) {
        throw new ApiError(400, `Bad Request: can't parse entities: unsupported start tag "${tag}" at byte offset ${i}`);
      }
      if (match[1] === '/') {
        if (stack.pop() !== match[2]) throw new ApiError(400, `Bad Request: can't parse entities: unmatched end tag "${tag}"`);
      } else {
        stack.push(match[2]!);
      }
      i = close + 1;
    } else if (ch === '&') {
      const entity = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/.exec(html.slice(i));
      if (!entity) throw new ApiError(400, `Bad Request: can't parse entities: character "&" at byte offset ${i} is reserved`);
      const name = entity[1]!;
      text +=
        name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'amp' ? '&' : name === 'quot' ? '"'
        : String.fromCodePoint(name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
      i += entity[0].length;
    } else if (ch === '>') {
      throw new ApiError(400, `Bad Request: can't parse entities: character ">" at byte offset ${i} is reserved`);
    } else {
      text += ch;
      i += 1;
    }
  }
  if (stack.length > 0) throw new ApiError(400, `Bad Request: can't parse entities: can't find end tag corresponding to start tag "${stack.at(-1)}"`);
  return text;
}

export async function startFakeTelegram(options: { token?: string } = {}): Promise<FakeTelegram> {
  const token = options.token ?? FAKE_BOT_TOKEN;
  const calls: RecordedCall[] = [];
  const sent: SentMessage[] = [];
  const queue: Update[] = [];
  const failures = new Map<string, ApiError[]>();
  const messages = new Map<string, SentMessage>();
  const callbackQueries = new Map<string, { answered: boolean }>();
  const listeners = new Set<() => void>();
  let webhook: { url: string; secretToken: string | null } | null = null;
  let nextUpdateId = 1;
  let nextMessageId = 1;
  let nextCallbackId = 1;
  let seq = 0;
  let pollWaiter: { resolve: (updates: Update[] | ApiError) => void } | null = null;
  const sockets = new Set<Socket>();

  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const now = (): number => Math.floor(Date.now() / 1000);

  const userOf = (spec: UserSpec): User => ({
    id: spec.fromId ?? spec.chatId,
    is_bot: false,
    first_name: spec.firstName ?? 'Test',
    ...(spec.languageCode ? { language_code: spec.languageCode } : {}),
  });

  const chatOf = (spec: UserSpec) =>
    spec.chatType && spec.chatType !== 'private'
      ? { id: spec.chatId, type: spec.chatType, title: 'Test group' }
      : { id: spec.chatId, type: 'private' as const, first_name: spec.firstName ?? 'Test' };

  const pendingUpdates = (offset: number | undefined, limit: number): Update[] => {
    if (offset !== undefined) {
      while (queue.length > 0 && queue[0]!.update_id < offset) queue.shift();
    }
    return queue.slice(0, limit);
  };

  const pushUpdate = (partial: Omit<Update, 'update_id'>): Update => {
    const update = { update_id: nextUpdateId++, ...partial } as Update;
    queue.push(update);
    if (pollWaiter) {
      const waiter = pollWaiter;
      pollWaiter = null;
      waiter.resolve(pendingUpdates(undefined, 100));
    }
    return update;
  };

  const takeFailure = (method: string): ApiError | undefined => failures.get(method)?.shift();

  const requireChat = (payload: Record<string, unknown>): number => {
    const chatId = Number(payload.chat_id);
    if (!Number.isFinite(chatId)) throw new ApiError(400, 'Bad Request: chat_id is empty');
    return chatId;
  };

  const handle = async (method: string, payload: Record<string, unknown>, response: ServerResponse): Promise<unknown> => {
    const injected = takeFailure(method);
    if (injected) throw injected;
    switch (method) {
      case 'getMe':
        return FAKE_BOT_USER;
      case 'getUpdates': {
        if (webhook) {
          throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        }
        const offset = payload.offset === undefined ? undefined : Number(payload.offset);
        const limit = payload.limit === undefined ? 100 : Number(payload.limit);
        const timeout = payload.timeout === undefined ? 0 : Number(payload.timeout);
        const ready = pendingUpdates(offset, limit);
        if (ready.length > 0 || timeout <= 0) return ready;
        // Telegram ends an older long poll when a newer one arrives.
        pollWaiter?.resolve(new ApiError(409, 'Conflict: terminated by other getUpdates request'));
        const result = await new Promise<Update[] | ApiError>((resolve) => {
          const timer = setTimeout(() => settle([]), timeout * 1000);
          const settle = (value: Update[] | ApiError): void => {
            clearTimeout(timer);
            if (pollWaiter === waiter) pollWaiter = null;
            resolve(value);
          };
          const waiter = { resolve: settle };
          pollWaiter = waiter;
          // The client gave up (grammY aborts its poll on stop): forget the waiter.
          response.once('close', () => settle([]));
        });
        if (result instanceof ApiError) throw result;
        return result.slice(0, limit);
      }
      case 'sendMessage': {
        const chatId = requireChat(payload);
        const raw = typeof payload.text === 'string' ? payload.text : '';
        const parseMode = typeof payload.parse_mode === 'string' ? payload.parse_mode : null;
        const text = parseMode === 'HTML' ? parseTelegramHtml(raw) : raw;
        if (text.trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
        if (text.length > MAX_TEXT) throw new ApiError(400, 'Bad Request: message is too long');
        const replyMarkup = (payload.reply_markup as InlineKeyboardMarkup | undefined) ?? null;
        for (const row of replyMarkup?.inline_keyboard ?? []) {
          for (const button of row) {
            if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64) {
              throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
            }
          }
        }
        const message: SentMessage = { chatId, messageId: nextMessageId++, raw, text, parseMode, replyMarkup };
        sent.push(message);
        messages.set(`${chatId}:${message.messageId}`, message);
        return {
          message_id: message.messageId,
          date: now(),
          chat: { id: chatId, type: 'private', first_name: 'Test' },
          from: FAKE_BOT_USER,
          text,
          ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
        };
      }
      case 'sendChatAction':
        requireChat(payload);
        if (typeof payload.action !== 'string') throw new ApiError(400, 'Bad Request: action is empty');
        return true;
      case 'answerCallbackQuery': {
        const query = callbackQueries.get(String(payload.callback_query_id));
        if (!query) throw new ApiError(400, 'Bad Request: query ID is invalid');
        if (query.answered) throw new ApiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        query.answered = true;
        return true;
      }
      case 'editMessageReplyMarkup': {
        const chatId = requireChat(payload);
        const message = messages.get(`${chatId}:${Number(payload.message_id)}`);
        if (!message) throw new ApiError(400, 'Bad Request: message to edit not found');
        const markup = (payload.reply_markup as InlineKeyboardMarkup | undefined) ?? null;
        if (JSON.stringify(markup) === JSON.stringify(message.replyMarkup)) {
          throw new ApiError(
            400,
            'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
          );
        }
        message.replyMarkup = markup;
        return { message_id: message.messageId, date: now(), chat: { id: chatId, type: 'private' }, text: message.text, reply_markup: markup };
      }
      case 'setWebhook': {
        if (typeof payload.url !== 'string' || payload.url === '') throw new ApiError(400, 'Bad Request: bad webhook: URL is empty');
        webhook = { url: payload.url, secretToken: typeof payload.secret_token === 'string' ? payload.secret_token : null };
        return true;
      }
      case 'deleteWebhook':
        webhook = null;
        if (payload.drop_pending_updates === true) queue.length = 0;
        return true;
      case 'setMyCommands': {
        const commands = payload.commands;
        const valid =
          Array.isArray(commands) &&
          commands.every((c: { command?: unknown; description?: unknown }) => typeof c.command === 'string' && /^[a-z0-9_]{1,32}$/.test(c.command) && typeof c.description === 'string' && c.description.length >= 1 && c.description.length <= 256);
        if (!valid) throw new ApiError(400, 'Bad Request: BOT_COMMAND_INVALID');
        return true;
      }
      case 'getWebhookInfo':
        return { url: webhook?.url ?? '', has_custom_certificate: false, pending_update_count: queue.length };
      default:
        throw new ApiError(404, 'Not Found: method not found');
    }
  };

  const server: Server = createServer((request, response) => {
    void serve(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(request.url ?? '/', 'http://fake').pathname);
    const body = await readJson(request);
    if (!match || match[1] !== token) return reply(response, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2]!;
    const payload = { ...Object.fromEntries(new URL(request.url ?? '/', 'http://fake').searchParams), ...body };
    calls.push({ method, payload, seq: seq++ });
    notify();
    try {
      const result = await handle(method, payload, response);
      reply(response, 200, { ok: true, result });
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, `Internal Server Error: ${String(error)}`);
      reply(response, apiError.code, { ok: false, error_code: apiError.code, description: apiError.description });
    }
    notify();
  };

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const waitUntil = <T>(probe: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const value = probe();
        if (value === undefined) return false;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`fake Telegram: timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });

  const summary = (): string =>
    `calls so far: ${calls.map((call) => call.method).join(', ') || 'none'}; sent: ${JSON.stringify(sent.map((m) => [m.chatId, m.text.slice(0, 60)]))}`;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    calls,
    callsOf: (method) => calls.filter((call) => call.method === method),
    sent,
    sentTo: (chatId) => sent.filter((message) => message.chatId === chatId),
    get webhook() {
      return webhook;
    },
    pushUpdate,
    pushText(user, text) {
      return pushUpdate({
        message: { message_id: nextMessageId++, date: now(), chat: chatOf(user), from: userOf(user), text, ...commandEntities(text) } as Update['message'],
      });
    },
    pushMessage(user, content) {
      return pushUpdate({ message: { message_id: nextMessageId++, date: now(), chat: chatOf(user), from: userOf(user), ...content } as Update['message'] });
    },
    pushEditedText(user, messageId, text) {
      return pushUpdate({
        edited_message: { message_id: messageId, date: now(), edit_date: now(), chat: chatOf(user), from: userOf(user), text } as Update['edited_message'] & object,
      });
    },
    pressButton(user, message, callbackData) {
      const id = String(nextCallbackId++);
      callbackQueries.set(id, { answered: false });
      return pushUpdate({
        callback_query: {
          id,
          from: userOf(user),
          chat_instance: `ci-${user.chatId}`,
          data: callbackData,
          message: {
            message_id: message.messageId,
            date: now(),
            chat: chatOf(user),
            from: FAKE_BOT_USER,
            text: message.text,
            ...(message.replyMarkup ? { reply_markup: structuredClone(message.replyMarkup) } : {}),
          } as Message,
        },
      });
    },
    async deliverToWebhook(update, secretToken) {
      if (!webhook) throw new Error('fake Telegram: no webhook is set');
      const secret = secretToken === undefined ? webhook.secretToken : secretToken;
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
        body: JSON.stringify(update),
      });
      await response.arrayBuffer();
      return response.status;
    },
    waitForCall(method, predicate = () => true, timeoutMs = 10_000) {
      return waitUntil(() => calls.find((call) => call.method === method && predicate(call)), timeoutMs, () => `${method}; ${summary()}`);
    },
    waitForSent(chatId, count = 1, timeoutMs = 10_000) {
      return waitUntil(
        () => {
          const toChat = sent.filter((message) => message.chatId === chatId);
          return toChat.length >= count ? toChat : undefined;
        },
        timeoutMs,
        () => `${count} message(s) to chat ${chatId}; ${summary()}`,
      );
    },
    failNext(method, errorCode, description) {
      const list = failures.get(method) ?? [];
      list.push(new ApiError(errorCode, description));
      failures.set(method, list);
    },
    async close() {
      pollWaiter?.resolve([]);
      listeners.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Telegram marks a leading "/command" with a bot_command entity; grammY's command filter relies on it. */
function commandEntities(text: string): { entities?: { type: 'bot_command'; offset: number; length: number }[] } {
  const match = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return match ? { entities: [{ type: 'bot_command', offset: 0, length: match[0].length }] } : {};
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
