import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../src/catalog/index.js';
import type { Database } from '../../src/db/index.js';
import type { Catalog } from '../../src/catalog/types.js';
import { createToolbox } from '../../src/tools/index.js';
import type { Toolbox } from '../../src/tools/types.js';
import { databaseBackends, openForSuite } from '../support/database.js';

describe.each(databaseBackends())('toolbox on $name', (backend) => {
  let db: Database;
  let toolbox: Toolbox;

  openForSuite(backend, async (opened) => {
    db = opened;
    toolbox = createToolbox(createCatalog(db));
  });

  it('describes both tools with clean JSON Schemas generated from the zod schemas', () => {
    expect(toolbox.definitions.map((definition) => definition.function.name)).toEqual(['search_wines', 'semantic_search']);
    for (const { type, function: fn } of toolbox.definitions) {
      expect(type).toBe('function');
      expect(fn.description.length).toBeGreaterThan(80);
      expect(fn.parameters).not.toHaveProperty('$schema');
      expect(fn.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    }
    const search = toolbox.definitions[0]!.function.parameters as { properties: Record<string, unknown> };
    expect(Object.keys(search.properties)).toEqual(expect.arrayContaining(['type', 'pairing', 'country', 'limit']));
    expect(toolbox.definitions[1]!.function.parameters).toMatchObject({ required: ['query'] });
  });

  it('runs search_wines and returns compact JSON, the wines and a bounded summary', async () => {
    const result = await toolbox.run('search_wines', JSON.stringify({ type: 'red', pairing: 'стейк', country: 'Франция', limit: 3 }));
    expect(result.ok).toBe(true);
    expect(result.error).toBeUndefined();
    expect(result.wines).toHaveLength(3);
    const content = JSON.parse(result.content) as { count: number; wines: Record<string, unknown>[] };
    expect(content.count).toBe(3);
    for (const wine of content.wines) {
      expect(wine).toMatchObject({ type: 'red', country: 'France' });
      expect(wine.pairings).toContain('Beef');
      expect(Object.keys(wine)).not.toContain('price');
      expect(Object.keys(wine)).not.toContain('vintages');
      expect(Object.keys(wine)).not.toContain('website');
    }
    expect(result.summary).toEqual({
      count: 3,
      ids: result.wines.map((wine) => wine.id),
      names: result.wines.map((wine) => wine.name),
    });
  });

  it('runs semantic_search with a type filter', async () => {
    const result = await toolbox.run('semantic_search', '{"query":"что-нибудь к устрицам","type":["white","sparkling"],"limit":4}');
    expect(result.ok).toBe(true);
    expect(result.wines).toHaveLength(4);
    expect(result.wines.every((wine) => ['white', 'sparkling'].includes(wine.type))).toBe(true);
    const content = JSON.parse(result.content) as { wines: { match: number }[] };
    expect(content.wines[0]!.match).toBeGreaterThan(0);
  });

  it('says so, with a hint, when nothing matches', async () => {
    const result = await toolbox.run('search_wines', '{"country":"Atlantis"}');
    expect(result.ok).toBe(true);
    expect(JSON.parse(result.content)).toMatchObject({ count: 0, wines: [], hint: expect.stringContaining('filter') });
  });

  it('treats empty arguments as no filters', async () => {
    const result = await toolbox.run('search_wines', '');
    expect(result.ok).toBe(true);
    expect(result.wines).toHaveLength(5);
  });

  it('rejects invalid JSON with a message the model can act on', async () => {
    const result = await toolbox.run('search_wines', '{"type": "red",');
    expect(result).toMatchObject({ ok: false, wines: [] });
    expect(result.error).toMatch(/not valid JSON/);
    expect(JSON.parse(result.content)).toEqual({ error: result.error });
  });

  it('names every wrong field and type', async () => {
    const result = await toolbox.run('search_wines', '{"type":"blue","limit":"5","min_rating":9,"colour":"red"}');
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/type: Invalid option: expected one of "red"/);
    expect(result.error).toMatch(/limit: Invalid input: expected number, received string/);
    expect(result.error).toMatch(/min_rating: .*5/);
    expect(result.error).toMatch(/Unrecognized key: "colour"/);
    const missing = await toolbox.run('semantic_search', '{}');
    expect(missing.error).toMatch(/query: /);
    const notObject = await toolbox.run('semantic_search', '"oysters"');
    expect(notObject.error).toMatch(/expected object/);
  });

  it('refuses an unknown tool and lists the real ones', async () => {
    const result = await toolbox.run('drop_tables', '{}');
    expect(result).toMatchObject({ ok: false, name: 'drop_tables' });
    expect(result.error).toMatch(/unknown tool "drop_tables".*search_wines, semantic_search/);
  });

  it('turns a database failure into ok:false instead of throwing', async () => {
    const broken: Catalog = {
      ...createCatalog(db),
      searchWines: () => Promise.reject(new Error('connection terminated')),
      semanticSearch: () => Promise.reject(new Error('connection terminated')),
    };
    const result = await createToolbox(broken).run('search_wines', '{"type":"red"}');
    expect(result).toMatchObject({ ok: false, wines: [] });
    expect(result.error).toMatch(/catalog could not be searched \(connection terminated\)/);
    const semantic = await createToolbox(broken).run('semantic_search', '{"query":"x"}');
    expect(semantic.ok).toBe(false);
  });
});

describe('toolbox over a closed database', () => {
  it('reports the failure as ok:false', async () => {
    const backend = databaseBackends()[0]!;
    const db = await backend.open();
    const toolbox = createToolbox(createCatalog(db));
    await db.close();
    const result = await toolbox.run('search_wines', '{}');
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/catalog could not be searched/);
  });
});
