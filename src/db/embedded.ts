/**
 * Opening the embedded database with only what that needs loaded (PGlite and Node built-ins), so
 * `npm start` can begin it — the copy of the prepared database and PGlite's WebAssembly start-up — while
 * the rest of the app is still loading.
 */
import type { Database } from './database.js';
import { embeddedDatabaseDir } from './data-dir-copy.js';
import { openPGlite, type PGliteMemory } from './pglite.js';
import { findSeededDataDir } from './template-location.js';

/** Embedded PGlite under `${dataDir}/pglite`; a new one starts from the prepared database. */
export function openEmbeddedDatabase(dataDir: string, memory?: PGliteMemory): Promise<Database> {
  return openPGlite(
    embeddedDatabaseDir(dataDir),
    {
      dataDir: findSeededDataDir,
      // Only when no prepared directory exists (e.g. right after a change under src/db): load it on demand.
      dump: async () => (await import('./pglite-template.js')).readSeededTemplate(),
    },
    memory,
  );
}
