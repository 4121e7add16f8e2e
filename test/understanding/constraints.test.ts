import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACIDITIES, BODIES, WINE_TYPES } from '../../src/catalog/types.js';
import { detectLanguage, readConstraints, readMessage } from '../../src/understanding/index.js';
import { OFFLINE_REQUESTS } from '../fixtures/offline-requests.js';

const sorted = <T>(items: readonly T[] | undefined) => (items ? [...items].sort() : undefined);

describe('readConstraints on the fixture requests', () => {
  it('has at least 40 requests, at least half of them in Russian', () => {
    expect(OFFLINE_REQUESTS.length).toBeGreaterThanOrEqual(40);
    const russian = OFFLINE_REQUESTS.filter((r) => detectLanguage(r.message) === 'ru').length;
    expect(russian * 2).toBeGreaterThanOrEqual(OFFLINE_REQUESTS.length);
  });

  it.each(OFFLINE_REQUESTS.map((r) => [r.message, r.constraints] as const))('%s', (message, expected) => {
    const c = readConstraints(message);
    // Exactly the stated hard constraints: none missed, none invented.
    expect({
      type: sorted(c.types),
      country: c.country,
      grape: c.grape,
      pairing: c.pairing,
      body: sorted(c.body),
    }).toEqual({
      type: sorted(expected.type),
      country: expected.country,
      grape: expected.grape,
      pairing: expected.pairing,
      body: sorted(expected.body),
    });
    expect(c.language).toBe(/[а-яё]/i.test(message) ? 'ru' : 'en');
  });
});

