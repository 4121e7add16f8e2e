import { describe, expect, it } from 'vitest';
import { fold, normalizeAcidity, normalizeBody, normalizeWineType, parseListCell } from '../../src/catalog/normalize.js';
import { analyze } from '../../src/catalog/vocabulary.js';
import { countryKeys, pairingKeys } from '../../src/catalog/filters.js';
import { buildFullTextQuery } from '../../src/catalog/fulltext.js';

describe('normalisation', () => {
  it('maps the dataset and common shop spellings of wine types', () => {
    expect(normalizeWineType('Rosé')).toBe('rose');
    expect(normalizeWineType('Dessert/Port')).toBe('port');
    expect(normalizeWineType('sparkling wine')).toBe('sparkling');
    expect(normalizeWineType('Красное')).toBe('red');
    expect(normalizeWineType('Dessert')).toBe('dessert');
    expect(normalizeWineType('fortified')).toBe('port');
    expect(normalizeWineType('Orange')).toBe('orange');
    expect(normalizeWineType('Blue')).toBeNull();
  });

  it('maps body and acidity labels', () => {
    expect(normalizeBody('Full-bodied')).toBe('full');
    expect(normalizeBody('Very light-bodied')).toBe('very_light');
    expect(normalizeBody('very_full')).toBe('very_full');
    expect(normalizeBody('Medium bodied')).toBe('medium');
    expect(normalizeBody('creamy')).toBeNull();
    expect(normalizeAcidity('High')).toBe('high');
    expect(normalizeAcidity('sour')).toBeNull();
  });

  it('folds case and Latin accents but keeps Cyrillic й', () => {
    expect(fold('Saint-Émilion GRÜNER')).toBe('saint-emilion gruner');
    expect(fold('Лёгкий')).toBe('легкий');
  });

  it('splits list cells in every documented form', () => {
    expect(parseListCell("['Beef', 'Rich Fish']")).toEqual(['Beef', 'Rich Fish']);
    expect(parseListCell('["Barbera d\'Alba", "Nebbiolo"]')).toEqual(["Barbera d'Alba", 'Nebbiolo']);
    expect(parseListCell("[2020, 2019, 'N.V.']")).toEqual(['2020', '2019', 'N.V.']);
    expect(parseListCell('Beef; Lamb ;')).toEqual(['Beef', 'Lamb']);
    expect(parseListCell('Beef, Lamb')).toEqual(['Beef', 'Lamb']);
    expect(parseListCell('')).toEqual([]);
    expect(() => parseListCell("['Beef")).toThrow(/unterminated/);
  });
});

describe('vocabulary', () => {
  it('reads Russian word forms through their stems', () => {
    for (const word of ['стейк', 'стейка', 'стейку', 'стейком']) expect(pairingKeys(word)).toEqual(['beef']);
    expect(pairingKeys('рыба')).toEqual(expect.arrayContaining(['rich fish', 'lean fish']));
    expect(pairingKeys('сыру')).toEqual(expect.arrayContaining(['blue cheese', 'goat cheese', 'hard cheese']));
    expect(pairingKeys('grilled steak')).toEqual(expect.arrayContaining(['beef', 'barbecue']));
    expect(pairingKeys('bicycle')).toBeNull();
    expect(countryKeys('Франции')).toEqual(['france']);
    expect(countryKeys('us')).toEqual(['united states']);
  });

  it('prefers the longest phrase and drops stopwords', () => {
    const matches = analyze('что-нибудь к Каберне Совиньон');
    expect(matches).toHaveLength(1);
    expect(matches[0]!.entries[0]!.grapes).toEqual(['cabernet sauvignon']);
  });

  it('builds a strict and a loose tsquery from a request', () => {
    expect(buildFullTextQuery('лёгкое фруктовое для пикника')).toEqual({
      all: 'light:* & fruity:* & picnic:*',
      any: 'light:* | fruity:* | picnic:*',
    });
    expect(buildFullTextQuery('для и с')).toBeNull();
  });
});
