/**
 * Russian word forms spelled out where a stem with `*` would also read other words ("бел*" would read
 * "белорусское", "сух*" "сухофрукты"): `forms('бел', ADJECTIVE)` is the pattern slot "белое|белого|…".
 */
export function forms(stem: string, endings: readonly string[]): string {
  return endings.map((ending) => `${stem}${ending}`).join('|');
}

/** Adjective endings, hard and soft stems, every gender, number and case. */
export const ADJECTIVE = [
  'ое', 'ого', 'ому', 'ым', 'ом', 'ые', 'ых', 'ыми', 'ая', 'ой', 'ую', 'ый',
  'ие', 'их', 'ими', 'ий', 'ему', 'ем', 'ее', 'яя', 'юю', 'им',
] as const;

/** Hard masculine noun endings: десерт, десерта, десерту, … */
export const NOUN = ['', 'а', 'у', 'ом', 'е', 'ы', 'ов', 'ам', 'ами', 'ах'] as const;

/** Feminine nouns in -а: паста, пасты, пасте, … */
export const NOUN_A = ['а', 'ы', 'е', 'у', 'ой', 'ам', 'ами', 'ах', ''] as const;
