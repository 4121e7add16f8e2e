import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { StorageAdapter } from 'grammy';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Observability } from '../observability/index.js';
import { HttpBackendClient } from './backend.js';
import { createTelegramBot, type TelegramBot } from './bot.js';
import { FileChatSessionStorage, type ChatSession } from './sessions.js';

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8000';
export const SESSION_FILE_NAME = 'telegram-sessions.json';

export interface StartTelegramBotOptions {
  config: Config;
  /** The sommelier's HTTP API. Embedded in the app: the app's own URL. Default: BACKEND_URL, else 127.0.0.1:8000. */
  backendUrl?: string;
  observability: Observability;
  logger: Logger;
  /** Default: a JSON file in DATA_DIR, so the conversation `/new` started survives a restart. */
  sessions?: StorageAdapter<ChatSession>;
  /**
   * Webhook mode only: serve the webhook on an own HTTP server at this address (what `npm run bot`
   * does). Without it the caller mounts `bot.webhook` (`fastifyPlugin` or `nodeHandler`) itself.
   */
  webhookListen?: { host: string; port: number };
  onFatalError?: (error: unknown) => void;
}

export interface RunningTelegramBot {
  readonly telegramBot: TelegramBot;
  /** Resolves once the bot is connected to Telegram; it keeps retrying while Telegram is unreachable. */
  readonly ready: Promise<void>;
  /** Address of the own webhook server, when there is one. */
  readonly webhookServerUrl: string | null;
  /** Stops polling / the webhook server and waits for answers in progress. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs the bot against the sommelier's HTTP API — the one entry point for both the separate process
 * (`src/telegram/main.ts`) and the app running the bot in-process. Needs TELEGRAM_BOT_TOKEN.
 * Returns without waiting for Telegram, so an unreachable Telegram never holds up the app's start.
 */
export async function startTelegramBot(options: StartTelegramBotOptions): Promise<RunningTelegramBot> {
  const { config, logger } = options;
  const backend = new HttpBackendClient({
    baseUrl: options.backendUrl ?? config.telegram.backendUrl ?? DEFAULT_BACKEND_URL,
    timeoutMs: config.telegram.backendTimeoutMs,
    botToken: config.telegram.backendToken,
    apiToken: config.http.apiToken,
  });
  const sessions =
    options.sessions ??
    new FileChatSessionStorage(join(config.dataDir, SESSION_FILE_NAME), (error) =>
      logger.warn({ err: error }, 'telegram session counters could not be read or saved; using memory'),
    );
  const telegramBot = createTelegramBot({
    config: config.telegram,
    backend,
    observability: options.observability,
    logger,
    sessions,
    onFatalError: options.onFatalError,
  });

  let server: Server | null = null;
  let webhookServerUrl: string | null = null;
  if (telegramBot.webhook && options.webhookListen) {
    server = createServer(telegramBot.webhook.nodeHandler);
    webhookServerUrl = await listen(server, options.webhookListen);
    logger.info({ url: webhookServerUrl, path: telegramBot.webhook.path }, 'telegram webhook server listening');
  }

  const ready = telegramBot.start();
  // The caller may never await `ready`; a failure is logged here and reported through onFatalError.
  ready.catch((error: unknown) => {
    logger.error({ err: error }, 'telegram bot could not start');
    options.onFatalError?.(error);
  });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await telegramBot.stop();
      if (server) await closeServer(server);
    })();
    return stopping;
  };
  return { telegramBot, ready, webhookServerUrl, stop };
}

function listen(server: Server, address: { host: string; port: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      resolve(`http://${host}:${port}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
