import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
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

/** Copies a directory tree with the file copies in parallel (several times faster than `fs.cp` here). */
async function copyTree(source: string, destination: string): Promise<void> {
  const entries = await readdir(source, { withFileTypes: true, recursive: true });
  const target = (entry: { parentPath: string; name: string }) =>
    path.join(destination, path.relative(source, path.join(entry.parentPath, entry.name)));
  for (const entry of entries) if (entry.isDirectory()) await mkdir(target(entry), { recursive: true });
  await Promise.all(entries.filter((entry) => entry.isFile()).map((entry) => copyFile(path.join(entry.parentPath, entry.name), target(entry))));
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
  const isNew = !existsSync(path.join(directory, 'PG_VERSION'));
  await mkdir(directory, { recursive: true });
  if (isNew && template) {
    const source = await template.dataDir();
    if (source) {
      await copyTree(source, directory);
      return wrapPGlite(await PGlite.create(directory));
    }
    const dump = await template.dump();
    if (dump) return wrapPGlite(await PGlite.create(directory, { loadDataDir: dump }));
  }
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
