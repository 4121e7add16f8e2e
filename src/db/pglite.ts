import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database, QueryResult, Transaction } from './database.js';
import { finishDataDirCopy } from './data-dir-copy.js';

/** Wraps an open PGlite instance; PGlite runs one statement at a time, so there is no pool to manage. */
export function wrapPGlite(pglite: PGlite, memory?: PGliteMemory): Database {
  return {
    kind: 'pglite',
    ...(memory ? { memory } : {}),
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

/**
 * Bytes of a data directory's databases (`base/`: tables, indexes, Postgres' catalogs); 0 when new.
 * Synchronous on purpose: ~350 files at start-up take ~5 ms this way and ~20 ms as 350 pooled stat calls.
 */
function databaseFilesBytes(directory: string): number {
  let entries;
  try {
    entries = readdirSync(path.join(directory, 'base'), { recursive: true, withFileTypes: true });
  } catch {
    return 0;
  }
  let bytes = 0;
  for (const entry of entries) if (entry.isFile()) bytes += statSync(path.join(entry.parentPath, entry.name)).size;
  return bytes;
}

/** The settings to start with: `auto` sized to what `directory` holds now. */
function resolveMemory(memory: PGliteMemory, directory?: string): PGliteMemory {
  if (memory.sharedBuffers !== 'auto') return memory;
  return { ...memory, sharedBuffers: sharedBuffersFor(directory ? databaseFilesBytes(directory) : 0) };
}

const startParams = (memory: PGliteMemory): string[] => [
  ...PGlite.defaultStartParams,
  '-c',
  `shared_buffers=${memory.sharedBuffers}`,
  '-c',
  `work_mem=${memory.workMem}`,
];

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
  const copied = template !== undefined && (await finishDataDirCopy(directory, template.dataDir));
  // Sized after the copy: a new directory holds the bundled catalog, one that grew by an import more.
  const resolved = resolveMemory(memory, directory);
  const options = { startParams: startParams(resolved) };
  if (!copied) {
    const dump = template && !existsSync(path.join(directory, 'PG_VERSION')) ? await template.dump() : null;
    await mkdir(directory, { recursive: true });
    if (dump) return wrapPGlite(await PGlite.create(directory, { ...options, loadDataDir: dump }), resolved);
  }
  return wrapPGlite(await PGlite.create(directory, options), resolved);
}

/**
 * An in-memory PGlite, optionally started from a `dumpDataDir()` tarball: restoring a dump skips initdb,
 * which is most of PGlite's start-up time.
 */
export async function openMemoryPGlite(options: { loadDataDir?: Blob; memory?: PGliteMemory } = {}): Promise<Database> {
  const resolved = resolveMemory(options.memory ?? DEFAULT_PGLITE_MEMORY);
  const params = startParams(resolved);
  const pglite = options.loadDataDir
    ? await PGlite.create({ loadDataDir: options.loadDataDir, startParams: params })
    : await PGlite.create({ startParams: params });
  return wrapPGlite(pglite, resolved);
}

/** Tarball of a PGlite instance's data directory, for `openMemoryPGlite({ loadDataDir })`. */
export async function dumpPGlite(pglite: PGlite): Promise<Blob> {
  return pglite.dumpDataDir('none');
}
