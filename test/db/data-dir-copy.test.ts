import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishDataDirCopy, startDataDirCopy } from '../../src/db/data-dir-copy.js';
import { prepareSeededTemplate } from '../../src/catalog/index.js';
import { findSeededDataDir, openPGlite } from '../../src/db/index.js';

describe('starting a new embedded data directory from the prepared one', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sommelier-copy-'));
    await prepareSeededTemplate();
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('copies once when `npm start` began the copy and opening the database joins it', async () => {
    const directory = join(root, 'joined', 'pglite');
    let asked = 0;
    const source = () => {
      asked += 1;
      return findSeededDataDir();
    };
    const early = startDataDirCopy(directory, source);
    expect(startDataDirCopy(directory, source)).toBe(early);
    const db = await openPGlite(directory, { dataDir: source, dump: async () => null });
    try {
      expect(asked).toBe(1);
      expect(await early).toBe(true);
      const { rows } = await db.query<{ count: number }>('SELECT count(*)::integer AS count FROM wines');
      expect(rows[0]!.count).toBe(1007);
    } finally {
      await db.close();
    }
    // Nothing half-made is left beside it.
    expect((await readdir(join(root, 'joined'))).sort()).toEqual(['pglite']);
    // An existing database is never copied over.
    expect(await finishDataDirCopy(directory, source)).toBe(false);
  });

  it('leaves no directory behind when the copy fails, so the next start tries again', async () => {
    const directory = join(root, 'failing', 'pglite');
    // A template that vanished between finding and copying it (e.g. a concurrent `npm install`).
    await expect(finishDataDirCopy(directory, async () => join(root, 'no-such-template'))).rejects.toThrow(/ENOENT/);
    expect(existsSync(directory)).toBe(false);
    expect(existsSync(join(root, 'failing')) ? await readdir(join(root, 'failing')) : []).toEqual([]);
  });
});
