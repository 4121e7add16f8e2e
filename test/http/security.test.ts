import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { assertSafeExposure, ConfigError, isLoopbackHost, loadConfig } from '../../src/config/index.js';
import { BOT_TOKEN_HEADER } from '../../src/shared/index.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { sommelierResponder, startScriptedLlm } from '../support/scripted-llm.js';

const TOKEN = 'test-api-token-0123456789abcdef';
const BOT_TOKEN = 'bot-backend-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

interface ErrorBody {
  error: { code: string; message: string };
}

const errorOf = async (response: Response): Promise<ErrorBody['error']> => ((await response.json()) as ErrorBody).error;

describe('API_TOKEN', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ API_TOKEN: TOKEN });
  });
  afterAll(() => app?.dispose());

  it.each([
    ['POST', '/api/v1/chat', { message: 'red wine for steak' }],
    ['POST', '/api/v1/feedback', { traceId: 'a'.repeat(32), value: 1 }],
    ['GET', '/api/v1/wines?limit=1', undefined],
    ['GET', '/api/v1/wines/1', undefined],
    ['GET', '/metrics', undefined],
  ])('%s %s needs the bearer token', async (method, path, body) => {
    const send = (headers: Record<string, string>) =>
      fetch(`${app.url}${path}`, {
        method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const missing = await send({});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await errorOf(missing)).toMatchObject({ code: 'unauthorized' });
    for (const wrong of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      expect((await send({ authorization: wrong })).status, wrong).toBe(401);
    }
    const allowed = await send(auth);
    expect(allowed.status).not.toBe(401);
    expect(allowed.status).toBeLessThan(500);
  });

  it('leaves the page, the API docs and liveness open; readiness details need the token', async () => {
    for (const path of ['/', '/docs', '/docs/json', '/healthz']) expect((await fetch(`${app.url}${path}`)).status, path).toBe(200);
    const open = (await (await fetch(`${app.url}/readyz`)).json()) as Record<string, unknown>;
    expect(open).toEqual({ status: 'ready' });
    const detailed = (await (await fetch(`${app.url}/readyz`, { headers: auth })).json()) as { checks: { database: { wines: number } } };
    expect(detailed.checks.database.wines).toBeGreaterThan(0);
  });
});

describe('start-up on a non-loopback address', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['example.com', false],
  ])('knows whether %s is loopback', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('refuses HOST=0.0.0.0 without API_TOKEN, before opening anything', async () => {
    const config = loadConfig({ HOST: '0.0.0.0', PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent/never-created' });
    await expect(startApp(config, { logger: createLogger('silent') })).rejects.toThrow(/API_TOKEN/);
    expect(() => assertSafeExposure(config)).toThrow(ConfigError);
  });

  it('allows it with API_TOKEN or an explicit ALLOW_UNAUTHENTICATED=true', () => {
    expect(() => assertSafeExposure(loadConfig({ HOST: '0.0.0.0', API_TOKEN: TOKEN }))).not.toThrow();
    expect(() => assertSafeExposure(loadConfig({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' }))).not.toThrow();
    expect(() => assertSafeExposure(loadConfig({}))).not.toThrow();
  });

  it('refuses a short API_TOKEN and explains', () => {
    expect(() => loadConfig({ API_TOKEN: 'short' })).toThrow(/API_TOKEN/);
  });
});

describe('rate limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_CHAT_PER_MINUTE: '3',
      RATE_LIMIT_FEEDBACK_PER_MINUTE: '2',
      BOT_BACKEND_TOKEN: BOT_TOKEN,
    });
  });
  afterAll(() => app?.dispose());

  it('answers 429 with Retry-After once a client used its chats for the minute; other routes keep working', async () => {
    // Invalid bodies still count: the limit is taken before the body is even read.
    for (let i = 0; i < 3; i += 1) expect((await app.post('/api/v1/chat', { message: '' })).status).toBe(400);
    const limited = await app.post('/api/v1/chat', { message: 'red wine for steak' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorOf(limited)).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/3 a minute/) });

    // Feedback has its own budget (these votes name no session, so they are refused, but they count).
    for (let i = 0; i < 2; i += 1) expect((await app.post('/api/v1/feedback', { traceId: 'b'.repeat(32), value: 1 })).status).not.toBe(429);
    expect((await app.post('/api/v1/feedback', { traceId: 'b'.repeat(32), value: 1 })).status).toBe(429);
    for (let i = 0; i < 5; i += 1) expect((await app.get('/api/v1/wines?limit=1')).status).toBe(200);
  });

  it('does not limit our bot by address (every Telegram user arrives from it; it limits each user itself)', async () => {
    for (let i = 0; i < 3; i += 1) await app.post('/api/v1/chat', { message: '' });
    expect((await app.post('/api/v1/chat', { message: '' })).status).toBe(429);
    for (let i = 0; i < 6; i += 1) {
      expect((await app.post('/api/v1/chat', { message: '' }, { [BOT_TOKEN_HEADER]: BOT_TOKEN })).status).toBe(400);
    }
    expect((await app.post('/api/v1/chat', { message: '' }, { [BOT_TOKEN_HEADER]: 'not-the-bot' })).status).toBe(429);
  });

  it('is on by default and can be switched off (RATE_LIMIT_ENABLED=false, for benchmarks)', async () => {
    expect(loadConfig({}).http.rateLimit).toEqual({ enabled: true, chatPerMinute: 30, feedbackPerMinute: 60 });
    const open = await startTestApp({ RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_CHAT_PER_MINUTE: '1' });
    try {
      for (let i = 0; i < 5; i += 1) expect((await open.post('/api/v1/chat', { message: '' })).status).toBe(400);
    } finally {
      await open.dispose();
    }
  });
});

