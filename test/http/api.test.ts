import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

interface ChatBody {
  reply: string;
  recommendations: { id: number; name: string; type: string; pairings: string[]; country: string | null }[];
  sessionId: string;
  toolsUsed: string[];
  iterations: number;
  engine: string;
  traceId: string | null;
}

describe('HTTP API on the embedded database with the offline engine', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.dispose());

  it('answers the README request in Russian with at least 3 red wines for beef', async () => {
    const response = await app.post('/api/v1/chat', { message: 'Посоветуй красное вино к стейку' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as ChatBody;
    expect(body.reply).toMatch(/[а-яё]{4,}/i);
    expect(body.recommendations.length).toBeGreaterThanOrEqual(3);
    for (const wine of body.recommendations) {
      expect(wine.type).toBe('red');
      expect(wine.pairings).toContain('Beef');
      expect(body.reply).toContain(wine.name);
    }
    expect(body.engine).toBe('offline');
    expect(body.toolsUsed).toContain('search_wines');
    expect(body.iterations).toBeGreaterThanOrEqual(2);
    expect(body.traceId).toBeNull();
    expect(body.sessionId).toMatch(/.+/);
  });

  it('answers an English request in English', async () => {
    const response = await app.post('/api/v1/chat', { message: 'a light white for oysters', userId: 'u-1' });
    const body = (await response.json()) as ChatBody;
    expect(response.status).toBe(200);
    expect(body.reply).not.toMatch(/[а-яё]/i);
    expect(body.recommendations.length).toBeGreaterThanOrEqual(1);
    for (const wine of body.recommendations) expect(wine.type).toBe('white');
  });

  it('keeps the conversation of a session in the database', async () => {
    const first = (await (await app.post('/api/v1/chat', { message: 'красное к стейку' })).json()) as ChatBody & { sessionToken: string };
    await app.post('/api/v1/chat', { message: 'а из Италии?', sessionId: first.sessionId, sessionToken: first.sessionToken });
    const { rows } = await app.services.db.query<{ role: string; content: string }>(
      'SELECT role, content FROM conversation_messages WHERE session_id = $1 ORDER BY id',
      [first.sessionId],
    );
    expect(rows.map((row) => row.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(rows[0]!.content).toBe('красное к стейку');
    expect(rows[1]!.content).toBe(first.reply);
  });

  it.each([
    ['an empty message', { message: '   ' }, /message/],
    ['a message over 4,000 characters', { message: 'x'.repeat(4001) }, /4000/],
    ['a message of the wrong type', { message: 42 }, /message/],
    ['a missing message', { sessionId: 'abc' }, /message/],
    ['an unknown field', { message: 'hi', temperature: 2 }, /temperature|unrecognized/i],
    ['a session id with spaces', { message: 'hi', sessionId: 'a b' }, /sessionId/],
  ])('rejects %s with 400 and says what is wrong', async (_name, body, pattern) => {
    const response = await app.post('/api/v1/chat', body);
    expect(response.status).toBe(400);
    const error = (await response.json()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe('invalid_request');
    expect(error.error.message).toMatch(pattern);
  });

  it('rejects invalid JSON with 400 invalid_json', async () => {
    const response = await app.post('/api/v1/chat', '{"message": "hi",');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });

  it('rejects a body that is not JSON with 415', async () => {
    const response = await fetch(`${app.url}/api/v1/chat`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });

  it('lists wines with the search_wines filters and semantic search', async () => {
    const filtered = (await (await app.get('/api/v1/wines?type=red&pairing=beef&country=France&limit=5')).json()) as {
      wines: { type: string; country: string; pairings: string[] }[];
      count: number;
    };
    expect(filtered.count).toBeGreaterThan(0);
    for (const wine of filtered.wines) {
      expect(wine).toMatchObject({ type: 'red', country: 'France' });
      expect(wine.pairings).toContain('Beef');
    }
    const semantic = (await (await app.get(`/api/v1/wines?q=${encodeURIComponent('light and fruity for a picnic')}`)).json()) as {
      count: number;
    };
    expect(semantic.count).toBeGreaterThan(0);
  });

  it('returns one wine by id, 404 for an unknown id and 400 for a malformed one', async () => {
    const list = (await (await app.get('/api/v1/wines?limit=1')).json()) as { wines: { id: number; name: string }[] };
    const id = list.wines[0]!.id;
    const one = await app.get(`/api/v1/wines/${id}`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { name: string }).name).toBe(list.wines[0]!.name);
    const missing = await app.get('/api/v1/wines/999999999');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'wine_not_found' });
    expect((await app.get('/api/v1/wines/abc')).status).toBe(400);
  });

  it('rejects unknown filter values on /wines', async () => {
    const response = await app.get('/api/v1/wines?type=blue');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/type/);
    expect((await app.get('/api/v1/wines?limit=0')).status).toBe(400);
  });

  it('stores feedback even with tracing off, one row per answer (test/http/sessions.test.ts has the rest)', async () => {
    const answer = (await (await app.post('/api/v1/chat', { message: 'red for steak' })).json()) as { answerId: string; sessionId: string; sessionToken: string };
    const vote = { sessionId: answer.sessionId, sessionToken: answer.sessionToken, answerId: answer.answerId };
    const first = await app.post('/api/v1/feedback', { ...vote, value: -1 });
    expect(first.status).toBe(200);
    const second = await app.post('/api/v1/feedback', { ...vote, value: 1, comment: 'changed my mind' });
    const a = (await first.json()) as { id: string; queuedForLangfuse: boolean };
    const b = (await second.json()) as { id: string; value: number };
    expect(b.id).toBe(a.id);
    expect(b.value).toBe(1);
    expect(a.queuedForLangfuse).toBe(false);
    const bad = await app.post('/api/v1/feedback', { ...vote, traceId: 'nope', value: 2 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/traceId|value/);
  });

  it('answers a repeated search from the cache and counts it on /metrics', async () => {
    const counts = async () => {
      const text = await (await app.get('/metrics')).text();
      const read = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
      return {
        hit: read(/^sommelier_catalog_cache_lookups_total\{result="hit"\} (\d+)$/m),
        miss: read(/^sommelier_catalog_cache_lookups_total\{result="miss"\} (\d+)$/m),
        entries: read(/^sommelier_catalog_cache_entries (\d+)$/m),
        bytes: read(/^sommelier_catalog_cache_bytes (\d+)$/m),
      };
    };
    const before = await counts();
    const path = '/api/v1/wines?type=port&country=Portugal&limit=3&sort=name';
    const first = await (await app.get(path)).json();
    const second = await (await app.get(path)).json();
    expect(second).toEqual(first);
    const after = await counts();
    expect(after.miss - before.miss).toBe(1);
    expect(after.hit - before.hit).toBe(1);
    expect(after.entries).toBeGreaterThanOrEqual(1);
    // Three wines and their key: a few kB, counted against CATALOG_CACHE_MAX_MB.
    expect(after.bytes - before.bytes).toBeGreaterThan(500);
  });

  it('serves health, readiness, metrics, the OpenAPI document and the chat page', async () => {
    expect(await (await app.get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = (await (await app.get('/readyz')).json()) as { status: string; checks: { database: { wines: number }; tracing: { enabled: boolean } } };
    expect(ready.status).toBe('ready');
    expect(ready.checks.database.wines).toBe(1007);
    expect(ready.checks.tracing.enabled).toBe(false);
    const metrics = await (await app.get('/metrics')).text();
    expect(metrics).toMatch(/sommelier_chat_requests_total\{engine="offline",fallback="no"\} [1-9]/);
    expect(metrics).toMatch(/sommelier_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/chat",status="200"\} [1-9]/);
    const openapi = (await (await app.get('/docs/json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/v1/chat', '/api/v1/wines', '/api/v1/wines/{id}', '/api/v1/feedback', '/api/v1/sessions/{sessionId}/messages', '/healthz', '/readyz', '/metrics']),
    );
    // The API reference UI's own assets (served by @fastify/static) load on Node 20.
    const css = await app.get('/docs/static/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    expect((await css.text()).length).toBeGreaterThan(1000);
    const page = await app.get('/');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/api/v1/chat');
    const unknown = await app.get('/nope');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
