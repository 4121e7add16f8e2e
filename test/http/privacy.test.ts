/**
 * Acceptance: nothing people type (e-mails, phones, cards, IBANs, keys, passwords…) leaves the service
 * in clear — not to Langfuse, not in the spool on disk, not in the logs — whether the offline engine or
 * an LLM answers, and in feedback comments too. And masking costs the same for a hostile message.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { startLangfuseReceiver, type LangfuseReceiver } from '../support/langfuse-receiver.js';
import { completion, startScriptedLlm, type ChatCompletionBody, type ScriptedLlm } from '../support/scripted-llm.js';
import { SENSITIVE_SAMPLES } from '../support/sensitive-samples.js';

const KEYS = { publicKey: 'pk-lf-privacy-test', secretKey: 'sk-lf-privacy-test' };
const EMAIL_USER = 'jane.doe@example.com';

interface ChatAnswer {
  traceId: string | null;
  reply: string;
  sessionId: string;
  sessionToken: string | null;
  answerId: string;
}

interface CapturedApp {
  app: RunningApp;
  dataDir: string;
  logs: string[];
  chat(body: Record<string, unknown>): Promise<ChatAnswer>;
  /** A 👎 with a comment on an answer, through the session contract (session pair + answer id). */
  feedback(answer: ChatAnswer, comment: string): Promise<number>;
  dispose(): Promise<void>;
}

/** The real service with its log lines kept, on a fresh embedded database. */
async function startCapturedApp(env: Record<string, string>): Promise<CapturedApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-privacy-'));
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', RATE_LIMIT_ENABLED: 'false', ...env, DATA_DIR: dataDir });
  const app = await startApp(config, { logger: createLogger('debug', 'sommelier', stream) });
  return {
    app,
    dataDir,
    logs,
    async chat(body) {
      const response = await fetch(`${app.url}/api/v1/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as ChatAnswer;
    },
    async feedback(answer, comment) {
      const response = await fetch(`${app.url}/api/v1/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: answer.sessionId, sessionToken: answer.sessionToken, answerId: answer.answerId, value: -1, comment }),
      });
      return response.status;
    },
    async dispose() {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every file under `dir`, as text (spool segments, dead letters, state). */
async function readTree(dir: string): Promise<string> {
  let text = '';
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return text;
  }
  for (const entry of entries) {
    if (entry.isFile()) text += await readFile(join(entry.parentPath, entry.name), 'utf8');
  }
  return text;
}

/** Everything the receiver was sent, the spool left on disk, and the log lines. */
async function everythingSent(receiver: LangfuseReceiver, captured: CapturedApp): Promise<string> {
  return [
    JSON.stringify(receiver.spans),
    JSON.stringify(receiver.scores),
    JSON.stringify(receiver.ingestionEvents),
    await readTree(join(captured.dataDir, 'trace-spool')),
    captured.logs.join(''),
  ].join('\n');
}

function expectNothingInClear(haystack: string): void {
  const leaked = SENSITIVE_SAMPLES.filter((sample) => haystack.includes(sample.secret)).map((sample) => sample.format);
  expect(leaked).toEqual([]);
}

