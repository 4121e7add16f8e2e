import { randomBytes } from 'node:crypto';
import { fstatSync, readFileSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { decodeSegment, encodeRecord, sumOf } from './record.js';
import type { SpoolRecord } from './record.js';

/**
 * The spool on disk: per stream (spans, scores) an append-only log of segment files, a dead-letter folder,
 * the size cap over all of it, and the lock that says which process owns the folder. See ./README.md.
 */
export type StreamName = 'traces' | 'scores';
export const STREAMS: readonly StreamName[] = ['traces', 'scores'];

export interface Segment {
  readonly key: string;
  readonly file: string;
  readonly bytes: number;
  readonly items: number;
  readonly traces: number;
}

interface Active {
  key: string;
  file: string;
  handle: FileHandle;
  bytes: number;
  items: number;
  traces: number;
}

interface Stream {
  dir: string;
  sealed: Segment[];
  active: Active | null;
}

export interface SpoolLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** What the spool tells the counters: data found on disk, data that vanished from it, trouble. */
interface SpoolEvents {
  recovered(stream: StreamName, items: number, traces: number): void;
  lost(stream: StreamName, items: number, traces: number, reason: string): void;
  problem(message: string): void;
}

interface SpoolOptions {
  dir: string;
  maxBytes: number;
  /** A segment is sealed before an append would take it past this size: one request to Langfuse. */
  segmentMaxBytes: number;
  logger: SpoolLogger;
  events: SpoolEvents;
}

interface DeadLetterReason {
  stream: StreamName;
  items: number;
  traces: number;
  reason: string;
}

const LOCK = 'spool.lock';
const INSTANCES = 'instances';
const DEAD_LETTER = 'dead-letter';
/** A lock written on another host (container) is trusted while its owner refreshes it. */
const HEARTBEAT_MS = 30_000;
const LOCK_STALE_MS = 4 * HEARTBEAT_MS;
const ADOPT_EVERY_MS = 60_000;
const SEALED_NAME = /^(\d{16}[a-z]*)-(\d{1,12})(?:-(\d{1,12}))?\.seg$/;
const OPEN_NAME = /^(\d{16})\.open$/;

const noop = (): void => undefined;
const errorCode = (error: unknown): string =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' ? String((error as NodeJS.ErrnoException).code) : 'error';
const byKey = (a: Segment, b: Segment): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const sealedName = (key: string, items: number, traces: number): string => `${key}-${items}-${traces}.seg`;

// --- Who owns the folder -------------------------------------------------------------------------

/**
 * A lock names its process by pid, start time and boot id: a pid alone is reused (a restarted container
 * is pid 1 again, and a live unrelated process may have the pid of a dead owner).
 */
const holderSchema = z.object({ pid: z.number().int().positive(), start: z.string().nullable(), boot: z.string().nullable(), host: z.string() });
type Holder = z.infer<typeof holderSchema>;

const readText = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};
/** Start time in clock ticks since boot (/proc/<pid>/stat field 22); null without /proc. */
const processStart = (pid: number): string | null => {
  const stat = readText(`/proc/${pid}/stat`);
  return stat === null ? null : (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null);
};
const me = (): Holder => ({
  pid: process.pid,
  start: processStart(process.pid),
  boot: readText('/proc/sys/kernel/random/boot_id')?.trim() ?? null,
  host: hostname(),
});

/** True when the process that wrote the lock still runs (and is not this one). */
async function heldByOther(lockFile: string): Promise<boolean> {
  let holder: Holder;
  let mtimeMs: number;
  try {
    holder = holderSchema.parse(JSON.parse(await readFile(lockFile, 'utf8')));
    mtimeMs = (await stat(lockFile)).mtimeMs;
  } catch {
    return false; // no lock, or one we cannot read (an older version's): nobody we can vouch for
  }
  const self = me();
  if (holder.host !== self.host) return Date.now() - mtimeMs < LOCK_STALE_MS;
  if (holder.boot !== null && self.boot !== null && holder.boot !== self.boot) return false;
  if (holder.pid === self.pid && holder.start === self.start) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if (errorCode(error) !== 'EPERM') return false;
  }
  const start = processStart(holder.pid);
  return start === null || holder.start === null || start === holder.start;
}

