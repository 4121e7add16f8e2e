/**
 * Offline "semantic" search: the query is read through the vocabulary (Russian → English, food →
 * pairing words, style words → descriptors) and becomes a Postgres tsquery over `search_vector`.
 */
import { singular } from './lexicon/index.js';
import type { VocabularyEntry } from './vocabulary.js';
import { analyze } from './vocabulary.js';

export interface FullTextQuery {
  /** Every concept must match ("light" AND "fruity" AND "picnic"). */
  all: string;
  /** Any concept may match: the fallback when the strict query finds nothing. */
  any: string;
}

/** Only letters and digits reach `to_tsquery`, so no user text can change the query's syntax. */
function lexeme(word: string): string | null {
  const clean = word.replace(/[^\p{L}\p{N}]/gu, '');
  if (clean === '') return null;
  // Prefix matching covers plurals and derived forms ("oyster" finds "oysters", "fruit" finds "fruity").
  return clean.length >= 4 ? `${clean}:*` : clean;
}

function termQuery(term: string): string | null {
  const parts = term
    .split(/[\s-]+/)
    .map(lexeme)
    .filter((part): part is string => part !== null);
  if (parts.length === 0) return null;
  return parts.length === 1 ? (parts[0] ?? null) : `(${parts.join(' & ')})`;
}

function entryTerms(entry: VocabularyEntry): string[] {
  return [
    ...(entry.search ?? []),
    ...(entry.country ? [entry.country] : []),
    ...(entry.regions?.slice(0, 1) ?? []),
    ...(entry.grapes ?? []),
  ];
}

/** The tsquery texts for a free-text request, or null when it has no searchable word. */
export function buildFullTextQuery(text: string): FullTextQuery | null {
  const concepts: string[] = [];
  for (const match of analyze(text)) {
    const terms =
      match.entries.length > 0 ? match.entries.flatMap(entryTerms) : match.words.map((word) => singular(word));
    const alternatives = [...new Set(terms.map(termQuery).filter((query): query is string => query !== null))];
    if (alternatives.length === 0) continue;
    const concept = alternatives.length === 1 ? (alternatives[0] ?? '') : `(${alternatives.join(' | ')})`;
    if (!concepts.includes(concept)) concepts.push(concept);
  }
  if (concepts.length === 0) return null;
  return { all: concepts.join(' & '), any: concepts.join(' | ') };
}
