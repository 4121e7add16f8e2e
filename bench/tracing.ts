/**
 * `npm run bench:tracing` — what tracing costs a chat request, measured in one run.
 *
 * For each engine (offline; a scripted OpenAI-compatible LLM answering in 300 ms) and each tracing mode
 * (off; on with Langfuse healthy; on with Langfuse refusing connections; on with Langfuse hanging), the
 * real server (`src/main.ts`) runs as its own process on a fresh copy of one prepared database, and
 * autocannon drives `POST /api/v1/chat` with a fixed number of requests at a fixed concurrency.
 * Modes run interleaved over several rounds so drift on the machine hits all of them alike; latencies
 * of all rounds are pooled per scenario.
 *
 * Three processes, so no one's work shows up as another's latency: this one (load generator), the
 * peers (Langfuse-like receiver + scripted LLM: `--peers`), and the server under test.
 * Everything talks to 127.0.0.1 only. Results are printed and written to docs/BENCHMARKS.md
 * (section "## Tracing overhead") unless `--no-write`.
 *
 * Options: --rounds N (default 2), --quick (1 round, fewer requests: a smoke run), --no-write,
 * --engines offline,llm-300ms and --modes off,healthy,refusing,hanging (subsets, for investigations).
 *
 * Then the load row (skip with --no-load, or run only it with --load-only): 4,000 offline chats at 50
 * connections (--load-connections 50,200 for more rows) with Langfuse healthy: traces delivered against
 * chats answered, the server's own counters, and bytes per trace as JSON and on the wire (gzip). Written
 * to docs/BENCHMARKS.md between the `bench:tracing-load` markers.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import autocannon from 'autocannon';
import { z } from 'zod';
import { traceRequestBody } from '../src/observability/spool/otlp.js';
import { decodeSegment } from '../src/observability/spool/record.js';
import { runPeers, startPeers, type Peers } from './peers.js';
import { commandLine, machine, option, writeBenchBlock } from './report.js';
import { cpuMsOf, memoryOf, prepareTemplate, startServerProcess, stopServerProcess } from './server-process.js';
import { fmt, percentile } from './stats.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const MESSAGE = 'I am cooking a beef steak tonight. Which red wine would you recommend?';
const LLM_DELAY_MS = 300;
const FLUSH_INTERVAL_MS = 1_000;

type TracingMode = 'off' | 'healthy' | 'refusing' | 'hanging';
type EngineName = 'offline' | 'llm-300ms';
const MODES: readonly TracingMode[] = ['off', 'healthy', 'refusing', 'hanging'];
const RECEIVER_MODE: Record<Exclude<TracingMode, 'off'>, 'ok' | 'refuse' | 'hang'> = {
  healthy: 'ok',
  refusing: 'refuse',
  hanging: 'hang',
};

interface LoadShape {
  connections: number;
  warmup: number;
  requests: number;
}

async function directoryBytes(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

// --- Load ----------------------------------------------------------------------------------------

interface LoadResult {
  latenciesMs: number[];
  durationMs: number;
  failures: number;
}

function runLoad(url: string, connections: number, amount: number, traceIds?: Set<string>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latenciesMs: number[] = [];
    let failures = 0;
    const started = performance.now();
    // autocannon reports the end of a fixed-count run on its once-a-second tick, which would quantise
    // req/s (400 requests: 8 s → 50 req/s, 9 s → 44 req/s); the last response is the real end.
    let lastResponseAt = started;
    const instance = autocannon(
      {
        url: `${url}/api/v1/chat`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: MESSAGE }),
        connections,
        amount,
        timeout: 60,
        ...(traceIds
          ? {
              requests: [
                {
                  onResponse: (status: number, body: string) => {
                    const traceId = status === 200 ? chatAnswer.parse(JSON.parse(body)).traceId : null;
                    if (traceId) traceIds.add(traceId);
                  },
                },
              ],
            }
          : {}),
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        failures += result.errors + result.timeouts + result.non2xx;
        resolve({ latenciesMs, durationMs: lastResponseAt - started, failures });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
      lastResponseAt = performance.now();
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTimeMs);
    });
  });
}

const chatAnswer = z.object({ reply: z.string().min(1), engine: z.string(), traceId: z.string().nullable() });

async function checkAnswer(url: string, engine: EngineName, tracing: TracingMode): Promise<void> {
  const response = await fetch(`${url}/api/v1/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: MESSAGE }),
  });
  if (response.status !== 200) throw new Error(`chat answered ${response.status}`);
  const answer = chatAnswer.parse(await response.json());
  const expectedEngine = engine === 'offline' ? 'offline' : 'openai';
  if (answer.engine !== expectedEngine) throw new Error(`expected the ${expectedEngine} engine, got ${answer.engine}`);
  if ((answer.traceId !== null) !== (tracing !== 'off')) throw new Error(`tracing ${tracing} but traceId ${answer.traceId}`);
}

// --- One scenario run ----------------------------------------------------------------------------

interface RunResult {
  latenciesMs: number[];
  durationMs: number;
  requests: number;
  failures: number;
  peakRss: number;
  rssAfterWarmup: number;
  rssAtEnd: number;
  spoolBytes: number;
  requestsSent: number;
  /** Server CPU during the measured requests (less sensitive to a busy machine than latency). */
  cpuMs: number;
}

