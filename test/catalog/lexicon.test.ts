import { describe, expect, it } from 'vitest';
import { countryKeys, grapeKeysFor, pairingKeys } from '../../src/catalog/filters.js';
import {
  COUNTRIES,
  FOODS,
  GRAPE_FAMILIES,
  GRAPES,
  isPrestige,
  readTerms,
  REGIONS,
  singular,
  wineSweetness,
  type Role,
  type Sense,
} from '../../src/catalog/lexicon/index.js';
import { compilePattern } from '../../src/catalog/lexicon/patterns.js';
import { fold, grapeKeys } from '../../src/catalog/normalize.js';
import { entriesForWholeTerm } from '../../src/catalog/vocabulary.js';

/** Texts a lexicon pattern stands for: stems with an ending; whole words as written and in a plural search folds. */
function samples(pattern: string): string[] {
  const stem = (word: string) => `${word.slice(0, -1)}${/[а-я]/.test(word) ? 'ами' : 'es'}`;
  const plural = (word: string) => {
    const candidate = word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`;
    return singular(candidate) === singular(word) ? candidate : word;
  };
  const words = pattern.split(' ').map((slot) => slot.split('|')[0] ?? slot);
  return [
    words.map((word) => (word.endsWith('*') ? stem(word) : word)).join(' '),
    words.map((word) => (word.endsWith('*') ? stem(word) : plural(word))).join(' '),
  ];
}

/** The senses a conversation reads in a text that is one phrase. */
function sensesIn(text: string, reader: 'search' | 'conversation' = 'conversation'): Sense[] {
  const { phrases } = readTerms(text, reader);
  return phrases.length === 1 ? (phrases[0]?.values ?? []) : [];
}

const roles = (text: string): Role[] => [...new Set(readTerms(text, 'conversation').phrases.flatMap((p) => p.values.map((s) => s.role)))];

describe('the lexicon', () => {
  it('gives search and request understanding the same food words', () => {
    for (const food of FOODS) {
      for (const text of food.words.flatMap(samples)) {
        expect(sensesIn(text).some((sense) => sense.role === 'food' && sense.food.pairing === food.pairing), text).toBe(true);
        expect(pairingKeys(text), text).toEqual(expect.arrayContaining(food.search.pairings.map(fold)));
      }
      for (const text of (food.searchOnly ?? []).flatMap(samples)) {
        expect(pairingKeys(text), text).toEqual(expect.arrayContaining(food.search.pairings.map(fold)));
      }
    }
  });

  it('gives search and request understanding the same grapes, countries and regions', () => {
    for (const grape of GRAPES) {
      for (const text of grape.words.flatMap(samples)) {
        expect(sensesIn(text).some((sense) => sense.role === 'grape' && sense.grape.name === grape.name), text).toBe(true);
        expect(grapeKeysFor(text), text).toContain(fold(grape.name));
      }
    }
    for (const family of GRAPE_FAMILIES) {
      for (const text of family.words.flatMap(samples)) {
        expect(sensesIn(text).some((sense) => sense.role === 'grape' && sense.grape.name === family.grapes[0]), text).toBe(true);
        expect(grapeKeysFor(text), text).toEqual(expect.arrayContaining(grapeKeys(family.grapes)));
      }
    }
    for (const country of COUNTRIES) {
      for (const text of country.words.flatMap(samples)) {
        expect(sensesIn(text).some((sense) => sense.role === 'country' && sense.country.name === country.name), text).toBe(true);
        expect(countryKeys(text), text).toContain(fold(country.name));
      }
    }
    for (const region of REGIONS) {
      for (const text of region.words.flatMap(samples)) {
        expect(sensesIn(text).some((sense) => sense.role === 'region' && sense.region.name === region.name), text).toBe(true);
        expect(entriesForWholeTerm(text).flatMap((entry) => entry.regions ?? []), text).toContain(fold(region.name));
      }
    }
  });

  it('leaves search-only words to search', () => {
    for (const word of ['english', 'английском', 'russian', 'по-русски', 'porto', 'картошка', 'fries']) {
      expect(roles(word).filter((role) => ['food', 'country', 'region'].includes(role)), word).toEqual([]);
    }
    expect(countryKeys('English')).toEqual(['united kingdom']);
    expect(pairingKeys('картошка')).toEqual(expect.arrayContaining(['french fries']));
  });

  it('takes the longest phrase, so a food or a grape wins over the colour inside it', () => {
    expect(roles('белая рыба')).toEqual(['food']);
    expect(roles('Sauvignon Blanc')).toEqual(['grape']);
    expect(roles('dessert wine')).toEqual(['type']);
    expect(roles('dessert')).toEqual(['food']);
    expect(roles('no more than')).toEqual(['bound']);
  });

  it('tags every word with its role', () => {
    expect(roles('не')).toContain('negation');
    expect(roles('лёгкое')).toEqual(['body']);
    expect(roles('полусладкое')).toEqual(['sweetness']);
    expect(roles('в подарок')).toContain('occasion');
    expect(roles('oak')).toEqual(['unsupported']);
    expect(roles('евро')).toEqual(['currency']);
  });

  it('reads the same grape under its other names (Tinto Fino, Garnacha, Monastrell, Primitivo)', () => {
    const grape = (text: string) => sensesIn(text).flatMap((sense) => (sense.role === 'grape' ? [sense.grape.name] : []));
    expect(grape('Tinto Fino')).toEqual(['Tempranillo']);
    expect(grape('Garnacha')).toEqual(['Grenache']);
    expect(grape('Monastrell')).toEqual(['Mourvedre']);
    expect(grape('Primitivo')).toEqual(['Primitivo']);
    expect(grapeKeysFor('Primitivo')).toEqual(expect.arrayContaining(['primitivo', 'zinfandel']));
    expect(grapeKeysFor('Monastrell')).toEqual(expect.arrayContaining(['mourvedre', 'monastrell']));
  });

  it('gives a dish the meat or fish named with it', () => {
    const pairings = (text: string) =>
      readTerms(text, 'conversation').phrases.flatMap((p) => p.values.flatMap((s) => (s.role === 'food' ? [s.food.pairing] : [])));
    expect(pairings('шашлык из курицы')).toEqual(['Poultry']);
    expect(pairings('шашлык из молодой баранины')).toEqual(['Lamb']);
    expect(pairings('kebab of lamb')).toEqual(['Lamb']);
    expect(pairings('salmon steak')).toEqual(['Rich Fish']);
    expect(pairings('стейк из лосося')).toEqual(['Rich Fish']);
    expect(pairings('куриный шашлык')).toEqual(['Poultry']);
    expect(pairings('шашлык')).toEqual(['Pork']);
    // A side is not what the dish is made of.
    expect(pairings('стейк с грибами')).toEqual(['Beef', 'Mushrooms']);
  });

  it('compiles optional slots and alternatives', () => {
    expect(compilePattern('very light [bodied]')).toHaveLength(2);
    expect(compilePattern('очень|совсем легк*')[0]?.[0]).toHaveLength(2);
  });

  it('tells a sweet wine by its type or its name', () => {
    expect(wineSweetness({ type: 'dessert', name: 'Tokaji Aszú 6 Puttonyos' })).toBe('sweet');
    expect(wineSweetness({ type: 'white', name: 'Riesling Icewine' })).toBe('sweet');
    expect(wineSweetness({ type: 'white', name: 'Bernkasteler Badstube Riesling Spätlese' })).toBe('sweet');
    expect(wineSweetness({ type: 'red', name: 'Semi Sweet Cabernet Sauvignon' })).toBe('sweet');
    expect(wineSweetness({ type: 'red', name: 'Oberrotweiler Spätburgunder Spätlese Trocken' })).toBe('dry');
    expect(wineSweetness({ type: 'white', name: 'Semi-Dry Riesling' })).toBe('offDry');
    expect(wineSweetness({ type: 'red', name: "Dolcetto d'Alba" })).toBe('dry');
    expect(wineSweetness({ type: 'white', name: 'Úrágya Tokaji Furmint' })).toBe('dry');
  });

  it('knows the famously expensive wines', () => {
    expect(isPrestige({ name: 'Pauillac (Premier Grand Cru Classé)', winery: 'Château Lafite Rothschild' })).toBe(true);
    expect(isPrestige({ name: 'Grange', winery: 'Penfolds' })).toBe(true);
    expect(isPrestige({ name: 'Santenay Rouge', winery: 'Louis Latour' })).toBe(false);
    expect(isPrestige({ name: 'Malbec', winery: 'Alamos' })).toBe(false);
  });
});
