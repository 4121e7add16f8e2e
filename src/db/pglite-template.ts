/**
 * PGlite's initdb takes seconds; loading a dump of an already migrated and seeded database takes well
 * under one. `npm install` prepares that dump (postinstall), so the first `npm start` answers fast.
 * The dump is keyed by everything that shapes its content (template-location.ts), so a stale one is
 * never loaded. What goes into it besides the schema is the caller's: the catalog seeds it
 * (src/catalog/seeded-template.ts), so this module knows nothing about wines.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database } from './database.js';
import { migrate } from './migrations.js';
import { wrapPGlite } from './pglite.js';
import { TEMPLATE_DIR, templateDataDirPath, templatePath } from './template-location.js';

export { findSeededDataDir, templatePath, TEMPLATE_DIR } from './template-location.js';

/** Unpacks the dump into a data directory once (built aside and renamed, so it is whole or absent). */
async function prepareDataDir(dump: Blob): Promise<void> {
  const dir = await templateDataDirPath();
  if (existsSync(path.join(dir, 'PG_VERSION'))) return;
  const partial = `${dir}.${process.pid}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const pglite = await PGlite.create(partial, { loadDataDir: dump });
  await pglite.close();
  try {
    await rename(partial, dir);
  } catch {
    // Another process finished first: its copy is the same.
    await rm(partial, { recursive: true, force: true });
  }
}

/** The prepared dump, or null when none matches this code and data. */
export async function readSeededTemplate(): Promise<Blob | null> {
  try {
    return new Blob([await readFile(await templatePath())]);
  } catch {
    return null;
  }
}

export interface PreparedTemplate {
  file: string;
  bytes: number;
  /** The dump for this code and data already existed. */
  reused: boolean;
}

/**
 * Builds the dump (for in-memory databases) and the ready data directory (for new data dirs) of a
 * migrated database filled by `populate`, each written aside and renamed so readers never see half of one.
 */
export async function preparePGliteTemplate(populate: (db: Database) => Promise<unknown>): Promise<PreparedTemplate> {
  const file = await templatePath();
  const existing = await readFile(file).catch(() => null);
  if (existing) {
    await prepareDataDir(new Blob([existing]));
    return { file, bytes: existing.length, reused: true };
  }
  const pglite = await PGlite.create();
  let dump: Buffer;
  try {
    const db = wrapPGlite(pglite);
    await migrate(db);
    await populate(db);
    // Nothing creates databases in the embedded server, and its two template databases are a third of
    // the bytes every new data directory would copy (14 of 44 MB).
    for (const name of ['template1', 'template0']) {
      await pglite.exec(`ALTER DATABASE ${name} IS_TEMPLATE false`);
      await pglite.exec(`DROP DATABASE ${name}`);
    }
    await pglite.exec('CHECKPOINT');
    dump = Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
  } finally {
    await pglite.close();
  }
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, dump);
  await rename(partial, file);
  await prepareDataDir(new Blob([dump]));
  // Templates for older code or data are never used again.
  const current = path.basename(file).replace(/\.tar\.gz$/, '');
  for (const name of await readdir(TEMPLATE_DIR)) {
    if (name.startsWith('pglite-seeded-') && !name.endsWith('.partial') && !name.startsWith(current)) {
      await rm(path.join(TEMPLATE_DIR, name), { recursive: true, force: true });
    }
  }
  return { file, bytes: dump.length, reused: false };
}
