import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, HttpBackendClient } from '../../src/telegram/backend.js';
import { startTestApp } from '../support/app.js';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function stub(handler: Handler): Promise<string> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => handler(request, body, response));
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const REPLY = { reply: 'Try a Barolo.', recommendations: [{ id: 1, name: 'Barolo' }], sessionId: 's', traceId: null, traceUrl: null };

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

describe('HttpBackendClient', () => {
  it('posts the chat request with the traceparent header and parses the reply', async () => {
    let seen: { path?: string; traceparent?: string; body?: unknown } = {};
    const url = await stub((request, body, response) => {
      seen = { path: request.url, traceparent: request.headers.traceparent as string, body: JSON.parse(body) };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...REPLY, extra: true }));
    });
    const backend = new HttpBackendClient({ baseUrl: `${url}/`, timeoutMs: 5_000 });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const reply = await backend.chat({ message: 'hi', sessionId: 'tg:1:0', userId: 'tg:1', channel: 'telegram' }, { traceparent });
    expect(reply.reply).toBe('Try a Barolo.');
    expect(reply.recommendations[0]?.name).toBe('Barolo');
    expect(seen).toEqual({
      path: '/api/v1/chat',
      traceparent,
      body: { message: 'hi', sessionId: 'tg:1:0', userId: 'tg:1', channel: 'telegram' },
    });
  });

  it('sends no traceparent header when the bot is not traced', async () => {
    let header: unknown = 'unset';
    const url = await stub((request, _body, response) => {
      header = request.headers.traceparent;
      response.writeHead(200).end(JSON.stringify(REPLY));
    });
    await new HttpBackendClient({ baseUrl: url, timeoutMs: 5_000 }).chat(
      { message: 'hi', sessionId: 's', userId: 'u', channel: 'telegram' },
      { traceparent: null },
    );
    expect(header).toBeUndefined();
  });

  it('reports an error answer with its status and code', async () => {
    const url = await stub((_request, _body, response) => {
      response.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }));
    });
    const error = await failure(new HttpBackendClient({ baseUrl: url, timeoutMs: 5_000 }).feedback({ traceId: 'a'.repeat(32), value: -1 }));
    expect([error.failure, error.status, error.code]).toEqual(['rejected', 429, 'rate_limited']);
  });

  it('rejects a 2xx body that is not the contract', async () => {
    const url = await stub((_request, _body, response) => response.writeHead(200).end('{"reply": 42}'));
    const error = await failure(
      new HttpBackendClient({ baseUrl: url, timeoutMs: 5_000 }).chat({ message: 'hi', sessionId: 's', userId: 'u', channel: 'telegram' }),
    );
    expect(error.failure).toBe('invalid-response');
  });

  it('times out a backend that never answers, and one that stalls mid-body', async () => {
    const silent = await stub(() => undefined);
    const request = { message: 'hi', sessionId: 's', userId: 'u', channel: 'telegram' } as const;
    expect((await failure(new HttpBackendClient({ baseUrl: silent, timeoutMs: 200 }).chat(request))).failure).toBe('timeout');
    const stalling = await stub((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"reply": "Try');
    });
    expect((await failure(new HttpBackendClient({ baseUrl: stalling, timeoutMs: 200 }).chat(request))).failure).toBe('timeout');
  });

  it('says unreachable when nothing listens', async () => {
    const url = await stub(() => undefined);
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const error = await failure(
      new HttpBackendClient({ baseUrl: url, timeoutMs: 5_000 }).chat({ message: 'hi', sessionId: 's', userId: 'u', channel: 'telegram' }),
    );
    expect(error.failure).toBe('unreachable');
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('against the real backend: only with BOT_BACKEND_TOKEN may it use tg: sessions, and vote on their answers', async () => {
    const token = 'backend-test-bot-token-0123456789';
    const app = await startTestApp({ BOT_BACKEND_TOKEN: token });
    try {
      const request = { message: 'red wine for steak', sessionId: 'tg:5:0', userId: 'tg:5', channel: 'telegram' as const };
      const stranger = await failure(new HttpBackendClient({ baseUrl: app.url, timeoutMs: 10_000 }).chat(request));
      expect(stranger).toMatchObject({ failure: 'rejected', status: 403, code: 'session_forbidden' });

      const bot = new HttpBackendClient({ baseUrl: app.url, timeoutMs: 10_000, botToken: token });
      const reply = await bot.chat(request);
      expect(reply.sessionId).toBe('tg:5:0');
      expect(reply.answerId).toMatch(/^[0-9a-f-]{36}$/);
      const receipt = await bot.feedback({ sessionId: 'tg:5:0', answerId: reply.answerId!, value: -1, userId: 'tg:5' });
      expect(receipt).toMatchObject({ value: -1, traceId: null });
      // Another chat's answer is not this session's to vote on.
      const other = await bot.chat({ ...request, sessionId: 'tg:6:0' });
      expect(await failure(bot.feedback({ sessionId: 'tg:5:0', answerId: other.answerId!, value: 1 }))).toMatchObject({ status: 404 });
    } finally {
      await app.dispose();
    }
  });
});
