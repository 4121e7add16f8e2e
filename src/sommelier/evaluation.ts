import type { Body, Wine, WineType } from '../catalog/types.js';

/** The hard constraints a person states; a subset of what request understanding reads. */
export interface HardConstraints {
  types?: WineType[] | undefined;
  excludeTypes?: WineType[] | undefined;
  country?: string | undefined;
  grape?: string | undefined;
  pairing?: string | undefined;
  body?: Body[] | undefined;
}

const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export function hasHardConstraints(c: HardConstraints): boolean {
  return Boolean(c.types?.length || c.excludeTypes?.length || c.country || c.grape || c.pairing || c.body?.length);
}

/** Whether a wine meets every stated hard constraint (pairing "Cheese" accepts any cheese, "Fish" any fish). */
export function satisfiesConstraints(wine: Wine, c: HardConstraints): boolean {
  if (c.types?.length && !c.types.includes(wine.type)) return false;
  if (c.excludeTypes?.includes(wine.type)) return false;
  if (c.country && fold(wine.country ?? '') !== fold(c.country)) return false;
  if (c.grape) {
    const grape = fold(c.grape);
    if (!wine.grapes.some((g) => fold(g).includes(grape) || grape.includes(fold(g)))) return false;
  }
  if (c.pairing) {
    const pairing = fold(c.pairing);
    if (!wine.pairings.some((p) => fold(p) === pairing || fold(p).includes(pairing))) return false;
  }
  if (c.body?.length && (wine.body === null || !c.body.includes(wine.body))) return false;
  return true;
}

/** Share of recommended wines that meet the request's hard constraints; null when nothing to judge. */
export function constraintSatisfaction(recommended: Wine[], constraints: HardConstraints): number | null {
  if (recommended.length === 0 || !hasHardConstraints(constraints)) return null;
  const satisfied = recommended.filter((wine) => satisfiesConstraints(wine, constraints)).length;
  return satisfied / recommended.length;
}

const normaliseName = (name: string): string => fold(name).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** Wines from tool results whose names the reply mentions, in the order the reply mentions them. */
export function winesNamedInReply(reply: string, candidates: Iterable<Wine>): Wine[] {
  const text = ` ${normaliseName(reply)} `;
  const found: { wine: Wine; at: number }[] = [];
  const seen = new Set<number>();
  // Longest names first so "Reserva Malbec" is not claimed by a wine called "Malbec".
  const byLength = [...candidates].sort((a, b) => b.name.length - a.name.length);
  let remaining = text;
  for (const wine of byLength) {
    if (seen.has(wine.id)) continue;
    const name = normaliseName(wine.name);
    if (!name) continue;
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
