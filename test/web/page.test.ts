import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { startLangfuseReceiver, type LangfuseReceiver } from '../support/langfuse-receiver.js';
import { launchChromium } from '../support/chromium.js';

describe('chat page in real Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it('asks the sommelier and shows the answer with the recommended wines', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(app.url);
    await page.fill('#message', 'Посоветуй красное вино к стейку');
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/v1/chat'));
    await page.click('#send');
    const response = await answered;
    const body = (await response.json()) as { reply: string; recommendations: { name: string }[] };
    const bubble = page.locator('.msg.bot').last();
    await bubble.waitFor();
    const shown = await bubble.innerText();
    expect(shown).toContain(body.recommendations[0]!.name);
    expect(await page.locator('.msg.user').last().innerText()).toBe('Посоветуй красное вино к стейку');
    // The page sends the web channel and keeps one session per tab.
    const sent = response.request().postDataJSON() as { channel: string; sessionId: string };
    expect(sent.channel).toBe('web');
    expect(sent.sessionId).toMatch(/^web:/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the API error message for a request the API rejects', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    // Bypass the textarea's maxlength to send what a misbehaving client would.
    // (A string, because the test compiles without DOM types.)
    await page.evaluate(
      "(() => { const input = document.getElementById('message'); input.removeAttribute('maxlength'); input.value = 'x'.repeat(4001); })()",
    );
    await page.click('#send');
    const error = page.locator('.msg.error').last();
    await error.waitFor();
    expect(await error.innerText()).toMatch(/4000/);
    await page.close();
  });
});

describe('chat page with tracing on', () => {
  const keys = { publicKey: 'pk-lf-web', secretKey: 'sk-lf-web' };
  let receiver: LangfuseReceiver;
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    receiver = await startLangfuseReceiver(keys);
    [app, browser] = await Promise.all([
      startTestApp({
        LANGFUSE_PUBLIC_KEY: keys.publicKey,
        LANGFUSE_SECRET_KEY: keys.secretKey,
        LANGFUSE_BASE_URL: receiver.url,
        LANGFUSE_PROJECT_ID: 'proj-web',
        LANGFUSE_FLUSH_INTERVAL_MS: '100',
      }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await receiver?.close();
  });

  it('turns a 👎 then 👍 click into one user-feedback score on the answer\'s trace, and links the trace', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.fill('#message', 'a light white for oysters');
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/v1/chat'));
    await page.press('#message', 'Enter');
    const body = (await (await answered).json()) as { traceId: string; traceUrl: string };
    const bubble = page.locator('.msg.bot').last();
    await bubble.locator('.fb').first().waitFor();
    expect(await bubble.locator('a').getAttribute('href')).toBe(body.traceUrl);
    expect(body.traceUrl).toContain(`/project/proj-web/traces/${body.traceId}`);

    const down = bubble.locator('.fb[data-value="-1"]');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/feedback')), down.click()]);
    expect(await down.getAttribute('aria-pressed')).toBe('true');
    const first = await receiver.waitFor((r) => r.scores.find((s) => s.traceId === body.traceId && s.name === 'user-feedback'));
    expect(first.value).toBe(-1);

    const up = bubble.locator('.fb[data-value="1"]');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/feedback')), up.click()]);
    expect(await up.getAttribute('aria-pressed')).toBe('true');
    expect(await down.getAttribute('aria-pressed')).toBe('false');
    const second = await receiver.waitFor((r) =>
      r.scores.find((s) => s.traceId === body.traceId && s.name === 'user-feedback' && s.value === 1),
    );
    // The same score id: Langfuse updates the vote instead of counting two.
    expect(second.id).toBe(first.id);
    await page.close();
  });
});
