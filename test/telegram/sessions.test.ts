import { access, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileChatSessionStorage, MemoryChatSessionStorage, sessionIdFor, userIdFor } from '../../src/telegram/sessions.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
const tempFile = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sommelier-sessions-'));
  dirs.push(dir);
  return join(dir, 'nested', 'telegram-sessions.json');
};
const exists = (path: string) => access(path).then(() => true, () => false);

describe('chat sessions (grammY storage)', () => {
  it('name sessions and users the way Langfuse filters expect', () => {
    expect(sessionIdFor(-100123, 2)).toBe('tg:-100123:2');
    expect(userIdFor(42)).toBe('tg:42');
  });

  it('keep each chat its conversation, and keep no entry for a chat still in conversation 0', async () => {
    const storage = new MemoryChatSessionStorage();
    expect(await storage.read('1')).toBeUndefined();
    // grammY writes back the initial session of every chat it sees: those must not pile up in memory.
    await storage.write('2', { conversation: 0 });
    await storage.write('1', { conversation: 1 });
    await storage.write('1', { conversation: 2 });
    expect(await storage.read('1')).toEqual({ conversation: 2 });
    expect(await storage.read('2')).toBeUndefined();
    expect([...storage.readAllKeys()]).toEqual(['1']);
    await storage.delete('1');
    expect([...storage.readAllKeys()]).toEqual([]);
  });

  it('survive a restart when kept in a file, in the file format of the counter store before them', async () => {
    const path = await tempFile();
    const first = new FileChatSessionStorage(path);
    await first.write('7', { conversation: 1 });
    await first.write('7', { conversation: 2 });
    await first.write('-5', { conversation: 1 });
    const reopened = new FileChatSessionStorage(path);
    expect([await reopened.read('7'), await reopened.read('-5'), await reopened.read('8')]).toEqual([
      { conversation: 2 },
      { conversation: 1 },
      undefined,
    ]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ version: 1, counters: { '7': 2, '-5': 1 } });
  });

  it('touch the file only when a session changed', async () => {
    const path = await tempFile();
    const storage = new FileChatSessionStorage(path);
    await storage.write('3', { conversation: 0 });
    expect(await exists(path)).toBe(false);
    await storage.write('3', { conversation: 1 });
    const written = (await stat(path)).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await storage.write('3', { conversation: 1 });
    await storage.write('4', { conversation: 0 });
    expect((await stat(path)).mtimeMs).toBe(written);
  });

  it('start empty, reporting the problem, when the file is unreadable', async () => {
    const path = await tempFile();
    const garbage = join(path, '..', '..', 'garbage.json');
    await writeFile(garbage, '{not json');
    const errors: unknown[] = [];
    const storage = new FileChatSessionStorage(garbage, (error) => errors.push(error));
    expect(await storage.read('1')).toBeUndefined();
    await storage.write('1', { conversation: 1 });
    expect(await storage.read('1')).toEqual({ conversation: 1 });
    expect(errors).toHaveLength(1);
    // A missing file is simply a first start, not a problem.
    const fresh = new FileChatSessionStorage(path, (error) => errors.push(error));
    expect(await fresh.read('1')).toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
