import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database, QueryResult, Transaction } from './database.js';
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

/** Postgres memory settings of the embedded database (Postgres units: "16MB", "512kB"). */
export interface PGliteMemory {
  /**
   * Postgres' page cache. PGlite zero-fills it at start, so all of it is resident from the first second:
   * Postgres' default of 128MB was ~115 MiB of the service's RSS for a catalog of ~12 MB on disk
   * (docs/BENCHMARKS.md, "Memory").
   */
  sharedBuffers: string;
  /** Per sort or hash before it spills to disk; taken only while a query runs. */
  workMem: string;
}

export const DEFAULT_PGLITE_MEMORY: PGliteMemory = { sharedBuffers: '16MB', workMem: '4MB' };

function startParams(memory: PGliteMemory): string[] {
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${memory.sharedBuffers}`, '-c', `work_mem=${memory.workMem}`];
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
export async function openPGlite(directory: string, template?: PGliteTemplate, memory: PGliteMemory = DEFAULT_PGLITE_MEMORY): Promise<Database> {
  const options = { startParams: startParams(memory) };
  if (template) {
    if (await finishDataDirCopy(directory, template.dataDir)) return wrapPGlite(await PGlite.create(directory, options));
    if (!existsSync(path.join(directory, 'PG_VERSION'))) {
      const dump = await template.dump();
      if (dump) {
        await mkdir(directory, { recursive: true });
        return wrapPGlite(await PGlite.create(directory, { ...options, loadDataDir: dump }));
      }
    }
  }
  await mkdir(directory, { recursive: true });
  return wrapPGlite(await PGlite.create(directory, options));
}

/**
 * An in-memory PGlite, optionally started from a `dumpDataDir()` tarball: restoring a dump skips initdb,
 * which is most of PGlite's start-up time.
 */
export async function openMemoryPGlite(options: { loadDataDir?: Blob; memory?: PGliteMemory } = {}): Promise<Database> {
  const params = startParams(options.memory ?? DEFAULT_PGLITE_MEMORY);
  const pglite = options.loadDataDir
    ? await PGlite.create({ loadDataDir: options.loadDataDir, startParams: params })
    : await PGlite.create({ startParams: params });
  return wrapPGlite(pglite);
}

/** Tarball of a PGlite instance's data directory, for `openMemoryPGlite({ loadDataDir })`. */
export async function dumpPGlite(pglite: PGlite): Promise<Blob> {
  return pglite.dumpDataDir('none');
}
