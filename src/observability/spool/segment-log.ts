import { mkdir, open, readdir, readFile, rename, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSegment, encodeRecord } from './record.js';
import type { SpoolRecord } from './record.js';
import { removeFile, syncDirectory, writeFileAtomic } from './fs-util.js';

/**
 * An append-only log of records in segment files, for one stream (spans or scores).
 *
 * Files in the stream's directory:
 * - `<key>.open` — the segment being appended to (at most one);
 * - `<key>-<items>.seg` — sealed segments, immutable, sent oldest first and deleted once delivered.
 *
 * A key is a 16-digit sequence number, optionally followed by letters when a segment is split or
 * rewritten (`…0042` → `…0042a`, `…0042b`): plain string order is delivery order. The item count in the
 * name means a restart knows what is pending without reading every segment.
 */
export interface Segment {
  readonly key: string;
  readonly file: string;
  readonly bytes: number;
  readonly items: number;
  /** Being sent: not to be dropped by the size cap meanwhile. */
  inFlight: boolean;
}

interface ActiveSegment {
  key: string;
  file: string;
  handle: FileHandle;
  bytes: number;
  items: number;
  openedAt: number;
}

export interface SegmentLogOptions {
  /** A segment is sealed before an append would take it past this size (one request to Langfuse). */
  segmentMaxBytes: number;
  /** fsync each append (and directory changes) so acknowledged data survives a power loss. */
  fsync: boolean;
  now: () => number;
}

const KEY_DIGITS = 16;
const SEALED_NAME = /^(\d{16}[a-z]*)-(\d{1,12})\.seg$/;
const OPEN_NAME = /^(\d{16})\.open$/;

