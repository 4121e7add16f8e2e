import type { Acidity, Body, WineType } from '../../catalog/types.js';
import { COUNTRIES, GRAPES, PAIRINGS, REGIONS, type ConstraintKey, type Language } from '../../understanding/index.js';

/** Russian adjective forms agree with "вино" (neuter) or, for port, with "портвейн" (masculine). */
const RU_TYPE: Record<WineType, string> = {
  red: 'красное',
  white: 'белое',
  rose: 'розовое',
  sparkling: 'игристое',
  dessert: 'десертное',
  port: 'портвейн',
};
const EN_TYPE: Record<WineType, string> = {
  red: 'red',
  white: 'white',
  rose: 'rosé',
  sparkling: 'sparkling',
  dessert: 'dessert wine',
  port: 'port',
};

const RU_BODY_NEUTER: Record<Body, string> = {
  very_light: 'очень лёгкое',
  light: 'лёгкое',
  medium: 'средней полноты',
  full: 'полнотелое',
  very_full: 'очень полнотелое',
};
const RU_BODY_MASCULINE: Record<Body, string> = {
  very_light: 'очень лёгкий',
  light: 'лёгкий',
  medium: 'средней полноты',
  full: 'полнотелый',
  very_full: 'очень полнотелый',
};
const EN_BODY: Record<Body, string> = {
  very_light: 'very light-bodied',
  light: 'light-bodied',
  medium: 'medium-bodied',
  full: 'full-bodied',
  very_full: 'very full-bodied',
};
const RU_ACIDITY: Record<Acidity, string> = {
  high: 'с высокой кислотностью',
  medium: 'со средней кислотностью',
  low: 'с мягкой кислотностью',
};
const EN_ACIDITY: Record<Acidity, string> = {
  high: 'high acidity',
  medium: 'medium acidity',
  low: 'soft acidity',
};

export function typeLabel(type: WineType, language: Language): string {
  return language === 'ru' ? RU_TYPE[type] : EN_TYPE[type];
}

export function bodyLabel(body: Body, language: Language, type: WineType | null = null): string {
  if (language === 'en') return EN_BODY[body];
  return type === 'port' ? RU_BODY_MASCULINE[body] : RU_BODY_NEUTER[body];
}

export function acidityLabel(acidity: Acidity, language: Language): string {
  return language === 'ru' ? RU_ACIDITY[acidity] : EN_ACIDITY[acidity];
}

/** A requested range of bodies as one phrase: [very_light, light] reads "лёгкое". */
export function bodyRangeLabel(bodies: readonly Body[], language: Language): string {
  const set = new Set(bodies);
  const is = (...expected: Body[]) => expected.length === set.size && expected.every((b) => set.has(b));
  if (is('very_light', 'light') || is('light')) return language === 'ru' ? 'лёгкое' : 'light-bodied';
  if (is('full', 'very_full') || is('full')) return language === 'ru' ? 'полнотелое' : 'full-bodied';
  if (is('very_light', 'light', 'medium')) return language === 'ru' ? 'не слишком тяжёлое' : 'not too heavy';
  if (is('medium', 'full', 'very_full')) return language === 'ru' ? 'насыщенное' : 'substantial';
  return bodies.map((b) => bodyLabel(b, language)).join(language === 'ru' ? ' или ' : ' or ');
}

export function countryName(country: string, language: Language): string {
  if (language === 'en') return country;
  return COUNTRIES.find((c) => c.name === country)?.ru ?? country;
}

export function fromPlace(country: string | undefined, region: string | undefined, language: Language): string {
  if (region) {
    const entry = REGIONS.find((r) => r.name === region);
    if (language === 'ru') return entry?.ruFrom ?? `из региона ${region}`;
    return `from ${region}`;
  }
  if (!country) return '';
  if (language === 'ru') return COUNTRIES.find((c) => c.name === country)?.ruFrom ?? `из страны ${country}`;
  return `from ${country === 'United States' ? 'the United States' : country === 'United Kingdom' ? 'the United Kingdom' : country}`;
}

/** Grape names read naturally in a Russian sentence ("пино нуар"); English keeps the dataset spelling. */
export function grapeName(grape: string, language: Language): string {
  if (language === 'en') return grape;
  const entry = GRAPES.find((g) => g.sameAs.includes(grape) || g.name === grape);
  return entry?.ru ?? grape;
}

/** "к говядине" / "beef". */
export function pairingPhrase(pairing: string, language: Language): string {
  const info = PAIRINGS[pairing];
  if (language === 'ru') return `к ${info?.ruTo ?? pairing.toLowerCase()}`;
  return info?.en ?? pairing.toLowerCase();
}

export function formatNumber(value: number, language: Language, digits = 1, keepZeros = false): string {
  const fixed = keepZeros ? value.toFixed(digits) : value.toFixed(digits).replace(/\.0+$/, '');
  return language === 'ru' ? fixed.replace('.', ',') : fixed;
}

export function formatCount(value: number, language: Language): string {
  return value.toLocaleString(language === 'ru' ? 'ru-RU' : 'en-US').replace(/\u00a0/g, ' ');
}

/** Russian plural: 1 оценка, 2 оценки, 5 оценок (11–14 take the last form). */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

export function joinList(items: readonly string[], language: Language): string {
  if (items.length <= 1) return items[0] ?? '';
  const and = language === 'ru' ? ' и ' : ' and ';
  return `${items.slice(0, -1).join(', ')}${and}${items.at(-1)}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What to call a constraint when suggesting to drop it. */
export function broadenHint(key: ConstraintKey, language: Language): string {
  const ru: Record<ConstraintKey, string> = {
    type: 'вино другого цвета или стиля',
    country: 'другие страны',
    region: 'соседние регионы',
    grape: 'другие сорта',
    pairing: 'вина без явной рекомендации к этому блюду',
    body: 'вино другой полноты',
    acidity: 'другую кислотность',
    abv: 'другую крепость',
    rating: 'вина с оценкой чуть ниже',
    price: 'вина без указанной цены',
  };
  const en: Record<ConstraintKey, string> = {
    type: 'another colour or style',
    country: 'other countries',
    region: 'neighbouring regions',
    grape: 'other grapes',
    pairing: 'wines not specifically listed for this dish',
    body: 'a different body',
    acidity: 'a different acidity',
    abv: 'a different strength',
    rating: 'slightly lower-rated wines',
    price: 'wines without a listed price',
  };
  return language === 'ru' ? ru[key] : en[key];
}

/** Serving temperature by type: general guidance, not a claim about a particular wine. */
export function servingTip(type: WineType, language: Language): string {
  const ru: Record<WineType, string> = {
    red: 'Красное лучше подать при 16–18 °C.',
    white: 'Белое стоит охладить до 8–12 °C.',
    rose: 'Розовое хорошо охладить до 8–10 °C.',
    sparkling: 'Игристое подавайте хорошо охлаждённым, при 6–8 °C.',
    dessert: 'Десертные вина раскрываются при 10–12 °C.',
    port: 'Портвейн подают при 14–18 °C.',
  };
  const en: Record<WineType, string> = {
    red: 'Serve the reds at 16–18 °C.',
    white: 'Chill the whites to 8–12 °C.',
    rose: 'Rosé is best chilled to 8–10 °C.',
    sparkling: 'Serve sparkling wine well chilled, at 6–8 °C.',
    dessert: 'Dessert wines show best at 10–12 °C.',
    port: 'Port is served at 14–18 °C.',
  };
  return language === 'ru' ? ru[type] : en[type];
}