const writeLock = (file: string): Promise<void> => writeFile(file, `${JSON.stringify(me())}\n`);

// --- The spool -----------------------------------------------------------------------------------

/**
 * Every change goes through one queue (`exclusive`), so the cap is checked against a stable picture and
 * files are never written and deleted at the same time.
 */
export class Spool {
  root: string;
  private streams!: Record<StreamName, Stream>;
  private deadLetters: { base: string; bytes: number }[] = [];
  deadLetterBytes = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private sequence = 1;
  private timers: NodeJS.Timeout[] = [];
  private opened = false;

  constructor(private readonly options: SpoolOptions) {
    this.root = options.dir;
    this.useRoot(options.dir);
  }

  private useRoot(root: string): void {
    this.root = root;
    this.streams = {
      traces: { dir: join(root, 'traces'), sealed: [], active: null },
      scores: { dir: join(root, 'scores'), sealed: [], active: null },
    };
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(noop);
    return run;
  }

  /**
   * Takes the folder (or, when another live process of ours has it, a folder of our own under
   * `instances/`), and picks up whatever a previous run or a process that is gone left behind.
   */
  open(): Promise<void> {
    return this.exclusive(async () => {
      this.useRoot(this.options.dir);
      await mkdir(this.options.dir, { recursive: true });
      const lock = join(this.options.dir, LOCK);
      const owner = !(await heldByOther(lock));
      if (!owner) {
        this.useRoot(join(this.options.dir, INSTANCES, `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`));
        await mkdir(this.root, { recursive: true });
        this.options.logger.info({ dir: this.root }, 'trace spool: another live process owns the spool directory; spooling in a folder of our own');
      }
      await writeLock(join(this.root, LOCK));
      for (const name of STREAMS) await this.load(name, this.streams[name]);
      await this.loadDeadLetters();
      if (owner) await this.adoptOrphans();
      // Counted once everything is in place, so an attempt that failed half-way counts nothing twice.
      for (const name of STREAMS) {
        const { items, traces } = this.pending(name);
        this.options.events.recovered(name, items, traces);
      }
      this.opened = true;
      this.timers.push(setInterval(() => void utimes(join(this.root, LOCK), new Date(), new Date()).catch(noop), HEARTBEAT_MS));
      if (owner) this.timers.push(setInterval(() => void this.exclusive(() => this.adoptOrphans()).catch(noop), ADOPT_EVERY_MS));
      for (const timer of this.timers) timer.unref();
    });
  }

  /** Reads a stream's folder: sealed segments by name; an `.open` one a crash left is sealed now. */
  private async load(name: StreamName, stream: Stream): Promise<void> {
    await mkdir(stream.dir, { recursive: true });
    for (const entry of await readdir(stream.dir)) {
      const file = join(stream.dir, entry);
      const sealed = SEALED_NAME.exec(entry);
      const opened = OPEN_NAME.exec(entry);
      if (entry.endsWith('.tmp')) await rm(file, { recursive: true, force: true });
      else if (sealed?.[1] && sealed[2]) {
        stream.sealed.push({ key: sealed[1], file, bytes: (await stat(file)).size, items: Number(sealed[2]), traces: Number(sealed[3] ?? 0) });
      } else if (opened?.[1]) {
        // Left open by a crash: sealed as it is (a torn last line is ignored when it is read).
        const data = await readFile(file).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
        if (data instanceof Error) {
          await this.moveToDeadLetter(name, file, `${entry}: unreadable (${errorCode(data)}: ${data.message})`, opened[1]);
          continue;
        }
        const { records } = decodeSegment(data);
        const segment = { key: opened[1], bytes: data.length, items: sumOf(records, 'items'), traces: sumOf(records, 'traces') };
        const target = join(stream.dir, sealedName(segment.key, segment.items, segment.traces));
        if (data.length === 0) await rm(file, { force: true });
        else stream.sealed.push({ ...segment, file: await rename(file, target).then(() => target) });
      } else continue;
      this.sequence = Math.max(this.sequence, Number(entry.slice(0, 16)) + 1);
    }
    stream.sealed.sort(byKey);
  }

