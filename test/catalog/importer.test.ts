import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { createCatalog, ImportError, importWinesCsv, parseWinesCsv } from '../../src/catalog/index.js';
import { databaseBackends, openForSuite } from '../support/database.js';
import { SHOP_CSV } from './fixtures.js';

describe('parseWinesCsv (no database)', () => {
  it('keeps good rows and reports each bad row with its number and the column at fault', () => {
    const parsed = parseWinesCsv(SHOP_CSV);
    expect(parsed.total).toBe(10);
    expect(parsed.wines.map((entry) => entry.row)).toEqual([2, 3, 10]);
    expect(parsed.rejected).toEqual([
      { row: 4, reason: expect.stringMatching(/^type: unknown wine type "Blue"/) },
      { row: 5, reason: 'name: missing' },
      { row: 6, reason: 'abv: above 100' },
      { row: 7, reason: expect.stringMatching(/^body: unknown body "creamy"/) },
      { row: 8, reason: 'price: below 0' },
      { row: 9, reason: 'expected 14 columns, found 3' },
      { row: 11, reason: 'duplicate: "Casa Nova Tinto" by Casa Nova is already row 2' },
    ]);
    expect(parsed.ignoredColumns).toEqual(['notes']);
    const [tinto, rose, port] = parsed.wines.map((entry) => entry.wine);
    expect(tinto).toMatchObject({
      type: 'red', grapes: ['Touriga Nacional', 'Tinta Roriz'], pairings: ['Beef', 'Lamb'], body: 'full',
      acidity: 'medium', abv: 13.5, price: 1290, currency: 'RUB', stock: 12, rating: null, ratingCount: 0,
    });
    expect(tinto!.id).toBeGreaterThanOrEqual(1_000_000_000);
    expect(rose).toMatchObject({ type: 'rose', grapes: ['Grenache', 'Cinsault'], body: 'light', acidity: 'high', price: 990.5, currency: 'RUB' });
    expect(port).toMatchObject({ type: 'port', body: 'very_full', acidity: 'low', price: null, currency: null });
  });

  it('derives the same id for the same name and winery in every import', () => {
    const first = parseWinesCsv('name,type,winery\nMy Wine,red,Me').wines[0]!.wine.id;
    const again = parseWinesCsv('type,winery,name\nRED,me,  my wine ').wines[0]!.wine.id;
    expect(again).toBe(first);
  });

  it('reads semicolon-separated files and X-Wines rows with ids', () => {
    const parsed = parseWinesCsv(
      'WineID;WineName;Type;Grapes;Harmonize;ABV;Body;Acidity;Country;RegionName;WineryName;Vintages\n' +
        "100001;Espumante Moscatel;Sparkling;['Muscat/Moscato'];['Pork', 'Shellfish'];7,5;Medium-bodied;High;Brazil;Serra Gaúcha;Casa Perini;[2020, 'N.V.']\n",
    );
    expect(parsed.rejected).toEqual([]);
    expect(parsed.wines[0]!.wine).toMatchObject({ id: 100001, abv: 7.5, vintages: [2020, 'N.V.'], pairings: ['Pork', 'Shellfish'] });
  });

  it('reports unreadable CSV instead of dropping it', () => {
    const parsed = parseWinesCsv('name,type\nGood,red\n"Broken,red\n');
    expect(parsed.wines).toHaveLength(1);
    expect(parsed.rejected).toHaveLength(1);
    expect(parsed.rejected[0]).toMatchObject({ row: 3, reason: expect.stringMatching(/unreadable CSV/) });
  });

  it('rejects a field longer than its limit, saying which field and how long', () => {
    const essay = 'x'.repeat(6599);
    const parsed = parseWinesCsv(`name,type,region,grapes\nGood,red,Douro,Merlot\nLong name ${essay},red,Douro,Merlot\nLong region,red,${essay},Merlot\nLong grape,red,Douro,${essay}`);
    expect(parsed.wines.map((entry) => entry.wine.name)).toEqual(['Good']);
    expect(parsed.rejected).toEqual([
      { row: 3, reason: 'name: 6,609 characters, more than the 200 allowed' },
      { row: 4, reason: 'region: 6,599 characters, more than the 150 allowed' },
      { row: 5, reason: 'grapes: an item of 6,599 characters, more than the 80 allowed' },
    ]);
  });

  it('rejects formula-like cells (=, +, -, @) in text fields and says so, but reads signed numbers as numbers', () => {
    const parsed = parseWinesCsv(
      [
        'name,type,winery,grapes,price',
        '=cmd(),red,Evil,Merlot,10',
        'Plain,red,@SUM(A1),Merlot,10',
        'Listed,red,Fine,"Merlot;+HYPERLINK(x)",10',
        'Signed,red,Fine,Merlot,+12',
        'Negative,red,Fine,Merlot,-5',
      ].join('\n'),
    );
    expect(parsed.wines.map((entry) => [entry.wine.name, entry.wine.price])).toEqual([['Signed', 12]]);
    expect(parsed.rejected).toEqual([
      { row: 2, reason: 'name: starts with "=" like a spreadsheet formula; rows with formula-like text are rejected' },
      { row: 3, reason: 'winery: starts with "@" like a spreadsheet formula; rows with formula-like text are rejected' },
      { row: 4, reason: 'grapes: starts with "+" like a spreadsheet formula; rows with formula-like text are rejected' },
      { row: 6, reason: 'price: below 0' },
    ]);
  });

  it('reports a duplicate row by the wine it repeats', () => {
    const parsed = parseWinesCsv('id,name,type,winery\n5,Alpha,red,A\n5,Beta,red,B\n,Gamma,white,G\n,gamma ,WHITE,g');
    expect(parsed.rejected).toEqual([
      { row: 3, reason: 'duplicate: "Beta" by B is already row 2 ("Alpha", the same wine id 5)' },
      { row: 5, reason: 'duplicate: "gamma" by g is already row 4' },
    ]);
  });

  it('imports orange wine as a type of its own', () => {
    const parsed = parseWinesCsv('name,type\nAmber Rkatsiteli,Orange\nSkin Contact Pinot Grigio,orange wine');
    expect(parsed.wines.map((entry) => entry.wine.type)).toEqual(['orange', 'orange']);
  });

  it('refuses a file without name or type columns', () => {
    expect(() => parseWinesCsv('title,colour\nX,red')).toThrow(ImportError);
    expect(() => parseWinesCsv('name,colour2\nX,red')).toThrow(/"type"/);
    expect(() => parseWinesCsv('')).toThrow(/empty/);
  });
});

