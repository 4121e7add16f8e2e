import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServices, type Services } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { createLangfusePromptSource } from '../../src/observability/prompts.js';
import { runAgent } from '../../src/agent/index.js';
import { builtinPromptSource, promptVariables, systemPrompt } from '../../src/agent/prompts.js';
import { startLangfuseReceiver, type LangfuseReceiver, type ReceivedSpan } from '../support/langfuse-receiver.js';
import { sommelierResponder, startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';
import { KEYS, silentLogger } from './support.js';

/**
 * LANGFUSE_PROMPT_NAME: the system prompt comes from Langfuse prompt management (here the receiver's
 * prompt API), every generation is linked to the prompt version, and a missing or unreachable Langfuse
 * leaves the built-in prompt in use without ever holding up a chat.
 */
const PROMPT = 'sommelier-system';
const TEMPLATE_V3 = 'You are the test sommelier, version 3. Answer in {{language}}.';

let receiver: LangfuseReceiver;
let llm: ScriptedLlm;
let dataDir: string;
let services: Services | null = null;

beforeAll(async () => {
  receiver = await startLangfuseReceiver(KEYS);
  receiver.addPrompt({ name: PROMPT, version: 2, type: 'text', prompt: 'Version 2 in {{language}}.', labels: ['staging'] });
  receiver.addPrompt({ name: PROMPT, version: 3, type: 'text', prompt: TEMPLATE_V3, labels: ['production'] });
  llm = await startScriptedLlm();
  llm.fallback(sommelierResponder());
  dataDir = await mkdtemp(join(tmpdir(), 'sommelier-prompts-'));
});

afterEach(async () => {
  await services?.close();
  services = null;
  await receiver.setMode('ok');
  receiver.reset();
  llm.requests.length = 0;
});

afterAll(async () => {
  await receiver?.close();
  await llm?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<Services> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: 'test-key',
    LLM_MAX_RETRIES: '0',
    LLM_FALLBACK_TO_OFFLINE: 'false',
    ...receiver.tracingEnv(),
    LANGFUSE_PROMPT_NAME: PROMPT,
    LANGFUSE_PROMPT_FETCH_TIMEOUT_MS: '5000',
    ...env,
  });
  services = await createServices(config, { logger: createLogger('silent') });
  return services;
}

const keysEnv = () => ({ LANGFUSE_PUBLIC_KEY: KEYS.publicKey, LANGFUSE_SECRET_KEY: KEYS.secretKey });

const ask = (app: Services, message: string) =>
  runAgent(app.deps, { message, sessionId: `s-${Math.random()}`, userId: null, channel: 'api' });

const systemMessages = (): unknown[] => llm.requests.map((request) => request.body.messages[0]);

async function generationsOf(traceId: string): Promise<ReceivedSpan[]> {
  const spans = await receiver.waitFor((r) => {
    const found = r.spansByTrace(traceId);
    return found.some((span) => span.parentSpanId === null) && found;
  }, 15_000);
  return spans.filter((span) => span.attributes['langfuse.observation.type'] === 'generation');
}

describe('system prompt from Langfuse prompt management', () => {
  it('uses the production version, compiled for the reply language, and links every generation to it', async () => {
    const app = await start({});
    await app.deps.prompts?.ready?.(30_000);
    expect(app.deps.prompts?.describe()).toBe(`${PROMPT} v3`);

    const result = await ask(app, 'Посоветуй красное вино к стейку');
    expect(systemMessages().length).toBeGreaterThanOrEqual(2);
    for (const message of systemMessages()) {
      expect(message).toEqual({ role: 'system', content: 'You are the test sommelier, version 3. Answer in Russian.' });
    }
    const promptRequest = receiver.requests.find((request) => request.path === `/api/public/v2/prompts/${PROMPT}`);
    expect(promptRequest?.status).toBe(200);

    const generations = await generationsOf(result.traceId ?? '');
    expect(generations.length).toBeGreaterThanOrEqual(2);
    for (const generation of generations) {
      expect(generation.attributes).toMatchObject({ 'langfuse.observation.prompt.name': PROMPT, 'langfuse.observation.prompt.version': 3 });
    }
    // Only generations use a prompt: the agent and tool observations are not linked to it.
    const others = receiver.spansByTrace(result.traceId ?? '').filter((span) => span.attributes['langfuse.observation.type'] !== 'generation');
    expect(others.some((span) => 'langfuse.observation.prompt.name' in span.attributes)).toBe(false);
  });

  it('takes the version carrying LANGFUSE_PROMPT_LABEL', async () => {
    const app = await start({ LANGFUSE_PROMPT_LABEL: 'staging' });
    await app.deps.prompts?.ready?.(30_000);
    await ask(app, 'A red wine for steak');
    expect(systemMessages()[0]).toEqual({ role: 'system', content: 'Version 2 in English.' });
  });

  it('answers with the built-in prompt, unlinked, when the prompt does not exist in Langfuse', async () => {
    const app = await start({ LANGFUSE_PROMPT_NAME: 'no-such-prompt' });
    await app.deps.prompts?.ready?.(30_000);
    const result = await ask(app, 'A red wine for steak');
    expect(systemMessages()[0]).toEqual({ role: 'system', content: systemPrompt('en') });
    for (const generation of await generationsOf(result.traceId ?? '')) {
      expect(generation.attributes['langfuse.observation.prompt.name']).toBeUndefined();
    }
  });

  it('answers with the built-in prompt when Langfuse is down', async () => {
    await receiver.setMode('refuse');
    const app = await start({ LANGFUSE_TRACING_ENABLED: 'false' });
    await app.deps.prompts?.ready?.(30_000);
    const result = await ask(app, 'A red wine for steak');
    expect(result.recommendations.length).toBeGreaterThan(0);
    expect(systemMessages()[0]).toEqual({ role: 'system', content: systemPrompt('en') });
    expect(app.deps.prompts?.describe()).toContain('builtin');
  });

  it('never holds a chat for a hung prompt fetch', async () => {
    await receiver.setMode('hang');
    const app = await start({ LANGFUSE_TRACING_ENABLED: 'false', LANGFUSE_PROMPT_FETCH_TIMEOUT_MS: '60000' });
    const result = await ask(app, 'A red wine for steak');
    // The answer is complete while the prompt request is still unanswered.
    expect(result.reply).toContain('1.');
    const promptRequests = receiver.requests.filter((request) => request.path.startsWith('/api/public/v2/prompts/'));
    expect(promptRequests.length).toBe(1);
    expect(promptRequests[0]?.status).toBeNull();
    expect(systemMessages()[0]).toEqual({ role: 'system', content: systemPrompt('en') });
  });
});

