import { describe, expect, it } from 'vitest';
import { countryKeys, grapeKeysFor, pairingKeys } from '../../src/catalog/filters.js';
import { COUNTRIES, FOODS, GRAPE_FAMILIES, GRAPES, REGIONS, singular } from '../../src/catalog/lexicon/index.js';
import { fold, grapeKeys } from '../../src/catalog/normalize.js';
import { entriesForWholeTerm } from '../../src/catalog/vocabulary.js';
import {
  COUNTRIES as COUNTRY_PATTERNS,
  FOODS as FOOD_PATTERNS,
  GRAPES as GRAPE_PATTERNS,
  REGIONS as REGION_PATTERNS,
} from '../../src/understanding/words.js';

/** Texts a lexicon pattern stands for: stems with an ending; whole words as written and in a plural search folds. */
function samples(pattern: string): string[] {
  const stem = (word: string) => `${word.slice(0, -1)}${/[а-я]/.test(word) ? 'ами' : 'es'}`;
  const plural = (word: string) => {
    const candidate = word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`;
    return singular(candidate) === singular(word) ? candidate : word;
  };
  const words = pattern.split(' ');
  return [
    words.map((word) => (word.endsWith('*') ? stem(word) : word)).join(' '),
    words.map((word) => (word.endsWith('*') ? stem(word) : plural(word))).join(' '),
  ];
}

function reads(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}

describe('the shared lexicon', () => {
  it('gives search and request understanding the same food words', () => {
    FOODS.forEach((food, index) => {
      const reader = FOOD_PATTERNS[index]!;
      for (const text of food.words.flatMap(samples)) {
        expect(reads(reader.pattern, text), text).toBe(true);
        expect(pairingKeys(text), text).toEqual(expect.arrayContaining(food.search.pairings.map(fold)));
      }
      for (const text of (food.searchOnly ?? []).flatMap(samples)) {
        expect(pairingKeys(text), text).toEqual(expect.arrayContaining(food.search.pairings.map(fold)));
      }
    });
  });

  it('gives search and request understanding the same grapes, countries and regions', () => {
    GRAPES.forEach((grape, index) => {
      for (const text of grape.words.flatMap(samples)) {
        expect(reads(GRAPE_PATTERNS[index]!.pattern, text), text).toBe(true);
        expect(grapeKeysFor(text), text).toContain(fold(grape.name));
      }
    });
    for (const family of GRAPE_FAMILIES) {
      const usual = GRAPE_PATTERNS.find((grape) => grape.name === family.grapes[0])!;
      for (const text of family.words.flatMap(samples)) {
        expect(reads(usual.pattern, text), text).toBe(true);
        expect(grapeKeysFor(text), text).toEqual(expect.arrayContaining(grapeKeys(family.grapes)));
      }
    }
    COUNTRIES.forEach((country, index) => {
      for (const text of country.words.flatMap(samples)) {
        expect(reads(COUNTRY_PATTERNS[index]!.pattern, text), text).toBe(true);
        expect(countryKeys(text), text).toContain(fold(country.name));
      }
    });
    REGIONS.forEach((region, index) => {
      for (const text of region.words.flatMap(samples)) {
        expect(reads(REGION_PATTERNS[index]!.pattern, text), text).toBe(true);
        expect(entriesForWholeTerm(text).flatMap((entry) => entry.regions ?? []), text).toContain(fold(region.name));
      }
    });
  });

  it('leaves search-only words to search', () => {
    const understood = (text: string) =>
      [...FOOD_PATTERNS, ...COUNTRY_PATTERNS, ...REGION_PATTERNS].some((entry) => reads(entry.pattern, text));
    for (const word of ['english', 'английском', 'russian', 'по-русски', 'champagne', 'porto', 'картошка', 'fries']) {
      expect(understood(word), word).toBe(false);
    }
    expect(countryKeys('English')).toEqual(['united kingdom']);
    expect(pairingKeys('картошка')).toEqual(expect.arrayContaining(['french fries']));
  });
});
