/**
 * Runs tasks one at a time per key (a chat) and concurrently across keys. grammY's built-in long
 * polling handles updates strictly one after another, so a handler that waited for a 20-second LLM
 * answer would stall every other user; handlers hand their slow part to this queue and return.
 * Within one chat the order of answers still follows the order of messages.
 */
export class KeyedWorkQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly onError: (error: unknown, key: string) => void) {}

  enqueue(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(task).catch((error: unknown) => this.onError(error, key));
    this.tails.set(key, run);
    this.inFlight.add(run);
    void run.finally(() => {
      this.inFlight.delete(run);
      if (this.tails.get(key) === run) this.tails.delete(key);
    });
    return run;
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Resolves when every task queued so far (and any queued meanwhile) has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
