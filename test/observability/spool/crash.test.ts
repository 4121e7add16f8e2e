import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLangfuseReceiver } from '../../support/langfuse-receiver.js';
import type { LangfuseReceiver } from '../../support/langfuse-receiver.js';
import { KEYS, waitUntil, within } from './helpers.js';
import { freePort } from '../../support/ports.js';

/**
 * The real server process (`src/main.ts`) killed with SIGKILL while Langfuse is down: once restarted
 * with Langfuse up, every span and score of the requests it answered arrives.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FLUSH_INTERVAL_MS = 200;


interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: string[];
}

interface Readiness {
  checks: { tracing: { spans: { spooled: number; pending: number }; pendingBytes: number } };
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => output.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  await waitUntil(
    async () => {
      if (gone) throw new Error(`the server exited during start-up:\n${output.join('\n')}`);
      try {
        return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok;
      } catch {
        return false;
      }
    },
    90_000,
    'the server to listen',
  );
  return { child, url, exited, output };
}

const readiness = async (server: Server): Promise<Readiness> =>
  (await (await fetch(`${server.url}/readyz`)).json()) as Readiness;

const pendingScores = async (server: Server): Promise<number> => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^sommelier_tracing_scores_pending (\d+)/m.exec(text)?.[1] ?? Number.NaN);
};

describe('server process crash while Langfuse is down', () => {
  let receiver: LangfuseReceiver;
  let dataDir: string;
  const servers: Server[] = [];

  beforeEach(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    dataDir = await mkdtemp(join(tmpdir(), 'sommelier-crash-'));
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await server.exited;
    }
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers every span and score of the answered requests after SIGKILL and a restart', { timeout: 180_000 }, async () => {
    await receiver.setMode('refuse');
    const env = {
      DATA_DIR: dataDir,
      LLM_PROVIDER: 'offline',
      LANGFUSE_PUBLIC_KEY: KEYS.publicKey,
      LANGFUSE_SECRET_KEY: KEYS.secretKey,
      LANGFUSE_BASE_URL: receiver.url,
      LANGFUSE_FLUSH_INTERVAL_MS: String(FLUSH_INTERVAL_MS),
    };
    const first = await startServer(env);
    servers.push(first);
    const traceIds: string[] = [];
    for (const message of ['Red wine for steak', 'Something sparkling for oysters', 'A dessert wine for blue cheese', 'Dry white with fish', 'Rosé for a summer salad']) {
      const response = await fetch(`${first.url}/api/v1/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { reply: string; traceId: string | null };
      expect(body.reply.length).toBeGreaterThan(0);
      traceIds.push(body.traceId ?? '');
    }
    expect(traceIds.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);

    // More than one flush interval after the last answer, everything is in the spool: spans stop growing.
    await new Promise((resolve) => setTimeout(resolve, 3 * FLUSH_INTERVAL_MS));
    let spooled = -1;
    await waitUntil(
      async () => {
        const now = (await readiness(first)).checks.tracing.spans.spooled;
        const stable = now > 0 && now === spooled;
        spooled = now;
        if (!stable) await new Promise((resolve) => setTimeout(resolve, FLUSH_INTERVAL_MS));
        return stable;
      },
      10_000,
      'the spool to hold the spans',
    );
    const scoresSpooled = await pendingScores(first);
    // Automatic scores of each traced reply are spooled too.
    expect(scoresSpooled).toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    expect(await within(first.exited, 10_000, 'the killed server to exit')).toMatchObject({ signal: 'SIGKILL' });
    expect(receiver.spans).toHaveLength(0);

    await receiver.setMode('ok');
    const second = await startServer(env);
    servers.push(second);
    await receiver.waitFor(
      (r) => traceIds.reduce((sum, traceId) => sum + r.spansByTrace(traceId).length, 0) === spooled,
      30_000,
    );
    for (const traceId of traceIds) {
      const spans = receiver.spansByTrace(traceId);
      const ids = new Set(spans.map((span) => span.spanId));
      expect(spans.filter((span) => span.parentSpanId === null)).toHaveLength(1);
      expect(spans.every((span) => span.parentSpanId === null || ids.has(span.parentSpanId))).toBe(true);
    }
    await receiver.waitFor(
      (r) => new Set(r.scores.filter((s) => traceIds.includes(s.traceId ?? '')).map((s) => s.id)).size === scoresSpooled,
      30_000,
    );
    await waitUntil(async () => (await readiness(second)).checks.tracing.pendingBytes === 0, 30_000, 'the spool to drain');
  });
});
