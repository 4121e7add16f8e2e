import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.js';
import { sommelierResponder, startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';

describe('graceful shutdown', () => {
  let llm: ScriptedLlm;

  beforeAll(async () => {
    llm = await startScriptedLlm();
    llm.fallback(sommelierResponder({ delayMs: 400 }));
  });
  afterAll(() => llm.close());

  it('finishes a request in flight, then refuses new connections and closes the database', async () => {
    const app = await startTestApp({ LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.url, LLM_API_KEY: 'sk-test' });
    const inFlight = app.post('/api/v1/chat', { message: 'a red for steak' });
    // Wait until the model has the request, so the chat is really in flight when shutdown starts.
    while (llm.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const stopped = app.dispose();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { reply: string }).reply).toMatch(/picks/);
    await stopped;
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    await expect(app.sommelier.db.query('SELECT 1')).rejects.toThrow();
  });
});
