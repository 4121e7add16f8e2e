import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database, QueryResult, Transaction } from '../catalog/database.js';

/** Wraps an open PGlite instance; PGlite runs one statement at a time, so there is no pool to manage. */
export function wrapPGlite(pglite: PGlite): Database {
  return {
    kind: 'pglite',
    async query<Row>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
      const result = await pglite.query<Row>(sql, params);
      return { rows: result.rows };
    },
    async exec(sql: string): Promise<void> {
      await pglite.exec(sql);
    },
    transaction<T>(run: (tx: Transaction) => Promise<T>): Promise<T> {
      return pglite.transaction((tx) =>
        run({
          async query<Row>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
            const result = await tx.query<Row>(sql, params);
            return { rows: result.rows };
          },
          async exec(sql: string): Promise<void> {
            await tx.exec(sql);
          },
        }),
      );
    },
    // PGlite 0.5 ships no pgvector build, so vectors are ranked in the app.
    hasVector: async () => false,
    close: () => pglite.close(),
  };
}

/**
 * Embedded Postgres persisted under `directory` (created when missing). A new directory starts from
 * `template` (a dump of a migrated, seeded database) when one is given, skipping initdb.
 */
export async function openPGlite(directory: string, template?: () => Promise<Blob | null>): Promise<Database> {
  const isNew = !existsSync(path.join(directory, 'PG_VERSION'));
  await mkdir(directory, { recursive: true });
  const loadDataDir = isNew && template ? await template() : null;
  return wrapPGlite(await PGlite.create(directory, loadDataDir ? { loadDataDir } : {}));
}

/**
 * An in-memory PGlite, optionally started from a `dumpDataDir()` tarball: restoring a dump skips initdb,
 * which is most of PGlite's start-up time.
 */
export async function openMemoryPGlite(options: { loadDataDir?: Blob } = {}): Promise<Database> {
  const pglite = options.loadDataDir ? await PGlite.create({ loadDataDir: options.loadDataDir }) : await PGlite.create();
  return wrapPGlite(pglite);
}

/** Tarball of a PGlite instance's data directory, for `openMemoryPGlite({ loadDataDir })`. */
export async function dumpPGlite(pglite: PGlite): Promise<Blob> {
  return pglite.dumpDataDir('none');
}
