import { existsSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
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
   * Postgres' page cache, or `auto`: sized to the database's files when it opens (sharedBuffersFor).
   * PGlite zero-fills it at start, so all of it is resident from the first second: Postgres' default of
   * 128MB was ~115 MiB of the service's RSS for the bundled catalog of ~13 MB on disk, while a 101k-wine
   * catalog that does not fit in it searches 3× slower at p95 (docs/BENCHMARKS.md, "Memory").
   */
  sharedBuffers: string;
  /** Per sort or hash before it spills to disk; taken only while a query runs. */
  workMem: string;
}

export const DEFAULT_PGLITE_MEMORY: PGliteMemory = { sharedBuffers: 'auto', workMem: '4MB' };

const MIB = 1024 * 1024;
/** The least `auto` gives (the bundled catalog with Postgres' own tables) and the most (Postgres' default). */
const AUTO_SHARED_BUFFERS_MIB = { min: 16, max: 128 } as const;

/** shared_buffers for a database of `bytes` (tables and indexes): all of it and a quarter more, within bounds. */
export function sharedBuffersFor(bytes: number): string {
  const mib = Math.ceil((bytes * 1.25) / MIB);
  return `${Math.min(AUTO_SHARED_BUFFERS_MIB.max, Math.max(AUTO_SHARED_BUFFERS_MIB.min, mib))}MB`;
}

/** Bytes of a data directory's databases (`base/`: tables, indexes, Postgres' catalogs); 0 when new. */
async function databaseFilesBytes(directory: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(path.join(directory, 'base'), { recursive: true, withFileTypes: true });
  } catch {
    return 0;
  }
  const sizes = await Promise.all(
    entries.filter((entry) => entry.isFile()).map(async (entry) => (await stat(path.join(entry.parentPath, entry.name))).size),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

async function startParams(memory: PGliteMemory, directory?: string): Promise<string[]> {
  const sharedBuffers = memory.sharedBuffers === 'auto' ? sharedBuffersFor(directory ? await databaseFilesBytes(directory) : 0) : memory.sharedBuffers;
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`, '-c', `work_mem=${memory.workMem}`];
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
  if (template && (await finishDataDirCopy(directory, template.dataDir))) {
    return wrapPGlite(await PGlite.create(directory, { startParams: await startParams(memory, directory) }));
  }
  // A new directory unpacked from the template's dump holds the bundled catalog: `auto` gives it the least.
  const options = { startParams: await startParams(memory, directory) };
  if (template) {
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
  const params = await startParams(options.memory ?? DEFAULT_PGLITE_MEMORY);
  const pglite = options.loadDataDir
    ? await PGlite.create({ loadDataDir: options.loadDataDir, startParams: params })
    : await PGlite.create({ startParams: params });
  return wrapPGlite(pglite);
}

/** Tarball of a PGlite instance's data directory, for `openMemoryPGlite({ loadDataDir })`. */
export async function dumpPGlite(pglite: PGlite): Promise<Blob> {
  return pglite.dumpDataDir('none');
}
