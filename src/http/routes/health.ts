import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HttpDeps } from '../index.js';
import type { AppMetrics } from '../metrics.js';
import { healthResponse, metricsResponse, readyResponse } from '../schemas.js';

/** What /docs shows for each operations route (listed under "operations"). */
const docs = {
  healthz: { summary: 'Liveness', description: 'Answers while the process runs; checks nothing else.', tags: ['operations'], response: { 200: healthResponse } },
  readyz: {
    summary: 'Readiness',
    description: 'Ready when the database answers. LLM and tracing status are reported, never a reason to be unready.',
    tags: ['operations'],
    response: { 200: readyResponse, 503: readyResponse.describe('The database does not answer') },
  },
  metrics: {
    summary: 'Prometheus metrics',
    description: "The service's counters and histograms (chats, tokens, cost, votes, latency), then the trace export's.",
    tags: ['operations'],
    produces: ['text/plain'],
    response: { 200: metricsResponse },
  },
};

export const healthRoutes: FastifyPluginAsyncZod<HttpDeps & { metrics: AppMetrics }> = async (server, deps) => {
  server.get('/healthz', { schema: docs.healthz }, async () => ({ status: 'ok' as const }));

  server.get('/readyz', { schema: docs.readyz }, async (_request, reply) => {
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

  server.get('/metrics', { schema: docs.metrics }, async (_request, reply) =>
    reply
      .type(deps.metrics.registry.contentType)
      .send(`${await deps.metrics.registry.metrics()}\n${await deps.observability.metrics()}`),
  );
};
