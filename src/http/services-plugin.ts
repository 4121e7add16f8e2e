import fastifyPlugin from 'fastify-plugin';
import type { ServerDecorations } from './decorations.js';

/**
 * Decorates the server with the services routes use. Wrapped by fastify-plugin so the decorations land on
 * the instance that registers it, not on an encapsulated child: every route plugin registered after it
 * sees them.
 */
export const servicesPlugin = fastifyPlugin<ServerDecorations>(
  async (server, services) => {
    server.decorate('agent', services.agent);
    server.decorate('catalog', services.catalog);
    server.decorate('observability', services.observability);
    server.decorate('metrics', services.metrics);
    server.decorate('sessions', services.sessions);
    server.decorate('db', services.db);
    server.decorate('appVersion', services.appVersion);
  },
  { name: 'sommelier-services', fastify: '5.x' },
);
