import { foldedWords, type Wine } from '../catalog/index.js';
import { moduleCache } from '../shared/index.js';
import { constraintViolations, type CheckableConstraints, type RequestConstraints } from '../understanding/index.js';

/**
 * Share of recommended wines that meet the request's core constraints (type, country, grape, food,
 * body — what a person checks on the label); null when there is nothing to judge.
 */
export function constraintSatisfaction(recommended: Wine[], constraints: RequestConstraints): number | null {
  const core: CheckableConstraints = {
    types: constraints.types,
    excludeTypes: constraints.excludeTypes,
    country: constraints.country,
    grape: constraints.grape,
    pairing: constraints.pairing,
    body: constraints.body,
  };
  const judged = Object.values(core).some((value) => (Array.isArray(value) ? value.length > 0 : value !== undefined));
  if (recommended.length === 0 || !judged) return null;
  const satisfied = recommended.filter((wine) => constraintViolations(wine, core).length === 0).length;
  return satisfied / recommended.length;
}

/** Wine names recur on every reply that lists them; their normalised forms are kept, as are recent replies'. */
const normalisedNames = moduleCache<string, string>('agent/evaluation.normalisedNames', 5000);
const normalisedReplies = moduleCache<string, string>('agent/evaluation.normalisedReplies', 500);
const normaliseName = (name: string): string => normalisedNames.through(name, foldedWords);

/** Wines from tool results whose names the reply mentions, in the order the reply mentions them. */
export function winesNamedInReply(reply: string, candidates: Iterable<Wine>): Wine[] {
  const text = ` ${normalisedReplies.through(reply, foldedWords)} `;
  // Most candidates are not named at all; only those whose name occurs anywhere need the claiming below.
  const named: { wine: Wine; name: string }[] = [];
  for (const wine of candidates) {
    const name = normaliseName(wine.name);
    if (name && text.includes(` ${name} `)) named.push({ wine, name });
  }
  const found: { wine: Wine; at: number }[] = [];
  const seen = new Set<number>();
  // Longest names first so "Reserva Malbec" is not claimed by a wine called "Malbec".
  named.sort((a, b) => b.wine.name.length - a.wine.name.length);
  let remaining = text;
  for (const { wine, name } of named) {
    if (seen.has(wine.id)) continue;
    const at = remaining.indexOf(` ${name} `);
    if (at === -1) continue;
    seen.add(wine.id);
    found.push({ wine, at: text.indexOf(` ${name} `) });
    remaining = remaining.slice(0, at) + ' '.repeat(name.length + 2) + remaining.slice(at + name.length + 2);
  }
  return found.sort((a, b) => a.at - b.at).map((entry) => entry.wine);
}

/**
 * Items the reply presents as recommendations: numbered or bulleted lines, or bold phrases.
 * A reply may only recommend tool-returned wines, so each item must mention one of them.
 */
export function recommendationItems(reply: string): string[] {
  const items = reply
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(\d+[.)]|[-*•–])\s+\S/.test(line));
  if (items.length > 0) return items;
  return [...reply.matchAll(/\*\*([^*]+)\*\*|<b>([^<]+)<\/b>/g)].map((m) => m[1] ?? m[2] ?? '');
}

/** 1 when every recommendation item names a wine that came from a tool result; the share otherwise. */
export function groundedness(reply: string, toolWines: Iterable<Wine>): number {
  const items = recommendationItems(reply);
  const wines = [...toolWines];
  if (items.length === 0) return 1;
  const grounded = items.filter((item) => winesNamedInReply(item, wines).length > 0).length;
  return grounded / items.length;
}
