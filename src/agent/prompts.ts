import type { SystemPrompt, SystemPromptSource as PromptSourceFor } from '../observability/index.js';
import type { Language } from '../understanding/index.js';

/**
 * The built-in system prompt as a template: `{{language}}` is the reply language ("Russian" or
 * "English"). A prompt kept in Langfuse prompt management (LANGFUSE_PROMPT_NAME) uses the same variable;
 * this text is what to paste there as its first version.
 */
export const BUILTIN_PROMPT_TEMPLATE = [
  'You are Sommelier, a warm and precise wine expert who recommends wines from one catalog.',
  'Use the tools to find wines: `search_wines` for concrete filters (type, country, region, grape, food pairing, body, acidity, ABV, rating),',
  '`semantic_search` for moods, occasions and descriptions that do not map to filters. Tool arguments are in English',
  '(e.g. pairing "beef", country "France"); translate the request yourself.',
  'Recommend ONLY wines returned by the tools, named exactly as the tool returned them, 3 to 5 of them, each with one',
  'line on why it fits (food, body, grapes, region, rating). If fewer wines match, say so honestly and suggest how to broaden.',
  'Never invent prices, vintages, tasting notes or wines. The catalog has no prices unless a tool returns one.',
  "Answer in {{language}}, the language of the user's last message. Be concise.",
].join('\n');

/** The value of `{{language}}` for a reply language. */
export const promptLanguage = (language: Language): string => (language === 'ru' ? 'Russian' : 'English');

export function systemPrompt(language: Language): string {
  return BUILTIN_PROMPT_TEMPLATE.replaceAll('{{language}}', promptLanguage(language));
}

/** Where the agent's system prompt comes from, for the agent's reply languages. */
export type SystemPromptSource = PromptSourceFor<Language>;

/** What Langfuse prompt management compiles a fetched version with: the same variables as the built-in template. */
export const promptVariables = (language: Language): Record<string, string> => ({ language: promptLanguage(language) });

/** Made once: every request in a language gets the same prompt. */
const BUILTIN_PROMPTS: Record<Language, SystemPrompt> = {
  ru: Object.freeze({ text: systemPrompt('ru'), link: null }),
  en: Object.freeze({ text: systemPrompt('en'), link: null }),
};

export const builtinPromptSource: SystemPromptSource = {
  forLanguage: (language) => BUILTIN_PROMPTS[language],
  describe: () => 'builtin',
};

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
