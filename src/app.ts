import type { Logger } from 'pino';
import type { CachedCatalog } from './catalog/index.js';
import { cacheCatalog, createCatalog, seedCatalogIfEmpty } from './catalog/index.js';
import { assertSafeExposure, type Config } from './config/index.js';
import { migrate, openDatabase, startRetention, type Database } from './db/index.js';
import { buildHttpServer, type HttpServer } from './http/index.js';
import { startFeedbackResender } from './feedback/index.js';
import { createOpenAIChatModel, type ChatModel } from './llm/index.js';
import { createOfflineChatModel } from './offline/index.js';
import { createLogger } from './logger.js';
import { createLangfusePromptSource, openObservability, type Observability } from './observability/index.js';
import { createSessionAuthority, loadSessionSecret } from './sessions/index.js';
import { setExtraMaskingPatterns } from './masking.js';
import { builtinPromptSource, createConversationMemory, promptVariables, type AgentDeps } from './agent/index.js';
import { createToolbox } from './tools/index.js';
import { VERSION } from './version.js';

interface ChatModels {
  primary: ChatModel;
  /** The offline engine behind a remote LLM, when LLM_FALLBACK_TO_OFFLINE is on. */
  fallback: ChatModel | null;
}

function createChatModels(config: Config['llm']): ChatModels {
  if (config.provider === 'offline') return { primary: createOfflineChatModel(), fallback: null };
  return {
    primary: createOpenAIChatModel(config),
    fallback: config.fallbackToOffline ? createOfflineChatModel() : null,
  };
}

/** Everything the interfaces need, wired once: the composition root shared by the server, CLI and tests. */
export interface Services {
  config: Config;
  logger: Logger;
  db: Database;
  catalog: CachedCatalog;
  observability: Observability;
  deps: AgentDeps;
  close(): Promise<void>;
}

export interface ServicesOptions {
  logger?: Logger;
  /** The configured database when the caller already began opening it (`npm start` does, to overlap start-up work). */
  database?: Promise<Database>;
  /** Requests started inside the caller's active span nest under it in Langfuse (the eval's experiments). */
  nestInActiveSpan?: boolean;
}

export async function createServices(config: Config, options: ServicesOptions = {}): Promise<Services> {
  setExtraMaskingPatterns(config.privacy.extraMaskingPatterns);
  const logger = options.logger ?? createLogger(config.server.logLevel);
  const db = await (options.database ?? openDatabase(config.database, config.embeddedMemory));
  try {
    await migrate(db);
    if (config.catalogSeed) await seedCatalogIfEmpty(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const catalog = cacheCatalog(createCatalog(db, { embeddings: config.embeddings, ranking: config.catalogRanking }), config.catalogCache);
  const observability = await openObservability(config.langfuse, {
    dataDir: config.dataDir,
    logger,
    release: VERSION,
    nestInActiveSpan: options.nestInActiveSpan,
  });
  // Votes stored while the trace spool could not take them are sent once it can (and after a restart).
  const feedbackResender = startFeedbackResender(db, observability, logger);
  const models = createChatModels(config.llm);
  const memory = createConversationMemory(db);
  const deps: AgentDeps = {
    chatModel: models.primary,
    fallbackModel: models.fallback,
    toolbox: createToolbox(catalog),
    memory,
    observability,
    maxIterations: config.agent.maxIterations,
    maxToolCallsPerRound: config.agent.maxToolCallsPerRound,
    maxToolCallsPerRequest: config.agent.maxToolCallsPerRequest,
    maskUserInput: config.privacy.maskUserInput,
    traceTimeToFirstToken: config.traceTimeToFirstToken,
    logger,
    ...(config.prompt && config.langfuse.publicKey && config.langfuse.secretKey
      ? {
          prompts: createLangfusePromptSource({
            ...config.prompt,
            publicKey: config.langfuse.publicKey,
            secretKey: config.langfuse.secretKey,
            baseUrl: config.langfuse.baseUrl,
            logger,
            fallback: builtinPromptSource,
            variables: promptVariables,
          }),
        }
      : {}),
  };
  const retention = startRetention({
    db,
    days: config.privacy.conversationRetentionDays,
    logger,
    onDeleted: () => memory.dropCache(),
  });
  let closed = false;
  return {
    config,
    logger,
    db,
    catalog,
    observability,
    deps,
    async close() {
      if (closed) return;
      closed = true;
      await retention.stop();
      // Spans first (bounded by the flush timeout), then the database they may still describe.
      await feedbackResender.stop();
      await observability.shutdown();
      await db.close();
    },
  };
}

export interface RunningApp {
  url: string;
  server: HttpServer;
  services: Services;
  observability: Observability;
  /** Stops accepting, lets in-flight requests finish (within a grace period), then closes the services. */
  stop(): Promise<void>;
}

export interface StartAppOptions extends ServicesOptions {
  /** How long in-flight requests may take to finish once stop() starts. Default 10 s. */
  shutdownGraceMs?: number;
}

/** Starts the HTTP service over freshly wired services, which the server owns and closes when it closes. */
export async function startApp(config: Config, options: StartAppOptions = {}): Promise<RunningApp> {
  assertSafeExposure(config);
  const services = await createServices(config, options);
  let server: HttpServer;
  try {
    const secret = await loadSessionSecret(config.sessions.secret, config.dataDir);
    server = await buildHttpServer({
      sessions: createSessionAuthority({ secret }),
      db: services.db,
      catalog: services.catalog,
      observability: services.observability,
      agent: services.deps,
      logger: services.logger,
      version: VERSION,
      catalogCacheStats: () => services.catalog.stats,
      botBackendToken: config.telegram.backendToken,
      security: config.http,
      owned: services,
      shutdownGraceMs: options.shutdownGraceMs,
    });
  } catch (error) {
    await services.close();
    throw error;
  }
  try {
    await server.listen({ port: config.server.port, host: config.server.host });
  } catch (error) {
    // Closes the services too (the server's onClose).
    await server.close();
    throw error;
  }
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    services,
    observability: services.observability,
    // Fastify's close() runs once; a second call waits for the same close.
    stop: () => server.close(),
  };
}
