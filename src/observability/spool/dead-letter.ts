import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { removeFile, writeFileAtomic } from './fs-util.js';

/**
 * Data Langfuse refused as malformed (400, a lone span still too large after 413 splitting, an
 * ingestion event rejected with a 4xx) or that failed its checksum: set aside, never retried.
 *
 * Each entry is two files with a common, time-ordered base name:
 * - `<base>.body.json` — exactly the request body that was refused (replayable with curl), or the raw
 *   bytes of a corrupt record;
 * - `<base>.reason.json` — why: stream, HTTP status, Langfuse's message, item count, time.
 */
export interface DeadLetterReason {
  stream: string;
  items: number;
  status: number | null;
  reason: string;
  endpoint: string | null;
}

interface Entry {
  base: string;
  bytes: number;
}

const SUFFIXES = ['.body.json', '.reason.json'] as const;

export class DeadLetterStore {
  private entries: Entry[] = [];
  private totalBytes = 0;
  private counter = 0;

  constructor(
    readonly dir: string,
    private readonly fsync: boolean,
    private readonly now: () => number,
  ) {}

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const sizes = new Map<string, number>();
    for (const name of await readdir(this.dir)) {
      if (name.endsWith('.tmp')) {
        await removeFile(join(this.dir, name));
        continue;
      }
      const suffix = SUFFIXES.find((candidate) => name.endsWith(candidate));
      if (!suffix) continue;
      const base = name.slice(0, -suffix.length);
      const { size } = await stat(join(this.dir, name));
      sizes.set(base, (sizes.get(base) ?? 0) + size);
    }
    this.entries = [...sizes].map(([base, bytes]) => ({ base, bytes })).sort((a, b) => (a.base < b.base ? -1 : 1));
    this.totalBytes = this.entries.reduce((sum, entry) => sum + entry.bytes, 0);
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get count(): number {
    return this.entries.length;
  }

  async add(reason: DeadLetterReason, body: Buffer, key: string): Promise<void> {
    const at = this.now();
    const base = `${String(at).padStart(15, '0')}-${String(this.counter++).padStart(6, '0')}-${reason.stream}-${key}`;
    const reasonText = `${JSON.stringify({ ...reason, at: new Date(at).toISOString() }, null, 2)}\n`;
    await writeFileAtomic(join(this.dir, `${base}.body.json`), body, this.fsync);
    await writeFileAtomic(join(this.dir, `${base}.reason.json`), reasonText, this.fsync);
    const bytes = body.length + Buffer.byteLength(reasonText);
    this.entries.push({ base, bytes });
    this.totalBytes += bytes;
  }

  /** Deletes the oldest entry to make room; false when there is none. */
  async dropOldest(): Promise<boolean> {
    const entry = this.entries.shift();
    if (!entry) return false;
    this.totalBytes -= entry.bytes;
    for (const suffix of SUFFIXES) await removeFile(join(this.dir, `${entry.base}${suffix}`));
    return true;
  }

  /** Moves another store's entries in (an orphaned spool being adopted). */
  async adoptFrom(other: DeadLetterStore): Promise<void> {
    for (const entry of other.entries) {
      for (const suffix of SUFFIXES) {
        await rename(join(other.dir, `${entry.base}${suffix}`), join(this.dir, `${entry.base}${suffix}`)).catch(
          () => undefined,
        );
      }
      this.entries.push(entry);
      this.totalBytes += entry.bytes;
    }
    this.entries.sort((a, b) => (a.base < b.base ? -1 : 1));
    other.entries = [];
    other.totalBytes = 0;
  }
}
