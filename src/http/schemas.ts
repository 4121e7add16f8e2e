/**
 * The API's contract: every request and response shape, with the descriptions and examples `/docs` shows
 * (zod `.describe()` / `.meta({ examples })`, turned into OpenAPI by fastify-type-provider-zod).
 */
import { z } from 'zod';
import { ACIDITIES, BODIES, WINE_SORTS, WINE_TYPES } from '../catalog/index.js';
import { CHANNELS } from '../shared/index.js';

export const MAX_MESSAGE_LENGTH = 4000;

// --- Errors ------------------------------------------------------------------------------------------------

/** The drain's answer (shutdown.ts) to a request that arrives once the server began to close. */
export const SHUTTING_DOWN = {
  code: 'shutting_down',
  message: 'The server is shutting down; please retry the request.',
} as const;

export const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. `invalid_request`, `session_forbidden`, `llm_unavailable`'),
      message: z.string().describe('What went wrong, for a person (English)'),
      details: z.unknown().optional(),
    }),
  })
  .describe('Error');

/** An error response as `/docs` lists it: what the status means here, and one real body. */
const errorResponse = (description: string, code: string, message: string) =>
  errorBody.describe(description).meta({ examples: [{ error: { code, message } }] });

export const errors = {
  badRequest: errorResponse('The request is malformed: the message says which field and why', 'invalid_request', 'Invalid body: message: message must not be empty'),
  forbidden: errorResponse(
    'The session token does not match the session id, or a `tg:` session or user id came without the bot token (`user_forbidden`)',
    'session_forbidden',
    'This session belongs to someone else: send the sessionToken you were given with it',
  ),
  answerNotFound: errorResponse('No answer with this id (or trace id) was given to this session', 'answer_not_found', 'No answer 6f1c… in this session'),
  wineNotFound: errorResponse('No wine with this id', 'wine_not_found', 'No wine with id 999999999'),
  tooLarge: errorResponse('The body is over 64 KiB', 'body_too_large', 'Request body is too large'),
  unsupportedMedia: errorResponse('The body is not JSON (send `content-type: application/json`)', 'unsupported_media_type', 'Unsupported Media Type: text/plain'),
  llmUnavailable: errorResponse(
    'The configured LLM failed after its retries and the offline fallback is off (LLM_FALLBACK_TO_OFFLINE=false)',
    'llm_unavailable',
    'The language model is unavailable right now; please try again shortly.',
  ),
  internal: errorResponse('An unexpected failure on the server', 'internal_error', 'Something went wrong on our side; please try again.'),
  // docs/SECURITY.md
  unauthorized: errorResponse(
    'API_TOKEN is set and the request lacks `Authorization: Bearer <API_TOKEN>`',
    'unauthorized',
    'This API needs the header Authorization: Bearer <API_TOKEN>.',
  ),
  rateLimited: errorResponse(
    'This client sent more than its per-minute limit (RATE_LIMIT_CHAT_PER_MINUTE, RATE_LIMIT_FEEDBACK_PER_MINUTE); see Retry-After',
    'rate_limited',
    'Too many requests: at most 30 a minute from one client. Try again in 42 seconds.',
  ),
  shuttingDown: errorResponse(
    'The server is shutting down: a request that arrives during the drain is refused (retry on another instance)',
    SHUTTING_DOWN.code,
    SHUTTING_DOWN.message,
  ),
  invalidCharacters: errorResponse(
    'A text field holds NUL (\\u0000) or an unpaired surrogate, which cannot be stored',
    'invalid_characters',
    'body.message: text must not contain NUL (\\u0000) or unpaired surrogate characters',
  ),
};

/**
 * The error statuses a route answers because of where it sits rather than what it does (src/http/errors.ts,
 * security.ts, shutdown.ts), spread into each route's `response` so /docs lists every status a route sends.
 */
