import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Wine } from '../../src/catalog/types.js';
import { createOfflineChatModel } from '../../src/offline/index.js';
import type { ChatResponse } from '../../src/llm/types.js';
import type { ChatMessage, ToolCall, ToolDefinition } from '../../src/shared/index.js';
import { winesContent } from '../../src/tools/format.js';
import { searchWinesArgs, semanticSearchArgs, type SearchWinesArgs } from '../../src/tools/schemas.js';
import { detectLanguage, hardConstraintViolations } from '../../src/understanding/index.js';
import { OFFLINE_REQUESTS } from '../fixtures/offline-requests.js';

const TOOLS: ToolDefinition[] = ['search_wines', 'semantic_search'].map((name) => ({
  type: 'function',
  function: { name, description: name, parameters: { type: 'object' } },
}));

let nextId = 1;
function wine(overrides: Partial<Wine>): Wine {
  return {
    id: nextId++,
    name: `Wine ${nextId}`,
    type: 'red',
    elaborate: 'Varietal/100%',
    grapes: ['Merlot'],
    pairings: ['Beef', 'Lamb'],
    body: 'full',
    acidity: 'high',
    abv: 13.5,
    country: 'France',
    region: 'Bordeaux',
    winery: 'Château Test',
    website: null,
    vintages: [2018],
    rating: 4,
    ratingCount: 100,
    price: null,
    currency: null,
    stock: null,
    ...overrides,
  };
}

const model = createOfflineChatModel();
const user = (content: string): ChatMessage => ({ role: 'user', content });

function parseCall(call: ToolCall): { name: string; args: Record<string, unknown> } {
  const json: unknown = JSON.parse(call.function.arguments);
  const args = call.function.name === 'search_wines' ? searchWinesArgs.parse(json) : semanticSearchArgs.parse(json);
  return { name: call.function.name, args };
}

/** Runs the model like the agent does, answering each tool call with `answer`; returns the final response. */
async function converse(
  messages: ChatMessage[],
  answer: (name: string, args: Record<string, unknown>) => string,
  maxSteps = 5,
): Promise<{ final: ChatResponse; rounds: { name: string; args: Record<string, unknown> }[][]; messages: ChatMessage[] }> {
  const history = [...messages];
  const rounds: { name: string; args: Record<string, unknown> }[][] = [];
  for (let step = 0; step < maxSteps; step += 1) {
    const response = await model.complete({ messages: history, tools: TOOLS, toolChoice: step === maxSteps - 1 ? 'none' : 'auto' });
    if (response.message.tool_calls.length === 0) return { final: response, rounds, messages: history };
    const calls = response.message.tool_calls.map(parseCall);
    rounds.push(calls);
    history.push({ role: 'assistant', content: response.message.content, tool_calls: response.message.tool_calls });
    response.message.tool_calls.forEach((call, i) => {
      const parsed = calls[i];
      history.push({ role: 'tool', tool_call_id: call.id, content: answer(parsed?.name ?? '', parsed?.args ?? {}) });
    });
  }
  throw new Error('the model never answered');
}

const asArray = <T>(value: T | T[] | undefined): T[] | undefined => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

