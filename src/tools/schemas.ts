import { z } from 'zod';
import { ACIDITIES, BODIES, WINE_SORTS, WINE_TYPES } from '../catalog/index.js';

/**
 * Tool arguments as the LLM sends them (snake_case JSON). The same zod schemas validate the model's
 * arguments and generate the JSON Schema the model is shown, so the two cannot drift apart.
 */
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

export const searchWinesArgs = z
  .object({
    type: oneOrMany(z.enum(WINE_TYPES)).optional().describe('Wine type(s): red, white, rose, sparkling, dessert, port'),
    exclude_types: z.array(z.enum(WINE_TYPES)).optional().describe('Types to leave out, e.g. ["dessert","port"] for dry wines'),
    exclude_grapes: z.array(z.string().min(1).max(80)).max(10).optional().describe('Grapes to leave out, e.g. ["Sauvignon Blanc"] for "not Sauvignon"'),
    exclude_countries: z.array(z.string().min(1).max(80)).max(10).optional().describe('Countries to leave out'),
    exclude_regions: z.array(z.string().min(1).max(120)).max(10).optional().describe('Regions to leave out, e.g. ["Champagne"]'),
    country: z.string().min(1).max(80).optional().describe('Country in English, e.g. "France"'),
    region: z.string().min(1).max(120).optional().describe('Region name, e.g. "Bordeaux"'),
    grape: z.string().min(1).max(80).optional().describe('Grape variety, e.g. "Pinot Noir"'),
    pairing: z.string().min(1).max(80).optional().describe('A food to pair with, e.g. "beef", "shellfish", "cheese"'),
    body: oneOrMany(z.enum(BODIES)).optional().describe('Body: very_light, light, medium, full, very_full'),
    acidity: oneOrMany(z.enum(ACIDITIES)).optional().describe('Acidity: low, medium, high'),
    min_abv: z.number().min(0).max(100).optional(),
    max_abv: z.number().min(0).max(100).optional(),
    min_rating: z.number().min(0).max(5).optional().describe('Minimum average user rating, 1-5'),
    min_price: z.number().min(0).optional().describe('Only when the catalog has prices'),
    max_price: z.number().min(0).optional().describe('Only when the catalog has prices'),
    sort: z.enum(WINE_SORTS).optional().describe('Default: rating'),
    limit: z.number().int().min(1).max(20).optional().describe('Default 5'),
  })
  .strict();
export type SearchWinesArgs = z.infer<typeof searchWinesArgs>;

export const semanticSearchArgs = z
  .object({
    query: z.string().min(1).max(500).describe('Free-text description of the wanted wine or occasion, any language'),
    type: oneOrMany(z.enum(WINE_TYPES)).optional().describe('Optional hard filter on wine type'),
    exclude_types: z.array(z.enum(WINE_TYPES)).optional(),
    limit: z.number().int().min(1).max(20).optional().describe('Default 5'),
  })
  .strict();
export type SemanticSearchArgs = z.infer<typeof semanticSearchArgs>;

export const TOOL_NAMES = ['search_wines', 'semantic_search'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];
