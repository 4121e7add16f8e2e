import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
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
  const refusesConnections = async (port: number, host: string) => {
    for (;;) {
      const refused = await new Promise<boolean>((resolve) => {
        const probe = connect(port, host);
        probe.on('connect', () => {
          probe.destroy();
          resolve(false);
        });
        probe.on('error', () => resolve(true));
      });
      if (refused) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
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
    await expect(app.services.db.query('SELECT 1')).rejects.toThrow();
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

  it('answers a request that arrives during the drain with the API error shape, and closes its connection', async () => {
    const app = await startTestApp(llmEnv(), { shutdownGraceMs: 60_000 });
    const { hostname, port } = new URL(app.url);
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const socketClosed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const body = JSON.stringify({ message: 'a red for steak' });
    const before = llm.requests.length;
    socket.write(`POST /api/v1/chat HTTP/1.1\r\nHost: ${app.url.slice(7)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await modelHasRequests(before + 1);
    const stopped = app.dispose();
    // The listening socket refuses connections once the drain has begun.
    await refusesConnections(Number(port), hostname);
    // The same (busy) socket carries a second, pipelined request: it arrives while the server closes. /readyz
    // declares its own 503 body as well, so this one is serialised against a union.
    socket.write(`GET /readyz HTTP/1.1\r\nHost: ${app.url.slice(7)}\r\n\r\n`);
    await socketClosed;
    await stopped;

    const responses = received.split(/(?=HTTP\/1\.1 \d{3} )/);
    expect(responses.map((response) => response.slice(9, 12))).toEqual(['200', '503']);
    const [head, refused] = responses[1]!.split('\r\n\r\n') as [string, string];
    expect(head.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(refused)).toEqual({ error: { code: 'shutting_down', message: expect.any(String) } });
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
