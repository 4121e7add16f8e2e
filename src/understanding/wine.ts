/**
 * The kind of wine asked for: type, sweetness, body, acidity and strength, each possibly negated
 * ("не красное", "not too sweet", "не слишком тяжёлое", "некрепкое").
 */
import { sensesOf, type Phrase, type Sweetness } from '../catalog/lexicon/index.js';
import { BODIES, type Body, type WineType } from '../catalog/index.js';
import type { RequestConstraints } from './request.js';

/** "Некрепкое", "low alcohol": a soft upper bound rather than a sort, so the best such wines come first. */
export const LOW_ALCOHOL_ABV = 12.5;

interface TypeState {
  included: Set<WineType>;
  excluded: Set<WineType>;
  /** Place-named styles negated ("not Champagne"): their regions are left out instead of their type. */
  excludedRegions: Set<string>;
  sweetness: Sweetness | null;
  /** The sweetness word names a style of its own (Auslese): it asks for no dessert type. */
  styleOnly: boolean;
  /** Words kept for semantic search (off-dry, sweet sparkling). */
  keep: Phrase[];
}

export interface WineReading {
  constraints: Pick<RequestConstraints, 'types' | 'excludeTypes' | 'excludeRegions' | 'sweetness' | 'body' | 'acidity' | 'maxAbv' | 'sort'>;
  /** A country a style word implies (cava is Spanish), used when the person names none. */
  impliedCountry?: string;
  /** Phrases that go to semantic search as they are. */
  keep: Phrase[];
}

/** Still wines by colour; a sparkling wine of a colour is filed as sparkling. */
const COLOURS: readonly WineType[] = ['red', 'white', 'rose', 'orange'];

/** Sweetness a negation turns around: "не сладкое" is dry, "not dry" sweetish. */
const NEGATED_SWEETNESS: Record<Sweetness, Sweetness> = { dry: 'semiSweet', offDry: 'dry', semiSweet: 'dry', sweet: 'dry' };

export function readWine(phrases: readonly Phrase[], negated: ReadonlySet<Phrase>): WineReading {
  const state: TypeState = { included: new Set(), excluded: new Set(), excludedRegions: new Set(), sweetness: null, styleOnly: false, keep: [] };
  const reading: WineReading = { constraints: {}, keep: state.keep };
  const c = reading.constraints;
  let dry = false;
  const colourPhrases: Phrase[] = [];
  for (const phrase of phrases) {
    const not = negated.has(phrase);
    for (const { style } of sensesOf(phrase, 'type')) {
      if (not) {
        if (style.appellation) state.excludedRegions.add(style.appellation);
        else style.types.forEach((type) => state.excluded.add(type));
        continue;
      }
      style.types.forEach((type) => state.included.add(type));
      if (style.types.every((type) => COLOURS.includes(type))) colourPhrases.push(phrase);
      if (style.country) reading.impliedCountry ??= style.country;
      if (style.dry) dry = true;
    }
    for (const { sweetness } of sensesOf(phrase, 'sweetness')) {
      const level = not ? NEGATED_SWEETNESS[sweetness.level] : sweetness.level;
      if (state.sweetness === null || level === 'dry') {
        state.sweetness = level;
        state.styleOnly = Boolean(sweetness.style) && !not;
      }
      if (level === 'offDry' || level === 'semiSweet' || (sweetness.style && !not)) state.keep.push(phrase);
    }
    const body = sensesOf(phrase, 'body')[0];
    if (body && c.body === undefined) c.body = not ? lighterOrHeavier(body.body.levels) : [...body.body.levels];
    const acidity = sensesOf(phrase, 'acidity')[0];
    if (acidity && c.acidity === undefined) c.acidity = not ? complement(acidity.acidity.levels, ['low', 'medium', 'high']) : [...acidity.acidity.levels];
    const strength = sensesOf(phrase, 'strength')[0];
    if (strength) {
      const level = not ? (strength.strength === 'high' ? 'low' : 'high') : strength.strength;
      if (level === 'low') c.maxAbv = LOW_ALCOHOL_ABV;
      else c.sort = 'abv_desc';
    }
  }
  if (dry && state.sweetness === null) state.sweetness = 'dry';
  // "Розовое игристое", "red sparkling": a sparkling wine of that colour, which X-Wines files as sparkling;
  // the colour is left to semantic search. "Белое или игристое" still asks for either.
  const either = phrases.some((phrase) => sensesOf(phrase, 'alternation').length > 0);
  if (state.included.has('sparkling') && colourPhrases.length > 0 && !either) {
    for (const type of COLOURS) state.included.delete(type);
    state.keep.push(...colourPhrases);
  }
  applySweetness(state);
  applyTypes(c, state);
  return reading;
}

/** Sweetness in the catalog's terms: which types it asks for, and whether sweet wines are in or out. */
function applySweetness(state: TypeState): void {
  const { included } = state;
  switch (state.sweetness) {
    case 'dry':
      for (const type of ['dessert', 'port'] as const) if (!included.has(type)) state.excluded.add(type);
      return;
    case 'semiSweet':
    case 'sweet': {
      if (state.styleOnly) return;
      const colours = [...included].filter((type) => type !== 'dessert' && type !== 'port');
      if (colours.length === 0) {
        included.add('dessert');
        included.add('port');
      } else if (colours.every((type) => type === 'red')) {
        // X-Wines files sweet reds as ports (and a few as dessert wines with red grapes).
        included.add('port');
      } else if (colours.every((type) => type === 'white')) {
        included.add('dessert');
      }
      // Sweet sparkling (Asti, demi-sec) and rosé are filed as such; their sweetness is left to semantic search.
      return;
    }
    default:
      return;
  }
}

function applyTypes(c: WineReading['constraints'], state: TypeState): void {
  const { included, excluded } = state;
  for (const type of excluded) included.delete(type);
  if (included.size > 0) c.types = [...included];
  if (excluded.size > 0) c.excludeTypes = [...excluded];
  if (state.excludedRegions.size > 0) c.excludeRegions = [...state.excludedRegions];
  const colours = [...included].filter((type) => type !== 'dessert' && type !== 'port');
  if (state.sweetness === 'dry') c.sweetness = 'dry';
  // "Sweet red": the red must be sweet (a port, a Recioto, a "Semi Sweet Cabernet"), not any red.
  else if ((state.sweetness === 'sweet' || state.sweetness === 'semiSweet') && (state.styleOnly || colours.some((t) => t === 'red' || t === 'white'))) {
    c.sweetness = 'sweet';
  }
}

/** "Not heavy" is lighter than full-bodied, "not light" heavier than light-bodied. */
function lighterOrHeavier(bodies: readonly Body[]): Body[] {
  const indexes = bodies.map((body) => BODIES.indexOf(body));
  const lightest = Math.min(...indexes);
  const heaviest = Math.max(...indexes);
  if (lightest >= BODIES.indexOf('full')) return BODIES.slice(0, BODIES.indexOf('full'));
  if (heaviest <= BODIES.indexOf('light')) return BODIES.slice(heaviest + 1);
  return complement(bodies, BODIES);
}

function complement<T>(values: readonly T[], all: readonly T[]): T[] {
  return all.filter((value) => !values.includes(value));
}