const userText = (body: ChatCompletionBody): string => [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';

// The first two tests send ~30 chats and votes each, then wait for the export: up to minutes on a loaded
// 2-core machine, hence their own timeouts.
describe('no personal data or secret leaves in clear', () => {
  let receiver: LangfuseReceiver;
  let llm: ScriptedLlm;

  beforeAll(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    llm = await startScriptedLlm();
  });
  afterAll(async () => {
    await llm?.close();
    await receiver?.close();
  });

  it('through the offline engine: messages, a user id that is an e-mail, feedback comments', async () => {
    receiver.reset();
    const captured = await startCapturedApp({ ...receiver.tracingEnv(), LLM_PROVIDER: 'offline' });
    try {
      const answers: ChatAnswer[] = [];
      for (const sample of SENSITIVE_SAMPLES) {
        const answer = await captured.chat({ message: `Посоветуй красное вино к стейку. ${sample.text}`, userId: EMAIL_USER });
        expect(answer.traceId).not.toBeNull();
        answers.push(answer);
      }
      const traceIds = answers.map((answer) => answer.traceId!);
      for (const [i, sample] of SENSITIVE_SAMPLES.entries()) expect(await captured.feedback(answers[i]!, sample.text)).toBe(200);
      await receiver.waitFor((r) => traceIds.every((id) => r.spansByTrace(id).length > 0) && r.scores.filter((s) => s.name === 'user-feedback').length >= traceIds.length, 30_000);
      // Memory holds the masked text too: the message was masked where it entered.
      const { rows } = await captured.app.services.db.query<{ content: string }>("SELECT content FROM conversation_messages WHERE role = 'user'");
      expect(rows).toHaveLength(SENSITIVE_SAMPLES.length);
      expectNothingInClear(rows.map((row) => row.content).join('\n'));
      await captured.app.stop();

      const sent = await everythingSent(receiver, captured);
      expectNothingInClear(sent);
      expect(sent).not.toContain(EMAIL_USER);
      // The user is still one user in Langfuse, under a pseudonym.
      const userIds = new Set(receiver.spans.map((span) => span.attributes['user.id'] ?? span.attributes['langfuse.user.id']).filter(Boolean));
      expect([...userIds]).toEqual([expect.stringMatching(/^user:[0-9a-f]{16}$/)]);
      // What we send is still useful: the masked message shows what kind of data was there.
      expect(sent).toContain('[REDACTED_PHONE]');
      expect(sent).toContain('[REDACTED_IBAN]');
    } finally {
      await captured.dispose();
    }
  }, 240_000);

  it('through an LLM that echoes the user, calls a tool with the user text and adds data of its own', async () => {
    receiver.reset();
    llm.fallback((body) => {
      if (body.messages.at(-1)?.role === 'tool') {
        return {
          body: completion({
            content: `You said: ${userText(body)}. Reach our shop at +33698765432, shop@example.org, IBAN GB82 WEST 1234 5698 7654 32.`,
          }),
        };
      }
      return { body: completion({ tool_calls: [{ name: 'semantic_search', arguments: { query: userText(body) } }] }) };
    });
    const captured = await startCapturedApp({
      ...receiver.tracingEnv(),
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: 'sk-or-v1-llmkey0123456789abcdef',
      LLM_MAX_RETRIES: '0',
    });
    try {
      const traceIds: string[] = [];
      for (const sample of SENSITIVE_SAMPLES) {
        const answer = await captured.chat({ message: `Red wine for steak. ${sample.text}`, userId: EMAIL_USER });
        traceIds.push(answer.traceId!);
        expect(await captured.feedback(answer, sample.text)).toBe(200);
      }
      // The LLM never saw the data either.
      expectNothingInClear(JSON.stringify(llm.requests.map((request) => request.body)));

      // A provider error that echoes the API key: the answer falls back to the offline engine, and the
      // warning in the log and the failed attempt in the trace do not repeat the key.
      llm.script([{ status: 401, body: { error: { message: 'Incorrect API key provided: sk-or-v1-llmkey0123456789abcdef', code: 401 } } }]);
      const fallback = await captured.chat({ message: 'Red wine for steak. card 4111 1111 1111 1111' });
      traceIds.push(fallback.traceId!);

      await receiver.waitFor((r) => traceIds.every((id) => r.spansByTrace(id).length > 0) && r.scores.filter((s) => s.name === 'user-feedback').length >= SENSITIVE_SAMPLES.length, 30_000);
      await captured.app.stop();
      const sent = await everythingSent(receiver, captured);
      expectNothingInClear(sent);
      for (const own of ['33698765432', 'shop@example.org', 'WEST 1234', 'llmkey0123456789abcdef', EMAIL_USER]) expect(sent).not.toContain(own);
      expect(captured.logs.join('')).toMatch(/LLM failed after retries/);
    } finally {
      await captured.dispose();
    }
  }, 240_000);

  it('with MASK_USER_INPUT=false the raw message reaches memory, but traces are still masked (LANGFUSE_MASKING)', async () => {
    receiver.reset();
    const captured = await startCapturedApp({ ...receiver.tracingEnv(), LLM_PROVIDER: 'offline', MASK_USER_INPUT: 'false' });
    try {
      const { traceId } = await captured.chat({ message: 'Red wine for steak, write to jane.doe+wine@example.co.uk', userId: EMAIL_USER });
      const { rows } = await captured.app.services.db.query<{ content: string }>("SELECT content FROM conversation_messages WHERE role = 'user'");
      expect(rows[0]!.content).toContain('jane.doe+wine@example.co.uk');
      await receiver.waitFor((r) => r.spansByTrace(traceId!).some((span) => span.parentSpanId === null), 30_000);
      await captured.app.stop();
      const sent = await everythingSent(receiver, captured);
      expect(sent).not.toContain('jane.doe+wine@example.co.uk');
      expect(sent).not.toContain(EMAIL_USER);
      expect(sent).toMatch(/user:[0-9a-f]{16}/);
    } finally {
      await captured.dispose();
    }
  });

  it('keeps the credentials of LANGFUSE_BASE_URL out of the log when Langfuse refuses the keys', async () => {
    receiver.reset();
    const withCredentials = receiver.url.replace('http://', 'http://admin:s3cret-pass@');
    const captured = await startCapturedApp({
      ...receiver.tracingEnv(),
      LANGFUSE_BASE_URL: withCredentials,
      LANGFUSE_SECRET_KEY: 'sk-lf-wrong-key-000',
      LLM_PROVIDER: 'offline',
    });
    try {
      await captured.chat({ message: 'Red wine for steak' });
      await expect.poll(() => captured.logs.join(''), { timeout: 30_000 }).toMatch(/rejected the API keys/);
      const logs = captured.logs.join('');
      expect(logs).not.toContain('s3cret-pass');
      expect(logs).not.toContain('sk-lf-wrong-key-000');
      expect(logs).toContain('[REDACTED_CREDENTIALS]');
    } finally {
      await captured.dispose();
    }
  });
});

