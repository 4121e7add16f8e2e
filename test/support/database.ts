/**
 * The two database backends every catalog, tool and app test runs on: embedded PGlite and a real
 * PostgreSQL server started for the test file (see postgres.ts). Use with `describe.each(databaseBackends())`.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { prepareSeededTemplate, seedCatalogIfEmpty } from '../../src/catalog/index.js';
import { migrate, openPostgres, readSeededTemplate, wrapPGlite, type Database } from '../../src/db/index.js';
import type { PostgresServer } from './postgres.js';
import { startPostgres } from './postgres.js';

export interface DatabaseBackend {
  name: 'pglite' | 'postgres';
  /** Starts what the backend needs (the shared server); call the returned function when done with it. */
  acquire(): Promise<() => Promise<void>>;
  /** For app-level tests: DATABASE_URL of a new empty database, or undefined for PGlite (use DATA_DIR). */
  databaseUrl(): Promise<string | undefined>;
  /** A new, migrated database, seeded with the X-Wines catalog unless `seed: false`. Close it when done. */
  open(options?: { seed?: boolean }): Promise<Database>;
}

// PGlite's initdb takes seconds; restoring the seeded dump that `npm install` prepares (src/catalog/seeded-template.ts)
// takes well under one, so every test file starts from it (prepared here when missing).
let pgliteTemplate: Promise<Blob> | null = null;

async function loadPgliteTemplate(): Promise<Blob> {
  await prepareSeededTemplate();
  const dump = await readSeededTemplate();
  if (!dump) throw new Error('the seeded PGlite template could not be prepared');
  return dump;
}

const pgliteBackend: DatabaseBackend = {
  name: 'pglite',
  acquire: async () => async () => undefined,
  databaseUrl: async () => undefined,
  async open(options = {}) {
    pgliteTemplate ??= loadPgliteTemplate();
    const db = wrapPGlite(await PGlite.create({ loadDataDir: await pgliteTemplate }));
    if (options.seed === false) await db.exec('TRUNCATE wines CASCADE');
    return db;
  },
};

let server: Promise<PostgresServer> | null = null;
let users = 0;
let databaseCounter = 0;
let seededTemplate: Promise<string> | null = null;

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  if (!server) throw new Error('call backend.acquire() before using the postgres backend');
  const client = new pg.Client({ connectionString: (await server).url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(template?: string): Promise<string> {
  databaseCounter += 1;
  const name = `sommelier_test_${process.pid}_${databaseCounter}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  return name;
}

async function buildSeededTemplate(): Promise<string> {
  const name = await createDatabase();
  const db = await openPostgres((await server!).urlFor(name));
  try {
    await migrate(db);
    await seedCatalogIfEmpty(db);
  } finally {
    // A template must have no open connections while it is copied.
    await db.close();
  }
  return name;
}

const postgresBackend: DatabaseBackend = {
  name: 'postgres',
  async acquire() {
    users += 1;
    server ??= startPostgres();
    try {
      await server;
    } catch (error) {
      users -= 1;
      server = null;
      throw error;
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      users -= 1;
      if (users > 0 || !server) return;
      const running = server;
      server = null;
      seededTemplate = null;
      await (await running).stop();
    };
  },
  async databaseUrl() {
    if (!server) throw new Error('call backend.acquire() before using the postgres backend');
    return (await server).urlFor(await createDatabase());
  },
  async open(options = {}) {
    if (!server) throw new Error('call backend.acquire() before using the postgres backend');
    if (options.seed === false) {
      const db = await openPostgres((await server).urlFor(await createDatabase()));
      await migrate(db);
      return db;
    }
    seededTemplate ??= buildSeededTemplate();
    return openPostgres((await server).urlFor(await createDatabase(await seededTemplate)));
  },
};

export function databaseBackends(): DatabaseBackend[] {
  return [pgliteBackend, postgresBackend];
}

/**
 * A database of `backend` for the enclosing describe block: acquired and opened in beforeAll (then handed
 * to `opened`, which may set up what the tests need from it), closed and released in afterAll.
 */
export function openForSuite(
  backend: DatabaseBackend,
  opened: (db: Database) => void | Promise<void>,
  options?: { seed?: boolean },
): void {
  let release: (() => Promise<void>) | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    release = await backend.acquire();
    db = await backend.open(options);
    await opened(db);
  });
  afterAll(async () => {
    await db?.close();
    await release?.();
  });
}
