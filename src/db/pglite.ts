import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database, QueryResult, Transaction } from '../catalog/database.js';
import { finishDataDirCopy } from './data-dir-copy.js';

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

/** Where a new data directory can start from instead of running initdb. */
export interface PGliteTemplate {
  /** A ready data directory to copy (fastest). */
  dataDir(): Promise<string | null>;
  /** A `dumpDataDir()` tarball to unpack. */
  dump(): Promise<Blob | null>;
}

/**
 * Embedded Postgres persisted under `directory` (created when missing). A new directory starts as a
 * copy of the template (a migrated, seeded database) when there is one, skipping initdb.
 */
export async function openPGlite(directory: string, template?: PGliteTemplate): Promise<Database> {
  if (template) {
    if (await finishDataDirCopy(directory, template.dataDir)) return wrapPGlite(await PGlite.create(directory));
    if (!existsSync(path.join(directory, 'PG_VERSION'))) {
      const dump = await template.dump();
      if (dump) {
        await mkdir(directory, { recursive: true });
        return wrapPGlite(await PGlite.create(directory, { loadDataDir: dump }));
      }
    }
  }
  await mkdir(directory, { recursive: true });
  return wrapPGlite(await PGlite.create(directory));
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
