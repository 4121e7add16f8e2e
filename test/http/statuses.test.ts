/**
 * Every status a route is seen to send is one its schema declares, so /docs lists it. Each case provokes one
 * status on one route the way a client would; the route's OpenAPI operation must list that status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN_HEADER } from '../../src/shared/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';

const TOKEN = 'statuses-test-api-token-0123456789';
const BOT_TOKEN = 'statuses-test-bot-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

describe('route statuses', () => {
  let app: TestApp;
  let llm: ScriptedLlm;
  let declared: (route: string) => string[];

  beforeAll(async () => {
    llm = await startScriptedLlm();
    // The model fails every call, and there is no offline fallback: a chat is a 502.
    llm.fallback(() => ({ status: 500, body: { error: { message: 'model down' } } }));
    app = await startTestApp({
      API_TOKEN: TOKEN,
      BOT_BACKEND_TOKEN: BOT_TOKEN,
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_CHAT_PER_MINUTE: '10',
      RATE_LIMIT_FEEDBACK_PER_MINUTE: '10',
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: 'sk-test',
      LLM_MAX_RETRIES: '0',
      LLM_FALLBACK_TO_OFFLINE: 'false',
    });
    const openapi = (await (await app.get('/docs/json')).json()) as OpenApi;
    declared = (route) => {
      const [method, path] = route.split(' ') as [string, string];
      return Object.keys(openapi.paths[path]?.[method.toLowerCase()]?.responses ?? {});
    };
  });
  afterAll(async () => {
    await app?.dispose();
    await llm?.close();
  });

  const request = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    fetch(`${app.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const post = (path: string, body: unknown, headers: Record<string, string> = auth) => app.post(path, body, headers);
  const firstWineId = async () => ((await (await request('GET', '/api/v1/wines?limit=1', auth)).json()) as { wines: { id: number }[] }).wines[0]!.id;
  const tooLarge = JSON.stringify({ message: 'x'.repeat(70 * 1024) });

  /** [route as /docs names it, what the client sends, the status it gets] */
  const cases: [string, () => Promise<Response>, number][] = [
    ['POST /api/v1/chat', () => post('/api/v1/chat', { message: 'a red for steak' }, {}), 401],
    ['POST /api/v1/chat', () => post('/api/v1/chat', { message: '' }), 400],
    ['POST /api/v1/chat', () => post('/api/v1/chat', { message: 'bad\u0000text' }), 400],
    ['POST /api/v1/chat', () => post('/api/v1/chat', { message: 'a red for steak', sessionId: 'tg:1' }), 403],
    ['POST /api/v1/chat', () => post('/api/v1/chat', tooLarge), 413],
    ['POST /api/v1/chat', () => request('POST', '/api/v1/chat', { ...auth, 'content-type': 'text/plain' }, 'a red for steak'), 415],
    ['POST /api/v1/chat', () => post('/api/v1/chat', { message: 'a red for steak' }), 502],
    ['POST /api/v1/feedback', () => post('/api/v1/feedback', { traceId: 'a'.repeat(32), value: 1 }, {}), 401],
    ['POST /api/v1/feedback', () => post('/api/v1/feedback', { traceId: 'a'.repeat(32), value: 5 }), 400],
    ['POST /api/v1/feedback', () => post('/api/v1/feedback', { sessionId: 'tg:1', traceId: 'a'.repeat(32), value: 1 }), 403],
    ['POST /api/v1/feedback', () => post('/api/v1/feedback', { traceId: 'a'.repeat(32), value: 1 }, { ...auth, [BOT_TOKEN_HEADER]: BOT_TOKEN }), 404],
    ['POST /api/v1/feedback', () => post('/api/v1/feedback', tooLarge), 413],
    ['POST /api/v1/feedback', () => request('POST', '/api/v1/feedback', { ...auth, 'content-type': 'text/plain' }, 'up'), 415],
    ['GET /api/v1/sessions/{sessionId}/messages', () => request('GET', '/api/v1/sessions/s_1/messages'), 401],
    ['GET /api/v1/sessions/{sessionId}/messages', () => request('GET', '/api/v1/sessions/not%20an%20id/messages', auth), 400],
    ['GET /api/v1/sessions/{sessionId}/messages', () => request('GET', '/api/v1/sessions/s_1/messages', auth), 403],
    ['GET /api/v1/wines', () => request('GET', '/api/v1/wines?limit=1', auth), 200],
    ['GET /api/v1/wines', () => request('GET', '/api/v1/wines?limit=1'), 401],
    ['GET /api/v1/wines', () => request('GET', '/api/v1/wines?limit=999', auth), 400],
    ['GET /api/v1/wines/{id}', async () => request('GET', `/api/v1/wines/${await firstWineId()}`, auth), 200],
    ['GET /api/v1/wines/{id}', () => request('GET', '/api/v1/wines/1'), 401],
    ['GET /api/v1/wines/{id}', () => request('GET', '/api/v1/wines/abc', auth), 400],
    ['GET /api/v1/wines/{id}', () => request('GET', '/api/v1/wines/2147483647', auth), 404],
    ['GET /healthz', () => request('GET', '/healthz'), 200],
    ['GET /healthz', () => request('GET', '/healthz?q=%00'), 400],
    ['GET /readyz', () => request('GET', '/readyz'), 200],
    ['GET /readyz', () => request('GET', '/readyz?q=%00'), 400],
    ['GET /metrics', () => request('GET', '/metrics', auth), 200],
    ['GET /metrics', () => request('GET', '/metrics'), 401],
    ['GET /metrics', () => request('GET', '/metrics?q=%00', auth), 400],
  ];

  it('sends each status a route is seen to send, and /docs declares it for that route', async () => {
    for (const [route, send, status] of cases) {
      const response = await send();
      expect(response.status, `${route} → ${status}`).toBe(status);
      expect(declared(route), `${route} declares ${status}`).toContain(String(status));
    }
  });

  it('declares 429 on the rate-limited routes, which send it once a client used its minute', async () => {
    for (const [route, send] of [
      ['POST /api/v1/chat', () => post('/api/v1/chat', { message: '' })],
      ['POST /api/v1/feedback', () => post('/api/v1/feedback', { value: 5 })],
    ] as const) {
      let status = 0;
      for (let i = 0; i < 20 && status !== 429; i += 1) status = (await send()).status;
      expect(status, route).toBe(429);
      expect(declared(route), route).toContain('429');
    }
  });
});
