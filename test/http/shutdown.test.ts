import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.js';
import { sommelierResponder, startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';

describe('graceful shutdown', () => {
  let llm: ScriptedLlm;

  beforeAll(async () => {
    llm = await startScriptedLlm();
    llm.fallback(sommelierResponder({ delayMs: 400 }));
  });
  afterAll(() => llm.close());

  const llmEnv = () => ({ LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.url, LLM_API_KEY: 'sk-test' });
  const modelHasRequests = async (count: number) => {
    while (llm.requests.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('finishes a request in flight, then refuses new connections and closes the database', async () => {
    const app = await startTestApp(llmEnv());
    const before = llm.requests.length;
    const inFlight = app.post('/api/v1/chat', { message: 'a red for steak' });
    // Wait until the model has the request, so the chat is really in flight when shutdown starts.
    await modelHasRequests(before + 1);
    const stopped = app.dispose();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { reply: string }).reply).toMatch(/picks/);
    await stopped;
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    await expect(app.sommelier.db.query('SELECT 1')).rejects.toThrow();
  });

  it('does not wait for keep-alive sockets: neither idle ones nor one whose request finishes during the drain', async () => {
    // A grace far longer than the test: only closing the sockets as they go idle lets stop() end in time.
    const app = await startTestApp(llmEnv(), { shutdownGraceMs: 60_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const send = (method: string, path: string, body?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${app.url}${path}`, { method, agent, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      const before = llm.requests.length;
      const inFlight = send('POST', '/api/v1/chat', JSON.stringify({ message: 'a red for steak' }));
      await modelHasRequests(before + 1);
      // A second socket, idle (kept alive) once this answer is read.
      expect(await send('GET', '/healthz')).toBe(200);
      const startedAt = performance.now();
      const stopped = app.dispose();
      expect(await inFlight).toBe(200);
      await stopped;
      // Fastify's keep-alive timeout is 72 s; the grace 60 s.
      expect(performance.now() - startedAt).toBeLessThan(10_000);
    } finally {
      agent.destroy();
    }
  });

  it('a request that does not finish holds shutdown for the grace period only', async () => {
    const app = await startTestApp(llmEnv(), { shutdownGraceMs: 300 });
    const before = llm.requests.length;
    // The model accepts the request and never answers (its client's own timeout is far longer).
    llm.script([{ hang: true }]);
    const stuck = app.post('/api/v1/chat', { message: 'a red for steak' }).then(
      (response) => `answered ${response.status}`,
      () => 'connection closed',
    );
    await modelHasRequests(before + 1);
    const startedAt = performance.now();
    await app.dispose();
    expect(performance.now() - startedAt).toBeLessThan(10_000);
    expect(await stuck).toBe('connection closed');
  });
});
