import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * Which conversation a chat is in: `/new` bumps the counter, and the session id the backend sees is
 * `tg:<chatId>:<counter>`, so the sommelier's memory starts fresh without any call to the backend.
 */
export interface SessionCounterStore {
  current(chatId: number): Promise<number>;
  next(chatId: number): Promise<number>;
}

export function sessionIdFor(chatId: number, counter: number): string {
  return `tg:${chatId}:${counter}`;
}

export function userIdFor(telegramUserId: number): string {
  return `tg:${telegramUserId}`;
}

export class MemorySessionCounterStore implements SessionCounterStore {
  protected readonly counters = new Map<number, number>();

  async current(chatId: number): Promise<number> {
    return this.counters.get(chatId) ?? 0;
  }

  async next(chatId: number): Promise<number> {
    const value = (this.counters.get(chatId) ?? 0) + 1;
    this.counters.set(chatId, value);
    return value;
  }
}

const fileSchema = z.object({ version: z.literal(1), counters: z.record(z.string(), z.number().int().nonnegative()) });

/**
 * Counters kept in a small JSON file so a restart does not drop users back into an old conversation.
 * Only `/new` writes (rarely), each write replaces the file atomically (temp file + rename), and a
 * missing or unreadable file starts empty rather than stopping the bot.
 */
export class FileSessionCounterStore extends MemorySessionCounterStore {
  private loaded: Promise<void> | null = null;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    super();
  }

  override async current(chatId: number): Promise<number> {
    await this.load();
    return super.current(chatId);
  }

  override async next(chatId: number): Promise<number> {
    await this.load();
    const value = await super.next(chatId);
    const snapshot = JSON.stringify({ version: 1, counters: Object.fromEntries(this.counters) });
    this.writes = this.writes.then(() => this.persist(snapshot)).catch(this.onError);
    await this.writes;
    return value;
  }

  private load(): Promise<void> {
    this.loaded ??= readFile(this.path, 'utf8').then(
      (text) => {
        const parsed = fileSchema.safeParse(JSON.parse(text));
        if (!parsed.success) throw new Error(`${this.path} is not a session counter file`);
        for (const [chatId, counter] of Object.entries(parsed.data.counters)) this.counters.set(Number(chatId), counter);
      },
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      },
    ).catch(this.onError);
    return this.loaded;
  }

  private async persist(snapshot: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, snapshot, 'utf8');
    await rename(temporary, this.path);
  }
}
