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
 */
export class BoundedCache<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`cache capacity must be a positive integer, got ${capacity}`);
  }

  /** Entries held, across both generations (at most 2 × capacity). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  get(key: K): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined) return value;
    const older = this.previous.get(key);
    if (older !== undefined) {
      this.previous.delete(key);
      this.store(key, older);
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
    this.previous.delete(key);
    if (this.current.has(key)) this.current.set(key, value);
    else this.store(key, value);
  }

  clear(): void {
    this.current.clear();
    this.previous.clear();
  }

  private store(key: K, value: V): void {
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}