describe('offline chat model: tool calls', () => {
  it.each(OFFLINE_REQUESTS.map((r) => [r.message, r.constraints] as const))('%s → valid search_wines arguments', async (message, expected) => {
    const response = await model.complete({ messages: [{ role: 'system', content: 'You are a sommelier.' }, user(message)], tools: TOOLS });
    expect(response.finishReason).toBe('tool_calls');
    expect(response.message.content).toBeNull();
    const calls = response.message.tool_calls.map(parseCall);
    expect(response.message.tool_calls.map((c) => c.id)).toEqual(calls.map((_, i) => `call_offline_${i + 1}`));
    const search = calls.find((c) => c.name === 'search_wines')?.args as SearchWinesArgs | undefined;
    expect(search).toBeDefined();
    expect(asArray(search?.type)?.sort()).toEqual(expected.type ? [...expected.type].sort() : undefined);
    expect(search?.country).toBe(expected.country);
    expect(search?.grape).toBe(expected.grape);
    expect(search?.pairing).toBe(expected.pairing);
    expect(asArray(search?.body)?.sort()).toEqual(expected.body ? [...expected.body].sort() : undefined);
  });

  it('adds semantic_search for an occasion, and only then', async () => {
    const occasion = await model.complete({ messages: [user('игристое на день рождения')], tools: TOOLS });
    const calls = occasion.message.tool_calls.map(parseCall);
    expect(calls.map((c) => c.name)).toEqual(['search_wines', 'semantic_search']);
    expect(calls[1]?.args).toMatchObject({ query: 'день рождения', type: 'sparkling' });

    const structured = await model.complete({ messages: [user('красное сухое к стейку')], tools: TOOLS });
    expect(structured.message.tool_calls.map((c) => c.function.name)).toEqual(['search_wines']);

    const vague = await model.complete({ messages: [user('Посоветуй вино')], tools: TOOLS });
    const vagueCalls = vague.message.tool_calls.map(parseCall);
    expect(vagueCalls.map((c) => c.name)).toEqual(['search_wines', 'semantic_search']);
    expect(vagueCalls[1]?.args.query).toBe('Посоветуй вино');
  });

  it('reads a follow-up in the context of the earlier request', async () => {
    const response = await model.complete({
      messages: [user('красное сухое к стейку'), { role: 'assistant', content: 'Вот три вина…' }, user('а подешевле?')],
      tools: TOOLS,
    });
    const search = response.message.tool_calls.map(parseCall).find((c) => c.name === 'search_wines');
    expect(search?.args).toMatchObject({ type: 'red', exclude_types: ['dessert', 'port'], pairing: 'Beef', sort: 'price_asc' });
  });

  it('answers small talk without tools', async () => {
    const hello = await model.complete({ messages: [user('Привет!')], tools: TOOLS });
    expect(hello.message.tool_calls).toEqual([]);
    expect(hello.finishReason).toBe('stop');
    expect(detectLanguage(hello.message.content ?? '')).toBe('ru');
    const thanks = await model.complete({ messages: [user('a red for steak'), { role: 'assistant', content: '…' }, user('thanks!')], tools: TOOLS });
    expect(thanks.message.tool_calls).toEqual([]);
    expect(thanks.message.content).toMatch(/welcome/i);
  });

  it('relaxes a too-strict search once, dropping the region first and keeping type and food', async () => {
    const fits = wine({ name: 'Entre-Deux-Mers Blanc', type: 'white', grapes: ['Sauvignon Blanc'], pairings: ['Shellfish'], body: 'light', region: 'Entre-Deux-Mers' });
    const loire = [
      wine({ name: 'Muscadet Sèvre et Maine', type: 'white', grapes: ['Melon de Bourgogne'], pairings: ['Shellfish'], body: 'light', region: 'Muscadet' }),
      wine({ name: 'Sancerre Les Caillottes', type: 'white', grapes: ['Sauvignon Blanc'], pairings: ['Shellfish', 'Goat Cheese'], body: 'medium', region: 'Sancerre' }),
      wine({ name: 'Chablis Premier Cru', type: 'white', grapes: ['Chardonnay'], pairings: ['Shellfish'], body: 'medium', region: 'Chablis' }),
    ];
    const { rounds, final } = await converse([user('белое из Бордо к устрицам')], (_name, args) =>
      winesContent(args.region ? [fits] : [fits, ...loire], 'nothing'),
    );
    expect(rounds).toHaveLength(2);
    expect(rounds[0]?.[0]?.args).toMatchObject({ type: 'white', country: 'France', region: 'Bordeaux', pairing: 'Shellfish' });
    expect(rounds[1]).toHaveLength(1);
    expect(rounds[1]?.[0]?.args).toMatchObject({ type: 'white', country: 'France', pairing: 'Shellfish' });
    expect(rounds[1]?.[0]?.args.region).toBeUndefined();
    const reply = final.message.content ?? '';
    for (const w of [fits, ...loire]) expect(reply).toContain(w.name);
    expect(reply).toMatch(/расширил поиск/);
    expect(reply).toMatch(/регион — Muscadet/);
  });

  it('looks for near misses (one constraint dropped per search) when nothing fits at all', async () => {
    const { rounds } = await converse([user('полнотелое розовое пино нуар из Чили к утке')], () => winesContent([], 'nothing'));
    expect(rounds).toHaveLength(2);
    const relaxed = rounds[1]?.map((c) => c.args) ?? [];
    expect(relaxed.length).toBeGreaterThanOrEqual(3);
    const dropped = relaxed.map((args) => ['body', 'grape', 'country', 'pairing'].filter((key) => args[key] === undefined));
    expect(dropped).toEqual([['body'], ['grape'], ['country']]);
    for (const args of relaxed) expect(args.type).toBe('rose');
  });
});

