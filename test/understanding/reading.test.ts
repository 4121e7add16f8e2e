import { describe, expect, it } from 'vitest';
import { readConstraints, readConversation, readMessage } from '../../src/understanding/index.js';

const sorted = <T>(items: readonly T[] | undefined) => (items ? [...items].sort() : undefined);

describe('negation', () => {
  it('excludes grapes, countries, regions, types and sweet wines instead of asking for them', () => {
    expect(readConstraints('белое к рыбе, но не совиньон')).toMatchObject({ types: ['white'], excludeGrapes: ['Sauvignon Blanc'] });
    expect(readConstraints('White for fish, but not Sauvignon Blanc').grape).toBeUndefined();
    expect(sorted(readConstraints('красное к стейку, но не каберне').excludeGrapes)).toEqual(['Cabernet Franc', 'Cabernet Sauvignon']);
    expect(readConstraints('a red for lamb that isn\'t from Spain or Italy')).toMatchObject({ types: ['red'], excludeCountries: ['Spain', 'Italy'] });
    expect(readConstraints('Розовое, только не из Франции')).toMatchObject({ types: ['rose'], excludeCountries: ['France'] });
    expect(readConstraints('розовое, только не из Франции').country).toBeUndefined();
    expect(sorted(readConstraints('no dessert wines, something for cheese').excludeTypes)).toEqual(['dessert', 'port']);
    expect(sorted(readConstraints('что-нибудь к сырам, только не десертное').excludeTypes)).toEqual(['dessert', 'port']);
    expect(readConstraints('ни красное, ни розовое').excludeTypes).toEqual(['red', 'rose']);
  });

  it('reads "not Champagne" as not from Champagne, and keeps the sparkling asked for', () => {
    const c = readConstraints('not Champagne, something sparkling');
    expect(c.types).toEqual(['sparkling']);
    expect(c.excludeRegions).toEqual(['Champagne']);
    expect(c.excludeTypes).toBeUndefined();
    expect(readConstraints('игристое без шампанского')).toMatchObject({ types: ['sparkling'], excludeRegions: ['Champagne'] });
  });

  it('turns a negated body, sweetness or strength around', () => {
    expect(readConstraints('не слишком тяжёлое красное').body).toEqual(['very_light', 'light', 'medium']);
    expect(readConstraints('not light').body).toEqual(['medium', 'full', 'very_full']);
    expect(readConstraints('not too sweet')).toMatchObject({ sweetness: 'dry', excludeTypes: ['dessert', 'port'] });
    expect(readConstraints('не крепкое').maxAbv).toBe(12.5);
    expect(readConstraints('не хочу ничего сладкого, к утке')).toMatchObject({ sweetness: 'dry', pairing: 'Poultry' });
  });
});

describe('type, body and sweetness', () => {
  it('keeps the type when a country is also named', () => {
    expect(readConstraints('sparkling from Spain')).toMatchObject({ types: ['sparkling'], country: 'Spain' });
    expect(readConstraints('игристое из Италии')).toMatchObject({ types: ['sparkling'], country: 'Italy' });
    expect(readConstraints('Italian bubbly')).toMatchObject({ types: ['sparkling'], country: 'Italy' });
    // A sparkling rosé is filed as sparkling; "white or sparkling" still asks for either.
    expect(readConstraints('розовое игристое из Франции')).toMatchObject({ types: ['sparkling'], country: 'France' });
    expect(readConstraints('розовое игристое из Франции').freeText).toBe('розовое');
    expect(sorted(readConstraints('белое или игристое').types)).toEqual(['sparkling', 'white']);
  });

  it('maps body words to the catalog bodies', () => {
    expect(readConstraints('light red')).toMatchObject({ types: ['red'], body: ['very_light', 'light'] });
    expect(readConstraints('лёгкое красное').body).toEqual(['very_light', 'light']);
    expect(readConstraints('мощное, насыщенное красное').body).toEqual(['full', 'very_full']);
  });

  it('reads sweetness from type and style words', () => {
    expect(sorted(readConstraints('red semi-sweet with chocolate').types)).toEqual(['port', 'red']);
    expect(readConstraints('red semi-sweet with chocolate').sweetness).toBe('sweet');
    expect(readConstraints('сухое белое')).toMatchObject({ types: ['white'], sweetness: 'dry' });
    expect(sorted(readConstraints('Something sweet for dessert, but not port').types)).toEqual(['dessert']);
    expect(readConstraints('a Riesling Spätlese')).toMatchObject({ grape: 'Riesling', sweetness: 'sweet' });
    expect(readConstraints('Riesling Spätlese').types).toBeUndefined();
  });

  it('reads orange wine', () => {
    expect(readConstraints('оранжевое вино из Грузии')).toMatchObject({ types: ['orange'], country: 'Georgia' });
  });

  it('leaves a savoury dish without dessert wines unless a sweet one is asked for', () => {
    expect(sorted(readConversation(['spicy Thai curry']).constraints.excludeTypes)).toEqual(['dessert', 'port']);
    expect(readConversation(['Riesling from Germany']).constraints.avoidSweet).toBe(true);
    expect(readConversation(['Riesling from Germany']).constraints.excludeTypes).toBeUndefined();
    expect(readConversation(['sweet wine for dessert']).constraints.excludeTypes).toBeUndefined();
    expect(readConversation(['Portuguese port to go with cheese']).constraints.excludeTypes).toBeUndefined();
  });
});

