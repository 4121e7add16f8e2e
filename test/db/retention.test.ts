import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { startRetention } from '../../src/db/retention.js';
import { createConversationMemory } from '../../src/agent/index.js';
import { startTestApp } from '../support/app.js';
import { databaseBackends, openForSuite } from '../support/database.js';

const logger = pino({ level: 'silent' });
const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

describe.each(databaseBackends())('retention sweep ($name)', (backend) => {
  let db: Database;
  openForSuite(backend, (opened) => {
    db = opened;
  }, { seed: false });

  const addTurn = (session: string, content: string, createdAt: string) =>
    db.query('INSERT INTO conversation_messages (session_id, role, content, created_at) VALUES ($1, $2, $3, $4)', [session, 'user', content, createdAt]);
  const addFeedback = (updatedAt: string) =>
    db.query('INSERT INTO feedback (id, trace_id, value, comment, created_at, updated_at) VALUES ($1, $2, 1, $3, $4, $4)', [
      randomUUID(),
      randomUUID().replace(/-/g, ''),
      'a comment',
      updatedAt,
    ]);
  const contents = async (session: string) =>
    (await db.query<{ content: string }>('SELECT content FROM conversation_messages WHERE session_id = $1 ORDER BY id', [session])).rows.map((row) => row.content);

  it('deletes turns and feedback older than the period, turn by turn, and drops the memory cache', async () => {
    const session = `s-${randomUUID()}`;
    await addTurn(session, 'old', daysAgo(31));
    await addTurn(session, 'recent', daysAgo(29));
    await addFeedback(daysAgo(40));
    await addFeedback(daysAgo(1));
    const memory = createConversationMemory(db, { cachedSessions: 10 });
    expect((await memory.recent(session, 10)).map((turn) => turn.content)).toEqual(['old', 'recent']);

    const job = startRetention({ db, days: 30, logger, now: () => NOW, onDeleted: () => memory.dropCache() });
    // The first sweep starts with the job; a second one run now waits for it or finds nothing more.
    await job.sweep();
    await job.stop();

    expect(await contents(session)).toEqual(['recent']);
    expect((await memory.recent(session, 10)).map((turn) => turn.content)).toEqual(['recent']);
    const feedback = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM feedback WHERE updated_at < $1', [daysAgo(30)]);
    expect(feedback.rows[0]!.n).toBe(0);
    const kept = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM feedback WHERE updated_at > $1', [daysAgo(2)]);
    expect(kept.rows[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('reports what it deleted, and keeps everything with 0 days', async () => {
    const session = `s-${randomUUID()}`;
    await addTurn(session, 'ancient', daysAgo(400));
    const keepAll = startRetention({ db, days: 0, logger, now: () => NOW });
    expect(await keepAll.sweep()).toEqual({ conversationMessages: 0, feedback: 0 });
    await keepAll.stop();
    expect(await contents(session)).toEqual(['ancient']);

    const job = startRetention({ db, days: 365, logger, now: () => NOW });
    await job.stop();
    expect(await contents(session)).toEqual([]);
    expect(await job.sweep()).toEqual({ conversationMessages: 0, feedback: 0 });
  });
});

describe('the service sweeps at start', () => {
  it('deletes turns past CONVERSATION_RETENTION_DAYS when it starts', async () => {
    const first = await startTestApp({ CONVERSATION_RETENTION_DAYS: '7' });
    const { dataDir } = first;
    try {
      await first.services.db.query(
        "INSERT INTO conversation_messages (session_id, role, content, created_at) VALUES ('old-session', 'user', 'hello', now() - interval '8 days')",
      );
      await first.stop();
      const second = await startTestApp({ CONVERSATION_RETENTION_DAYS: '7', DATA_DIR: dataDir });
      try {
        await expect
          .poll(async () => (await second.services.db.query("SELECT 1 FROM conversation_messages WHERE session_id = 'old-session'")).rows.length, {
            timeout: 20_000,
          })
          .toBe(0);
      } finally {
        await second.stop();
      }
    } finally {
      await first.dispose();
    }
  });
});
