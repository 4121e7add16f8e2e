import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/app.js';
import type { Wine } from '../../src/catalog/types.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { runAgent } from '../../src/agent/index.js';
import { detectLanguage, hardConstraintViolations } from '../../src/understanding/index.js';
import { OFFLINE_REQUESTS } from '../fixtures/offline-requests.js';

/**
 * Every fixture request through the real agent loop, the real toolbox and the real X-Wines catalog on
 * embedded PGlite, answered by the offline engine: what a user without an API key gets.
 */
let services: Services;
let dataDir: string;
let catalogWines: Wine[];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sommelier-offline-'));
  services = await createServices(
    loadConfig({ DATA_DIR: dataDir, LLM_PROVIDER: 'offline', LOG_LEVEL: 'silent', AGENT_MAX_ITERATIONS: '5' }),
    { logger: createLogger('silent') },
  );
  const ids = await services.db.query<{ id: number }>('SELECT id FROM wines ORDER BY id');
  catalogWines = await services.catalog.getWines(ids.rows.map((row) => row.id));
});

afterAll(async () => {
  await services?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('offline sommelier on the fixture requests', () => {
  it('has the whole catalog to judge against', () => {
    expect(catalogWines.length).toBeGreaterThan(1000);
  });

  it.each(OFFLINE_REQUESTS.map((request) => [request.message, request] as const))('%s', async (_message, request) => {
    const result = await runAgent(services.deps, {
      message: request.message,
      sessionId: `fixture-${request.message}`,
      userId: null,
      channel: 'cli',
    });
    expect(result.engine).toBe('offline');
    expect(result.toolsUsed).toContain('search_wines');
    expect(detectLanguage(result.reply)).toBe(detectLanguage(request.message));

    for (const wine of result.recommendations) {
      expect({ wine: wine.name, broken: hardConstraintViolations(wine, request.constraints) }).toEqual({ wine: wine.name, broken: [] });
      expect(result.reply).toContain(wine.name);
    }
    const matchesInCatalog = catalogWines.filter((wine) => hardConstraintViolations(wine, request.constraints).length === 0).length;
    expect(matchesInCatalog).toBeGreaterThan(0);
    if (matchesInCatalog >= 3) expect(result.recommendations.length).toBeGreaterThanOrEqual(3);
    else expect(result.recommendations.length).toBe(matchesInCatalog);
  });
});

describe('offline sommelier in a conversation', () => {
  const say = (message: string) =>
    runAgent(services.deps, { message, sessionId: 'conversation-1', userId: 'u-1', channel: 'web' });

  it('refines the earlier request on follow-ups and switches language with the user', async () => {
    const first = await say('красное сухое к стейку');
    expect(first.recommendations.length).toBeGreaterThanOrEqual(3);

    const cheaper = await say('а подешевле?');
    expect(cheaper.reply).toMatch(/Цен в каталоге нет/);
    expect(cheaper.recommendations.length).toBeGreaterThanOrEqual(3);
    for (const wine of cheaper.recommendations) expect(hardConstraintViolations(wine, { type: ['red'], pairing: 'Beef' })).toEqual([]);
    // Asked again, it shows other bottles rather than repeating the first answer.
    const firstIds = new Set(first.recommendations.map((wine) => wine.id));
    expect(cheaper.recommendations.some((wine) => !firstIds.has(wine.id))).toBe(true);

    const lighter = await say('something lighter?');
    expect(detectLanguage(lighter.reply)).toBe('en');
    expect(lighter.recommendations.length).toBeGreaterThanOrEqual(3);
    for (const wine of lighter.recommendations) {
      expect(hardConstraintViolations(wine, { type: ['red'], pairing: 'Beef', body: ['very_light', 'light', 'medium'] })).toEqual([]);
    }
  });
});
