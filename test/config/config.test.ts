import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

describe('loadConfig', () => {
  it('runs with no environment at all: embedded database, offline engine, tracing off', () => {
    const config = loadConfig({});
    expect(config.server).toMatchObject({ port: 8000, host: '127.0.0.1' });
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data' });
    expect(config.llm.provider).toBe('offline');
    expect(config.llm.baseUrl).toBe('https://openrouter.ai/api/v1');
    expect(config.agent.maxIterations).toBe(5);
    expect(config.llm.fallbackToOffline).toBe(true);
    expect(config.langfuse.enabled).toBe(false);
  });

  it('picks the OpenAI-compatible provider when a key is set', () => {
    expect(loadConfig({ OPENROUTER_API_KEY: 'sk-or-1' }).llm).toMatchObject({ provider: 'openai', apiKey: 'sk-or-1' });
    expect(loadConfig({ LLM_API_KEY: 'k', LLM_PROVIDER: 'offline' }).llm.provider).toBe('offline');
  });

  it('sizes the embedded database and the search cache, small by default, and names a malformed size', () => {
    expect(loadConfig({}).embeddedMemory).toEqual({ sharedBuffers: 'auto', workMem: '4MB' });
    expect(loadConfig({}).catalogCache.maxBytes).toBe(16 * 1024 * 1024);
    const config = loadConfig({ PGLITE_SHARED_BUFFERS: '64MB', PGLITE_WORK_MEM: '512kB', CATALOG_CACHE_MAX_MB: '4' });
    expect(config.embeddedMemory).toEqual({ sharedBuffers: '64MB', workMem: '512kB' });
    expect(config.catalogCache.maxBytes).toBe(4 * 1024 * 1024);
    expect(() => loadConfig({ PGLITE_SHARED_BUFFERS: '64 megabytes' })).toThrow(/PGLITE_SHARED_BUFFERS/);
    expect(() => loadConfig({ PGLITE_WORK_MEM: 'auto' })).toThrow(/PGLITE_WORK_MEM/);
  });

  it('uses server Postgres for a postgres:// URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/s' }).database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/s' });
  });

  it('turns tracing on when both Langfuse keys are set and accepts LANGFUSE_HOST as the base URL', () => {
    const config = loadConfig({ LANGFUSE_PUBLIC_KEY: 'pk-lf-1', LANGFUSE_SECRET_KEY: 'sk-lf-1', LANGFUSE_HOST: 'http://langfuse:3000/' });
    expect(config.langfuse).toMatchObject({ enabled: true, baseUrl: 'http://langfuse:3000', sampleRate: 1 });
    expect(loadConfig({ LANGFUSE_PUBLIC_KEY: 'a', LANGFUSE_SECRET_KEY: 'b', LANGFUSE_TRACING_ENABLED: 'false' }).langfuse.enabled).toBe(false);
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['LLM_PROVIDER', { LLM_PROVIDER: 'anthropic' }],
    ['LLM_BASE_URL', { LLM_BASE_URL: 'not a url' }],
    ['AGENT_MAX_ITERATIONS', { AGENT_MAX_ITERATIONS: '0' }],
    ['LLM_FALLBACK_TO_OFFLINE', { LLM_FALLBACK_TO_OFFLINE: 'maybe' }],
    ['LANGFUSE_SAMPLE_RATE', { LANGFUSE_SAMPLE_RATE: '2' }],
    ['LANGFUSE_TRACING_ENABLED', { LANGFUSE_TRACING_ENABLED: 'true' }],
    ['LLM_PROVIDER', { LLM_PROVIDER: 'openai' }],
  ])('rejects a bad %s with a message naming it', (variable, env) => {
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toContain(variable);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ', OPENROUTER_API_KEY: '' }).database.kind).toBe('pglite');
  });
});
