import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config/index.js';
import { createObservability } from '../../src/observability/langfuse.js';
import type { Observability } from '../../src/observability/types.js';
import { startTelegramBot, type RunningTelegramBot } from '../../src/telegram/index.js';
import { VERSION } from '../../src/version.js';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { startLangfuseReceiver, type LangfuseReceiver } from '../support/langfuse-receiver.js';

export const LANGFUSE_KEYS = { publicKey: 'pk-lf-telegram-test', secretKey: 'sk-lf-telegram-test' };
export const silentLogger = pino({ level: 'silent' });

/** Env that points a process's tracing at the test receiver, flushing often so tests wait little. */
export function tracingEnv(receiver: LangfuseReceiver): Record<string, string> {
  return {
    ...receiver.tracingEnv(),
    // Bot and backend share it, so the backend continues the bot's trace (an untrusted caller would not).
    BOT_BACKEND_TOKEN: TEST_BOT_BACKEND_TOKEN,
  };
}

export const TEST_BOT_BACKEND_TOKEN = 'test-bot-backend-token';

export function startReceiver(): Promise<LangfuseReceiver> {
  return startLangfuseReceiver(LANGFUSE_KEYS);
}

export interface BotUnderTest {
  telegram: FakeTelegram;
  running: RunningTelegramBot;
  config: Config;
  observability: Observability;
  /** Stops the bot (flushing its spans), then the fake Telegram, and removes the bot's data dir. */
  dispose(): Promise<void>;
}

/**
 * The bot as `npm run bot` runs it (startTelegramBot: HTTP backend, file session store, its own
 * observability), against a fresh fake Telegram.
 */
export async function startBotUnderTest(options: {
  backendUrl: string;
  env?: Record<string, string>;
  receiver?: LangfuseReceiver;
}): Promise<BotUnderTest> {
  const telegram = await startFakeTelegram();
  const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-bot-test-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ...(options.receiver ? tracingEnv(options.receiver) : {}),
    ...options.env,
  });
  const observability = createObservability(config.langfuse, { dataDir, logger: silentLogger, release: VERSION });
  const running = await startTelegramBot({ config, backendUrl: options.backendUrl, observability, logger: silentLogger });
  await running.ready;
  return {
    telegram,
    running,
    config,
    observability,
    async dispose() {
      await running.stop();
      await observability.shutdown();
      await telegram.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
