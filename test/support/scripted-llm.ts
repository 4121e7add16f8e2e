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
  /** Streamed requests: pause between chunks. */
  chunkDelayMs?: number;
  /** Streamed requests: send this error event after the first content chunk (a provider failing mid-answer). */
  streamError?: { message: string; code?: number };
  /** Streamed requests: stop sending (connection left open) after this many chunks. */
  stallAfterChunks?: number;
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

interface CompletionLike {
  id?: string;
  model?: string;
  choices: { finish_reason?: string; message: { content?: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[] } }[];
  usage?: unknown;
}

const isCompletion = (body: unknown): body is CompletionLike =>
  typeof body === 'object' && body !== null && Array.isArray((body as CompletionLike).choices) && (body as CompletionLike).choices.length > 0 &&
  typeof (body as CompletionLike).choices[0]?.message === 'object';

/** Splits text into pieces of a few characters, like a model's tokens. */
const pieces = (text: string, size: number): string[] => text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];

/**
 * A scripted completion as the `chat.completion.chunk` events a provider streams: role, content in small
 * pieces, each tool call (name first, arguments in two parts), the finish reason, then usage when the
 * request asked for it (`stream_options.include_usage`). Anything that is not a completion (an error body,
 * a malformed one) is not streamed: it goes out as JSON, as a provider's error answers do.
 */
function streamChunks(body: unknown, request: ChatCompletionBody): unknown[] | null {
  if (!isCompletion(body)) return null;
  const choice = body.choices[0]!;
  const base = { id: body.id ?? 'chatcmpl-stream', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model };
  const delta = (d: Record<string, unknown>, finish: string | null = null) => ({ ...base, choices: [{ index: 0, delta: d, finish_reason: finish }] });
  const chunks: unknown[] = [delta({ role: 'assistant', content: '' })];
  for (const piece of pieces(choice.message.content ?? '', 12)) chunks.push(delta({ content: piece }));
  for (const [index, call] of (choice.message.tool_calls ?? []).entries()) {
    chunks.push(delta({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    const half = Math.ceil(call.function.arguments.length / 2);
    for (const part of [call.function.arguments.slice(0, half), call.function.arguments.slice(half)]) {
      if (part) chunks.push(delta({ tool_calls: [{ index, function: { arguments: part } }] }));
    }
  }
  chunks.push(delta({}, choice.finish_reason ?? 'stop'));
  const options = request.stream_options as { include_usage?: boolean } | undefined;
  if (options?.include_usage && body.usage) chunks.push({ ...base, choices: [], usage: body.usage });
  return chunks;
}

async function sendStream(response: ServerResponse, chunks: unknown[], reply: ScriptedReply, hanging: Set<ServerResponse>): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
  for (const [index, chunk] of chunks.entries()) {
    if (reply.stallAfterChunks !== undefined && index >= reply.stallAfterChunks) {
      hanging.add(response);
      return;
    }
    if (index > 0 && reply.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, reply.chunkDelayMs));
    if (response.destroyed) return;
    response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    if (reply.streamError && index === 1) {
      response.end(`data: ${JSON.stringify({ error: reply.streamError })}\n\n`);
      return;
    }
  }
  response.end('data: [DONE]\n\n');
}

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
      const chunks = body.stream === true && (reply.status ?? 200) === 200 ? streamChunks(reply.body, body) : null;
      if (chunks) {
        await sendStream(response, chunks, reply, hanging);
        return;
      }
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
