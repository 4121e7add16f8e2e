/** The offline engine's English. */
import { PAIRINGS, type UnsupportedTopic, type WineTopic } from '../../../catalog/lexicon/index.js';
import type { Acidity, Body, WineType } from '../../../catalog/types.js';
import type { ConstraintKey, SmallTalk } from '../../../understanding/index.js';
import { capitalize, choose, formatNumber, joinList, regionEntry } from './shared.js';
import type { GrapeFacts, NearMiss, Opening, PriceNote, RequestSummary, WineLine, Wording } from './types.js';

const TYPE: Record<WineType, string> = {
  red: 'red', white: 'white', rose: 'rosé', orange: 'orange', sparkling: 'sparkling', dessert: 'dessert wine', port: 'port',
};
const BODY: Record<Body, string> = {
  very_light: 'very light-bodied', light: 'light-bodied', medium: 'medium-bodied', full: 'full-bodied', very_full: 'very full-bodied',
};
const ACIDITY: Record<Acidity, string> = { high: 'high acidity', medium: 'medium acidity', low: 'soft acidity' };
const ACIDITY_WORD: Record<Acidity, string> = { high: 'crisp', medium: 'balanced', low: 'soft' };

const number = (value: number, digits = 1, keepZeros = false) => formatNumber(value, false, digits, keepZeros);
const and = (items: readonly string[]) => joinList(items, 'and');
const or = (items: readonly string[]) => joinList(items, 'or');
const article = (phrase: string) => (/^[aeiou]/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`);
/** Dataset spellings read as one name: "Syrah/Shiraz" is Syrah, "Glera/Prosecco" Glera. */
const grape = (name: string) => name.split('/')[0] ?? name;
const pairing = (name: string) => PAIRINGS[name]?.en ?? name.toLowerCase();
const country = (name: string) => (name === 'United States' || name === 'United Kingdom' ? `the ${name}` : name);
const region = (name: string) => regionEntry(name)?.en ?? name;
/**
 * A wine line calls a port "fortified": X-Wines has wines named just "Port", and a line that says "Port"
 * would name them too.
 */
const LINE_TYPE: Record<WineType, string> = { ...TYPE, port: 'fortified wine' };
const typeNoun = (type: WineType) => (type === 'dessert' || type === 'port' ? article(TYPE[type]) : `a ${TYPE[type]}`);

function bodyRange(bodies: readonly Body[]): string {
  const set = new Set(bodies);
  const is = (...expected: Body[]) => expected.length === set.size && expected.every((b) => set.has(b));
  if (is('very_light', 'light') || is('light')) return 'light-bodied';
  if (is('full', 'very_full') || is('full')) return 'full-bodied';
  if (is('very_light', 'light', 'medium')) return 'lighter';
  if (is('medium', 'full', 'very_full')) return 'substantial';
  return bodies.map((b) => BODY[b]).join(' or ');
}

const BROADEN: Record<ConstraintKey, string> = {
  type: 'another colour or style',
  sweetness: 'a different sweetness',
  sweet: 'sweeter wines',
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

const SERVING: Record<WineType, string> = {
  red: 'Serve the reds at 16–18 °C.',
  white: 'Chill the whites to 8–12 °C.',
  rose: 'Rosé is best chilled to 8–10 °C.',
  orange: 'Orange wine shows best lightly chilled, at 12–14 °C.',
  sparkling: 'Serve sparkling wine well chilled, at 6–8 °C.',
  dessert: 'Dessert wines show best at 10–12 °C.',
  port: 'Port is served at 14–18 °C.',
};

const UNSUPPORTED: Record<UnsupportedTopic, string> = {
  oak: 'the catalog has no oak information',
  organic: 'the catalog does not say which wines are organic, biodynamic or natural',
  sulfites: 'the catalog has no sulphite information',
  kosher: 'the catalog does not say which wines are kosher',
  ageing: 'the catalog has no information on how the wines were aged',
};

/** What is widely known about a grape; the catalog's facts about its wines follow it. */
const GRAPE_PROFILE: Record<string, string> = {
  'Cabernet Sauvignon': 'Cabernet Sauvignon has small, thick-skinned berries: firm tannins, deep colour, blackcurrant and cedar, and it needs time or food to soften.',
  Merlot: 'Merlot ripens earlier and is rounder: softer tannins, plum and cherry fruit, and it is approachable young.',
  'Pinot Noir': 'Pinot Noir is thin-skinned and light in tannin: red-fruited, silky and fresh, at its best from cool climates such as Burgundy.',
  'Syrah/Shiraz': 'Syrah (Shiraz in Australia) gives dark fruit, black pepper and firm structure; cool-climate Syrah is peppery, warm-climate Shiraz riper and richer.',
  Malbec: 'Malbec gives deep colour, plum and blackberry fruit and soft, ripe tannins; Argentina (Mendoza) made it famous.',
  Tempranillo: 'Tempranillo, Spain\'s great red (Rioja, Ribera del Duero, where it is called Tinto Fino), has cherry and savoury notes and medium acidity.',
  Sangiovese: 'Sangiovese, the grape of Chianti and Brunello, has cherry fruit, high acidity and firm, drying tannins that suit tomato dishes.',
  Nebbiolo: 'Nebbiolo (Barolo, Barbaresco) is pale but powerful: very high tannin and acidity, rose and tar aromas, long-lived.',
  Grenache: 'Grenache (Garnacha in Spain) is juicy and warm: red fruit, spice, soft tannin and often high alcohol.',
  Zinfandel: 'Zinfandel (Primitivo in Italy) is ripe and jammy, with spice and often high alcohol.',
  Primitivo: 'Primitivo (Zinfandel in California) is ripe and jammy, with spice and often high alcohol.',
  'Cabernet Franc': 'Cabernet Franc is lighter than Cabernet Sauvignon: red fruit, herbal and leafy notes, fresh acidity.',
  Carmenère: 'Carmenère, Chile\'s signature red, is soft and fruity with a green-pepper, herbal note.',
  Gamay: 'Gamay (Beaujolais) is light and juicy, low in tannin, best slightly chilled.',
  Mourvedre: 'Mourvèdre (Monastrell in Spain, Mataro in Australia) is dark, meaty and tannic, often blended with Grenache and Syrah.',
  Chardonnay: 'Chardonnay is a neutral grape that shows where it grows and how it is made: crisp and mineral in Chablis, round and rich in warmer places.',
  'Sauvignon Blanc': 'Sauvignon Blanc is aromatic and crisp: citrus, gooseberry and green, herbal notes, with high acidity.',
  Riesling: 'Riesling is aromatic with very high acidity; it is made in every style from bone dry to lusciously sweet (Auslese, Eiswein), so the label matters.',
  'Chenin Blanc': 'Chenin Blanc has high acidity and apple and honey notes, made dry, off-dry, sweet and sparkling.',
  'Pinot Grigio': 'Pinot Grigio (Pinot Gris in France) is light and fresh in the Italian style, rounder and spicier in Alsace.',
  Gewürztraminer: 'Gewürztraminer is intensely aromatic (lychee, rose) with low acidity and often a touch of sweetness.',
  Viognier: 'Viognier is aromatic and full, with apricot and blossom and soft acidity.',
  'Muscat/Moscato': 'Muscat is the grapiest of grapes: floral and fruity, from dry to sweet and sparkling (Moscato d\'Asti).',
  Alvarinho: 'Albariño (Alvarinho in Portugal) is crisp and saline, with citrus and stone fruit: a seafood wine.',
  'Touriga Nacional': 'Touriga Nacional, Portugal\'s leading red, is dark and floral with firm tannin, the backbone of Port and Douro reds.',
};

/** Place-named sparkling styles, by the region the catalog files them under. */
const STYLE_PROFILE: Record<string, string> = {
  Champagne:
    'Champagne comes only from the Champagne region of France, mostly from Chardonnay, Pinot Noir and Pinot Meunier, and gets its bubbles from a second fermentation in the bottle, with long ageing on the lees: fine bubbles, high acidity, toast and brioche notes.',
  Prosecco:
    'Prosecco comes from north-east Italy, from the Glera grape, and gets its bubbles in large tanks (the Charmat method): lighter, fruitier and softer, with pear and apple and frothier bubbles, made to drink young — and usually much cheaper.',
  Cava: 'Cava is Spain\'s traditional-method sparkling wine, mostly from Macabeo, Xarel-lo and Parellada: made like Champagne, but earthier and usually less expensive.',
  Crémant: 'Crémant is French sparkling wine made like Champagne but outside the region (Loire, Burgundy, Alsace): similar style, gentler price.',
  Franciacorta: 'Franciacorta is Italy\'s traditional-method sparkling wine from Lombardy, made like Champagne from Chardonnay and Pinot Noir.',
};

const SMALL_TALK: Record<SmallTalk, string> = {
  thanks: 'You are welcome, glad to help! If you need another bottle — for dinner, as a gift or just because — just ask.',
  greeting:
    'Hello! I am your sommelier. Tell me about the dish or the occasion and what you enjoy — colour, country, grape. For example: "a full-bodied red for steak" or "a light white for oysters".',
  offTopic:
    "I'm a sommelier, so that is outside what I can help with. Tell me about a dish, an occasion or a wine you like, and I'll suggest a bottle.",
};

const TOPIC: Record<WineTopic | UnsupportedTopic, string> = {
  tannin:
    'Tannins are compounds from grape skins, seeds and stems (and oak) that make the mouth feel dry and grippy, like strong tea. Thick-skinned red grapes such as Cabernet Sauvignon and Nebbiolo are the most tannic; white wines have almost none. Tannin softens with age and with fatty, protein-rich food, which is why tannic reds suit steak.',
  acidity:
    'Acidity is what makes a wine taste fresh and makes your mouth water. High-acid wines (Sauvignon Blanc, Riesling, Champagne) cut through rich and salty food; low-acid ones feel rounder and softer. The catalog gives every wine\'s acidity as low, medium or high.',
  body:
    'Body is how heavy a wine feels in the mouth, from light (like skimmed milk) to full (like cream). Alcohol, extract and sugar add body. The catalog gives every wine\'s body from very light to very full; lighter wines suit lighter food.',
  sweetness:
    'Sweetness is the sugar left after fermentation. Dry wines have almost none, off-dry a little, and dessert wines (Sauternes, Tokaji, Eiswein, Port) a lot. The catalog files sweet wines as dessert wines or ports; a few sweet whites are named for their style (Spätlese, Auslese).',
  temperature:
    'Serve sparkling wine at 6–8 °C, whites and rosés at 8–12 °C, light reds at 12–14 °C and fuller reds at 16–18 °C. Too warm and a wine tastes alcoholic, too cold and it tastes of little.',
  decanting:
    'Decant young, tannic reds for an hour or two to soften them, and old reds just before serving to leave the sediment behind. Most whites, rosés and everyday reds need no decanting.',
  storage:
    'An opened bottle of still wine keeps 2–3 days in the fridge with the cork back in (fuller reds and whites a little longer); sparkling wine a day or two with a stopper; fortified wines such as Port a few weeks. Unopened bottles like a dark, cool place at a steady 10–15 °C, lying down if they have a cork.',
  oak:
    'Oak barrels add vanilla, toast and spice and soften a wine by letting a little air in; stainless steel keeps it crisp and fruity. The catalog has no oak information, so I cannot tell you which of its wines were oaked.',
  organic:
    'Organic wines come from grapes grown without synthetic chemicals; biodynamic farming adds its own rules; "natural" wines are made with minimal intervention. The catalog does not say which of its wines are organic, biodynamic or natural.',
  sulfites:
    'Sulphites protect wine from oxidation and bacteria; almost every wine contains some, dry reds usually the least and sweet whites the most. The catalog has no sulphite information.',
  kosher: 'Kosher wine is made under rabbinical supervision. The catalog does not say which of its wines are kosher.',
  ageing:
    'Most wines are made to be drunk within a few years; tannic reds, high-acid whites and sweet wines can improve for decades. The catalog lists vintages but has no information on how the wines were aged.',
};

function grapeFacts(facts: GrapeFacts): string {
  if (facts.seen === 0) return `The catalog has no ${grape(facts.grape)} wines to show.`;
  const parts: string[] = [];
  if (facts.body) parts.push(`mostly ${BODY[facts.body]}`);
  if (facts.pairings.length > 0) parts.push(`paired with ${and(facts.pairings.map(pairing))}`);
  if (facts.countries.length > 0) parts.push(`from ${and(facts.countries.map(country))}`);
  return `In this catalog, the best-rated ${grape(facts.grape)} wines are ${parts.join(', ')}.`;
}

function example(facts: GrapeFacts): string | null {
  const wine = facts.example;
  if (!wine) return null;
  const where = [wine.winery, wine.country].filter(Boolean).join(', ');
  return `${wine.name}${where ? ` (${where})` : ''}`;
}

export const english: Wording = {
  language: 'en',
  bareRequest: 'wine',

  request(s: RequestSummary): string {
    const parts: string[] = [];
    if (s.bodies?.length) parts.push(bodyRange(s.bodies));
    if (s.acidity) parts.push(ACIDITY_WORD[s.acidity]);
    if (s.dry) parts.push('dry');
    if (s.sweet) parts.push('sweet');
    const sweetPair = s.types.length === 2 && s.types.includes('dessert') && s.types.includes('port');
    if (sweetPair) parts.push('sweet wine');
    else if (s.types.length) parts.push(s.types.map((t) => TYPE[t]).join(' or '));
    const typeIsNoun = sweetPair || (s.types.length > 0 && s.types.every((t) => t === 'dessert' || t === 'port'));
    if (s.grape) parts.push(grape(s.grape));
    else if (!typeIsNoun) parts.push('wine');
    if (s.region) parts.push(`from ${region(s.region)}`);
    else if (s.country) parts.push(`from ${country(s.country)}`);
    if (s.minAbv !== undefined && s.maxAbv !== undefined) parts.push(`at ${number(s.minAbv)}–${number(s.maxAbv)}% ABV`);
    else if (s.maxAbv !== undefined) parts.push(`under ${number(s.maxAbv)}% ABV`);
    else if (s.minAbv !== undefined) parts.push(`of at least ${number(s.minAbv)}% ABV`);
    if (s.minRating !== undefined) parts.push(`rated ${number(s.minRating)}+`);
    if (s.food) parts.push(`to go with ${s.food.en}`);
    for (const occasion of s.occasions) parts.push(occasion.en);
    let text = parts.join(' ');
    const excluded = [...s.excludedTypes.map((t) => TYPE[t]), ...s.excludedGrapes.map(grape), ...s.excludedCountries, ...s.excludedRegions.map(region)];
    if (excluded.length) text += `, but not ${excluded.join(' or ')}`;
    return text;
  },

  wineLine(line: WineLine): string {
    const { wine, detail } = line;
    const place = [detail.region ? wine.region : null, wine.country].filter(Boolean).join(', ');
    const who = [detail.winery ? wine.winery : null, place].filter(Boolean).join(', ');
    const head = `${line.index}. ${wine.name}${who ? ` — ${who}` : ''}.`;
    const style: string[] = [];
    if (wine.type && detail.type) style.push(`${LINE_TYPE[wine.type]}${line.sweet ? ' (sweet)' : ''}`);
    else if (line.sweet) style.push('sweet');
    if (wine.body) style.push(BODY[wine.body]);
    if (wine.acidity && line.showAcidity) style.push(ACIDITY[wine.acidity]);
    if (detail.grapes && wine.grapes.length > 0) {
      const grapes = wine.grapes.slice(0, 3).map(grape);
      const more = wine.grapes.length > 3 ? ' and others' : '';
      style.push(grapes.length === 1 ? (grapes[0] ?? '') : `a blend of ${and(grapes)}${more}`);
    }
    if (wine.abv !== null) style.push(`${number(wine.abv)}% ABV`);
    const sentences: string[] = [];
    if (style.length) sentences.push(`${capitalize(style.join(', '))}.`);
    const why: string[] = [];
    if (line.matchedFood) {
      const also = line.otherPairings.length ? `, and also with ${and(line.otherPairings.map(pairing))}` : '';
      why.push(`Works well with ${line.matchedFood.en}${also}`);
    } else if (line.otherPairings.length) {
      why.push(`Pairs with ${and(line.otherPairings.map(pairing))}`);
    }
    if (wine.rating !== null) {
      const count = wine.ratingCount ?? 0;
      const votes = count > 0 ? ` by ${count.toLocaleString('en-US')} ${count === 1 ? 'drinker' : 'drinkers'}` : '';
      why.push(`${why.length ? 'rated' : 'Rated'} ${number(wine.rating, 1, true)}/5${votes}`);
    }
    if (why.length) sentences.push(`${why.join('; ')}.`);
    if (wine.price !== null) sentences.push(`Catalog price: ${number(wine.price, 2)}${wine.currency ? ` ${wine.currency}` : ''}.`);
    if (line.differs) {
      const list = line.differs.keys.map((key) => violation(key, line)).join('; ');
      sentences.push(`${line.differs.core ? 'Differs from your request' : 'Slightly outside the request'}: ${list}.`);
    }
    return `${head} ${sentences.join(' ')}`.trim();
  },

  opening(o: Opening): string {
    switch (o.kind) {
      case 'unsure':
        return "I'm not sure I understood the request, so here are some of the best-rated wines in the catalog:";
      case 'general':
        return `Here are a few wines I'd recommend${o.occasions.length ? ` ${and(o.occasions.map((x) => x.en))}` : ''}:`;
      case 'widened':
        return `Few wines in the catalog match every condition (${article(o.summary)}), so I widened the search a little; the differences are noted for each wine:`;
      case 'matches':
        return choose(
          [
            `Happy to help! Here are my picks for ${article(o.summary)}:`,
            `Here's what I'd pour for ${article(o.summary)}:`,
            `Great request — ${article(o.summary)}. Here's what the catalog has:`,
          ],
          o.seed,
        );
      case 'onlyFew':
        return `Only ${o.count === 1 ? 'one wine' : 'two wines'} in the catalog ${o.count === 1 ? 'matches' : 'match'} everything you asked for (${article(o.summary)}):`;
    }
  },

  nothingFound(summary, broaden) {
    return `Sorry — I couldn't find anything in the catalog${summary !== 'wine' ? ` for ${article(summary)}` : ' that fits'}. ${broaden}`;
  },

  broaden(keys) {
    const hints = keys.slice(0, 2).map((key) => BROADEN[key]);
    return hints.length
      ? `If you're open to ${hints.join(' or ')}, tell me and I'll find more.`
      : 'Tell me more about the occasion, the dish or the style you like and I will look again.';
  },

  noPrices(note: PriceNote) {
    const budget = note.budget;
    const limit = budget?.max ?? budget?.min;
    const cost =
      limit !== undefined
        ? `The catalog has no prices, so I can't check the ${budget?.max !== undefined ? 'limit' : 'minimum'} of ${number(limit, 2)}${budget?.currency ? ` ${budget.currency}` : ''}`
        : "The catalog has no prices, so I can't compare on cost";
    return note.prestigeLeftOut
      ? `${cost}; I left out famously expensive bottles and picked widely drunk, well-rated ones instead.`
      : `${cost}; these are the best matches on everything else.`;
  },

  noOthers: () => 'The catalog has no other wines for these conditions.',
  describeMore: () => 'Tell me the dish or the occasion and the style you like, and I will narrow it down.',

  unsupported(topics) {
    return `${capitalize(and(topics.map((topic) => UNSUPPORTED[topic])))}, so I could not take that into account.`;
  },

  servingTip: (type) => SERVING[type],

  invitation: (seed) =>
    choose(
      [
        'Want something lighter, from another country or for a different dish? Just say.',
        'Tell me if you would like to narrow it down by country, grape or dish.',
        'If none of these feel right, tell me what to change.',
      ],
      seed,
    ),

  smallTalk: (kind) => SMALL_TALK[kind],

  nearMiss(n: NearMiss) {
    const options = n.alternatives.map((alternative) => {
      switch (alternative.key) {
        case 'country':
          return `the same from ${or(alternative.countries.map(country))}`;
        case 'region':
          return `the same from other regions (${or(alternative.regions.map(region))})`;
        case 'type':
          return `${or(alternative.types.map((t) => TYPE[t]))} instead`;
        case 'grape':
          return `other grapes (${or(alternative.grapes.map(grape))})`;
        case 'body':
          return `the same with another body (${or(alternative.bodies.map((b) => BODY[b]))})`;
        case 'pairing':
          return `wines not specifically listed for ${n.food?.en ?? 'this dish'}`;
        case 'sweetness':
          return 'a different sweetness';
      }
    });
    return [
      `Nothing in the catalog matches ${article(n.summary)}, so I won't suggest a bottle that isn't what you asked for.`,
      options.length ? `It does have ${options.join('; or ')}. Tell me which way to go and I'll pick the wines.` : '',
    ]
      .filter(Boolean)
      .join(' ');
  },

  noSearch: () => "I can't look into the catalog right now, so I won't name wines at random. Please ask again in a moment.",
  catalogDown: () => "I couldn't reach the wine catalog just now — please try again in a moment.",

  compareGrapes(a, b) {
    const profiles = [GRAPE_PROFILE[a.grape], GRAPE_PROFILE[b.grape]].filter(Boolean).join(' ');
    const examples = [example(a), example(b)].filter((x): x is string => x !== null);
    return [
      profiles || `${grape(a.grape)} and ${grape(b.grape)} are different grape varieties.`,
      `${grapeFacts(a)} ${grapeFacts(b).replace(/^In this catalog, the/, 'The')}`,
      examples.length ? `To taste the difference side by side: ${and(examples)}.` : '',
    ]
      .filter(Boolean)
      .join('\n\n');
  },

  compareStyles(a, b) {
    const profiles = [STYLE_PROFILE[a.grape], STYLE_PROFILE[b.grape]].filter(Boolean).join(' ');
    const examples = [example(a), example(b)].filter((x): x is string => x !== null);
    return [
      profiles,
      `${grapeFacts(a)} ${grapeFacts(b).replace(/^In this catalog, the/, 'The')}`,
      examples.length ? `To taste the difference side by side: ${and(examples)}.` : '',
    ]
      .filter(Boolean)
      .join('\n\n');
  },

  aboutGrape(facts) {
    const sample = example(facts);
    return [GRAPE_PROFILE[facts.grape] ?? '', grapeFacts(facts), sample ? `A good example: ${sample}.` : '']
      .filter(Boolean)
      .join('\n\n');
  },

  aboutTopic: (topic) => TOPIC[topic],
};

