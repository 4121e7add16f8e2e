/**
 * The server's peers for a benchmark — the scripted OpenAI-compatible LLM and the Langfuse-like
 * receiver — in a process of their own, steered over IPC. Their work (1,000 LLM calls in flight at 500
 * concurrent chats, decoding every OTLP batch) then never shows up as the server's CPU or latency.
 *
 * `runPeers()` is the child's side; `startPeers()` spawns it (`--peers` on the benchmark's own file).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { startLangfuseReceiver } from '../test/support/langfuse-receiver.js';
import { sommelierResponder, startScriptedLlm, type Responder } from '../test/support/scripted-llm.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const LANGFUSE_KEYS = { publicKey: 'pk-lf-bench', secretKey: 'sk-lf-bench' };

/**
 * `fixed`: the sommelier's one search (red wine with beef), as `sommelierResponder` scripts it.
 * `varied`: the same conversation, but the search's arguments follow a number in the user's message
 * (type, pairing, limit, minimum rating), so a long run fills the search cache past its bounds instead of
 * hitting one entry.
 */
export type SearchShape = 'fixed' | 'varied';

const PAIRINGS = ['beef', 'lamb', 'pork', 'poultry', 'fish', 'shellfish', 'pasta', 'cheese', 'mushrooms', 'spicy food', 'dessert', 'vegetarian'];
const TYPES = ['red', 'white', 'rose', 'sparkling'];

function variedResponder(base: Responder): Responder {
  return (body, index) => {
    const reply = base(body, index);
    const last = body.messages.at(-1);
    if (last?.role === 'tool') return reply;
    const user = [...body.messages].reverse().find((message) => message.role === 'user');
    const n = Number(/#(\d+)/.exec(user?.content ?? '')?.[1] ?? 0);
    const args = {
      type: TYPES[n % TYPES.length],
      pairing: PAIRINGS[Math.floor(n / TYPES.length) % PAIRINGS.length],
      limit: 1 + (Math.floor(n / (TYPES.length * PAIRINGS.length)) % 10),
      min_rating: 3 + (Math.floor(n / (TYPES.length * PAIRINGS.length * 10)) % 10) / 10,
    };
    const completion = reply.body as { choices: { message: { tool_calls?: { function: { arguments: string } }[] } }[] };
    const call = completion.choices[0]?.message.tool_calls?.[0];
    if (call) call.function.arguments = JSON.stringify(args);
    return reply;
  };
}

const peerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('configure'),
    id: z.number(),
    llmDelayMs: z.number().int().min(0),
    search: z.enum(['fixed', 'varied']),
    receiver: z.enum(['ok', 'refuse', 'hang']),
    remember: z.boolean(),
  }),
  z.object({ type: z.literal('received'), id: z.number() }),
  z.object({ type: z.literal('close') }),
]);

/** What the Langfuse-like receiver got since the last `configure` (OTLP requests answered 2xx). */
const receivedSchema = z.object({
  type: z.literal('received'),
  id: z.number(),
  rootTraceIds: z.array(z.string()),
  spans: z.number(),
  wireBytes: z.number(),
  decodedBytes: z.number(),
  requests: z.number(),
  gzip: z.boolean(),
});
export type Received = Omit<z.infer<typeof receivedSchema>, 'type' | 'id'>;

