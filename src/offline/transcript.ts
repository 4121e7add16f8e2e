import { z } from 'zod';
import { foldedWords, normalizeAcidity, normalizeBody, normalizeWineType, type Acidity, type Body, type WineType } from '../catalog/index.js';
import { deepFreeze, moduleCache, type ChatMessage } from '../shared/index.js';
import type { WineFacts } from '../understanding/index.js';

/** A wine as the offline engine reads it back from a tool result. */
export interface ToolWine extends WineFacts {
  id: number;
  name: string;
  winery: string | null;
  /** How many ratings the average rests on; null when the tool did not say. */
  ratingCount: number | null;
  /**
   * The name and producer as folded words, made once when the wine is read: every reply compares them with
   * its lines and with earlier replies, the form the agent loop finds names in a reply by.
   */
  foldedName: string;
  foldedWinery: string;
  price: number | null;
  currency: string | null;
}

export interface ToolRound {
  calls: {
    id: string;
    name: string;
    /** The parsed JSON arguments, or null when they were not JSON. */
    args: Record<string, unknown> | null;
    wines: readonly ToolWine[];
    error: string | null;
  }[];
}

/** The part of the conversation the offline engine reasons about. */
export interface Transcript {
  /** Every user message, oldest first. */
  userMessages: string[];
  /** Assistant replies before the latest user message (to avoid repeating earlier picks). */
  earlierReplies: string[];
  /** Tool rounds after the latest user message, in order. */
  rounds: ToolRound[];
  /** The conversation ends with the user's message (no tools have run for it yet). */
  awaitingTools: boolean;
}

/** Our enum ("port") or the dataset's and a shop's wording ("Dessert/Port", "Rosé", "Красное"). */
function wineType(value: unknown): WineType | null {
  return typeof value === 'string' ? normalizeWineType(value) : null;
}

/** Our enum ("very_full") or the dataset's wording ("Full-bodied", "Very light-bodied"). */
function wineBody(value: unknown): Body | null {
  return typeof value === 'string' ? normalizeBody(value) : null;
}

function wineAcidity(value: unknown): Acidity | null {
  return typeof value === 'string' ? normalizeAcidity(value) : null;
}

const text = z.string().nullish().catch(null);
const num = z.coerce.number().finite().nullish().catch(null);
const strings = z
  .array(z.unknown())
  .catch([])
  .transform((items) => items.filter((item): item is string => typeof item === 'string'));

const toolWineSchema = z
  .object({
    id: z.coerce.number().int(),
    name: z.string().min(1),
    type: z.unknown(),
    grapes: strings.optional(),
    pairings: strings.optional(),
    body: z.unknown(),
    acidity: z.unknown(),
    abv: num,
    country: text,
    region: text,
    winery: text,
    rating: num,
    ratingCount: num,
    rating_count: num,
    price: num,
    currency: text,
  })
  .transform(
    (w): ToolWine => ({
      id: w.id,
      name: w.name,
      type: wineType(w.type),
      grapes: w.grapes ?? [],
      pairings: w.pairings ?? [],
      body: wineBody(w.body),
      acidity: wineAcidity(w.acidity),
      abv: w.abv ?? null,
      country: w.country ?? null,
      region: w.region ?? null,
      winery: w.winery ?? null,
      foldedName: foldedWords(w.name),
      foldedWinery: foldedWords(w.winery ?? ''),
      rating: w.rating ?? null,
      ratingCount: w.ratingCount ?? w.rating_count ?? null,
      price: w.price ?? null,
      currency: w.currency ?? null,
    }),
  );

const toolPayloadSchema = z.object({ wines: z.array(z.unknown()).optional(), error: z.unknown().optional() }).passthrough();

/**
 * Tool results repeat (popular searches, every model call of a turn re-reads the turn's results), so
 * their readings are kept; frozen because every reader shares them.
 */
const recentToolReadings = moduleCache<string, ToolReading>('offline/transcript.recentToolReadings', 500);

type ToolReading = { readonly wines: readonly ToolWine[]; readonly error: string | null };

/** Reads a tool message: wines it returned (invalid entries skipped) or the error it reported. */
export function readToolContent(content: string): ToolReading {
  let reading = recentToolReadings.get(content);
  if (reading === undefined) {
    reading = deepFreeze(parseToolContent(content));
    recentToolReadings.set(content, reading);
  }
  return reading;
}

function parseToolContent(content: string): { wines: ToolWine[]; error: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { wines: [], error: content.slice(0, 200) || 'empty tool result' };
  }
  const payload = toolPayloadSchema.safeParse(parsed);
  if (!payload.success) return { wines: [], error: 'unreadable tool result' };
  const wines = (payload.data.wines ?? []).flatMap((item) => {
    const wine = toolWineSchema.safeParse(item);
    return wine.success ? [wine.data] : [];
  });
  const error = payload.data.error;
  if (error !== undefined && error !== null && wines.length === 0) {
    return { wines, error: typeof error === 'string' ? error : JSON.stringify(error).slice(0, 200) };
  }
  return { wines, error: payload.data.wines === undefined ? 'no wines in tool result' : null };
}

function parseArgs(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Splits the conversation into what the user said, earlier replies and the tool rounds of this turn. */
export function readTranscript(messages: readonly ChatMessage[]): Transcript {
  const lastUser = messages.findLastIndex((m) => m.role === 'user');
  const userMessages = messages.flatMap((m) => (m.role === 'user' && typeof m.content === 'string' ? [m.content] : []));
  const earlierReplies = messages
    .slice(0, Math.max(lastUser, 0))
    .flatMap((m) => (m.role === 'assistant' && typeof m.content === 'string' ? [m.content] : []));

  const results = new Map<string, string>();
  for (const m of messages.slice(lastUser + 1)) {
    if (m.role === 'tool') results.set(m.tool_call_id, typeof m.content === 'string' ? m.content : '');
  }
  const rounds: ToolRound[] = [];
  for (const m of messages.slice(lastUser + 1)) {
    if (m.role !== 'assistant' || !m.tool_calls?.length) continue;
    rounds.push({
      calls: m.tool_calls.map((call) => {
        const content = results.get(call.id);
        const read = content === undefined ? { wines: [], error: 'no result' } : readToolContent(content);
        return { id: call.id, name: call.function.name, args: parseArgs(call.function.arguments), ...read };
      }),
    });
  }
  const last = messages.at(-1);
  return { userMessages, earlierReplies, rounds, awaitingTools: last?.role === 'user' };
}
