/**
 * `npm run bench:concurrency` — the chat path against a slow LLM: what our own work adds to a chat when
 * 50, 200 and 500 people chat at once, what it costs in server CPU and memory, with tracing off and on,
 * in one run.
 *
 * Three processes, so no one's work shows up as another's: this one (load generator), the peers (the
 * scripted OpenAI-compatible LLM answering each call after 2 s, and the Langfuse-like receiver), and the
 * server under test (`npm start`'s own entry, embedded PGlite, a fresh copy of one prepared database per
 * scenario). Everything talks to 127.0.0.1 only.
 *
 * A scenario: the server starts; a warm-up (the LLM answering at once) gets the JIT and caches going;
 * then N simulated users chat back to back, their first chats spread over the first 4 s (one chat's LLM
 * time), so N chats are in flight at any moment — N concurrent chats, not N arriving in the same
 * millisecond (`--burst` starts them all at once instead). Each chat is two LLM calls (tool call, then
 * the answer) of 2 s: everything above 4 s is the server's own doing (CPU and queueing).
 *
 * Modes:
 *   (default)           levels 50, 200, 500 × tracing off/on, 3 chats per user; written to docs/BENCHMARKS.md
 *   --quick             the same with 1 chat per user (a smoke run, ~1 min)
 *   --levels 50,500     --rounds N     --tracing off,on     --burst     --no-write
 *   --soak SECONDS      one server under 200 concurrent chats (--concurrency N) for SECONDS, varied
 *                       searches and sessions; RSS and heap sampled every 10 s: does memory stay flat?
 *   --cpu               CPU per chat against an LLM answering at once (--chats 3000, --concurrency 16,
 *                       --tracing off, --rounds 1, --llm-delay 0 ms); --profile also writes the server's .cpuprofile and
 *                       summarises it; --compare 'a:K=V;b:K=V' runs named server environments side by
 *                       side (e.g. PGlite settings; APP_ROOT=DIR runs another checkout, e.g. main, for a
 *                       before/after in one run); --write-section NAME puts the table in docs/BENCHMARKS.md
 *   --env K=V,K=V       extra server environment (e.g. a PGlite setting), for investigations
 */
import { Agent, request } from 'node:http';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { OFFLINE_REQUESTS } from '../test/fixtures/offline-requests.js';
import { runPeers, startPeers, type Peers } from './peers.js';
import { formatProfile, summariseProfile } from './profile.js';
import { commandLine, machine, option, writeBenchBlock } from './report.js';
import { cpuMsOf, memoryOf, prepareTemplate, startServerProcess, stopServerProcess, type ServerProcess } from './server-process.js';
import { fmt, percentile } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);
const LLM_DELAY_MS = 2_000;
/** Two LLM calls per chat: the tool call, then the answer. */
const LLM_MS_PER_CHAT = 2 * LLM_DELAY_MS;
const MIB = 1024 * 1024;
/** Half Russian, half English; what is asked changes nothing the scripted LLM does but the language. */
const MESSAGES = OFFLINE_REQUESTS.map((r) => r.message);

type Tracing = 'off' | 'on';

// --- Client --------------------------------------------------------------------------------------

const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

const chatAnswer = z.object({
  reply: z.string().min(1),
  engine: z.enum(['openai', 'offline']),
  sessionId: z.string(),
  sessionToken: z.string().nullish(),
  traceId: z.string().nullable(),
});

interface Session {
  sessionId?: string;
  sessionToken?: string;
}

interface ChatOutcome {
  ok: boolean;
  ms: number;
  error?: string;
  traced: boolean;
}

