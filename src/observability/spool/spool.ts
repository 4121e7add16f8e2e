import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeadLetterStore } from './dead-letter.js';
import type { DeadLetterReason } from './dead-letter.js';
import { isErrnoException, removeFile } from './fs-util.js';
import type { SpoolRecord } from './record.js';
import { SegmentLog } from './segment-log.js';
import type { Segment } from './segment-log.js';

export type StreamName = 'traces' | 'scores';
export const STREAMS: readonly StreamName[] = ['traces', 'scores'];

export interface SpoolLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface SpoolOptions {
  dir: string;
  maxBytes: number;
  segmentMaxBytes: number;
  fsync: boolean;
  /** Wall-clock time, for dead-letter names and reasons. */
  now: () => number;
  logger: SpoolLogger;
  /** The size cap removed this many spans or scores that were never delivered. */
  onDrop: (stream: StreamName, items: number) => void;
}

const LOCK_FILE = 'spool.lock';
const INSTANCES_DIR = 'instances';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrnoException(error) && error.code === 'EPERM';
  }
}

async function readLockHolder(file: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes `dir` for this process. A lock naming a dead process — or this very pid, which is what a
 * restarted container (always pid 1) finds — is stale and taken over.
 */
async function acquireLock(dir: string): Promise<boolean> {
  const file = join(dir, LOCK_FILE);
  try {
    await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if (!(isErrnoException(error) && error.code === 'EEXIST')) throw error;
  }
  const holder = await readLockHolder(file);
  if (holder !== null && holder !== process.pid && processIsAlive(holder)) return false;
  await writeFile(file, `${process.pid}\n`);
  return true;
}

/**
 * The on-disk spool: one segment log per stream, the dead-letter folder, and the size cap over all of
 * them. Every change goes through one queue (`exclusive`), so the cap is checked against a stable
 * picture and files are never written and deleted at the same time.
 *
 * Several processes may share a data directory (API server, Telegram bot, CLI): the first takes the
 * directory, the others spool under `instances/<pid>/`; the owner adopts an instance directory whose
 * process is gone when it starts, so nothing a crashed CLI spooled is left behind.
 */
export class Spool {
  root: string;
  logs: Record<StreamName, SegmentLog>;
  deadLetters: DeadLetterStore;
  private chain: Promise<void> = Promise.resolve();
  private ownsRoot = false;

  constructor(private readonly options: SpoolOptions) {
    this.root = options.dir;
    this.logs = this.createLogs(this.root);
    this.deadLetters = new DeadLetterStore(join(this.root, 'dead-letter'), options.fsync, options.now);
  }

  private createLogs(root: string): Record<StreamName, SegmentLog> {
    // Segment ages drive send timing: measured on the monotonic clock.
    const logOptions = { segmentMaxBytes: this.options.segmentMaxBytes, fsync: this.options.fsync, now: () => performance.now() };
    return {
      traces: new SegmentLog(join(root, 'traces'), logOptions),
      scores: new SegmentLog(join(root, 'scores'), logOptions),
    };
  }

  /** Runs `task` after every change queued before it; the queue survives a failed task. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Resolves once every change queued so far is on disk. */
  idle(): Promise<void> {
    return this.chain;
  }

  open(): Promise<void> {
    return this.exclusive(async () => {
      await mkdir(this.options.dir, { recursive: true });
      if (await acquireLock(this.options.dir)) {
        this.ownsRoot = true;
      } else {
        this.root = join(this.options.dir, INSTANCES_DIR, String(process.pid));
        await mkdir(this.root, { recursive: true });
        await writeFile(join(this.root, LOCK_FILE), `${process.pid}\n`);
        this.logs = this.createLogs(this.root);
        this.deadLetters = new DeadLetterStore(join(this.root, 'dead-letter'), this.options.fsync, this.options.now);
        this.options.logger.info(
          { dir: this.root },
          'trace spool: another live process owns the spool directory; spooling in a per-process directory',
        );
      }
      await this.deadLetters.open();
      for (const stream of STREAMS) {
        const corrupt = await this.logs[stream].open();
        for (const line of corrupt) await this.setAsideCorrupt(stream, line);
      }
      if (this.ownsRoot) await this.adoptOrphans();
    });
  }

  private async setAsideCorrupt(stream: StreamName, line: Buffer): Promise<void> {
    await this.deadLetters.add(
      { stream, items: 0, status: null, reason: 'spool record failed its checksum (torn or damaged on disk)', endpoint: null },
      line,
      'corrupt',
    );
  }

  private async adoptOrphans(): Promise<void> {
    const instancesDir = join(this.options.dir, INSTANCES_DIR);
    let names: string[];
    try {
      names = await readdir(instancesDir);
    } catch {
      return;
    }
    for (const name of names) {
      const dir = join(instancesDir, name);
      const holder = await readLockHolder(join(dir, LOCK_FILE));
      if (holder !== null && holder !== process.pid && processIsAlive(holder)) continue;
      const orphanLogs = this.createLogs(dir);
      let adopted = 0;
      for (const stream of STREAMS) {
        const corrupt = await orphanLogs[stream].open();
        for (const line of corrupt) await this.setAsideCorrupt(stream, line);
        for (const segment of [...orphanLogs[stream].list()]) {
          await this.logs[stream].adopt(segment.file, segment.items, segment.bytes);
          adopted += segment.items;
        }
      }
      const orphanDeadLetters = new DeadLetterStore(join(dir, 'dead-letter'), false, this.options.now);
      await orphanDeadLetters.open();
      await this.deadLetters.adoptFrom(orphanDeadLetters);
      await rm(dir, { recursive: true, force: true });
      if (adopted > 0) {
        this.options.logger.info({ from: dir, items: adopted }, 'trace spool: adopted data spooled by a process that is gone');
      }
    }
  }

  get pendingBytes(): number {
    return this.logs.traces.pendingBytes + this.logs.scores.pendingBytes;
  }

  private get usedBytes(): number {
    return this.pendingBytes + this.deadLetters.bytes;
  }

  /**
   * Frees space for `incoming` bytes: dead letters go first, then the oldest undelivered spans, then the
   * oldest scores (they are small and carry user feedback). False when even that cannot make room.
   */
  private async makeRoom(incoming: number, mayDropPending = true): Promise<boolean> {
    if (incoming > this.options.maxBytes) return false;
    while (this.usedBytes + incoming > this.options.maxBytes) {
      if (await this.deadLetters.dropOldest()) continue;
      if (!mayDropPending) return false;
      const victimStream = STREAMS.find((stream) => this.logs[stream].oldestDroppable() !== undefined);
      if (victimStream) {
        const victim = this.logs[victimStream].oldestDroppable();
        if (victim) {
          await this.logs[victimStream].remove(victim);
          this.options.onDrop(victimStream, victim.items);
        }
        continue;
      }
      const withOpenData = STREAMS.find((stream) => this.logs[stream].hasActiveData);
      if (!withOpenData) return false;
      await this.logs[withOpenData].sealActive();
    }
    return true;
  }

  /** Appends framed records; false when the cap left no room (the caller counts them as dropped). */
  append(stream: StreamName, framed: Buffer, items: number): Promise<boolean> {
    return this.exclusive(async () => {
      if (!(await this.makeRoom(framed.length))) return false;
      await this.logs[stream].append(framed, items);
      return true;
    });
  }

  /**
   * The next segment to send, marked in flight. The open segment is sealed for it once it is at least
   * `minAgeMs` old (so bursts of small writes go out as one request).
   */
  takeNext(stream: StreamName, minAgeMs: number): Promise<Segment | null> {
    return this.exclusive(async () => {
      const log = this.logs[stream];
      if (!log.oldestSealed()) {
        const age = log.activeAgeMs();
        if (age === null || age < minAgeMs) return null;
        await log.sealActive();
      }
      const segment = log.oldestSealed() ?? null;
      if (segment) segment.inFlight = true;
      return segment;
    });
  }

  complete(stream: StreamName, segment: Segment): Promise<void> {
    return this.exclusive(() => this.logs[stream].remove(segment));
  }

  replace(stream: StreamName, segment: Segment, parts: readonly (readonly SpoolRecord[])[]): Promise<void> {
    return this.exclusive(() => this.logs[stream].replace(segment, parts));
  }

  /** Sets a refused body aside with its reason, then forgets what it came from (`replacement`: what stays). */
  deadLetter(
    stream: StreamName,
    segment: Segment,
    reason: DeadLetterReason,
    body: Buffer,
    replacement: readonly SpoolRecord[] = [],
  ): Promise<void> {
    return this.exclusive(async () => {
      // The reason is always kept; the body only if older dead letters can make room for it —
      // a dead letter never pushes out data that can still be delivered.
      const kept = (await this.makeRoom(body.length + 1024, false)) ? body : Buffer.alloc(0);
      await this.deadLetters.add(kept.length === body.length ? reason : { ...reason, reason: `${reason.reason} (body not kept: spool full)` }, kept, segment.key);
      if (replacement.length > 0) await this.logs[stream].replace(segment, [replacement]);
      else await this.logs[stream].remove(segment);
    });
  }

  /** Seals open segments and releases the directory. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      for (const stream of STREAMS) await this.logs[stream].close().catch(() => undefined);
      const lockFile = join(this.root, LOCK_FILE);
      if ((await readLockHolder(lockFile)) === process.pid) await removeFile(lockFile);
    });
  }
}
