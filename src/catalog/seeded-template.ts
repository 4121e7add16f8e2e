import { preparePGliteTemplate, type PreparedTemplate } from '../db/index.js';
import { seedCatalogIfEmpty } from './seed.js';

/**
 * The embedded database `npm install` prepares (scripts/prepare-pglite.ts) and new PGlite databases start
 * from: migrated and seeded with the X-Wines catalog, so the first start skips both initdb and the seed.
 */
export function prepareSeededTemplate(): Promise<PreparedTemplate> {
  return preparePGliteTemplate(seedCatalogIfEmpty);
}
