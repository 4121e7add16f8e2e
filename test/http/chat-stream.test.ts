/**
 * `POST /api/v1/chat` with `Accept: text/event-stream`: text deltas as the answer is written, then the
 * same JSON as the plain response. Against the real server, with the offline engine and with the real
 * openai SDK streaming from the scripted LLM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FALLBACK_NOTICE } from '../../src/agent/prompts.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startLangfuseReceiver, type LangfuseReceiver } from '../support/langfuse-receiver.js';
import { completion, startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';
import { readSse, type SseEvent } from '../support/sse.js';
import { KEYS, observationType } from '../observability/support.js';

interface Done {
  reply: string;
  answerId: string;
  sessionId: string;
  sessionToken: string | null;
  recommendations: { name: string }[];
  traceId: string | null;
  engine: string;
}

const streamChat = (app: TestApp, body: Record<string, unknown>) => app.post('/api/v1/chat', body, { accept: 'text/event-stream' });

/** The text a reader holds at the end: deltas appended, everything dropped at each `discard`. */
function shownText(events: SseEvent[]): string {
  let text = '';
  for (const event of events) {
    if (event.event === 'discard') text = '';
    if (event.event === 'delta') text += (event.data as { text: string }).text;
  }
  return text;
}

const doneOf = (events: SseEvent[]): Done => {
  const done = events.filter((event) => event.event === 'done');
  expect(done).toHaveLength(1);
  expect(events.at(-1)?.event).toBe('done');
  return done[0]!.data as Done;
};

describe('streamed chat, offline engine', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.dispose());

  it('streams the answer in pieces, then ends with the whole JSON answer', async () => {
    const response = await streamChat(app, { message: 'Посоветуй красное вино к стейку' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readSse(response);
    const deltas = events.filter((event) => event.event === 'delta');
    // Pieces, not one block, and they arrived in separate reads of the stream.
    expect(deltas.length).toBeGreaterThan(3);
    expect(new Set(deltas.map((event) => event.at)).size).toBeGreaterThan(1);
    const done = doneOf(events);
    expect(shownText(events)).toBe(done.reply);
    expect(done.recommendations.length).toBeGreaterThanOrEqual(3);
    expect(done.sessionId).toMatch(/^s_/);
    expect(done.answerId).toMatch(/^[0-9a-f-]{36}$/);

    // The same fields as the JSON answer, and the session continues on the pair the stream returned.
    const plain = await app.post('/api/v1/chat', { message: 'а из Италии?', sessionId: done.sessionId, sessionToken: done.sessionToken });
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    const json = (await plain.json()) as Done;
    expect(Object.keys(json).sort()).toEqual(Object.keys(done).sort());
    expect(json.sessionId).toBe(done.sessionId);
    expect(json.reply).toMatch(/Итали/);
  });

  it('answers a bad request with an ordinary JSON error, stream or not', async () => {
    const response = await streamChat(app, { message: '' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  it('counts a streamed answer on /metrics like any other', async () => {
    const read = async () =>
      Number(/^sommelier_chat_requests_total\{engine="offline",fallback="no"\} (\d+)$/m.exec(await (await app.get('/metrics')).text())?.[1] ?? 0);
    const before = await read();
    await readSse(await streamChat(app, { message: 'a light white for oysters' }));
    expect(await read()).toBe(before + 1);
  });
});

describe('streamed chat, LLM engine (openai SDK streaming from the scripted LLM), traced', () => {
  let llm: ScriptedLlm;
  let receiver: LangfuseReceiver;
  let app: TestApp;

  beforeAll(async () => {
    [llm, receiver] = await Promise.all([startScriptedLlm(), startLangfuseReceiver(KEYS)]);
    app = await startTestApp({
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: 'sk-test-stream-0000',
      LLM_MAX_RETRIES: '0',
      ...receiver.tracingEnv(),
    });
  });
  afterAll(async () => {
    await app?.dispose();
    await Promise.all([llm?.close(), receiver?.close()]);
  });

  it("streams only the final answer's text, and the generation records when its first token came", async () => {
    llm.script([
      // The model thinks aloud before calling a tool: that text is not the answer.
      { chunkDelayMs: 5, body: completion({ content: 'Let me look that up.', tool_calls: [{ name: 'search_wines', arguments: { type: 'red', pairing: 'beef', limit: 3 } }] }) },
      (body) => {
        const tool = body.messages.find((message) => message.role === 'tool');
        const names = ((JSON.parse(tool?.content ?? '{}') as { wines?: { name: string }[] }).wines ?? []).map((wine) => wine.name);
        return { chunkDelayMs: 5, body: completion({ content: `My picks: ${names.join(', ')}. Each loves a steak.` }, { usage: { prompt_tokens: 400, completion_tokens: 30, total_tokens: 430, cost: 0.0021 } }) };
      },
    ]);
    const events = await readSse(await streamChat(app, { message: 'red wine for a steak' }));
    const done = doneOf(events);
    expect(done.engine).toBe('openai');
    const kinds = events.map((event) => event.event);
    expect(kinds.indexOf('discard')).toBeGreaterThan(kinds.indexOf('delta'));
    expect(shownText(events)).toBe(done.reply);
    expect(done.reply).toMatch(/^My picks: /);
    expect(done.reply).not.toContain('Let me look');
    expect(llm.requests.every((request) => request.body.stream === true)).toBe(true);

    const spans = await receiver.waitFor((r) => {
      const trace = r.spansByTrace(done.traceId!);
      return trace.filter((span) => observationType(span) === 'generation').length === 2 && trace.some((s) => s.parentSpanId === null) && trace;
    }, 15_000);
    for (const generation of spans.filter((span) => observationType(span) === 'generation')) {
      const started = generation.attributes['langfuse.observation.completion_start_time'];
      expect(typeof started, JSON.stringify(Object.keys(generation.attributes))).toBe('string');
      const at = Date.parse(JSON.parse(started as string) as string);
      // Times in milliseconds (the span's are finer): the first token came between the call's start and end.
      expect(at).toBeGreaterThanOrEqual(Math.floor(generation.startMs));
      expect(at).toBeLessThanOrEqual(Math.ceil(generation.endMs));
    }
  });

  it('when the LLM fails, streams the fallback notice and the offline answer', async () => {
    llm.script([{ status: 500, body: { error: { message: 'upstream down', code: 500 } } }]);
    const events = await readSse(await streamChat(app, { message: 'red wine for lamb' }));
    const done = doneOf(events);
    expect(done.engine).toBe('offline');
    expect(done.reply.startsWith(FALLBACK_NOTICE.en)).toBe(true);
    expect(shownText(events)).toBe(done.reply);
  });
});
