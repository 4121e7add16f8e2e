import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { spansToRecord } from '../../../src/observability/spool/otlp.js';
import { encodeRecord } from '../../../src/observability/spool/record.js';
import { startTestApp } from '../../support/app.js';
import type { TestApp } from '../../support/app.js';
import { startLangfuseReceiver } from '../../support/langfuse-receiver.js';
import type { LangfuseReceiver } from '../../support/langfuse-receiver.js';
import { KEYS, arrived, enabledStats, expectBalanced, startSpool, tempDir, tracing, waitUntil } from './helpers.js';
import type { EmittedTrace, TestSpool } from './helpers.js';

/**
 * Faults an operator can cause on the spool itself: an unwritable or full DATA_DIR, the folder deleted
 * while running, a stale lock naming a live process that is not ours, an unreadable entry. What the docs
 * promise to keep arrives, what is lost is counted, and feedback is always answered 2xx.
 */

/** The prototype of fs/promises' FileHandle, to inject disk errors where the spool writes. */
async function fileHandlePrototype(): Promise<FileHandle> {
  const dir = await tempDir();
  const handle = await open(join(dir, 'probe'), 'w');
  await handle.close();
  await rm(dir, { recursive: true, force: true });
  return Object.getPrototypeOf(handle) as FileHandle;
}

const enospc = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** A segment file a previous run left, with one complete trace of `spans` spans. */
async function leftSegment(dir: string, key: number, spans: number): Promise<EmittedTrace> {
  const memory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer('fixture');
  const root = tracer.startSpan('root');
  for (let i = 1; i < spans; i++) tracer.startSpan(`child-${i}`, {}, trace.setSpan(ROOT_CONTEXT, root)).end();
  root.end();
  const finished = memory.getFinishedSpans();
  await mkdir(join(dir, 'traces'), { recursive: true });
  await writeFile(join(dir, 'traces', `${String(key).padStart(16, '0')}-${spans}-1.seg`), encodeRecord(spansToRecord(finished)));
  return { traceId: root.spanContext().traceId, spanIds: finished.map((span) => span.spanContext().spanId) };
}

