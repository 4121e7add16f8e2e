/**
 * The words around numbers: currencies, units and bounds. "до 30 евро", "€30", "30 euros", "under $25",
 * "от 12 до 14%", "рейтинг выше 4", "4.2+ stars" are all read from these.
 */

export interface Currency {
  /** ISO code, as the importer stores it. */
  code: string;
  /** Single-character signs ("€"). */
  signs: string[];
  words: string[];
}

export const CURRENCIES: readonly Currency[] = [
  { code: 'RUB', signs: ['₽'], words: ['руб*', 'р', 'rub', 'rur', 'ruble|rubles|rouble|roubles'] },
  { code: 'USD', signs: ['$'], words: ['usd', 'долл*', 'бакс*', 'buck|bucks', 'dollar|dollars'] },
  { code: 'EUR', signs: ['€'], words: ['eur', 'euro|euros', 'евро'] },
  { code: 'GBP', signs: ['£'], words: ['gbp', 'pound|pounds', 'фунт*'] },
];

/** What a number measures, told by the word or sign right after it (or a word shortly before it). */
export type Quantity = 'abv' | 'rating' | 'price';

export const UNIT_SIGNS: Record<string, Quantity> = { '%': 'abv', '°': 'abv' };

export const UNIT_WORDS: Record<Quantity, string[]> = {
  abv: ['процент*', 'градус*', 'град', 'abv', 'alc', 'alcohol', 'vol'],
  rating: ['звезд*', 'star|stars', 'балл*', 'point|points'],
  price: [],
};

/** Words that announce what a following number measures: "крепость до 13", "рейтинг выше 4", "цена до 2000". */
export const CONTEXT_WORDS: Record<Quantity, string[]> = {
  abv: ['крепост*', 'алкогол*', 'abv', 'alcohol', 'strength'],
  rating: ['рейтинг*', 'оценк*', 'оценен*', 'rating', 'rated', 'score|scored'],
  price: ['цен*', 'стоимост*', 'бюджет*', 'price', 'priced', 'cost|costs', 'budget', 'за'],
};

/** "тыс": a thousand times the number right before it ("до 2 тыс руб"). */
export const THOUSAND_WORDS = ['тыс', 'тысяч*', 'тыщ*', 'thousand'];

export type Bound = 'max' | 'min';

export const BOUND_WORDS: Record<Bound, string[]> = {
  max: [
    'до', 'не более|больше|выше|дороже|крепче', 'менее', 'меньше', 'ниже', 'максимум', 'макс', 'дешевле', 'в пределах',
    'under', 'below', 'less than', 'at most', 'up to', 'no|not more than', 'max|maximum', 'within', 'cheaper than', 'lower than', 'no higher than',
  ],
  min: [
    'от', 'не менее|меньше|ниже|слабее|дешевле', 'более', 'больше', 'выше', 'крепче', 'дороже', 'минимум', 'мин',
    'over', 'above', 'more than', 'at least', 'min|minimum', 'from', 'higher than', 'of at least',
  ],
};

export const BOUND_SIGNS: Record<string, Bound> = { '<': 'max', '≤': 'max', '>': 'min', '≥': 'min' };

/** Between two numbers: "12-14%", "от 12 до 14", "between 12 and 14", "from 20 to 30 euros". */
export const RANGE_WORDS = ['до', 'to', 'and', 'и', 'по'];
export const RANGE_SIGNS = ['-', '‐', '‑', '–', '—'];