/** Any route: a malformed URL, query or body, or text with NUL (400); a failure of ours (500); the drain (503). */
const anyRouteResponses = { 400: errors.badRequest, 500: errors.internal, 503: errors.shuttingDown };

export const sharedResponses = {
  any: anyRouteResponses,
  /** Routes behind API_TOKEN: everything under /api and /metrics. */
  guarded: { ...anyRouteResponses, 401: errors.unauthorized },
  /** Routes that read a JSON body. */
  jsonBody: { 413: errors.tooLarge, 415: errors.unsupportedMedia },
  /** Routes with a per-client limit (RATE_LIMIT_*_PER_MINUTE). */
  rateLimited: { 429: errors.rateLimited },
};

export const channelSchema = z.enum(CHANNELS).describe('Where the request comes from; a trace tag (`channel:web`)');

const idText = z.string().trim().min(1).max(128).regex(/^[\w:.@-]+$/, 'letters, digits and _ : . @ - only');

const sessionIdField = idText.describe(
  'The session to continue, as the server issued it (`s_…`), together with its `sessionToken`. Anything else — no id, an id ' +
    'without its token, an id this server did not issue — starts a new session, returned in the response. `tg:` ids are the ' +
    'Telegram bot\'s (x-sommelier-bot-token header only).',
);
const sessionTokenField = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe('The token issued with `sessionId`; proves the session is yours. Keep both and send them with every request.');

// --- Wines -------------------------------------------------------------------------------------------------

export const wineSummary = z
  .object({
    id: z.number().int().describe('Catalog id (`GET /api/v1/wines/{id}`)'),
    name: z.string(),
    type: z.enum(WINE_TYPES),
    country: z.string().nullable(),
    region: z.string().nullable(),
    winery: z.string().nullable(),
    grapes: z.array(z.string()).describe('Grape varieties'),
    pairings: z.array(z.string()).describe('Foods it suits (X-Wines `Harmonize`, English names such as "Beef")'),
    body: z.enum(BODIES).nullable(),
    acidity: z.enum(ACIDITIES).nullable(),
    abv: z.number().nullable().describe('Alcohol by volume, %'),
    rating: z.number().nullable().describe('Average user rating, 1–5; null when nobody rated it'),
    price: z.number().nullable().describe('Price from the shop\'s imported list; null when unknown (X-Wines has no prices)'),
    currency: z.string().nullable().describe('ISO currency of `price`, e.g. "EUR"'),
    stock: z.number().nullable().describe('Bottles in stock, from the shop\'s list; null when unknown'),
  })
  .describe('A recommended wine, everything a card shows');

export const wineDetail = wineSummary
  .extend({
    elaborate: z.string().nullable().describe('e.g. "Varietal/100%", "Assemblage/Blend"'),
    website: z.string().nullable(),
    vintages: z.array(z.union([z.number(), z.literal('N.V.')])).describe('Years, newest first; "N.V." for non-vintage'),
    ratingCount: z.number().int().describe('How many user ratings the average is over'),
  })
  .describe('A wine with every catalog field');

const exampleWine = {
  id: 182711,
  name: 'Solari',
  type: 'red',
  country: 'United States',
  region: 'Napa Valley',
  winery: 'Larkmead',
  grapes: ['Cabernet Sauvignon'],
  pairings: ['Beef', 'Lamb', 'Game Meat'],
  body: 'very_full',
  acidity: 'medium',
  abv: 14.3,
  rating: 4.81,
  price: null,
  currency: null,
  stock: null,
} as const;

// --- Chat --------------------------------------------------------------------------------------------------

