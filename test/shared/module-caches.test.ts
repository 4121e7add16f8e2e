import { describe, expect, it } from 'vitest';
import { entriesForWholeTerm } from '../../src/catalog/vocabulary.js';
import { isSecretFieldName, redactSerialized, redactValue } from '../../src/masking.js';
import { moduleCacheSizes } from '../../src/shared/index.js';
import { regionSatisfied } from '../../src/understanding/index.js';
// Loaded for the caches they declare: the inventory below is of the whole of src/.
import '../../src/agent/index.js';
import '../../src/offline/index.js';

/** A distinct text with nothing to mask, `length` characters long. */
const filler = (i: number, length: number): string => `note ${i.toString(36)} ${'lorem ipsum '.repeat(length / 12)}`.slice(0, length);

const sizeOf = (name: string) => {
  const found = moduleCacheSizes().find((cache) => cache.name === name);
  if (!found) throw new Error(`no module cache named ${name}`);
  return found;
};

describe('module-level caches', () => {
  it('are all registered, each with a byte bound', () => {
    const caches = moduleCacheSizes();
    expect(caches.map((cache) => cache.name).sort()).toEqual([
      'agent/evaluation.normalisedNames',
      'agent/evaluation.normalisedReplies',
      'catalog/vocabulary.wholeTermEntries',
      'masking.knownClean',
      'masking.knownCleanLiterals',
      'masking.secretFieldNames',
      'offline/names.foldedLines',
      'offline/names.foldedReplies',
      'offline/ranking.prestigeOf',
      'offline/transcript.recentToolReadings',
      'understanding/matching.acceptedGrapes',
      'understanding/matching.acceptedRegions',
      'understanding/matching.comparableForms',
      'understanding/matching.regionHaystacks',
      'understanding/matching.sweetnessOf',
      'understanding/message.recentReadings',
      'understanding/subjects.describedFoods',
    ]);
    for (const cache of caches) expect(cache.maxBytes, cache.name).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  // Each flood pushes several times the cache's byte bound of distinct input through the public function.
  it.each([
    ['masking.knownClean', (i: number) => redactValue(filler(i, 4000)), 1_500],
    ['masking.knownCleanLiterals', (i: number) => redactSerialized(JSON.stringify({ note: filler(i, 4000) })), 1_500],
    ['masking.secretFieldNames', (i: number) => isSecretFieldName(filler(i, 2000)), 500],
    ['catalog/vocabulary.wholeTermEntries', (i: number) => entriesForWholeTerm(`${'q'.repeat(3000)}${i}`), 1_000],
    ['understanding/matching.regionHaystacks', (i: number) => regionSatisfied('Bordeaux', filler(i, 4000)), 1_500],
  ])('a flood of distinct inputs keeps %s under its byte bound', (name, use, count) => {
    for (let i = 0; i < count; i += 1) {
      use(i);
      expect(sizeOf(name).bytes).toBeLessThanOrEqual(sizeOf(name).maxBytes);
    }
    const { bytes, maxBytes } = sizeOf(name);
    // It was used (and rotated), not bypassed.
    expect(bytes).toBeGreaterThan(maxBytes / 4);
  });
});
