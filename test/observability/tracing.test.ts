import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createObservability } from '../../src/observability/langfuse.js';
import type { Observability, RequestTrace, UpstreamTraceContext } from '../../src/observability/types.js';
import type { ChatMessage, ToolDefinition } from '../../src/shared/index.js';
import { automaticScoreId } from '../../src/observability/score-id.js';
import { startLangfuseReceiver } from '../support/langfuse-receiver.js';
import type { LangfuseReceiver, ReceivedSpan } from '../support/langfuse-receiver.js';
import { assembleBoth } from '../support/trace-assembly.js';
import { isDescendantOf, jsonAttribute, KEYS, langfuseConfig, observationType, silentLogger } from './support.js';

let tempRoot: string;
let instances = 0;
/** Every Observability gets its own data dir: a spool left by one test must not feed the next. */
const deps = (): { dataDir: string; logger: typeof silentLogger; release: string } => ({
  dataDir: join(tempRoot, `instance-${(instances += 1)}`),
  logger: silentLogger,
  release: '9.9.9-test',
});

const SECRET_MESSAGE =
  'Red for steak please. My key is sk-or-v1-0123456789abcdef0123456789, mail jane.doe@example.com, call +33 6 12 34 56 78';

const TOOLS: ToolDefinition[] = [
  {
    type: 'function',
    function: { name: 'search_wines', description: 'Search the catalog', parameters: { type: 'object', properties: {} } },
  },
];

/** One simulated sommelier request: agent → generation → two parallel tools → generation → scores. */
async function simulateRequest(observability: Observability, upstream?: UpstreamTraceContext): Promise<string | null> {
  return observability.traceChat(
    { input: SECRET_MESSAGE, sessionId: 'session-42', userId: 'user-7', channel: 'api', upstream },
    async (trace: RequestTrace) => {
      const messages: ChatMessage[] = [
        { role: 'system', content: 'You are a sommelier.' },
        { role: 'user', content: SECRET_MESSAGE },
      ];
      await trace.generation(
        {
          engine: 'openai',
          model: 'openai/gpt-4o-mini',
          modelParameters: { temperature: 0.3, parallel_tool_calls: true, tool_choice: 'auto' },
          request: { messages, tools: TOOLS, toolChoice: 'auto' },
        },
        async (generation) => {
          generation.end({
            output: {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: 'call_1', type: 'function', function: { name: 'search_wines', arguments: '{"type":"red"}' } },
                { id: 'call_2', type: 'function', function: { name: 'get_wine', arguments: '{"id":999}' } },
              ],
            },
            responseModel: 'openai/gpt-4o-mini-2024-07-18',
            usage: { input: 120, output: 30, total: 150, cachedInput: 20 },
            costUsd: 0.00042,
            completionStartTime: new Date('2030-01-01T00:00:00.500Z'),
          });
        },
      );
      await Promise.all([
        trace.tool('search_wines', { type: 'red' }, async (tool) => {
          tool.end({ output: { count: 2, wines: [{ id: 1, name: 'Rioja Reserva' }, { id: 2, name: 'Barolo' }] } });
        }),
        trace.tool('get_wine', { id: 999 }, async (tool) => {
          tool.end({ output: { count: 0 }, error: 'wine 999 not found' });
        }),
      ]);
      await trace.generation(
        { engine: 'openai', model: 'openai/gpt-4o-mini', modelParameters: { temperature: 0.3 }, request: { messages, tools: TOOLS, toolChoice: 'auto' } },
        async (generation) => {
          generation.end({
            output: { role: 'assistant', content: 'Try the Rioja Reserva.' },
            usage: { input: 200, output: 50, total: 250, reasoning: 10 },
            costUsd: 0,
          });
        },
      );
      trace.score('grounded', 1);
      trace.score('constraint-satisfaction', 0.5, 'one of two');
      trace.finish({
        output: 'Try the Rioja Reserva. Questions? write to help@example.com',
        engine: 'openai',
        model: 'openai/gpt-4o-mini-2024-07-18',
        toolsUsed: ['search_wines', 'get_wine'],
        iterations: 2,
        language: 'en',
        recommendations: 1,
      });
      return trace.traceId;
    },
  );
}

