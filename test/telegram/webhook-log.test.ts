import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Bot } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createWebhookReceiver, REJECTION_LOG_INTERVAL_MS, SECRET_HEADER } from '../../src/telegram/webhook.js';

describe('webhook requests with a wrong secret do not flood the log', () => {
  const lines: string[] = [];
  let now = 1_000_000;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const receiver = createWebhookReceiver({
      // Never reached: a request without the secret is answered before the bot sees anything.
      bot: new Bot('123456:not-a-real-token'),
      secret: 'right-secret',
      path: '/telegram/webhook',
      logger: createLogger('info', 'bot', stream),
      now: () => now,
    });
    server = createServer(receiver.nodeHandler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const forge = (secret: string | null) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret === null ? {} : { [SECRET_HEADER]: secret }) },
      body: JSON.stringify({ update_id: 1 }),
    });

  it('logs the first rejection, then one line a minute counting the others', async () => {
    for (let i = 0; i < 200; i += 1) expect((await forge(i % 2 === 0 ? 'wrong' : null)).status).toBe(401);
    const warnings = () => lines.filter((line) => line.includes('wrong or missing secret token'));
    expect(warnings()).toHaveLength(1);

    now += REJECTION_LOG_INTERVAL_MS;
    expect((await forge('wrong')).status).toBe(401);
    expect(warnings()).toHaveLength(2);
    expect(JSON.parse(warnings()[1]!)).toMatchObject({ alsoRejectedSinceLastWarning: 199 });
  });
});