describe('masking costs the same for a hostile message', () => {
  let receiver: LangfuseReceiver;
  let captured: CapturedApp;

  beforeAll(async () => {
    receiver = await startLangfuseReceiver(KEYS);
    captured = await startCapturedApp({ ...receiver.tracingEnv(), LLM_PROVIDER: 'offline', LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await captured?.dispose();
    await receiver?.close();
  });

  it('an `aaaa…@` message of 4,000 characters costs about the CPU of a normal one of the same length', async () => {
    const normal = 'Посоветуй красное вино к стейку, что-нибудь из Италии или Франции. '.repeat(70).slice(0, 4000);
    const hostile = `${'a'.repeat(3999)}@`;
    // Each chat in a fresh session (none is sent), so no history grows on either side.
    const cpuOf = async (message: string): Promise<number> => {
      const before = process.cpuUsage();
      await captured.chat({ message });
      const used = process.cpuUsage(before);
      return used.user + used.system;
    };
    // Warm up both paths, then alternate; compare medians (a shared machine is noisy).
    await cpuOf(normal);
    await cpuOf(hostile);
    const normals: number[] = [];
    const hostiles: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      normals.push(await cpuOf(normal));
      hostiles.push(await cpuOf(hostile));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const ratio = median(hostiles) / median(normals);
    // Before the linear patterns this ratio was above 20 (~260 ms against ~10 ms).
    expect(ratio, `hostile ${median(hostiles)} µs, normal ${median(normals)} µs`).toBeLessThan(3);
  });
});
