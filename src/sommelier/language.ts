export type Language = 'ru' | 'en';

/** Cyrillic letters decide: the sommelier's users write Russian or English. */
export function detectLanguage(text: string): Language {
  const cyrillic = text.match(/[\u0400-\u04FF]/g)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return cyrillic > 0 && cyrillic >= latin / 3 ? 'ru' : 'en';
}
