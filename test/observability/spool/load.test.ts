import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startTestApp } from '../../support/app.js';
import type { TestApp } from '../../support/app.js';
import { startLangfuseReceiver } from '../../support/langfuse-receiver.js';
import type { LangfuseReceiver } from '../../support/langfuse-receiver.js';
import { KEYS, enabledStats, expectBalanced, waitUntil } from './helpers.js';

/**
 * The promise of issue 10, under load: the real server (offline engine) at 50 and at 200 concurrent
 * connections, 4,000 chats each, with Langfuse healthy and with Langfuse refusing and then coming back.
 * Every answered chat's trace id arrives with its root span, and the counters balance.
 */
const CHATS = 4_000;
const MESSAGE = 'I am cooking a beef steak tonight. Which red wine would you recommend?';

/** Fires `amount` chats over `connections` connections; the trace ids of the answered ones. */
function load(app: TestApp, connections: number, amount: number): Promise<{ traceIds: Set<string>; failures: number }> {
  const traceIds = new Set<string>();
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${app.url}/api/v1/chat`,
        connections,
        amount,
        timeout: 60,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ message: MESSAGE }),
            onResponse: (status, body) => {
              if (status !== 200) return;
              const traceId = (JSON.parse(body) as { traceId: string | null }).traceId;
              if (traceId) traceIds.add(traceId);
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve({ traceIds, failures: result.errors + result.timeouts + result.non2xx })),
    );
  });
}

describe('every answered chat is traced, at any load', () => {
  let receiver: LangfuseReceiver;
  let dataDir: string;
  let app: TestApp;
  /** Trace ids whose root span arrived, read from the receiver incrementally (it holds ~24,000 spans a run). */
  const roots = new Set<string>();
  let read = 0;
  const arrivedRoots = (): Set<string> => {
    const spans = receiver.spans;
    for (; read < spans.length; read++) if (spans[read]!.parentSpanId === null) roots.add(spans[read]!.traceId);
    return roots;
  };
  const stats = () => enabledStats(app.observability.stats());

  beforeAll(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    dataDir = await mkdtemp(join(tmpdir(), 'sommelier-load-'));
    app = await startTestApp({
      DATA_DIR: dataDir,
      LLM_PROVIDER: 'offline',
      LANGFUSE_PUBLIC_KEY: KEYS.publicKey,
      LANGFUSE_SECRET_KEY: KEYS.secretKey,
      LANGFUSE_BASE_URL: receiver.url,
      LANGFUSE_FLUSH_INTERVAL_MS: '200',
      LANGFUSE_EXPORT_RETRY_MAX_MS: '500',
    });
  });
  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const run = async (connections: number, outage: boolean): Promise<void> => {
    receiver.reset();
    roots.clear();
    read = 0;
    const before = stats();
    if (outage) await receiver.setMode('refuse');
    const { traceIds, failures } = await load(app, connections, CHATS);
    expect(failures).toBe(0);
    expect(traceIds.size).toBe(CHATS);
    if (outage) {
      await waitUntil(() => stats().traces.spooled - before.traces.spooled === CHATS, 10_000, 'every trace in the spool');
      expect(receiver.spans).toHaveLength(0);
      await receiver.setMode('ok');
    }
    await waitUntil(() => [...traceIds].every((traceId) => arrivedRoots().has(traceId)), 120_000, 'every answered trace at the receiver');
    await waitUntil(() => stats().spans.pending === 0 && stats().scores.pending === 0, 30_000, 'the spool to drain');
    const after = stats();
    const delta = (kind: 'spans' | 'traces' | 'scores', field: 'received' | 'delivered' | 'dropped' | 'deadLettered'): number =>
      after[kind][field] - before[kind][field];
    expect({ received: delta('traces', 'received'), delivered: delta('traces', 'delivered') }).toEqual({ received: CHATS, delivered: CHATS });
    expect(delta('spans', 'delivered')).toBe(delta('spans', 'received'));
    expect(delta('scores', 'delivered')).toBe(delta('scores', 'received'));
    for (const kind of ['spans', 'traces', 'scores'] as const) expect([kind, delta(kind, 'dropped'), delta(kind, 'deadLettered')]).toEqual([kind, 0, 0]);
    expect(new Set(receiver.spans.map((span) => span.spanId)).size).toBe(delta('spans', 'received'));
    expectBalanced(after);
  };

  it(`50 connections, ${CHATS} chats, Langfuse healthy`, { timeout: 240_000 }, () => run(50, false));
  it(`200 connections, ${CHATS} chats, Langfuse healthy`, { timeout: 240_000 }, () => run(200, false));
  it(`50 connections, ${CHATS} chats, Langfuse refusing, then back`, { timeout: 240_000 }, () => run(50, true));
});
