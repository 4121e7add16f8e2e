/**
 * What the server carries for its routes, typed for every plugin: the services plugin
 * (services-plugin.ts) decorates the instance with these, and a route reads `server.agent`,
 * `server.catalog`, … without importing the module that builds the server.
 */
import type { Catalog } from '../catalog/index.js';
import type { Database } from '../db/index.js';
import type { Observability } from '../observability/index.js';
import type { SessionAuthority } from '../sessions/index.js';
import type { AgentDeps } from '../agent/index.js';
import type { AppMetrics } from './metrics.js';

export interface ServerDecorations {
  /** What the agent loop needs to answer a chat (model, tools, memory, tracing). */
  agent: AgentDeps;
  catalog: Catalog;
  observability: Observability;
  metrics: AppMetrics;
  /** Issues and checks session tokens. */
  sessions: SessionAuthority;
  db: Database;
  /** The service's release, shown on /readyz (`version` is Fastify's own). */
  appVersion: string;
}

declare module 'fastify' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an augmentation adds members by extending
  interface FastifyInstance extends ServerDecorations {}

  interface FastifyRequest {
    /**
     * The caller presented BOT_BACKEND_TOKEN (x-sommelier-bot-token): it is our Telegram bot, which may use
     * `tg:` sessions and continue its own trace. Set once per request, before any route runs.
     */
    trustedCaller: boolean;
  }
}
