import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Wine } from '../../catalog/types.js';
import { recordFeedback } from '../../feedback/index.js';
import { generateAgenticResponse } from '../../sommelier/index.js';
import type { UpstreamTraceContext } from '../../observability/types.js';
import type { HttpDeps } from '../index.js';
import { isTrustedBot } from '../trusted-caller.js';
import type { AppMetrics } from '../metrics.js';
import { chatBody, chatResponse, errorBody, feedbackBody, feedbackResponse } from '../schemas.js';

export const toWineSummary = (wine: Wine) => ({
  id: wine.id,
  name: wine.name,
  type: wine.type,
  country: wine.country,
  region: wine.region,
  winery: wine.winery,
  grapes: wine.grapes,
  pairings: wine.pairings,
  body: wine.body,
  acidity: wine.acidity,
  abv: wine.abv,
  rating: wine.rating,
});

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** The caller's W3C trace context, trusted only when the caller proved it is our bot. */
function upstreamOf(request: FastifyRequest, botToken: string | undefined): UpstreamTraceContext | undefined {
  const header = request.headers.traceparent;
  if (typeof header !== 'string' || !TRACEPARENT.test(header)) return undefined;
  return { traceparent: header, trusted: isTrustedBot(request, botToken) };
}

export const chatRoutes: FastifyPluginAsyncZod<HttpDeps & { metrics: AppMetrics }> = async (server, deps) => {
  server.post(
    '/chat',
    {
      schema: {
        summary: 'Ask the sommelier',
        body: chatBody,
        response: { 200: chatResponse, 400: errorBody, 415: errorBody },
      },
    },
    async (request, reply) => {
      const result = await generateAgenticResponse(deps.sommelier, {
        message: request.body.message,
        sessionId: request.body.sessionId ?? randomUUID(),
        userId: request.body.userId ?? null,
        channel: request.body.channel ?? 'api',
        upstream: upstreamOf(request, deps.botBackendToken),
      });
      deps.metrics.recordChat(result);
      if (result.traceId) void reply.header('x-trace-id', result.traceId);
      return {
        reply: result.reply,
        recommendations: result.recommendations.map(toWineSummary),
        sessionId: result.sessionId,
        toolsUsed: result.toolsUsed,
        iterations: result.iterations,
        engine: result.engine,
        model: result.model,
        language: result.language,
        traceId: result.traceId,
        traceUrl: result.traceId ? deps.observability.traceUrl(result.traceId) : null,
        usage: { input: result.usage.input, output: result.usage.output, total: result.usage.total },
        costUsd: result.costUsd,
      };
    },
  );

  server.post(
    '/feedback',
    {
      schema: {
        summary: 'Rate an answer (👍 = 1, 👎 = -1); sent to Langfuse as the `user-feedback` score',
        body: feedbackBody,
        response: { 200: feedbackResponse, 400: errorBody },
      },
    },
    async (request) =>
      recordFeedback(deps.db, deps.observability, {
        traceId: request.body.traceId,
        value: request.body.value,
        comment: request.body.comment,
      }),
  );
};
