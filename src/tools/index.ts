import { z } from 'zod';
import type { Catalog, Wine, WineFilters } from '../catalog/index.js';
import { deepFreeze, type ToolDefinition } from '../shared/index.js';
import { scoredContent, summarize, winesContent } from './format.js';
import type { SearchWinesArgs, SemanticSearchArgs, ToolName } from './schemas.js';
import { searchWinesArgs, semanticSearchArgs, TOOL_NAMES } from './schemas.js';
import type { ToolExecution, Toolbox } from './types.js';

export type { ToolExecution, Toolbox } from './types.js';
export { TOOL_NAMES } from './schemas.js';
export type { SearchWinesArgs, SemanticSearchArgs } from './schemas.js';

const DESCRIPTIONS: Record<ToolName, string> = {
  search_wines:
    'Find wines in the catalog by exact criteria: type, country, region, grape, a food to pair with, body, ' +
    'acidity, alcohol, minimum rating, price (only if the shop has prices). Use it whenever the request names ' +
    'concrete attributes ("a dry French red for steak", "Pinot Noir under 13%"). Returns the best-rated matches. ' +
    'Food and place names may be English or Russian. Recommend only wines this tool or semantic_search returned.',
  semantic_search:
    'Find wines by a free-text description of taste, mood or occasion ("light and fruity for a picnic", ' +
    '"something for oysters", "что-нибудь к празднику"). Use it when the request is vague or about an occasion ' +
    'rather than exact attributes, or when search_wines found nothing. Any language.',
};

/** JSON Schema for the model: zod's output without the `$schema` key, which some providers reject. */
function parametersFor(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(schema) as Record<string, unknown>;
  return parameters;
}

/** One line per problem, naming the field, so the model can correct its call. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
      // A union's own message is just "Invalid input"; its first branch says what was expected.
      const detail =
        issue.code === 'invalid_union' ? (issue.errors[0]?.[0]?.message ?? issue.message) : issue.message;
      return `${field}: ${detail}`;
    })
    .join('; ');
}

/** The tool's snake_case arguments as catalog filters (also what `GET /api/v1/wines` accepts). */
export function filtersFromArgs(args: SearchWinesArgs): WineFilters {
  return {
    type: args.type,
    excludeTypes: args.exclude_types,
    excludeGrapes: args.exclude_grapes,
    excludeCountries: args.exclude_countries,
    excludeRegions: args.exclude_regions,
    country: args.country,
    region: args.region,
    grape: args.grape,
    pairing: args.pairing,
    body: args.body,
    acidity: args.acidity,
    minAbv: args.min_abv,
    maxAbv: args.max_abv,
    minRating: args.min_rating,
    minPrice: args.min_price,
    maxPrice: args.max_price,
    sort: args.sort,
    limit: args.limit,
  };
}

function failure(name: string, error: string): ToolExecution {
  return { name, ok: false, content: JSON.stringify({ error }), wines: [], error, summary: { error } };
}

export function createToolbox(catalog: Catalog): Toolbox {
  // Frozen: the same definitions go with every model call, so their JSON is made once (src/llm/request-body.ts).
  const definitions = deepFreeze<ToolDefinition[]>([
    {
      type: 'function',
      function: { name: 'search_wines', description: DESCRIPTIONS.search_wines, parameters: parametersFor(searchWinesArgs) },
    },
    {
      type: 'function',
      function: {
        name: 'semantic_search',
        description: DESCRIPTIONS.semantic_search,
        parameters: parametersFor(semanticSearchArgs),
      },
    },
  ]);

  async function searchWines(args: SearchWinesArgs): Promise<{ wines: Wine[]; content: string }> {
    const wines = await catalog.searchWines(filtersFromArgs(args));
    return {
      wines,
      content: winesContent(wines, 'No wine matched all filters. Drop the least important filter or try semantic_search.'),
    };
  }

  async function semanticSearch(args: SemanticSearchArgs): Promise<{ wines: Wine[]; content: string }> {
    const results = await catalog.semanticSearch({
      query: args.query,
      filters: { type: args.type, excludeTypes: args.exclude_types },
      limit: args.limit,
    });
    return {
      wines: results.map((result) => result.wine),
      content: scoredContent(results, 'Nothing matched this description. Rephrase it or use search_wines with filters.'),
    };
  }

  async function run(name: string, rawArguments: string): Promise<ToolExecution> {
    if (!(TOOL_NAMES as readonly string[]).includes(name)) {
      return failure(name, `unknown tool "${name}"; available tools: ${TOOL_NAMES.join(', ')}`);
    }
    let json: unknown;
    try {
      // Some models send an empty string for "no arguments".
      json = rawArguments.trim() === '' ? {} : JSON.parse(rawArguments);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return failure(name, `arguments are not valid JSON (${reason}); send one JSON object, e.g. {"type":"red"}`);
    }
    try {
      const outcome =
        name === 'search_wines'
          ? await parseThen(searchWinesArgs, json, searchWines)
          : await parseThen(semanticSearchArgs, json, semanticSearch);
      if ('error' in outcome) return failure(name, outcome.error);
      return { name, ok: true, content: outcome.content, wines: outcome.wines, summary: summarize(outcome.wines) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return failure(name, `the catalog could not be searched (${reason}); try again later or answer without it`);
    }
  }

  return { definitions, run };
}

async function parseThen<S extends z.ZodType, R>(
  schema: S,
  json: unknown,
  handler: (args: z.infer<S>) => Promise<R>,
): Promise<R | { error: string }> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { error: `invalid arguments: ${describeIssues(parsed.error)}` };
  return handler(parsed.data);
}