describe('readConstraints', () => {
  it('reads a dry red for steak, in any Russian case form', () => {
    for (const message of ['красное сухое к стейку', 'Сухого красного для стейка', 'бутылку красного сухого под стейк']) {
      const c = readConstraints(message);
      expect(c.types).toEqual(['red']);
      expect(sorted(c.excludeTypes)).toEqual(['dessert', 'port']);
      expect(c.pairing).toBe('Beef');
      expect(c.freeText).toBe('');
    }
    expect(readConstraints('красное сухое к стейку').foodWords).toEqual(['стейку']);
  });

  it('maps foods to the dataset pairings', () => {
    const cases: [string, string][] = [
      ['к рыбе', 'Fish'],
      ['к лососю', 'Rich Fish'],
      ['к треске', 'Lean Fish'],
      ['к устрицам', 'Shellfish'],
      ['мидии в вине', 'Shellfish'],
      ['креветки на гриле', 'Shellfish'],
      ['к курице', 'Poultry'],
      ['индейка', 'Poultry'],
      ['говядина', 'Beef'],
      ['к шашлыку', 'Pork'],
      ['к дичи', 'Game Meat'],
      ['к пасте', 'Pasta'],
      ['к сыру', 'Cheese'],
      ['к пармезану', 'Hard Cheese'],
      ['к рокфору', 'Blue Cheese'],
      ['к шоколадному торту', 'Sweet Dessert'],
      ['к грибам', 'Mushrooms'],
      ['вегетарианский ужин', 'Vegetarian'],
      ['к острой еде', 'Spicy Food'],
      ['salmon steak', 'Rich Fish'],
      ['oysters', 'Shellfish'],
      ['lamb chops', 'Lamb'],
      ['cheesecake', 'Sweet Dessert'],
      ['white fish', 'Lean Fish'],
      ['red meat', 'Beef'],
      // What a dish is made of wins over the dish; a side dish does not.
      ['шашлык из курицы', 'Poultry'],
      ['шашлык из баранины, аргентинский мальбек', 'Lamb'],
      ['куриный шашлык', 'Poultry'],
      ['a kebab of lamb', 'Lamb'],
      ['lamb kebab', 'Lamb'],
      ['стейк из тунца', 'Rich Fish'],
      ['котлеты из индейки', 'Poultry'],
      ['бургер из говядины', 'Beef'],
      ['grilled chicken skewers', 'Poultry'],
      ['стейк с грибами', 'Beef'],
    ];
    for (const [text, pairing] of cases) expect({ text, pairing: readConstraints(text).pairing }).toEqual({ text, pairing });
  });

  it('does not take a food phrase for a colour ("белая рыба", "white fish")', () => {
    expect(readConstraints('вино к белой рыбе').types).toBeUndefined();
    expect(readConstraints('red wine with white fish')).toMatchObject({ types: ['red'], pairing: 'Lean Fish' });
  });

  it('reads grapes in Russian and English, including the ones that contain colours', () => {
    expect(readConstraints('Пино Нуар').grape).toBe('Pinot Noir');
    expect(readConstraints('пино нуара').grape).toBe('Pinot Noir');
    expect(readConstraints('шардоне').grape).toBe('Chardonnay');
    expect(readConstraints('шираз').grape).toBe('Syrah/Shiraz');
    expect(readConstraints('каберне фран').grape).toBe('Cabernet Franc');
    // Other names of the same grape.
    expect(readConstraints('Tinto Fino').grape).toBe('Tempranillo');
    expect(readConstraints('Тинто фино к баранине').grape).toBe('Tempranillo');
    expect(readConstraints('Garnacha from Spain').grape).toBe('Grenache');
    expect(readConstraints('Хочу монастрель').grape).toBe('Mourvedre');
    const blanc = readConstraints('Sauvignon Blanc');
    expect(blanc.grape).toBe('Sauvignon Blanc');
    expect(blanc.types).toBeUndefined();
  });

  it('reads countries from names, adjectives and "из …"', () => {
    expect(readConstraints('белое из Франции').country).toBe('France');
    expect(readConstraints('французское').country).toBe('France');
    expect(readConstraints('вино из США').country).toBe('United States');
    expect(readConstraints('an Austrian white').country).toBe('Austria');
    expect(readConstraints('австралийский шираз').country).toBe('Australia');
    expect(readConstraints('что-нибудь из Новой Зеландии').country).toBe('New Zealand');
    // A region implies its country.
    expect(readConstraints('Бордо')).toMatchObject({ region: 'Bordeaux', country: 'France' });
  });

  it('reads body, acidity and strength', () => {
    expect(readConstraints('лёгкое').body).toEqual(['very_light', 'light']);
    expect(readConstraints('полнотелое').body).toEqual(['full', 'very_full']);
    expect(readConstraints('full-bodied').body).toEqual(['full', 'very_full']);
    expect(readConstraints('средней полноты').body).toEqual(['medium']);
    expect(readConstraints('не слишком тяжёлое').body).toEqual(['very_light', 'light', 'medium']);
    expect(readConstraints('кислотное').acidity).toEqual(['high']);
    expect(readConstraints('a crisp white').acidity).toEqual(['high']);
    expect(readConstraints('до 13 градусов')).toMatchObject({ maxAbv: 13 });
    expect(readConstraints('не крепче 12,5%')).toMatchObject({ maxAbv: 12.5 });
    expect(readConstraints('at least 14% abv')).toMatchObject({ minAbv: 14 });
    expect(readConstraints('12-14%')).toMatchObject({ minAbv: 12, maxAbv: 14 });
  });

  it('reads rating and price limits without confusing them with strength', () => {
    expect(readConstraints('рейтинг выше 4')).toMatchObject({ minRating: 4 });
    expect(readConstraints('rated 4.2+')).toMatchObject({ minRating: 4.2 });
    const priced = readConstraints('до 2000 рублей');
    expect(priced.maxPrice).toBe(2000);
    expect(priced.maxAbv).toBeUndefined();
  });

  it('reads sweet, dry, sparkling and negations', () => {
    expect(sorted(readConstraints('sweet wine for dessert').types)).toEqual(['dessert', 'port']);
    expect(readConstraints('sweet wine for dessert').pairing).toBe('Sweet Dessert');
    expect(readConstraints('dry').excludeTypes?.sort()).toEqual(['dessert', 'port']);
    expect(readConstraints('игристое').types).toEqual(['sparkling']);
    expect(readConstraints('розовое').types).toEqual(['rose']);
    expect(readConstraints('просекко')).toMatchObject({ types: ['sparkling'], country: 'Italy' });
    expect(readConstraints('что угодно, но не красное').excludeTypes).toEqual(['red']);
    // Semi-dry is neither dry nor sweet; it is left for semantic search.
    const semi = readConstraints('полусухое белое');
    expect(semi.types).toEqual(['white']);
    expect(semi.excludeTypes).toBeUndefined();
    expect(semi.freeText).toContain('полусухое');
  });

  it('leaves occasions and moods as free text for semantic search', () => {
    expect(readConstraints('игристое на день рождения').freeText).toBe('день рождения');
    expect(readConstraints('Wine for a romantic dinner').freeText).toBe('romantic dinner');
    expect(readConstraints('Посоветуй, пожалуйста, вино').freeText).toBe('');
  });

  it('tells small talk from requests', () => {
    expect(readMessage('Привет!').signals.smallTalk).toBe('greeting');
    expect(readMessage('thanks!').signals.smallTalk).toBe('thanks');
    expect(readMessage('Привет! Красное к стейку').signals.smallTalk).toBeNull();
  });

  it('never throws and returns only valid values on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const c = readConstraints(text);
        expect(['ru', 'en']).toContain(c.language);
        for (const t of [...(c.types ?? []), ...(c.excludeTypes ?? [])]) expect(WINE_TYPES).toContain(t);
        for (const b of c.body ?? []) expect(BODIES).toContain(b);
        for (const a of c.acidity ?? []) expect(ACIDITIES).toContain(a);
        for (const n of [c.minAbv, c.maxAbv, c.minRating, c.minPrice, c.maxPrice]) if (n !== undefined) expect(Number.isFinite(n)).toBe(true);
        expect(typeof c.freeText).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on text made of its own vocabulary', () => {
    const words = ['красное', 'к', 'стейку', 'не', 'сухое', 'до', '13', '%', 'рейтинг', 'выше', '4', 'white', 'fish', 'а', 'лёгкое', 'Пино', 'Нуар', 'из', 'Франции', 'sweet', 'dry', '-', '12,5', 'рублей'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 12 }), (parts) => {
        expect(() => readConstraints(parts.join(' '))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('detectLanguage', () => {
  it('treats Cyrillic as Russian and keeps Latin grape names inside Russian sentences Russian', () => {
    expect(detectLanguage('красное к стейку')).toBe('ru');
    expect(detectLanguage('Хочу Pinot Noir к утке')).toBe('ru');
    expect(detectLanguage('a red for steak')).toBe('en');
    expect(detectLanguage('')).toBe('en');
  });
});