const flow = z.object({ received: z.number(), delivered: z.number(), pending: z.number(), dropped: z.number(), deadLettered: z.number() });
const readyz = z.object({
  checks: z.object({ tracing: z.object({ spans: flow, traces: flow, scores: flow, pendingBytes: z.number() }) }),
});

async function runScenario(
  template: string,
  peers: Peers,
  engine: EngineName,
  tracing: TracingMode,
  shape: LoadShape,
): Promise<RunResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-bench-run-'));
  await cp(template, dataDir, { recursive: true });
  await peers.configure({ llmDelayMs: LLM_DELAY_MS, receiver: tracing === 'off' ? 'ok' : RECEIVER_MODE[tracing] });
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    CATALOG_SEED: 'false',
    ...(engine === 'offline'
      ? { LLM_PROVIDER: 'offline' }
      : { LLM_PROVIDER: 'openai', LLM_BASE_URL: peers.llmUrl, LLM_API_KEY: 'bench', LLM_MODEL: 'scripted/model-1', LLM_FALLBACK_TO_OFFLINE: 'false' }),
    ...(tracing === 'off' ? { LANGFUSE_TRACING_ENABLED: 'false' } : peers.tracingEnv(FLUSH_INTERVAL_MS)),
  };
  const server = await startServerProcess(env);
  try {
    const pid = server.child.pid;
    if (pid === undefined) throw new Error('server has no pid');
    await checkAnswer(server.url, engine, tracing);
    const warm = await runLoad(server.url, shape.connections, shape.warmup);
    const rssAfterWarmup = memoryOf(pid).rss;
    const cpuBefore = cpuMsOf(pid);
    const measured = await runLoad(server.url, shape.connections, shape.requests);
    const cpuMs = cpuMsOf(pid) - cpuBefore;
    // Let the last batches reach the spool (or Langfuse) before measuring what stays on disk.
    await new Promise((resolve) => setTimeout(resolve, FLUSH_INTERVAL_MS * 1.5));
    const memory = memoryOf(pid);
    if (tracing !== 'off') readyz.parse(await (await fetch(`${server.url}/readyz`)).json());
    return {
      latenciesMs: measured.latenciesMs,
      durationMs: measured.durationMs,
      requests: measured.latenciesMs.length,
      failures: warm.failures + measured.failures,
      peakRss: memory.peak,
      rssAfterWarmup,
      rssAtEnd: memory.rss,
      spoolBytes: await directoryBytes(join(dataDir, 'trace-spool')),
      requestsSent: 1 + shape.warmup + shape.requests,
      cpuMs,
    };
  } finally {
    await stopServerProcess(server);
    await rm(dataDir, { recursive: true, force: true });
  }
}

// --- Aggregation and report ----------------------------------------------------------------------

interface Summary {
  engine: EngineName;
  tracing: TracingMode;
  requests: number;
  failures: number;
  medianMs: number;
  p99Ms: number;
  throughput: number;
  cpuMsPerRequest: number;
  peakRssMiB: number;
  rssGrowthMiB: number;
  spoolKiBPer1000: number;
}

function summarise(engine: EngineName, tracing: TracingMode, runs: readonly RunResult[]): Summary {
  const latencies = runs.flatMap((run) => run.latenciesMs).sort((a, b) => a - b);
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.durationMs, 0) / 1000;
  const mib = (bytes: number): number => bytes / 1024 / 1024;
  return {
    engine,
    tracing,
    requests,
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
    medianMs: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    throughput: requests / seconds,
    cpuMsPerRequest: runs.reduce((sum, run) => sum + run.cpuMs, 0) / requests,
    peakRssMiB: mib(Math.max(...runs.map((run) => run.peakRss))),
    rssGrowthMiB: mib(Math.max(...runs.map((run) => run.rssAtEnd - run.rssAfterWarmup))),
    spoolKiBPer1000:
      runs.reduce((sum, run) => sum + (run.spoolBytes / run.requestsSent) * 1000, 0) / runs.length / 1024,
  };
}

