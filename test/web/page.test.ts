import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
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
