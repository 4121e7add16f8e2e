/** With API_TOKEN set, the service's own clients — the bot's backend client and the CLI — send it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, HttpBackendClient } from '../../src/telegram/backend.js';
import { startTestApp, type TestApp } from '../support/app.js';

const run = promisify(execFile);
const TOKEN = 'clients-token-0123456789abcdef';
const BOT_TOKEN = 'clients-bot-token-0123456789';

describe('the bot and the CLI send API_TOKEN', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ API_TOKEN: TOKEN, BOT_BACKEND_TOKEN: BOT_TOKEN });
  });
  afterAll(() => app?.dispose());

  it('the bot: with the token it chats and votes; without it the backend answers 401', async () => {
    const backend = new HttpBackendClient({ baseUrl: app.url, timeoutMs: 30_000, apiToken: TOKEN, botToken: BOT_TOKEN });
    const chat = { message: 'red wine for steak', sessionId: 'tg:42:1', userId: 'tg:42', channel: 'telegram' as const };
    const reply = await backend.chat(chat);
    expect(reply.reply.length).toBeGreaterThan(0);
    expect((await backend.feedback({ sessionId: chat.sessionId, answerId: reply.answerId!, value: 1 })).value).toBe(1);

    const anonymous = new HttpBackendClient({ baseUrl: app.url, timeoutMs: 30_000, botToken: BOT_TOKEN });
    const error = await anonymous.chat(chat).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ failure: 'rejected', status: 401, code: 'unauthorized' });
  });

  it('the CLI talks to the running service with the token', async () => {
    const { port } = new URL(app.url);
    const count = async () => (await app.services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversation_messages')).rows[0]!.n;
    const before = await count();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ask', 'a light white for oysters'], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: port, API_TOKEN: TOKEN, LLM_PROVIDER: 'offline', DATA_DIR: app.dataDir },
      timeout: 60_000,
    });
    expect(stdout.trim().length).toBeGreaterThan(20);
    // It went through the service (which has the embedded database open), not around it.
    expect(await count()).toBe(before + 2);
  });
});