export const chatBody = z
  .object({
    message: z
      .string({ error: 'message must be a string' })
      .trim()
      .min(1, 'message must not be empty')
      .max(MAX_MESSAGE_LENGTH, `message must be at most ${MAX_MESSAGE_LENGTH} characters`)
      .describe('The question, in Russian or English (at most 4,000 characters)'),
    sessionId: sessionIdField.optional(),
    sessionToken: sessionTokenField.optional(),
    userId: idText.optional().describe('Your own label for the person asking (shown in Langfuse); `tg:` ids are the bot\'s'),
    channel: channelSchema.optional(),
  })
  .strict()
  .describe('A question for the sommelier')
  .meta({
    // Named examples (OpenAPI media examples): /docs offers them in a list.
    'x-examples': {
      ru: { summary: 'По-русски, первый вопрос (новая сессия)', value: { message: 'Посоветуй красное вино к стейку', channel: 'web' } },
      en: {
        summary: 'In English, continuing a session',
        value: {
          message: 'A light white for oysters, under 12% ABV',
          sessionId: 's_3kTq8vXb0m2LwYp1Rz9aQd',
          sessionToken: 'T2sJk0h1m8Gq4VbXwZ3yRt7uLpN5cE6aKdF9oIsjQ2M',
        },
      },
    },
  });

export const usageSchema = z
  .object({ input: z.number(), output: z.number(), total: z.number() })
  .describe('LLM tokens summed over the answer\'s calls (estimates for the offline engine)');

export const chatResponse = z
  .object({
    reply: z.string().describe('The sommelier\'s answer, plain text with line breaks'),
    recommendations: z.array(wineSummary).describe('The wines the answer names, in order'),
    answerId: z.uuid().describe('This answer\'s id: send it to `POST /api/v1/feedback`'),
    sessionId: z.string().describe('The session this answer belongs to (new when the request had no valid pair)'),
    sessionToken: z.string().nullable().describe('The session\'s token; keep it with `sessionId`. Null for the bot\'s `tg:` sessions'),
    toolsUsed: z.array(z.string()).describe('Catalog tools the agent called'),
    iterations: z.number().int().describe('LLM calls made for this answer'),
    engine: z.enum(['openai', 'offline']).describe('`offline` also when the LLM failed and the fallback answered'),
    model: z.string(),
    language: z.enum(['ru', 'en']).describe('The reply\'s language'),
    traceId: z.string().nullable().describe('32-hex Langfuse trace id; null when tracing is off or the request was not sampled'),
    traceUrl: z.string().nullable().describe('Link to the trace in Langfuse, when there is one and the project id is known'),
    usage: usageSchema,
    costUsd: z.number().nullable().describe('Provider-reported cost in USD (OpenRouter); 0 offline; null when not reported'),
  })
  .describe('The answer')
  .meta({
    example: {
        reply: 'Отличный запрос — красное вино к стейку. Вот что могу предложить:\n\n1. «Solari» — Larkmead, США, Napa Valley. …',
        recommendations: [exampleWine],
        answerId: '6f1c2a5e-8d0b-4a4e-9a53-0c7d1f0b9e21',
        sessionId: 's_3kTq8vXb0m2LwYp1Rz9aQd',
        sessionToken: 'T2sJk0h1m8Gq4VbXwZ3yRt7uLpN5cE6aKdF9oIsjQ2M',
        toolsUsed: ['search_wines'],
        iterations: 2,
        engine: 'offline',
        model: 'sommelier-offline',
        language: 'ru',
        traceId: null,
        traceUrl: null,
        usage: { input: 310, output: 160, total: 470 },
        costUsd: 0,
    },
  });

export const chatStream = z
  .string()
  .describe(
    'With `Accept: text/event-stream` the answer is streamed as server-sent events:\n' +
      '- `delta` — `{"text": "…"}`: the next piece of the answer\'s text, to append;\n' +
      '- `discard` — `{}`: drop the text received so far (the model wrote something before deciding to search);\n' +
      '- `done` — the same JSON as the non-streamed response (its `reply` is the whole, authoritative text);\n' +
      '- `error` — `{"error": {"code", "message"}}` when the answer failed after the stream began.\n' +
      'Errors before the first event (a malformed request, an unavailable LLM) are ordinary JSON responses.',
  )
  .meta({
    example:
      'event: delta\ndata: {"text":"Happy to help! "}\n\nevent: delta\ndata: {"text":"Here are my picks…"}\n\nevent: done\ndata: {"reply":"Happy to help! Here are my picks…","answerId":"6f1c…","sessionId":"s_…","sessionToken":"…", …}\n\n',
  });

