import { describe, expect, it } from 'vitest';
import { generationInput, generationName, traceMetadata, traceTags } from '../../src/observability/trace-layout.js';

/** A generation's input as Langfuse receives it (the attribute holds JSON). */
const input = (...args: Parameters<typeof generationInput>) => JSON.parse(generationInput(...args)) as { messages: unknown[]; tools: unknown[] };
import type { ChatMessage, ToolDefinition } from '../../src/shared/index.js';

const TOOLS: ToolDefinition[] = [
  { type: 'function', function: { name: 'search_wines', description: 'Search', parameters: { type: 'object' } } },
  { type: 'function', function: { name: 'semantic_search', description: 'Free text', parameters: { type: 'object' } } },
];
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are a sommelier.' },
  { role: 'user', content: 'red for steak' },
];

describe('trace layout', () => {
  it('turns the outcome into string metadata, with the fallback reason bounded to 200 characters', () => {
    expect(
      traceMetadata({
        output: 'x',
        engine: 'offline',
        model: 'sommelier-offline',
        toolsUsed: ['search_wines', 'semantic_search'],
        iterations: 1,
        language: 'ru',
        recommendations: 3,
        fallbackReason: `LLM 401 ${'x'.repeat(300)}`,
      }),
    ).toEqual({
      tool_used: 'search_wines,semantic_search',
      iterations: '1',
      language: 'ru',
      recommendations: '3',
      engine: 'offline',
      model: 'sommelier-offline',
      fallback_reason: `LLM 401 ${'x'.repeat(192)}`,
    });
  });

  it('computes the same final tag list on both ends of a trace, engine included once known', () => {
    expect(traceTags('telegram')).toEqual(['channel:telegram']);
    expect(traceTags('telegram', 'openai')).toEqual(['channel:telegram', 'engine:openai']);
    expect(traceTags('api', 'offline')).toEqual(traceTags('api', 'offline'));
  });

  it('names generations by engine and records what each engine reads', () => {
    expect(generationName('openai')).toBe('llm-completion');
    expect(generationName('offline')).toBe('offline-completion');
    // An LLM reads everything sent: system prompt and tool schemas.
    expect(input('openai', { messages: MESSAGES, tools: TOOLS, toolChoice: 'auto' })).toEqual({ messages: MESSAGES, tools: TOOLS });
    // The offline engine reads the conversation and which tools exist.
    expect(input('offline', { messages: MESSAGES, tools: TOOLS, toolChoice: 'auto' })).toEqual({
      messages: [MESSAGES[1]],
      tools: ['search_wines', 'semantic_search'],
    });
    // The schemas are the same on every call: later generations of a trace name the tools.
    expect(input('openai', { messages: MESSAGES, tools: TOOLS, toolChoice: 'auto' }, { schemas: false })).toEqual({
      messages: MESSAGES,
      tools: ['search_wines', 'semantic_search'],
    });
    // The final call offers no tools, whatever the engine.
    expect(input('openai', { messages: MESSAGES, tools: TOOLS, toolChoice: 'none' }).tools).toEqual([]);
    expect(input('offline', { messages: MESSAGES, tools: TOOLS, toolChoice: 'none' }).tools).toEqual([]);
  });
});
