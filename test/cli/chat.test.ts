/**
 * `npm run chat` against a running service: the CLI keeps the session pair the service issued, so the
 * second question continues the first one's conversation (an id without its token would start afresh).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

/** Runs the CLI and answers each `> ` prompt with the next line, as a person typing would. */
function runCli(args: string[], env: Record<string, string>, lines: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, ...env } });
    const pending = [...lines];
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.endsWith('> ')) {
        const line = pending.shift();
        if (line === undefined) child.stdin.end();
        else child.stdin.write(`${line}\n`);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run chat against a running service', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.dispose());

  it('continues one server-issued session across questions', async () => {
    const port = new URL(app.url).port;
    const result = await runCli(['chat'], { HOST: '127.0.0.1', PORT: port, LOG_LEVEL: 'silent' }, ['красное вино к стейку', 'а из Италии?', '']);
    expect(result.code, result.stderr).toBe(0);
    const { rows } = await app.services.db.query<{ session_id: string; role: string; content: string }>(
      "SELECT session_id, role, content FROM conversation_messages WHERE session_id IN (SELECT session_id FROM conversation_messages WHERE content = 'а из Италии?') ORDER BY id",
    );
    expect(rows.map((row) => [row.role, row.role === 'user' ? row.content : '…'])).toEqual([
      ['user', 'красное вино к стейку'],
      ['assistant', '…'],
      ['user', 'а из Италии?'],
      ['assistant', '…'],
    ]);
    expect(rows[0]!.session_id).toMatch(/^s_/);
    // The follow-up was answered as a follow-up: red wine for steak, from Italy.
    expect(rows[3]!.content).toMatch(/Итали/);
    expect(result.stdout).toContain(rows[3]!.content.slice(0, 40));
  });
});