describe.each(databaseBackends())('importWinesCsv on $name', (backend) => {
  let db: Database;

  openForSuite(backend, (opened) => {
    db = opened;
  });

  it('imports the good rows of a shop list, reports the bad ones, and is idempotent', async () => {
    const catalog = createCatalog(db);
    const progress: [number, number, string][] = [];
    const first = await importWinesCsv(db, SHOP_CSV, { onProgress: (done, total, stage) => progress.push([done, total, stage]) });
    expect(first).toMatchObject({ total: 10, inserted: 3, updated: 0 });
    expect(first.rejected.map((entry) => entry.row)).toEqual([4, 5, 6, 7, 8, 9, 11]);
    // Rows are checked, then the good ones written.
    expect(progress[0]).toEqual([0, 10, 'checking']);
    expect(progress.at(-1)).toEqual([3, 3, 'writing']);
    expect(await catalog.count()).toBe(1010);

    const again = await importWinesCsv(db, SHOP_CSV);
    expect(again).toMatchObject({ total: 10, inserted: 0, updated: 3 });
    expect(await catalog.count()).toBe(1010);

    const [tinto] = await catalog.searchWines({ country: 'Португалия', maxPrice: 2000 });
    expect(tinto).toMatchObject({ name: 'Casa Nova Tinto', price: 1290, currency: 'RUB', stock: 12 });
    const cheapest = await catalog.searchWines({ sort: 'price_asc', minPrice: 0 });
    expect(cheapest.map((wine) => wine.price)).toEqual([990.5, 1290]);
    // Imported wines are searchable by text as well.
    const rose = await catalog.semanticSearch({ query: 'розовое к морепродуктам', filters: { country: 'France' }, limit: 50 });
    expect(rose.map((result) => result.wine.name)).toContain('Brisa Rosé');
  });

  it('updates an X-Wines wine from a shop file without losing its ratings', async () => {
    const report = await importWinesCsv(
      db,
      'WineID,WineName,Type,Grapes,Harmonize,ABV,Body,Acidity,Country,RegionName,WineryName,price,currency\n' +
        "100002,Ancellotta,Red,['Ancellotta'],\"['Beef', 'Pizza']\",12.0,Medium-bodied,Medium,Brazil,Serra Gaúcha,Casa Perini,15,EUR\n",
    );
    expect(report).toMatchObject({ inserted: 0, updated: 1, rejected: [] });
    const wine = await createCatalog(db).getWine(100002);
    expect(wine).toMatchObject({ price: 15, currency: 'EUR', rating: 3.25, ratingCount: 4, pairings: ['Beef', 'Pizza'] });
  });

  it('writes nothing when the database fails part-way through an import', async () => {
    const before = await createCatalog(db).count();
    let inserts = 0;
    // The second 400-row batch fails inside the transaction: the first batch must be rolled back with it.
    const failing: Database = {
      ...db,
      kind: db.kind,
      query: (sql, params) => db.query(sql, params),
      transaction: (run) =>
        db.transaction((tx) =>
          run({
            exec: (sql) => tx.exec(sql),
            query: async (sql, params) => {
              if (sql.trimStart().startsWith('INSERT INTO wines') && ++inserts === 2) throw new Error('disk full');
              return tx.query(sql, params);
            },
          }),
        ),
    };
    const rows = Array.from({ length: 450 }, (_, index) => `Bulk wine ${index},white,Bulk winery`);
    await expect(importWinesCsv(failing, `name,type,winery\n${rows.join('\n')}`)).rejects.toThrow('disk full');
    expect(inserts).toBe(2);
    expect(await createCatalog(db).count()).toBe(before);
  });
});
