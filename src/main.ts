import { randomBytes } from 'node:crypto';
import { loadConfigOrExit } from './config/index.js';
import { embeddedDatabaseDir, startDataDirCopy } from './db/data-dir-copy.js';
import { findSeededDataDir } from './db/template-location.js';
import type { Database } from './db/index.js';
import type { RunningTelegramBot } from './telegram/index.js';

/** `npm start`: the HTTP service (and the Telegram bot in-process when TELEGRAM_BOT_TOKEN is set). */
async function main(): Promise<void> {
  const loaded = loadConfigOrExit();
  // The in-process bot proves itself to this process's own API with a token made up for this run.
  const config =
    loaded.telegram.token && !loaded.telegram.backendToken
      ? { ...loaded, telegram: { ...loaded.telegram, backendToken: randomBytes(32).toString('hex') } }
      : loaded;
  const startedAt = performance.now();
  let database: Promise<Database> | undefined;
  if (config.database.kind === 'pglite') {
    // A first start copies the prepared database into DATA_DIR, and every start spends ~0.3 s in PGlite's
    // WebAssembly start-up: begin both now so they overlap the module loading below. The app awaits
    // `database`; a failure surfaces there.
    startDataDirCopy(embeddedDatabaseDir(config.dataDir), findSeededDataDir).catch(() => undefined);
    const { dataDir, embeddedMemory } = config;
    database = import('./db/embedded.js').then(({ openEmbeddedDatabase }) => openEmbeddedDatabase(dataDir, embeddedMemory));
    database.catch(() => undefined);
  }
  const [{ startApp }, { createLogger }] = await Promise.all([import('./app.js'), import('./logger.js')]);
  const logger = createLogger(config.server.logLevel);
  const app = await startApp(config, { logger, database });
  logger.info(
    {
      url: app.url,
      database: config.database.kind,
      // What PGLITE_SHARED_BUFFERS=auto chose for this database, so an operator sees it grow with an import.
      sharedBuffers: app.services.db.memory?.sharedBuffers,
      engine: app.services.deps.chatModel.engine,
      model: app.services.deps.chatModel.model,
      tracing: app.observability.enabled,
      startupMs: Math.round(performance.now() - startedAt),
    },
    `Sommelier is listening on ${app.url} (chat: POST ${app.url}/api/v1/chat, page: ${app.url}/, API docs: ${app.url}/docs)`,
  );

  let bot: RunningTelegramBot | null = null;
  if (config.telegram.token) {
    // grammY loads only when there is a bot to run.
    const { startTelegramBot } = await import('./telegram/index.js');
    bot = await startTelegramBot({
      config,
      backendUrl: app.url,
      observability: app.observability,
      logger: logger.child({ component: 'telegram' }),
      // In-process webhook mode gets its own port next to the API (the API's server is already listening).
      ...(config.telegram.webhookUrl ? { webhookListen: { host: config.server.host, port: config.server.port + 1 } } : {}),
      onFatalError: (error) => logger.error({ err: error }, 'telegram bot stopped; the HTTP service keeps running'),
    });
    logger.info({ mode: config.telegram.webhookUrl ? 'webhook' : 'long polling' }, 'telegram bot running in-process');
  }

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    (async () => {
      await bot?.stop();
      await app.stop();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Sommelier failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
