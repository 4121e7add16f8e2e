import { approximateBytes } from './memory-size.js';

/** Per cache, both generations together. */
const DEFAULT_CACHE_BYTES = 8 * 1024 * 1024;

/**
 * A small bounded cache. Reading a message is pure but costs far more than a lookup, and one chat reads
 * the same messages several times (every earlier turn, on every model call), so readers keep their recent
 * results here. Bounded so that a stream of distinct messages cannot grow memory.
 *
 * Two generations instead of a strict LRU: a hit in the current generation is one Map lookup (no
 * re-ordering on every read — the hot path of the offline engine reads the same names hundreds of times
 * per reply); when the current generation is full it becomes the previous one and the old previous one is
 * dropped. Entries used since the last rotation survive it (a hit in the previous generation moves the
 * entry up), so it keeps what is in use, like an LRU, holding at most twice `capacity` entries.
 *
 * Entries are also bounded by bytes (estimated heap size of key and value, src/shared/memory-size.ts): keys are
 * often user text or tool results of any length, so a count alone does not bound memory. A generation
 * also rotates when it holds half of `maxBytes`; an entry bigger than that is computed but not kept.
 */
export class BoundedCache<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();
  private currentBytes = 0;
  private previousBytes = 0;
  private readonly generationBytes: number;
  /** The most it holds, in estimated bytes, both generations together. */
  readonly maxBytes: number;

  constructor(
    readonly capacity: number,
    options: { maxBytes?: number } = {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`cache capacity must be a positive integer, got ${capacity}`);
    this.maxBytes = options.maxBytes ?? DEFAULT_CACHE_BYTES;
    this.generationBytes = this.maxBytes / 2;
  }

  /** Entries held, across both generations (at most 2 × capacity). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** Estimated bytes held, across both generations (at most maxBytes). */
  get bytes(): number {
    return this.currentBytes + this.previousBytes;
  }

  get(key: K): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined) return value;
    const older = this.previous.get(key);
    if (older !== undefined) {
      this.previous.delete(key);
      const size = sizeOf(key, older);
      this.previousBytes -= size;
      this.store(key, older, size);
    }
    return older;
  }

  /** The cached value for `key`, computed and kept when missing. */
  through(key: K, compute: (key: K) => V): V {
    let value = this.get(key);
    if (value === undefined) {
      value = compute(key);
      this.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    const older = this.previous.get(key);
    if (older !== undefined) {
      this.previous.delete(key);
      this.previousBytes -= sizeOf(key, older);
    }
    const replaced = this.current.get(key);
    if (replaced !== undefined) {
      this.current.delete(key);
      this.currentBytes -= sizeOf(key, replaced);
    }
    this.store(key, value, sizeOf(key, value));
  }

  clear(): void {
    this.current.clear();
    this.previous.clear();
    this.currentBytes = 0;
    this.previousBytes = 0;
  }

  private store(key: K, value: V, size: number): void {
    if (size > this.generationBytes) return;
    if (this.current.size >= this.capacity || this.currentBytes + size > this.generationBytes) {
      this.previous = this.current;
      this.previousBytes = this.currentBytes;
      this.current = new Map();
      this.currentBytes = 0;
    }
    this.current.set(key, value);
    this.currentBytes += size;
  }
}

const sizeOf = (key: unknown, value: unknown): number => approximateBytes(key) + approximateBytes(value);

/**
 * Every module-level cache, by name. A memo of a pure function over text (reading a message, folding a
 * name) gives the same answer to any app instance, so it may live at module scope; it is made here so
 * that it is bounded like the others and listed in one place (tests flood each and check its bytes).
 * One entry per cache declared at module load: a fixed count, not input-dependent (a module evaluated
 * again, as under a test runner's module reset, replaces its caches).
 */
const moduleCaches = new Map<string, BoundedCache<unknown, unknown>>();

/** A module-level memo, registered under `name` (`folder/file.purpose`). */
export function moduleCache<K, V>(name: string, capacity: number, options: { maxBytes?: number } = {}): BoundedCache<K, V> {
  const cache = new BoundedCache<K, V>(capacity, options);
  moduleCaches.set(name, cache as BoundedCache<unknown, unknown>);
  return cache;
}

/** The module-level caches and what each holds now, for tests and diagnostics. */
export function moduleCacheSizes(): { name: string; entries: number; bytes: number; maxBytes: number }[] {
  return [...moduleCaches].map(([name, cache]) => ({ name, entries: cache.size, bytes: cache.bytes, maxBytes: cache.maxBytes }));
}
