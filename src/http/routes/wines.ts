import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { WineFilters } from '../../catalog/index.js';
import { filtersFromArgs } from '../../tools/index.js';
import { HttpError } from '../errors.js';
import { errors, sharedResponses, wineDetail, wineList, wineParams, wineQuery } from '../schemas.js';

type WineQuery = z.infer<typeof wineQuery>;

/**
 * ABV and rating are compared as Postgres `real`, which cannot hold magnitudes below ~1e-38: 1e-300
 * would be a database error (a 500) instead of "0". Four decimals are more than either field has.
 */
const comparable = (value: number | undefined): number | undefined => (value === undefined ? undefined : Math.round(value * 1e4) / 1e4);

const toFilters = ({ q: _q, offset, limit, min_abv, max_abv, min_rating, ...args }: WineQuery): WineFilters => ({
  ...filtersFromArgs({ ...args, min_abv: comparable(min_abv), max_abv: comparable(max_abv), min_rating: comparable(min_rating) }),
  limit: limit ?? 20,
  offset,
});

export const wineRoutes: FastifyPluginAsyncZod = async (server) => {
  server.get(
    '/wines',
    {
      schema: {
        summary: 'Search the catalog: the filters of the search_wines tool, or q for semantic search',
        tags: ['wines'],
        querystring: wineQuery,
        response: { 200: wineList, ...sharedResponses.guarded },
      },
    },
    async (request) => {
      const filters = toFilters(request.query);
      const wines = request.query.q
        ? (await server.catalog.semanticSearch({ query: request.query.q, filters, limit: filters.limit })).map((hit) => hit.wine)
        : await server.catalog.searchWines(filters);
      return { wines, count: wines.length };
    },
  );

  server.get(
    '/wines/:id',
    { schema: { summary: 'One wine', tags: ['wines'], params: wineParams, response: { 200: wineDetail, ...sharedResponses.guarded, 404: errors.wineNotFound } } },
    async (request) => {
      const wine = await server.catalog.getWine(request.params.id);
      if (!wine) throw new HttpError(404, 'wine_not_found', `No wine with id ${request.params.id}`);
      return wine;
    },
  );
};
