import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BUILD_DIR, transpileIfStale } from '../../scripts/transpile.mjs';
import { freePort } from '../support/ports.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const chatResponse = z.object({
  reply: z.string(),
  recommendations: z.array(z.object({ type: z.string(), pairings: z.array(z.string()) })),
  engine: z.string(),
});

describe('npm start (scripts/start.mjs: src/ transpiled to .build/, then run)', () => {
  const dataDirs: string[] = [];
  afterAll(async () => {
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });

  it('transpiles again only after a source file changed', async () => {
    await transpileIfStale();
    expect(await transpileIfStale()).toBe(false);
    // A touched source counts as changed (same content, so the tree stays as it is).
    const source = join(ROOT, 'src', 'version.ts');
    const { atime } = await stat(source);
    await utimes(source, atime, new Date());
    expect(await transpileIfStale()).toBe(true);
    expect(await transpileIfStale()).toBe(false);
    expect(existsSync(join(BUILD_DIR, 'main.js'))).toBe(true);
    // Files that are not TypeScript (the web page) are copied beside the code that serves them.
    expect(await readFile(join(BUILD_DIR, 'web', 'public', 'index.html'), 'utf8')).toBe(
      await readFile(join(ROOT, 'src', 'web', 'public', 'index.html'), 'utf8'),
    );
  });

  it("answers the README's request on a new data directory and stops cleanly on SIGTERM", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-start-'));
    dataDirs.push(dataDir);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const errors: string[] = [];
    const output: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let body: z.infer<typeof chatResponse> | null = null;
      for (let attempt = 0; attempt < 600 && body === null; attempt += 1) {
        expect(child.exitCode, errors.join('')).toBeNull();
        try {
          const response = await fetch(`http://127.0.0.1:${port}/api/v1/chat`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ message: 'Посоветуй красное вино к стейку' }),
          });
          body = chatResponse.parse(await response.json());
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      expect(body, errors.join('')).not.toBeNull();
      expect(body!.engine).toBe('offline');
      expect(body!.reply).toMatch(/[а-яё]/i);
      const beefReds = body!.recommendations.filter((wine) => wine.type === 'red' && wine.pairings.includes('Beef'));
      expect(beefReds.length).toBeGreaterThanOrEqual(3);
      // The embedded database was made in DATA_DIR (a copy of the prepared one, or initdb without it).
      expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
      // The start-up line says what the page cache was sized to: the bundled catalog gets the least.
      // (It is written once start-up is over, which may be just after the first answer.)
      const startupLines = (): string[] => output.join('').split('\n').filter((line) => line.includes('is listening on'));
      for (let attempt = 0; attempt < 100 && startupLines().length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      const listening = startupLines().map((line) => z.looseObject({ database: z.string(), sharedBuffers: z.string() }).parse(JSON.parse(line)));
      expect(listening).toEqual([expect.objectContaining({ database: 'pglite', sharedBuffers: '16MB' })]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
