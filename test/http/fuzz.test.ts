/**
 * Bad input gets a 4xx in the API's error shape, never a 500: generated requests to every endpoint,
 * with NUL, unpaired surrogates, huge and odd numbers, odd Unicode and wrong types.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { startScriptedLlm, sommelierResponder, type ScriptedLlm } from '../support/scripted-llm.js';

const RUNS = 200;

/** Odd pieces: NUL, unpaired surrogates, direction overrides, injection attempts, long runs. */
const nastyPiece = fc.constantFrom(
    '\u0000',
    'red\u0000wine',
    '\uD800',
    'x\uDC00y',
    '\uDBFF\uDFFF',
    '\u202Eevil',
    '\uFEFFbom',
    'zero\u200Bwidth',
    '🍷'.repeat(30),
    'é'.normalize('NFD'),
    '\r\n\t',
    '%00',
    "'; DROP TABLE wines; --",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    'Ω'.repeat(500),
    'a'.repeat(5000),
);

/** Strings people and attackers send: any code point (unpaired surrogates too), NUL, odd Unicode. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  nastyPiece,
  // Ordinary text with something odd inside: what gets past shape checks to the database.
  fc.tuple(fc.string({ maxLength: 20 }), nastyPiece, fc.string({ maxLength: 20 })).map((parts) => parts.join('')),
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(2_147_483_648, -1, 0, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 1e-300),
  fc.bigInt().map((n) => n.toString()),
);

const anyValue = fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null), fc.array(nastyString, { maxLength: 3 }), fc.object({ maxDepth: 1 }));

interface ErrorShape {
  error: { code: string; message: string };
}

/** A status below 500, and for every 4xx the `{error: {code, message}}` body. */
async function expectHandled(response: Response, what: string): Promise<void> {
  const text = await response.text();
  expect(response.status, `${what} → ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    const body = JSON.parse(text) as ErrorShape;
    expect(typeof body.error.code, what).toBe('string');
    expect(typeof body.error.message, what).toBe('string');
  }
}

/** Percent-encodes any string byte by byte: unpaired surrogates go out as the raw CESU-8 bytes. */
function encodeAnything(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const pair = value.codePointAt(i)!;
      if (pair > 0xffff) {
        out += encodeURIComponent(String.fromCodePoint(pair));
        i += 1;
      } else {
        out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
      }
    } else {
      out += encodeURIComponent(value[i]!);
    }
  }
  return out;
}

const post = (app: TestApp, path: string, body: unknown) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('generated bad input never makes a 500', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_ENABLED: 'false' });
  });
  afterAll(() => app?.dispose());

  it(`POST /api/v1/chat (${RUNS} bodies)`, async () => {
    // Mostly well-formed bodies with odd text, so the odd text reaches the service behind the checks.
    const body = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record(
          {
            message: nastyString,
            sessionId: fc.oneof(fc.stringMatching(/^[\w:.@-]{1,24}$/), nastyString),
            userId: fc.oneof(fc.stringMatching(/^[\w:.@-]{1,24}$/), nastyString),
            channel: fc.constantFrom('api', 'web', 'cli', 'telegram'),
          },
          { requiredKeys: ['message'] },
        ),
      },
      {
        weight: 1,
        arbitrary: fc.record(
          { message: anyValue, sessionId: anyValue, userId: anyValue, channel: fc.oneof(fc.constantFrom('api'), nastyString) },
          { requiredKeys: [] },
        ),
      },
      { weight: 1, arbitrary: fc.oneof(fc.dictionary(nastyString, anyValue, { maxKeys: 3 }), anyValue) },
    );
    await fc.assert(
      fc.asyncProperty(body, async (input) => expectHandled(await post(app, '/api/v1/chat', input), JSON.stringify(input).slice(0, 200))),
      { numRuns: RUNS },
    );
  });

  it(`POST /api/v1/feedback (${RUNS} bodies)`, async () => {
    const body = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record(
          { traceId: fc.stringMatching(/^[0-9a-f]{32}$/), value: fc.constantFrom(1, -1), comment: nastyString },
          { requiredKeys: ['traceId', 'value'] },
        ),
      },
      {
        weight: 1,
        arbitrary: fc.record(
          {
            traceId: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), nastyString, anyValue),
            value: fc.oneof(fc.constantFrom(1, -1), nastyNumber, anyValue),
            comment: fc.oneof(nastyString, anyValue),
            userId: fc.oneof(nastyString, anyValue),
          },
          { requiredKeys: [] },
        ),
      },
      { weight: 1, arbitrary: anyValue },
    );
    await fc.assert(
      fc.asyncProperty(body, async (input) => expectHandled(await post(app, '/api/v1/feedback', input), JSON.stringify(input).slice(0, 200))),
      { numRuns: RUNS },
    );
  });

  it(`GET /api/v1/wines (${RUNS} query strings)`, async () => {
    const key = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('q', 'type', 'exclude_types', 'country', 'region', 'grape', 'pairing', 'body', 'acidity', 'min_abv', 'max_abv', 'min_rating', 'min_price', 'max_price', 'sort', 'limit', 'offset') },
      { weight: 1, arbitrary: nastyString },
    );
    const value = fc.oneof(nastyString, nastyNumber.map(String), fc.constantFrom('red', 'red,white', '%', '%ZZ', '%ff%fe', ''));
    const query = fc.array(fc.tuple(key, value, fc.boolean()), { minLength: 1, maxLength: 4 }).map((pairs) =>
      // Sometimes raw (already percent-looking text, malformed escapes), mostly encoded.
      pairs.map(([k, v, raw]) => `${encodeAnything(k)}=${raw && /^[\w%,.-]*$/.test(v) ? v : encodeAnything(v)}`).join('&'),
    );
    await fc.assert(
      fc.asyncProperty(query, async (qs) => expectHandled(await fetch(`${app.url}/api/v1/wines?${qs}`), qs.slice(0, 200))),
      { numRuns: RUNS },
    );
  });

  it(`GET /api/v1/wines/:id (${RUNS} ids)`, async () => {
    const id = fc.oneof(
      nastyNumber.map(String),
      nastyString.filter((s) => s.length > 0),
      fc.constantFrom('2147483648', '2147483647', '99999999999999999999999', '1e3', '0x10', '-0', '1.5', 'NaN', 'Infinity', '%00', '%'),
    );
    await fc.assert(
      fc.asyncProperty(id, async (value) => {
        const path = value === '%' || value === '%00' ? value : encodeAnything(value);
        await expectHandled(await fetch(`${app.url}/api/v1/wines/${path}`), path.slice(0, 200));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('characters Postgres cannot store are refused at the boundary', () => {
  let app: TestApp;
  let llm: ScriptedLlm;

  beforeAll(async () => {
    llm = await startScriptedLlm();
    llm.fallback(sommelierResponder());
    app = await startTestApp({ LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.url, LLM_API_KEY: 'sk-test-0123456789abcdef' });
  });
  afterAll(async () => {
    await app?.dispose();
    await llm?.close();
  });

  it.each([
    ['a NUL in a chat message', '/api/v1/chat', { message: 'red\u0000wine' }, /body\.message/],
    ['an unpaired surrogate in a chat message', '/api/v1/chat', { message: 'red \uD83C wine' }, /body\.message/],
    ['a NUL in a feedback comment', '/api/v1/feedback', { traceId: 'a'.repeat(32), value: 1, comment: 'bad\u0000' }, /body\.comment/],
  ])('%s: 400 invalid_characters, before the LLM is paid', async (_name, path, body, field) => {
    const before = llm.requests.length;
    const response = await post(app, path, body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorShape;
    expect(error.code).toBe('invalid_characters');
    expect(error.message).toMatch(field);
    expect(error.message).toMatch(/NUL/);
    expect(llm.requests.length).toBe(before);
  });

  it.each(['country', 'region', 'grape', 'q'])('a NUL in ?%s=: 400 invalid_characters', async (name) => {
    const response = await fetch(`${app.url}/api/v1/wines?${name}=Fr%00ance`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorShape).error).toMatchObject({ code: 'invalid_characters', message: expect.stringMatching(`query.${name}`) });
  });

  it('a wine id beyond Postgres integers: 400, not an overflow', async () => {
    const response = await fetch(`${app.url}/api/v1/wines/2147483648`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorShape).error.code).toBe('invalid_request');
    expect((await fetch(`${app.url}/api/v1/wines/2147483647`)).status).toBe(404);
  });

  it('a malformed URL keeps the error shape', async () => {
    const response = await fetch(`${app.url}/api/v1/wines/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorShape).error.code).toBe('invalid_request');
  });
});