describe('Langfuse tracing (real SDK → OTLP/HTTP → receiver)', () => {
  let receiver: LangfuseReceiver;
  let observability: Observability | null = null;

  beforeEach(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    tempRoot = await mkdtemp(join(tmpdir(), 'sommelier-tracing-'));
  });
  afterEach(async () => {
    await observability?.shutdown();
    observability = null;
    await receiver.close();
    await rm(tempRoot, { recursive: true, force: true });
  });

  describe('one simulated request', () => {
    let traceId: string;
    let spans: ReceivedSpan[];
    let root: ReceivedSpan;

    beforeEach(async () => {
      observability = createObservability(langfuseConfig(receiver), deps());
      const id = await simulateRequest(observability);
      if (!id) throw new Error('request was not traced');
      traceId = id;
      await observability.shutdown();
      spans = await receiver.waitFor((r) => r.spansByTrace(traceId).length >= 5 && r.spansByTrace(traceId));
      const roots = spans.filter((span) => span.parentSpanId === null);
      expect(roots).toHaveLength(1);
      root = roots[0]!;
    });

    it('exports one trace whose root is the agent and whose generations and tools are its descendants', () => {
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(receiver.traceIds()).toEqual([traceId]);
      expect(spans).toHaveLength(5);
      expect(root.name).toBe('sommelier-chat');
      expect(observationType(root)).toBe('agent');
      const generations = spans.filter((span) => observationType(span) === 'generation');
      const tools = spans.filter((span) => observationType(span) === 'tool');
      expect(generations).toHaveLength(2);
      expect(tools.map((span) => span.name).sort()).toEqual(['get_wine', 'search_wines']);
      for (const span of [...generations, ...tools]) expect(isDescendantOf(spans, span, root.spanId)).toBe(true);
      // Parallel tools are siblings under the agent, not nested in each other.
      for (const tool of tools) expect(tool.parentSpanId).toBe(root.spanId);
      expect(receiver.requests.filter((r) => r.path === '/api/public/otel/v1/traces').every((r) => r.authorized)).toBe(true);
    });

    it('records model, parameters, usage, cost, completion start and ChatML input on generations', () => {
      const [first, second] = spans
        .filter((span) => observationType(span) === 'generation')
        .sort((a, b) => a.startMs - b.startMs);
      expect(first?.attributes['langfuse.observation.model.name']).toBe('openai/gpt-4o-mini-2024-07-18');
      expect(first?.attributes['gen_ai.request.model']).toBe('openai/gpt-4o-mini');
      expect(jsonAttribute(first, 'langfuse.observation.model.parameters')).toEqual({
        temperature: 0.3,
        parallel_tool_calls: 'true',
        tool_choice: 'auto',
      });
      expect(jsonAttribute(first, 'langfuse.observation.usage_details')).toEqual({
        input: 100,
        input_cached_tokens: 20,
        output: 30,
        total: 150,
      });
      expect(jsonAttribute(first, 'langfuse.observation.cost_details')).toEqual({ total: 0.00042 });
      expect(jsonAttribute(first, 'langfuse.observation.completion_start_time')).toBe('2030-01-01T00:00:00.500Z');
      const input = jsonAttribute(first, 'langfuse.observation.input') as { messages: { role: string }[]; tools: unknown[] };
      expect(input.messages.map((m) => m.role)).toEqual(['system', 'user']);
      expect(input.tools).toEqual(TOOLS);
      const output = jsonAttribute(first, 'langfuse.observation.output') as { tool_calls: { function: { name: string } }[] };
      expect(output.tool_calls.map((call) => call.function.name)).toEqual(['search_wines', 'get_wine']);

      expect(second?.attributes['langfuse.observation.model.name']).toBe('openai/gpt-4o-mini');
      expect(jsonAttribute(second, 'langfuse.observation.usage_details')).toEqual({
        input: 200,
        output: 40,
        output_reasoning_tokens: 10,
        total: 250,
      });
      expect(jsonAttribute(second, 'langfuse.observation.cost_details')).toEqual({ total: 0 });
    });

    it('records tool input and output, and a failed tool as level ERROR', () => {
      const search = spans.find((span) => span.name === 'search_wines');
      const failed = spans.find((span) => span.name === 'get_wine');
      expect(jsonAttribute(search, 'langfuse.observation.input')).toEqual({ type: 'red' });
      expect(jsonAttribute(search, 'langfuse.observation.output')).toMatchObject({ count: 2 });
      expect(search?.attributes['langfuse.observation.level']).toBeUndefined();
      expect(failed?.attributes['langfuse.observation.level']).toBe('ERROR');
      expect(failed?.attributes['langfuse.observation.status_message']).toBe('wine 999 not found');
      expect(failed?.status).toEqual({ code: 2, message: 'wine 999 not found' });
    });

    it('puts session, user, trace name, tags, environment and release where Langfuse reads them', () => {
      for (const span of spans) {
        expect(span.attributes['session.id']).toBe('session-42');
        expect(span.attributes['user.id']).toBe('user-7');
        expect(span.attributes['langfuse.trace.name']).toBe('sommelier-chat');
        expect(span.attributes['langfuse.environment']).toBe('test');
        expect(span.attributes['langfuse.release']).toBe('9.9.9-test');
        expect(span.scope.name).toBe('langfuse-sdk');
      }
      expect(root.attributes['langfuse.trace.tags']).toEqual(['channel:api', 'engine:openai']);
      // Children carry no tags: the engine is known only at the end, and Langfuse v4 takes the tags of
      // whichever row is written last.
      for (const span of spans.filter((span) => span !== root)) expect(span.attributes['langfuse.trace.tags']).toBeUndefined();
      expect(root.resource['service.name']).toBe('sommelier');
    });

    it('assembles into the same whole trace under Langfuse v3 and v4 rules', () => {
      for (const assembled of Object.values(assembleBoth(spans))) {
        expect(assembled.conflicts).toEqual([]);
        expect(assembled).toMatchObject({
          name: 'sommelier-chat',
          tags: ['channel:api', 'engine:openai'],
          sessionId: 'session-42',
          userId: 'user-7',
          output: 'Try the Rioja Reserva. Questions? write to [REDACTED_EMAIL]',
          metadata: { tool_used: 'search_wines,get_wine', iterations: '2', engine: 'openai', language: 'en' },
        });
        expect(assembled.input).toContain('Red for steak please.');
      }
    });

    it('sets trace metadata to filter on, as langfuse.trace.metadata.<key> strings', () => {
      expect(root.attributes).toMatchObject({
        'langfuse.trace.metadata.tool_used': 'search_wines,get_wine',
        'langfuse.trace.metadata.iterations': '2',
        'langfuse.trace.metadata.language': 'en',
        'langfuse.trace.metadata.recommendations': '1',
        'langfuse.trace.metadata.engine': 'openai',
        'langfuse.trace.metadata.model': 'openai/gpt-4o-mini-2024-07-18',
      });
    });

    it('masks API keys, e-mail addresses and phone numbers in inputs and outputs', () => {
      const everything = JSON.stringify(spans.map((span) => span.attributes));
      expect(everything).not.toContain('sk-or-v1-0123456789abcdef');
      expect(everything).not.toContain('jane.doe@example.com');
      expect(everything).not.toContain('help@example.com');
      expect(everything).not.toContain('+33 6 12 34 56 78');
      expect(root.attributes['langfuse.observation.input']).toBe(
        'Red for steak please. My key is [REDACTED_API_KEY], mail [REDACTED_EMAIL], call [REDACTED_PHONE]',
      );
      expect(root.attributes['langfuse.trace.input']).toBe(root.attributes['langfuse.observation.input']);
      expect(root.attributes['langfuse.trace.output']).toBe('Try the Rioja Reserva. Questions? write to [REDACTED_EMAIL]');
      const generation = spans.find((span) => observationType(span) === 'generation');
      const input = jsonAttribute(generation, 'langfuse.observation.input') as { messages: { content: string }[] };
      expect(input.messages[1]?.content).toContain('[REDACTED_EMAIL]');
    });

    it('sends the automatic scores for the trace with deterministic ids', () => {
      const scores = [...receiver.scores].sort((a, b) => a.name.localeCompare(b.name));
      expect(scores).toEqual([
        expect.objectContaining({
          id: automaticScoreId(traceId, 'constraint-satisfaction'),
          traceId,
          name: 'constraint-satisfaction',
          value: 0.5,
          comment: 'one of two',
          dataType: 'NUMERIC',
        }),
        expect.objectContaining({ id: automaticScoreId(traceId, 'grounded'), traceId, name: 'grounded', value: 1 }),
      ]);
    });
  });

  it('continues a trusted caller traceparent: same trace id, the agent is a child of the caller span', async () => {
    observability = createObservability(langfuseConfig(receiver), deps());
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const traceId = await simulateRequest(observability, { traceparent: `00-${callerTrace}-${callerSpan}-01`, trusted: true });
    expect(traceId).toBe(callerTrace);
    await observability.shutdown();
    const spans = await receiver.waitFor((r) => r.spansByTrace(callerTrace).length >= 5 && r.spansByTrace(callerTrace));
    const agent = spans.find((span) => observationType(span) === 'agent');
    expect(agent?.parentSpanId).toBe(callerSpan);
    expect(receiver.traceIds()).toEqual([callerTrace]);
  });

  it('a request is its own trace even inside an active span; nestInActiveSpan makes it that span\'s child', async () => {
    // The eval's experiment runner is the one caller that runs requests inside its own span; AsyncLocalStorage
    // carries that span across the awaits before the request starts (registered here as the eval gets it).
    const manager = new AsyncLocalStorageContextManager().enable();
    const registered = context.setGlobalContextManager(manager);
    const callerTrace = 'ab'.repeat(16);
    const callerSpan = 'cd'.repeat(8);
    const inCallerSpan = <T>(fn: () => Promise<T>): Promise<T> =>
      context.with(trace.setSpanContext(ROOT_CONTEXT, { traceId: callerTrace, spanId: callerSpan, traceFlags: TraceFlags.SAMPLED, isRemote: true }), async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return fn();
      });
    try {
      const own = createObservability(langfuseConfig(receiver), deps());
      const ownTraceId = await inCallerSpan(() => simulateRequest(own));
      await own.shutdown();
      observability = createObservability(langfuseConfig(receiver), { ...deps(), nestInActiveSpan: true });
      const nestedTraceId = await inCallerSpan(() => simulateRequest(observability!));
      await observability.shutdown();

      expect(ownTraceId).not.toBe(callerTrace);
      const ownSpans = await receiver.waitFor((r) => r.spansByTrace(ownTraceId!).length >= 5 && r.spansByTrace(ownTraceId!));
      expect(ownSpans.find((span) => observationType(span) === 'agent')?.parentSpanId).toBeNull();
      expect(nestedTraceId).toBe(callerTrace);
      const nestedSpans = await receiver.waitFor((r) => r.spansByTrace(callerTrace).length >= 5 && r.spansByTrace(callerTrace));
      expect(nestedSpans.find((span) => observationType(span) === 'agent')?.parentSpanId).toBe(callerSpan);
      // Both ways, every span carries the trace's name, session and user.
      for (const span of [...ownSpans, ...nestedSpans]) {
        expect(span.attributes).toMatchObject({ 'langfuse.trace.name': 'sommelier-chat', 'session.id': 'session-42', 'user.id': 'user-7' });
      }
    } finally {
      if (registered) context.disable();
      manager.disable();
    }
  });

  it('an untrusted traceparent starts our own whole trace, recorded as a link and metadata', async () => {
    observability = createObservability(langfuseConfig(receiver), deps());
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traceId = await simulateRequest(observability, { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01`, trusted: false });
    expect(traceId).not.toBeNull();
    expect(traceId).not.toBe(callerTrace);
    await observability.shutdown();
    const spans = await receiver.waitFor((r) => r.spansByTrace(traceId!).length >= 5 && r.spansByTrace(traceId!));
    expect(receiver.traceIds()).toEqual([traceId]);
    for (const assembled of Object.values(assembleBoth(spans))) {
      expect(assembled.parentless.map((span) => span.name)).toEqual(['sommelier-chat']);
      expect(assembled.conflicts).toEqual([]);
      expect(assembled.metadata).toMatchObject({ upstream_trace_id: callerTrace, engine: 'openai' });
      expect(assembled.output).toContain('Try the Rioja Reserva.');
    }
  });

  it('an untrusted sampled flag neither skips nor forces tracing', async () => {
    observability = createObservability(langfuseConfig(receiver), deps());
    const notSampled = await simulateRequest(observability, { traceparent: `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-00`, trusted: false });
    expect(notSampled).toMatch(/^[0-9a-f]{32}$/);
    await observability.shutdown();
    const never = createObservability(langfuseConfig(receiver, { sampleRate: 0 }), deps());
    const forced = await simulateRequest(never, { traceparent: `00-${'ef'.repeat(16)}-${'cd'.repeat(8)}-01`, trusted: false });
    expect(forced).toBeNull();
    await never.shutdown();
    await receiver.waitFor((r) => r.spansByTrace(notSampled!).length >= 5);
    expect(receiver.traceIds()).toEqual([notSampled]);
  });

  it('traceOutbound hands out a traceparent the backend continues; the bot span carries the whole trace', async () => {
    observability = createObservability(langfuseConfig(receiver), deps());
    const tracing = observability;
    const outcome = {
      output: 'Rioja Reserva',
      engine: 'offline',
      model: 'sommelier-offline',
      toolsUsed: ['search_wines'],
      iterations: 2,
      language: 'en',
      recommendations: 1,
    };
    const start = { input: 'hello', sessionId: 'tg:1:0', userId: 'tg-user', channel: 'telegram' } as const;
    const { outboundTraceId, backendTraceId } = await tracing.traceOutbound(start, async (outbound) => {
      expect(outbound.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      // The backend (another Observability instance in real life) continues from the header only.
      const backendTraceId = await tracing.traceChat(
        { ...start, upstream: { traceparent: outbound.traceparent!, trusted: true } },
        async (trace) => {
          trace.finish(outcome);
          return trace.traceId;
        },
      );
      outbound.finish(outcome);
      return { outboundTraceId: outbound.traceId, backendTraceId };
    });
    expect(backendTraceId).toBe(outboundTraceId);
    await observability.shutdown();
    const spans = await receiver.waitFor((r) => r.spansByTrace(outboundTraceId ?? '').length >= 2 && r.spansByTrace(outboundTraceId ?? ''));
    const outbound = spans.find((span) => span.name === 'telegram-update');
    const agent = spans.find((span) => span.name === 'sommelier-chat');
    expect(outbound?.parentSpanId).toBeNull();
    expect(observationType(outbound!)).toBe('span');
    expect(agent?.parentSpanId).toBe(outbound?.spanId);
    for (const assembled of Object.values(assembleBoth(spans))) {
      expect(assembled.conflicts).toEqual([]);
      expect(assembled).toMatchObject({
        name: 'sommelier-chat',
        tags: ['channel:telegram', 'engine:offline'],
        sessionId: 'tg:1:0',
        userId: 'tg-user',
        input: 'hello',
        output: 'Rioja Reserva',
        metadata: { tool_used: 'search_wines', iterations: '2', engine: 'offline', language: 'en', recommendations: '1' },
      });
    }
  });

  it('two instances in one process (bot and backend) each export only their own spans', async () => {
    const other = await startLangfuseReceiver(KEYS);
    observability = createObservability(langfuseConfig(receiver), deps());
    const second = createObservability(langfuseConfig(other), deps());
    try {
      const first = await simulateRequest(observability);
      const fromSecond = await simulateRequest(second);
      await Promise.all([observability.shutdown(), second.shutdown()]);
      await receiver.waitFor((r) => r.spansByTrace(first ?? '').length === 5);
      await other.waitFor((r) => r.spansByTrace(fromSecond ?? '').length === 5);
      expect(receiver.traceIds()).toEqual([first]);
      expect(other.traceIds()).toEqual([fromSecond]);
    } finally {
      await second.shutdown();
      await other.close();
    }
  });

  it('marks the agent ERROR and rethrows when the run fails; a failing generation is ERROR too', async () => {
    observability = createObservability(langfuseConfig(receiver), deps());
    let traceId: string | null = null;
    const failure = observability.traceChat(
      { input: 'hi', sessionId: 's', userId: null, channel: 'cli' },
      async (trace) => {
        traceId = trace.traceId;
        await trace.generation(
          { engine: 'openai', model: 'm', modelParameters: {}, request: { messages: [], tools: [], toolChoice: 'auto' } },
          async () => {
            throw new Error('upstream 502 for key sk-proj-abcdefghijklmnop1234');
          },
        );
      },
    );
    await expect(failure).rejects.toThrow('upstream 502');
    await observability.shutdown();
    const spans = await receiver.waitFor((r) => (traceId !== null && r.spansByTrace(traceId).length >= 2 ? r.spansByTrace(traceId) : null));
    for (const span of spans) {
      expect(span.attributes['langfuse.observation.level']).toBe('ERROR');
      expect(span.status.code).toBe(2);
      expect(span.attributes['langfuse.observation.status_message']).toBe('Error: upstream 502 for key [REDACTED_API_KEY]');
      expect(span.attributes['user.id']).toBeUndefined();
    }
  });

  it('with masking off, inputs are sent unchanged', async () => {
    observability = createObservability(langfuseConfig(receiver, { masking: false }), deps());
    const traceId = await observability.traceChat(
      { input: SECRET_MESSAGE, sessionId: 's', userId: null, channel: 'web' },
      async (trace) => trace.traceId,
    );
    await observability.shutdown();
    const [root] = await receiver.waitFor((r) => (traceId !== null && r.spansByTrace(traceId).length >= 1 ? r.spansByTrace(traceId) : null));
    expect(root?.attributes['langfuse.observation.input']).toBe(SECRET_MESSAGE);
  });

  it('sample rate 0: traceId is null and nothing is sent', async () => {
    observability = createObservability(langfuseConfig(receiver, { sampleRate: 0 }), deps());
    const traceIds = await Promise.all([simulateRequest(observability), simulateRequest(observability)]);
    expect(traceIds).toEqual([null, null]);
    const outbound = await observability.traceOutbound(
      { input: 'x', sessionId: 's', userId: null, channel: 'telegram' },
      async ({ traceId, traceparent }) => ({ traceId, traceparent }),
    );
    expect(outbound).toEqual({ traceId: null, traceparent: null });
    await observability.shutdown();
    expect(receiver.spans).toHaveLength(0);
    expect(receiver.scores).toHaveLength(0);
    expect(receiver.requests.filter((r) => r.path !== '/api/public/health')).toHaveLength(0);
  });

  it('disabled: the no-op implementation, answers unchanged and nothing sent', async () => {
    observability = createObservability(langfuseConfig(receiver, { enabled: false }), deps());
    expect(observability.enabled).toBe(false);
    const traceId = await simulateRequest(observability);
    expect(traceId).toBeNull();
    expect(observability.traceUrl('a'.repeat(32))).toBeNull();
    expect(observability.stats().enabled).toBe(false);
    await observability.shutdown();
    expect(receiver.requests).toHaveLength(0);
  });

  it('builds the trace URL from the public URL and project id', () => {
    observability = createObservability(langfuseConfig(receiver, { projectId: 'proj-1' }), deps());
    expect(observability.traceUrl('ab'.repeat(16))).toBe(`http://langfuse.example.test/project/proj-1/traces/${'ab'.repeat(16)}`);
    const withoutProject = createObservability(langfuseConfig(receiver), deps());
    expect(withoutProject.traceUrl('ab'.repeat(16))).toBeNull();
    return withoutProject.shutdown();
  });

  // The SDK's own export timeout is 5 s: without our bound, shutdown would outlive this test's timeout.
  it('shutdown returns within its bound while Langfuse accepts connections but never answers', { timeout: 4_500 }, async () => {
    observability = createObservability(langfuseConfig(receiver, { shutdownFlushTimeoutMs: 200 }), deps());
    await receiver.setMode('hang');
    await simulateRequest(observability);
    await expect(observability.shutdown()).resolves.toBeUndefined();
    // A second call shares the first shutdown.
    await expect(observability.shutdown()).resolves.toBeUndefined();
  });
});