export async function runPeers(): Promise<void> {
  const receiver = await startLangfuseReceiver(LANGFUSE_KEYS);
  const llm = await startScriptedLlm();
  const configure = (delayMs: number, search: SearchShape): void => {
    const base = sommelierResponder({ delayMs, cost: 0.0001 });
    llm.fallback(search === 'varied' ? variedResponder(base) : base);
  };
  configure(0, 'fixed');
  let remember = false;
  const send = (message: unknown): void => {
    process.send?.(message);
  };
  // The scripted LLM records every request; a benchmark sends hundreds of thousands. What the receiver
  // got is kept only when a benchmark will ask for it (`remember`), for one run at a time.
  const forget = setInterval(() => {
    llm.requests.length = 0;
    if (!remember) receiver.reset();
  }, 1_000);
  process.on('message', (raw) => {
    const message = peerMessage.parse(raw);
    if (message.type === 'close') {
      clearInterval(forget);
      void Promise.all([receiver.close(), llm.close()]).then(() => process.exit(0));
      return;
    }
    if (message.type === 'received') {
      const otlp = receiver.requests.filter((request) => request.path === '/api/public/otel/v1/traces' && request.status === 200);
      send({
        type: 'received',
        id: message.id,
        rootTraceIds: [...new Set(receiver.spans.filter((span) => span.parentSpanId === null).map((span) => span.traceId))],
        spans: new Set(receiver.spans.map((span) => span.spanId)).size,
        wireBytes: otlp.reduce((sum, request) => sum + request.bytes, 0),
        decodedBytes: otlp.reduce((sum, request) => sum + request.decodedBytes, 0),
        requests: otlp.length,
        gzip: otlp.every((request) => request.contentEncoding === 'gzip'),
      });
      return;
    }
    remember = message.remember;
    receiver.reset();
    llm.requests.length = 0;
    configure(message.llmDelayMs, message.search);
    void receiver.setMode(message.receiver).then(() => send({ type: 'ack', id: message.id }));
  });
  send({ type: 'ready', receiverUrl: receiver.url, llmUrl: llm.url });
}

export interface PeersSettings {
  llmDelayMs: number;
  search?: SearchShape;
  receiver?: 'ok' | 'refuse' | 'hang';
  /** Keep what the receiver gets until the next `configure`, for `received()` (default: forget it each second). */
  remember?: boolean;
}

export interface Peers {
  receiverUrl: string;
  llmUrl: string;
  /** The server's environment for tracing into this receiver (its keys and URL, the spool's flush interval). */
  tracingEnv(flushIntervalMs: number): Record<string, string>;
  /** Forgets what the receiver got so far and applies the settings. */
  configure(settings: PeersSettings): Promise<void>;
  /** What the receiver got since the last `configure` (with `remember`). */
  received(): Promise<Received>;
  close(): Promise<void>;
}

/** Spawns `benchFile --peers` (a benchmark that calls `runPeers()` when given `--peers`). */
export async function startPeers(benchFile: string): Promise<Peers> {
  const child = spawn(process.execPath, ['--import', 'tsx', benchFile, '--peers'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = z.object({ type: z.literal('ready'), receiverUrl: z.string(), llmUrl: z.string() });
  const first = await new Promise<z.infer<typeof ready>>((resolve, reject) => {
    child.once('message', (message) => resolve(ready.parse(message)));
    child.once('exit', (code) => reject(new Error(`bench peers exited with ${code}`)));
  });
  let nextId = 0;
  /** Sends a message with a fresh id and resolves with the child's answer carrying that id. */
  const ask = <T>(message: Record<string, unknown>, answer: z.ZodType<T & { id: number }>): Promise<T> => {
    const id = nextId++;
    return new Promise((resolve) => {
      const onMessage = (raw: unknown): void => {
        const parsed = answer.safeParse(raw);
        if (parsed.success && parsed.data.id === id) {
          child.off('message', onMessage);
          resolve(parsed.data);
        }
      };
      child.on('message', onMessage);
      child.send({ ...message, id });
    });
  };
  return {
    receiverUrl: first.receiverUrl,
    llmUrl: first.llmUrl,
    tracingEnv: (flushIntervalMs) => ({
      LANGFUSE_PUBLIC_KEY: LANGFUSE_KEYS.publicKey,
      LANGFUSE_SECRET_KEY: LANGFUSE_KEYS.secretKey,
      LANGFUSE_BASE_URL: first.receiverUrl,
      LANGFUSE_FLUSH_INTERVAL_MS: String(flushIntervalMs),
    }),
    async configure(settings) {
      await ask(
        {
          type: 'configure',
          llmDelayMs: settings.llmDelayMs,
          search: settings.search ?? 'fixed',
          receiver: settings.receiver ?? 'ok',
          remember: settings.remember ?? false,
        },
        z.object({ type: z.literal('ack'), id: z.number() }),
      );
    },
    async received() {
      const { type: _type, id: _id, ...received } = await ask({ type: 'received' }, receivedSchema);
      return received;
    },
    async close() {
      child.send({ type: 'close' });
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
