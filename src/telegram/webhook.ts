import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { Bot, Context } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { z } from 'zod';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Telegram's rule for secret_token: 1–256 characters of A-Z, a-z, 0-9, _ and -. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
const MAX_BODY_BYTES = 1024 * 1024;
/** Telegram re-delivers an update it got no 2xx for; remembering recent ids makes that harmless. */
const REMEMBERED_UPDATES = 1000;

const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

export function isValidWebhookSecret(secret: string): boolean {
  return SECRET_PATTERN.test(secret);
}

/** A secret for a process that was given none: Telegram learns it through setWebhook on every start. */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}

export interface WebhookResult {
  status: number;
}

/**
 * Receives Telegram's webhook POSTs for one bot. It checks `X-Telegram-Bot-Api-Secret-Token` before
 * anything else: a request without the right secret gets 401 and its body is never read, parsed or
 * handled. Accepted updates are handed to grammY; the slow part of an answer runs in the bot's work
 * queue, so Telegram gets its 200 quickly and does not re-deliver.
 *
 * Mount it one of two ways:
 * - `nodeHandler` — a plain `(req, res)` handler for `http.createServer` (what `npm run bot` uses);
 * - `fastifyPlugin` — `app.register(receiver.fastifyPlugin)` adds `POST <path>` to a Fastify app.
 */
export interface WebhookReceiver {
  /** The path Telegram posts to, taken from TELEGRAM_WEBHOOK_URL. */
  readonly path: string;
  isAuthorized(secretHeader: string | string[] | undefined): boolean;
  /** Handles an already-authorized, already-read body. */
  accept(body: unknown): Promise<WebhookResult>;
  nodeHandler(request: IncomingMessage, response: ServerResponse): void;
  readonly fastifyPlugin: FastifyPluginAsync;
  /** After this every request gets 503 (Telegram retries later, against the next process). */
  close(): void;
}

export interface WebhookReceiverOptions<C extends Context = Context> {
  bot: Bot<C>;
  secret: string;
  path: string;
  logger: Logger;
  /** Default REJECTION_LOG_INTERVAL_MS. */
  rejectionLogIntervalMs?: number;
  /** Clock for the rejection log (tests). */
  now?: () => number;
}

/** At most one warning per this interval about requests with a wrong secret, however many arrive. */
export const REJECTION_LOG_INTERVAL_MS = 60_000;

/**
 * Logs the first rejected request at once, then at most one line per interval counting the ones in
 * between: a flood of forged requests cannot flood the log.
 */
function createRejectionLog(logger: Logger, path: string, intervalMs: number, now: () => number): () => void {
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return () => {
    const at = now();
    if (at - lastLoggedAt < intervalMs) {
      suppressed += 1;
      return;
    }
    logger.warn(
      { path, ...(suppressed > 0 ? { alsoRejectedSinceLastWarning: suppressed } : {}) },
      'webhook request with a wrong or missing secret token rejected',
    );
    lastLoggedAt = at;
    suppressed = 0;
  };
}

export function createWebhookReceiver<C extends Context>(options: WebhookReceiverOptions<C>): WebhookReceiver {
  const { bot, logger, path } = options;
  const logRejection = createRejectionLog(logger, path, options.rejectionLogIntervalMs ?? REJECTION_LOG_INTERVAL_MS, options.now ?? Date.now);
  if (!isValidWebhookSecret(options.secret)) {
    throw new Error('TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, "_" and "-"');
  }
  // Comparing fixed-length digests keeps the comparison constant-time whatever length the header has.
  const expected = createHash('sha256').update(options.secret).digest();
  const seen = new Set<number>();
  let closed = false;

  const isAuthorized = (header: string | string[] | undefined): boolean => {
    const value = Array.isArray(header) ? header[0] : header;
    if (value === undefined) return false;
    return timingSafeEqual(createHash('sha256').update(value).digest(), expected);
  };

  const accept = async (body: unknown): Promise<WebhookResult> => {
    if (closed) return { status: 503 };
    const parsed = updateSchema.safeParse(body);
    if (!parsed.success) return { status: 400 };
    const update = parsed.data as unknown as Update;
    if (seen.has(update.update_id)) return { status: 200 };
    remember(seen, update.update_id);
    try {
      await bot.init();
      await bot.handleUpdate(update);
    } catch (error) {
      // Our middleware already answers the user on failure; a non-2xx would only make Telegram resend it.
      logger.error({ err: error, updateId: update.update_id }, 'webhook update failed');
    }
    return { status: 200 };
  };

  const nodeHandler = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://webhook.invalid');
    if (url.pathname !== path) return end(response, 404);
    if (request.method !== 'POST') return end(response, 405);
    if (closed) return end(response, 503);
    if (!isAuthorized(request.headers[SECRET_HEADER])) {
      logRejection();
      request.resume();
      return end(response, 401);
    }
    readBody(request, MAX_BODY_BYTES).then(
      async (raw) => {
        if (raw === null) return end(response, 413);
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          return end(response, 400);
        }
        const result = await accept(body);
        end(response, result.status);
      },
      () => end(response, 400),
    );
  };

  const fastifyPlugin: FastifyPluginAsync = async (app) => {
    app.post(path, {
      bodyLimit: MAX_BODY_BYTES,
      // onRequest runs before the body is parsed: a wrong secret costs nothing and touches nothing.
      onRequest: async (request, reply) => {
        if (closed) return reply.code(503).send();
        if (!isAuthorized(request.headers[SECRET_HEADER])) {
          logRejection();
          return reply.code(401).send({ error: { code: 'unauthorized', message: 'wrong secret token' } });
        }
        return undefined;
      },
      handler: async (request, reply) => {
        const result = await accept(request.body);
        return reply.code(result.status).send();
      },
    });
  };

  return {
    path,
    isAuthorized,
    accept,
    nodeHandler,
    fastifyPlugin,
    close: () => {
      closed = true;
    },
  };
}

function remember(seen: Set<number>, id: number): void {
  seen.add(id);
  if (seen.size > REMEMBERED_UPDATES) {
    const oldest = seen.values().next().value;
    if (oldest !== undefined) seen.delete(oldest);
  }
}

function end(response: ServerResponse, status: number): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{}' : JSON.stringify({ ok: false }));
}

/** The body as text, or null when it is larger than `limit` bytes. */
function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.once('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}