describe('offline chat model: replies', () => {
  const steakWines = [
    wine({ name: 'Grand Vin de Château Latour', winery: 'Château Latour', grapes: ['Cabernet Sauvignon', 'Merlot'], pairings: ['Beef', 'Lamb', 'Game Meat'], rating: 4.7, ratingCount: 900 }),
    wine({ name: 'Barolo Cannubi', winery: 'Burlotto', country: 'Italy', region: 'Barolo', grapes: ['Nebbiolo'], pairings: ['Beef', 'Pasta'], rating: 4.4, ratingCount: 60 }),
    wine({ name: 'Malbec Reserva', winery: 'Catena', country: 'Argentina', region: 'Mendoza', grapes: ['Malbec'], pairings: ['Beef'], rating: 4.1, ratingCount: 300 }),
    wine({ name: 'Syrah Vieilles Vignes', winery: 'Domaine Jamet', region: 'Côte-Rôtie', grapes: ['Syrah/Shiraz'], pairings: ['Beef', 'Game Meat'], body: 'very_full', rating: 4.3, ratingCount: 120 }),
  ];
  // Tool results may also carry wines that break the request (here: a white, and a red not meant for beef).
  const intruders = [
    wine({ name: 'Cabernet Sauvignon', winery: 'Other', type: 'white', grapes: ['Chardonnay'], pairings: ['Beef'], rating: 4.9, ratingCount: 999 }),
    wine({ name: 'Pinot Noir', winery: 'Other', grapes: ['Pinot Noir'], pairings: ['Lean Fish'], rating: 4.8, ratingCount: 999 }),
  ];

  const ask = (message: string, wines: Wine[]) => converse([user(message)], () => winesContent(wines, 'nothing'));

  it('lists 3–5 wines that meet every constraint, in Russian, with producer, place and why', async () => {
    const { final } = await ask('красное сухое к стейку', [...intruders, ...steakWines]);
    const reply = final.message.content ?? '';
    expect(final.finishReason).toBe('stop');
    expect(detectLanguage(reply)).toBe('ru');
    const lines = reply.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(5);
    for (const w of steakWines) {
      const line = lines.find((l) => l.includes(`«${w.name}»`));
      expect(line).toBeDefined();
      expect(line).toContain(w.winery ?? '');
      expect(line).toMatch(/к стейку/);
      expect(line).toMatch(/оценка/);
    }
    // Wines that break the request are never named, not even as a grape ("Cabernet Sauvignon" is also a wine here).
    for (const w of intruders) expect(reply.toLowerCase()).not.toContain(w.name.toLowerCase());
    expect(reply).not.toMatch(/\d+ ?(₽|руб|\$|€)/);
  });

  it('writes the same answer in English for an English request', async () => {
    const { final } = await ask('a dry red for steak', [...intruders, ...steakWines]);
    const reply = final.message.content ?? '';
    expect(detectLanguage(reply)).toBe('en');
    for (const w of steakWines) expect(reply).toContain(w.name);
    for (const w of intruders) expect(reply).not.toContain(w.name);
    expect(reply).toMatch(/steak/);
    expect(reply).toMatch(/Italy|France|Argentina/);
  });

  it('says honestly when fewer than three wines fit, and does not pad the list with ones that do not', async () => {
    const only = wine({ name: 'Cloudy Bay Sauvignon Blanc', type: 'white', country: 'New Zealand', region: 'Marlborough', grapes: ['Sauvignon Blanc'], pairings: ['Goat Cheese', 'Shellfish'], body: 'light' });
    const others = [wine({ name: 'Rioja Reserva', country: 'Spain', region: 'Rioja', grapes: ['Tempranillo'], pairings: ['Lamb'] })];
    const { final } = await ask('Совиньон блан из Новой Зеландии к козьему сыру', [only, ...others]);
    const reply = final.message.content ?? '';
    expect(reply).toContain('Cloudy Bay Sauvignon Blanc');
    expect(reply).not.toContain('Rioja Reserva');
    expect(reply).toMatch(/только одно вино/);
    expect(reply).toMatch(/Если готовы рассмотреть/);

    const english = await ask('New Zealand Sauvignon Blanc with goat cheese', [only, ...others]);
    expect(english.final.message.content).toMatch(/Only one wine/);
  });

  it('says when nothing fits, names no bottle that breaks the request, and says what the catalog has instead', async () => {
    const nearMiss = wine({ name: 'Rosé de Saignée', type: 'rose', country: 'Argentina', grapes: ['Pinot Noir'], pairings: ['Poultry'], body: 'full' });
    const { final } = await ask('полнотелое розовое пино нуар из Чили к утке', [nearMiss]);
    const reply = final.message.content ?? '';
    expect(reply).toMatch(/ничего не нашлось/);
    expect(reply).not.toContain('Rosé de Saignée');
    expect(reply).toMatch(/такое же вино из Аргентины/);
    const english = await ask('a full-bodied rosé Pinot Noir from Chile for duck', [nearMiss]);
    expect(english.final.message.content).toMatch(/Nothing in the catalog matches .*the same from Argentina/s);
    expect(english.final.message.content).not.toContain('Rosé de Saignée');
  });

  it('says so and suggests how to broaden when the catalog has nothing', async () => {
    const { final } = await ask('полнотелое розовое пино нуар из Чили к утке', []);
    expect(final.message.content).toMatch(/не нашлось/);
    expect(final.message.content).toMatch(/Если готовы рассмотреть/);
    const english = await ask('a full-bodied rosé Pinot Noir from Chile for duck', []);
    expect(english.final.message.content).toMatch(/couldn't find anything/);
  });

  it('reports a catalog failure instead of inventing wines', async () => {
    const { final } = await converse([user('красное к стейку')], () => JSON.stringify({ error: 'the catalog could not be searched' }));
    expect(final.message.content).toMatch(/Не получилось обратиться к каталогу/);
  });

  it('notes that the catalog has no prices when asked for something cheaper', async () => {
    const history: ChatMessage[] = [user('красное сухое к стейку'), { role: 'assistant', content: 'Вот варианты…' }, user('а подешевле?')];
    const { final } = await converse(history, () => winesContent(steakWines, 'nothing'));
    expect(final.message.content).toMatch(/Цен в каталоге нет/);
  });

  it('answers without tools when the agent asks for a final answer', async () => {
    const response = await model.complete({ messages: [user('красное к стейку')], tools: TOOLS, toolChoice: 'none' });
    expect(response.message.tool_calls).toEqual([]);
    // Nothing was searched, so it must not claim the catalog is empty or name wines.
    expect(response.message.content).toMatch(/не могу заглянуть в каталог/);
  });

  it('reports usage from text length, zero cost, and is deterministic', async () => {
    const request = { messages: [user('a light white for oysters')], tools: TOOLS };
    const first = await model.complete(request);
    const second = await createOfflineChatModel().complete(request);
    expect(second).toEqual(first);
    expect(first.engine).toBe('offline');
    expect(first.model).toBe('sommelier-offline');
    expect(first.costUsd).toBe(0);
    expect(first.usage?.input).toBeGreaterThan(0);
    expect(first.usage?.output).toBeGreaterThan(0);
    expect(first.usage?.total).toBe((first.usage?.input ?? 0) + (first.usage?.output ?? 0));
  });

  it('recommends only wines that satisfy the fixture constraints, or says that none does', async () => {
    const pool = [...steakWines, ...intruders];
    for (const request of OFFLINE_REQUESTS) {
      const { final } = await ask(request.message, pool);
      const reply = final.message.content ?? '';
      const fitting = pool.filter((w) => hardConstraintViolations(w, request.constraints).length === 0);
      if (fitting.length > 0) {
        const named = pool.filter((w) => reply.includes(w.name));
        for (const w of named) expect({ request: request.message, wine: w.name, broken: hardConstraintViolations(w, request.constraints) }).toMatchObject({ broken: [] });
        expect(named.length).toBe(Math.min(fitting.length, 4));
      } else {
        expect(reply).toMatch(/ничего не нашлось|не нашлось ничего|Nothing in the catalog matches|couldn't find anything/);
      }
    }
  });
});

describe('offline chat model: robustness', () => {
  it('never throws on arbitrary user text, and every tool call it makes is valid', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (text) => {
        const response = await model.complete({ messages: [user(text)], tools: TOOLS });
        for (const call of response.message.tool_calls) parseCall(call);
        expect(response.message.tool_calls.length > 0 || (response.message.content ?? '').length > 0).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary tool results', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.oneof(fc.string(), fc.json()), async (text, content) => {
        const first = await model.complete({ messages: [user(`красное к стейку ${text}`)], tools: TOOLS });
        const calls = first.message.tool_calls;
        const messages: ChatMessage[] = [
          user(`красное к стейку ${text}`),
          { role: 'assistant', content: null, tool_calls: calls },
          ...calls.map((call): ChatMessage => ({ role: 'tool', tool_call_id: call.id, content })),
        ];
        const response = await model.complete({ messages, tools: TOOLS });
        for (const call of response.message.tool_calls) parseCall(call);
      }),
      { numRuns: 100 },
    );
  });

  it('copes with odd conversations (no user message, assistant last)', async () => {
    const empty = await model.complete({ messages: [], tools: TOOLS });
    expect(empty.message.content).toBeTruthy();
    const assistantLast = await model.complete({ messages: [user('красное к стейку'), { role: 'assistant', content: 'Hm' }], tools: [] });
    expect(assistantLast.message.tool_calls).toEqual([]);
    expect(assistantLast.message.content).toBeTruthy();
  });
});