  private async loadDeadLetters(): Promise<void> {
    const dir = join(this.root, DEAD_LETTER);
    await mkdir(dir, { recursive: true });
    const sizes = new Map<string, number>();
    for (const name of await readdir(dir)) {
      const base = name.replace(/\.(body\.json|reason\.json|unreadable)$/, '');
      if (base === name) continue;
      sizes.set(base, (sizes.get(base) ?? 0) + (await stat(join(dir, name))).size);
    }
    this.deadLetters = [...sizes].map(([base, bytes]) => ({ base, bytes })).sort((a, b) => (a.base < b.base ? -1 : 1));
    this.deadLetterBytes = this.deadLetters.reduce((sum, entry) => sum + entry.bytes, 0);
  }

  /** Folders of other processes of ours that are gone: their data becomes ours, newest in order. */
  private async adoptOrphans(): Promise<void> {
    const instances = join(this.options.dir, INSTANCES);
    const names = await readdir(instances).catch(() => [] as string[]);
    for (const name of names) {
      const dir = join(instances, name);
      if (await heldByOther(join(dir, LOCK))) continue;
      let items = 0;
      for (const streamName of STREAMS) {
        const orphan: Stream = { dir: join(dir, streamName), sealed: [], active: null };
        await this.load(streamName, orphan).catch(noop);
        const ours = this.streams[streamName];
        for (const segment of orphan.sealed) {
          const key = this.nextKey();
          const file = join(ours.dir, sealedName(key, segment.items, segment.traces));
          await rename(segment.file, file);
          ours.sealed.push({ ...segment, key, file });
          if (this.opened) this.options.events.recovered(streamName, segment.items, segment.traces);
          items += segment.items;
        }
      }
      for (const entry of await readdir(join(dir, DEAD_LETTER)).catch(() => [] as string[])) {
        await rename(join(dir, DEAD_LETTER, entry), join(this.root, DEAD_LETTER, entry)).catch(noop);
      }
      await rm(dir, { recursive: true, force: true });
      await this.loadDeadLetters();
      if (items > 0) this.options.logger.info({ from: dir, items }, 'trace spool: adopted data spooled by a process that is gone');
    }
  }

  private nextKey(): string {
    return String(this.sequence++).padStart(16, '0');
  }

  pending(name: StreamName): { items: number; traces: number; bytes: number } {
    const { sealed, active } = this.streams[name];
    return {
      items: sumOf(sealed, 'items') + (active?.items ?? 0),
      traces: sumOf(sealed, 'traces') + (active?.traces ?? 0),
      bytes: sealed.reduce((sum, segment) => sum + segment.bytes, 0) + (active?.bytes ?? 0),
    };
  }

  hasData(name: StreamName): boolean {
    const { sealed, active } = this.streams[name];
    return sealed.length > 0 || (active?.items ?? 0) > 0;
  }

  get pendingBytes(): number {
    return this.pending('traces').bytes + this.pending('scores').bytes;
  }

  /**
   * Room for `incoming` bytes under the cap, by deleting dead letters (oldest first) if need be. Pending
   * data is never pushed out: when it alone fills the cap, the newest data is refused instead, so what is
   * dropped is always whole batches of whole traces, and never the scores of a trace already kept.
   */
  private async makeRoom(incoming: number, credit = 0): Promise<boolean> {
    while (this.pendingBytes + this.deadLetterBytes - credit + incoming > this.options.maxBytes) {
      const oldest = this.deadLetters.shift();
      if (!oldest) return false;
      this.deadLetterBytes -= oldest.bytes;
      for (const suffix of ['.body.json', '.reason.json', '.unreadable']) {
        await rm(join(this.root, DEAD_LETTER, `${oldest.base}${suffix}`), { recursive: true, force: true });
      }
    }
    return true;
  }

