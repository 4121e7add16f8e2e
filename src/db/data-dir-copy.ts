/**
 * A new embedded data directory starts as a copy of the prepared one (see template-location.ts) instead
 * of running initdb. Node built-ins only, so `npm start` can begin the copy — disk work on libuv's
 * threads — before it spends half a second loading the rest of the app, and the two overlap.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Where the embedded database lives inside DATA_DIR. */
export const embeddedDatabaseDir = (dataDir: string): string => path.join(dataDir, 'pglite');

/** Copies a directory tree with the file copies in parallel (several times faster than `fs.cp` here). */
async function copyTree(source: string, destination: string): Promise<void> {
  const entries = await readdir(source, { withFileTypes: true, recursive: true });
  const target = (entry: { parentPath: string; name: string }) =>
    path.join(destination, path.relative(source, path.join(entry.parentPath, entry.name)));
  await mkdir(destination, { recursive: true });
  for (const entry of entries) if (entry.isDirectory()) await mkdir(target(entry), { recursive: true });
  await Promise.all(entries.filter((entry) => entry.isFile()).map((entry) => copyFile(path.join(entry.parentPath, entry.name), target(entry))));
}

/**
 * Copies under way, by directory. Module-level on purpose: main.ts starts a copy before the app exists and
 * the app's open joins it, and two opens of one directory must share one copy. An entry lives from the
 * start of a copy to its open (finishDataDirCopy), so it holds at most the directories being opened.
 */
const copies = new Map<string, Promise<boolean>>();

/**
 * Starts copying `source()` into `directory` unless it already holds a database; a second call for the
 * same directory joins the copy under way. Resolves to true when this copy made the directory. The copy
 * is built aside and renamed into place, so a crash mid-copy never leaves half a database behind.
 */
export function startDataDirCopy(directory: string, source: () => Promise<string | null>): Promise<boolean> {
  const key = path.resolve(directory);
  let copy = copies.get(key);
  if (!copy) {
    copy = (async () => {
      if (existsSync(path.join(key, 'PG_VERSION'))) return false;
      const from = await source();
      if (!from) return false;
      const partial = `${key}.${process.pid}.partial`;
      await rm(partial, { recursive: true, force: true });
      try {
        await copyTree(from, partial);
        // Replaces an empty directory too (one left by a start that failed before making a database).
        await rename(partial, key);
      } catch (error) {
        await rm(partial, { recursive: true, force: true });
        throw error;
      }
      return true;
    })();
    copies.set(key, copy);
  }
  return copy;
}

/** Waits for the copy of `directory` (starting it when nobody has) and forgets it: the next open starts afresh. */
export async function finishDataDirCopy(directory: string, source: () => Promise<string | null>): Promise<boolean> {
  try {
    return await startDataDirCopy(directory, source);
  } finally {
    copies.delete(path.resolve(directory));
  }
}
