import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { startLangfuseReceiver, type LangfuseReceiver, type ReceivedSpan } from '../support/langfuse-receiver.js';
import { sommelierResponder, startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';
import { assembleBoth } from '../support/trace-assembly.js';
import { isDescendantOf, jsonAttribute, KEYS, observationType } from './support.js';

const BOT_TOKEN = 'chat-trace-bot-token';

interface ChatBody {
  reply: string;
  answerId: string;
  sessionId: string;
  sessionToken: string | null;
  recommendations: { id: number; name: string }[];
  toolsUsed: string[];
  engine: string;
  model: string;
  traceId: string | null;
  traceUrl: string | null;
}

const WAIT_MS = 15_000;

/** All spans of a trace once its root (which ends last) has arrived. */
function completeTrace(receiver: LangfuseReceiver, traceId: string): Promise<ReceivedSpan[]> {
  return receiver.waitFor((r) => {
    const spans = r.spansByTrace(traceId);
    return spans.some((span) => span.parentSpanId === null) && spans;
  }, WAIT_MS);
}

async function chat(app: TestApp, body: Record<string, unknown>): Promise<{ body: ChatBody; header: string | null }> {
  const response = await app.post('/api/v1/chat', body);
  expect(response.status).toBe(200);
  return { body: (await response.json()) as ChatBody, header: response.headers.get('x-trace-id') };
}

describe('chat requests traced end to end (app on PGlite → receiver)', () => {
  let receiver: LangfuseReceiver;
  let dataDir: string;
  const tracingEnv = (): Record<string, string> => ({
    ...receiver.tracingEnv(),
    LANGFUSE_PROJECT_ID: 'proj-test',
    LANGFUSE_TRACING_ENVIRONMENT: 'test',
    BOT_BACKEND_TOKEN: BOT_TOKEN,
    DATA_DIR: dataDir,
  });

  beforeAll(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    // One database for the whole file: apps run one after another and reopen it (initdb once).
    dataDir = await mkdtemp(join(tmpdir(), 'sommelier-chat-trace-'));
  });
  afterAll(async () => {
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('offline engine', () => {
    let app: TestApp;
    let traced: { body: ChatBody; header: string | null };
    let traceId: string;
    let spans: ReceivedSpan[];

    beforeAll(async () => {
      app = await startTestApp({ ...tracingEnv(), LLM_PROVIDER: 'offline' });
      traced = await chat(app, {
        message: 'Red wine for a beef steak please, my e-mail is jane.doe@example.com',
        userId: 'user-1',
      });
      if (!traced.body.traceId) throw new Error('the chat response carries no traceId');
      traceId = traced.body.traceId;
      spans = await completeTrace(receiver, traceId);
    });
    afterAll(() => app.dispose());

    it('returns the exported trace id in the body, the X-Trace-Id header and the trace link', () => {
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traced.header).toBe(traceId);
      expect(traced.body.traceUrl).toBe(`${receiver.url}/project/proj-test/traces/${traceId}`);
      expect(receiver.traceIds()).toEqual([traceId]);
    });

    it('exports one agent root with the offline generations (cost 0) and tools beneath it', () => {
      const roots = spans.filter((span) => span.parentSpanId === null);
      expect(roots).toHaveLength(1);
      const root = roots[0]!;
      expect(observationType(root)).toBe('agent');
      expect(root.name).toBe('sommelier-chat');

      const generations = spans.filter((span) => observationType(span) === 'generation');
      expect(generations.length).toBeGreaterThanOrEqual(1);
      for (const generation of generations) {
        expect(isDescendantOf(spans, generation, root.spanId)).toBe(true);
        expect(generation.attributes['langfuse.observation.model.name']).toBe('sommelier-offline');
        expect(jsonAttribute(generation, 'langfuse.observation.cost_details')).toEqual({ total: 0 });
        // What the offline engine reads: the conversation and the names of the tools it may call.
        const input = jsonAttribute(generation, 'langfuse.observation.input') as { messages: { role: string }[]; tools: unknown[] };
        expect(input.messages[0]).toMatchObject({ role: 'user' });
        expect(input.messages.map((message) => message.role)).not.toContain('system');
        for (const tool of input.tools) expect(typeof tool).toBe('string');
      }
      const offered = generations.flatMap((generation) => (jsonAttribute(generation, 'langfuse.observation.input') as { tools: string[] }).tools);
      expect(offered).toContain('search_wines');
      const tools = spans.filter((span) => observationType(span) === 'tool');
      expect(tools.map((span) => span.name)).toContain('search_wines');
      for (const tool of tools) expect(tool.parentSpanId).toBe(root.spanId);
      expect(traced.body.toolsUsed.sort()).toEqual([...new Set(tools.map((span) => span.name))].sort());
    });

    it('carries session, user, tags, metadata and masked input on the trace', () => {
      const root = spans.find((span) => span.parentSpanId === null)!;
      // The session the server issued (a caller's own id would not be trusted).
      expect(root.attributes['session.id']).toBe(traced.body.sessionId);
      expect(traced.body.sessionId).toMatch(/^s_/);
      expect(root.attributes['user.id']).toBe('user-1');
      expect(root.attributes['langfuse.trace.tags']).toEqual(['channel:api', 'engine:offline']);
      expect(root.attributes['langfuse.trace.metadata.engine']).toBe('offline');
      expect(root.attributes['langfuse.trace.metadata.tool_used']).toBe(traced.body.toolsUsed.join(','));
      expect(root.attributes['langfuse.trace.metadata.language']).toBe('en');
      expect(root.attributes['langfuse.trace.metadata.recommendations']).toBe(String(traced.body.recommendations.length));
      expect(root.attributes['langfuse.observation.input']).toBe('Red wine for a beef steak please, my e-mail is [REDACTED_EMAIL]');
      expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain('jane.doe@example.com');
    });

    it('assembles into one whole trace under Langfuse v3 and v4 rules', () => {
      for (const assembled of Object.values(assembleBoth(spans))) {
        expect(assembled.conflicts).toEqual([]);
        expect(assembled.parentless.map((span) => span.name)).toEqual(['sommelier-chat']);
        expect(assembled).toMatchObject({
          name: 'sommelier-chat',
          tags: ['channel:api', 'engine:offline'],
          sessionId: traced.body.sessionId,
          userId: 'user-1',
          input: 'Red wine for a beef steak please, my e-mail is [REDACTED_EMAIL]',
          output: traced.body.reply,
          metadata: { engine: 'offline', language: 'en', tool_used: traced.body.toolsUsed.join(','), iterations: expect.any(String) },
        });
      }
    });

    it("an unauthenticated caller's traceparent starts our own trace and cannot switch tracing off", async () => {
      const callerTrace = 'ab'.repeat(16);
      const response = await app.post('/api/v1/chat', { message: 'white wine for fish', sessionId: 'foreign-tp' }, {
        traceparent: `00-${callerTrace}-${'cd'.repeat(8)}-00`,
      });
      const body = (await response.json()) as ChatBody;
      expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(body.traceId).not.toBe(callerTrace);
      const spans = await completeTrace(receiver, body.traceId!);
      expect(receiver.spansByTrace(callerTrace)).toEqual([]);
      for (const assembled of Object.values(assembleBoth(spans))) {
        expect(assembled.conflicts).toEqual([]);
        expect(assembled.metadata).toMatchObject({ upstream_trace_id: callerTrace, engine: 'offline' });
        expect(assembled.output).toBe(body.reply);
      }
    });

    it("our bot's traceparent (with BOT_BACKEND_TOKEN) is continued", async () => {
      const callerTrace = 'ef'.repeat(16);
      const response = await app.post('/api/v1/chat', { message: 'white wine for fish', sessionId: 'tg:77:0', channel: 'telegram' }, {
        traceparent: `00-${callerTrace}-${'cd'.repeat(8)}-01`,
        'x-sommelier-bot-token': BOT_TOKEN,
      });
      const body = (await response.json()) as ChatBody;
      expect(body.traceId).toBe(callerTrace);
      const spans = await receiver.waitFor((r) => r.spansByTrace(callerTrace).some((span) => span.name === 'sommelier-chat') && r.spansByTrace(callerTrace), WAIT_MS);
      expect(spans.find((span) => span.name === 'sommelier-chat')?.parentSpanId).toBe('cd'.repeat(8));
      // A wrong token is no token.
      const forged = await app.post('/api/v1/chat', { message: 'white wine for fish', sessionId: 'forged-tp' }, {
        traceparent: `00-${'12'.repeat(16)}-${'cd'.repeat(8)}-01`,
        'x-sommelier-bot-token': `${BOT_TOKEN}x`,
      });
      const forgedBody = (await forged.json()) as ChatBody;
      expect(forgedBody.traceId).not.toBe('12'.repeat(16));
      // Its own trace is exported in the background; let it land so later tests count only their own.
      await completeTrace(receiver, forgedBody.traceId!);
    });

    it('sends the automatic scores on the trace', async () => {
      const grounded = await receiver.waitFor(
        (r) => r.scores.find((score) => score.traceId === traceId && score.name === 'grounded'),
        WAIT_MS,
      );
      expect(grounded.value).toBeGreaterThanOrEqual(0);
      expect(grounded.value).toBeLessThanOrEqual(1);
    });

    it('turns POST /api/v1/feedback into a user-feedback score on that trace', async () => {
      const response = await app.post('/api/v1/feedback', {
        sessionId: traced.body.sessionId,
        sessionToken: traced.body.sessionToken,
        answerId: traced.body.answerId,
        value: -1,
        comment: 'too expensive',
      });
      expect(response.status).toBe(200);
      const score = await receiver.waitFor(
        (r) => r.scores.find((s) => s.traceId === traceId && s.name === 'user-feedback'),
        WAIT_MS,
      );
      expect(score).toMatchObject({ value: -1, comment: 'too expensive' });
    });

    it('makes one trace per request', async () => {
      const before = receiver.traceIds().length;
      const [a, b] = await Promise.all([
        chat(app, { message: 'white wine for oysters', sessionId: 'trace-offline-2' }),
        chat(app, { message: 'white wine for oysters', sessionId: 'trace-offline-3' }),
      ]);
      expect(a.body.traceId).not.toBe(b.body.traceId);
      await completeTrace(receiver, a.body.traceId!);
      await completeTrace(receiver, b.body.traceId!);
      expect(receiver.traceIds()).toHaveLength(before + 2);
    });
  });

  it('tracing disabled: nothing is sent and the answer is the same', async () => {
    const message = 'Red wine for a beef steak please';
    const tracedApp = await startTestApp({ ...tracingEnv(), LLM_PROVIDER: 'offline' });
    const traced = await chat(tracedApp, { message, sessionId: 'compare-on' });
    await tracedApp.dispose();

    receiver.reset();
    const plainApp = await startTestApp({ DATA_DIR: dataDir, LLM_PROVIDER: 'offline', LANGFUSE_BASE_URL: receiver.url });
    try {
      const plain = await chat(plainApp, { message, sessionId: 'compare-off' });
      expect(plain.body.traceId).toBeNull();
      expect(plain.header).toBeNull();
      expect(plain.body.reply).toBe(traced.body.reply);
      expect(plain.body.recommendations).toEqual(traced.body.recommendations);
      // Votes are stored without tracing too.
      const feedback = await plainApp.post('/api/v1/feedback', {
        sessionId: plain.body.sessionId,
        sessionToken: plain.body.sessionToken,
        answerId: plain.body.answerId,
        value: 1,
      });
      expect(feedback.status).toBe(200);
    } finally {
      await plainApp.dispose();
    }
    expect(receiver.requests).toHaveLength(0);
  });

  describe('OpenAI-compatible engine reporting usage.cost', () => {
    let llm: ScriptedLlm;
    let app: TestApp;

    beforeAll(async () => {
      llm = await startScriptedLlm();
      llm.fallback(sommelierResponder({ cost: 0.0012 }));
      app = await startTestApp({
        ...tracingEnv(),
        LLM_PROVIDER: 'openai',
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: 'sk-test-scripted-0000000000',
        LLM_MODEL: 'scripted/requested-model',
      });
    });
    afterAll(async () => {
      await app.dispose();
      await llm.close();
    });

    it('asks for one whole answer when the caller does not stream, and streams for the time to first token with LANGFUSE_TIME_TO_FIRST_TOKEN=true', async () => {
      llm.requests.length = 0;
      const { body } = await chat(app, { message: 'red wine for beef' });
      expect(llm.requests.map((request) => request.body.stream)).toEqual([undefined, undefined]);
      const generations = (await completeTrace(receiver, body.traceId!)).filter((span) => observationType(span) === 'generation');
      expect(generations).toHaveLength(2);
      for (const generation of generations) {
        expect(generation.attributes['langfuse.observation.completion_start_time']).toBeUndefined();
        expect(jsonAttribute(generation, 'langfuse.observation.cost_details')).toEqual({ total: 0.0012 });
      }

      const timedApp = await startTestApp({
        ...tracingEnv(),
        LLM_PROVIDER: 'openai',
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: 'sk-test-scripted-0000000000',
        LANGFUSE_TIME_TO_FIRST_TOKEN: 'true',
      });
      try {
        llm.requests.length = 0;
        const streamed = await chat(timedApp, { message: 'red wine for beef' });
        expect(llm.requests.map((request) => request.body.stream)).toEqual([true, true]);
        const timed = (await completeTrace(receiver, streamed.body.traceId!)).filter((span) => observationType(span) === 'generation');
        expect(timed).toHaveLength(2);
        for (const generation of timed) expect(generation.attributes['langfuse.observation.completion_start_time']).toBeDefined();
      } finally {
        await timedApp.dispose();
        llm.requests.length = 0;
      }
    });

    it('records each LLM call as a generation with the provider cost, tokens and both model names', async () => {
      const { body } = await chat(app, { message: 'red wine for beef', sessionId: 'trace-llm-1' });
      expect(body.engine).toBe('openai');
      const spans = await completeTrace(receiver, body.traceId!);
      const generations = spans.filter((span) => observationType(span) === 'generation');
      expect(generations).toHaveLength(llm.requests.length);
      expect(generations.length).toBeGreaterThanOrEqual(2);
      for (const generation of generations) {
        expect(jsonAttribute(generation, 'langfuse.observation.cost_details')).toEqual({ total: 0.0012 });
        expect(jsonAttribute(generation, 'langfuse.observation.usage_details')).toEqual({ input: 420, output: 60, total: 480 });
        expect(generation.attributes['langfuse.observation.model.name']).toBe('scripted/model-1');
        expect(generation.attributes['gen_ai.request.model']).toBe('scripted/requested-model');
        const input = jsonAttribute(generation, 'langfuse.observation.input') as { messages: { role: string }[]; tools: unknown[] };
        expect(input.messages.length).toBeGreaterThanOrEqual(2);
        // An LLM reads everything sent: the system prompt, and the tools.
        expect(input.messages[0]).toMatchObject({ role: 'system' });
      }
      // The tools' full definitions once per trace, on its first generation; the later ones name them.
      const inOrder = [...generations].sort((a, b) => a.startMs - b.startMs);
      const offered = inOrder.map((generation) => (jsonAttribute(generation, 'langfuse.observation.input') as { tools: unknown[] }).tools);
      expect(offered[0]!.length).toBeGreaterThan(0);
      for (const tool of offered[0]!) expect(tool).toMatchObject({ type: 'function', function: { parameters: expect.any(Object) } });
      for (const later of offered.slice(1)) {
        expect(later).toEqual(offered[0]!.map((tool) => (tool as { function: { name: string } }).function.name));
      }
      const root = spans.find((span) => span.parentSpanId === null)!;
      expect(root.attributes['langfuse.trace.tags']).toEqual(['channel:api', 'engine:openai']);
      // The assistant's tool_calls reach the next generation's input in ChatML shape.
      const last = generations.sort((a, b) => a.startMs - b.startMs).at(-1);
      const lastInput = jsonAttribute(last, 'langfuse.observation.input') as {
        messages: { role: string; tool_calls?: { type: string; function: { name: string } }[] }[];
      };
      const assistant = lastInput.messages.find((message) => message.role === 'assistant' && message.tool_calls);
      expect(assistant?.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'search_wines' } });
      expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain('sk-test-scripted');
      for (const assembled of Object.values(assembleBoth(spans))) {
        expect(assembled.conflicts).toEqual([]);
        expect(assembled).toMatchObject({ name: 'sommelier-chat', tags: ['channel:api', 'engine:openai'], output: body.reply });
        expect(assembled.metadata).toMatchObject({ engine: 'openai', model: 'scripted/model-1', language: 'en' });
      }
    });

    it('shows each failed HTTP attempt that the client retried as an ERROR event inside the generation', async () => {
      llm.script([
        { status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'rate limited', code: 429 } } },
        { status: 503, headers: { 'retry-after': '0' }, body: { error: { message: 'overloaded', code: 503 } } },
      ]);
      const { body } = await chat(app, { message: 'white wine for oysters', sessionId: 'trace-llm-retry' });
      expect(body.engine).toBe('openai');
      const spans = await completeTrace(receiver, body.traceId!);
      const attempts = spans.filter((span) => span.name === 'llm-attempt-failed');
      expect(attempts.map((span) => jsonAttribute(span, 'langfuse.observation.input'))).toEqual([
        { attempt: 1, status: 429 },
        { attempt: 2, status: 503 },
      ]);
      const first = spans.filter((span) => observationType(span) === 'generation').sort((a, b) => a.startMs - b.startMs)[0]!;
      for (const attempt of attempts) {
        expect(observationType(attempt)).toBe('event');
        expect(attempt.parentSpanId).toBe(first.spanId);
        expect(attempt.attributes['langfuse.observation.level']).toBe('ERROR');
      }
      // The call itself succeeded on the third try.
      expect(first.attributes['langfuse.observation.level']).toBeUndefined();
    });

    it('a fallback to the offline engine is one whole trace tagged with the engine that answered', async () => {
      llm.script(Array.from({ length: 3 }, () => ({ status: 500, body: { error: { message: 'upstream down', code: 500 } } })));
      const { body } = await chat(app, { message: 'red wine for lamb', sessionId: 'trace-llm-fallback' });
      expect(body.engine).toBe('offline');
      const spans = await completeTrace(receiver, body.traceId!);
      for (const assembled of Object.values(assembleBoth(spans))) {
        expect(assembled.conflicts).toEqual([]);
        expect(assembled.tags).toEqual(['channel:api', 'engine:offline']);
        expect(assembled.metadata).toMatchObject({ engine: 'offline', fallback_reason: expect.stringContaining('500') });
        expect(assembled.output).toBe(body.reply);
      }
    });
  });
});