describe('prompt management configuration', () => {
  it('is off unless LANGFUSE_PROMPT_NAME is set, and then needs the Langfuse keys', () => {
    expect(loadConfig({}).prompt).toBeNull();
    expect(loadConfig({ ...keysEnv(), LANGFUSE_PROMPT_NAME: 'p' }).prompt).toEqual({ name: 'p', label: 'production', cacheTtlSeconds: 60, fetchTimeoutMs: 2_000 });
    expect(() => loadConfig({ LANGFUSE_PROMPT_NAME: 'p' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...keysEnv(), LANGFUSE_PROMPT_NAME: 'p', LANGFUSE_PROMPT_CACHE_TTL_SECONDS: '0' })).toThrow(/LANGFUSE_PROMPT_CACHE_TTL_SECONDS/);
  });
});

describe('createLangfusePromptSource', () => {
  it('keeps the built-in prompt while Langfuse is down and picks the Langfuse version up once it is back', async () => {
    await receiver.setMode('refuse');
    let clock = 0;
    const source = createLangfusePromptSource({
      ...KEYS,
      baseUrl: receiver.url,
      name: PROMPT,
      label: 'production',
      cacheTtlSeconds: 60,
      fetchTimeoutMs: 500,
      logger: silentLogger,
      fallback: builtinPromptSource,
      variables: promptVariables,
      now: () => clock,
    });
    await source.ready(5_000);
    expect(source.forLanguage('en')).toEqual({ text: systemPrompt('en'), link: null });

    await receiver.setMode('ok');
    // Within the TTL no new fetch is tried; after it, the next request starts one in the background.
    clock = 30_000;
    expect(source.forLanguage('en').link).toBeNull();
    clock = 61_000;
    await vi.waitFor(() => expect(source.forLanguage('en').link).toEqual({ name: PROMPT, version: 3 }), { timeout: 5_000 });
    expect(source.forLanguage('ru').text).toBe('You are the test sommelier, version 3. Answer in Russian.');
    expect(receiver.requests.filter((request) => request.path.startsWith('/api/public/v2/prompts/') && request.status === 200)).toHaveLength(1);
  });

  it('keeps the last good version when a later refresh fails', async () => {
    let clock = 0;
    const source = createLangfusePromptSource({
      ...KEYS,
      baseUrl: receiver.url,
      name: PROMPT,
      label: 'production',
      cacheTtlSeconds: 1,
      fetchTimeoutMs: 500,
      logger: silentLogger,
      fallback: builtinPromptSource,
      variables: promptVariables,
      now: () => clock,
    });
    await source.ready(5_000);
    expect(source.forLanguage('en').link).toEqual({ name: PROMPT, version: 3 });
    await receiver.setMode({ status: 500 });
    clock = 5_000;
    source.forLanguage('en');
    await receiver.waitFor((r) => r.requests.filter((request) => request.path.startsWith('/api/public/v2/prompts/')).length === 2 && r.requests.at(-1)?.status === 500);
    expect(source.forLanguage('en').link).toEqual({ name: PROMPT, version: 3 });
  });
});
