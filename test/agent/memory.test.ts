import { describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../src/db/index.js';
import { createConversationMemory, type ConversationMemory } from '../../src/agent/index.js';
import type { StoredTurn } from '../../src/agent/memory.js';
import { databaseBackends, openForSuite } from '../support/database.js';

const turn = (role: StoredTurn['role'], content: string): StoredTurn => ({ role, content });

describe.each(databaseBackends())('conversation memory ($name)', (backend) => {
  let db: Database;

  openForSuite(backend, (opened) => {
    db = opened;
  }, { seed: false });

  /** What the table holds for a session, oldest first: the cache must always agree with it. */
  const stored = async (sessionId: string, limit: number) => {
    const { rows } = await db.query<StoredTurn>(
      'SELECT role, content FROM conversation_messages WHERE session_id = $1 ORDER BY id',
      [sessionId],
    );
    return limit === 0 ? [] : rows.slice(-limit);
  };

  const memories = (): [string, ConversationMemory][] => [
    ['default', createConversationMemory(db)],
    ['cached', createConversationMemory(db, { cachedSessions: 2 })],
    ['uncached', createConversationMemory(db, { cachedSessions: 0 })],
  ];

  it('returns the latest turns, oldest first, after every append', async () => {
    for (const [name, memory] of memories()) {
      const session = `${name}-${Math.random()}`;
      expect(await memory.recent(session, 10)).toEqual([]);
      for (let i = 0; i < 50; i += 1) {
        await memory.append(session, [turn('user', `q${i}`), turn('assistant', `a${i}`)]);
        for (const limit of [0, 1, 3, 10, 40, 45]) expect(await memory.recent(session, limit)).toEqual(await stored(session, limit));
      }
    }
  });

  it('answers a session it began itself without asking the database, and keeps it right from then on', async () => {
    let reads = 0;
    const counted: Queryable = {
      query: (sql, params) => {
        if (/^\s*SELECT/i.test(sql)) reads += 1;
        return db.query(sql, params);
      },
    };
    const memory = createConversationMemory(counted, { cachedSessions: 10 });
    const session = `begun-${Math.random()}`;
    memory.begin(session);
    expect(await memory.recent(session, 10)).toEqual([]);
    expect(reads).toBe(0);
    await memory.append(session, [turn('user', 'q1'), turn('assistant', 'a1')]);
    expect(await memory.recent(session, 10)).toEqual(await stored(session, 10));
    expect(reads).toBe(0);
    // Beginning a session that already has turns (a caller's mistake) must not hide them.
    memory.begin(session);
    expect(await memory.recent(session, 10)).toEqual([turn('user', 'q1'), turn('assistant', 'a1')]);
    // Without a cache there is nothing to remember: the database answers.
    const uncached = createConversationMemory(counted, { cachedSessions: 0 });
    uncached.begin(`other-${Math.random()}`);
    expect(await uncached.recent(session, 10)).toEqual(await stored(session, 10));
  });

  it('bounds the cached sessions by the size of their turns as well as their number', async () => {
    let reads = 0;
    const counted: Queryable = {
      query: (sql, params) => {
        if (/^\s*SELECT/i.test(sql)) reads += 1;
        return db.query(sql, params);
      },
    };
    const long = (tag: string) => `${tag} ${'Красное сухое к стейку. '.repeat(150)}`; // ~3,600 two-byte characters
    // About 7 kB per session of one long turn: room for two, not three.
    const memory = createConversationMemory(counted, { cachedSessions: 100, cachedBytes: 16_000 });
    const sessions = ['a', 'b', 'c'].map((name) => `bytes-${name}-${Math.random()}`);
    for (const session of sessions) {
      memory.begin(session);
      await memory.append(session, [turn('user', long(session))]);
    }
    const readsOf = async (session: string) => {
      const before = reads;
      expect(await memory.recent(session, 10)).toEqual(await stored(session, 10));
      return reads - before;
    };
    expect(await readsOf(sessions[2]!)).toBe(0);
    expect(await readsOf(sessions[1]!)).toBe(0);
    expect(await readsOf(sessions[0]!)).toBe(1);
    // A session bigger than the whole bound is answered from the table, right, every time.
    const huge = `bytes-huge-${Math.random()}`;
    await memory.append(huge, [turn('user', long('1')), turn('assistant', long('2')), turn('user', long('3'))]);
    expect(await readsOf(huge)).toBe(1);
    expect(await readsOf(huge)).toBe(1);
  });

  it('keeps sessions apart and survives eviction', async () => {
    const memory = createConversationMemory(db, { cachedSessions: 2 });
    const sessions = [0, 1, 2, 3].map((i) => `evict-${i}-${Math.random()}`);
    for (let round = 0; round < 3; round += 1) {
      for (const session of sessions) {
        expect(await memory.recent(session, 10)).toEqual(await stored(session, 10));
        await memory.append(session, [turn('user', `${session} ${round}`)]);
      }
    }
    for (const session of sessions) expect(await memory.recent(session, 10)).toEqual(await stored(session, 10));
  });

  it('stays consistent with the table under concurrent appends and reads', async () => {
    const memory = createConversationMemory(db, { cachedSessions: 10 });
    const session = `concurrent-${Math.random()}`;
    await memory.append(session, [turn('user', 'first')]);
    await Promise.all([
      memory.recent(session, 10),
      memory.append(session, [turn('assistant', 'one')]),
      memory.recent(session, 10),
      memory.append(session, [turn('user', 'two')]),
      memory.append(session, [turn('assistant', 'three')]),
      memory.recent(session, 10),
    ]);
    expect(await memory.recent(session, 10)).toEqual(await stored(session, 10));
    await memory.append(session, [turn('user', 'last')]);
    expect(await memory.recent(session, 10)).toEqual(await stored(session, 10));
  });

  it('hands out copies that callers may edit', async () => {
    const memory = createConversationMemory(db, { cachedSessions: 10 });
    const session = `copies-${Math.random()}`;
    await memory.recent(session, 10);
    await memory.append(session, [turn('user', 'hello')]);
    const first = await memory.recent(session, 10);
    first[0]!.content = 'edited';
    first.push(turn('assistant', 'invented'));
    expect(await memory.recent(session, 10)).toEqual([turn('user', 'hello')]);
  });

  it('forgets a session whose append failed', async () => {
    const memory = createConversationMemory(db, { cachedSessions: 10 });
    const session = `failing-${Math.random()}`;
    await memory.append(session, [turn('user', 'kept')]);
    expect(await memory.recent(session, 10)).toEqual([turn('user', 'kept')]);
    // A role of the wrong type fails the INSERT; nothing of it may show up.
    await expect(memory.append(session, [{ role: 'user', content: null as unknown as string }])).rejects.toThrow();
    expect(await memory.recent(session, 10)).toEqual(await stored(session, 10));
  });

  it('writes concurrent appends of many sessions together, each in its order, and waits for each', async () => {
    for (const [name, memory] of memories()) {
      const sessions = Array.from({ length: 30 }, (_, i) => `group-${name}-${i}-${Math.random()}`);
      const before = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM conversation_messages');
      await Promise.all(
        sessions.flatMap((session) =>
          [0, 1, 2].map((round) => memory.append(session, [turn('user', `${session} q${round}`), turn('assistant', `a${round}`)])),
        ),
      );
      // Every append resolved only after its rows were written.
      const after = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM conversation_messages');
      expect(after.rows[0]!.n - before.rows[0]!.n).toBe(30 * 3 * 2);
      for (const session of sessions) {
        const expected = [0, 1, 2].flatMap((round) => [turn('user', `${session} q${round}`), turn('assistant', `a${round}`)]);
        expect(await stored(session, 10)).toEqual(expected);
        expect(await memory.recent(session, 10)).toEqual(expected);
      }
    }
  });

  it('fails only the append whose row the database rejects when appends are written together', async () => {
    const memory = createConversationMemory(db, { cachedSessions: 0 });
    const sessions = Array.from({ length: 8 }, (_, i) => `group-bad-${i}-${Math.random()}`);
    const results = await Promise.allSettled(
      sessions.map((session, i) =>
        // Postgres text cannot hold a NUL character: that INSERT fails whatever else it carries.
        memory.append(session, [turn('user', i === 3 ? 'bad \u0000 row' : `fine ${i}`)]),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(sessions.map((_, i) => (i === 3 ? 'rejected' : 'fulfilled')));
    for (const [i, session] of sessions.entries()) {
      expect(await stored(session, 10)).toEqual(i === 3 ? [] : [turn('user', `fine ${i}`)]);
    }
  });
});