describe('offline chat model: honest answers', () => {
  const ask = (messages: ChatMessage[], wines: (name: string, args: Record<string, unknown>) => Wine[]) =>
    converse(messages, (name, args) => winesContent(wines(name, args), 'nothing'));

  it('flags sweet wines as sweet and puts them after dry ones nobody asked to be sweet', async () => {
    const dry = [1, 2, 3].map((n) => wine({ name: `Trocken ${n}`, winery: `Weingut ${n}`, type: 'white', grapes: ['Riesling'], country: 'Germany', pairings: ['Pork'] }));
    // X-Wines files a Spätlese as a white; its name says it is sweet.
    const sweet = [wine({ name: 'Riesling Spätlese', winery: 'Halb', type: 'white', grapes: ['Riesling'], country: 'Germany', rating: 4.8 })];
    const { final } = await ask([user('Riesling from Germany')], () => [...sweet, ...dry]);
    const lines = (final.message.content ?? '').split('\n').filter((line) => /^\d+\. /.test(line));
    expect(lines.slice(0, 3).every((line) => line.includes('Trocken'))).toBe(true);
    expect(lines[3]).toMatch(/Riesling Spätlese .* White \(sweet\)/);
  });

  it('never offers a famous Grand Cru as "cheaper" when the catalog has no prices', async () => {
    const famous = wine({ name: 'Pauillac (Premier Grand Cru Classé)', winery: 'Château Lafite Rothschild', pairings: ['Beef'], rating: 4.8 });
    const everyday = [1, 2, 3].map((n) => wine({ name: `Everyday Red ${n}`, winery: `Winery ${n}`, pairings: ['Beef'], rating: 3.6, ratingCount: 5000 }));
    const history: ChatMessage[] = [user('red for steak'), { role: 'assistant', content: 'Here are some…' }, user('something cheaper?')];
    const { final, rounds } = await ask(history, () => [famous, ...everyday]);
    expect(rounds[0]?.map((call) => call.args.sort)).toEqual(['price_asc', 'popularity']);
    const reply = final.message.content ?? '';
    expect(reply).not.toContain('Lafite');
    expect(reply).toMatch(/no prices.*left out famously expensive/s);
  });

  it('says the catalog has no oak information instead of claiming to honour it', async () => {
    const history: ChatMessage[] = [user('red for steak'), { role: 'assistant', content: 'Here are some…' }, user('and without oak?')];
    const { final } = await ask(history, () => [wine({ name: 'Plain Red', pairings: ['Beef'] })]);
    expect(final.message.content).toMatch(/no oak information/);
    expect(final.message.content).not.toMatch(/without oak/);
  });

  it('answers a general question from what the catalog shows, not by searching its words', async () => {
    const merlot = wine({ name: 'Pomerol Classique', winery: 'Château Test', grapes: ['Merlot'], body: 'medium' });
    const cabernet = wine({ name: 'Napa Cab', winery: 'Test Cellars', country: 'United States', grapes: ['Cabernet Sauvignon'], body: 'very_full' });
    const { final, rounds } = await ask([user("what's the difference between Merlot and Cabernet Sauvignon?")], (_name, args) =>
      args.grape === 'Merlot' ? [merlot] : [cabernet],
    );
    expect(rounds[0]?.map((call) => [call.name, call.args.grape])).toEqual([
      ['search_wines', 'Merlot'],
      ['search_wines', 'Cabernet Sauvignon'],
    ]);
    const reply = final.message.content ?? '';
    expect(reply).toMatch(/tannin/i);
    expect(reply).toContain('Pomerol Classique');
    expect(reply).not.toMatch(/difference between/);
    expect(reply.split('\n').filter((line) => /^\d+\. /.test(line))).toEqual([]);

    const topic = await model.complete({ messages: [user('Что такое танины?')], tools: TOOLS });
    expect(topic.message.tool_calls).toEqual([]);
    expect(topic.message.content).toMatch(/Танины/);
  });

  it('turns an off-topic message away without searching', async () => {
    const response = await model.complete({ messages: [user('Какая погода будет завтра в Москве?')], tools: TOOLS });
    expect(response.message.tool_calls).toEqual([]);
    expect(response.message.content).toMatch(/сомелье/);
  });

  it('never quotes leftover words back ("gift os")', async () => {
    const { final } = await ask([user('a gift under 30 euros')], () => [1, 2, 3].map((n) => wine({ name: `Gift Red ${n}`, winery: `W${n}` })));
    const reply = final.message.content ?? '';
    expect(reply).toMatch(/as a gift/);
    expect(reply).not.toMatch(/"|gift os/);
    expect(reply).toMatch(/no prices.*30 EUR/s);
  });
});
