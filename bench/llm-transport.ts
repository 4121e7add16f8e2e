/**
 * `tsx bench/llm-transport.ts` — what one LLM call costs the caller's CPU with the official `openai` SDK
 * as we use it (global fetch: undici and web streams), with the SDK over a fetch written on node:http,
 * and with no SDK at all (node:http, JSON.stringify/parse): the floor a transport change could reach.
 *
 * The scripted LLM (answering at once) runs in a child process, so this process's CPU (process.cpuUsage)
 * is the client's alone. Bodies are a real chat's: the system prompt, both tools' schemas, a user message,
 * then the tool call and its result. Variants run interleaved over rounds; CPU per call is the median
 * over rounds.
 *
 * Options: --calls N (per variant and round, default 2000), --rounds N (default 3), --concurrency N (16),
 * --only VARIANT (e.g. to run one under `node --cpu-prof --import tsx`).
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { z } from 'zod';
import { sommelierResponder, startScriptedLlm } from '../test/support/scripted-llm.js';
import { createToolbox } from '../src/tools/index.js';
import type { Catalog } from '../src/catalog/types.js';
import { systemPrompt } from '../src/agent/prompts.js';
import { nodeHttpFetch } from '../src/llm/http-fetch.js';
import { option } from './report.js';
import { fmt } from './stats.js';

const THIS_FILE = fileURLToPath(import.meta.url);

async function runLlm(): Promise<void> {
  const llm = await startScriptedLlm();
  llm.fallback(sommelierResponder({ delayMs: 0 }));
  setInterval(() => {
    llm.requests.length = 0;
  }, 1_000);
  process.send?.({ url: llm.url });
}

const unusedCatalog = new Proxy({}, { get: () => () => Promise.reject(new Error('not used')) }) as Catalog;
const tools = createToolbox(unusedCatalog).definitions;
const toolResult = JSON.stringify({
  count: 5,
  wines: Array.from({ length: 5 }, (_, i) => ({
    id: 100 + i,
    name: `Château Example ${i} Grand Vin`,
    type: 'red',
    grapes: ['Cabernet Sauvignon', 'Merlot'],
    pairings: ['Beef', 'Lamb', 'Game Meat'],
    body: 'full',
    acidity: 'medium',
    abv: 13.5,
    country: 'France',
    region: 'Bordeaux',
    winery: 'Example',
    rating: 4.1,
  })),
});

function bodies(model: string): [Record<string, unknown>, Record<string, unknown>] {
  const messages: Record<string, unknown>[] = [
    { role: 'system', content: systemPrompt('en') },
    { role: 'user', content: 'I am cooking a beef steak tonight. Which red wine would you recommend?' },
  ];
  const first = { model, temperature: 0.3, messages: [...messages], tools, tool_choice: 'auto' };
  const second = {
    ...first,
    messages: [
      ...messages,
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'search_wines', arguments: '{"type":"red","pairing":"beef","limit":5}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: toolResult },
    ],
  };
  return [first, second];
}

type Variant = 'sdk' | 'sdk+node-http-fetch' | 'sdk+node-http-fetch, body as a string' | 'node-http, no sdk';

const completion = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }) })).min(1) });

function makeCaller(variant: Variant, baseURL: string): (body: Record<string, unknown>) => Promise<void> {
  if (variant === 'node-http, no sdk') {
    const agent = new Agent({ keepAlive: true });
    const url = `${baseURL}/chat/completions`;
    const call = (body: Record<string, unknown>): Promise<void> =>
      new Promise((resolve, reject) => {
        const text = JSON.stringify(body);
        const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), authorization: 'Bearer bench' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            completion.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            resolve();
          });
          res.on('error', reject);
        });
        req.on('error', (error: NodeJS.ErrnoException) => {
          // A kept-alive socket the server closed meanwhile: the request never reached it.
          if (req.reusedSocket && error.code === 'ECONNRESET') resolve(call(body));
          else reject(error);
        });
        req.end(text);
      });
    return call;
  }
  const client = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0, ...(variant !== 'sdk' ? { fetch: nodeHttpFetch } : {}) });
  if (variant === 'sdk+node-http-fetch, body as a string') {
    // What a caller that keeps the JSON of its constant parts (system prompt, tool schemas) would send.
    const serialised = new Map<Record<string, unknown>, string>();
    return async (body) => {
      let text = serialised.get(body);
      if (text === undefined) serialised.set(body, (text = JSON.stringify(body)));
      const raw: unknown = await client.post('/chat/completions', { body: text, headers: { 'content-type': 'application/json' } });
      completion.parse(raw);
    };
  }
  return async (body) => {
    const raw: unknown = await client.chat.completions.create(body as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming);
    completion.parse(raw);
  };
}

async function measure(call: (body: Record<string, unknown>) => Promise<void>, pair: [Record<string, unknown>, Record<string, unknown>], calls: number, concurrency: number): Promise<number> {
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        const i = next++;
        await call(pair[i % 2]!);
      }
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / calls;
}

async function main(): Promise<void> {
  const count = (name: string, fallback: number): number => z.coerce.number().int().positive().parse(option(name) ?? fallback);
  const calls = count('--calls', 2_000);
  const rounds = count('--rounds', 3);
  const concurrency = count('--concurrency', 16);
  const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE, '--llm'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url } = z.object({ url: z.string() }).parse(await new Promise((resolve) => child.once('message', resolve)));
  try {
    const only = option('--only');
    const all: Variant[] = ['sdk', 'sdk+node-http-fetch', 'sdk+node-http-fetch, body as a string', 'node-http, no sdk'];
    const variants: Variant[] = only === undefined ? all : all.filter((variant) => variant === only);
    const callers = new Map(variants.map((variant) => [variant, makeCaller(variant, url)]));
    const pair = bodies('scripted/model-1');
    for (const variant of variants) await measure(callers.get(variant)!, pair, 300, concurrency);
    const results = new Map<Variant, number[]>(variants.map((variant) => [variant, []]));
    for (let round = 0; round < rounds; round++) {
      for (const variant of variants.map((_, i) => variants[(i + round) % variants.length]!)) {
        const ms = await measure(callers.get(variant)!, pair, calls, concurrency);
        results.get(variant)!.push(ms);
        process.stdout.write(`round ${round + 1} ${variant}: ${fmt(ms, 3)} ms CPU per call\n`);
      }
    }
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const base = median(results.get('sdk')!);
    process.stdout.write(`\n| transport | client CPU ms per LLM call (median of ${rounds}) | vs sdk |\n|---|---:|---:|\n`);
    for (const variant of variants) {
      const ms = median(results.get(variant)!);
      process.stdout.write(`| ${variant} | ${fmt(ms, 3)} | ${fmt(ms / base, 2)} |\n`);
    }
  } finally {
    child.kill();
  }
}

if (process.argv.includes('--llm')) {
  void runLlm();
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
