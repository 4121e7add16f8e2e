import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the scripted server answers to one request. */
export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body; a string is sent as-is (e.g. to send something malformed). */
  body?: unknown;
  delayMs?: number;
  /** Accept the request and never answer (client timeout tests). */
  hang?: boolean;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: ChatCompletionBody;
}

export interface ChatCompletionBody {
  model: string;
  messages: { role: string; content: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  tools?: { function: { name: string } }[];
  tool_choice?: unknown;
  [key: string]: unknown;
}

export type Responder = (body: ChatCompletionBody, index: number) => ScriptedReply;

export interface ScriptedLlm {
  url: string;
  requests: RecordedRequest[];
  /** Replies used in order; when they run out, `fallback` answers. */
  script(replies: (ScriptedReply | Responder)[]): void;
  fallback(responder: Responder): void;
  close(): Promise<void>;
}

let completionCounter = 0;

export function completion(message: { content?: string | null; tool_calls?: { name: string; arguments: unknown; id?: string }[] }, extra: { model?: string; usage?: Record<string, unknown>; finish_reason?: string } = {}) {
  completionCounter += 1;
  const toolCalls = message.tool_calls?.map((call, i) => ({
    id: call.id ?? `call_${completionCounter}_${i}`,
    type: 'function',
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
  return {
    id: `chatcmpl-${completionCounter}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: extra.model ?? 'scripted/model-1',
    choices: [
      {
        index: 0,
        finish_reason: extra.finish_reason ?? (toolCalls?.length ? 'tool_calls' : 'stop'),
        message: { role: 'assistant', content: message.content ?? null, ...(toolCalls?.length ? { tool_calls: toolCalls } : {}) },
      },
    ],
    usage: extra.usage ?? { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
  };
}

/**
 * A plausible sommelier model: asks `search_wines` for red wines with beef, then names the first
 * three wines the tool returned. Used by benchmarks and end-to-end tests.
 */
export const sommelierResponder =
  (options: { delayMs?: number; cost?: number } = {}): Responder =>
  (body) => {
    const last = body.messages.at(-1);
    const usage = { prompt_tokens: 420, completion_tokens: 60, total_tokens: 480, ...(options.cost !== undefined ? { cost: options.cost } : {}) };
    if (last?.role === 'tool') {
      const names = body.messages
        .filter((m) => m.role === 'tool')
        .flatMap((m) => {
          try {
            const parsed = JSON.parse(m.content ?? '{}') as { wines?: { name: string }[] };
            return (parsed.wines ?? []).map((w) => w.name);
          } catch {
            return [];
          }
        })
        .slice(0, 3);
      const content = `Here are my picks:\n${names.map((n, i) => `${i + 1}. ${n} — a good match.`).join('\n')}`;
      return { delayMs: options.delayMs, body: completion({ content }, { usage }) };
    }
    return {
      delayMs: options.delayMs,
      body: completion({ tool_calls: [{ name: 'search_wines', arguments: { type: 'red', pairing: 'beef', limit: 5 } }] }, { usage }),
    };
  };

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** An OpenAI-compatible HTTP server on 127.0.0.1 that answers from a script, for the real `openai` SDK. */
export async function startScriptedLlm(): Promise<ScriptedLlm> {
  let queue: (ScriptedReply | Responder)[] = [];
  let fallback: Responder = () => ({ status: 500, body: { error: { message: 'script exhausted', code: 500 } } });
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((request, response) => {
    void (async () => {
      const text = await readBody(request);
      let body: ChatCompletionBody;
      try {
        body = JSON.parse(text) as ChatCompletionBody;
      } catch {
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'invalid JSON' } }));
        return;
      }
      const index = requests.length;
      requests.push({ path: request.url ?? '', headers: request.headers, body });
      const next = queue.shift() ?? fallback;
      const reply = typeof next === 'function' ? next(body, index) : next;
      if (reply.hang) {
        hanging.add(response);
        return;
      }
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (response.destroyed) return;
      const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers }).end(payload);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script(replies) {
      queue = [...replies];
    },
    fallback(responder) {
      fallback = responder;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
