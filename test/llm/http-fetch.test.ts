import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHttpFetch } from '../../src/llm/http-fetch.js';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

interface TestServer {
  url: string;
  connections: number;
  close(): Promise<void>;
}

const servers: TestServer[] = [];

async function serve(handler: Handler): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  const state: TestServer = {
    url: '',
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket: Socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(state);
  return state;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('nodeHttpFetch (the OpenAI SDK transport over node:http)', () => {
  it('sends the method, headers and a non-ASCII body with the right length, and reads the answer', async () => {
    const server = await serve((request, body, response) => {
      response.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-echo': String(request.headers['x-test']) });
      response.end(JSON.stringify({ method: request.method, length: request.headers['content-length'], body }));
    });
    const body = JSON.stringify({ message: 'Красное сухое к стейку' });
    const response = await nodeHttpFetch(`${server.url}/v1/echo`, { method: 'POST', headers: new Headers({ 'X-Test': 'yes' }), body });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(await response.json()).toEqual({ method: 'POST', length: String(Buffer.byteLength(body)), body });
  });

  it('decompresses a body the server compressed without being asked', async () => {
    const server = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(JSON.stringify({ ok: 'gzip' })));
    });
    expect(await (await nodeHttpFetch(`${server.url}/`)).json()).toEqual({ ok: 'gzip' });
  });

  it('answers a 204 with an empty body instead of failing to build the Response', async () => {
    const server = await serve((_request, _body, response) => {
      response.writeHead(204).end();
    });
    const response = await nodeHttpFetch(`${server.url}/`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('leaves a redirect to the global fetch, which follows it with the body', async () => {
    const server = await serve((request, body, response) => {
      if (request.url === '/old') {
        response.writeHead(307, { location: '/new' }).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ at: request.url, body }));
    });
    const response = await nodeHttpFetch(`${server.url}/old`, { method: 'POST', body: 'payload' });
    expect(await response.json()).toEqual({ at: '/new', body: 'payload' });
  });

  it('hands an event stream over as it arrives, before the server has finished', async () => {
    let finish: (() => void) | undefined;
    const server = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
      finish = () => response.end('data: last\n\n');
    });
    const response = await nodeHttpFetch(`${server.url}/stream`, { method: 'POST', body: '{}' });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: first\n\n');
    finish!();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('data: last\n\n');
  });

  it('rejects with an AbortError when the signal fires before the answer, and when it has already fired', async () => {
    const server = await serve(() => {
      // never answers
    });
    const controller = new AbortController();
    const pending = nodeHttpFetch(`${server.url}/`, { method: 'POST', body: '{}', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(nodeHttpFetch(`${server.url}/`, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('ends the body of a started answer when the signal fires (a stalled body does not hang)', async () => {
    const server = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.write(gzipSync('{"partial":').subarray(0, 12));
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    // A JSON body is read whole before the Response exists: the abort lands while it is being read.
    await expect(nodeHttpFetch(`${server.url}/`, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('sends again, once, on a new connection when a kept-alive socket was closed by the server meanwhile', async () => {
    let requests = 0;
    const server = await serve((request, _body, response) => {
      requests += 1;
      // The second request arrives on the first request's kept-alive socket: close it unanswered, as a
      // server whose idle timeout fired at that moment does.
      if (requests === 2) {
        request.socket.destroy();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n: requests }));
    });
    expect(await (await nodeHttpFetch(`${server.url}/`, { method: 'POST', body: '{}' })).json()).toEqual({ n: 1 });
    expect(await (await nodeHttpFetch(`${server.url}/`, { method: 'POST', body: '{}' })).json()).toEqual({ n: 3 });
    expect(server.connections).toBe(2);
  });

  it('carries the SDK: retries, status errors and timeouts behave as with the global fetch', async () => {
    let calls = 0;
    const server = await serve((_request, _body, response) => {
      calls += 1;
      if (calls === 1) {
        response.writeHead(503, { 'content-type': 'application/json', 'retry-after-ms': '10' }).end(JSON.stringify({ error: { message: 'busy' } }));
        return;
      }
      if (calls === 2) {
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad tool schema' } }));
        return;
      }
      // calls 3+: never answer
    });
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'k', fetch: nodeHttpFetch, maxRetries: 1, timeout: 200 });
    const create = () => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    await expect(create()).rejects.toMatchObject({ status: 400, message: expect.stringContaining('bad tool schema') as unknown });
    expect(calls).toBe(2);
    await expect(create()).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });
});