  /** Appends framed records; false when the cap leaves no room (the caller drops and counts them). */
  append(name: StreamName, framed: Buffer, items: number, traces: number): Promise<boolean> {
    return this.exclusive(async () => {
      if (!(await this.makeRoom(framed.length))) return false;
      const stream = this.streams[name];
      if (stream.active && stream.active.bytes > 0 && stream.active.bytes + framed.length > this.options.segmentMaxBytes) await this.seal(stream);
      let active = stream.active ?? (await this.openActive(name));
      try {
        await active.handle.appendFile(framed);
        // fstat is served from memory: done synchronously, it costs no trip through the busy event loop.
        if (fstatSync(active.handle.fd).nlink === 0) {
          // Appended to a file someone deleted: what it held is gone. Write this batch again, elsewhere.
          this.options.events.lost(name, active.items, active.traces, 'spool deleted while running');
          stream.active = null;
          await active.handle.close().catch(noop);
          active = await this.openActive(name);
          await active.handle.appendFile(framed);
        }
      } catch (error) {
        // A partial line would swallow the next record: end this segment (readers ignore a torn tail).
        active.bytes += framed.length;
        await this.seal(stream).catch(noop);
        throw error;
      }
      active.bytes += framed.length;
      active.items += items;
      active.traces += traces;
      return true;
    });
  }

  private async openActive(name: StreamName): Promise<Active> {
    const stream = this.streams[name];
    if (await mkdir(stream.dir, { recursive: true })) await this.recreated();
    const key = this.nextKey();
    const file = join(stream.dir, `${key}.open`);
    stream.active = { key, file, handle: await open(file, 'a'), bytes: 0, items: 0, traces: 0 };
    return stream.active;
  }

  /** The folder was deleted under us: take it again, and stop counting segments that went with it. */
  private async recreated(): Promise<void> {
    await writeLock(join(this.root, LOCK)).catch(noop);
    for (const name of STREAMS) {
      const stream = this.streams[name];
      const kept: Segment[] = [];
      for (const segment of stream.sealed) {
        if (await stat(segment.file).then(() => true, () => false)) kept.push(segment);
        else this.options.events.lost(name, segment.items, segment.traces, 'spool deleted while running');
      }
      stream.sealed = kept;
    }
    await this.loadDeadLetters();
    this.options.events.problem(`the spool folder ${this.root} disappeared while running; re-created it`);
  }

  /** Closes the open segment and makes it a sealed one (deletes it when it holds nothing). */
  private async seal(stream: Stream): Promise<void> {
    const active = stream.active;
    if (!active) return;
    await active.handle.close().catch(noop);
    if (active.items === 0) {
      stream.active = null;
      await rm(active.file, { force: true });
      return;
    }
    const sealed = join(stream.dir, sealedName(active.key, active.items, active.traces));
    // A rename that fails leaves the data where it is: it is still sent from there (and found at restart).
    const file = await rename(active.file, sealed).then(() => sealed, () => active.file);
    // Switched in one step, so the pending counts never miss the segment while it is being sealed.
    stream.active = null;
    stream.sealed.push({ key: active.key, file, bytes: active.bytes, items: active.items, traces: active.traces });
  }

  /** The oldest segment to send; the open one is sealed for it when nothing else waits. */
  next(name: StreamName): Promise<Segment | null> {
    return this.exclusive(async () => {
      const stream = this.streams[name];
      if (stream.sealed.length === 0) await this.seal(stream);
      return stream.sealed[0] ?? null;
    });
  }

  read(segment: Segment): Promise<Buffer> {
    return readFile(segment.file);
  }

  /** Delivered (or its file is already gone): deleted and forgotten. */
  remove(name: StreamName, segment: Segment): Promise<void> {
    return this.exclusive(() => this.removeNow(name, segment));
  }

  private async removeNow(name: StreamName, segment: Segment): Promise<void> {
    await rm(segment.file, { recursive: true, force: true });
    const stream = this.streams[name];
    stream.sealed = stream.sealed.filter((other) => other !== segment);
  }

  /**
   * Replaces a segment by parts that keep its place in the delivery order (`…0042` → `…0042a`, `…0042b`).
   * The new files exist before the old one goes, so a crash in between re-sends (an upsert), never loses.
   */
  replace(name: StreamName, segment: Segment, parts: readonly (readonly SpoolRecord[])[]): Promise<void> {
    return this.exclusive(() => this.replaceNow(name, segment, parts));
  }

