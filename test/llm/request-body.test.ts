import { describe, expect, it } from 'vitest';
import { chatCompletionJson } from '../../src/llm/request-body.js';
import { deepFreeze, messagesJson, type ToolDefinition } from '../../src/shared/index.js';

const tool = (name: string): ToolDefinition => ({ type: 'function', function: { name, description: 'd', parameters: { type: 'object', properties: {} } } });

describe('chatCompletionJson', () => {
  it('is the JSON of the whole request, with or without tools and other fields', () => {
    const tools = deepFreeze([tool('search_wines'), tool('semantic_search')]);
    const body = { model: 'm', temperature: 0.3, messages: [{ role: 'user', content: 'Красное "сухое"\n' }], tools, tool_choice: 'auto', stream: true };
    expect(JSON.parse(chatCompletionJson(body))).toEqual(body);
    expect(JSON.parse(chatCompletionJson({ tools }))).toEqual({ tools });
    expect(JSON.parse(chatCompletionJson({ model: 'm', messages: [] }))).toEqual({ model: 'm', messages: [] });
    // Serialised once and reused: the same text again.
    expect(chatCompletionJson(body)).toBe(chatCompletionJson(body));
  });

  it('serialises each frozen message once, and a message that is not frozen anew each time', () => {
    const frozen = Object.freeze({ role: 'user', content: 'первый' });
    const open = { role: 'assistant', content: 'one' };
    expect(JSON.parse(messagesJson([frozen, open]))).toEqual([frozen, open]);
    open.content = 'two';
    expect(JSON.parse(messagesJson([frozen, open]))).toEqual([frozen, { role: 'assistant', content: 'two' }]);
    expect(messagesJson([])).toBe('[]');
    const body = { model: 'm', messages: [frozen] };
    expect(JSON.parse(chatCompletionJson(body))).toEqual(body);
  });

  it('serialises tools that are not frozen anew each time, so a change is never missed', () => {
    const tools = [tool('search_wines')];
    expect(JSON.parse(chatCompletionJson({ tools })).tools).toHaveLength(1);
    tools.push(tool('semantic_search'));
    expect(JSON.parse(chatCompletionJson({ tools })).tools).toHaveLength(2);
  });
});
