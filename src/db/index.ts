import type { Config } from '../config/index.js';
import type { Database } from './database.js';
import { openEmbeddedDatabase } from './embedded.js';
import { openPostgres } from './postgres.js';

export { migrate, MIGRATIONS } from './migrations.js';
export type { Migration } from './migrations.js';
export { DEFAULT_PGLITE_MEMORY, openMemoryPGlite, openPGlite, sharedBuffersFor, wrapPGlite } from './pglite.js';
export type { PGliteMemory } from './pglite.js';
export { openPostgres } from './postgres.js';
export { openEmbeddedDatabase } from './embedded.js';
export { findSeededDataDir, preparePGliteTemplate, readSeededTemplate } from './pglite-template.js';
export type { PreparedTemplate } from './pglite-template.js';
export type { Database, Queryable, QueryResult, Transaction } from './database.js';
export { startRetention } from './retention.js';

/** Opens the configured database: embedded PGlite under `${dataDir}/pglite`, or server Postgres by URL. */
export async function openDatabase(config: Config['database'], memory?: Config['embeddedMemory']): Promise<Database> {
  if (config.kind === 'postgres') return openPostgres(config.url);
  return openEmbeddedDatabase(config.dataDir, memory);
}
