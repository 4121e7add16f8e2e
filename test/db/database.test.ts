import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, openDatabase, openMemoryPGlite, openPGlite, openPostgres, sharedBuffersFor, type Database } from '../../src/db/index.js';
import { prepareSeededTemplate } from '../../src/catalog/index.js';
import { databaseBackends, openForSuite } from '../support/database.js';

describe.each(databaseBackends())('database layer on $name', (backend) => {
  let db: Database;

  openForSuite(backend, (opened) => {
    db = opened;
  }, { seed: false });

  it('records every migration once and applies nothing on a second run', async () => {
    expect(await migrate(db)).toEqual([]);
    const versions = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
  });

  it('keeps conversation messages in order per session with numeric ids', async () => {
    await db.query("INSERT INTO conversation_messages (session_id, role, content) VALUES ('a', 'user', 'hi'), ('b', 'user', 'x'), ('a', 'assistant', 'hello')");
    const rows = await db.query<{ id: number; role: string; created_at: Date }>(
      "SELECT id, role, created_at FROM conversation_messages WHERE session_id = 'a' ORDER BY id",
    );
    expect(rows.rows.map((row) => row.role)).toEqual(['user', 'assistant']);
    expect(typeof rows.rows[0]!.id).toBe('number');
    expect(rows.rows[0]!.created_at).toBeInstanceOf(Date);
  });

  it('stores one feedback row per trace', async () => {
    const insert = (id: string, value: number) =>
      db.query(
        `INSERT INTO feedback (id, trace_id, value) VALUES ($1, 'trace-1', $2)
         ON CONFLICT (trace_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [id, value],
      );
    await insert('7d0b8a54-3f31-4c38-9f55-1d9d0f6a0c11', 1);
    await insert('0f4c3d1e-8c1e-4a8b-b6a3-5a3f7b1f8e22', -1);
    const rows = await db.query<{ id: string; value: number; sent_at: Date | null }>('SELECT id, value, sent_at FROM feedback');
    expect(rows.rows).toEqual([{ id: '7d0b8a54-3f31-4c38-9f55-1d9d0f6a0c11', value: -1, sent_at: null }]);
  });

  it('rolls a failed transaction back and commits a good one', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO conversation_messages (session_id, role, content) VALUES ('tx', 'user', 'lost')");
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const value = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO conversation_messages (session_id, role, content) VALUES ('tx', 'user', 'kept')");
      return 42;
    });
    expect(value).toBe(42);
    const rows = await db.query<{ content: string }>("SELECT content FROM conversation_messages WHERE session_id = 'tx'");
    expect(rows.rows).toEqual([{ content: 'kept' }]);
  });

  it('reports whether pgvector is installed, and never on PGlite', async () => {
    const installed = await db.query<{ n: number }>("SELECT count(*)::integer AS n FROM pg_extension WHERE extname = 'vector'");
    expect(await db.hasVector()).toBe(installed.rows[0]!.n === 1);
    if (backend.name === 'pglite') expect(await db.hasVector()).toBe(false);
  });

  it('fails a query with the database error rather than hiding it', async () => {
    await expect(db.query('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
  });
});

describe('embedded database memory', () => {
  const setting = async (db: Database, name: string): Promise<string> =>
    (await db.query<{ value: string }>('SELECT current_setting($1) AS value', [name])).rows[0]!.value;
  const megabytes = (value: string): number => Number(/^(\d+)MB$/.exec(value)?.[1] ?? Number.NaN);

  it('starts Postgres with the configured shared_buffers and work_mem', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-db-memory-'));
    try {
      const configured = await openDatabase({ kind: 'pglite', dataDir }, { sharedBuffers: '8MB', workMem: '2MB' });
      expect([await setting(configured, 'shared_buffers'), await setting(configured, 'work_mem')]).toEqual(['8MB', '2MB']);
      await configured.close();
      const inMemory = await openMemoryPGlite();
      expect([await setting(inMemory, 'shared_buffers'), await setting(inMemory, 'work_mem')]).toEqual(['16MB', '4MB']);
      await inMemory.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('sizes shared_buffers to the database by default: small for the bundled catalog, more once it grows', async () => {
    expect([0, 13 * 2 ** 20, 60 * 2 ** 20, 2 ** 30].map(sharedBuffersFor)).toEqual(['16MB', '17MB', '75MB', '128MB']);
    const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-db-memory-'));
    try {
      const seeded = await openDatabase({ kind: 'pglite', dataDir });
      const bundled = megabytes(await setting(seeded, 'shared_buffers'));
      expect(bundled).toBeGreaterThanOrEqual(16);
      expect(bundled).toBeLessThanOrEqual(24);
      // ~30 MB more of rows that do not compress, as an imported catalog would add.
      await seeded.exec(
        "CREATE TABLE filler AS SELECT n, (SELECT string_agg(md5(n::text || ':' || k::text), '') FROM generate_series(1, 30) AS k) AS text FROM generate_series(1, 30000) AS n",
      );
      await seeded.exec('CHECKPOINT');
      await seeded.close();
      const grown = await openDatabase({ kind: 'pglite', dataDir });
      expect(megabytes(await setting(grown, 'shared_buffers'))).toBeGreaterThanOrEqual(bundled + 30);
      await grown.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('migrations from an empty database', () => {
  it('create every table on a new PGlite directory, and persist across a reopen', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-db-'));
    try {
      // No template: this is the path a machine without the prepared dump takes.
      const first = await openPGlite(join(dataDir, 'pglite'));
      expect(await migrate(first)).toEqual(MIGRATIONS.map((migration) => migration.version));
      await first.query("INSERT INTO conversation_messages (session_id, role, content) VALUES ('p', 'user', 'persisted')");
      await first.close();
      const second = await openDatabase({ kind: 'pglite', dataDir });
      expect(await migrate(second)).toEqual([]);
      const rows = await second.query<{ content: string }>('SELECT content FROM conversation_messages');
      expect(rows.rows).toEqual([{ content: 'persisted' }]);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('start a new PGlite directory from the prepared seeded dump: migrated and seeded without initdb', async () => {
    await prepareSeededTemplate();
    const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-db-template-'));
    try {
      const db = await openDatabase({ kind: 'pglite', dataDir });
      expect(await migrate(db)).toEqual([]);
      const count = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM wines');
      expect(count.rows[0]!.n).toBe(1007);
      await db.query("INSERT INTO conversation_messages (session_id, role, content) VALUES ('t', 'user', 'kept')");
      await db.close();
      // Reopening must not load the dump again over the data.
      const again = await openDatabase({ kind: 'pglite', dataDir });
      const kept = await again.query<{ content: string }>('SELECT content FROM conversation_messages');
      expect(kept.rows).toEqual([{ content: 'kept' }]);
      await again.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('create every table on a new PostgreSQL database, also when two processes migrate at once', async () => {
    const backend = databaseBackends().find((candidate) => candidate.name === 'postgres')!;
    const release = await backend.acquire();
    try {
      const url = (await backend.databaseUrl())!;
      const [a, b] = await Promise.all([openPostgres(url), openPostgres(url)]);
      const applied = await Promise.all([migrate(a), migrate(b)]);
      expect(applied.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((migration) => migration.version));
      const tables = await a.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        'conversation_messages', 'feedback', 'schema_migrations', 'wine_embeddings', 'wines',
      ]);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await release();
    }
  });

  it('fails to open an unreachable PostgreSQL server with its error', async () => {
    await expect(openDatabase({ kind: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toThrow();
  });
});