describe('numbers with currencies', () => {
  it('reads a budget in any currency form', () => {
    const cases: [string, number, string | undefined][] = [
      ['a gift under 30 euros', 30, 'EUR'],
      ['до 30 евро', 30, 'EUR'],
      ['€30 red wine', 30, 'EUR'],
      ['red wine 30€', 30, 'EUR'],
      ['under $25', 25, 'USD'],
      ['не дороже 1500 рублей', 1500, 'RUB'],
      ['до 2 тыс руб', 2000, 'RUB'],
      ['в пределах 1 500 ₽', 1500, 'RUB'],
      ['до 1500', 1500, undefined],
      ['вино до 1500 рублей к пицце', 1500, 'RUB'],
    ];
    for (const [text, maxPrice, currency] of cases) {
      const c = readConstraints(text);
      expect({ text, maxPrice: c.maxPrice, currency: c.currency, maxAbv: c.maxAbv }).toEqual({ text, maxPrice, currency, maxAbv: undefined });
    }
    expect(readConstraints('from 20 to 30 euros')).toMatchObject({ minPrice: 20, maxPrice: 30, currency: 'EUR' });
  });

  it('leaves junk out of the words kept for search', () => {
    expect(readConstraints('a gift under 30 euros').freeText).toBe('gift');
    expect(readConstraints('a gift under 30 euros').occasions?.map((o) => o.key)).toEqual(['gift']);
  });
});

describe('words the catalog cannot act on, and general questions', () => {
  it('notes topics it has no data on', () => {
    expect(readConstraints('and without oak?').unsupported).toEqual(['oak']);
    expect(readConstraints('органическое красное').unsupported).toEqual(['organic']);
    expect(readConstraints('and without oak?').freeText).toBe('');
  });

  it('tells a general question from a request', () => {
    expect(readConstraints("what's the difference between Merlot and Cabernet Sauvignon?").question).toEqual({
      kind: 'compare',
      grapes: ['Merlot', 'Cabernet Sauvignon'],
    });
    expect(readConstraints('чем отличается мерло от каберне?').question).toMatchObject({ kind: 'compare' });
    expect(readConstraints('What is tannin?').question).toEqual({ kind: 'topic', topic: 'tannin' });
    expect(readConstraints('Как правильно хранить открытую бутылку вина?').question).toEqual({ kind: 'topic', topic: 'storage' });
    expect(readConstraints('расскажи про мальбек').question).toEqual({ kind: 'grape', grape: 'Malbec' });
    expect(readConstraints('нужно ли декантировать вино?').question).toEqual({ kind: 'topic', topic: 'decanting' });
    expect(readConstraints("What's the difference between Champagne and Prosecco?").question).toEqual({
      kind: 'compareStyles',
      styles: ['Champagne', 'Prosecco'],
    });
    // A question that names a dish is a request.
    expect(readConstraints('what wine goes with steak?').question).toBeUndefined();
  });

  it('turns away messages that are not about wine', () => {
    expect(readMessage('Какая погода будет завтра в Москве?').signals.smallTalk).toBe('offTopic');
    expect(readMessage('Who won the football match yesterday?').signals.smallTalk).toBe('offTopic');
    expect(readMessage('Thanks, that\'s all!').signals.smallTalk).toBe('thanks');
    expect(readMessage('что-нибудь для бабушки').signals.smallTalk).toBeNull();
  });
});

describe('a new topic', () => {
  it('starts afresh on a request of its own, and follow-ups keep the request', () => {
    expect(readConversation(['вино к десерту', 'вино из Грузии']).constraints.country).toBe('Georgia');
    expect(readConversation(['вино к десерту', 'вино из Грузии']).constraints.pairing).toBeUndefined();
    expect(readConversation(['вино к десерту', 'а из Грузии?']).constraints).toMatchObject({ country: 'Georgia', pairing: 'Sweet Dessert' });
    expect(readConversation(['red for steak', 'and without oak?']).constraints).toMatchObject({ types: ['red'], pairing: 'Beef', unsupported: ['oak'] });
    expect(readConversation(['red for steak', 'and without oak?', 'and from Italy?']).constraints.unsupported).toBeUndefined();
    expect(readConversation(['красное сухое к стейку', 'а к десерту?']).constraints.pairing).toBe('Sweet Dessert');
    expect(readConversation(['красное сухое к стейку', 'а к десерту?']).constraints.excludeTypes).toBeUndefined();
  });
});
