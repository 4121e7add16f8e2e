import { z } from 'zod';
import { BODIES, WINE_TYPES } from '../catalog/index.js';
import rawQuerySet from './queries.json' with { type: 'json' };

/**
 * The eval query set (queries.json) as typed data. Expectations are written in the catalog's own terms
 * (X-Wines types, countries, grape and pairing spellings, body) and checked against the recommended wines
 * directly, never through the request-understanding code under test.
 */

export const QUERY_CLASSES = [
  'multi-constraint',
  'negation',
  'dish-modifier',
  'body-sweetness',
  'grape-synonym',
  'follow-up',
  'general',
  'off-topic',
  'unsatisfiable',
] as const;
export type QueryClass = (typeof QUERY_CLASSES)[number];

const language = z.enum(['ru', 'en']);
const names = z.array(z.string().min(1)).min(1);

export const expectationSchema = z
  .object({
    /**
     * recommend: the catalog has matching wines, the answer should name some (each meeting every constraint).
     * none: nothing matches (or the message is not about wine): the honest answer names no wine.
     * open: naming wines is optional (general questions); any wine named still must meet the constraints.
     */
    outcome: z.enum(['recommend', 'none', 'open']),
    types: z.array(z.enum(WINE_TYPES)).min(1).optional(),
    notTypes: z.array(z.enum(WINE_TYPES)).min(1).optional(),
    countries: names.optional(),
    notCountries: names.optional(),
    /** The wine has at least one of these grapes (dataset spellings; synonyms listed explicitly). */
    grapes: names.optional(),
    notGrapes: names.optional(),
    /** The wine's pairings (X-Wines Harmonize) include at least one of these. */
    pairings: names.optional(),
    bodies: z.array(z.enum(BODIES)).min(1).optional(),
    minAbv: z.number().positive().optional(),
    maxAbv: z.number().positive().optional(),
  })
  .strict();
export type Expectation = z.infer<typeof expectationSchema>;

const turnSchema = z
  .object({
    message: z.string().min(1),
    /** The language the reply should be in; defaults to the query's. */
    language: language.optional(),
    expect: expectationSchema,
  })
  .strict();

const querySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case words joined by hyphens'),
    class: z.enum(QUERY_CLASSES),
    language,
    note: z.string().optional(),
    /** A single-turn query... */
    message: z.string().min(1).optional(),
    expect: expectationSchema.optional(),
    /** ...or a conversation in one session (follow-ups). */
    turns: z.array(turnSchema).min(1).optional(),
  })
  .strict()
  .superRefine((query, ctx) => {
    const single = query.message !== undefined || query.expect !== undefined;
    if (single === (query.turns !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either message + expect or turns' });
    } else if (single && (query.message === undefined || query.expect === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a single-turn query needs both message and expect' });
    }
  })
  .transform((query) => ({
    id: query.id,
    class: query.class,
    language: query.language,
    note: query.note,
    turns: (query.turns ?? [{ message: query.message ?? '', expect: query.expect as Expectation }]).map((turn) => ({
      message: turn.message,
      language: ('language' in turn && turn.language) || query.language,
      expect: turn.expect,
    })),
  }));

const querySetSchema = z
  .object({ about: z.string(), queries: z.array(querySchema).min(1) })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    for (const query of set.queries) {
      if (seen.has(query.id)) ctx.addIssue({ code: 'custom', message: `duplicate query id ${query.id}` });
      seen.add(query.id);
    }
  });

export type EvalQuery = z.output<typeof querySchema>;
export type EvalTurn = EvalQuery['turns'][number];

/** Validates a query set (the bundled one or a file given with --queries). */
export function parseQuerySet(raw: unknown): EvalQuery[] {
  const parsed = querySetSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid query set:\n  ${issues.join('\n  ')}`);
  }
  return parsed.data.queries;
}

/** The bundled query set. */
export function bundledQueries(): EvalQuery[] {
  return parseQuerySet(rawQuerySet);
}

/** Whether a turn states any constraint a wine can be checked against. */
export function hasHardConstraints(expect: Expectation): boolean {
  return Object.entries(expect).some(([key, value]) => key !== 'outcome' && value !== undefined);
}
