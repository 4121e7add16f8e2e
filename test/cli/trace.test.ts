/**
 * `npm run ask` with tracing on, as a user runs it (its own process, embedded database, offline engine):
 * one whole trace per question under Langfuse v3 and v4 rules, flushed before the process exits.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLangfuseReceiver, type LangfuseReceiver } from '../support/langfuse-receiver.js';
import { freePort } from '../support/ports.js';
import { assembleBoth } from '../support/trace-assembly.js';
import { KEYS } from '../observability/support.js';

const run = promisify(execFile);

describe('npm run ask, traced', () => {
  let receiver: LangfuseReceiver;
  let dataDir: string;

  beforeAll(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    dataDir = await mkdtemp(join(tmpdir(), 'sommelier-cli-trace-'));
  });
  afterAll(async () => {
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends one whole cli trace and prints its id', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ask', 'a light white for oysters'], {
      env: {
        ...process.env,
        // No service listens there, so the CLI opens the catalog itself.
        PORT: String(await freePort()),
        DATA_DIR: dataDir,
        LLM_PROVIDER: 'offline',
        ...receiver.tracingEnv(),
      },
      timeout: 60_000,
    });
    const traceId = /trace id: ([0-9a-f]{32})/.exec(stdout)?.[1];
    expect(traceId, stdout).toBeDefined();
    // The process has exited: its shutdown flushed the spool to the receiver.
    const spans = receiver.spansByTrace(traceId!);
    for (const assembled of Object.values(assembleBoth(spans))) {
      expect(assembled.conflicts).toEqual([]);
      expect(assembled.parentless.map((span) => span.name)).toEqual(['sommelier-chat']);
      expect(assembled).toMatchObject({ name: 'sommelier-chat', tags: ['channel:cli', 'engine:offline'], input: 'a light white for oysters' });
      expect(stdout).toContain(String(assembled.output).slice(0, 40));
      expect(assembled.metadata).toMatchObject({ engine: 'offline', language: 'en' });
    }
  });
});