  private async replaceNow(name: StreamName, segment: Segment, parts: readonly (readonly SpoolRecord[])[]): Promise<void> {
    const stream = this.streams[name];
    const written: Segment[] = [];
    for (const [index, records] of parts.filter((part) => part.length > 0).entries()) {
      written.push(await this.writeSealed(stream, `${segment.key}${String.fromCharCode(0x61 + index)}`, records));
    }
    await rm(segment.file, { force: true });
    stream.sealed = [...stream.sealed.filter((other) => other !== segment), ...written].sort(byKey);
  }

  private async writeSealed(stream: Stream, key: string, records: readonly SpoolRecord[]): Promise<Segment> {
    const data = Buffer.concat(records.map((record) => encodeRecord(record)));
    const file = join(stream.dir, sealedName(key, sumOf(records, 'items'), sumOf(records, 'traces')));
    // Complete or absent: written aside, then renamed into place.
    await writeFile(`${file}.tmp`, data);
    await rename(`${file}.tmp`, file);
    return { key, file, bytes: data.length, items: sumOf(records, 'items'), traces: sumOf(records, 'traces') };
  }

  /**
   * Sets a refused or damaged body aside with its reason and forgets the segment (`keep`: records of it
   * that stay to be sent). The reason is always kept; the body only if dead letters alone make room for
   * it, because a dead letter never pushes out data that can still be delivered.
   */
  deadLetter(name: StreamName, segment: Segment, reason: DeadLetterReason, body: Buffer, keep: readonly SpoolRecord[] = []): Promise<void> {
    return this.exclusive(async () => {
      const room = await this.makeRoom(body.length + 1024, segment.bytes);
      await this.addDeadLetter(room ? reason : { ...reason, reason: `${reason.reason} (body not kept: spool full)` }, room ? body : null, segment.key);
      if (keep.length > 0) await this.replaceNow(name, segment, [keep]);
      else await this.removeNow(name, segment);
    });
  }

  /** An entry named like a segment that cannot be read (a folder, no permission): moved aside as it is. */
  setAside(name: StreamName, segment: Segment, reason: string): Promise<void> {
    return this.exclusive(async () => {
      await this.moveToDeadLetter(name, segment.file, reason, segment.key);
      const stream = this.streams[name];
      stream.sealed = stream.sealed.filter((other) => other !== segment);
    });
  }

  private async moveToDeadLetter(name: StreamName, file: string, reason: string, key: string): Promise<void> {
    const base = await this.addDeadLetter({ stream: name, items: 0, traces: 0, reason }, null, key);
    await rename(file, join(this.root, DEAD_LETTER, `${base}.unreadable`)).catch((error: unknown) =>
      this.options.logger.error({ file, error: errorCode(error) }, 'trace spool: could not move an unreadable entry aside; it is skipped'),
    );
  }

  private async addDeadLetter(reason: DeadLetterReason, body: Buffer | null, key: string): Promise<string> {
    const dir = join(this.root, DEAD_LETTER);
    await mkdir(dir, { recursive: true });
    const at = new Date();
    const base = `${String(at.getTime()).padStart(15, '0')}-${randomBytes(3).toString('hex')}-${reason.stream}-${key}`;
    const reasonText = `${JSON.stringify({ ...reason, at: at.toISOString() }, null, 2)}\n`;
    if (body) await writeFile(join(dir, `${base}.body.json`), body);
    await writeFile(join(dir, `${base}.reason.json`), reasonText);
    const bytes = (body?.length ?? 0) + Buffer.byteLength(reasonText);
    this.deadLetters.push({ base, bytes });
    this.deadLetterBytes += bytes;
    return base;
  }

  /** Seals open segments and releases the folder. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      for (const timer of this.timers) clearInterval(timer);
      for (const name of STREAMS) await this.seal(this.streams[name]).catch(noop);
      // A folder of our own under instances/ goes when it holds nothing; else the owner adopts it.
      const empty = this.root !== this.options.dir && this.pendingBytes === 0 && this.deadLetters.length === 0;
      await rm(empty ? this.root : join(this.root, LOCK), { recursive: true, force: true });
    });
  }
}
