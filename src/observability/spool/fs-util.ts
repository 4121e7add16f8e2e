import { open, rename, unlink, writeFile } from 'node:fs/promises';

export const isErrnoException = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';

/** Deletes a file; one that is already gone is fine (a drop and a delivery may race for it). */
export async function removeFile(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if (!(isErrnoException(error) && error.code === 'ENOENT')) throw error;
  }
}

/** Makes a directory's entries (a create, rename or delete) durable across a power loss. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a file so that it appears complete or not at all: write a temporary sibling, then rename.
 * With `fsync` the data and the rename also survive a power loss.
 */
export async function writeFileAtomic(file: string, data: Buffer | string, fsync: boolean): Promise<void> {
  const temporary = `${file}.tmp`;
  if (fsync) {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } else {
    await writeFile(temporary, data);
  }
  await rename(temporary, file);
}
