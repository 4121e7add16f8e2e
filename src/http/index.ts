import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/index.js';
import type { Database } from '../db/index.js';
import type { Observability } from '../observability/index.js';
import type { SessionAuthority } from '../sessions/index.js';
import type { AgentDeps } from '../agent/index.js';
import { loadConfig } from '../config/index.js';
import { installErrorHandling } from './errors.js';
import { createAppMetrics, instrumentCatalogCache, instrumentRequests, type AppMetrics, type CacheStats } from './metrics.js';
import { chatRoutes } from './routes/chat.js';
import { clientErrorHandler, frameworkErrors, nodeServerOptions, registerSecurity, trustHops, type HttpSecurity } from './security.js';
import { healthRoutes } from './routes/health.js';
import { sessionRoutes } from './routes/sessions.js';
import { servicesPlugin } from './services-plugin.js';
import { shutdownPlugin, type ShutdownOptions } from './shutdown.js';
import { isTrustedBot } from './trusted-caller.js';
import { wineRoutes } from './routes/wines.js';
import { webRoutes } from '../web/index.js';

export interface HttpDeps {
  db: Database;
  catalog: Catalog;
  observability: Observability;
  agent: AgentDeps;
  logger: Logger;
  version: string;
  /** Issues and checks session tokens. */
  sessions: SessionAuthority;
  /** Default: a fresh registry per server (tests start several in one process). */
  metrics?: AppMetrics;
  /** BOT_BACKEND_TOKEN: a request carrying it is our Telegram bot's (see trusted-caller.ts). */
  botBackendToken?: string | undefined;
  /** The search cache's counters, exported on /metrics when the catalog has a cache. */
  catalogCacheStats?: () => CacheStats;
  /** API token, rate limits, timeouts (config `http`). Default: the configuration defaults, no token. */
  security?: HttpSecurity;
  /** What the server closes when it closes (after in-flight requests): the services it was built over. */
  owned?: ShutdownOptions['owned'];
  /** How long in-flight requests may take to finish once close() starts. Default 10 s. */
  shutdownGraceMs?: number;
}

const SHUTDOWN_GRACE_MS = 10_000;

export type HttpServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** A JSON-schema compiler factory that must never run: every route has the zod compilers. */
const unusedCompiler = (kind: string) => (): (() => never) => () => {
  throw new Error(`the JSON-schema ${kind} compiler was asked for a route; every route uses the zod compilers`);
};

export async function buildHttpServer(deps: HttpDeps): Promise<HttpServer> {
  const security = deps.security ?? loadConfig({}).http;
  const server = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    // A client must send its whole request within requestTimeout (a slow body cannot hold a socket);
    // a connection with nothing read or written for connectionTimeout is closed.
    requestTimeout: security.timeouts.requestMs,
    connectionTimeout: security.timeouts.connectionMs,
    http: nodeServerOptions(security.timeouts),
    clientErrorHandler,
    frameworkErrors,
    // A hop count is passed as Fastify's function form (its types take no number).
    trustProxy: typeof security.trustProxy === 'number' ? trustHops(security.trustProxy) : security.trustProxy,
    // Per-request access logs cost more than the offline engine's whole answer; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Requests in flight finish on close (within the grace of shutdown.ts); idle keep-alive sockets are
    // closed at once. A request still arriving during the drain gets a 503 from shutdown.ts, in our error
    // shape rather than Fastify's.
    forceCloseConnections: 'idle',
    return503OnClosing: false,
    // Every route validates and serialises with zod (set just below). Without factories of its own Fastify
    // loads and builds Ajv and fast-json-stringify at start — ~0.1 s of a cold start, never used.
    schemaController: { compilersFactory: { buildValidator: unusedCompiler('validator'), buildSerializer: unusedCompiler('serializer') } },
  }).withTypeProvider<ZodTypeProvider>();
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  installErrorHandling(server);
  const metrics = deps.metrics ?? createAppMetrics();
  await server.register(shutdownPlugin, { graceMs: deps.shutdownGraceMs ?? SHUTDOWN_GRACE_MS, owned: deps.owned });
  await server.register(servicesPlugin, {
    agent: deps.agent,
    catalog: deps.catalog,
    observability: deps.observability,
    metrics,
    sessions: deps.sessions,
    db: deps.db,
    appVersion: deps.version,
  });
  instrumentRequests(server, metrics.registry);
  if (deps.catalogCacheStats) instrumentCatalogCache(metrics.registry, deps.catalogCacheStats);
  // The API speaks JSON only; anything else is a 415, not a string that fails validation.
  server.removeContentTypeParser('text/plain');
  server.decorateRequest('trustedCaller', false);
  server.addHook('onRequest', async (request) => {
    request.trustedCaller = isTrustedBot(request, deps.botBackendToken);
  });
  await registerSecurity(server, security);

  await server.register(swagger, {
    openapi: {
      info: {
        title: 'Sommelier API',
        version: deps.version,
        description:
          'AI wine sommelier over the X-Wines catalog, traced in Langfuse. Start with `POST /api/v1/chat`; keep the ' +
          '`sessionId` + `sessionToken` it returns and send them with the next question to continue the conversation.',
      },
      tags: [
        { name: 'chat', description: 'Questions, answers, votes and your conversation' },
        { name: 'wines', description: 'The catalog the sommelier recommends from' },
        { name: 'operations', description: 'Health, readiness and Prometheus metrics' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });

  await server.register(healthRoutes);
  await server.register(chatRoutes, { prefix: '/api/v1' });
  await server.register(sessionRoutes, { prefix: '/api/v1' });
  await server.register(wineRoutes, { prefix: '/api/v1' });
  await server.register(webRoutes);
  return server;
}
