/**
 * The chat page in real headless Chromium (Debian's, through playwright-core) against the real server:
 * at 1280 and 390 px, with a Russian and an English browser, with tracing off and on. Screenshots of
 * every run go to test-artifacts/ (gitignored); docs/screenshot-*.png are copies of two of them.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { launchChromium } from '../support/chromium.js';
import { startLangfuseReceiver, type LangfuseReceiver } from '../support/langfuse-receiver.js';
import { parseSse } from '../support/sse.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800, isMobile: false },
  { name: 'phone', width: 390, height: 844, isMobile: true },
] as const;

/** What each browser language should see, and what it asks. */
const LOCALES = {
  'ru-RU': {
    lang: 'ru',
    question: 'Посоветуй красное вино к стейку',
    thinking: 'Сомелье думает…',
    send: 'Спросить',
    newChat: 'Новый разговор',
    placeholder: 'Что у вас сегодня на ужин?',
    label: 'Ваш вопрос',
    bad: 'Плохой ответ',
    voteSaved: 'Спасибо, оценка сохранена.',
    other: { lang: 'en', send: 'Ask' },
  },
  'en-US': {
    lang: 'en',
    question: 'A full-bodied red for steak',
    thinking: 'The sommelier is thinking…',
    send: 'Ask',
    newChat: 'New conversation',
    placeholder: 'What are you eating tonight?',
    label: 'Your question',
    bad: 'Bad answer',
    voteSaved: 'Thanks, your vote is saved.',
    other: { lang: 'ru', send: 'Спросить' },
  },
} as const;
type Locale = keyof typeof LOCALES;

interface Done {
  reply: string;
  answerId: string;
  sessionId: string;
  traceId: string | null;
  traceUrl: string | null;
  recommendations: { name: string }[];
}

// The test compiles without DOM types: code that runs in the page is written as strings.
const OBSERVE_STREAM = `(() => {
  window.__streamStates = [];
  window.__thinking = null;
  const log = document.getElementById('log');
  new MutationObserver(() => {
    const thinking = log.querySelector('.thinking');
    if (thinking) window.__thinking = thinking.textContent;
    const streaming = log.querySelector('.streaming');
    if (streaming) window.__streamStates.push(streaming.textContent.length);
  }).observe(log, { childList: true, subtree: true, characterData: true });
})()`;

const LAYOUT = `(() => {
  const main = document.getElementById('main').getBoundingClientRect();
  const form = document.getElementById('ask').getBoundingClientRect();
  const answers = document.querySelectorAll('.turn.answer');
  const last = answers[answers.length - 1];
  const answerTop = last ? last.getBoundingClientRect().top : null;
  const widest = Math.max(...[...document.querySelectorAll('#log *')].map((node) => node.getBoundingClientRect().right));
  return {
    documentOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    mainOverflow: document.getElementById('main').scrollWidth - document.getElementById('main').clientWidth,
    widest, viewport: window.innerWidth,
    mainTop: main.top, mainBottom: main.bottom, formTop: form.top, answerTop,
    active: document.activeElement && document.activeElement.id,
  };
})()`;

interface Layout {
  documentOverflow: number;
  mainOverflow: number;
  widest: number;
  viewport: number;
  mainTop: number;
  mainBottom: number;
  formTop: number;
  answerTop: number | null;
  active: string | null;
}

