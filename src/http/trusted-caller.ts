import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { BOT_TOKEN_HEADER } from '../shared/index.js';

/**
 * Whether the request comes from our own bot: it carries the shared BOT_BACKEND_TOKEN. Compared in
 * constant time; with no token configured no caller is trusted.
 */
export function isTrustedBot(request: FastifyRequest, token: string | undefined): boolean {
  if (!token) return false;
  const sent = request.headers[BOT_TOKEN_HEADER];
  if (typeof sent !== 'string') return false;
  const expected = Buffer.from(token);
  const actual = Buffer.from(sent);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
