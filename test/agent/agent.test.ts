import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { runAgent, LLMUnavailableError } from '../../src/agent/index.js';
import { completion, sommelierResponder, startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';
import { databaseBackends } from '../support/database.js';

const ask = (services: Services, message: string, sessionId = `s-${Math.random()}`) =>
  runAgent(services.deps, { message, sessionId, userId: 'u-1', channel: 'api' });

const toolMessages = (llm: ScriptedLlm, request: number) =>
  llm.requests[request]!.body.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? '');

describe.each(databaseBackends())('agent loop with the openai SDK against a scripted server ($name)', (backend) => {
  let llm: ScriptedLlm;
  let services: Services;
  let dataDir: string;
  let release: () => Promise<void>;

  const build = async (env: Record<string, string> = {}) => {
    const database = await backend.databaseUrl();
    return createServices(
      loadConfig({
        DATA_DIR: dataDir,
        ...(database ? { DATABASE_URL: database } : {}),
        LLM_PROVIDER: 'openai',
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: 'sk-test',
        // Generous: a loaded machine must not turn a slow first answer into an SDK retry. The timeout test
        // builds its own instance with a short one.
        LLM_TIMEOUT_MS: '10000',
        LLM_MAX_RETRIES: '1',
        AGENT_MAX_ITERATIONS: '4',
        ...env,
      }),
      { logger: createLogger('silent') },
    );
  };

  beforeAll(async () => {
    release = await backend.acquire();
    llm = await startScriptedLlm();
    dataDir = await mkdtemp(join(tmpdir(), 'sommelier-agent-'));
    services = await build();
  });
  afterAll(async () => {
    await services?.close();
    await llm?.close();
    await rm(dataDir, { recursive: true, force: true });
    await release?.();
  });
  beforeEach(() => {
    llm.requests.length = 0;
    llm.script([]);
  });

  it('runs a tool round, names only tool-returned wines and sums usage and cost', async () => {
    llm.fallback(sommelierResponder({ cost: 0.0005 }));
    const result = await ask(services, 'a red for steak');
    expect(result.iterations).toBe(2);
    expect(result.toolsUsed).toEqual(['search_wines']);
    expect(result.recommendations).toHaveLength(3);
    for (const wine of result.recommendations) {
      expect(wine.type).toBe('red');
      expect(result.reply).toContain(wine.name);
    }
    expect(result.usage).toMatchObject({ input: 840, output: 120, total: 960 });
    expect(result.costUsd).toBeCloseTo(0.001);
    expect(result.engine).toBe('openai');
    // The tool round is fed back: the second request carries the assistant tool call and its result.
    const second = llm.requests[1]!.body.messages;
    expect(second.some((m) => m.role === 'assistant' && m.tool_calls?.length === 1)).toBe(true);
    expect(JSON.parse(toolMessages(llm, 1)[0]!)).toHaveProperty('wines');
  });

  it('asks for whole answers when nobody reads the pieces (untraced, not streamed), and streams for a streaming caller', async () => {
    llm.fallback(sommelierResponder());
    const whole = await ask(services, 'a red for steak');
    expect(llm.requests.map((request) => request.body.stream)).toEqual([undefined, undefined]);
    llm.requests.length = 0;
    const pieces: string[] = [];
    const streamed = await runAgent(services.deps, {
      message: 'a red for steak',
      sessionId: `s-${Math.random()}`,
      userId: 'u-1',
      channel: 'api',
      stream: { delta: (text) => pieces.push(text), discard: () => pieces.splice(0) },
    });
    expect(llm.requests.map((request) => request.body.stream)).toEqual([true, true]);
    expect(pieces.join('')).toBe(streamed.reply);
    // The same answer either way.
    expect(streamed.recommendations.map((wine) => wine.id)).toEqual(whole.recommendations.map((wine) => wine.id));
  });

  it('runs parallel tool calls and answers each one in order', async () => {
    llm.script([
      {
        body: completion({
          tool_calls: [
            { name: 'search_wines', arguments: { type: 'white', pairing: 'shellfish' } },
            { name: 'semantic_search', arguments: { query: 'crisp and light for oysters' } },
          ],
        }),
      },
    ]);
    llm.fallback(sommelierResponder());
    const result = await ask(services, 'a white for oysters');
    expect(result.toolsUsed.sort()).toEqual(['search_wines', 'semantic_search']);
    const tools = llm.requests[1]!.body.messages.filter((m) => m.role === 'tool');
    const calls = llm.requests[1]!.body.messages.find((m) => m.tool_calls)!.tool_calls!;
    expect(tools.map((m) => m.tool_call_id)).toEqual(calls.map((c) => c.id));
  });

  it('returns malformed tool arguments to the model as an error it can correct', async () => {
    llm.script([
      { body: completion({ tool_calls: [{ name: 'search_wines', arguments: '{"type": "red",' }] }) },
      { body: completion({ tool_calls: [{ name: 'search_wines', arguments: { type: 'purple' } }] }) },
    ]);
    llm.fallback(sommelierResponder());
    const result = await ask(services, 'red please');
    expect(toolMessages(llm, 1)[0]).toMatch(/JSON/i);
    expect(toolMessages(llm, 2).at(-1)).toMatch(/type/);
    expect(result.iterations).toBe(3);
    expect(result.reply).toMatch(/picks/i);
  });

  it('answers an unknown tool with an error message instead of failing', async () => {
    llm.script([{ body: completion({ tool_calls: [{ name: 'order_pizza', arguments: {} }] }) }]);
    llm.fallback(sommelierResponder());
    const result = await ask(services, 'something red');
    expect(toolMessages(llm, 1)[0]).toMatch(/order_pizza/);
    expect(result.reply.length).toBeGreaterThan(0);
  });

  it('stops a model that never stops calling tools at AGENT_MAX_ITERATIONS', async () => {
    llm.fallback(() => ({ body: completion({ tool_calls: [{ name: 'search_wines', arguments: { type: 'red' } }] }) }));
    const result = await ask(services, 'red');
    expect(result.iterations).toBe(4);
    expect(llm.requests).toHaveLength(4);
    expect(llm.requests[3]!.body.tool_choice).toBe('none');
    // It still answers, with wines that came from the tool results.
    expect(result.recommendations.length).toBeGreaterThan(0);
    for (const wine of result.recommendations) expect(result.reply).toContain(wine.name);
  });

  it('retries a 429 and answers normally', async () => {
    llm.script([{ status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'slow down', code: 429 } } }]);
    llm.fallback(sommelierResponder());
    const result = await ask(services, 'a red for steak');
    expect(result.engine).toBe('openai');
    expect(result.fallbackReason).toBeNull();
    expect(llm.requests).toHaveLength(3);
  });

  it('falls back to the offline engine after a timeout and says so', async () => {
    // A second embedded database must not share the first one's files.
    const impatientDir = await mkdtemp(join(tmpdir(), 'sommelier-agent-timeout-'));
    const impatient = await build({ LLM_TIMEOUT_MS: '500', DATA_DIR: impatientDir });
    try {
      llm.fallback(() => ({ hang: true }));
      const result = await ask(impatient, 'Посоветуй красное вино к стейку');
      expect(result.engine).toBe('offline');
      expect(result.fallbackReason).toMatch(/time/i);
      expect(result.reply).toMatch(/офлайн/);
      expect(result.recommendations.length).toBeGreaterThanOrEqual(3);
    } finally {
      await impatient.close();
      await rm(impatientDir, { recursive: true, force: true });
    }
  });

  it('surfaces the failure when the fallback is disabled', async () => {
    // A second embedded database must not share the first one's files.
    const strictDir = await mkdtemp(join(tmpdir(), 'sommelier-agent-strict-'));
    const strict = await build({ LLM_FALLBACK_TO_OFFLINE: 'false', DATA_DIR: strictDir });
    try {
      llm.fallback(() => ({ status: 500, body: { error: { message: 'boom' } } }));
      await expect(ask(strict, 'red')).rejects.toBeInstanceOf(LLMUnavailableError);
    } finally {
      await strict.close();
      await rm(strictDir, { recursive: true, force: true });
    }
  });
});
