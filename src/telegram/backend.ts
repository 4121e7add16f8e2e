import { z } from 'zod';
import { BOT_TOKEN_HEADER, type Channel } from '../shared/index.js';

/** The backend limits a chat message to this many characters (UTF-16 code units, like `string.length`). */
export const BACKEND_MESSAGE_MAX_CHARS = 4000;

export interface ChatRequest {
  message: string;
  sessionId: string;
  userId: string;
  channel: Channel;
}

export interface ChatCallOptions {
  /** W3C traceparent of the bot's root span; the backend continues that trace. */
  traceparent?: string | null;
  signal?: AbortSignal;
}

const recommendationSchema = z.looseObject({ name: z.string() });

const chatReplySchema = z.looseObject({
  reply: z.string(),
  /** Names the answer for feedback (backends before sessions had none). */
  answerId: z.string().nullable().default(null),
  recommendations: z.array(recommendationSchema).default([]),
  sessionId: z.string(),
  traceId: z.string().nullable().default(null),
  traceUrl: z.string().nullable().default(null),
  // What the bot's span (the trace's root) records as trace metadata; an older backend may omit them.
  toolsUsed: z.array(z.string()).default([]),
  iterations: z.number().default(0),
  engine: z.string().default('unknown'),
  model: z.string().default('unknown'),
  language: z.string().default('unknown'),
});

export type ChatReply = z.infer<typeof chatReplySchema>;

export interface FeedbackRequest {
  /** The answer's trace id (what the 👍/👎 buttons carry); the backend finds it among the bot's `tg:` sessions. */
  traceId?: string;
  /** The answer's id, when known; with `sessionId` it names the answer exactly. */
  answerId?: string;
  /** The bot's `tg:` session the answer was given in. */
  sessionId?: string;
  value: 1 | -1;
  comment?: string;
  userId?: string;
}

const feedbackReceiptSchema = z.looseObject({
  id: z.union([z.string(), z.number()]),
  traceId: z.string().nullable(),
  value: z.number(),
});

export type FeedbackReceipt = z.infer<typeof feedbackReceiptSchema>;

/** What the bot needs from the sommelier; the HTTP client below is the production one. */
export interface BackendClient {
  chat(request: ChatRequest, options?: ChatCallOptions): Promise<ChatReply>;
  feedback(request: FeedbackRequest, options?: { signal?: AbortSignal }): Promise<FeedbackReceipt>;
}

/**
 * Why a backend call failed, coarse enough to pick a message for the user:
 * `timeout` (slow), `unreachable` (down / connection refused), `rejected` (an HTTP error answer),
 * `invalid-response` (2xx with a body we cannot read), `aborted` (the bot is shutting down).
 */
export type BackendFailure = 'timeout' | 'unreachable' | 'rejected' | 'invalid-response' | 'aborted';

export class BackendError extends Error {
  constructor(
    readonly failure: BackendFailure,
    message: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackendError';
  }
}

const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export interface HttpBackendClientOptions {
  /** e.g. http://127.0.0.1:8000, without a trailing slash. */
  baseUrl: string;
  /** Upper bound for one call, connect to last byte of the body. */
  timeoutMs: number;
  /** BOT_BACKEND_TOKEN: proves to the backend that this is our bot (trace continuation, `tg:` sessions). */
  botToken?: string | undefined;
  /** API_TOKEN of the backend, sent as `Authorization: Bearer` when set. */
  apiToken?: string | undefined;
  fetch?: typeof globalThis.fetch;
}

/** Talks to the sommelier's HTTP API (`POST /api/v1/chat`, `POST /api/v1/feedback`). */
export class HttpBackendClient implements BackendClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly botHeaders: Record<string, string>;
  private readonly authHeaders: Record<string, string>;

  constructor(options: HttpBackendClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.botHeaders = options.botToken ? { [BOT_TOKEN_HEADER]: options.botToken } : {};
    this.authHeaders = options.apiToken ? { authorization: `Bearer ${options.apiToken}` } : {};
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  async chat(request: ChatRequest, options: ChatCallOptions = {}): Promise<ChatReply> {
    const headers: Record<string, string> = {};
    if (options.traceparent) headers.traceparent = options.traceparent;
    const body = await this.post('/api/v1/chat', request, headers, options.signal);
    return parseBody(chatReplySchema, body, 'chat');
  }

  async feedback(request: FeedbackRequest, options: { signal?: AbortSignal } = {}): Promise<FeedbackReceipt> {
    const body = await this.post('/api/v1/feedback', request, {}, options.signal);
    return parseBody(feedbackReceiptSchema, body, 'feedback');
  }

  private async post(path: string, payload: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...this.botHeaders, ...this.authHeaders, ...headers },
        body: JSON.stringify(payload),
        signal: combined,
      });
      // Reading the body is covered by the same signal, so a backend that stalls mid-body still times out.
      text = await response.text();
    } catch (error) {
      throw this.toBackendError(error, timeout, path);
    }
    const json = safeJson(text);
    if (!response.ok) {
      const parsed = errorBodySchema.safeParse(json);
      const code = parsed.success ? parsed.data.error.code : null;
      const detail = parsed.success ? parsed.data.error.message : text.slice(0, 200);
      throw new BackendError('rejected', `backend ${path} answered ${response.status}: ${detail}`, response.status, code);
    }
    if (json === undefined) {
      throw new BackendError('invalid-response', `backend ${path} answered ${response.status} without JSON`, response.status);
    }
    return json;
  }

  private toBackendError(error: unknown, timeout: AbortSignal, path: string): BackendError {
    if (timeout.aborted) {
      return new BackendError('timeout', `backend ${path} did not answer within ${this.timeoutMs} ms`, null, null, { cause: error });
    }
    if (error instanceof Error && error.name === 'AbortError') {
      return new BackendError('aborted', `backend ${path} call was cancelled`, null, null, { cause: error });
    }
    const reason = error instanceof Error ? (describeCause(error) ?? error.message) : String(error);
    return new BackendError('unreachable', `backend ${path} is unreachable: ${reason}`, null, null, { cause: error });
  }
}

function safeJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new BackendError('invalid-response', `backend ${what} response is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** undici hides the useful part ("ECONNREFUSED") in `cause`. */
function describeCause(error: Error): string | undefined {
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return undefined;
}
