/**
 * Occasions: what a wine is for rather than what it is. The catalog has no column for them, so search looks
 * them up as descriptors the wines' search text derives from their facts (src/catalog/descriptors.ts), and
 * replies name them in the person's language.
 */
export interface Occasion {
  key: string;
  /** Full-text descriptors. */
  search: string[];
  /** Russian phrase after the wine: "игристое на день рождения". */
  ru: string;
  /** English phrase after the wine: "a sparkling wine for a birthday". */
  en: string;
}

export interface OccasionTerm {
  words: string[];
  occasion: Occasion;
}

const occasion = (key: string, search: string[], ru: string, en: string, words: string[]): OccasionTerm => ({
  words,
  occasion: { key, search, ru, en },
});

export const OCCASIONS: readonly OccasionTerm[] = [
  occasion('picnic', ['picnic'], 'для пикника', 'for a picnic', ['picnic', 'outdoor|outdoors', 'пикник*', 'природ*']),
  occasion('summer', ['summer'], 'на лето', 'for summer', ['summer', 'hot day|weather', 'terrace', 'beach', 'лето|летом|лету', 'летн*', 'жара|жару|жаркий|жаркую|жарко|жаркое', 'терас*', 'пляж*']),
  occasion('winter', ['winter'], 'на зимний вечер', 'for a winter evening', ['winter', 'cold evening', 'fireplace', 'зим*', 'камин*']),
  occasion('birthday', ['celebration'], 'на день рождения', 'for a birthday', ['birthday', 'день|дня|днем рождения']),
  occasion('wedding', ['celebration'], 'на свадьбу', 'for a wedding', ['wedding', 'свадьб*']),
  occasion('new-year', ['celebration'], 'на Новый год', 'for New Year', ['new year|years', 'новый|нового|новому|новом год|года|году|годом', 'новогодн*']),
  occasion('celebration', ['celebration'], 'к празднику', 'for a celebration', ['celebration', 'celebrate', 'party', 'festive', 'toast', 'праздн*', 'вечеринк*', 'торжеств*', 'отмет*', 'тост*']),
  occasion('romantic', ['romantic'], 'для романтического вечера', 'for a romantic evening', ['romantic', 'date', 'романтич*', 'свидани*']),
  occasion('dinner', ['dinner'], 'к ужину', 'for dinner', ['dinner', 'ужин*']),
  occasion('gift', ['gift'], 'в подарок', 'as a gift', ['gift', 'present', 'подар*']),
];
