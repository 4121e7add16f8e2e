import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Wine } from '../../catalog/index.js';
import type { UpstreamTraceContext } from '../../observability/index.js';
import { recordFeedback } from '../../feedback/index.js';
import { BOT_SESSION_PREFIX, isBotSessionId, type SessionPair } from '../../sessions/index.js';
import { runAgent, type AgentResult } from '../../agent/index.js';
import { HttpError } from '../errors.js';
import { chatBody, chatResponse, chatStream, errors, feedbackBody, feedbackResponse, sharedResponses } from '../schemas.js';

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
  price: wine.price,
  currency: wine.currency,
  stock: wine.stock,
});

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** The caller's W3C trace context, trusted only when the caller proved it is our bot. */
function upstreamOf(request: FastifyRequest): UpstreamTraceContext | undefined {
  const header = request.headers.traceparent;
  if (typeof header !== 'string' || !TRACEPARENT.test(header)) return undefined;
  return { traceparent: header, trusted: request.trustedCaller };
}

/** A session this caller may continue: the session id and the token to hand back (null for the bot's). */
type OwnedSession = { sessionId: string; sessionToken: string | null };

const forbidden = (message: string) => new HttpError(403, 'session_forbidden', message);

/** Whether the caller asked for server-sent events (the page does; JSON stays the default). */
function wantsStream(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return /\btext\/event-stream\b/i.test(accept);
}

/** Writes server-sent events, starting the response with the first one (so earlier failures stay JSON). */
function eventWriter(reply: FastifyReply) {
  let started = false;
  return {
    get started() {
      return started;
    },
    send(event: string, data: unknown) {
      if (!started) {
        started = true;
        // From here on Fastify sends nothing for this request: the stream is ours to end.
        reply.hijack();
        // Headers hooks already set (security headers, rate-limit counters) go out with the stream too.
        for (const [name, value] of Object.entries(reply.getHeaders())) {
          if (value !== undefined) reply.raw.setHeader(name, value);
        }
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          // Proxies such as nginx buffer responses unless told not to; a buffered stream is no stream.
          'x-accel-buffering': 'no',
          connection: 'keep-alive',
        });
      }
      if (!reply.raw.writableEnded && !reply.raw.destroyed) reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (started && !reply.raw.writableEnded) reply.raw.end();
    },
  };
}