function table(summaries: readonly Summary[]): string {
  const header =
    '| engine | tracing | requests | failed | median ms | p99 ms | req/s | median ratio | p99 ratio | req/s ratio | server CPU ms/req | CPU ratio | peak RSS MiB | RSS growth MiB | spool KiB / 1,000 req |';
  const rule = '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const rows = summaries.map((s) => {
    const off = summaries.find((other) => other.engine === s.engine && other.tracing === 'off');
    const ratio = (value: number, base: number | undefined): string => (base ? fmt(value / base, 3) : 'n/a');
    return `| ${s.engine} | ${s.tracing} | ${s.requests} | ${s.failures} | ${fmt(s.medianMs, 2)} | ${fmt(s.p99Ms, 2)} | ${fmt(s.throughput, 1)} | ${ratio(s.medianMs, off?.medianMs)} | ${ratio(s.p99Ms, off?.p99Ms)} | ${ratio(s.throughput, off?.throughput)} | ${fmt(s.cpuMsPerRequest, 2)} | ${ratio(s.cpuMsPerRequest, off?.cpuMsPerRequest)} | ${fmt(s.peakRssMiB, 0)} | ${fmt(s.rssGrowthMiB, 1)} | ${fmt(s.spoolKiBPer1000, 1)} |`;
  });
  return [header, rule, ...rows].join('\n');
}

const SECTION = '## Tracing overhead';

// --- Load: is every answered chat traced? ------------------------------------------------------

interface LoadRow {
  connections: number;
  answered: number;
  failures: number;
  seconds: number;
  cpuMsPerChat: number;
  /** The server's own counters once its spool is empty. */
  server: z.infer<typeof readyz>['checks']['tracing'];
  /** Answered chats whose trace (root span) reached the receiver. */
  delivered: number;
  drainSeconds: number;
  spansPerTrace: number;
  wireBytesPerTrace: number;
  jsonBytesPerTrace: number;
  gzip: boolean;
  /** zlib.gzip (async, level 6) of one real segment, per trace: the CPU the compression costs. */
  gzipMsPerTrace: number | null;
  /** One trace compressed on its own: the bench sends one message over and over, which a whole request compresses far better than real traffic. */
  oneTraceBytes: { json: number; gzip: number } | null;
}

const gzipAsync = promisify(gzip);

/** Time of async gzip on a real request body, per trace, from a segment caught in the spool during the load. */
async function gzipCostPerTrace(segment: Buffer): Promise<number | null> {
  const { records } = decodeSegment(segment);
  const traces = records.reduce((sum, record) => sum + record.traces, 0);
  if (traces === 0) return null;
  const body = traceRequestBody(records.map((record) => record.payload));
  const started = performance.now();
  for (let i = 0; i < 20; i++) await gzipAsync(body);
  return (performance.now() - started) / 20 / traces;
}

const otlpSpans = z.array(z.looseObject({ scopeSpans: z.array(z.looseObject({ spans: z.array(z.looseObject({ traceId: z.string() })) })) }));

/** The first trace of a segment as a request of its own, and gzipped alone. */
async function oneTrace(segment: Buffer): Promise<{ json: number; gzip: number } | null> {
  const record = decodeSegment(segment).records[0];
  if (!record) return null;
  const resourceSpans = otlpSpans.parse(JSON.parse(record.payload.toString('utf8')));
  const traceId = resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId;
  const only = resourceSpans.map((rs) => ({ ...rs, scopeSpans: rs.scopeSpans.map((ss) => ({ ...ss, spans: ss.spans.filter((span) => span.traceId === traceId) })) }));
  const body = Buffer.from(JSON.stringify({ resourceSpans: only }));
  return { json: body.length, gzip: (await gzipAsync(body)).length };
}

