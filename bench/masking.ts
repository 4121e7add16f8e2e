/**
 * What masking costs (src/masking.ts), in CPU time of this process:
 * - per call on what it really masks: a user message, an LLM generation's input (system prompt, history,
 *   a tool result and the tool schemas, ~6 KB of JSON), a log line;
 * - growth with input length on hostile inputs (`aaaa…@`, long digit runs, prefixes of every pattern):
 *   time for one 32,000-character input against four 8,000-character ones — ~1 when linear, ~4 when quadratic.
 *
 * `npm run bench:masking` (about 30 s).
 */
import { maskLogLine } from '../src/logger.js';
import { langfuseMask, redactText } from '../src/masking.js';
import { systemPrompt } from '../src/agent/prompts.js';
import { createToolbox } from '../src/tools/index.js';
import type { Catalog } from '../src/catalog/types.js';

/**
 * Microseconds of CPU per call: the best of several rounds of at least ~20 ms each (other work on the
 * machine only adds).
 */
function cpuMicros(run: () => unknown, rounds = 7): number {
  const start = process.cpuUsage();
  let calls = 0;
  do {
    run();
    calls += 1;
  } while (process.cpuUsage(start).user < 20_000);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round += 1) {
    const before = process.cpuUsage();
    for (let i = 0; i < calls; i += 1) run();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / calls);
  }
  return best;
}

const wines = Array.from({ length: 5 }, (_, i) => ({
  id: 100_000 + i,
  name: `Château Example ${i}`,
  type: 'red',
  country: 'France',
  region: 'Bordeaux',
  grapes: ['Merlot', 'Cabernet Sauvignon'],
  pairings: ['Beef', 'Lamb'],
  abv: 13.5,
  rating: 4.2,
  vintages: [2015, 2016, 2018],
}));
const message = 'Посоветуй красное вино к стейку, бюджет до 30 евро; мой телефон +7 916 123-45-67';
const generationInput = JSON.stringify({
  messages: [
    { role: 'system', content: systemPrompt('ru') },
    { role: 'user', content: message },
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'search_wines', arguments: '{"type":"red","pairing":"beef"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: JSON.stringify({ wines }) },
  ],
  // The schemas only: the catalog is never called.
  tools: createToolbox({} as Catalog).definitions,
});
const logLine = `${JSON.stringify({ level: 40, time: Date.now(), pid: 1, hostname: 'h', name: 'sommelier', err: { type: 'Error', message: '401 Incorrect API key provided: sk-or-v1-0123456789abcdef0123', stack: 'Error: 401\n    at x (file.js:1:1)' }, msg: 'LLM failed after retries' })}\n`;

console.log('## Masking cost per call (µs of CPU, best of 7 rounds)\n');
console.log('| what | size | µs |');
console.log('|---|---:|---:|');
for (const [name, size, run] of [
  ['user message', message.length, () => redactText(message)],
  ['LLM generation input (JSON)', generationInput.length, () => langfuseMask({ data: generationInput })],
  ['log line with a provider error', logLine.length, () => maskLogLine(logLine)],
] as const) {
  console.log(`| ${name} | ${size} | ${cpuMicros(run).toFixed(1)} |`);
}

const HOSTILE = ['a', 'a@', '1', '1 ', '+1', '12-', 'sk-', 'eyJ-', 'password: ', '://a', 'я@', '4111 ', 'Basic 1'];
console.log('\n## Growth with input length (hostile inputs)\n');
console.log('| repeated unit | 8,000 chars µs | 32,000 chars µs | 32k ÷ (4 × 8k) |');
console.log('|---|---:|---:|---:|');
let worst = 0;
for (const unit of HOSTILE) {
  const text = (length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  const small = text(8_000);
  const large = text(32_000);
  const smallUs = cpuMicros(() => redactText(small));
  const largeUs = cpuMicros(() => redactText(large));
  const ratio = largeUs / (4 * smallUs);
  worst = Math.max(worst, ratio);
  console.log(`| ${JSON.stringify(unit)} | ${smallUs.toFixed(0)} | ${largeUs.toFixed(0)} | ${ratio.toFixed(2)} |`);
}
console.log(`\nWorst ratio ${worst.toFixed(2)} (linear ≈ 1, quadratic ≈ 4).`);
