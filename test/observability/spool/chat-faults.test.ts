import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../../support/app.js';
import type { TestApp } from '../../support/app.js';
import { startLangfuseReceiver } from '../../support/langfuse-receiver.js';
import type { LangfuseReceiver } from '../../support/langfuse-receiver.js';
import { FAULT_MODES, KEYS, enabledStats, expectBalanced, waitUntil } from './helpers.js';

/**
 * The whole service against a failing Langfuse: every chat request is answered as usual, and once
 * Langfuse is back every span (and automatic score) of every answered request arrives.
 */
interface ChatAnswer {
  reply: string;
  traceId: string | null;
  recommendations: { id: number }[];
}

const MESSAGE = 'A red wine for a beef steak, please';

describe('chat service while Langfuse fails', () => {
  let receiver: LangfuseReceiver;
  let dataDir: string;
  let app: TestApp;
  let baseline: { reply: string; spans: number; scoreNames: string[] };

  const chat = async (): Promise<ChatAnswer> => {
    const response = await app.post('/api/v1/chat', { message: MESSAGE });
    expect(response.status).toBe(200);
    return (await response.json()) as ChatAnswer;
  };
  const scoreNames = (traceId: string): string[] =>
    [...new Set(receiver.scores.filter((s) => s.traceId === traceId).map((s) => s.name))].sort();
  const stats = () => enabledStats(app.observability.stats());
  const settled = (): boolean => stats().spans.pending === 0 && stats().scores.pending === 0;

  beforeAll(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    dataDir = await mkdtemp(join(tmpdir(), 'sommelier-chat-faults-'));
    app = await startTestApp({
      DATA_DIR: dataDir,
      LLM_PROVIDER: 'offline',
      ...receiver.tracingEnv(),
      // Scaled down so each fault-and-recovery cycle takes about a second.
      LANGFUSE_EXPORT_TIMEOUT_MS: '500',
      LANGFUSE_EXPORT_RETRY_MAX_MS: '300',
    });
    // A healthy request first: what a complete trace of this message looks like.
    const answer = await chat();
    const traceId = answer.traceId;
    if (!traceId) throw new Error('tracing is on but the chat answer has no traceId');
    await receiver.waitFor((r) => r.spansByTrace(traceId).some((span) => span.parentSpanId === null), 15_000);
    await waitUntil(settled, 15_000, 'the spool to empty');
    // Automatic scores are batched for one flush interval.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await waitUntil(settled, 15_000, 'the spool to empty');
    baseline = { reply: answer.reply, spans: receiver.spansByTrace(traceId).length, scoreNames: scoreNames(traceId) };
    expect(baseline.spans).toBeGreaterThan(1);
  });

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(FAULT_MODES)('%s: every chat is answered, and all its spans arrive after recovery', async (_name, mode) => {
    await receiver.setMode(mode);
    const errorBefore = stats().lastExportError;
    const answers = await Promise.all([chat(), chat(), chat()]);
    for (const answer of answers) {
      expect(answer.reply).toBe(baseline.reply);
      expect(answer.traceId).toMatch(/^[0-9a-f]{32}$/);
    }
    const traceIds = answers.map((answer) => answer.traceId ?? '');
    // The export path met the fault (rather than finishing before it started).
    await waitUntil(() => stats().lastExportError !== errorBefore, 15_000, 'a failed delivery');
    expect(traceIds.every((traceId) => receiver.spansByTrace(traceId).length === 0)).toBe(true);
    expect(stats().spans.pending).toBeGreaterThan(0);

    await receiver.setMode('ok');
    await receiver.waitFor((r) => traceIds.every((traceId) => r.spansByTrace(traceId).length === baseline.spans), 15_000);
    await waitUntil(settled, 15_000, 'the spool to empty');
    await waitUntil(() => traceIds.every((traceId) => scoreNames(traceId).join() === baseline.scoreNames.join()), 15_000, 'the scores');
    for (const traceId of traceIds) {
      const spans = receiver.spansByTrace(traceId);
      const ids = new Set(spans.map((span) => span.spanId));
      expect(spans.filter((span) => span.parentSpanId === null)).toHaveLength(1);
      expect(spans.every((span) => span.parentSpanId === null || ids.has(span.parentSpanId))).toBe(true);
    }
    for (const kind of ['spans', 'traces', 'scores'] as const) expect(stats()[kind]).toMatchObject({ dropped: 0, deadLettered: 0 });
    expectBalanced(stats());
  });
});
