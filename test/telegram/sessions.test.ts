import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSessionCounterStore, MemorySessionCounterStore, sessionIdFor, userIdFor } from '../../src/telegram/sessions.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
const tempFile = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sommelier-sessions-'));
  dirs.push(dir);
  return join(dir, 'nested', 'telegram-sessions.json');
};

describe('session counters', () => {
  it('name sessions and users the way Langfuse filters expect', () => {
    expect(sessionIdFor(-100123, 2)).toBe('tg:-100123:2');
    expect(userIdFor(42)).toBe('tg:42');
  });

  it('start at 0 and count /new per chat', async () => {
    const store = new MemorySessionCounterStore();
    expect(await store.current(1)).toBe(0);
    expect(await store.next(1)).toBe(1);
    expect(await store.next(1)).toBe(2);
    expect(await store.current(2)).toBe(0);
  });

  it('survive a restart when kept in a file', async () => {
    const path = await tempFile();
    const first = new FileSessionCounterStore(path);
    await first.next(7);
    await first.next(7);
    await first.next(-5);
    const reopened = new FileSessionCounterStore(path);
    expect([await reopened.current(7), await reopened.current(-5), await reopened.current(8)]).toEqual([2, 1, 0]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ version: 1, counters: { '7': 2, '-5': 1 } });
  });

  it('start empty, reporting the problem, when the file is unreadable', async () => {
    const path = await tempFile();
    const garbage = join(path, '..', '..', 'garbage.json');
    await writeFile(garbage, '{not json');
    const errors: unknown[] = [];
    const store = new FileSessionCounterStore(garbage, (error) => errors.push(error));
    expect(await store.current(1)).toBe(0);
    expect(await store.next(1)).toBe(1);
    expect(errors).toHaveLength(1);
    // A missing file is simply a first start, not a problem.
    const fresh = new FileSessionCounterStore(path, (error) => errors.push(error));
    expect(await fresh.current(1)).toBe(0);
    expect(errors).toHaveLength(1);
  });
});
