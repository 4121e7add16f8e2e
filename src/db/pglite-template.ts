import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { seedCatalogIfEmpty } from '../catalog/index.js';
import { migrate } from './migrations.js';
import { wrapPGlite } from './pglite.js';

/**
 * PGlite's initdb takes seconds; loading a dump of an already migrated and seeded database takes well
 * under one. `npm install` prepares that dump (postinstall), so the first `npm start` answers fast.
 * The dump is keyed by everything that shapes its content, so a stale one is never loaded.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CODE_DIRS = [fileURLToPath(new URL('./', import.meta.url)), fileURLToPath(new URL('../catalog/', import.meta.url))];
const ASSETS_DIR = path.join(ROOT, 'assets', 'xwines');
export const TEMPLATE_DIR = path.join(ROOT, 'node_modules', '.cache', 'sommelier');

async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  const pglite = JSON.parse(await readFile(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  hash.update(pglite.version);
  for (const directory of [...CODE_DIRS, ASSETS_DIR]) {
    for (const name of (await readdir(directory)).sort()) {
      if (name.endsWith('.map')) continue;
      hash.update(name).update(await readFile(path.join(directory, name)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

export async function templatePath(): Promise<string> {
  return path.join(TEMPLATE_DIR, `pglite-seeded-${await templateKey()}.tar.gz`);
}

/** The prepared dump, or null when none matches this code and data. */
export async function readSeededTemplate(): Promise<Blob | null> {
  try {
    return new Blob([await readFile(await templatePath())]);
  } catch {
    return null;
  }
}

/** Builds the seeded dump and stores it (written under a temp name and renamed: readers never see half). */
export async function prepareSeededTemplate(): Promise<{ file: string; bytes: number; reused: boolean }> {
  const file = await templatePath();
  const existing = await readFile(file).catch(() => null);
  if (existing) return { file, bytes: existing.length, reused: true };
  const pglite = await PGlite.create();
  try {
    const db = wrapPGlite(pglite);
    await migrate(db);
    await seedCatalogIfEmpty(db);
    const dump = Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, dump);
    await rename(partial, file);
    // Dumps for older code or data are never loaded again.
    for (const name of await readdir(TEMPLATE_DIR)) {
      if (name.startsWith('pglite-seeded-') && !name.endsWith('.partial') && path.join(TEMPLATE_DIR, name) !== file) await rm(path.join(TEMPLATE_DIR, name), { force: true });
    }
    return { file, bytes: dump.length, reused: false };
  } finally {
    await pglite.close();
  }
}
