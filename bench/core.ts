/**
 * `npm run bench:core`: chat throughput and latency (autocannon, offline engine, 50 connections),
 * search_wines latency on the 1k and a 100k synthetic catalog, and time to the first answer after start.
 * Everything talks to 127.0.0.1 only and stops by itself.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { benchSearch } from './search.js';
import { fmt } from './stats.js';
import { cpuMsOf, startServerProcess, stopServerProcess } from './server-process.js';
import { OFFLINE_REQUESTS } from '../test/fixtures/offline-requests.js';
import { freePort } from '../test/support/ports.js';

/** The offline fixture's requests (half Russian): a realistic mix of shapes, not six easy ones. */
const MESSAGES = OFFLINE_REQUESTS.map((request) => request.message);

interface ChatLoad {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  cpuMsPerRequest: number;
}

/**
 * The server runs as its own process (as `npm start` runs it), so autocannon's own work lands on the
 * other core instead of in the server's event loop.
 */
async function chatThroughput(env: Record<string, string> = {}): Promise<ChatLoad> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-bench-core-'));
  const server = await startServerProcess({ ...env, DATA_DIR: dataDir, LLM_PROVIDER: 'offline', LANGFUSE_TRACING_ENABLED: 'false' });
  try {
    let i = 0;
    const run = (duration: number) =>
      autocannon({
        url: `${server.url}/api/v1/chat`,
        connections: 50,
        duration,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({ message: MESSAGES[i++ % MESSAGES.length], sessionId: `bench-${i % 200}` }),
            }),
          },
        ],
      });
    await run(3); // warm-up: JIT, query plans, PGlite caches
    const pid = server.child.pid!;
    const cpuBefore = cpuMsOf(pid);
    const result = await run(15);
    const cpuMs = cpuMsOf(pid) - cpuBefore;
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors,
      non2xx: result.non2xx,
      cpuMsPerRequest: cpuMs / Math.max(1, result.requests.total),
    };
  } finally {
    await stopServerProcess(server);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Starts the service as `npm start` does and times the first successful chat answer: `node` runs what the
 * script runs (`node scripts/start.mjs`); `npm` goes through the npm CLI itself, its own start-up included.
 */
async function firstAnswer(dataDir: string, via: 'node' | 'npm' = 'node'): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  // npm runs the script in a shell of its own: a process group of its own lets the stop reach them all.
  const child =
    via === 'npm'
      ? spawn('npm', ['start', '--silent'], { env, stdio: 'ignore', detached: true })
      : spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const deadline = started + 60_000;
    while (performance.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'Посоветуй красное вино к стейку' }),
        });
        if (response.ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('no answer within 60 s');
  } finally {
    if (via === 'npm' && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    else child.kill('SIGTERM');
    await exited;
  }
}

type Part = 'start' | 'chat' | 'search';
const PARTS: readonly Part[] = ['start', 'chat', 'search'];

/** `-- --only chat,search` runs a subset (for investigations); the default runs everything. */
function selectedParts(argv: readonly string[]): Set<Part> {
  const at = argv.indexOf('--only');
  if (at === -1) return new Set(PARTS);
  const wanted = (argv[at + 1] ?? '').split(',');
  const unknown = wanted.filter((part) => !PARTS.includes(part as Part));
  if (unknown.length > 0 || wanted.length === 0) throw new Error(`--only takes a list of ${PARTS.join(', ')}; got ${argv[at + 1] ?? 'nothing'}`);
  return new Set(wanted as Part[]);
}

async function main(): Promise<void> {
  const parts = selectedParts(process.argv.slice(2));
  console.log('# bench:core');
  if (parts.has('start')) {
    // Three alternating rounds; the medians are reported (a single spawn is noisy on a shared machine).
    const fresh: number[] = [];
    const reopen: number[] = [];
    const freshViaNpm: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const startDir = await mkdtemp(join(tmpdir(), 'sommelier-bench-start-'));
      fresh.push(await firstAnswer(startDir));
      reopen.push(await firstAnswer(startDir));
      await rm(startDir, { recursive: true, force: true });
      const npmDir = await mkdtemp(join(tmpdir(), 'sommelier-bench-start-'));
      freshViaNpm.push(await firstAnswer(npmDir, 'npm'));
      await rm(npmDir, { recursive: true, force: true });
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const list = (values: number[]) => values.map((value) => fmt(value, 0)).join(', ');
    console.log(
      `first answer after start (median of 3): fresh data dir ${fmt(median(fresh), 0)} ms [${list(fresh)}], existing data dir ${fmt(median(reopen), 0)} ms [${list(reopen)}], fresh data dir through the npm CLI ${fmt(median(freshViaNpm), 0)} ms [${list(freshViaNpm)}] (target ≤ 2000 ms)`,
    );
  }

  if (parts.has('chat')) {
    // The default service, and the same with the search cache off: what a stream of searches never seen
    // before costs (every request then reaches the database).
    const cached = await chatThroughput();
    const uncached = await chatThroughput({ CATALOG_CACHE_ENTRIES: '0' });
    for (const [name, chat] of [
      ['search cache on (default)', cached],
      ['search cache off', uncached],
    ] as const) {
      console.log(
        `chat (offline engine, 50 connections, 15 s, ${name}): ${fmt(chat.rps, 0)} req/s, p50 ${chat.p50} ms, p99 ${chat.p99} ms, server CPU ${fmt(chat.cpuMsPerRequest, 2)} ms/request, errors ${chat.errors}, non-2xx ${chat.non2xx}`,
      );
    }
    console.log(
      `  ratios cache off / on: req/s ${fmt(uncached.rps / cached.rps, 2)}, p50 ${fmt(uncached.p50 / cached.p50, 2)}, p99 ${fmt(uncached.p99 / cached.p99, 2)}, CPU ${fmt(uncached.cpuMsPerRequest / cached.cpuMsPerRequest, 2)} (targets for the default: ≥ 300 req/s, p99 ≤ 50 ms)`,
    );
  }

  if (parts.has('search')) {
    for (const row of await benchSearch()) {
      console.log(`search_wines on ${row.catalog}: p50 ${fmt(row.p50, 3)} ms, p95 ${fmt(row.p95, 3)} ms, p99 ${fmt(row.p99, 3)} ms`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