export const chatRoutes: FastifyPluginAsyncZod = async (server) => {
  /**
   * The session a chat continues. A `tg:` id is the bot's alone; any other id continues only with the
   * token issued for it, and anything else starts a new session: a stranger's id never reads or extends
   * someone else's conversation.
   */
  const sessionFor = (request: FastifyRequest, body: { sessionId?: string | undefined; sessionToken?: string | undefined }): OwnedSession => {
    const { sessionId, sessionToken } = body;
    if (sessionId !== undefined && isBotSessionId(sessionId)) {
      if (!request.trustedCaller) throw forbidden(`${BOT_SESSION_PREFIX} session ids belong to the Telegram bot (x-sommelier-bot-token)`);
      return { sessionId, sessionToken: null };
    }
    if (sessionId !== undefined && server.sessions.verify(sessionId, sessionToken)) return { sessionId, sessionToken: sessionToken ?? null };
    const issued: SessionPair = server.sessions.issue();
    // Made up just now: no turns to read (its first chat skips the history query).
    server.agent.memory.begin(issued.sessionId);
    return issued;
  };

  const toResponse = (result: AgentResult, session: OwnedSession): z.infer<typeof chatResponse> => ({
    reply: result.reply,
    recommendations: result.recommendations.map(toWineSummary),
    answerId: result.answerId,
    sessionId: session.sessionId,
    sessionToken: session.sessionToken,
    toolsUsed: result.toolsUsed,
    iterations: result.iterations,
    engine: result.engine,
    model: result.model,
    language: result.language,
    traceId: result.traceId,
    traceUrl: result.traceId ? server.observability.traceUrl(result.traceId) : null,
    usage: { input: result.usage.input, output: result.usage.output, total: result.usage.total },
    costUsd: result.costUsd,
  });

  server.post(
    '/chat',
    {
      schema: {
        summary: 'Ask the sommelier',
        description:
          'Answers one question within a session. The first answer issues a session (`sessionId` + `sessionToken`); send both with ' +
          'the next question to continue the conversation. With `Accept: text/event-stream` the answer streams as server-sent events.',
        tags: ['chat'],
        body: chatBody,
        response: {
          200: {
            description: 'The answer (JSON), or the answer streamed as server-sent events',
            content: { 'application/json': { schema: chatResponse }, 'text/event-stream': { schema: chatStream } },
          },
          ...sharedResponses.guarded,
          ...sharedResponses.jsonBody,
          ...sharedResponses.rateLimited,
          403: errors.forbidden,
          502: errors.llmUnavailable,
        },
      },
    },
    async (request, reply) => {
      const session = sessionFor(request, request.body);
      const userId = request.body.userId ?? null;
      if (userId !== null && isBotSessionId(userId) && !request.trustedCaller) {
        throw new HttpError(403, 'user_forbidden', `${BOT_SESSION_PREFIX} user ids belong to the Telegram bot`);
      }
      const input = {
        message: request.body.message,
        sessionId: session.sessionId,
        userId,
        channel: request.body.channel ?? 'api',
        upstream: upstreamOf(request),
      };

      if (!wantsStream(request)) {
        const result = await runAgent(server.agent, input);
        server.metrics.recordChat(result);
        if (result.traceId) void reply.header('x-trace-id', result.traceId);
        return toResponse(result, session);
      }

      const events = eventWriter(reply);
      try {
        const result = await runAgent(server.agent, {
          ...input,
          stream: { delta: (text) => events.send('delta', { text }), discard: () => events.send('discard', {}) },
        });
        server.metrics.recordChat(result);
        // Serialised by the same schema as the JSON answer, so both carry exactly the same fields.
        events.send('done', chatResponse.parse(toResponse(result, session)));
        events.end();
        return reply;
      } catch (error) {
        // Nothing sent yet: an ordinary error response with its status.
        if (!events.started) throw error;
        request.log.error({ err: error }, 'streamed chat failed');
        events.send('error', {
          error: { code: 'stream_failed', message: 'The answer could not be finished; please try again.' },
        });
        events.end();
        return reply;
      }
    },
  );

  server.post(
    '/feedback',
    {
      schema: {
        summary: 'Rate an answer: 👍 = 1, 👎 = -1',
        description:
          'Stores a vote on one answer of your session (a second vote on the same answer replaces it). Counted on /metrics ' +
          '(`sommelier_feedback_total`), and sent to Langfuse as the `user-feedback` score when the answer was traced.',
        tags: ['chat'],
        body: feedbackBody,
        response: {
          200: feedbackResponse,
          ...sharedResponses.guarded,
          ...sharedResponses.jsonBody,
          ...sharedResponses.rateLimited,
          403: errors.forbidden,
          404: errors.answerNotFound,
        },
      },
    },
    async (request) => {
      const body = request.body;
      const key = { answerId: body.answerId, traceId: body.traceId };
      let sessionId: string;
      if (body.sessionId === undefined) {
        // The bot's 👍/👎 buttons carry only a trace id; it may vote on its own (`tg:`) sessions' answers.
        if (!request.trustedCaller || body.traceId === undefined) throw new HttpError(400, 'invalid_request', 'sessionId and sessionToken are required');
        const owner = await server.agent.memory.findSessionOfTrace(body.traceId, BOT_SESSION_PREFIX);
        if (owner === null) throw new HttpError(404, 'answer_not_found', `No answer with trace ${body.traceId} in the bot's sessions`);
        sessionId = owner;
      } else if (isBotSessionId(body.sessionId)) {
        if (!request.trustedCaller) throw forbidden(`${BOT_SESSION_PREFIX} session ids belong to the Telegram bot (x-sommelier-bot-token)`);
        sessionId = body.sessionId;
      } else {
        if (!server.sessions.verify(body.sessionId, body.sessionToken)) {
          throw forbidden('This session belongs to someone else: send the sessionToken you were given with it');
        }
        sessionId = body.sessionId;
      }
      const answer = await server.agent.memory.findAnswer(sessionId, key);
      if (!answer) throw new HttpError(404, 'answer_not_found', `No answer ${body.answerId ?? body.traceId} in this session`);
      const record = await recordFeedback(server.db, server.observability, {
        answerId: answer.answerId,
        traceId: answer.traceId,
        value: body.value,
        comment: body.comment,
      });
      server.metrics.recordFeedback(record.value, record.traceId !== null);
      return record;
    },
  );
};
