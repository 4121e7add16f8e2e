import { Bot, session, type StorageAdapter } from 'grammy';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Observability } from '../observability/index.js';
import type { BackendClient } from './backend.js';
import { textsMiddleware, type BotContext } from './context.js';
import { chatHandler } from './handlers/chat.js';
import { commandHandlers } from './handlers/commands.js';
import { fallbackHandlers } from './handlers/fallbacks.js';
import { feedbackHandler } from './handlers/feedback.js';
import { rateLimitMiddleware } from './handlers/rate-limit.js';
import { reportUpdateError, type HandlerDeps } from './handlers/shared.js';
import { commandMenu } from './messages.js';
import { SlidingWindowRateLimiter } from './rate-limit.js';
import { initialChatSession, MemoryChatSessionStorage, type ChatSession } from './sessions.js';
import { TYPING_RENEW_MS } from './typing.js';
import { createWebhookReceiver, generateWebhookSecret, type WebhookReceiver } from './webhook.js';
import { KeyedWorkQueue } from './work-queue.js';

/** The update kinds the bot handles; asking Telegram for only these saves traffic. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;
const RATE_WINDOW_MS = 60_000;
/** Telegram's long-poll wait; the HTTP client's own timeout must stay above it. */
const POLL_TIMEOUT_SECONDS = 30;
const API_CALL_TIMEOUT_SECONDS = 60;
/** How long stop() lets the final getUpdates (which confirms the offset) take on a dead network. */
const STOP_CONFIRM_TIMEOUT_MS = 5_000;

export interface CreateTelegramBotOptions {
  config: Config['telegram'];
  backend: BackendClient;
  observability: Observability;
  logger: Logger;
  /** Where chat sessions (`/new`) live; in memory unless given (the process entry points pass a file). */
  sessions?: StorageAdapter<ChatSession>;
  /** Clock for the rate limiter. */
  now?: () => number;
  typingRenewMs?: number;
  /** Long polling stopped for good (revoked token, another instance polling): the process should act. */
  onFatalError?: (error: unknown) => void;
}

export interface TelegramBot {
  readonly bot: Bot<BotContext>;
  readonly mode: 'polling' | 'webhook';
  /** Webhook mode: mount this on an HTTP server (see WebhookReceiver). Null in polling mode. */
  readonly webhook: WebhookReceiver | null;
  /**
   * Polling: resolves once getMe and deleteWebhook succeeded and polling runs.
   * Webhook: resolves once getMe and setWebhook (with the secret token) succeeded.
   */
  start(): Promise<void>;
  /** Stops taking updates, then waits for answers already in progress (each bounded by the backend timeout). */
  stop(): Promise<void>;
  /** Resolves when every answer queued so far has been sent; for tests and graceful shutdown. */
  idle(): Promise<void>;
}

/**
 * Builds the Telegram bot: small grammY composers for rate limiting, commands, text → sommelier,
 * 👍/👎 feedback and polite fallbacks, behind one error boundary so a failing update never stops the bot.
 */
export function createTelegramBot(options: CreateTelegramBotOptions): TelegramBot {
  const { config, logger } = options;
  if (!config.token) throw new Error('TELEGRAM_BOT_TOKEN is required to create the Telegram bot');
  const log = logger.child({ component: 'telegram' });

  const bot = new Bot<BotContext>(config.token, {
    client: { apiRoot: config.apiRoot, timeoutSeconds: API_CALL_TIMEOUT_SECONDS },
  });
  const queue = new KeyedWorkQueue((error, key) => log.error({ err: error, key }, 'queued telegram work failed'));
  const deps: HandlerDeps = {
    backend: options.backend,
    observability: options.observability,
    logger: log,
    queue,
    typingRenewMs: options.typingRenewMs ?? TYPING_RENEW_MS,
    reportError: reportUpdateError(log),
  };

  // The boundary's apology speaks the user's language: the texts go on the context before it.
  bot.use(textsMiddleware());
  // Outside the boundary, so a session changed by an update that then failed is still written back.
  bot.use(session({ initial: initialChatSession, storage: options.sessions ?? new MemoryChatSessionStorage() }));
  bot.errorBoundary(
    deps.reportError,
    rateLimitMiddleware(new SlidingWindowRateLimiter(config.rateLimitPerMinute, RATE_WINDOW_MS, options.now)),
    commandHandlers(),
    chatHandler(deps),
    feedbackHandler(deps),
    fallbackHandlers(),
  );
  // The boundary above catches handler errors; this only sees what escapes it while polling.
  bot.catch((error) => log.error({ err: error.error, updateId: error.ctx.update.update_id }, 'telegram middleware error'));

  // Without a configured secret a fresh one per start still works: setWebhook tells Telegram each time.
  const webhookSecret = config.webhookUrl ? (config.webhookSecret ?? generateWebhookSecret()) : undefined;
  const webhook =
    config.webhookUrl && webhookSecret
      ? createWebhookReceiver({ bot, secret: webhookSecret, path: new URL(config.webhookUrl).pathname, logger: log })
      : null;

  let polling: Promise<void> | null = null;
  let stopRequested = false;

  // The command menu is a nicety: Telegram refusing it must not keep the bot from answering.
  const publishCommands = async (): Promise<void> => {
    try {
      await bot.api.setMyCommands(commandMenu('en'));
      await bot.api.setMyCommands(commandMenu('ru'), { language_code: 'ru' });
    } catch (error) {
      log.warn({ err: error }, 'could not publish the command menu');
    }
  };

  const start = async (): Promise<void> => {
    if (webhook && config.webhookUrl) {
      await bot.init();
      await publishCommands();
      await bot.api.setWebhook(config.webhookUrl, {
        secret_token: webhookSecret,
        allowed_updates: [...ALLOWED_UPDATES],
      });
      log.info({ username: bot.botInfo.username, path: webhook.path }, 'telegram bot receives updates by webhook');
      return;
    }
    await new Promise<void>((resolve, reject) => {
      let started = false;
      polling = bot
        .start({
          allowed_updates: [...ALLOWED_UPDATES],
          timeout: POLL_TIMEOUT_SECONDS,
          onStart: async (me) => {
            started = true;
            await publishCommands();
            log.info({ username: me.username }, 'telegram bot is long polling');
            resolve();
          },
        })
        .catch((error: unknown) => {
          // stop() during start-up aborts getMe/deleteWebhook: that is a normal stop, not a failure.
          if (stopRequested) return resolve();
          log.error({ err: error }, 'telegram long polling stopped');
          if (started) options.onFatalError?.(error);
          else reject(error);
        });
    });
  };

  const stop = async (): Promise<void> => {
    stopRequested = true;
    webhook?.close();
    if (bot.isRunning()) {
      await withTimeout(bot.stop(), STOP_CONFIRM_TIMEOUT_MS).catch((error: unknown) =>
        log.warn({ err: error }, 'could not confirm the last update offset to Telegram'),
      );
    }
    if (polling) await withTimeout(polling, STOP_CONFIRM_TIMEOUT_MS).catch(() => undefined);
    await queue.drain();
  };

  return { bot, mode: webhook ? 'webhook' : 'polling', webhook, start, stop, idle: () => queue.drain() };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
