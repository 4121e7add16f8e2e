import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/app.js';
import { createCatalog, importWinesCsv } from '../../src/catalog/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { runAgent } from '../../src/agent/index.js';
import { hardConstraintViolations, type HardConstraints } from '../../src/understanding/index.js';

/** A fictional shop's list: unrated, priced, in stock, each matching an ordinary request. */
const SHOP = [
  'name,type,grapes,pairings,country,region,winery,abv,body,acidity,price,currency,stock',
  'Trois Collines Syrah,Red,Syrah/Shiraz,Beef;Lamb;Game Meat,France,Côtes-du-Rhône,Domaine Imaginaire,14,Full-bodied,Medium,24,EUR,18',
  'Reserva del Viento Malbec,Red,Malbec,Beef;Lamb,Argentina,Mendoza,Bodega Ficticia,14.5,Very full-bodied,Medium,19,EUR,30',
  'Cava Brut Inventado,Sparkling,Macabeo;Xarel-lo;Parellada,Appetizer;Shellfish;Snack,Spain,Penedès,Caves Inventades,11.5,Light-bodied,High,12,EUR,40',
  'Riesling Trocken Erfunden,White,Riesling,Spicy Food;Shellfish;Pork,Germany,Mosel,Weingut Erfunden,12,Light-bodied,High,15,EUR,0',
].join('\n');

let services: Services;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sommelier-shop-'));
  // The defaults a shop gets: its own wines boosted by CATALOG_BOOST_OWN, in-stock ones by CATALOG_BOOST_IN_STOCK.
  services = await createServices(loadConfig({ DATA_DIR: dataDir, LLM_PROVIDER: 'offline', LOG_LEVEL: 'silent' }), {
    logger: createLogger('silent'),
  });
  const report = await importWinesCsv(services.db, SHOP, { source: 'import:shop.csv' });
  expect(report).toMatchObject({ inserted: 4, rejected: [] });
  services.catalog.invalidate();
});

afterAll(async () => {
  await services?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("a shop's own wines", () => {
  const cases: [string, string, HardConstraints][] = [
    ['Syrah from the Rhône for beef', 'Trois Collines Syrah', { grape: 'Syrah/Shiraz', country: 'France', pairing: 'Beef' }],
    ['аргентинский мальбек к баранине', 'Reserva del Viento Malbec', { grape: 'Malbec', country: 'Argentina', pairing: 'Lamb' }],
    ['игристое из Испании к закускам', 'Cava Brut Inventado', { type: ['sparkling'], country: 'Spain', pairing: 'Appetizer' }],
    ['a sparkling wine from Spain for oysters', 'Cava Brut Inventado', { type: ['sparkling'], country: 'Spain', pairing: 'Shellfish' }],
  ];

  it.each(cases)('%s → recommends %s among the matching wines', async (message, shopWine, constraints) => {
    const result = await runAgent(services.deps, { message, sessionId: `shop-${message}`, userId: null, channel: 'cli' });
    expect(result.recommendations.map((wine) => wine.name)).toContain(shopWine);
    for (const wine of result.recommendations) expect(hardConstraintViolations(wine, constraints)).toEqual([]);
    // The shop's price comes with it.
    expect(result.reply).toMatch(/EUR/);
  });

  it('answers "cheaper" from the prices the shop gave', async () => {
    const say = (message: string) => runAgent(services.deps, { message, sessionId: 'shop-cheaper', userId: null, channel: 'cli' });
    await say('red wine from Argentina for lamb');
    const cheaper = await say('something cheaper?');
    expect(cheaper.recommendations[0]?.name).toBe('Reserva del Viento Malbec');
    expect(cheaper.reply).not.toMatch(/no prices/);
  });
});

describe('the rating order', () => {
  it('puts an unrated wine at a neutral prior, not below every rated one, and boosts only when asked', async () => {
    const plain = createCatalog(services.db);
    const syrahs = await plain.searchWines({ grape: 'Syrah', country: 'France', limit: 50 });
    const position = syrahs.findIndex((wine) => wine.name === 'Trois Collines Syrah');
    expect(position).toBeGreaterThan(0);
    expect(position).toBeLessThan(syrahs.length - 1);
    expect(syrahs.at(-1)?.rating).not.toBeNull();

    const boosted = createCatalog(services.db, { ranking: { ownBoost: 2, inStockBoost: 0 } });
    const [first] = await boosted.searchWines({ grape: 'Syrah', country: 'France', limit: 5 });
    expect(first?.name).toBe('Trois Collines Syrah');
    // Out of stock (stock 0): the in-stock boost does not lift it.
    const stocked = createCatalog(services.db, { ranking: { ownBoost: 0, inStockBoost: 2 } });
    const rieslings = await stocked.searchWines({ grape: 'Riesling', country: 'Germany', limit: 50 });
    expect(rieslings[0]?.name).not.toBe('Riesling Trocken Erfunden');
  });

  it('leaves out excluded grapes, countries and regions', async () => {
    const catalog = createCatalog(services.db);
    const whites = await catalog.searchWines({ type: 'white', pairing: 'Fish', excludeGrapes: ['Sauvignon Blanc'], limit: 50 });
    expect(whites.length).toBeGreaterThan(3);
    expect(whites.filter((wine) => wine.grapes.includes('Sauvignon Blanc'))).toEqual([]);
    const notFrench = await catalog.searchWines({ type: 'red', excludeCountries: ['Франция'], limit: 50 });
    expect(notFrench.filter((wine) => wine.country === 'France')).toEqual([]);
    const sparkling = await catalog.searchWines({ type: 'sparkling', excludeRegions: ['Champagne'], limit: 50 });
    expect(sparkling.length).toBeGreaterThan(10);
    expect(sparkling.filter((wine) => /champagne/i.test(wine.region ?? ''))).toEqual([]);
  });
});
