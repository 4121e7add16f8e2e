/** `npm run bot` as a real child process: idle without a token, and a full run with one. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { chatReply, startStubBackend, type StubBackend } from './stub-backend.js';

const ROOT = new URL('../../', import.meta.url).pathname;

interface BotProcess {
  child: ChildProcess;
  output: () => string;
  waitForOutput(pattern: RegExp): Promise<void>;
  exit: Promise<number | null>;
}

function runBot(env: Record<string, string>): BotProcess {
  // Only what the bot needs: nothing from the developer's shell (a real token!) leaks in.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/telegram/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    output: () => output,
    waitForOutput: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(output)) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        void exit.then(() => {
          if (waiters.delete(check)) reject(new Error(`bot exited before printing ${pattern}:\n${output}`));
        });
        check();
      }),
    exit,
  };
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('npm run bot', () => {
  it('idles with a clear message when TELEGRAM_BOT_TOKEN is missing, and exits 0 on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-bot-main-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const bot = runBot({ DATA_DIR: dataDir });
    cleanup.push(async () => bot.child.exitCode === null && bot.child.kill('SIGKILL'));
    await bot.waitForOutput(/TELEGRAM_BOT_TOKEN is not set/);
    expect(bot.child.exitCode).toBeNull();
    bot.child.kill('SIGTERM');
    expect(await bot.exit).toBe(0);
  });

  it('answers over Telegram, keeps /new counters on disk, and exits 0 on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-bot-main-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const telegram: FakeTelegram = await startFakeTelegram();
    cleanup.push(() => telegram.close());
    const backend: StubBackend = await startStubBackend();
    cleanup.push(() => backend.close());
    backend.onChat(() => chatReply('Try a Barolo.', { names: ['Barolo'] }));

    const bot = runBot({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      BACKEND_URL: backend.url,
    });
    cleanup.push(async () => bot.child.exitCode === null && bot.child.kill('SIGKILL'));
    await bot.waitForOutput(/long polling/);

    const user = { chatId: 42, languageCode: 'en' };
    telegram.pushText(user, '/new');
    await telegram.waitForSent(42, 1);
    telegram.pushText(user, 'red for lamb?');
    const messages = await telegram.waitForSent(42, 2);
    expect(messages[1]?.raw).toBe('Try a <b>Barolo</b>.');
    expect(backend.requests.at(-1)?.body.sessionId).toBe('tg:42:1');
    const saved = JSON.parse(await readFile(join(dataDir, 'telegram-sessions.json'), 'utf8')) as unknown;
    expect(saved).toEqual({ version: 1, counters: { '42': 1 } });

    bot.child.kill('SIGTERM');
    expect(await bot.exit).toBe(0);
    // On the way out the bot confirmed its update offset, so a restart does not answer twice.
    const lastPoll = telegram.callsOf('getUpdates').at(-1);
    expect(Number(lastPoll?.payload.offset)).toBeGreaterThan(2);
  });
});
