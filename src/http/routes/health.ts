import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HttpDeps } from '../index.js';
import type { AppMetrics } from '../metrics.js';

export const healthRoutes: FastifyPluginAsyncZod<HttpDeps & { metrics: AppMetrics }> = async (server, deps) => {
  server.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  server.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const checks: Record<string, unknown> = {};
    let ready = true;
    try {
      checks.database = { status: 'ok', kind: deps.db.kind, wines: await deps.catalog.count() };
    } catch (error) {
      ready = false;
      checks.database = { status: 'error', message: error instanceof Error ? error.message : String(error) };
    }
    checks.llm = { engine: deps.sommelier.chatModel.engine, model: deps.sommelier.chatModel.model };
    // Tracing is reported, never a reason to be unready: the sommelier answers with Langfuse down.
    checks.tracing = deps.observability.stats();
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', version: deps.version, checks });
  });

  server.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type(deps.metrics.registry.contentType)
      .send(`${await deps.metrics.registry.metrics()}\n${await deps.observability.metrics()}`),
  );
};
