import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadConfigOrExit, type Config } from '../config/index.js';
import { createLogger } from '../logger.js';
import { openObservability, type Observability } from '../observability/index.js';
import { VERSION } from '../version.js';
import { DEFAULT_BACKEND_URL, startTelegramBot, type RunningTelegramBot } from './run.js';

/**
 * `npm run bot`: the Telegram bot as its own process, talking to the sommelier over HTTP (BACKEND_URL).
 * Without TELEGRAM_BOT_TOKEN it says so and idles (docker compose starts it before anyone has a token),
 * exiting 0 on SIGTERM/SIGINT like any healthy service.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.server.logLevel, 'sommelier-bot');

  if (!config.telegram.token) {
    // Nothing else holds the event loop open; this timer keeps the idle process alive until a signal.
    // Handlers go in before the log line: a SIGTERM that arrives before Node has a listener kills the process.
    const idle = setInterval(() => undefined, 1 << 30);
    onShutdownSignal((signal) => {
      clearInterval(idle);
      logger.info({ signal }, 'idle Telegram bot stopped');
      process.exit(0);
    });
    logger.warn(
      'TELEGRAM_BOT_TOKEN is not set, so the Telegram bot is idle. Get a token from @BotFather, set TELEGRAM_BOT_TOKEN and restart (docs/TELEGRAM.md).',
    );
    return;
  }

  const observability = await openBotObservability(config, logger);
  const backendUrl = config.telegram.backendUrl ?? DEFAULT_BACKEND_URL;
  let running: RunningTelegramBot | null = null;
  let exiting = false;
  const shutdown = (reason: string, code: number): void => {
    if (exiting) return;
    exiting = true;
    logger.info({ reason }, 'stopping the Telegram bot: finishing answers in progress');
    void (async () => {
      try {
        await running?.stop();
      } catch (error) {
        logger.error({ err: error }, 'the Telegram bot did not stop cleanly');
        code = code || 1;
      }
      // Bounded by SHUTDOWN_FLUSH_TIMEOUT_MS inside; a dead Langfuse cannot hold the exit.
      await observability.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'trace flush failed'));
      process.exit(code);
    })();
  };

  onShutdownSignal((signal) => shutdown(signal, 0));
  running = await startTelegramBot({
    config,
    backendUrl,
    observability,
    logger,
    // Webhook mode in this process serves Telegram's POSTs itself, on HOST:PORT.
    webhookListen: config.telegram.webhookUrl ? { host: config.server.host, port: config.server.port } : undefined,
    onFatalError: () => shutdown('telegram refused the bot (check the token; is another instance polling?)', 1),
  });
  logger.info(
    { backendUrl, mode: running.telegramBot.mode, webhookServer: running.webhookServerUrl, tracing: observability.enabled },
    'Telegram bot starting',
  );
}

/** The bot's own tracer: its spans are the roots that the backend's spans continue. */
function openBotObservability(config: Config, logger: Logger): Promise<Observability> {
  // A data directory of its own: the backend may share DATA_DIR, and two processes must not share a spool.
  return openObservability(config.langfuse, { dataDir: join(config.dataDir, 'telegram-bot'), logger, release: VERSION });
}

function onShutdownSignal(handler: (signal: string) => void): void {
  process.once('SIGTERM', () => handler('SIGTERM'));
  process.once('SIGINT', () => handler('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Telegram bot failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
