import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redactText } from '../../masking.js';
import { z } from 'zod';
import { errors, healthResponse, metricsResponse, readyResponse, sharedResponses } from '../schemas.js';

/** What /docs shows for each operations route (listed under "operations"). */
const docs = {
  healthz: { summary: 'Liveness', description: 'Answers while the process runs; checks nothing else.', tags: ['operations'], response: { 200: healthResponse, ...sharedResponses.any } },
  readyz: {
    summary: 'Readiness',
    description:
      'Ready when the database answers. LLM and tracing status are reported, never a reason to be unready. ' +
      'With API_TOKEN set, only `status` is shown to a caller without the token.',
    tags: ['operations'],
    // The drain's 503 shares the status with "not ready" (a shutting-down instance is not): either body.
    response: {
      200: readyResponse,
      ...sharedResponses.any,
      503: z
        .union([readyResponse.describe('The database does not answer'), errors.shuttingDown])
        .describe('Not ready: the database does not answer, or the server is shutting down'),
    },
  },
  metrics: {
    summary: 'Prometheus metrics',
    description: "The service's counters and histograms (chats, tokens, cost, votes, latency), then the trace export's.",
    tags: ['operations'],
    produces: ['text/plain'],
    response: { 200: metricsResponse, ...sharedResponses.guarded },
  },
};

export const healthRoutes: FastifyPluginAsyncZod = async (server) => {
  server.get('/healthz', { schema: docs.healthz }, async () => ({ status: 'ok' as const }));

  // Open to probes (no token), but the details — model, database size, Langfuse errors — only go to a
  // caller with the API token when one is configured.
  server.get('/readyz', { schema: docs.readyz }, async (request, reply) => {
    const checks: Record<string, unknown> = {};
    let ready = true;
    try {
      checks.database = { status: 'ok', kind: server.db.kind, wines: await server.catalog.count() };
    } catch (error) {
      ready = false;
      checks.database = { status: 'error', message: redactText(error instanceof Error ? error.message : String(error)) };
    }
    const status = ready ? 'ready' : 'unavailable';
    if (!request.apiAuthorized) return reply.status(ready ? 200 : 503).send({ status });
    checks.llm = { engine: server.agent.chatModel.engine, model: server.agent.chatModel.model };
    // Tracing is reported, never a reason to be unready: the sommelier answers with Langfuse down.
    const tracing = server.observability.stats();
    checks.tracing = tracing.enabled && tracing.lastExportError !== null ? { ...tracing, lastExportError: redactText(tracing.lastExportError) } : tracing;
    return reply.status(ready ? 200 : 503).send({ status, version: server.appVersion, checks });
  });

  server.get('/metrics', { schema: docs.metrics }, async (_request, reply) =>
    reply
      .type(server.metrics.registry.contentType)
      .send(`${await server.metrics.registry.metrics()}\n${await server.observability.metrics()}`),
  );
};
