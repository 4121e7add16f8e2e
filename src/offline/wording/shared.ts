/** Small helpers both languages' wordings use. */
import { COUNTRIES, GRAPES, REGIONS } from '../../catalog/lexicon/index.js';

/** One of several phrasings, picked by a hash of the message so the same message always reads the same. */
export const choose = <T>(options: readonly T[], seed: number): T => options[seed % options.length] as T;

export function formatNumber(value: number, decimalComma: boolean, digits = 1, keepZeros = false): string {
  const fixed = keepZeros ? value.toFixed(digits) : value.toFixed(digits).replace(/\.0+$/, '');
  return decimalComma ? fixed.replace('.', ',') : fixed;
}

export function joinList(items: readonly string[], and: string): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}

export const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export const countryEntry = (name: string) => COUNTRIES.find((country) => country.name === name);
export const regionEntry = (name: string) => REGIONS.find((region) => region.name === name);
/** The grape entry of that name, or else the one that lists it as a synonym (Primitivo is its own entry). */
export const grapeEntry = (name: string) =>
  GRAPES.find((grape) => grape.name === name) ?? GRAPES.find((grape) => grape.synonyms.includes(name));

/** A small stable hash so the offline engine can vary its wording deterministically. */
export function stableHash(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}
