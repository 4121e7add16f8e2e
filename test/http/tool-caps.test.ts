import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { startLangfuseReceiver, type LangfuseReceiver } from '../support/langfuse-receiver.js';
import { completion, startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';

const KEYS = { publicKey: 'pk-lf-caps-test', secretKey: 'sk-lf-caps-test' };

describe('tool calls are capped per model round and per request', () => {
  let receiver: LangfuseReceiver;
  let llm: ScriptedLlm;
  let app: TestApp;

  beforeAll(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    llm = await startScriptedLlm();
    app = await startTestApp({
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: 'sk-test-0123456789abcdef',
      AGENT_MAX_ITERATIONS: '6',
      AGENT_MAX_TOOL_CALLS_PER_ROUND: '8',
      AGENT_MAX_TOOL_CALLS_PER_REQUEST: '20',
      ...receiver.tracingEnv(),
    });
  });
  afterAll(async () => {
    await app?.dispose();
    await llm?.close();
    await receiver?.close();
  });

  it('runs at most 8 of 300 calls a round and 20 a request, answers the rest with errors, and shows it in the trace', async () => {
    // A model that asks for 300 searches every time it may call tools, and answers when it may not.
    llm.fallback((body) =>
      body.tool_choice === 'none'
        ? { body: completion({ content: 'Here is what I found.' }) }
        : {
            body: completion({
              tool_calls: Array.from({ length: 300 }, (_, i) => ({ name: 'search_wines', arguments: { type: 'red', limit: 1, offset: i } })),
            }),
          },
    );
    const response = await app.post('/api/v1/chat', { message: 'red wine for steak' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { reply: string; traceId: string; iterations: number };
    expect(body.reply).toBe('Here is what I found.');

    // Rounds run 8, 8 and 4 tools; then the budget is spent and the model must answer.
    expect(llm.requests.map((request) => request.body.tool_choice)).toEqual(['auto', 'auto', 'auto', 'none']);
    const toolMessages = (index: number) => llm.requests[index]!.body.messages.filter((m) => m.role === 'tool');
    const refusedIn = (index: number) => toolMessages(index).filter((m) => m.content?.includes('tool call limit reached')).length;
    // Every call got an answer (the API requires it); only the allowed ones ran.
    expect(toolMessages(1)).toHaveLength(300);
    expect(refusedIn(1)).toBe(292);
    expect(toolMessages(3)).toHaveLength(900);
    expect(refusedIn(3)).toBe(880);

    // Everything recorded reaches the receiver before the count: stopping flushes the trace.
    await app.stop();
    const spans = await receiver.waitFor((r) => {
      const trace = r.spansByTrace(body.traceId);
      return trace.some((span) => span.parentSpanId === null) ? trace : null;
    }, 30_000);
    const ran = spans.filter((span) => span.attributes['gen_ai.tool.name'] === 'search_wines');
    expect(ran).toHaveLength(20);
    const refused = spans.filter((span) => span.attributes['gen_ai.tool.name'] === 'tool-calls-refused');
    expect(refused).toHaveLength(3);
    for (const span of refused) {
      expect(span.attributes['langfuse.observation.level']).toBe('ERROR');
      expect(String(span.attributes['langfuse.observation.status_message'])).toMatch(/tool calls over the limit/);
    }
  });
});
