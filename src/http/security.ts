/**
 * Who may call the service and how hard: the API token, per-client rate limits, security headers and
 * the boundary check on text. Registered before the routes (hooks and onRoute apply to routes added
 * after them). What each protects and what an operator sets: docs/SECURITY.md.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/index.js';
import { HttpError } from './errors.js';

export type HttpSecurity = Config['http'];

/** Routes the API token guards: everything under /api and the metrics. */
const isGuardedRoute = (url: string | undefined): boolean => url !== undefined && (url.startsWith('/api/') || url === '/metrics');

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <token>` compared in constant time (fixed-length digests, whatever was sent). */
export function createTokenCheck(apiToken: string | undefined): (request: FastifyRequest) => boolean {
  if (!apiToken) return () => true;
  const expected = digest(apiToken);
  return (request) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header) : null;
    // Compare even when the header is missing, so both paths cost the same.
    const sent = digest(match?.[1] ?? '');
    return timingSafeEqual(sent, expected) && match !== null;
  };
}

/** NUL (Postgres text cannot hold it) and unpaired UTF-16 surrogates (not text; stored as U+FFFD). */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const INVALID_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first string inside `value` that is not storable text, as a field path; null when all are fine. */
export function findInvalidText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return INVALID_TEXT.test(value) ? path || '(value)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findInvalidText(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const where = path ? `${path}.${key}` : key;
      if (INVALID_TEXT.test(key)) return where;
      const found = findInvalidText(inner, where);
      if (found !== null) return found;
    }
  }
  return null;
}

/** TRUST_PROXY=<n>: the nearest n proxies' X-Forwarded-For entries are believed. */
export const trustHops =
  (hops: number) =>
  (_address: string, hop: number): boolean =>
    hop < hops;

/** Fastify's own request errors (a malformed URL) in the API's error shape. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(400).send({ error: { code: 'invalid_request', message: error.message } });
}

const CLIENT_ERRORS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    code: 'request_timeout',
    message: 'The request did not arrive in time.',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    code: 'headers_too_large',
    message: 'The request headers are too large.',
  },
};

/**
 * Errors Node raises before Fastify sees a request (a timeout of a slow client, a malformed request):
 * answered in the API's error shape, then the connection is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    reason: 'Bad Request',
    code: 'invalid_request',
    message: 'The request is not valid HTTP.',
  };
  const body = JSON.stringify({ error: { code: known.code, message: known.message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${known.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** Node's server options for the timeouts (Fastify sets requestTimeout and connectionTimeout itself). */
export function nodeServerOptions(timeouts: HttpSecurity['timeouts']): ServerOptions {
  // Node refuses a headers timeout above the request timeout; a request's headers are part of it.
  const headersTimeout = Math.min(timeouts.headersMs, timeouts.requestMs);
  return {
    headersTimeout,
    // Node checks both timeouts on this interval (default 30 s, which would let a 1 s timeout run 30 s).
    connectionsCheckingInterval: Math.max(100, Math.min(headersTimeout, timeouts.requestMs) / 4),
  };
}

/**
 * The security layer. Must be registered before the routes: the rate limits are attached to
 * `POST /api/v1/chat` and `POST /api/v1/feedback` as those routes are added.
 */
export async function registerSecurity(server: FastifyInstance, security: HttpSecurity): Promise<void> {
  const authorized = createTokenCheck(security.apiToken);
  server.decorateRequest('apiAuthorized', false);

  server.addHook('onRequest', async (request, reply) => {
    const ok = authorized(request);
    request.apiAuthorized = ok;
    if (ok || !isGuardedRoute(request.routeOptions.url)) return undefined;
    return reply
      .status(401)
      .header('www-authenticate', 'Bearer realm="sommelier"')
      .send({ error: { code: 'unauthorized', message: 'This API needs the header Authorization: Bearer <API_TOKEN>.' } });
  });

  // Before validation, so the message says what is wrong instead of a database error later (a 500).
  server.addHook('preValidation', async (request) => {
    const where =
      findInvalidText(request.params, 'path') ?? findInvalidText(request.query, 'query') ?? findInvalidText(request.body, 'body');
    if (where !== null) {
      throw new HttpError(400, 'invalid_characters', `${where}: text must not contain NUL (\\u0000) or unpaired surrogate characters`);
    }
  });

  if (security.rateLimit.enabled) {
    const perMinute = new Map<string, number>([
      ['POST /api/v1/chat', security.rateLimit.chatPerMinute],
      ['POST /api/v1/feedback', security.rateLimit.feedbackPerMinute],
    ]);
    // Runs before the plugin's own onRoute hook (registered below), which reads config.rateLimit.
    server.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const max = methods.map((method) => perMinute.get(`${method} ${route.url}`)).find((limit) => limit !== undefined);
      if (max !== undefined) route.config = { ...route.config, rateLimit: { max, timeWindow: 60_000 } };
    });
    await server.register(rateLimit, {
      global: false,
      // Our bot's requests are not limited per address: every Telegram user arrives from the bot's one
      // address, and the bot limits each user itself (TELEGRAM_RATE_LIMIT_PER_MINUTE).
      allowList: (request) => request.trustedCaller,
      errorResponseBuilder: (_request, context) =>
        new HttpError(429, 'rate_limited', `Too many requests: at most ${context.max} a minute from one client. Try again in ${context.after}.`),
    });
  }

  await server.register(helmet, {
    // One policy for /docs (swagger-ui: scripts from files, inline styles, data: images) and the API;
    // the chat page sends its own (src/web/index.ts). No upgrade-insecure-requests: the service is
    // plain HTTP on loopback or behind a proxy, and HSTS is the TLS proxy's to send.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request carried the API token (always true when API_TOKEN is unset). */
    apiAuthorized: boolean;
  }
}
