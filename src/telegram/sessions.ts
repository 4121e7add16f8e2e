import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StorageAdapter } from 'grammy';
import { z } from 'zod';

/**
 * A chat's grammY session: which conversation it is in. `/new` moves it on, and the session id the
 * backend sees is `tg:<chatId>:<conversation>`, so the sommelier's memory starts fresh without any call
 * to the backend.
 */
export interface ChatSession {
  conversation: number;
}

/** Every chat starts in conversation 0. */
export function initialChatSession(): ChatSession {
  return { conversation: 0 };
}

export function sessionIdFor(chatId: number, conversation: number): string {
  return `tg:${chatId}:${conversation}`;
}

export function userIdFor(telegramUserId: number): string {
  return `tg:${telegramUserId}`;
}

/**
 * grammY session storage for chat sessions, in memory, keyed by grammY's session key (the chat id).
 * grammY writes back every session an update read, new ones included; a chat still in conversation 0
 * is therefore not stored, so memory grows only with the chats that ever used `/new`.
 */
export class MemoryChatSessionStorage implements StorageAdapter<ChatSession> {
  protected readonly conversations = new Map<string, number>();

  async read(key: string): Promise<ChatSession | undefined> {
    const conversation = this.conversations.get(key);
    return conversation === undefined ? undefined : { conversation };
  }

  async write(key: string, session: ChatSession): Promise<void> {
    this.store(key, session.conversation);
  }

  async delete(key: string): Promise<void> {
    this.store(key, 0);
  }

  readAllKeys(): Iterable<string> {
    return [...this.conversations.keys()];
  }

  /** False when nothing changed, which is what almost every write-back is. */
  protected store(key: string, conversation: number): boolean {
    if ((this.conversations.get(key) ?? 0) === conversation) return false;
    if (conversation === 0) this.conversations.delete(key);
    else this.conversations.set(key, conversation);
    return true;
  }
}

const fileSchema = z.object({ version: z.literal(1), counters: z.record(z.string(), z.number().int().nonnegative()) });

/**
 * Chat sessions kept in a small JSON file so a restart does not drop users back into an old
 * conversation. Only a changed session writes (`/new`, rarely), each write replaces the file atomically
 * (temp file + rename), and a missing or unreadable file starts empty rather than stopping the bot.
 */
export class FileChatSessionStorage extends MemoryChatSessionStorage {
  private loaded: Promise<void> | null = null;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    super();
  }

  override async read(key: string): Promise<ChatSession | undefined> {
    await this.load();
    return super.read(key);
  }

  override async write(key: string, session: ChatSession): Promise<void> {
    await this.load();
    if (this.store(key, session.conversation)) await this.save();
  }

  override async delete(key: string): Promise<void> {
    await this.load();
    if (this.store(key, 0)) await this.save();
  }

  private load(): Promise<void> {
    this.loaded ??= readFile(this.path, 'utf8').then(
      (text) => {
        const parsed = fileSchema.safeParse(JSON.parse(text));
        if (!parsed.success) throw new Error(`${this.path} is not a session counter file`);
        for (const [key, conversation] of Object.entries(parsed.data.counters)) this.store(key, conversation);
      },
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      },
    ).catch(this.onError);
    return this.loaded;
  }

  /** Writes run one after another, in the order of the changes; a failed write is reported, never thrown. */
  private save(): Promise<void> {
    const snapshot = JSON.stringify({ version: 1, counters: Object.fromEntries(this.conversations) });
    this.writes = this.writes.then(() => this.persist(snapshot)).catch(this.onError);
    return this.writes;
  }

  private async persist(snapshot: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, snapshot, 'utf8');
    await rename(temporary, this.path);
  }
}
