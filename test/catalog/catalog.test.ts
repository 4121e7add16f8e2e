import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { createCatalog, fold, seedCatalogIfEmpty } from '../../src/catalog/index.js';
import type { SemanticCatalog } from '../../src/catalog/index.js';
import type { Wine, WineFilters } from '../../src/catalog/types.js';
import { ACIDITIES, BODIES, WINE_SORTS, WINE_TYPES } from '../../src/catalog/types.js';
import { databaseBackends, openForSuite } from '../support/database.js';

const names = (wines: Wine[]) => wines.map((wine) => wine.name);

describe.each(databaseBackends())('catalog on $name', (backend) => {
  let db: Database;
  let catalog: SemanticCatalog;

  openForSuite(backend, async (opened) => {
    db = opened;
    catalog = createCatalog(db);
  });

  describe('seed', () => {
    it('holds the 1,007 X-Wines wines with rating aggregates', async () => {
      expect(await catalog.count()).toBe(1007);
      const wine = await catalog.getWine(100001);
      expect(wine).toMatchObject({
        name: 'Espumante Moscatel',
        type: 'sparkling',
        grapes: ['Muscat/Moscato'],
        pairings: ['Pork', 'Rich Fish', 'Shellfish'],
        body: 'medium',
        acidity: 'high',
        abv: 7.5,
        country: 'Brazil',
        region: 'Serra Gaúcha',
        winery: 'Casa Perini',
        rating: 3.838,
        ratingCount: 520,
        price: null,
        currency: null,
        stock: null,
      });
      expect(wine?.vintages[0]).toBe(2020);
      expect(wine?.vintages.at(-1)).toBe('N.V.');
    });

    it('normalises every type and body of the dataset', async () => {
      const rows = await db.query<{ type: string; n: number }>('SELECT type, count(*)::integer AS n FROM wines GROUP BY type');
      expect(Object.fromEntries(rows.rows.map((row) => [row.type, row.n]))).toEqual({
        red: 505, white: 233, sparkling: 100, rose: 85, dessert: 59, port: 25,
      });
      const bodies = await db.query<{ body: string }>('SELECT DISTINCT body FROM wines ORDER BY body');
      expect(bodies.rows.map((row) => row.body)).toEqual(['full', 'light', 'medium', 'very_full', 'very_light']);
    });

    it('does nothing when the catalog already has wines', async () => {
      expect(await seedCatalogIfEmpty(db)).toEqual({ seeded: false, count: 1007 });
    });

    it('never invents prices', async () => {
      const priced = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM wines WHERE price IS NOT NULL');
      expect(priced.rows[0]?.n).toBe(0);
    });
  });

  describe('searchWines', () => {
    it('defaults to five wines, best rated first, ties broken by rating count', async () => {
      const wines = await catalog.searchWines({});
      expect(wines).toHaveLength(5);
      for (let index = 1; index < wines.length; index += 1) {
        const [before, after] = [wines[index - 1]!, wines[index]!];
        expect(before.rating!).toBeGreaterThanOrEqual(after.rating!);
        if (before.rating === after.rating) expect(before.ratingCount).toBeGreaterThanOrEqual(after.ratingCount);
      }
    });

    it('caps the limit at 50 and pages with offset', async () => {
      expect(await catalog.searchWines({ limit: 500 })).toHaveLength(50);
      const first = await catalog.searchWines({ limit: 10 });
      const second = await catalog.searchWines({ limit: 5, offset: 5 });
      expect(second.map((wine) => wine.id)).toEqual(first.slice(5).map((wine) => wine.id));
    });

    it('filters by one type, several types and excluded types', async () => {
      expect((await catalog.searchWines({ type: 'rose', limit: 50 })).every((wine) => wine.type === 'rose')).toBe(true);
      const mixed = await catalog.searchWines({ type: ['dessert', 'port'], limit: 50 });
      expect(new Set(mixed.map((wine) => wine.type))).toEqual(new Set(['dessert', 'port']));
      const dry = await catalog.searchWines({ excludeTypes: ['dessert', 'port', 'red'], limit: 50 });
      expect(dry.length).toBe(50);
      expect(dry.some((wine) => ['dessert', 'port', 'red'].includes(wine.type))).toBe(false);
    });

    it('matches country in any case and in Russian', async () => {
      for (const country of ['France', 'france', 'FRANCE', 'Франция', 'французское', 'из Франции']) {
        const wines = await catalog.searchWines({ country, limit: 20 });
        expect(wines, country).toHaveLength(20);
        expect(wines.every((wine) => wine.country === 'France'), country).toBe(true);
      }
      expect((await catalog.searchWines({ country: 'Италия' }))[0]?.country).toBe('Italy');
      expect((await catalog.searchWines({ country: 'USA' }))[0]?.country).toBe('United States');
      expect((await catalog.searchWines({ country: 'Новая Зеландия' }))[0]?.country).toBe('New Zealand');
      expect(await catalog.searchWines({ country: 'Atlantis' })).toEqual([]);
    });

    it('matches a region with its sub-regions, accents and Russian names', async () => {
      const bordeaux = await catalog.searchWines({ region: 'Бордо', limit: 50 });
      expect(bordeaux.length).toBeGreaterThan(20);
      expect(bordeaux.every((wine) => wine.country === 'France')).toBe(true);
      expect(new Set(bordeaux.map((wine) => wine.region))).toContain('Pauillac');
      expect(new Set(bordeaux.map((wine) => wine.region))).toContain('Bordeaux');
      const emilion = await catalog.searchWines({ region: 'saint-emilion' });
      expect(emilion.length).toBeGreaterThan(0);
      expect(emilion.every((wine) => wine.region === 'Saint-Émilion Grand Cru')).toBe(true);
      const tuscany = await catalog.searchWines({ region: 'Тоскана', limit: 50 });
      expect(tuscany.length).toBeGreaterThan(0);
      expect(tuscany.every((wine) => wine.country === 'Italy')).toBe(true);
    });

    it('matches grapes by name, synonym and Russian name', async () => {
      const pinot = await catalog.searchWines({ grape: 'Пино Нуар', limit: 50 });
      expect(pinot.length).toBe(50);
      expect(pinot.every((wine) => wine.grapes.some((grape) => ['Pinot Noir', 'Spätburgunder', 'Pinot Nero'].includes(grape)))).toBe(true);
      expect(pinot.some((wine) => wine.grapes.includes('Spätburgunder'))).toBe(true);
      const shiraz = await catalog.searchWines({ grape: 'shiraz' });
      expect(shiraz.every((wine) => wine.grapes.includes('Syrah/Shiraz'))).toBe(true);
      const cabernet = await catalog.searchWines({ grape: 'Каберне', limit: 50 });
      expect(cabernet.every((wine) => wine.grapes.some((grape) => grape.startsWith('Cabernet')))).toBe(true);
      // Not in the vocabulary: a substring of the stored name still finds it.
      const touriga = await catalog.searchWines({ grape: 'touriga' });
      expect(touriga.length).toBeGreaterThan(0);
      expect(touriga.every((wine) => wine.grapes.some((grape) => grape.startsWith('Touriga')))).toBe(true);
    });

    it('pairs English and Russian food words with the dataset categories', async () => {
      for (const pairing of ['steak', 'стейк', 'стейку', 'стейка', 'Beef', 'говядина']) {
        const wines = await catalog.searchWines({ pairing, limit: 20 });
        expect(wines, pairing).toHaveLength(20);
        expect(wines.every((wine) => wine.pairings.includes('Beef')), pairing).toBe(true);
      }
      const fish = await catalog.searchWines({ pairing: 'рыба', limit: 50 });
      expect(fish.every((wine) => wine.pairings.some((p) => /fish|seafood/i.test(p)))).toBe(true);
      expect(new Set(fish.flatMap((wine) => wine.pairings))).toContain('Lean Fish');
      const cheese = await catalog.searchWines({ pairing: 'сыр', limit: 50 });
      expect(cheese.every((wine) => wine.pairings.some((p) => /cheese/i.test(p)))).toBe(true);
      const oysters = await catalog.searchWines({ pairing: 'oysters' });
      expect(oysters.every((wine) => wine.pairings.some((p) => ['Shellfish', 'Seafood'].includes(p)))).toBe(true);
      expect(await catalog.searchWines({ pairing: 'bicycle' })).toEqual([]);
    });

    it('filters by body, acidity, alcohol and rating', async () => {
      const light = await catalog.searchWines({ body: ['very_light', 'light'], acidity: 'high', limit: 50 });
      expect(light.length).toBeGreaterThan(0);
      expect(light.every((wine) => ['very_light', 'light'].includes(wine.body!) && wine.acidity === 'high')).toBe(true);
      const moderate = await catalog.searchWines({ minAbv: 12, maxAbv: 12.5, limit: 50 });
      expect(moderate.every((wine) => wine.abv! >= 12 && wine.abv! <= 12.5)).toBe(true);
      const top = await catalog.searchWines({ minRating: 4.5, limit: 50 });
      expect(top.every((wine) => wine.rating! >= 4.5)).toBe(true);
    });

    it('sorts by every supported order', async () => {
      const abv = await catalog.searchWines({ sort: 'abv_asc', limit: 10 });
      expect(abv.map((wine) => wine.abv)).toEqual([...abv.map((wine) => wine.abv)].sort((a, b) => a! - b!));
      const strong = await catalog.searchWines({ sort: 'abv_desc', limit: 3 });
      expect(strong[0]?.abv).toBe(50);
      const popular = await catalog.searchWines({ sort: 'popularity', limit: 5 });
      expect(popular.map((wine) => wine.ratingCount)).toEqual([...popular.map((wine) => wine.ratingCount)].sort((a, b) => b - a));
      const byName = await catalog.searchWines({ sort: 'name', limit: 5 });
      expect(byName.map((wine) => wine.name)).toEqual([...names(byName)].sort());
      // No prices in X-Wines: price filters find nothing rather than guessing.
      expect(await catalog.searchWines({ maxPrice: 1000 })).toEqual([]);
      expect(await catalog.searchWines({ sort: 'price_asc' })).toHaveLength(5);
    });

    it('returns only wines that satisfy every filter it was given (property)', async () => {
      const filters = fc.record(
        {
          type: fc.oneof(fc.constantFrom(...WINE_TYPES), fc.subarray([...WINE_TYPES], { minLength: 1 })),
          excludeTypes: fc.subarray([...WINE_TYPES]),
          country: fc.constantFrom('France', 'italy', 'Испания', 'Portugal', 'United States', 'Chile'),
          grape: fc.constantFrom('Merlot', 'Chardonnay', 'Пино Нуар', 'Riesling', 'Malbec'),
          pairing: fc.constantFrom('steak', 'рыба', 'сыр', 'Poultry', 'pasta', 'oysters'),
          body: fc.subarray([...BODIES], { minLength: 1 }),
          acidity: fc.constantFrom(...ACIDITIES),
          minAbv: fc.integer({ min: 5, max: 14 }),
          maxAbv: fc.integer({ min: 10, max: 20 }),
          minRating: fc.double({ min: 1, max: 5, noNaN: true }),
          sort: fc.constantFrom(...WINE_SORTS),
          limit: fc.integer({ min: 1, max: 60 }),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(filters, async (given: WineFilters) => {
          const wines = await catalog.searchWines(given);
          expect(wines.length).toBeLessThanOrEqual(Math.min(given.limit ?? 5, 50));
          for (const wine of wines) {
            if (given.type) expect([given.type].flat()).toContain(wine.type);
            if (given.excludeTypes) expect(given.excludeTypes).not.toContain(wine.type);
            if (given.country) expect(wine.country).toBeTruthy();
            if (given.body) expect([given.body].flat()).toContain(wine.body);
            if (given.acidity) expect(wine.acidity).toBe(given.acidity);
            if (given.minAbv !== undefined) expect(wine.abv!).toBeGreaterThanOrEqual(given.minAbv);
            if (given.maxAbv !== undefined) expect(wine.abv!).toBeLessThanOrEqual(given.maxAbv);
            if (given.minRating !== undefined) expect(wine.rating!).toBeGreaterThanOrEqual(given.minRating - 1e-3);
            if (given.grape === 'Merlot') expect(wine.grapes).toContain('Merlot');
            // Chicken and duck are poultry: the dataset names them separately on a few wines.
            if (given.pairing === 'Poultry') expect(wine.pairings.some((p) => ['Poultry', 'Chicken', 'Duck'].includes(p))).toBe(true);
            if (given.pairing === 'steak') expect(wine.pairings).toContain('Beef');
            if (given.country === 'France') expect(wine.country).toBe('France');
            if (given.country === 'Испания') expect(wine.country).toBe('Spain');
            if (given.country === 'italy') expect(fold(wine.country!)).toBe('italy');
          }
        }),
        { numRuns: 60 },
      );
    });

    it('reads wines by id, keeping the requested order and skipping unknown ids', async () => {
      expect(await catalog.getWine(1)).toBeNull();
      const wines = await catalog.getWines([100002, 999, 100001, 100002]);
      expect(wines.map((wine) => wine.id)).toEqual([100002, 100001]);
      expect(await catalog.getWines([])).toEqual([]);
    });
  });

  describe('semanticSearch (full text, offline)', () => {
    it('finds light fruity picnic wines in English and in Russian', async () => {
      for (const query of ['light and fruity for a picnic', 'лёгкое фруктовое для пикника', 'Легкое фруктовое вино на пикник']) {
        const results = await catalog.semanticSearch({ query });
        expect(results, query).toHaveLength(5);
        expect(catalog.lastSemanticMethod).toBe('fulltext');
        for (const { wine, score } of results) {
          expect(score).toBeGreaterThan(0);
          expect(['very_light', 'light'], `${query}: ${wine.name}`).toContain(wine.body);
          expect(['dessert', 'port']).not.toContain(wine.type);
        }
      }
    });

    it('pairs oysters with shellfish wines', async () => {
      const results = await catalog.semanticSearch({ query: 'something to go with oysters', limit: 10 });
      expect(results).toHaveLength(10);
      for (const { wine } of results) expect(wine.pairings.some((p) => ['Shellfish', 'Seafood'].includes(p))).toBe(true);
      const russian = await catalog.semanticSearch({ query: 'что-нибудь к устрицам' });
      expect(russian.every(({ wine }) => wine.pairings.includes('Shellfish') || wine.pairings.includes('Seafood'))).toBe(true);
    });

    it('finds sparkling wine for a celebration and ranks by relevance first', async () => {
      const results = await catalog.semanticSearch({ query: 'игристое на праздник' });
      expect(results.length).toBeGreaterThan(0);
      expect(results.every(({ wine }) => wine.type === 'sparkling')).toBe(true);
      const scores = results.map((result) => result.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('applies hard filters before ranking', async () => {
      const results = await catalog.semanticSearch({ query: 'steak dinner', filters: { type: 'red', country: 'Argentina' } });
      expect(results.length).toBeGreaterThan(0);
      expect(results.every(({ wine }) => wine.type === 'red' && wine.country === 'Argentina')).toBe(true);
    });

    it('falls back to any-word matching when no wine has every word', async () => {
      const results = await catalog.semanticSearch({ query: 'Malbec zzzunknownword' });
      expect(catalog.lastSemanticMethod).toBe('fulltext-any');
      expect(results.length).toBeGreaterThan(0);
      expect(results.every(({ wine }) => wine.grapes.includes('Malbec') || /malbec/i.test(wine.name))).toBe(true);
    });

    it('returns the best-rated wines for a request with no searchable word', async () => {
      const results = await catalog.semanticSearch({ query: 'посоветуй вино', filters: { type: 'white' } });
      expect(catalog.lastSemanticMethod).toBe('rating');
      expect(results).toHaveLength(5);
      expect(results.every(({ wine }) => wine.type === 'white')).toBe(true);
    });

    it('cannot be steered by tsquery syntax in the text', async () => {
      const results = await catalog.semanticSearch({ query: "red & ! | ( ' :* <-> \\ oysters" });
      expect(Array.isArray(results)).toBe(true);
    });
  });
});