// --- Feedback ----------------------------------------------------------------------------------------------

export const feedbackBody = z
  .object({
    sessionId: sessionIdField.optional().describe('The session the answer was given to (required, except for the Telegram bot voting by `traceId`)'),
    sessionToken: sessionTokenField.optional(),
    answerId: z.uuid({ error: 'answerId must be the uuid from the chat response' }).optional().describe('The `answerId` of the chat response'),
    traceId: z
      .string()
      .regex(/^[0-9a-f]{32}$/, 'traceId must be the 32-hex trace id from the chat response')
      .optional()
      .describe('Alternative to `answerId`: the answer\'s trace id'),
    value: z.union([z.literal(1), z.literal(-1)], { error: 'value must be 1 (👍) or -1 (👎)' }).describe('1 = 👍, -1 = 👎'),
    comment: z.string().trim().max(1000).optional().describe('Optional words on the answer (at most 1,000 characters)'),
    userId: idText.optional(),
  })
  .strict()
  .refine((body) => body.answerId !== undefined || body.traceId !== undefined, { message: 'answerId (or traceId) is required', path: ['answerId'] })
  .describe('A vote on one answer of your session; a second vote on the same answer replaces the first')
  .meta({
    'x-examples': {
      down: {
        summary: '👎 with a comment (Russian)',
        value: {
          sessionId: 's_3kTq8vXb0m2LwYp1Rz9aQd',
          sessionToken: 'T2sJk0h1m8Gq4VbXwZ3yRt7uLpN5cE6aKdF9oIsjQ2M',
          answerId: '6f1c2a5e-8d0b-4a4e-9a53-0c7d1f0b9e21',
          value: -1,
          comment: 'Слишком дорого для ужина в будний день',
        },
      },
      up: {
        summary: '👍 (English)',
        value: {
          sessionId: 's_3kTq8vXb0m2LwYp1Rz9aQd',
          sessionToken: 'T2sJk0h1m8Gq4VbXwZ3yRt7uLpN5cE6aKdF9oIsjQ2M',
          answerId: '6f1c2a5e-8d0b-4a4e-9a53-0c7d1f0b9e21',
          value: 1,
          comment: 'Great pick for oysters',
        },
      },
    },
  });

export const feedbackResponse = z
  .object({
    id: z.string().describe('The vote\'s id (also the Langfuse score id, so a changed vote updates one score)'),
    answerId: z.string().nullable(),
    traceId: z.string().nullable(),
    value: z.number(),
    comment: z.string().nullable(),
    queuedForLangfuse: z.boolean().describe('True when the answer is traced and the `user-feedback` score is queued for Langfuse'),
  })
  .describe('The stored vote')
  .meta({
    examples: [
      { id: '0b7e…', answerId: '6f1c2a5e-8d0b-4a4e-9a53-0c7d1f0b9e21', traceId: null, value: -1, comment: 'Слишком дорого', queuedForLangfuse: false },
    ],
  });

// --- Sessions ----------------------------------------------------------------------------------------------

export const sessionParams = z.object({ sessionId: idText.describe('The session id issued with your first answer') });
export const sessionHeaders = z.object({
  'x-session-token': sessionTokenField.optional().describe('The session\'s token (required unless you are the Telegram bot)'),
});

export const sessionMessage = z
  .object({
    role: z.enum(['user', 'assistant']),
    content: z.string(),
    createdAt: z.string().describe('ISO time the turn was stored'),
    answerId: z.string().nullable().describe('Assistant turns: the answer\'s id, for feedback'),
    traceId: z.string().nullable(),
    traceUrl: z.string().nullable(),
    recommendations: z.array(wineSummary).describe('Assistant turns: the recommended wines, as the answer returned them'),
    feedback: z.object({ value: z.number(), comment: z.string().nullable() }).nullable().describe('The vote given to this answer, if any'),
  })
  .describe('One turn');

