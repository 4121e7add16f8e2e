import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

/** A pino destination that keeps every line. */
export function captureLines(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

describe('log lines are masked', () => {
  it('masks messages, error messages and stacks, nested fields, URLs and child bindings', () => {
    const { stream, lines } = captureLines();
    const logger = createLogger('debug', 'test', stream);
    const providerError = Object.assign(new Error('401 Incorrect API key provided: sk-or-v1-0123456789abcdef0123'), {
      status: 401,
      error: { message: 'key sk-or-v1-0123456789abcdef0123 is invalid', user: 'me@example.com' },
    });
    logger.warn({ err: providerError, sessionId: 's1' }, 'LLM failed after retries');
    logger.error(new Error('cannot reach https://admin:s3cret@langfuse.example.com/api'));
    logger.info({ baseUrl: 'https://admin:s3cret@langfuse.example.com/', nested: { deep: ['call +33612345678'] } }, 'started');
    logger.child({ component: 'x', target: 'postgres://user:pw@db/x' }).info('user %s wrote', 'jane@example.com');
    const circular: Record<string, unknown> = { password: 'hunter2x' };
    circular.self = circular;
    logger.info({ circular }, 'circular');

    expect(lines).toHaveLength(5);
    const text = lines.join('\n');
    for (const secret of ['0123456789abcdef0123', 'me@example.com', 's3cret', '33612345678', ':pw@', 'jane@example.com', 'hunter2x']) {
      expect(text).not.toContain(secret);
    }
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ msg: 'LLM failed after retries', sessionId: 's1', err: { type: 'Error', status: 401 } });
    expect(parsed[1]).toMatchObject({ msg: 'cannot reach https://[REDACTED_CREDENTIALS]@langfuse.example.com/api' });
    expect(parsed[2]).toMatchObject({ baseUrl: 'https://[REDACTED_CREDENTIALS]@langfuse.example.com/', nested: { deep: ['call [REDACTED_PHONE]'] } });
    expect(parsed[3]).toMatchObject({ component: 'x', msg: 'user [REDACTED_EMAIL] wrote' });
    expect(parsed[4]).toMatchObject({ circular: { password: '[REDACTED_SECRET]' } });
  });
});