/** One chat over a keep-alive connection; the session continues with what the server answered. */
function chat(url: string, message: string, session: Session): Promise<ChatOutcome> {
  const body = JSON.stringify({ message, ...session });
  const started = performance.now();
  return new Promise((resolve) => {
    const fail = (error: string): void => resolve({ ok: false, ms: performance.now() - started, error, traced: false });
    const req = request(
      `${url}/api/v1/chat`,
      { method: 'POST', agent, timeout: 120_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => fail(error.message));
        res.on('end', () => {
          const ms = performance.now() - started;
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return fail(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
          const parsed = chatAnswer.safeParse(JSON.parse(text));
          if (!parsed.success) return fail(`unexpected answer: ${text.slice(0, 200)}`);
          session.sessionId = parsed.data.sessionId;
          if (parsed.data.sessionToken) session.sessionToken = parsed.data.sessionToken;
          resolve({ ok: true, ms, traced: parsed.data.traceId !== null });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', (error) => fail(error.message));
    req.end(body);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface LoadOptions {
  users: number;
  chatsPerUser: number;
  /** Spread of the users' first chats, ms (0: all at once). */
  rampMs: number;
  /** A new session every this many chats of a user. */
  chatsPerSession: number;
  /** Stop starting chats after this time (soak). */
  untilMs?: number;
  message: (n: number) => string;
  onChat?: (outcome: ChatOutcome) => void;
}

interface LoadResult {
  outcomes: ChatOutcome[];
  durationMs: number;
}

/** `users` simulated people, each chatting back to back. */
async function load(url: string, options: LoadOptions): Promise<LoadResult> {
  const outcomes: ChatOutcome[] = [];
  const started = performance.now();
  let n = 0;
  const user = async (index: number): Promise<void> => {
    if (options.rampMs > 0) await sleep((index * options.rampMs) / options.users);
    let session: Session = {};
    for (let i = 0; i < options.chatsPerUser; i++) {
      if (options.untilMs !== undefined && performance.now() - started > options.untilMs) return;
      if (i > 0 && i % options.chatsPerSession === 0) session = {};
      const outcome = await chat(url, options.message(n++), session);
      outcomes.push(outcome);
      options.onChat?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: options.users }, (_, i) => user(i)));
  return { outcomes, durationMs: performance.now() - started };
}

// --- Server --------------------------------------------------------------------------------------

function serverEnv(dataDir: string, peers: Peers, tracing: Tracing, extra: Record<string, string>): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    CATALOG_SEED: 'false',
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: peers.llmUrl,
    LLM_API_KEY: 'bench',
    LLM_MODEL: 'scripted/model-1',
    LLM_FALLBACK_TO_OFFLINE: 'false',
    LLM_TIMEOUT_MS: '60000',
    ...(tracing === 'off' ? { LANGFUSE_TRACING_ENABLED: 'false' } : peers.tracingEnv(1000)),
    ...extra,
  };
}

/** `APP_ROOT` in a scenario's environment runs another checkout of the app (see --compare). */
async function withServer<T>(
  template: string,
  env: (dataDir: string) => Record<string, string>,
  run: (server: ServerProcess, pid: number) => Promise<T>,
  nodeArgs: string[] = [],
): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-bench-run-'));
  await cp(template, dataDir, { recursive: true });
  const { APP_ROOT: root, ...serverEnv } = env(dataDir);
  const server = await startServerProcess(serverEnv, { nodeArgs, ...(root ? { root } : {}) });
  try {
    const pid = server.child.pid;
    if (pid === undefined) throw new Error('server has no pid');
    return await run(server, pid);
  } finally {
    await stopServerProcess(server);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Samples the server's RSS while `work` runs; the highest value seen. */
async function peakRssDuring<T>(pid: number, work: Promise<T>): Promise<{ result: T; peakRss: number }> {
  let peakRss = memoryOf(pid).rss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, memoryOf(pid).rss);
  }, 50);
  try {
    const result = await work;
    return { result, peakRss: Math.max(peakRss, memoryOf(pid).rss) };
  } finally {
    clearInterval(timer);
  }
}

async function warmUp(url: string, peers: Peers, chats: number): Promise<void> {
  await peers.configure({ llmDelayMs: 0 });
  const warm = await load(url, { users: 16, chatsPerUser: Math.ceil(chats / 16), rampMs: 0, chatsPerSession: 3, message: (n) => MESSAGES[n % MESSAGES.length]! });
  const failed = warm.outcomes.find((outcome) => !outcome.ok);
  if (failed) throw new Error(`warm-up chat failed: ${failed.error}`);
}

// --- Concurrency levels --------------------------------------------------------------------------

interface LevelResult {
  level: number;
  tracing: Tracing;
  burst: boolean;
  chats: number;
  errors: string[];
  addedMs: number[];
  cpuMsPerChat: number;
  rssStart: number;
  rssIdle: number;
  rssPeak: number;
  rssEnd: number;
  durationMs: number;
}

async function runLevel(template: string, peers: Peers, level: number, tracing: Tracing, rounds: number, burst: boolean, warmChats: number, extra: Record<string, string>): Promise<LevelResult> {
  return withServer(
    template,
    (dataDir) => serverEnv(dataDir, peers, tracing, extra),
    async (server, pid) => {
      const rssStart = memoryOf(pid).rss;
      await warmUp(server.url, peers, warmChats);
      await peers.configure({ llmDelayMs: LLM_DELAY_MS });
      await sleep(1_000);
      const rssIdle = memoryOf(pid).rss;
      const cpuBefore = cpuMsOf(pid);
      const { result, peakRss } = await peakRssDuring(
        pid,
        load(server.url, {
          users: level,
          chatsPerUser: rounds,
          rampMs: burst ? 0 : LLM_MS_PER_CHAT,
          chatsPerSession: rounds,
          message: (n) => MESSAGES[n % MESSAGES.length]!,
        }),
      );
      const cpuMs = cpuMsOf(pid) - cpuBefore;
      await sleep(2_000);
      const rssEnd = memoryOf(pid).rss;
      const errors = result.outcomes.filter((o) => !o.ok).map((o) => o.error ?? 'unknown');
      const untraced = result.outcomes.filter((o) => o.ok && o.traced !== (tracing === 'on')).length;
      if (untraced > 0) errors.push(`${untraced} answers with tracing ${tracing === 'on' ? 'missing' : 'present'}`);
      return {
        level,
        tracing,
        burst,
        chats: result.outcomes.length,
        errors,
        addedMs: result.outcomes.filter((o) => o.ok).map((o) => o.ms - LLM_MS_PER_CHAT),
        cpuMsPerChat: cpuMs / Math.max(1, result.outcomes.length),
        rssStart,
        rssIdle,
        rssPeak: peakRss,
        rssEnd,
        durationMs: result.durationMs,
      };
    },
  );
}

function levelTable(results: LevelResult[]): string {
  const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
  const rows = results.map((r) => {
    const added = sorted(r.addedMs);
    const off = results.find((o) => o.level === r.level && o.burst === r.burst && o.tracing === 'off');
    const cpuRatio = off && r.tracing === 'on' ? fmt(r.cpuMsPerChat / off.cpuMsPerChat, 2) : '';
    return `| ${r.level}${r.burst ? ' (burst)' : ''} | ${r.tracing} | ${r.chats} | ${r.errors.length} | ${fmt(percentile(added, 50), 0)} | ${fmt(percentile(added, 99), 0)} | ${fmt(added.at(-1) ?? Number.NaN, 0)} | ${fmt(r.cpuMsPerChat, 2)} | ${cpuRatio} | ${fmt(r.rssStart / MIB, 0)} | ${fmt(r.rssIdle / MIB, 0)} | ${fmt(r.rssPeak / MIB, 0)} | ${fmt(r.rssEnd / MIB, 0)} |`;
  });
  return [
    '| concurrent chats | tracing | chats | errors | added p50 ms | added p99 ms | added max ms | server CPU ms/chat | CPU on/off | RSS start MiB | RSS idle MiB | RSS peak MiB | RSS end MiB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

// --- Soak ----------------------------------------------------------------------------------------

const metricsLine = (text: string, name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

interface SoakSample {
  atS: number;
  rss: number;
  heapUsed: number;
  external: number;
  chats: number;
}

async function runSoak(template: string, peers: Peers, seconds: number, users: number, tracing: Tracing, extra: Record<string, string>): Promise<{ samples: SoakSample[]; chats: number; errors: string[]; cpuMsPerChat: number; addedMs: number[] }> {
  return withServer(
    template,
    (dataDir) => serverEnv(dataDir, peers, tracing, extra),
    async (server, pid) => {
      await warmUp(server.url, peers, 300);
      await peers.configure({ llmDelayMs: LLM_DELAY_MS, search: 'varied' });
      const samples: SoakSample[] = [];
      let done = 0;
      const started = performance.now();
      const sample = async (): Promise<void> => {
        const text = await (await fetch(`${server.url}/metrics`)).text();
        samples.push({
          atS: (performance.now() - started) / 1000,
          rss: memoryOf(pid).rss,
          heapUsed: metricsLine(text, 'sommelier_process_nodejs_heap_size_used_bytes'),
          external: metricsLine(text, 'sommelier_process_nodejs_external_memory_bytes'),
          chats: done,
        });
        const last = samples.at(-1)!;
        process.stdout.write(`  ${fmt(last.atS, 0)} s: ${last.chats} chats, RSS ${fmt(last.rss / MIB, 0)} MiB, heap ${fmt(last.heapUsed / MIB, 0)} MiB\n`);
      };
      await sample();
      const timer = setInterval(() => void sample(), 10_000);
      const cpuBefore = cpuMsOf(pid);
      // Every chat asks a different search (thousands of distinct ones: the search cache cycles through
      // its bound) and a user starts a new session every 3 chats (sessions far past the history cache).
      const counted = load(server.url, {
        users,
        chatsPerUser: Number.MAX_SAFE_INTEGER,
        rampMs: LLM_MS_PER_CHAT,
        chatsPerSession: 3,
        untilMs: seconds * 1000,
        message: (n) => `${MESSAGES[n % MESSAGES.length]!} #${n}`,
        onChat: () => {
          done += 1;
        },
      });
      const result = await counted;
      clearInterval(timer);
      const cpuMs = cpuMsOf(pid) - cpuBefore;
      await sleep(2_000);
      await sample();
      return {
        samples,
        chats: result.outcomes.length,
        errors: result.outcomes.filter((o) => !o.ok).map((o) => o.error ?? 'unknown'),
        cpuMsPerChat: cpuMs / Math.max(1, result.outcomes.length),
        addedMs: result.outcomes.filter((o) => o.ok).map((o) => o.ms - LLM_MS_PER_CHAT),
      };
    },
  );
}

/** Least-squares slope of RSS against time, MiB per minute. */
function slopeMiBPerMinute(samples: SoakSample[]): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  const xs = samples.map((s) => s.atS / 60);
  const ys = samples.map((s) => s.rss / MIB);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0);
  const den = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return num / den;
}

// --- CPU per chat (and profile) ------------------------------------------------------------------

interface CpuResult {
  cpuMsPerChat: number;
  chatsPerSecond: number;
  errors: number;
  rssIdle: number;
  rssPeak: number;
  profile: string | null;
}

async function runCpu(template: string, peers: Peers, chats: number, users: number, tracing: Tracing, profileDir: string | null, extra: Record<string, string>, llmDelayMs = 0): Promise<CpuResult> {
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=250'] : [];
  let window: { from: number; to: number } | null = null;
  const outcome = await withServer(
    template,
    (dataDir) => serverEnv(dataDir, peers, tracing, extra),
    async (server, pid) => {
      await warmUp(server.url, peers, Math.min(500, chats));
      await peers.configure({ llmDelayMs });
      await sleep(500);
      const rssIdle = memoryOf(pid).rss;
      const cpuBefore = cpuMsOf(pid);
      const from = Number(process.hrtime.bigint() / 1000n);
      const { result, peakRss } = await peakRssDuring(
        pid,
        load(server.url, {
          users,
          chatsPerUser: Math.ceil(chats / users),
          rampMs: 0,
          chatsPerSession: 3,
          message: (n) => MESSAGES[n % MESSAGES.length]!,
        }),
      );
      window = { from, to: Number(process.hrtime.bigint() / 1000n) };
      const cpuMs = cpuMsOf(pid) - cpuBefore;
      return {
        cpuMsPerChat: cpuMs / result.outcomes.length,
        chatsPerSecond: result.outcomes.length / (result.durationMs / 1000),
        errors: result.outcomes.filter((o) => !o.ok).length,
        chats: result.outcomes.length,
        rssIdle,
        rssPeak: peakRss,
      };
    },
    nodeArgs,
  );
  let profile: string | null = null;
  if (profileDir && window) {
    const files = (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile'));
    const newest = files.sort().at(-1);
    if (newest) {
      const summary = summariseProfile(JSON.parse(await readFile(join(profileDir, newest), 'utf8')), window);
      profile = `profile: ${join(profileDir, newest)} (measured window only)\n\n${formatProfile(summary, outcome.chats, 40)}`;
    }
  }
  return { ...outcome, profile };
}

/** `--compare 'a:K=V,K=V;b:K=V'`: named server environments to run side by side (one unnamed by default). */
function variantsOption(raw: string | undefined): { name: string; env: Record<string, string> }[] {
  if (!raw) return [{ name: 'as configured', env: {} }];
  return raw.split(';').map((part) => {
    const colon = part.indexOf(':');
    const name = colon < 0 ? part : part.slice(0, colon);
    const pairs = colon < 0 ? '' : part.slice(colon + 1);
    return { name, env: parseEnvPairs(pairs) };
  });
}

// --- Main ----------------------------------------------------------------------------------------

function extraEnv(): Record<string, string> {
  return parseEnvPairs(option('--env') ?? '');
}

function parseEnvPairs(raw: string): Record<string, string> {
  if (!raw) return {};
  return Object.fromEntries(
    raw.split(',').map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--env expects K=V pairs, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const write = !process.argv.includes('--no-write');
  const command = commandLine('bench:concurrency');
  const tracingModes = z
    .array(z.enum(['off', 'on']))
    .min(1)
    .parse(option('--tracing')?.split(',') ?? (process.argv.includes('--cpu') || process.argv.includes('--soak') ? ['off'] : ['off', 'on']));
  const extra = extraEnv();
  const startedAt = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  const peers = await startPeers(THIS_FILE);
  process.stdout.write('preparing the database…\n');
  const template = await prepareTemplate();
  try {
    if (process.argv.includes('--soak')) {
      const seconds = z.coerce.number().int().min(10).max(3_600).parse(option('--soak'));
      const users = z.coerce.number().int().min(1).max(2_000).parse(option('--concurrency') ?? 200);
      const tracing = tracingModes[0]!;
      process.stdout.write(`soak: ${users} concurrent chats for ${seconds} s, tracing ${tracing}\n`);
      const soak = await runSoak(template, peers, seconds, users, tracing, extra);
      const added = [...soak.addedMs].sort((a, b) => a - b);
      const minute = soak.samples.filter((s) => s.atS <= 60);
      const lastMinute = soak.samples.filter((s) => s.atS >= (soak.samples.at(-1)?.atS ?? 0) - 60);
      const avg = (list: SoakSample[]): number => list.reduce((sum, s) => sum + s.rss, 0) / Math.max(1, list.length) / MIB;
      const secondHalf = soak.samples.filter((s) => s.atS >= seconds / 2);
      const rows = soak.samples
        .filter((s, i) => i === 0 || i === soak.samples.length - 1 || Math.round(s.atS) % 60 < 10)
        .map((s) => `| ${fmt(s.atS, 0)} | ${s.chats} | ${fmt(s.rss / MIB, 0)} | ${fmt(s.heapUsed / MIB, 0)} | ${fmt(s.external / MIB, 0)} |`);
      const report = [
        `Command: \`${command}\` — ${machine(startedAt, loadBefore)}.`,
        '',
        `${users} concurrent chats against the 2 s LLM for ${seconds} s, tracing ${tracing}; every chat a different search, a new session every 3 chats. ` +
          `${soak.chats} chats, ${soak.errors.length} errors, added latency p50 ${fmt(percentile(added, 50), 0)} ms / p99 ${fmt(percentile(added, 99), 0)} ms, server CPU ${fmt(soak.cpuMsPerChat, 2)} ms/chat.`,
        '',
        `RSS: first minute ${fmt(avg(minute), 0)} MiB on average, last minute ${fmt(avg(lastMinute), 0)} MiB, highest ${fmt(Math.max(...soak.samples.map((s) => s.rss)) / MIB, 0)} MiB; ` +
          `trend over the second half ${fmt(slopeMiBPerMinute(secondHalf), 2)} MiB/min (least squares).`,
        '',
        '| s | chats | RSS MiB | JS heap used MiB | external MiB |',
        '|---:|---:|---:|---:|---:|',
        ...rows,
      ].join('\n');
      process.stdout.write(`\n${report}\n`);
      if (soak.errors.length > 0) process.stdout.write(`first errors: ${soak.errors.slice(0, 5).join(' | ')}\n`);
      if (write) process.stdout.write(`written to ${await writeBenchBlock('soak', '### Memory over a 10-minute soak', report)}\n`);
      return;
    }

    if (process.argv.includes('--cpu')) {
      const chats = z.coerce.number().int().min(10).parse(option('--chats') ?? (quick ? 500 : 3_000));
      const users = z.coerce.number().int().min(1).parse(option('--concurrency') ?? 16);
      const rounds = z.coerce.number().int().min(1).max(20).parse(option('--rounds') ?? 1);
      const llmDelayMs = z.coerce.number().int().min(0).parse(option('--llm-delay') ?? 0);
      const profileDir = process.argv.includes('--profile') ? join(ROOT, '.tmp', `profile-${Date.now()}`) : null;
      if (profileDir) await mkdir(profileDir, { recursive: true });
      const variants = variantsOption(option('--compare')).flatMap((variant) =>
        tracingModes.map((tracing) => ({ ...variant, tracing, label: `${variant.name}, tracing ${tracing}` })),
      );
      const results = new Map<string, CpuResult[]>(variants.map((v) => [v.label, []]));
      for (let round = 0; round < rounds; round++) {
        // Rotated each round, so a drift of the machine touches every variant alike.
        for (const variant of variants.map((_, i) => variants[(i + round) % variants.length]!)) {
          const result = await runCpu(template, peers, chats, users, variant.tracing, profileDir, { ...extra, ...variant.env }, llmDelayMs);
          results.get(variant.label)!.push(result);
          process.stdout.write(
            `round ${round + 1}, ${variant.label}: server CPU ${fmt(result.cpuMsPerChat, 3)} ms/chat, ${fmt(result.chatsPerSecond, 0)} chats/s, ` +
              `${result.errors} errors, RSS idle ${fmt(result.rssIdle / MIB, 0)} MiB, peak ${fmt(result.rssPeak / MIB, 0)} MiB\n`,
          );
          if (result.profile) process.stdout.write(`\n${result.profile}\n\n`);
        }
      }
      const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
      const base = median(results.get(variants[0]!.label)!.map((r) => r.cpuMsPerChat));
      const report = [
        `Command: \`${command}\` — ${machine(startedAt, loadBefore)}.`,
        '',
        `${chats} chats per run at ${users} concurrent against the scripted LLM answering at once (two calls per chat), after a warm-up; ${rounds} round(s), variants interleaved; medians over rounds.`,
        '',
        '| variant | server CPU ms/chat | vs first | every round | RSS after warm-up MiB | RSS peak MiB | errors |',
        '|---|---:|---:|---|---:|---:|---:|',
        ...variants.map((v) => {
          const runs = results.get(v.label)!;
          const cpu = median(runs.map((r) => r.cpuMsPerChat));
          return `| ${v.label} | ${fmt(cpu, 2)} | ${fmt(cpu / base, 2)} | ${runs.map((r) => fmt(r.cpuMsPerChat, 2)).join(', ')} | ${fmt(median(runs.map((r) => r.rssIdle)) / MIB, 0)} | ${fmt(median(runs.map((r) => r.rssPeak)) / MIB, 0)} | ${runs.reduce((sum, r) => sum + r.errors, 0)} |`;
        }),
      ].join('\n');
      process.stdout.write(`\n${report}\n`);
      const section = option('--write-section');
      if (write && section) process.stdout.write(`written to ${await writeBenchBlock(section, `### ${section}`, report)}\n`);
      return;
    }

    const levels = z
      .array(z.coerce.number().int().min(1).max(5_000))
      .min(1)
      .parse(option('--levels')?.split(',') ?? [50, 200, 500]);
    const rounds = z.coerce.number().int().min(1).max(20).parse(option('--rounds') ?? (quick ? 1 : 3));
    const burst = process.argv.includes('--burst');
    const warmChats = quick ? 200 : 500;
    const results: LevelResult[] = [];
    for (const [i, level] of levels.entries()) {
      // Alternate which mode goes first, so a drift of the machine touches both alike.
      const order = i % 2 === 0 ? tracingModes : [...tracingModes].reverse();
      for (const tracing of order) {
        process.stdout.write(`${level} concurrent${burst ? ' (burst)' : ''}, tracing ${tracing}, ${rounds} chat(s) each… `);
        const result = await runLevel(template, peers, level, tracing, rounds, burst, warmChats, extra);
        const added = [...result.addedMs].sort((a, b) => a - b);
        process.stdout.write(
          `added p50 ${fmt(percentile(added, 50), 0)} ms, p99 ${fmt(percentile(added, 99), 0)} ms, ${result.errors.length} errors, ` +
            `CPU ${fmt(result.cpuMsPerChat, 2)} ms/chat, RSS peak ${fmt(result.rssPeak / MIB, 0)} MiB\n`,
        );
        if (result.errors.length > 0) process.stdout.write(`  first errors: ${result.errors.slice(0, 3).join(' | ')}\n`);
        results.push(result);
      }
    }
    const byLevel = results.sort((a, b) => a.level - b.level || a.tracing.localeCompare(b.tracing));
    const report = [
      `Command: \`${command}\` — ${machine(startedAt, loadBefore)}.`,
      '',
      `Each row: a fresh server (embedded PGlite, a copy of one prepared database), warmed up with ${warmChats} chats against an LLM answering at once, ` +
        `then N users chatting back to back (${rounds} chat(s) each${burst ? ', all starting at once' : ', first chats spread over 4 s'}) against an LLM that answers every call after ${LLM_DELAY_MS} ms. ` +
        `Added = a chat's latency minus the LLM's own ${LLM_MS_PER_CHAT} ms (two calls). RSS start: right after start-up; idle: after the warm-up; peak: sampled every 50 ms under load; end: 2 s after the last answer.`,
      '',
      levelTable(byLevel),
    ].join('\n');
    process.stdout.write(`\n${report}\n`);
    if (write && !quick) process.stdout.write(`written to ${await writeBenchBlock('concurrency', '## Concurrency against a slow LLM', report)}\n`);
  } finally {
    await peers.close();
    await rm(template, { recursive: true, force: true });
  }
}

if (process.argv.includes('--peers')) {
  void runPeers();
} else {
  main()
    .then(() => agent.destroy())
    .catch((error: unknown) => {
      process.stderr.write(`bench:concurrency failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