export const sessionMessages = z
  .object({ sessionId: z.string(), messages: z.array(sessionMessage).describe('Oldest first; at most the latest 200 turns') })
  .describe('The conversation so far')
  .meta({
    examples: [
      {
        sessionId: 's_3kTq8vXb0m2LwYp1Rz9aQd',
        messages: [
          { role: 'user', content: 'Посоветуй красное вино к стейку', createdAt: '2026-12-01T10:00:00.000Z', answerId: null, traceId: null, traceUrl: null, recommendations: [], feedback: null },
          {
            role: 'assistant',
            content: 'Отличный запрос — красное вино к стейку. …',
            createdAt: '2026-12-01T10:00:00.000Z',
            answerId: '6f1c2a5e-8d0b-4a4e-9a53-0c7d1f0b9e21',
            traceId: null,
            traceUrl: null,
            recommendations: [exampleWine],
            feedback: { value: -1, comment: null },
          },
        ],
      },
    ],
  });

// --- Health ------------------------------------------------------------------------------------------------

export const healthResponse = z.object({ status: z.literal('ok') }).describe('The process is up (liveness)').meta({ examples: [{ status: 'ok' }] });

export const readyResponse = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    // With API_TOKEN set, a caller without the token sees `status` only.
    version: z.string().optional(),
    checks: z
      .record(z.string(), z.unknown())
      .describe(
        '`database`: `{status: "ok", kind, wines}` or `{status: "error", message}`; `llm`: the engine and model chats use; ' +
          '`tracing`: export statistics (tracing trouble never makes the service unready)',
      )
      .optional(),
  })
  .describe('Readiness: the database answers');

export const metricsResponse = z.string().describe('Prometheus text format: chats, tokens, cost, votes (`sommelier_feedback_total`), latency, trace export');

// --- Wine search -------------------------------------------------------------------------------------------

/** Query strings arrive as text: a list is "red,white" or a repeated key. */
const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((raw) => (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

const num = z.coerce.number<string>();

export const wineQuery = z
  .object({
    q: z.string().trim().min(1).max(500).optional().describe('Free text for semantic search, e.g. "light and fruity for a picnic"'),
    type: list(WINE_TYPES).optional().describe('One or more of red, white, rose, sparkling, dessert, port (comma-separated)'),
    exclude_types: list(WINE_TYPES).optional(),
    country: z.string().trim().min(1).max(80).optional().describe('English or Russian: "France", "Франция"'),
    region: z.string().trim().min(1).max(120).optional(),
    grape: z.string().trim().min(1).max(80).optional(),
    pairing: z.string().trim().min(1).max(80).optional().describe('A food, English or Russian: "steak", "стейк"'),
    body: list(BODIES).optional(),
    acidity: list(ACIDITIES).optional(),
    min_abv: num.pipe(z.number().min(0).max(100)).optional(),
    max_abv: num.pipe(z.number().min(0).max(100)).optional(),
    min_rating: num.pipe(z.number().min(0).max(5)).optional(),
    min_price: num.pipe(z.number().min(0)).optional(),
    max_price: num.pipe(z.number().min(0)).optional(),
    sort: z.enum(WINE_SORTS).optional(),
    limit: num.pipe(z.number().int().min(1).max(50)).optional().describe('Default 20'),
    offset: num.pipe(z.number().int().min(0).max(100_000)).optional(),
  })
  .strict();

export const wineList = z.object({ wines: z.array(wineDetail), count: z.number().int() }).describe('Matching wines');
/** Wine ids are Postgres integers: a larger number is a 400, never an out-of-range error from the database. */
export const MAX_WINE_ID = 2_147_483_647;
export const wineParams = z.object({ id: z.coerce.number<string>().int().positive().max(MAX_WINE_ID) });
