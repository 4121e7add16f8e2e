import { describe, expect, it } from 'vitest';
import {
  constraintViolations,
  grapeSatisfied,
  hardConstraintViolations,
  pairingSatisfied,
  regionSatisfied,
  type WineFacts,
} from '../../src/understanding/index.js';

const wine = (facts: Partial<WineFacts> = {}): WineFacts => ({
  type: 'red',
  grapes: ['Cabernet Sauvignon', 'Merlot'],
  pairings: ['Beef', 'Lamb'],
  body: 'full',
  acidity: 'high',
  abv: 13.5,
  country: 'France',
  region: 'Pauillac',
  rating: 4.2,
  price: null,
  ...facts,
});

describe('constraint matching', () => {
  it('accepts the members of a pairing family and nothing else', () => {
    expect(pairingSatisfied('Cheese', ['Hard Cheese'])).toBe(true);
    expect(pairingSatisfied('Fish', ['Rich Fish'])).toBe(true);
    expect(pairingSatisfied('Poultry', ['Chicken'])).toBe(true);
    expect(pairingSatisfied('Sweet Dessert', ['Cake'])).toBe(true);
    expect(pairingSatisfied('Lean Fish', ['Rich Fish'])).toBe(false);
    expect(pairingSatisfied('Beef', ['Lamb', 'Pork'])).toBe(false);
  });

  it('accepts grape synonyms and slash names', () => {
    expect(grapeSatisfied('Pinot Noir', ['Spätburgunder'])).toBe(true);
    expect(grapeSatisfied('Syrah/Shiraz', ['Syrah/Shiraz'])).toBe(true);
    expect(grapeSatisfied('Syrah', ['Syrah/Shiraz'])).toBe(true);
    expect(grapeSatisfied('Tempranillo', ['Tinta Roriz'])).toBe(true);
    expect(grapeSatisfied('Pinot Noir', ['Pinot Meunier'])).toBe(false);
  });

  it('accepts sub-regions of a named region', () => {
    expect(regionSatisfied('Bordeaux', 'Pauillac')).toBe(true);
    expect(regionSatisfied('Bordeaux', 'Saint-Émilion Grand Cru')).toBe(true);
    expect(regionSatisfied('Piemonte', "Barbera d'Asti")).toBe(true);
    expect(regionSatisfied('Piemonte', 'Castilla')).toBe(false);
    expect(regionSatisfied('Bordeaux', null)).toBe(false);
  });

  it('lists every broken constraint', () => {
    expect(constraintViolations(wine(), { types: ['red'], country: 'France', pairing: 'Beef', body: ['full', 'very_full'] })).toEqual([]);
    expect(
      constraintViolations(wine(), {
        types: ['white'],
        country: 'Italy',
        region: 'Toscana',
        grape: 'Pinot Noir',
        pairing: 'Fish',
        body: ['light'],
        acidity: ['low'],
        maxAbv: 12,
        minRating: 4.5,
        maxPrice: 20,
      }),
    ).toEqual(['type', 'country', 'region', 'grape', 'pairing', 'body', 'acidity', 'abv', 'rating', 'price']);
    expect(constraintViolations(wine({ type: 'port' }), { excludeTypes: ['dessert', 'port'] })).toEqual(['type']);
    expect(constraintViolations(wine({ body: null }), { body: ['full'] })).toEqual(['body']);
  });

  it('checks the fixture shape of hard constraints', () => {
    expect(hardConstraintViolations(wine(), { type: ['red'], grape: 'Merlot', pairing: 'Lamb' })).toEqual([]);
    expect(hardConstraintViolations(wine(), { type: ['rose'], country: 'Spain' })).toEqual(['type', 'country']);
  });
});
