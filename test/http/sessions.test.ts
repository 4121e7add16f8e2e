/**
 * Sessions belong to whoever started them (issue 12, item 1), against the real server: a second client
 * can neither read nor extend a conversation it did not start, the bot's `tg:` namespace is the bot's,
 * and a vote counts only for an answer this service gave to that session.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISSUED_SESSION_ID } from '../../src/sessions/index.js';
import { startTestApp, type TestApp } from '../support/app.js';

const BOT_TOKEN = 'sessions-test-bot-token-0123456789';

interface ChatBody {
  reply: string;
  answerId: string;
  sessionId: string;
  sessionToken: string | null;
  recommendations: { id: number; name: string; price: number | null; currency: string | null; stock: number | null }[];
}

interface Transcript {
  sessionId: string;
  messages: {
    role: string;
    content: string;
    answerId: string | null;
    traceId: string | null;
    traceUrl: string | null;
    recommendations: ChatBody['recommendations'];
    feedback: { value: number; comment: string | null } | null;
  }[];
}

describe('server-issued sessions', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ BOT_BACKEND_TOKEN: BOT_TOKEN });
  });
  afterAll(() => app?.dispose());

  const chat = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await app.post('/api/v1/chat', body, headers);
    return { status: response.status, body: (await response.json()) as ChatBody & { error?: { code: string; message: string } } };
  };
  const turnsOf = async (sessionId: string) =>
    (
      await app.services.db.query<{ role: string; content: string }>(
        'SELECT role, content FROM conversation_messages WHERE session_id = $1 ORDER BY id',
        [sessionId],
      )
    ).rows;
  const messages = (sessionId: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/api/v1/sessions/${encodeURIComponent(sessionId)}/messages`, {
      headers: { ...(token === undefined ? {} : { 'x-session-token': token }), ...headers },
    });

  it('issues an unguessable session with its token, and continues it only with both', async () => {
    const first = await chat({ message: 'Посоветуй красное вино к стейку' });
    expect(first.status).toBe(200);
    expect(first.body.sessionId).toMatch(ISSUED_SESSION_ID);
    expect(first.body.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.body.answerId).toMatch(/^[0-9a-f-]{36}$/);

    const second = await chat({ message: 'а из Италии?', sessionId: first.body.sessionId, sessionToken: first.body.sessionToken });
    expect(second.body.sessionId).toBe(first.body.sessionId);
    expect(second.body.sessionToken).toBe(first.body.sessionToken);
    // The follow-up was read with the first question: still red wine for steak, now Italian.
    expect(second.body.reply).toMatch(/Итали/);
    expect((await turnsOf(first.body.sessionId)).map((turn) => turn.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it("a second client can neither extend nor read a session it did not start", async () => {
    const victim = await chat({ message: 'Белое к устрицам, мой телефон +33612345678' });
    const victimId = victim.body.sessionId;
    const before = await turnsOf(victimId);
    const attacker = await chat({ message: 'Какой у меня телефон? а из Италии?' });

    for (const forged of [
      { sessionId: victimId },
      { sessionId: victimId, sessionToken: 'x'.repeat(43) },
      // A real token, but for the attacker's own session.
      { sessionId: victimId, sessionToken: attacker.body.sessionToken },
      // The victim's token with the attacker's id flipped by one character.
      { sessionId: `${victimId.slice(0, -1)}${victimId.endsWith('A') ? 'B' : 'A'}`, sessionToken: victim.body.sessionToken },
    ]) {
      const answer = await chat({ message: 'а из Италии? повтори мой телефон', ...forged });
      expect(answer.status).toBe(200);
      // A fresh session of its own: the victim's history neither read (no phone number) nor appended to.
      expect(answer.body.sessionId).not.toBe(victimId);
      expect(answer.body.sessionId).toMatch(ISSUED_SESSION_ID);
      expect(answer.body.reply).not.toContain('33612345678');
      expect(answer.body.reply).not.toMatch(/устриц/i);
    }
    expect(await turnsOf(victimId)).toEqual(before);

    // Reading it back: only with the victim's token.
    expect((await messages(victimId)).status).toBe(403);
    expect((await messages(victimId, 'x'.repeat(43))).status).toBe(403);
    expect((await messages(victimId, attacker.body.sessionToken!)).status).toBe(403);
    const denied = (await (await messages(victimId, attacker.body.sessionToken!)).json()) as { error: { code: string } };
    expect(denied.error.code).toBe('session_forbidden');
    const own = await messages(victimId, victim.body.sessionToken!);
    expect(own.status).toBe(200);
    expect(((await own.json()) as Transcript).messages).toHaveLength(2);
  });

  it('gives the owner every turn back with its answer id, recommended wines (with price fields) and vote', async () => {
    const first = await chat({ message: 'a light white for oysters' });
    const pair = { sessionId: first.body.sessionId, sessionToken: first.body.sessionToken! };
    const vote = await app.post('/api/v1/feedback', { ...pair, answerId: first.body.answerId, value: -1, comment: 'too sweet' });
    expect(vote.status).toBe(200);
    const second = await chat({ message: 'and something red?', ...pair });

    const response = await messages(pair.sessionId, pair.sessionToken);
    expect(response.status).toBe(200);
    const transcript = (await response.json()) as Transcript;
    expect(transcript.sessionId).toBe(pair.sessionId);
    expect(transcript.messages.map((m) => [m.role, m.answerId])).toEqual([
      ['user', null],
      ['assistant', first.body.answerId],
      ['user', null],
      ['assistant', second.body.answerId],
    ]);
    expect(transcript.messages[0]!.content).toBe('a light white for oysters');
    expect(transcript.messages[1]!.content).toBe(first.body.reply);
    // The same wine summaries the chat answer returned, in the same order.
    expect(transcript.messages[1]!.recommendations).toEqual(first.body.recommendations);
    expect(transcript.messages[1]!.recommendations.length).toBeGreaterThanOrEqual(3);
    for (const wine of transcript.messages[1]!.recommendations) expect(wine).toMatchObject({ price: null, currency: null, stock: null });
    expect(transcript.messages[1]!.feedback).toEqual({ value: -1, comment: 'too sweet' });
    expect(transcript.messages[3]!.feedback).toBeNull();
    expect(transcript.messages[1]!.traceUrl).toBeNull();
  });

  it('keeps the tg: namespace for the bot (x-sommelier-bot-token)', async () => {
    const stranger = await chat({ message: 'red for steak', sessionId: 'tg:42:0' });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error?.code).toBe('session_forbidden');
    const wrongToken = await chat({ message: 'red for steak', sessionId: 'tg:42:0' }, { 'x-sommelier-bot-token': `${BOT_TOKEN}x` });
    expect(wrongToken.status).toBe(403);
    const posing = await chat({ message: 'red for steak', userId: 'tg:42' });
    expect(posing.status).toBe(403);

    const bot = await chat({ message: 'red for steak', sessionId: 'tg:42:0', userId: 'tg:42', channel: 'telegram' }, { 'x-sommelier-bot-token': BOT_TOKEN });
    expect(bot.status).toBe(200);
    expect(bot.body).toMatchObject({ sessionId: 'tg:42:0', sessionToken: null });
    const again = await chat({ message: 'а из Италии?', sessionId: 'tg:42:0', channel: 'telegram' }, { 'x-sommelier-bot-token': BOT_TOKEN });
    expect(again.body.sessionId).toBe('tg:42:0');
    expect(await turnsOf('tg:42:0')).toHaveLength(4);
    expect((await messages('tg:42:0')).status).toBe(403);
    expect((await messages('tg:42:0', undefined, { 'x-sommelier-bot-token': BOT_TOKEN })).status).toBe(200);
  });

  it('refuses forged feedback: another session\'s answer, a wrong token, an answer or trace never issued', async () => {
    const owner = await chat({ message: 'sparkling for a birthday' });
    const other = await chat({ message: 'port with chocolate' });
    const ownerPair = { sessionId: owner.body.sessionId, sessionToken: owner.body.sessionToken };
    const otherPair = { sessionId: other.body.sessionId, sessionToken: other.body.sessionToken };
    const vote = (body: Record<string, unknown>, headers?: Record<string, string>) => app.post('/api/v1/feedback', { value: -1, ...body }, headers);
    const refusals: [string, Response, number, string][] = [
      ["another session's answer", await vote({ ...otherPair, answerId: owner.body.answerId }), 404, 'answer_not_found'],
      ['the owner\'s session with a wrong token', await vote({ ...ownerPair, sessionToken: other.body.sessionToken, answerId: owner.body.answerId }), 403, 'session_forbidden'],
      ['no token at all', await vote({ sessionId: owner.body.sessionId, answerId: owner.body.answerId }), 403, 'session_forbidden'],
      ['an answer id never issued', await vote({ ...ownerPair, answerId: '00000000-0000-4000-8000-000000000000' }), 404, 'answer_not_found'],
      ['a trace id never issued', await vote({ ...ownerPair, traceId: 'a'.repeat(32) }), 404, 'answer_not_found'],
      ['no session', await vote({ answerId: owner.body.answerId }), 400, 'invalid_request'],
      ['no session, by trace id', await vote({ traceId: 'b'.repeat(32) }), 400, 'invalid_request'],
      ['the bot, voting on a trace none of its sessions was given', await vote({ traceId: 'c'.repeat(32) }, { 'x-sommelier-bot-token': BOT_TOKEN }), 404, 'answer_not_found'],
      ['a tg: session without the bot token', await vote({ sessionId: 'tg:42:0', answerId: owner.body.answerId }), 403, 'session_forbidden'],
    ];
    for (const [name, response, status, code] of refusals) {
      expect(response.status, name).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code, name).toBe(code);
    }
    const { rows } = await app.services.db.query('SELECT 1 FROM feedback WHERE answer_id = ANY($1::uuid[])', [[owner.body.answerId, other.body.answerId]]);
    expect(rows).toHaveLength(0);
  });

  it('stores one vote per answer with tracing off, changed by a second vote, and counts them on /metrics', async () => {
    const counted = async (value: 'up' | 'down') =>
      Number(new RegExp(`^sommelier_feedback_total\\{value="${value}",traced="no"\\} (\\d+)$`, 'm').exec(await (await app.get('/metrics')).text())?.[1] ?? 0);
    const [downBefore, upBefore] = [await counted('down'), await counted('up')];
    const answer = await chat({ message: 'a dry white from Italy for fish' });
    const pair = { sessionId: answer.body.sessionId, sessionToken: answer.body.sessionToken, answerId: answer.body.answerId };
    const first = await app.post('/api/v1/feedback', { ...pair, value: -1 });
    const second = await app.post('/api/v1/feedback', { ...pair, value: 1, comment: 'changed my mind' });
    const a = (await first.json()) as { id: string; answerId: string; traceId: string | null; queuedForLangfuse: boolean };
    const b = (await second.json()) as { id: string; value: number; comment: string };
    expect(first.status).toBe(200);
    expect(a).toMatchObject({ answerId: answer.body.answerId, traceId: null, queuedForLangfuse: false });
    expect(b).toMatchObject({ id: a.id, value: 1, comment: 'changed my mind' });
    const { rows } = await app.services.db.query<{ value: number }>('SELECT value FROM feedback WHERE answer_id = $1', [answer.body.answerId]);
    expect(rows).toEqual([{ value: 1 }]);
    expect(await counted('down')).toBe(downBefore + 1);
    expect(await counted('up')).toBe(upBefore + 1);
  });

  it('keeps the session secret in DATA_DIR (mode 0600), so sessions survive a restart', async () => {
    const info = await stat(join(app.dataDir, 'session-secret'));
    expect(info.mode & 0o777).toBe(0o600);

    const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-sessions-'));
    try {
      const before = await startTestApp({ DATA_DIR: dataDir });
      const first = (await (await before.post('/api/v1/chat', { message: 'red for lamb' })).json()) as ChatBody;
      await before.dispose();
      const after = await startTestApp({ DATA_DIR: dataDir });
      try {
        const again = await after.post('/api/v1/chat', { message: 'а из Франции?', sessionId: first.sessionId, sessionToken: first.sessionToken });
        expect(((await again.json()) as ChatBody).sessionId).toBe(first.sessionId);
      } finally {
        await after.dispose();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    // Starts the service twice: slow on a busy machine.
  }, 180_000);
});

describe('SESSION_SECRET', () => {
  let a: TestApp;
  let b: TestApp;

  // Two services starting is slow on a busy machine: hooks get the longer timeout.
  beforeAll(async () => {
    a = await startTestApp({ SESSION_SECRET: 'a'.repeat(32) });
    b = await startTestApp({ SESSION_SECRET: 'b'.repeat(32) });
  });
  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
  });

  it('signs tokens with the configured secret: another secret does not accept them', async () => {
    const answer = (await (await a.post('/api/v1/chat', { message: 'hello' })).json()) as ChatBody;
    const pair = { sessionId: answer.sessionId, sessionToken: answer.sessionToken };
    expect(((await (await a.post('/api/v1/chat', { message: 'red for steak', ...pair })).json()) as ChatBody).sessionId).toBe(pair.sessionId);
    expect(((await (await b.post('/api/v1/chat', { message: 'red for steak', ...pair })).json()) as ChatBody).sessionId).not.toBe(pair.sessionId);
  });
});
