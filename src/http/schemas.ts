import { z } from 'zod';
import { ACIDITIES, BODIES, WINE_SORTS, WINE_TYPES } from '../catalog/types.js';

export const MAX_MESSAGE_LENGTH = 4000;

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const channelSchema = z.enum(['api', 'telegram', 'web', 'cli']);

const idText = z.string().trim().min(1).max(128).regex(/^[\w:.@-]+$/, 'letters, digits and _ : . @ - only');

export const chatBody = z
  .object({
    message: z
      .string({ error: 'message must be a string' })
      .trim()
      .min(1, 'message must not be empty')
      .max(MAX_MESSAGE_LENGTH, `message must be at most ${MAX_MESSAGE_LENGTH} characters`),
    sessionId: idText.optional(),
    userId: idText.optional(),
    channel: channelSchema.optional(),
  })
  .strict();

export const wineSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(WINE_TYPES),
  country: z.string().nullable(),
  region: z.string().nullable(),
  winery: z.string().nullable(),
  grapes: z.array(z.string()),
  pairings: z.array(z.string()),
  body: z.enum(BODIES).nullable(),
  acidity: z.enum(ACIDITIES).nullable(),
  abv: z.number().nullable(),
  rating: z.number().nullable(),
});

export const wineDetail = wineSummary.extend({
  elaborate: z.string().nullable(),
  website: z.string().nullable(),
  vintages: z.array(z.union([z.number(), z.literal('N.V.')])),
  ratingCount: z.number().int(),
  price: z.number().nullable(),
  currency: z.string().nullable(),
  stock: z.number().nullable(),
});

export const chatResponse = z.object({
  reply: z.string(),
  recommendations: z.array(wineSummary),
  sessionId: z.string(),
  toolsUsed: z.array(z.string()),
  iterations: z.number().int(),
  engine: z.enum(['openai', 'offline']),
  model: z.string(),
  /** The reply's language. */
  language: z.enum(['ru', 'en']),
  traceId: z.string().nullable(),
  traceUrl: z.string().nullable(),
  usage: z.object({ input: z.number(), output: z.number(), total: z.number() }),
  costUsd: z.number().nullable(),
});

export const feedbackBody = z
  .object({
    traceId: z.string().regex(/^[0-9a-f]{32}$/, 'traceId must be the 32-hex trace id from the chat response'),
    value: z.union([z.literal(1), z.literal(-1)], { error: 'value must be 1 (👍) or -1 (👎)' }),
    comment: z.string().trim().max(1000).optional(),
    userId: idText.optional(),
  })
  .strict();

export const feedbackResponse = z.object({
  id: z.string(),
  traceId: z.string(),
  value: z.number(),
  comment: z.string().nullable(),
  queuedForLangfuse: z.boolean(),
});

/** Query strings arrive as text: a list is "red,white" or a repeated key. */
const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((raw) => (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

const num = z.coerce.number<string>();

export const wineQuery = z
  .object({
    q: z.string().trim().min(1).max(500).optional(),
    type: list(WINE_TYPES).optional(),
    exclude_types: list(WINE_TYPES).optional(),
    country: z.string().trim().min(1).max(80).optional(),
    region: z.string().trim().min(1).max(120).optional(),
    grape: z.string().trim().min(1).max(80).optional(),
    pairing: z.string().trim().min(1).max(80).optional(),
    body: list(BODIES).optional(),
    acidity: list(ACIDITIES).optional(),
    min_abv: num.pipe(z.number().min(0).max(100)).optional(),
    max_abv: num.pipe(z.number().min(0).max(100)).optional(),
    min_rating: num.pipe(z.number().min(0).max(5)).optional(),
    min_price: num.pipe(z.number().min(0)).optional(),
    max_price: num.pipe(z.number().min(0)).optional(),
    sort: z.enum(WINE_SORTS).optional(),
    limit: num.pipe(z.number().int().min(1).max(50)).optional(),
    offset: num.pipe(z.number().int().min(0).max(100_000)).optional(),
  })
  .strict();

export const wineList = z.object({ wines: z.array(wineDetail), count: z.number().int() });
export const wineParams = z.object({ id: z.coerce.number<string>().int().positive() });
