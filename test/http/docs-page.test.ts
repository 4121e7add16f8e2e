/** The security headers in a real browser: /docs still works under its CSP, and the page cannot be framed. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { launchChromium } from '../support/chromium.js';

describe('security headers in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it('swagger-ui at /docs renders the API under its CSP, with no violation', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${app.url}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor();
    expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('Sommelier API');
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(4);
    // Expanding an operation renders its schema (more inline styles and SVG icons).
    await page.locator('.opblock-summary').first().click();
    await page.locator('.opblock-body').first().waitFor();
    expect(problems.filter((text) => /Content Security Policy|Refused/i.test(text))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('another site cannot frame the chat page or the docs', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors|Refused to (display|frame)/i.test(message.text())) refused.push(message.text());
    });
    // A page of another origin (about:blank) that tries to embed both.
    await page.setContent(`<iframe id="a" src="${app.url}/"></iframe><iframe id="b" src="${app.url}/docs"></iframe>`);
    await expect.poll(() => refused.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    for (const frame of page.frames().slice(1)) {
      expect(await frame.locator('#message').count()).toBe(0);
      expect(await frame.locator('.swagger-ui').count()).toBe(0);
    }
    await page.close();
  });
});
