/**
 * General questions about wine ("what's the difference between Merlot and Cabernet Sauvignon?", "что такое
 * танины?"): a short explanation, grounded in what the catalog shows about the grapes asked about, instead
 * of a search for the question's words.
 */
import type { Body } from '../catalog/index.js';
import type { SearchWinesArgs } from '../tools/index.js';
import { grapeSatisfied, regionSatisfied, type WineQuestion } from '../understanding/index.js';
import type { ComposedReply } from './reply.js';
import type { ToolRound, ToolWine } from './transcript.js';
import type { GrapeFacts, Wording } from './wording/index.js';

/** Enough of a grape's best wines to say what is typical of them. */
const GRAPE_SAMPLE = 20;

/** The searches a question needs: the best wines of each grape it names; none for a topic. */
export function questionSearches(question: WineQuestion): SearchWinesArgs[] {
  switch (question.kind) {
    case 'compare':
      return question.grapes.map((grape) => ({ grape, sort: 'rating', limit: GRAPE_SAMPLE }));
    case 'compareStyles':
      return question.styles.map((region) => ({ region, sort: 'rating', limit: GRAPE_SAMPLE }));
    case 'grape':
      return [{ grape: question.grape, sort: 'rating', limit: GRAPE_SAMPLE }];
    case 'topic':
      return [];
  }
}

/** The most frequent values, at most `max`, each seen more than once when there is a choice. */
function mostCommon<T>(values: readonly T[], max: number): T[] {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .filter(([, count], index) => index === 0 || count > 1)
    .slice(0, max)
    .map(([value]) => value);
}

function factsAbout(subject: string, rounds: readonly ToolRound[], by: 'grape' | 'region'): GrapeFacts {
  const wines: ToolWine[] = [];
  for (const call of rounds.flatMap((round) => round.calls)) {
    if (call.name !== 'search_wines' || call.args?.[by] !== subject) continue;
    for (const wine of call.wines) {
      const fits = by === 'grape' ? grapeSatisfied(subject, wine.grapes) : regionSatisfied(subject, wine.region);
      if (fits && !wines.some((w) => w.id === wine.id)) wines.push(wine);
    }
  }
  // An example made mostly of the grape, so tasting it says something about the grape.
  const example = (by === 'grape' ? wines.find((wine) => wine.grapes.length === 1) : undefined) ?? wines[0] ?? null;
  return {
    grape: subject,
    seen: wines.length,
    body: mostCommon(wines.flatMap((wine): Body[] => (wine.body ? [wine.body] : [])), 1)[0] ?? null,
    pairings: mostCommon(wines.flatMap((wine) => wine.pairings), 3),
    countries: mostCommon(wines.flatMap((wine) => (wine.country ? [wine.country] : [])), 2),
    example,
  };
}

export function answerQuestion(question: WineQuestion, rounds: readonly ToolRound[], words: Wording): ComposedReply {
  switch (question.kind) {
    case 'compare': {
      const [a, b] = question.grapes.map((grape) => factsAbout(grape, rounds, 'grape')) as [GrapeFacts, GrapeFacts];
      return { text: words.compareGrapes(a, b), wineIds: [a.example, b.example].flatMap((wine) => (wine ? [wine.id] : [])) };
    }
    case 'compareStyles': {
      const [a, b] = question.styles.map((style) => factsAbout(style, rounds, 'region')) as [GrapeFacts, GrapeFacts];
      return { text: words.compareStyles(a, b), wineIds: [a.example, b.example].flatMap((wine) => (wine ? [wine.id] : [])) };
    }
    case 'grape': {
      const facts = factsAbout(question.grape, rounds, 'grape');
      return { text: words.aboutGrape(facts), wineIds: facts.example ? [facts.example.id] : [] };
    }
    case 'topic':
      return { text: words.aboutTopic(question.topic), wineIds: [] };
  }
}