const sealedName = (key: string, items: number): string => `${key}-${items}.seg`;
const byKey = (a: Segment, b: Segment): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class SegmentLog {
  private sealed: Segment[] = [];
  private active: ActiveSegment | null = null;
  private nextSequence = 1;
  private sealedBytes = 0;
  private sealedItems = 0;

  constructor(
    readonly dir: string,
    private readonly options: SegmentLogOptions,
  ) {}

  /**
   * Scans the directory, turning an `.open` segment left by a crash into a sealed one (its unfinished
   * last line dropped). Returns lines whose checksum failed, for the dead-letter folder.
   */
  async open(): Promise<Buffer[]> {
    await mkdir(this.dir, { recursive: true });
    const corrupt: Buffer[] = [];
    let highest = 0;
    const names = await readdir(this.dir);
    for (const name of names) {
      if (name.endsWith('.tmp')) {
        await removeFile(join(this.dir, name));
        continue;
      }
      const sealedMatch = SEALED_NAME.exec(name);
      if (sealedMatch?.[1] && sealedMatch[2]) {
        const file = join(this.dir, name);
        const { size } = await stat(file);
        this.addSealed({ key: sealedMatch[1], file, bytes: size, items: Number(sealedMatch[2]), inFlight: false });
        highest = Math.max(highest, Number(sealedMatch[1].slice(0, KEY_DIGITS)));
        continue;
      }
      const openMatch = OPEN_NAME.exec(name);
      if (openMatch?.[1]) {
        highest = Math.max(highest, Number(openMatch[1]));
        corrupt.push(...(await this.recoverOpenSegment(openMatch[1], join(this.dir, name))));
      }
    }
    this.sealed.sort(byKey);
    this.nextSequence = highest + 1;
    return corrupt;
  }

  private async recoverOpenSegment(key: string, file: string): Promise<Buffer[]> {
    const decoded = decodeSegment(await readFile(file));
    if (decoded.records.length > 0) await this.writeSealed(key, decoded.records);
    await removeFile(file);
    // Copies: the views into the file buffer would pin all of it.
    return decoded.corrupt.map((line) => Buffer.from(line));
  }

  /** Bytes and items waiting for delivery, sealed or not. */
  get pendingBytes(): number {
    return this.sealedBytes + (this.active?.bytes ?? 0);
  }

  get pendingItems(): number {
    return this.sealedItems + (this.active?.items ?? 0);
  }

  get hasActiveData(): boolean {
    return (this.active?.items ?? 0) > 0 || (this.active?.bytes ?? 0) > 0;
  }

  /** Milliseconds since the open segment received its first record, or null when there is none. */
  activeAgeMs(): number | null {
    return this.active && this.active.bytes > 0 ? this.options.now() - this.active.openedAt : null;
  }

  oldestSealed(): Segment | undefined {
    return this.sealed[0];
  }

  /** The oldest sealed segment that is not being sent right now (the size cap's victim). */
  oldestDroppable(): Segment | undefined {
    return this.sealed.find((segment) => !segment.inFlight);
  }

  /** Appends already framed records (one write call; concurrent callers must be serialised). */
  async append(framed: Buffer, items: number): Promise<void> {
    if (this.active && this.active.bytes > 0 && this.active.bytes + framed.length > this.options.segmentMaxBytes) {
      await this.sealActive();
    }
    const active = this.active ?? (await this.openActive());
    try {
      await active.handle.appendFile(framed);
      if (this.options.fsync) await active.handle.datasync();
    } catch (error) {
      // A partial line would swallow the next record: abandon this segment (a reader ignores the torn tail).
      active.bytes += framed.length;
      await this.sealActive().catch(() => undefined);
      throw error;
    }
    active.bytes += framed.length;
    active.items += items;
  }

  private async openActive(): Promise<ActiveSegment> {
    const key = String(this.nextSequence++).padStart(KEY_DIGITS, '0');
    const file = join(this.dir, `${key}.open`);
    const handle = await open(file, 'a');
    if (this.options.fsync) await syncDirectory(this.dir);
    this.active = { key, file, handle, bytes: 0, items: 0, openedAt: this.options.now() };
    return this.active;
  }

  /** Closes the open segment and makes it a sealed one (deleted instead when it holds nothing). */
  async sealActive(): Promise<Segment | null> {
    const active = this.active;
    if (!active) return null;
    let segment: Segment | null = null;
    try {
      await active.handle.close().catch(() => undefined);
      if (active.items === 0) {
        await removeFile(active.file);
        return null;
      }
      const file = join(this.dir, sealedName(active.key, active.items));
      await rename(active.file, file);
      segment = { key: active.key, file, bytes: active.bytes, items: active.items, inFlight: false };
    } finally {
      // Switched in one step, so the pending counts never miss the segment while it is being sealed.
      this.active = null;
      // A new key is always the highest: appending keeps the list sorted.
      if (segment) this.addSealed(segment);
    }
    if (this.options.fsync) await syncDirectory(this.dir);
    return segment;
  }

  async read(segment: Segment): Promise<Buffer> {
    return readFile(segment.file);
  }

  /** Deletes a delivered (or dropped, or dead-lettered) segment. */
  async remove(segment: Segment): Promise<void> {
    await removeFile(segment.file);
    this.forget(segment);
  }

  /**
   * Replaces a segment by smaller ones that keep its place in the delivery order (a split after a 413,
   * or the events left to retry after a partial failure). The new files exist before the old one is
   * deleted, so a crash in between re-sends data (harmless: Langfuse upserts) rather than losing it.
   */
  async replace(segment: Segment, parts: readonly (readonly SpoolRecord[])[]): Promise<void> {
    if (parts.length > 26) throw new Error('a segment can be replaced by at most 26 parts');
    let letter = 0;
    for (const records of parts) {
      if (records.length === 0) continue;
      const key = `${segment.key}${String.fromCharCode(0x61 + letter++)}`;
      await this.writeSealed(key, records);
    }
    await this.remove(segment);
    this.sealed.sort(byKey);
  }

  /** Takes in a sealed segment file from elsewhere (another process's orphaned spool), as the newest. */
  async adopt(file: string, items: number, bytes: number): Promise<void> {
    const key = String(this.nextSequence++).padStart(KEY_DIGITS, '0');
    const target = join(this.dir, sealedName(key, items));
    await rename(file, target);
    this.addSealed({ key, file: target, bytes, items, inFlight: false });
  }

  /** Sealed segments, oldest first (for adoption by another log). */
  list(): readonly Segment[] {
    return this.sealed;
  }

  async close(): Promise<void> {
    await this.sealActive();
  }

  private async writeSealed(key: string, records: readonly SpoolRecord[]): Promise<void> {
    const framed = Buffer.concat(records.map((record) => encodeRecord(record)));
    const items = records.reduce((sum, record) => sum + record.items, 0);
    const file = join(this.dir, sealedName(key, items));
    await writeFileAtomic(file, framed, this.options.fsync);
    if (this.options.fsync) await syncDirectory(this.dir);
    this.addSealed({ key, file, bytes: framed.length, items, inFlight: false });
  }

  private addSealed(segment: Segment): void {
    this.sealed.push(segment);
    this.sealedBytes += segment.bytes;
    this.sealedItems += segment.items;
  }

  private forget(segment: Segment): void {
    const index = this.sealed.indexOf(segment);
    if (index < 0) return;
    this.sealed.splice(index, 1);
    this.sealedBytes -= segment.bytes;
    this.sealedItems -= segment.items;
  }
}
