import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { startLangfuseReceiver } from '../../support/langfuse-receiver.js';
import type { LangfuseReceiver } from '../../support/langfuse-receiver.js';
import { FAULT_MODES, KEYS, arrived, enabledStats, expectBalanced, receivedExactly, startSpool, tempDir, tracing, waitUntil, within } from './helpers.js';
import type { EmittedTrace, TestSpool } from './helpers.js';

/**
 * Every failure mode of the issue, against the Langfuse-like receiver over real HTTP: while Langfuse is
 * failing, exports are acknowledged at once and nothing is lost; once it recovers, every span arrives.
 */
describe('durable export under Langfuse faults', () => {
  let receiver: LangfuseReceiver;
  let dir: string;
  let durable: TestSpool | undefined;

  beforeEach(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    dir = await tempDir();
  });

  afterEach(async () => {
    await durable?.shutdown(0);
    durable = undefined;
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });


  it.each(FAULT_MODES)('%s: exports succeed at once, and after recovery every span arrives', async (_name, mode) => {
    await receiver.setMode(mode);
    const started = startSpool(dir, receiver.url);
    durable = started;
    const otel = tracing(started.exporter);
    const traces: EmittedTrace[] = [];
    for (let i = 0; i < 6; i++) {
      traces.push(otel.emit(4));
      // Several batches, so a request carries more than one record.
      if (i % 2 === 1) await within(otel.flush(), 5_000, 'a span flush while Langfuse fails');
    }
    await within(otel.flush(), 5_000, 'a span flush while Langfuse fails');
    expect(enabledStats(started.stats()).spans).toMatchObject({ spooled: 24, pending: 24 });

    // The shipper has met the fault at least once and kept everything.
    await waitUntil(() => enabledStats(started.stats()).lastExportError !== null, 5_000, 'a failed delivery attempt');
    expect(receiver.spans).toHaveLength(0);
    const failing = enabledStats(started.stats());
    expect(failing.spans).toMatchObject({ delivered: 0, pending: 24, dropped: 0, deadLettered: 0 });
    expect(failing.traces).toMatchObject({ received: 6, pending: 6 });
    expect(failing.pendingBytes).toBeGreaterThan(0);
    expectBalanced(failing);

    await receiver.setMode('ok');
    await receiver.waitFor((r) => arrived(r, traces), 10_000);
    receivedExactly(receiver, traces);
    await waitUntil(() => enabledStats(started.stats()).spans.pending === 0, 5_000, 'the spool to empty');
    const recovered = enabledStats(started.stats());
    expect(recovered.spans).toMatchObject({ delivered: 24, pending: 0, dropped: 0, deadLettered: 0 });
    expect(recovered.traces).toMatchObject({ delivered: 6 });
    expect(recovered.pendingBytes).toBe(0);
    expect(recovered.lastSuccessAt).not.toBeNull();
    expectBalanced(recovered);
    await otel.shutdown();
  });

  it('waits as long as Retry-After says, not the shorter backoff', async () => {
    await receiver.setMode({ status: 503, retryAfterSeconds: 1 });
    const started = startSpool(dir, receiver.url);
    durable = started;
    const otel = tracing(started.exporter);
    otel.emit(2);
    await waitUntil(() => receiver.requests.length >= 3, 5_000, 'three attempts');
    const times = receiver.requests.slice(0, 3).map((request) => request.at);
    // Backoff alone would retry within 200 ms here.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(900);
    await otel.shutdown();
  });

  it('says once, clearly, that the keys are wrong, keeps the data, and recovers', async () => {
    await receiver.setMode({ status: 401 });
    const started = startSpool(dir, receiver.url);
    durable = started;
    const otel = tracing(started.exporter);
    const traces = [otel.emit(3)];
    await otel.flush();
    await waitUntil(() => receiver.requests.length >= 4, 5_000, 'several rejected attempts');
    const keyErrors = started.logger.lines.filter((line) => line.message.includes('rejected the API keys'));
    expect(keyErrors).toHaveLength(1);
    expect(keyErrors[0]?.level).toBe('error');
    expect(keyErrors[0]?.message).toContain('LANGFUSE_PUBLIC_KEY');
    expect(enabledStats(started.stats()).lastExportError).toContain('401');
    expect(enabledStats(started.stats()).spans.pending).toBe(3);
    await receiver.setMode('ok');
    await receiver.waitFor((r) => arrived(r, traces), 5_000);
    await waitUntil(
      () => started.logger.lines.some((line) => line.level === 'info' && line.message.includes('recovered')),
      5_000,
      'a recovery log line',
    );
    await otel.shutdown();
  });

  it('logs an outage once, not once per retry', async () => {
    await receiver.setMode({ status: 500 });
    const started = startSpool(dir, receiver.url);
    durable = started;
    const otel = tracing(started.exporter);
    otel.emit(2);
    await otel.flush();
    await waitUntil(() => receiver.requests.length >= 5, 5_000, 'five failed attempts');
    const warnings = started.logger.lines.filter((line) => line.level === 'warn' && line.message.includes('export of spans'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.details).toMatchObject({ stream: 'traces', pending: 2 });
    await otel.shutdown();
  });
});
