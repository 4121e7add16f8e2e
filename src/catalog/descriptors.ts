/**
 * Searchable text for a wine: every field plus descriptors derived from the dataset's own body, acidity,
 * type, grapes and pairings. X-Wines has no tasting notes, so "crisp" or "picnic" come from these fields
 * (high acidity → crisp; a light rosé → picnic), never from invented facts about the bottle.
 */
import { GRAPES, wineSweetness } from './lexicon/index.js';
import { fold, grapeKeys } from './normalize.js';
import type { Body, Wine } from './types.js';
import { foodWordsForPairing } from './vocabulary.js';

const TYPE_DESCRIPTORS: Record<Wine['type'], string> = {
  red: 'red',
  white: 'white',
  rose: 'rose pink fruity fresh summer picnic',
  orange: 'orange amber skin-contact',
  sparkling: 'sparkling bubbles bubbly fizzy celebration festive party aperitif fresh romantic',
  dessert: 'dessert sweet',
  port: 'port fortified sweet dessert strong winter',
};

/** Sweetness from the type and the name ("Riesling Spätlese" is sweet though X-Wines files it as white). */
const SWEETNESS_DESCRIPTORS = { sweet: 'sweet', offDry: 'off-dry', dry: 'dry' } as const;

const BODY_DESCRIPTORS: Record<Body, string> = {
  very_light: 'very light light lightweight fresh easy easy-drinking',
  light: 'light lightweight fresh easy easy-drinking',
  medium: 'medium medium-bodied balanced versatile',
  full: 'full full-bodied bold rich',
  very_full: 'very full full-bodied bold rich powerful',
};

const ACIDITY_DESCRIPTORS = { low: 'smooth soft round low-acidity', medium: 'balanced', high: 'crisp fresh lively high-acidity' };

/** Widely known style of a grape variety (the lexicon's), keyed by folded grape name; a variety's own name wins over a synonym. */
const GRAPE_STYLE: ReadonlyMap<string, string> = (() => {
  const styles = new Map<string, string>();
  for (const grape of GRAPES) if (grape.style) for (const key of grapeKeys([grape.name])) styles.set(key, grape.style);
  for (const grape of GRAPES) {
    if (!grape.style) continue;
    for (const key of grapeKeys(grape.synonyms)) if (!styles.has(key)) styles.set(key, grape.style);
  }
  return styles;
})();

const LIGHT_BODIES: ReadonlySet<Body> = new Set(['very_light', 'light']);
const CASUAL_FOODS = new Set(['snack', 'appetizer', 'cold cuts', 'cured meat', 'salad', 'vegetarian', 'fruit']);

function occasionWords(wine: Wine, pairingKeys: string[]): string[] {
  const words: string[] = [];
  const light = wine.body !== null && LIGHT_BODIES.has(wine.body);
  const heavy = wine.body === 'full' || wine.body === 'very_full';
  const casual = pairingKeys.some((key) => CASUAL_FOODS.has(key));
  if (wine.type === 'rose' || wine.type === 'sparkling' || light || (casual && !heavy)) words.push('picnic');
  if (
    wine.type === 'rose' ||
    wine.type === 'sparkling' ||
    (wine.type === 'white' && wine.acidity === 'high') ||
    (wine.type === 'red' && light)
  ) {
    words.push('summer refreshing');
  }
  if ((wine.type === 'red' && heavy) || wine.type === 'port') words.push('winter warming');
  if ((wine.type === 'white' || wine.type === 'sparkling') && wine.acidity === 'high' && !heavy) words.push('aperitif');
  if ((wine.type === 'red' || wine.type === 'white') && !light && pairingKeys.length >= 3) {
    words.push('dinner food-friendly');
  }
  if (wine.abv !== null && wine.abv <= 11 && wine.type !== 'port') words.push('low-alcohol low alcohol');
  if (wine.abv !== null && wine.abv >= 15) words.push('strong');
  if (wine.rating !== null && wine.rating >= 4.2 && wine.ratingCount >= 20) words.push('gift special top-rated');
  if (wine.elaborate && /blend|assemblage/i.test(wine.elaborate)) words.push('blend');
  return words;
}

/** The folded text that `search_vector` indexes. */
export function buildSearchText(wine: Wine): string {
  const pairingKeys = wine.pairings.map(fold);
  const keys = grapeKeys(wine.grapes);
  const parts: (string | null)[] = [
    wine.name,
    wine.winery,
    wine.country,
    wine.region,
    wine.elaborate,
    wine.grapes.join(' '),
    wine.pairings.join(' '),
    TYPE_DESCRIPTORS[wine.type],
    SWEETNESS_DESCRIPTORS[wineSweetness(wine)],
    wine.body ? BODY_DESCRIPTORS[wine.body] : null,
    wine.acidity ? ACIDITY_DESCRIPTORS[wine.acidity] : null,
    ...keys.map((key) => GRAPE_STYLE.get(key) ?? null),
    ...pairingKeys.map((key) => foodWordsForPairing(key).join(' ')),
    ...occasionWords(wine, pairingKeys),
  ];
  const text = fold(parts.filter((part): part is string => Boolean(part)).join(' '));
  // Repeated descriptors would inflate ts_rank for wines with many grapes or pairings.
  return [...new Set(text.split(' '))].join(' ');
}

/** A readable sentence for embedding models. */
export function describeForEmbedding(wine: Wine): string {
  const facts = [
    `${wine.name} (${wine.type} wine)`,
    wine.winery ? `by ${wine.winery}` : null,
    [wine.region, wine.country].filter(Boolean).join(', ') || null,
    wine.grapes.length ? `grapes: ${wine.grapes.join(', ')}` : null,
    wine.body ? `body: ${wine.body.replace('_', ' ')}` : null,
    wine.acidity ? `acidity: ${wine.acidity}` : null,
    wine.abv !== null ? `${wine.abv}% alcohol` : null,
    wine.pairings.length ? `pairs with ${wine.pairings.join(', ')}` : null,
  ];
  return `${facts.filter(Boolean).join('; ')}. ${buildSearchText(wine)}`;
}