/** A raw client that writes what it is told, slowly, and records what the server answers. */
function slowClient(port: number): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('utf8');
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => data, closed };
}

/** Writes `text` one character per `everyMs` until done or the socket closes; resolves with what was written. */
async function trickle(socket: Socket, text: string, everyMs: number): Promise<number> {
  let written = 0;
  for (const char of text) {
    if (socket.destroyed || !socket.writable) break;
    socket.write(char);
    written += 1;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return written;
}

describe('request timeouts against real slow sockets', () => {
  let app: TestApp;
  let port: number;
  beforeAll(async () => {
    app = await startTestApp({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '600', RATE_LIMIT_ENABLED: 'false' });
    port = Number(new URL(app.url).port);
  });
  afterAll(() => app?.dispose());

  it('cuts clients that send a body one byte at a time, with a 408 in the API error shape', async () => {
    const body = JSON.stringify({ message: 'x'.repeat(150) });
    // 20 such clients at once: none of them keeps its socket.
    const clients = Array.from({ length: 20 }, () => slowClient(port));
    const sent = await Promise.all(
      clients.map(async ({ socket }) => {
        socket.write(`POST /api/v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
        // Sending it all at this pace would take 160 × 100 ms = 16 s.
        return trickle(socket, body, 100);
      }),
    );
    await Promise.all(clients.map((client) => client.closed));
    for (const [i, client] of clients.entries()) {
      expect(sent[i]).toBeLessThan(body.length);
      expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
      expect(client.received()).toContain('"code":"request_timeout"');
    }
    // The service still answers everyone else.
    expect((await app.get('/api/v1/wines?limit=1')).status).toBe(200);
  });

  it('cuts clients that send their headers slowly', async () => {
    const client = slowClient(port);
    const sent = await trickle(client.socket, 'GET /api/v1/wines?limit=1 HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n', 100);
    await client.closed;
    expect(sent).toBeLessThan(80);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('keeps a chat whose answer takes longer than the request timeout: only receiving the request is timed', async () => {
    const llm = await startScriptedLlm();
    llm.fallback(sommelierResponder({ delayMs: 800 }));
    const slow = await startTestApp({
      REQUEST_TIMEOUT_MS: '1000',
      HEADERS_TIMEOUT_MS: '600',
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: 'sk-test-0123456789abcdef',
    });
    try {
      // Two LLM rounds of 800 ms each: the answer comes after the 1 s request timeout.
      const response = await slow.post('/api/v1/chat', { message: 'red wine for steak' });
      expect(response.status).toBe(200);
      expect(llm.requests.length).toBeGreaterThanOrEqual(2);
    } finally {
      await slow.dispose();
      await llm.close();
    }
  });
});

describe('security headers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.dispose());

  it('the page cannot be framed or sniffed', async () => {
    const page = await app.get('/');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('/docs has a CSP without inline scripts, and so does the API', async () => {
    for (const path of ['/docs', '/docs/json', '/api/v1/wines?limit=1']) {
      const response = await app.get(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toMatch(/script-src 'self';/);
      expect(csp, path).not.toContain('upgrade-insecure-requests');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});
