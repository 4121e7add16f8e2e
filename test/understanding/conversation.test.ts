import { describe, expect, it } from 'vitest';
import { readConversation } from '../../src/understanding/index.js';

describe('readConversation', () => {
  it('reads a single request as it is', () => {
    const reading = readConversation(['красное сухое к стейку']);
    expect(reading.followUp).toBe(false);
    expect(reading.constraints).toMatchObject({ types: ['red'], pairing: 'Beef', language: 'ru' });
  });

  it('keeps the earlier request when asked for something cheaper', () => {
    const reading = readConversation(['красное сухое к стейку', 'а подешевле?']);
    expect(reading.followUp).toBe(true);
    expect(reading.priceAsked).toBe(true);
    expect(reading.constraints).toMatchObject({ types: ['red'], pairing: 'Beef', sort: 'price_asc' });
  });

  it('makes "something lighter?" lighter than what was asked before, in the new language', () => {
    const afterFull = readConversation(['полнотелое красное к баранине', 'something lighter?']);
    expect(afterFull.constraints).toMatchObject({ types: ['red'], pairing: 'Lamb', language: 'en', body: ['very_light', 'light', 'medium'] });
    const afterUnstated = readConversation(['a red for steak', 'something lighter?']);
    expect(afterUnstated.constraints.body).toEqual(['very_light', 'light', 'medium']);
    const heavier = readConversation(['лёгкое белое', 'а потяжелее?']);
    expect(heavier.constraints.body).toEqual(['medium', 'full', 'very_full']);
  });

  it('replaces the country and drops a region that belonged to the old one', () => {
    const reading = readConversation(['Бордо к утке', 'а из Италии?']);
    expect(reading.constraints.country).toBe('Italy');
    expect(reading.constraints.region).toBeUndefined();
    expect(reading.constraints.pairing).toBe('Poultry');
  });

  it('changes colour and forgets a grape of the old colour', () => {
    const reading = readConversation(['пино нуар к утке', 'а белое?']);
    expect(reading.constraints.types).toEqual(['white']);
    expect(reading.constraints.grape).toBeUndefined();
    expect(reading.constraints.pairing).toBe('Poultry');
  });

  it('starts the style afresh for a new dish', () => {
    const reading = readConversation(['красное к стейку', 'а к рыбе?']);
    expect(reading.constraints.pairing).toBe('Fish');
    expect(reading.constraints.types).toBeUndefined();
  });

  it('treats a full new request as new', () => {
    const reading = readConversation(['красное к стейку', 'Посоветуй игристое к устрицам из Франции']);
    expect(reading.followUp).toBe(false);
    expect(reading.constraints).toMatchObject({ types: ['sparkling'], pairing: 'Shellfish', country: 'France' });
  });

  it('asks for other wines on "ещё варианты"', () => {
    const reading = readConversation(['белое к рыбе', 'а ещё варианты?']);
    expect(reading.wantsOthers).toBe(true);
    expect(reading.constraints).toMatchObject({ types: ['white'], pairing: 'Fish' });
  });

  it('recognises small talk and keeps the language of the latest message', () => {
    expect(readConversation(['Привет!']).smallTalk).toBe('greeting');
    expect(readConversation(['красное к стейку', 'спасибо!']).smallTalk).toBe('thanks');
    expect(readConversation(['красное к стейку', '13%']).constraints.language).toBe('ru');
  });

  it('handles an empty conversation', () => {
    expect(readConversation([]).constraints).toMatchObject({ language: 'en', foodWords: [], freeText: '' });
  });
});
