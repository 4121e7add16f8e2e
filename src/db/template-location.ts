/**
 * Where `npm install` puts the prepared embedded database (pglite-template.ts, seeded by
 * src/catalog/seeded-template.ts), keyed by everything that shapes its content so a stale one is never
 * used. Node built-ins only: `npm start` reads this before loading the rest of the app.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The sources, also when this module runs transpiled from .build/ (`npm start`): the key must not depend
// on how the code was loaded.
const CODE_DIRS = [path.join(ROOT, 'src', 'db'), path.join(ROOT, 'src', 'catalog')];
const ASSETS_DIR = path.join(ROOT, 'assets', 'xwines');
export const TEMPLATE_DIR = path.join(ROOT, 'node_modules', '.cache', 'sommelier');

async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  const pglite = JSON.parse(await readFile(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  hash.update(pglite.version);
  for (const directory of [...CODE_DIRS, ASSETS_DIR]) {
    const files = (await readdir(directory, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.map'))
      .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
      .sort();
    for (const name of files) hash.update(name).update(await readFile(path.join(directory, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

export async function templatePath(): Promise<string> {
  return path.join(TEMPLATE_DIR, `pglite-seeded-${await templateKey()}.tar.gz`);
}

/** The same database as a ready data directory: copying it is faster than unpacking the dump into files. */
export async function templateDataDirPath(): Promise<string> {
  return path.join(TEMPLATE_DIR, `pglite-seeded-${await templateKey()}.dir`);
}

/** The prepared data directory, or null when none matches this code and data. */
export async function findSeededDataDir(): Promise<string | null> {
  try {
    const dir = await templateDataDirPath();
    return existsSync(path.join(dir, 'PG_VERSION')) ? dir : null;
  } catch {
    return null;
  }
}

