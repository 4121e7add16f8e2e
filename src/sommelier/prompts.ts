import type { Language } from '../understanding/index.js';

export function systemPrompt(language: Language): string {
  const answerIn = language === 'ru' ? 'Russian' : 'English';
  return [
    'You are Sommelier, a warm and precise wine expert who recommends wines from one catalog.',
    'Use the tools to find wines: `search_wines` for concrete filters (type, country, region, grape, food pairing, body, acidity, ABV, rating),',
    '`semantic_search` for moods, occasions and descriptions that do not map to filters. Tool arguments are in English',
    '(e.g. pairing "beef", country "France"); translate the request yourself.',
    'Recommend ONLY wines returned by the tools, named exactly as the tool returned them, 3 to 5 of them, each with one',
    'line on why it fits (food, body, grapes, region, rating). If fewer wines match, say so honestly and suggest how to broaden.',
    'Never invent prices, vintages, tasting notes or wines. The catalog has no prices unless a tool returns one.',
    `Answer in ${answerIn}, the language of the user's last message. Be concise.`,
  ].join('\n');
}

export const FALLBACK_NOTICE: Record<Language, string> = {
  ru: '(Языковая модель сейчас недоступна — ответ подготовил встроенный офлайн-сомелье.)',
  en: '(The language model is unavailable right now; this answer comes from the built-in offline sommelier.)',
};

export const NO_FINAL_ANSWER: Record<Language, string> = {
  ru: 'Не удалось сформулировать ответ с первого раза. Вот что нашлось в каталоге:',
  en: "I couldn't put together a full answer this time. Here is what I found in the catalog:",
};

export const NOTHING_FOUND: Record<Language, string> = {
  ru: 'К сожалению, в каталоге не нашлось подходящих вин. Попробуйте ослабить условия.',
  en: 'Sorry, nothing in the catalog matched. Try loosening the request.',
};