async function openPage(browser: Browser, locale: Locale, viewport: (typeof VIEWPORTS)[number], url: string) {
  const context = await browser.newContext({
    locale,
    viewport: { width: viewport.width, height: viewport.height },
    isMobile: viewport.isMobile,
    hasTouch: viewport.isMobile,
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  // CSP violations and failed loads show up as console errors.
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await page.waitForSelector('body[data-restored="true"]');
  return { context, page, problems };
}

const isChat = (response: Response) => response.url().endsWith('/api/v1/chat') && response.request().method() === 'POST';
const isFeedback = (response: Response) => response.url().endsWith('/api/v1/feedback');

/** Asks through the page and returns the answer as the stream's `done` event carried it. */
async function ask(page: Page, question: string): Promise<Done> {
  await page.evaluate(OBSERVE_STREAM);
  await page.fill('#message', question);
  const answered = page.waitForResponse(isChat);
  await page.press('#message', 'Enter');
  const response = await answered;
  expect(response.headers()['content-type']).toMatch(/^text\/event-stream/);
  const done = parseSse(await response.text()).find((event) => event.event === 'done')?.data as Done;
  await page.locator('.turn.answer:not(.pending) .meta').last().waitFor();
  return done;
}

async function expectLayout(page: Page, name: string): Promise<Layout> {
  const layout = (await page.evaluate(LAYOUT)) as Layout;
  expect(layout.documentOverflow, `${name}: horizontal scroll`).toBeLessThanOrEqual(0);
  expect(layout.mainOverflow, `${name}: horizontal scroll in the conversation`).toBeLessThanOrEqual(0);
  expect(layout.widest, `${name}: something sticks out on the right`).toBeLessThanOrEqual(layout.viewport);
  // The input sits below the conversation, never over it.
  expect(layout.formTop).toBeGreaterThanOrEqual(layout.mainBottom - 0.5);
  return layout;
}

/** The whole user path: ask, see the cards, vote 👎, reload, see it all again. Returns the answer. */
async function userPath(options: {
  browser: Browser;
  app: TestApp;
  locale: Locale;
  viewport: (typeof VIEWPORTS)[number];
  shot: string;
}): Promise<{ done: Done; page: Page; context: BrowserContext; problems: string[] }> {
  const { browser, app, locale, viewport } = options;
  const texts = LOCALES[locale];
  const { context, page, problems } = await openPage(browser, locale, viewport, app.url);

  // The UI speaks the browser's language.
  expect(await page.getAttribute('html', 'lang')).toBe(texts.lang);
  expect((await page.textContent('#send'))?.trim()).toBe(texts.send);
  expect(await page.getAttribute('#message', 'placeholder')).toBe(texts.placeholder);
  expect((await page.textContent('#new-chat'))?.trim()).toBe(texts.newChat);
  // The input has a label, and the page opens with nothing to scroll sideways.
  await expect(page.getByLabel(texts.label, { exact: true }).getAttribute('id')).resolves.toBe('message');
  await expectLayout(page, `${options.shot} empty`);

  const done = await ask(page, texts.question);
  const answer = page.locator('.turn.answer').last();

  // A thinking indicator (in the UI language) until the first words, then the text in pieces.
  expect(await page.evaluate('window.__thinking')).toBe(texts.thinking);
  const states = (await page.evaluate('window.__streamStates')) as number[];
  expect(states.some((length) => length > 0 && length < done.reply.length), `stream states ${states.join(',')}`).toBe(true);
  expect(new Set(states).size).toBeGreaterThan(1);

  // At least three wine cards, named as the API's recommendations, in order.
  expect(done.recommendations.length).toBeGreaterThanOrEqual(3);
  expect(await answer.locator('.card .card-name').allTextContents()).toEqual(done.recommendations.map((wine) => wine.name));
  expect(await page.locator('.msg.user').last().innerText()).toBe(texts.question);
  const layout = await expectLayout(page, options.shot);
  // The start of the new answer is in view, and the input is ready for the next question.
  expect(layout.answerTop).not.toBeNull();
  expect(layout.answerTop!).toBeGreaterThanOrEqual(layout.mainTop - 1);
  expect(layout.answerTop!).toBeLessThan(layout.mainBottom - 40);
  expect(layout.active).toBe('message');
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${options.shot}-answer.png`) });

  // 👎 on the answer: pressed on the page, stored and counted by the server.
  const votes = async () => {
    const text = await (await app.get('/metrics')).text();
    return Number(/^sommelier_feedback_total\{value="down",traced="(?:yes|no)"\} (\d+)$/m.exec(text)?.[1] ?? 0);
  };
  const votesBefore = await votes();
  const down = answer.getByRole('button', { name: texts.bad });
  const [vote] = await Promise.all([page.waitForResponse(isFeedback), down.click()]);
  expect(vote.status()).toBe(200);
  expect(await down.getAttribute('aria-pressed')).toBe('true');
  expect(await answer.locator('.vote-note').innerText()).toBe(texts.voteSaved);
  const stored = await app.services.db.query<{ value: number }>('SELECT value FROM feedback WHERE answer_id = $1', [done.answerId]);
  expect(stored.rows).toEqual([{ value: -1 }]);
  expect(await votes()).toBe(votesBefore + 1);

  await page.screenshot({ path: join(ARTIFACTS, `${options.shot}.png`) });

  // A reload brings the conversation back: question, answer, cards, the vote.
  await page.reload();
  await page.waitForSelector('body[data-restored="true"]');
  expect(await page.locator('.msg.user').allInnerTexts()).toEqual([texts.question]);
  const restored = page.locator('.turn.answer').last();
  expect(await restored.locator('.card .card-name').allTextContents()).toEqual(done.recommendations.map((wine) => wine.name));
  expect(await restored.getByRole('button', { name: texts.bad }).getAttribute('aria-pressed')).toBe('true');
  expect(await page.getAttribute('html', 'lang')).toBe(texts.lang);
  const afterReload = await expectLayout(page, `${options.shot} reloaded`);
  expect(afterReload.answerTop!).toBeGreaterThanOrEqual(afterReload.mainTop - 1);
  expect(afterReload.answerTop!).toBeLessThan(afterReload.mainBottom - 40);
  await page.screenshot({ path: join(ARTIFACTS, `${options.shot}-reloaded.png`) });
  return { done, page, context, problems };
}

describe('chat page in real Chromium, tracing off', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  const combinations = VIEWPORTS.flatMap((viewport) => (Object.keys(LOCALES) as Locale[]).map((locale) => [`${viewport.width} px`, locale, viewport] as const));

  it.each(combinations)('%s, %s: ask, cards, 👎, reload', async (_width, locale, viewport) => {
    const { done, page, context, problems } = await userPath({ browser, app, locale, viewport, shot: `page-${viewport.name}-${LOCALES[locale].lang}` });
    // No trace, so no trace link; the vote is there anyway.
    expect(done.traceId).toBeNull();
    expect(await page.locator('.turn.answer .meta a').count()).toBe(0);

    // Switching the language redraws everything, the answer's cards included.
    const other = LOCALES[locale].other;
    await page.click('#language');
    expect(await page.getAttribute('html', 'lang')).toBe(other.lang);
    expect((await page.textContent('#send'))?.trim()).toBe(other.send);
    expect(await page.locator('.turn.answer .card').count()).toBe(done.recommendations.length);
    await page.reload();
    await page.waitForSelector('body[data-restored="true"]');
    expect(await page.getAttribute('html', 'lang')).toBe(other.lang);

    // A new conversation starts empty and stays so after a reload.
    await page.click('#new-chat');
    expect(await page.locator('.turn').count()).toBe(0);
    expect(await page.evaluate('document.activeElement.id')).toBe('message');
    await page.reload();
    await page.waitForSelector('body[data-restored="true"]');
    expect(await page.locator('.turn').count()).toBe(0);

    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the server\'s rejections in the UI language, and gives the question back', async () => {
    const { context, page, problems } = await openPage(browser, 'ru-RU', VIEWPORTS[1], app.url);
    // A client that ignores the textarea's limit: the API refuses, the page says why in Russian.
    await page.evaluate("(() => { const input = document.getElementById('message'); input.removeAttribute('maxlength'); input.value = 'x'.repeat(4001); })()");
    const [refused] = await Promise.all([page.waitForResponse(isChat), page.click('#send')]);
    expect(refused.status()).toBe(400);
    const error = page.locator('.turn.error').last();
    await error.waitFor();
    expect(await error.innerText()).toBe('Вопрос слишком длинный: не больше 4000 символов.');
    expect(await page.inputValue('#message')).toHaveLength(4001);

    // A request the server rejects for another reason (here: a field it does not know).
    await page.route('**/api/v1/chat', (route) =>
      route.continue({ postData: JSON.stringify({ ...(route.request().postDataJSON() as object), temperature: 2 }) }),
    );
    await page.fill('#message', 'красное к стейку');
    await Promise.all([page.waitForResponse(isChat), page.press('#message', 'Enter')]);
    await expect.poll(() => page.locator('.turn.error').count()).toBe(2);
    expect(await page.locator('.turn.error').last().innerText()).toBe(
      'Сомелье не смог прочитать этот вопрос. Переформулируйте его и попробуйте ещё раз.',
    );
    await page.unroute('**/api/v1/chat');

    // The server gone: the page says so, in Russian.
    await page.route('**/api/v1/chat', (route) => route.abort('connectionrefused'));
    await page.fill('#message', 'белое к рыбе');
    await page.press('#message', 'Enter');
    await expect.poll(() => page.locator('.turn.error').count()).toBe(3);
    expect(await page.locator('.turn.error').last().innerText()).toBe('Сомелье недоступен. Проверьте соединение и попробуйте ещё раз.');
    expect(problems.filter((problem) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(problem))).toEqual([]);
    await context.close();
  });

  it('works from the keyboard: Tab reaches the input, Enter asks, the vote buttons are buttons', async () => {
    const { context, page } = await openPage(browser, 'en-US', VIEWPORTS[0], app.url);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.className')).toBe('skip');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('message');
    await page.keyboard.type('a light white for oysters');
    const answered = page.waitForResponse(isChat);
    await page.keyboard.press('Enter');
    await answered;
    await page.locator('.turn.answer:not(.pending) .meta').waitFor();
    // Focus went back to the input; Shift+Tab walks back into the answer's controls.
    expect(await page.evaluate('document.activeElement.id')).toBe('message');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('👎');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.fb[data-value="-1"]').getAttribute('aria-pressed')).toBe('true');
    await context.close();
  });

  it('serves the page under a strict Content-Security-Policy with no inline script', async () => {
    const response = await app.get('/');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    for (const asset of ['/assets/app.js', '/assets/i18n.js', '/assets/app.css', '/assets/favicon.svg']) {
      expect((await app.get(asset)).status, asset).toBe(200);
    }
  });
});

describe('chat page in real Chromium, tracing on', () => {
  const keys = { publicKey: 'pk-lf-web', secretKey: 'sk-lf-web' };
  let receiver: LangfuseReceiver;
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    receiver = await startLangfuseReceiver(keys);
    [app, browser] = await Promise.all([
      startTestApp({
        ...receiver.tracingEnv(),
        LANGFUSE_PROJECT_ID: 'proj-web',
      }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await receiver?.close();
  });

  it.each([
    ['1280 px', 'en-US', VIEWPORTS[0]],
    ['390 px', 'ru-RU', VIEWPORTS[1]],
  ] as const)('%s, %s: the same path, the vote becomes the user-feedback score, the trace is linked', async (_width, locale, viewport) => {
    const { done, page, context, problems } = await userPath({ browser, app, locale, viewport, shot: `page-traced-${viewport.name}-${LOCALES[locale].lang}` });
    expect(done.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(done.traceUrl).toContain(`/project/proj-web/traces/${done.traceId}`);
    const answer = page.locator('.turn.answer').last();
    expect(await answer.locator('.meta a').getAttribute('href')).toBe(done.traceUrl);

    const first = await receiver.waitFor((r) => r.scores.find((s) => s.traceId === done.traceId && s.name === 'user-feedback'));
    expect(first.value).toBe(-1);
    // Changing the vote updates the same score.
    const up = answer.locator('.fb[data-value="1"]');
    await Promise.all([page.waitForResponse(isFeedback), up.click()]);
    expect(await up.getAttribute('aria-pressed')).toBe('true');
    expect(await answer.locator('.fb[data-value="-1"]').getAttribute('aria-pressed')).toBe('false');
    const second = await receiver.waitFor((r) => r.scores.find((s) => s.traceId === done.traceId && s.name === 'user-feedback' && s.value === 1));
    expect(second.id).toBe(first.id);
    expect(problems).toEqual([]);
    await context.close();
  });
});