describe('spool faults (export path)', () => {
  let receiver: LangfuseReceiver;
  let dir: string;
  const open: TestSpool[] = [];
  const track = (spool: TestSpool): TestSpool => {
    open.push(spool);
    return spool;
  };

  beforeEach(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    dir = await tempDir();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const spool of open.splice(0)) await spool.shutdown(0);
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a stale lock naming a live process that is not ours does not strand the spool', async () => {
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const left = await leftSegment(dir, 1, 3);
      // The stranger's pid is alive, but its start time is not the one the lock recorded.
      const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim() || null;
      await writeFile(join(dir, 'spool.lock'), JSON.stringify({ pid: stranger.pid, start: '1', boot, host: hostname() }));
      const spool = track(startSpool(dir, receiver.url));
      await receiver.waitFor((r) => arrived(r, [left]), 5_000);
      expect(spool.logger.lines.some((line) => line.message.includes('a folder of our own'))).toBe(false);
      expect(JSON.parse(await readFile(join(dir, 'spool.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
      await waitUntil(() => enabledStats(spool.stats()).spans.pending === 0, 5_000, 'the spool to drain');
      expect(enabledStats(spool.stats()).traces).toMatchObject({ recovered: 1, delivered: 1 });
    } finally {
      stranger.kill();
    }
  });

  it("a lock in an earlier version's format (a bare pid) is not trusted either", async () => {
    const left = await leftSegment(dir, 1, 2);
    await writeFile(join(dir, 'spool.lock'), '1\n'); // pid 1 is always alive
    const spool = track(startSpool(dir, receiver.url));
    await receiver.waitFor((r) => arrived(r, [left]), 5_000);
    expect(spool.logger.lines.some((line) => line.message.includes('a folder of our own'))).toBe(false);
  });

  it('an unreadable entry named like the oldest segment goes to the dead-letter folder with its reason; delivery goes on', async () => {
    await mkdir(join(dir, 'traces', '0000000000000001-5-1.seg'), { recursive: true });
    await mkdir(join(dir, 'traces', '0000000000000002.open'), { recursive: true });
    const left = await leftSegment(dir, 3, 4);
    const spool = track(startSpool(dir, receiver.url));
    const fresh = tracing(spool.exporter).emit(3);
    await receiver.waitFor((r) => arrived(r, [left, fresh]), 5_000);
    await waitUntil(() => enabledStats(spool.stats()).spans.pending === 0, 5_000, 'the spool to drain');
    const stats = enabledStats(spool.stats());
    expect(stats.spans).toMatchObject({ recovered: 9, received: 3, delivered: 7, deadLettered: 5 });
    expect(stats.traces).toMatchObject({ deadLettered: 1, delivered: 2 });
    expectBalanced(stats);
    const deadLetters = await readdir(join(dir, 'dead-letter'));
    expect(deadLetters.filter((name) => name.endsWith('.unreadable'))).toHaveLength(2);
    const reasons = await Promise.all(deadLetters.filter((name) => name.endsWith('.reason.json')).map((name) => readFile(join(dir, 'dead-letter', name), 'utf8')));
    expect(reasons.some((reason) => reason.includes('EISDIR'))).toBe(true);
    expect(await readdir(join(dir, 'traces'))).toEqual([]);
  });

  it('the spool folder deleted while running is re-created and reported; what it held is counted as lost', async () => {
    await receiver.setMode('refuse');
    const spool = track(startSpool(dir, receiver.url));
    const otel = tracing(spool.exporter);
    otel.emit(4);
    otel.emit(2);
    await otel.flush();
    expect(enabledStats(spool.stats()).spans.pending).toBe(6);
    await rm(dir, { recursive: true, force: true });
    const later = [otel.emit(3)];
    await otel.flush();
    expect(enabledStats(spool.stats()).lastExportError).toContain('re-created');
    await receiver.setMode('ok');
    await receiver.waitFor((r) => arrived(r, later), 5_000);
    await waitUntil(() => enabledStats(spool.stats()).spans.pending === 0, 5_000, 'the spool to drain');
    const stats = enabledStats(spool.stats());
    expect(stats.spans).toMatchObject({ delivered: 3, dropped: 6, droppedBy: { spool_deleted: 6 } });
    expect(stats.traces).toMatchObject({ delivered: 1, dropped: 2 });
    expectBalanced(stats);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['traces', 'spool.lock']));
  });

  it('a full disk drops whole batches, counted and logged; scores are refused, and writing resumes once there is room', async () => {
    const prototype = await fileHandlePrototype();
    const spool = track(startSpool(dir, receiver.url));
    const otel = tracing(spool.exporter);
    const before = otel.emit(2);
    await receiver.waitFor((r) => arrived(r, [before]), 5_000);
    const append = vi.spyOn(prototype, 'appendFile').mockRejectedValue(enospc());
    const lost = otel.emit(3);
    await otel.flush();
    await expect(spool.submitScore({ id: 'vote', traceId: before.traceId, name: 'user-feedback', value: 1 })).rejects.toThrow(/ENOSPC/);
    const full = enabledStats(spool.stats());
    expect(full.spans.droppedBy).toEqual({ spool_unwritable: 3 });
    expect(full.traces.droppedBy).toEqual({ spool_unwritable: 1 });
    expect(full.scores.droppedBy).toEqual({ spool_unwritable: 1 });
    expect(full.lastExportError).toContain('ENOSPC');
    expect(spool.logger.lines.filter((line) => line.message.includes('dropped'))).toHaveLength(1);
    append.mockRestore();
    const after = otel.emit(2);
    await spool.submitScore({ id: 'vote', traceId: before.traceId, name: 'user-feedback', value: 1 });
    await receiver.waitFor((r) => arrived(r, [after]) && r.scores.length === 1, 5_000);
    expect(receiver.spansByTrace(lost.traceId)).toHaveLength(0);
    await waitUntil(() => enabledStats(spool.stats()).scores.pending === 0, 5_000, 'the score to be delivered');
    expectBalanced(spool.stats());
  });

  it('a disk that stalls fills memory up to its cap, then drops whole traces (and their scores), counted', async () => {
    const prototype = await fileHandlePrototype();
    const spool = track(startSpool(dir, receiver.url));
    const otel = tracing(spool.exporter);
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const original = prototype.appendFile;
    vi.spyOn(prototype, 'appendFile').mockImplementation(async function (this: FileHandle, ...args: Parameters<FileHandle['appendFile']>) {
      await stalled;
      return original.apply(this, args);
    });
    // ~80 KB a trace: 1,000 traces are more than the 64 MiB that may wait for a stalled disk.
    const traces: EmittedTrace[] = [];
    for (let i = 0; i < 1_000; i++) {
      traces.push(otel.emit(5, 20_000));
      if (i % 50 === 0) {
        void spool.submitScore({ id: `auto-${i}`, traceId: traces.at(-1)!.traceId, name: 'grounded', value: 1 }).catch(() => undefined);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const stuck = enabledStats(spool.stats());
    expect(stuck.traces.droppedBy.memory_full).toBeGreaterThan(0);
    // What waits is bounded by the 64 MiB cap (plus the 50 traces emitted between two serialising turns).
    expect(stuck.traces.pending).toBeLessThanOrEqual(Math.ceil((64 * 1024 * 1024) / 80_000) + 50);
    release();
    await waitUntil(() => enabledStats(spool.stats()).spans.pending === 0 && enabledStats(spool.stats()).scores.pending === 0, 20_000, 'the spool to drain');
    const stats = enabledStats(spool.stats());
    expectBalanced(stats);
    // Every trace arrived whole or not at all, and a score only for a trace that arrived.
    const counts = traces.map((t) => receiver.spansByTrace(t.traceId).length);
    expect(counts.every((count) => count === 0 || count === 5)).toBe(true);
    expect(counts.filter((count) => count === 5)).toHaveLength(stats.traces.delivered);
    expect(stats.traces.delivered + stats.traces.dropped).toBe(1_000);
    const delivered = new Set(traces.filter((_, i) => counts[i] === 5).map((t) => t.traceId));
    expect(receiver.scores.every((s) => delivered.has(s.traceId ?? ''))).toBe(true);
    expect(stats.scores.dropped).toBeGreaterThan(0);
  });
});

describe('spool faults through the server: feedback is always answered', () => {
  let receiver: LangfuseReceiver;
  let dataDir: string;
  let app: TestApp;
  const env = (): Record<string, string> => ({
    DATA_DIR: dataDir,
    LLM_PROVIDER: 'offline',
    LANGFUSE_PUBLIC_KEY: KEYS.publicKey,
    LANGFUSE_SECRET_KEY: KEYS.secretKey,
    LANGFUSE_BASE_URL: receiver.url,
    LANGFUSE_FLUSH_INTERVAL_MS: '50',
    LANGFUSE_EXPORT_TIMEOUT_MS: '500',
    LANGFUSE_EXPORT_RETRY_MAX_MS: '300',
  });
  /** A vote names the answer within the session it was given to (the chat's session pair). */
  const answers = new Map<string, { sessionId: string; sessionToken: string; answerId: string }>();
  const chat = async (): Promise<string> => {
    const response = await app.post('/api/v1/chat', { message: 'A red wine for a beef steak, please' });
    expect(response.status).toBe(200);
    const { traceId, sessionId, sessionToken, answerId } = (await response.json()) as {
      traceId: string | null;
      sessionId: string;
      sessionToken: string;
      answerId: string;
    };
    if (!traceId) throw new Error('no trace id');
    answers.set(traceId, { sessionId, sessionToken, answerId });
    return traceId;
  };
  const vote = async (traceId: string, value: 1 | -1): Promise<{ queuedForLangfuse: boolean }> => {
    const response = await app.post('/api/v1/feedback', { ...answers.get(traceId), value });
    expect(response.status).toBe(200);
    return (await response.json()) as { queuedForLangfuse: boolean };
  };
  const votes = (traceId: string) => receiver.scores.filter((s) => s.traceId === traceId && s.name === 'user-feedback');
  const stats = () => enabledStats(app.observability.stats());

  beforeAll(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    dataDir = await mkdtemp(join(tmpdir(), 'sommelier-spool-faults-'));
    app = await startTestApp(env());
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await app?.dispose();
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('an unwritable DATA_DIR (the spool folder replaced by a file): chats and votes answered, the vote sent once it is writable', async () => {
    const traceId = await chat();
    await receiver.waitFor((r) => r.spansByTrace(traceId).some((span) => span.parentSpanId === null), 10_000);
    const spoolDir = join(dataDir, 'trace-spool');
    await rm(spoolDir, { recursive: true, force: true });
    await writeFile(spoolDir, 'not a folder');
    const lostTrace = await chat();
    expect(await vote(traceId, -1)).toEqual(expect.objectContaining({ queuedForLangfuse: false }));
    await waitUntil(() => (stats().traces.droppedBy.spool_unwritable ?? 0) >= 1, 5_000, 'the lost trace to be counted');
    expect(stats().lastExportError).toMatch(/ENOTDIR|EEXIST/);

    await rm(spoolDir, { force: true });
    const later = await chat();
    await receiver.waitFor((r) => r.spansByTrace(later).some((span) => span.parentSpanId === null) && votes(traceId).length === 1, 15_000);
    expect(votes(traceId)[0]).toMatchObject({ value: -1 });
    expect(receiver.spansByTrace(lostTrace)).toHaveLength(0);
    await waitUntil(() => stats().spans.pending === 0 && stats().scores.pending === 0, 10_000, 'the spool to drain');
    expectBalanced(stats());
  });

  it('a full disk: the vote is stored and answered, and a restart sends it', async () => {
    const traceId = await chat();
    await receiver.waitFor((r) => r.spansByTrace(traceId).some((span) => span.parentSpanId === null), 10_000);
    const append = vi.spyOn(await fileHandlePrototype(), 'appendFile').mockRejectedValue(enospc());
    expect(await vote(traceId, 1)).toEqual(expect.objectContaining({ queuedForLangfuse: false }));
    // Stopped while the disk is still full: the vote is in the database only.
    await app.stop();
    append.mockRestore();
    expect(votes(traceId)).toHaveLength(0);
    app = await startTestApp(env());
    await receiver.waitFor((r) => r.scores.some((s) => s.traceId === traceId && s.name === 'user-feedback'), 15_000);
    expect(votes(traceId)[0]).toMatchObject({ value: 1 });
    const { rows } = await app.services.db.query<{ sent: boolean }>('SELECT sent_at IS NOT NULL AS sent FROM feedback WHERE trace_id = $1', [traceId]);
    await waitUntil(async () => (await app.services.db.query<{ sent: boolean }>('SELECT sent_at IS NOT NULL AS sent FROM feedback WHERE trace_id = $1', [traceId])).rows[0]?.sent === true, 5_000, 'the vote to be marked sent');
    expect(rows).toHaveLength(1);
  });
});
