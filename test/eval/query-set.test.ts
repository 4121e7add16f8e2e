import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseWinesCsv } from '../../src/catalog/importer.js';
import { xwinesAssetsDir } from '../../src/catalog/seed.js';
import type { Wine } from '../../src/catalog/types.js';
import { brokenConstraints } from '../../src/eval/metrics.js';
import { bundledQueries, hasHardConstraints, parseQuerySet, QUERY_CLASSES, type Expectation } from '../../src/eval/query-set.js';

/**
 * The query set is judged against the bundled catalog itself, not against what any engine answers: a
 * "recommend" turn must have matching wines, a "nothing matches" turn must truly have none, and every
 * name an expectation uses must be one the catalog spells that way.
 */
let catalog: Wine[];
const queries = bundledQueries();

beforeAll(async () => {
  const parsed = parseWinesCsv(await readFile(join(xwinesAssetsDir(), 'wines.csv'), 'utf8'), 'xwines');
  catalog = parsed.wines.map(({ wine }) => wine);
});

const matches = (expect: Expectation): Wine[] => catalog.filter((wine) => brokenConstraints(wine, expect).length === 0);

describe('the bundled eval query set', () => {
  it('has at least 80 queries, half of them Russian, and every class the issue lists', () => {
    expect(queries.length).toBeGreaterThanOrEqual(80);
    expect(queries.filter((q) => q.language === 'ru').length * 2).toBeGreaterThanOrEqual(queries.length);
    for (const name of QUERY_CLASSES) expect(queries.some((q) => q.class === name), name).toBe(true);
    expect(queries.filter((q) => q.class === 'follow-up').every((q) => q.turns.length >= 2)).toBe(true);
  });

  it('names the grape synonyms the issue asks for', () => {
    const messages = queries.flatMap((q) => q.turns.map((t) => t.message.toLowerCase()));
    for (const word of ['tinto fino', 'garnacha', 'monastrell', 'primitivo']) expect(messages.some((m) => m.includes(word)), word).toBe(true);
  });

  it('each "recommend" turn has matching wines in the catalog', () => {
    const empty = queries.flatMap((q) => q.turns.filter((t) => t.expect.outcome === 'recommend' && matches(t.expect).length === 0).map(() => q.id));
    expect(empty).toEqual([]);
  });

  it('each unsatisfiable request truly has no match, so "nothing matches" is the honest answer', () => {
    const unsatisfiable = queries.filter((q) => q.class === 'unsatisfiable');
    expect(unsatisfiable.length).toBeGreaterThanOrEqual(8);
    for (const query of unsatisfiable) {
      for (const turn of query.turns) {
        expect(turn.expect.outcome, query.id).toBe('none');
        expect(hasHardConstraints(turn.expect), query.id).toBe(true);
        expect(matches(turn.expect).map((wine) => wine.name), query.id).toEqual([]);
      }
    }
  });

  it('spells grapes, pairings and countries as the catalog does (at least one name of each list exists)', () => {
    const grapes = new Set(catalog.flatMap((wine) => wine.grapes));
    const pairings = new Set(catalog.flatMap((wine) => wine.pairings));
    const countries = new Set(catalog.map((wine) => wine.country));
    const unknown: string[] = [];
    for (const query of queries) {
      for (const { expect: e } of query.turns) {
        for (const list of [e.grapes, e.notGrapes]) if (list && !list.some((g) => grapes.has(g))) unknown.push(`${query.id}: ${list.join('/')}`);
        if (e.pairings && !e.pairings.some((p) => pairings.has(p))) unknown.push(`${query.id}: ${e.pairings.join('/')}`);
        // Countries the catalog lacks appear only where nothing is expected to match.
        const named = [...(e.countries ?? []), ...(e.notCountries ?? [])];
        if (e.outcome !== 'none' && named.some((c) => !countries.has(c))) unknown.push(`${query.id}: ${named.join('/')}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('rejects a malformed query set with the path of the problem', () => {
    expect(() => parseQuerySet({ about: '', queries: [{ id: 'x', class: 'negation', language: 'ru', message: 'a' }] })).toThrow(/queries\.0: a single-turn query needs both message and expect/);
    expect(() =>
      parseQuerySet({ about: '', queries: [{ id: 'x', class: 'negation', language: 'ru', message: 'a', expect: { outcome: 'recommend', types: ['blue'] } }] }),
    ).toThrow(/queries\.0\.expect\.types/);
    const twice = { id: 'x', class: 'general', language: 'en', message: 'hi', expect: { outcome: 'open' } };
    expect(() => parseQuerySet({ about: '', queries: [twice, twice] })).toThrow(/duplicate query id x/);
  });
});