async function runLoadRow(template: string, peers: Peers, connections: number, chats: number): Promise<LoadRow> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-bench-load-'));
  await cp(template, dataDir, { recursive: true });
  await peers.configure({ llmDelayMs: LLM_DELAY_MS });
  const server = await startServerProcess({
    DATA_DIR: dataDir,
    CATALOG_SEED: 'false',
    LLM_PROVIDER: 'offline',
    ...peers.tracingEnv(FLUSH_INTERVAL_MS),
  });
  try {
    const pid = server.child.pid;
    if (pid === undefined) throw new Error('server has no pid');
    await checkAnswer(server.url, 'offline', 'healthy');
    const tracing = async () => readyz.parse(await (await fetch(`${server.url}/readyz`)).json()).checks.tracing;
    const settle = async (): Promise<void> => {
      const deadline = Date.now() + 300_000;
      for (let t = await tracing(); t.spans.pending + t.scores.pending > 0; t = await tracing()) {
        if (Date.now() > deadline) throw new Error('the spool did not drain within 5 minutes');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    await settle();
    const before = await tracing();
    await peers.configure({ llmDelayMs: LLM_DELAY_MS, remember: true }); // forgets what the receiver got so far
    // A real segment, caught while the shipper is behind, to time gzip on real data.
    let segment: Buffer | null = null;
    const spoolDir = join(dataDir, 'trace-spool', 'traces');
    const catcher = setInterval(() => {
      if (segment) return;
      void readdir(spoolDir)
        .then(async (names) => {
          const name = names.find((entry) => entry.endsWith('.seg'));
          if (name && !segment) segment = await readFile(join(spoolDir, name));
        })
        .catch(() => undefined);
    }, 200);
    const traceIds = new Set<string>();
    const cpuBefore = cpuMsOf(pid);
    const started = performance.now();
    const load = await runLoad(server.url, connections, chats, traceIds);
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = cpuMsOf(pid) - cpuBefore;
    const drainStarted = performance.now();
    await settle();
    clearInterval(catcher);
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const after = await tracing();
    const received = await peers.received();
    const roots = new Set(received.rootTraceIds);
    const diff = (a: z.infer<typeof flow>, b: z.infer<typeof flow>): z.infer<typeof flow> => ({
      received: a.received - b.received,
      delivered: a.delivered - b.delivered,
      pending: a.pending,
      dropped: a.dropped - b.dropped,
      deadLettered: a.deadLettered - b.deadLettered,
    });
    return {
      connections,
      answered: traceIds.size,
      failures: load.failures,
      seconds,
      cpuMsPerChat: cpuMs / traceIds.size,
      server: { spans: diff(after.spans, before.spans), traces: diff(after.traces, before.traces), scores: diff(after.scores, before.scores), pendingBytes: after.pendingBytes },
      delivered: [...traceIds].filter((traceId) => roots.has(traceId)).length,
      drainSeconds,
      spansPerTrace: received.spans / Math.max(1, roots.size),
      wireBytesPerTrace: received.wireBytes / Math.max(1, roots.size),
      jsonBytesPerTrace: received.decodedBytes / Math.max(1, roots.size),
      gzip: received.gzip,
      gzipMsPerTrace: segment ? await gzipCostPerTrace(segment) : null,
      oneTraceBytes: segment ? await oneTrace(segment) : null,
    };
  } finally {
    await stopServerProcess(server);
    await rm(dataDir, { recursive: true, force: true });
  }
}

function loadTable(rows: readonly LoadRow[]): string {
  const header =
    '| connections | chats answered | failed | traces delivered (root span at the receiver) | server: traces received / delivered / dropped | s | chats/s | drain after the load, s | spans / trace | bytes / trace, JSON | bytes / trace on the wire (gzip) | one trace alone: JSON → gzip | gzip CPU ms / trace |';
  const rule = '|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|';
  return [
    header,
    rule,
    ...rows.map(
      (r) =>
        `| ${r.connections} | ${r.answered} | ${r.failures} | ${r.delivered} | ${r.server.traces.received} / ${r.server.traces.delivered} / ${r.server.traces.dropped} | ` +
        `${fmt(r.seconds, 1)} | ${fmt(r.answered / r.seconds, 0)} | ${fmt(r.drainSeconds, 1)} | ${fmt(r.spansPerTrace, 1)} | ${fmt(r.jsonBytesPerTrace, 0)} | ` +
        `${fmt(r.wireBytesPerTrace, 0)}${r.gzip ? '' : ' (not gzip!)'} | ${r.oneTraceBytes ? `${r.oneTraceBytes.json} → ${r.oneTraceBytes.gzip}` : 'n/a'} | ` +
        `${r.gzipMsPerTrace === null ? 'n/a' : fmt(r.gzipMsPerTrace, 3)} |`,
    ),
  ].join('\n');
}

// --- Main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rounds = quick ? 1 : Number(option('--rounds') ?? 2);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds must be 1..10');
  const shapes: Record<EngineName, LoadShape> = quick
    ? { offline: { connections: 8, warmup: 100, requests: 400 }, 'llm-300ms': { connections: 32, warmup: 32, requests: 128 } }
    : { offline: { connections: 8, warmup: 300, requests: 2_000 }, 'llm-300ms': { connections: 32, warmup: 64, requests: 400 } };

  const engines = z
    .array(z.enum(['offline', 'llm-300ms']))
    .min(1)
    .parse(option('--engines')?.split(',') ?? ['offline', 'llm-300ms']);
  const modes = z
    .array(z.enum(MODES))
    .min(1)
    .parse(option('--modes')?.split(',') ?? [...MODES]);
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  const peers = await startPeers(THIS_FILE);
  process.stdout.write('preparing the database (first start seeds the catalogue)…\n');
  const template = await prepareTemplate();
  try {
    if (!process.argv.includes('--load-only')) {
      const runs = new Map<string, RunResult[]>();
      for (const engine of engines) {
        for (let round = 0; round < rounds; round++) {
          // Rotate the order each round: a slow drift of the machine then touches every mode alike.
          const order = modes.map((_, i) => modes[(i + round) % modes.length]!);
          for (const tracing of order) {
            const shape = shapes[engine];
            process.stdout.write(`round ${round + 1}/${rounds} ${engine} tracing=${tracing}: ${shape.requests} requests, ${shape.connections} connections… `);
            const result = await runScenario(template, peers, engine, tracing, shape);
            const sorted = [...result.latenciesMs].sort((a, b) => a - b);
            process.stdout.write(
              `median ${fmt(percentile(sorted, 50), 2)} ms, p99 ${fmt(percentile(sorted, 99), 2)} ms, ` +
                `server CPU ${fmt(result.cpuMs / result.requests, 2)} ms/req\n`,
            );
            const key = `${engine}/${tracing}`;
            runs.set(key, [...(runs.get(key) ?? []), result]);
          }
        }
      }
      const summaries = engines.flatMap((engine) =>
        modes.map((tracing) => summarise(engine, tracing, runs.get(`${engine}/${tracing}`) ?? [])),
      );
      const output = table(summaries);
      process.stdout.write(`\n${output}\n`);

      const shape = (engine: EngineName): string =>
        `${shapes[engine].requests} requests × ${rounds} round(s) at ${shapes[engine].connections} connections after ${shapes[engine].warmup} warm-up requests`;
      const report = [
        `Command: \`${commandLine('bench:tracing')}\` — ${machine(started, loadBefore)}.`,
        '',
        `Load: \`POST /api/v1/chat\` with one fixed message; offline engine: ${shape('offline')}; ` +
          `scripted LLM (two calls of ${LLM_DELAY_MS} ms per chat): ${shape('llm-300ms')}. ` +
          `Each run is a fresh server process on a copy of one database; flush interval ${FLUSH_INTERVAL_MS} ms; latencies of all rounds pooled.`,
        '',
        output,
      ].join('\n');
      if (!process.argv.includes('--no-write')) process.stdout.write(`\nwritten to ${await writeBenchBlock('tracing', SECTION, report)}\n`);
    }

    if (!process.argv.includes('--no-load')) {
      const chats = quick ? 1_000 : 4_000;
      const connections = (option('--load-connections') ?? '50').split(',').map(Number);
      const rows: LoadRow[] = [];
      for (const count of connections) {
        process.stdout.write(`load: ${chats} offline chats at ${count} connections, Langfuse healthy… `);
        rows.push(await runLoadRow(template, peers, count, chats));
        const row = rows.at(-1)!;
        process.stdout.write(`${row.delivered} of ${row.answered} traces delivered, ${row.server.traces.dropped} dropped\n`);
      }
      const output = loadTable(rows);
      process.stdout.write(`\n${output}\n`);
      const report = [
        `Command: \`${commandLine('bench:tracing')}\` — ${machine(started, loadBefore)}. ` +
          `Offline engine, tracing on, Langfuse healthy (the receiver in its own process), flush interval ${FLUSH_INTERVAL_MS} ms; ` +
          `the server process after one warm-up chat; bytes counted at the receiver; gzip timed with async zlib on a segment caught in the spool during the run.`,
        '',
        output,
      ].join('\n');
      if (!process.argv.includes('--no-write')) process.stdout.write(`\nwritten to ${await writeBenchBlock('tracing-load', SECTION, report)}\n`);
    }
  } finally {
    await peers.close();
    await rm(template, { recursive: true, force: true });
  }
}

if (process.argv.includes('--peers')) {
  void runPeers();
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:tracing failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