function violation(key: ConstraintKey, line: WineLine): string {
  const { wine } = line;
  switch (key) {
    case 'type':
      return wine.type ? `it is ${typeNoun(wine.type)}` : 'a different type';
    case 'sweetness':
      return line.sweet ? 'it is sweet' : 'it is not sweet';
    case 'sweet':
      return 'it is sweet';
    case 'country':
      return `from ${wine.country ?? 'elsewhere'}`;
    case 'region':
      return `region: ${wine.region ?? 'not given'}`;
    case 'grape':
      return `grapes: ${wine.grapes.map(grape).join(', ') || 'not given'}`;
    case 'pairing':
      return `not specifically listed ${line.food ? `for ${line.food.en}` : 'for this food'}`;
    case 'body':
      return wine.body ? BODY[wine.body] : 'body not given';
    case 'acidity':
      return wine.acidity ? ACIDITY[wine.acidity] : 'acidity not given';
    case 'abv':
      return wine.abv !== null ? `${number(wine.abv)}% ABV` : 'ABV not given';
    case 'rating':
      return wine.rating !== null ? `rated ${number(wine.rating, 1, true)}` : 'no ratings yet';
    case 'price':
      return wine.price !== null ? `price ${number(wine.price, 2)}` : 'no listed price';
  }
}

