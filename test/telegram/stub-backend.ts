import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export type StubBehaviour =
  | { kind: 'reply'; status?: number; body: unknown }
  /** Accept the request and never answer (a hung backend). */
  | { kind: 'hang' };

/**
 * A scripted stand-in for the sommelier's HTTP API, only for what the real app cannot be made to do
 * on demand: fail, hang, or answer with a 9,000-character reply. Everything else uses the real app.
 */
export interface StubBackend {
  readonly url: string;
  readonly requests: readonly StubRequest[];
  onChat(behaviour: (request: StubRequest) => StubBehaviour): void;
  onFeedback(behaviour: (request: StubRequest) => StubBehaviour): void;
  close(): Promise<void>;
}

export function chatReply(reply: string, options: { traceId?: string | null; names?: string[] } = {}): StubBehaviour {
  return {
    kind: 'reply',
    body: {
      reply,
      recommendations: (options.names ?? []).map((name, index) => ({ id: index + 1, name })),
      sessionId: 'stub',
      toolsUsed: [],
      iterations: 1,
      engine: 'offline',
      traceId: options.traceId === undefined ? 'a'.repeat(32) : options.traceId,
      traceUrl: null,
    },
  };
}

export async function startStubBackend(): Promise<StubBackend> {
  const requests: StubRequest[] = [];
  let chat: (request: StubRequest) => StubBehaviour = () => chatReply('Try a Barolo.');
  let feedback: (request: StubRequest) => StubBehaviour = (request) => ({
    kind: 'reply',
    body: { id: 'f-1', traceId: request.body.traceId, value: request.body.value },
  });
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    request.on('end', () => {
      const stubRequest: StubRequest = { path: request.url ?? '/', headers: request.headers, body: JSON.parse(raw || '{}') as Record<string, unknown> };
      requests.push(stubRequest);
      const behaviour = stubRequest.path === '/api/v1/feedback' ? feedback(stubRequest) : chat(stubRequest);
      answer(response, behaviour);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    onChat: (behaviour) => void (chat = behaviour),
    onFeedback: (behaviour) => void (feedback = behaviour),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(response: ServerResponse, behaviour: StubBehaviour): void {
  if (behaviour.kind === 'hang') return;
  response.writeHead(behaviour.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(behaviour.body));
}
