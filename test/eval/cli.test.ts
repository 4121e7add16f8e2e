import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/eval/cli.js';

const run = promisify(execFile);
/** What a fresh clone has: no LLM or Langfuse keys in the environment. */
const bareEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', npm_config_update_notifier: 'false' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sommelier-eval-cli-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run eval', () => {
  it('runs with no keys on the offline engine, prints the table and summary, writes --out', async () => {
    const out = join(dir, 'results.json');
    const { stdout } = await run('npm', ['run', '--silent', 'eval', '--', '--only', 'grape-en', '--limit', '3', '--out', out, '--min-groundedness', '1'], {
      env: bareEnv,
      cwd: process.cwd(),
    });
    expect(stdout).toMatch(/^query\s+class\s+recs\s+satisf/m);
    expect(stdout).toContain('grape-en-tinto-fino');
    expect(stdout).toMatch(/engine\/model\s+offline \/ sommelier-offline/);
    for (const metric of ['satisfaction', 'groundedness', 'language', 'answered', 'honesty', 'recs/answer', 'iterations', 'tokens', 'cost', 'latency']) {
      expect(stdout).toMatch(new RegExp(`^${metric.replace('/', '\\/')}\\s`, 'm'));
    }
    const document = JSON.parse(await readFile(out, 'utf8')) as {
      run: { engine: string; experiment: string | null };
      summary: { queries: number; groundedness: number };
      queries: { id: string; turns: { reply: string; recommendations: unknown[] }[] }[];
    };
    expect(document.run).toMatchObject({ engine: 'offline', experiment: null });
    expect(document.summary.queries).toBe(3);
    expect(document.queries.map((q) => q.id)).toEqual(['grape-en-tinto-fino', 'grape-en-garnacha-rose', 'grape-en-monastrell']);
    expect(document.queries.every((q) => q.turns.every((t) => t.reply.length > 0))).toBe(true);
  });

  it('exits 2 on a bad flag, before doing any work', async () => {
    const failure = await run('npm', ['run', '--silent', 'eval', '--', '--engine', 'gpt'], { env: bareEnv, cwd: process.cwd() }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect(String((failure as { stderr: string }).stderr)).toMatch(/--engine/);
  });

  it('exits 1 when a summary metric is below its threshold', async () => {
    // No catalog wine is Japanese: whatever an engine answers, satisfaction or answered falls short of 1.
    const queries = join(dir, 'queries.json');
    await writeFile(
      queries,
      JSON.stringify({
        about: 'impossible on purpose',
        queries: [{ id: 'japan', class: 'multi-constraint', language: 'en', message: 'A Japanese red wine', expect: { outcome: 'recommend', countries: ['Japan'] } }],
      }),
    );
    const written: string[] = [];
    const capture = (chunk: string | Uint8Array): boolean => {
      written.push(String(chunk));
      return true;
    };
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      const code = await main(['--queries', queries, '--quiet', '--min-satisfaction', '1', '--min-answered', '1'], { LOG_LEVEL: 'silent' });
      expect(code).toBe(1);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    expect(written.join('')).toMatch(/below threshold: (satisfaction|answered) 0\.000 < 1/);
  });
});
