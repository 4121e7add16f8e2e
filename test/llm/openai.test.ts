import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIChatModel } from '../../src/llm/openai.js';
import type { ChatModel } from '../../src/llm/types.js';
import { completion, startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';

const tools = [{ type: 'function' as const, function: { name: 'search_wines', description: 'd', parameters: { type: 'object', properties: {} } } }];
const messages = [{ role: 'user' as const, content: 'a red for steak' }];

describe('OpenAI-compatible chat model (real openai SDK against a scripted server)', () => {
  let llm: ScriptedLlm;
  let model: ChatModel;

  beforeAll(async () => {
    llm = await startScriptedLlm();
  });
  afterAll(() => llm.close());
  beforeEach(() => {
    llm.requests.length = 0;
    model = createOpenAIChatModel({
      baseUrl: llm.url,
      apiKey: 'sk-test-123',
      model: 'openai/gpt-4o-mini',
      temperature: 0.3,
      timeoutMs: 1_000,
      maxRetries: 2,
      appUrl: 'https://sommelier.example',
      appTitle: 'Sommelier',
    });
  });

  it('sends tools and attribution headers, and reads tool calls, usage and cost', async () => {
    llm.script([
      {
        body: completion(
          { tool_calls: [{ name: 'search_wines', arguments: { type: 'red' } }] },
          {
            model: 'openai/gpt-4o-mini-2024-07-18',
            usage: {
              prompt_tokens: 300,
              completion_tokens: 25,
              total_tokens: 325,
              cost: 0.000123,
              prompt_tokens_details: { cached_tokens: 100 },
              completion_tokens_details: { reasoning_tokens: 7 },
            },
          },
        ),
      },
    ]);
    const response = await model.complete({ messages, tools });
    expect(response.message.tool_calls).toHaveLength(1);
    expect(response.message.tool_calls[0]!.function).toEqual({ name: 'search_wines', arguments: '{"type":"red"}' });
    expect(response.model).toBe('openai/gpt-4o-mini-2024-07-18');
    expect(response.usage).toEqual({ input: 300, output: 25, total: 325, cachedInput: 100, reasoning: 7 });
    expect(response.costUsd).toBeCloseTo(0.000123);
    const sent = llm.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-test-123');
    expect(sent.headers['http-referer']).toBe('https://sommelier.example');
    expect(sent.headers['x-title']).toBe('Sommelier');
    expect(sent.body.tools).toHaveLength(1);
    expect(sent.body.tool_choice).toBe('auto');
  });

  it('retries a 429 and then succeeds', async () => {
    llm.script([
      { status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'rate limited', code: 429 } } },
      { status: 503, headers: { 'retry-after': '0' }, body: { error: { message: 'overloaded', code: 503 } } },
      { body: completion({ content: 'Hello' }) },
    ]);
    const response = await model.complete({ messages, tools });
    expect(response.message.content).toBe('Hello');
    expect(llm.requests).toHaveLength(3);
  });

  it('gives up after its retries on a server that never answers', async () => {
    llm.script([{ hang: true }, { hang: true }, { hang: true }]);
    await expect(model.complete({ messages, tools })).rejects.toThrow(/timed out|timeout/i);
    expect(llm.requests).toHaveLength(3);
  });

  it('reports an error that OpenRouter sends inside a 200 body', async () => {
    llm.script([{ body: { error: { message: 'Provider returned error', code: 502 } } }]);
    await expect(model.complete({ messages, tools })).rejects.toThrow(/Provider returned error/);
  });

  it('rejects a completion without choices instead of inventing an answer', async () => {
    llm.script([{ body: { id: 'x', model: 'm', choices: [] } }]);
    await expect(model.complete({ messages, tools })).rejects.toThrow(/malformed completion/);
  });

  it('passes malformed tool arguments through for the tool to reject', async () => {
    llm.script([{ body: completion({ tool_calls: [{ name: 'search_wines', arguments: '{"type": "red",' }] }) }]);
    const response = await model.complete({ messages, tools });
    expect(response.message.tool_calls[0]!.function.arguments).toBe('{"type": "red",');
    expect(response.costUsd).toBeNull();
  });

  it('streams from the provider: text deltas as they arrive, usage and cost from the last chunk, time to first token', async () => {
    llm.script([
      {
        chunkDelayMs: 20,
        body: completion(
          { content: 'Try the Barolo; it loves a steak.' },
          { model: 'openai/gpt-4o-mini-2024-07-18', usage: { prompt_tokens: 50, completion_tokens: 9, total_tokens: 59, cost: 0.00042 } },
        ),
      },
    ]);
    const deltas: { text: string; at: number }[] = [];
    const started = Date.now();
    const response = await model.complete({ messages, tools, onDelta: (text) => deltas.push({ text, at: Date.now() }) });
    const ended = Date.now();
    const sent = llm.requests[0]!.body;
    expect(sent.stream).toBe(true);
    expect(sent.stream_options).toEqual({ include_usage: true });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.text).join('')).toBe('Try the Barolo; it loves a steak.');
    expect(response.message.content).toBe('Try the Barolo; it loves a steak.');
    expect(response.usage).toEqual({ input: 50, output: 9, total: 59 });
    expect(response.costUsd).toBeCloseTo(0.00042);
    expect(response.model).toBe('openai/gpt-4o-mini-2024-07-18');
    // The first token came before the last one: the generation's completion start is not its end.
    const first = response.completionStartTime!.getTime();
    expect(first).toBeGreaterThanOrEqual(started);
    expect(first).toBeLessThan(deltas.at(-1)!.at);
    expect(first).toBeLessThanOrEqual(ended);
  });

  it('assembles streamed tool calls, also when a provider sends each call whole under one index', async () => {
    llm.script([{ body: completion({ tool_calls: [{ name: 'search_wines', arguments: { type: 'red', pairing: 'beef' } }, { name: 'semantic_search', arguments: { query: 'bold' } }] }) }]);
    const deltas: string[] = [];
    const response = await model.complete({ messages, tools, onDelta: (text) => deltas.push(text) });
    expect(response.finishReason).toBe('tool_calls');
    expect(response.message.tool_calls.map((call) => [call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['search_wines', { type: 'red', pairing: 'beef' }],
      ['semantic_search', { query: 'bold' }],
    ]);
    expect(deltas).toEqual([]);

    llm.script([
      {
        headers: { 'content-type': 'text/event-stream' },
        body: [
          { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'a', function: { name: 'search_wines', arguments: '{"type":"red"}' } }] } }] },
          { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'b', function: { name: 'semantic_search', arguments: '{"query":"x"}' } }] } }] },
          { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
        ].map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n',
      },
    ]);
    const whole = await model.complete({ messages, tools });
    expect(whole.message.tool_calls.map((call) => call.id)).toEqual(['a', 'b']);
    expect(whole.message.tool_calls[1]!.function).toEqual({ name: 'semantic_search', arguments: '{"query":"x"}' });
  });

  it('asks for one whole answer when told not to stream, and reads tool calls, usage and cost from it', async () => {
    llm.script([
      {
        body: completion(
          { tool_calls: [{ name: 'search_wines', arguments: { type: 'red' } }] },
          { usage: { prompt_tokens: 30, completion_tokens: 5, total_tokens: 35, cost: 0.0002 } },
        ),
      },
    ]);
    const response = await model.complete({ messages, tools, stream: false });
    const sent = llm.requests[0]!.body;
    expect(sent.stream).toBeUndefined();
    expect(sent.stream_options).toBeUndefined();
    expect(response.message.tool_calls.map((call) => call.function)).toEqual([{ name: 'search_wines', arguments: '{"type":"red"}' }]);
    expect(response.usage).toEqual({ input: 30, output: 5, total: 35 });
    expect(response.costUsd).toBeCloseTo(0.0002);
    expect(response.completionStartTime).toBeNull();
    // A caller that reads the pieces gets a stream whatever it said.
    llm.script([{ body: completion({ content: 'Barolo.' }) }]);
    const pieces: string[] = [];
    await model.complete({ messages, tools, stream: false, onDelta: (text) => pieces.push(text) });
    expect(llm.requests[1]!.body.stream).toBe(true);
    expect(pieces.join('')).toBe('Barolo.');
  });

  it('reports an error event in the middle of a stream', async () => {
    llm.script([{ body: completion({ content: 'Some words that never finish' }), streamError: { message: 'Upstream model crashed', code: 502 } }]);
    await expect(model.complete({ messages, tools, onDelta: () => undefined })).rejects.toThrow(/Upstream model crashed/);
  });

  it('cuts a stream that stalls after its headers', async () => {
    llm.script([{ body: completion({ content: 'A long answer that stops halfway' }), stallAfterChunks: 2 }]);
    await expect(model.complete({ messages, tools })).rejects.toThrow(/stopped streaming for 1000 ms/);
  });

  it('does not send OpenRouter-only fields to other providers', async () => {
    llm.script([{ body: completion({ content: 'ok' }) }]);
    await model.complete({ messages, tools: [] });
    expect(llm.requests[0]!.body).not.toHaveProperty('usage');
    expect(llm.requests[0]!.body).not.toHaveProperty('tools');
  });
});
