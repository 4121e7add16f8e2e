import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Wine } from '../../catalog/index.js';
import { BOT_SESSION_PREFIX, isBotSessionId } from '../../sessions/index.js';
import { HttpError } from '../errors.js';
import { errors, sessionHeaders, sessionMessages, sessionParams, sharedResponses } from '../schemas.js';
import { toWineSummary } from './chat.js';

/** Turns returned at most: a page shows the recent conversation, not an archive. */
const MAX_TURNS = 200;

export const sessionRoutes: FastifyPluginAsyncZod = async (server) => {
  server.get(
    '/sessions/:sessionId/messages',
    {
      schema: {
        summary: 'Read your conversation back',
        description:
          'The turns of a session, each answer with its id, trace, recommended wines and the vote given to it: what a page ' +
          'needs to show the conversation again after a reload. Only for the session\'s owner: send the token issued with it ' +
          'in `x-session-token`.',
        tags: ['chat'],
        params: sessionParams,
        headers: sessionHeaders,
        response: { 200: sessionMessages, ...sharedResponses.guarded, 403: errors.forbidden },
      },
    },
    async (request) => {
      const { sessionId } = request.params;
      const token = request.headers['x-session-token'];
      const allowed = isBotSessionId(sessionId) ? request.trustedCaller : server.sessions.verify(sessionId, token);
      if (!allowed) {
        throw new HttpError(
          403,
          'session_forbidden',
          isBotSessionId(sessionId)
            ? `${BOT_SESSION_PREFIX} sessions belong to the Telegram bot`
            : 'This session belongs to someone else: send the sessionToken you were given with it in x-session-token',
        );
      }
      const turns = await server.agent.memory.transcript(sessionId, MAX_TURNS);
      const ids = [...new Set(turns.flatMap((turn) => turn.answer?.recommendationIds ?? []))];
      const wines = new Map<number, Wine>((ids.length > 0 ? await server.catalog.getWines(ids) : []).map((wine) => [wine.id, wine]));
      return {
        sessionId,
        messages: turns.map((turn) => ({
          role: turn.role,
          content: turn.content,
          createdAt: turn.createdAt.toISOString(),
          answerId: turn.answer?.answerId ?? null,
          traceId: turn.answer?.traceId ?? null,
          traceUrl: turn.answer?.traceId ? server.observability.traceUrl(turn.answer.traceId) : null,
          // A wine deleted from the catalog since the answer is left out rather than invented.
          recommendations: (turn.answer?.recommendationIds ?? []).flatMap((id) => {
            const wine = wines.get(id);
            return wine ? [toWineSummary(wine)] : [];
          }),
          feedback: turn.feedback,
        })),
      };
    },
  );
};
