import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLangfuseReceiver } from '../../support/langfuse-receiver.js';
import type { LangfuseReceiver } from '../../support/langfuse-receiver.js';
import { KEYS, arrived, enabledStats, expectBalanced, startSpool, tempDir, tracing, waitUntil, within } from './helpers.js';
import type { EmittedTrace, TestSpool } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/spool-child.ts', import.meta.url));

interface ChildReport {
  pid: number;
  traces: EmittedTrace[];
  scoreId: string;
}

interface RunningChild {
  process: ChildProcess;
  report: Promise<ChildReport>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: string[];
}

function startChild(env: Record<string, string>): RunningChild {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ...env, LANGFUSE_PUBLIC_KEY: KEYS.publicKey, LANGFUSE_SECRET_KEY: KEYS.secretKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const report = new Promise<ChildReport>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as ChildReport));
    void exited.then(({ code, signal }) => reject(new Error(`child exited (${code ?? signal}) before reporting: ${stderr.join('\n')}`)));
  });
  return { process: child, report, exited, stderr };
}

describe('durable export across processes', () => {
  let receiver: LangfuseReceiver;
  let dir: string;
  const children: RunningChild[] = [];
  const instances: TestSpool[] = [];

  beforeEach(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    dir = await tempDir();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
      await child.exited;
    }
    for (const durable of instances.splice(0)) await durable.shutdown(0);
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a process killed with SIGKILL during an outage loses nothing it had spooled: the next start delivers it', async () => {
    await receiver.setMode('refuse');
    const child = startChild({ SPOOL_DIR: dir, LANGFUSE_URL: receiver.url, TRACES: '12', CHILD_MODE: 'linger' });
    children.push(child);
    const report = await within(child.report, 30_000, 'the child spooling spans');
    child.process.kill('SIGKILL');
    expect(await child.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(receiver.spans).toHaveLength(0);

    await receiver.setMode('ok');
    const next = startSpool(dir, receiver.url);
    instances.push(next);
    await receiver.waitFor((r) => arrived(r, report.traces) && r.scores.some((s) => s.id === report.scoreId), 10_000);
    expect(receiver.traceIds().sort()).toEqual(report.traces.map((t) => t.traceId).sort());
  });

  it('never keeps a process alive: one that returns from its main code exits while a request to Langfuse hangs', async () => {
    await receiver.setMode('hang');
    const child = startChild({ SPOOL_DIR: dir, LANGFUSE_URL: receiver.url, TRACES: '3', CHILD_MODE: 'return' });
    children.push(child);
    await within(child.report, 30_000, 'the child spooling spans');
    const exit = await within(child.exited, 15_000, 'the child exiting on its own');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(receiver.requests.length).toBeGreaterThan(0);
    // What the hung request carried is still spooled.
    const traceFiles = await readdir(join(dir, 'traces'));
    expect(traceFiles.some((name) => name.endsWith('.seg') || name.endsWith('.open'))).toBe(true);
  });

  it('two live processes on one spool directory do not collide, and the owner later adopts what the other left', async () => {
    await receiver.setMode('refuse');
    const child = startChild({ SPOOL_DIR: dir, LANGFUSE_URL: receiver.url, TRACES: '4', CHILD_MODE: 'linger' });
    children.push(child);
    const childReport = await within(child.report, 30_000, 'the child spooling spans');

    const second = startSpool(dir, receiver.url);
    const otel = tracing(second.exporter);
    const ours = [otel.emit(3), otel.emit(2)];
    await otel.flush();
    expect(second.logger.lines.some((line) => line.message.includes('a folder of our own'))).toBe(true);
    await otel.shutdown();
    await second.shutdown(100);

    child.process.kill('SIGKILL');
    await child.exited;
    await receiver.setMode('ok');
    const owner = startSpool(dir, receiver.url);
    instances.push(owner);
    await receiver.waitFor((r) => arrived(r, [...childReport.traces, ...ours]), 10_000);
    await waitUntil(() => enabledStats(owner.stats()).spans.pending === 0, 5_000, 'the adopted spool to drain');
    expect(enabledStats(owner.stats()).traces).toMatchObject({ recovered: 6, delivered: 6 });
    expectBalanced(owner.stats());
    expect(await readdir(join(dir, 'instances'))).toEqual([]);
  });
});
