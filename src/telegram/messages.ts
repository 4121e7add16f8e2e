/** The bot's own words. The sommelier's answers come from the backend in whatever language the user wrote. */
export type BotLanguage = 'ru' | 'en';

/** Telegram's `language_code` is an IETF tag ("ru", "en-US"); anything we have no texts for gets English. */
export function pickLanguage(languageCode: string | undefined): BotLanguage {
  return languageCode?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export interface BotTexts {
  start: string;
  newSession: string;
  unsupported: string;
  edited: string;
  unknownCommand: string;
  rateLimited: string;
  backendUnavailable: string;
  backendSlow: string;
  backendRejected: string;
  backendBusy: string;
  emptyReply: string;
  truncatedNote: (maxChars: number) => string;
  feedbackThanks: string;
  feedbackFailed: string;
  feedbackExpired: string;
  failure: string;
}

const ru: BotTexts = {
  start:
    'Здравствуйте! Я сомелье 🍷 Напишите, что будете есть или какое вино ищете, — подберу бутылку из каталога.\n' +
    'Под каждым ответом есть 👍 / 👎 — так вы помогаете мне стать лучше. /new — новый разговор, /help — справка.',
  newSession: 'Начинаем новый разговор — прошлые сообщения я больше не учитываю.',
  unsupported: 'Пока я понимаю только текст. Напишите, пожалуйста, вопрос словами 🙂',
  edited: 'Я отвечаю только на новые сообщения — отправьте исправленный текст ещё раз.',
  unknownCommand: 'Такой команды я не знаю. Посмотрите /help.',
  rateLimited: 'Слишком много сообщений подряд. Дайте мне минутку и попробуйте снова 🙏',
  backendUnavailable: 'Не получилось связаться с сомелье. Попробуйте ещё раз чуть позже.',
  backendSlow: 'Сомелье думает слишком долго. Попробуйте ещё раз чуть позже.',
  backendRejected: 'Не смог обработать это сообщение. Попробуйте сформулировать иначе.',
  backendBusy: 'Сейчас много запросов. Попробуйте ещё раз через минуту.',
  emptyReply: 'Мне нечего ответить на это. Попробуйте спросить иначе.',
  truncatedNote: (max) => `(Сообщение очень длинное — я прочитал первые ${max} символов.)`,
  feedbackThanks: 'Спасибо!',
  feedbackFailed: 'Не удалось сохранить оценку, попробуйте позже.',
  feedbackExpired: 'Эта кнопка больше не работает.',
  failure: 'Что-то пошло не так. Попробуйте ещё раз.',
};

const en: BotTexts = {
  start:
    "Hello! I'm a sommelier 🍷 Tell me what you're eating or what wine you're after, and I'll pick a bottle from the catalogue.\n" +
    'Every answer has 👍 / 👎 — that helps me get better. /new starts a new conversation, /help shows help.',
  newSession: "Starting a new conversation — I'll forget what we talked about before.",
  unsupported: 'I can only read text for now. Please type your question 🙂',
  edited: 'I only answer new messages — please send the corrected text again.',
  unknownCommand: "I don't know that command. See /help.",
  rateLimited: "That's a lot of messages at once. Give me a minute and try again 🙏",
  backendUnavailable: "I couldn't reach the sommelier just now. Please try again in a moment.",
  backendSlow: 'The sommelier is taking too long. Please try again in a moment.',
  backendRejected: "I couldn't process that message. Try wording it differently.",
  backendBusy: 'Lots of requests right now. Please try again in a minute.',
  emptyReply: "I have nothing to say to that. Try asking differently.",
  truncatedNote: (max) => `(Your message was very long; I read the first ${max.toLocaleString('en-US')} characters.)`,
  feedbackThanks: 'Thanks!',
  feedbackFailed: "Couldn't save your rating, please try again later.",
  feedbackExpired: 'This button no longer works.',
  failure: 'Something went wrong. Please try again.',
};

export function textsFor(language: BotLanguage): BotTexts {
  return language === 'ru' ? ru : en;
}

/** /help speaks both languages so a user whose Telegram is set to the "wrong" one still understands it. */
export function helpText(language: BotLanguage): string {
  const ruHelp =
    '🍷 Сомелье: спросите о вине или блюде — «что к стейку?», «белое сухое из Италии».\n' +
    '/new — новый разговор · /help — справка · 👍/👎 под ответом — оценка.';
  const enHelp =
    '🍷 Sommelier: ask about wine or food — "what goes with steak?", "dry white from Italy".\n' +
    '/new — new conversation · /help — this help · 👍/👎 under an answer — rate it.';
  return language === 'ru' ? `${ruHelp}\n\n${enHelp}` : `${enHelp}\n\n${ruHelp}`;
}

/** The command menu Telegram shows next to the input field, per language (`setMyCommands`). */
export function commandMenu(language: BotLanguage): { command: string; description: string }[] {
  return language === 'ru'
    ? [
        { command: 'new', description: 'Новый разговор' },
        { command: 'help', description: 'Справка' },
        { command: 'start', description: 'Начать' },
      ]
    : [
        { command: 'new', description: 'New conversation' },
        { command: 'help', description: 'Help' },
        { command: 'start', description: 'Start' },
      ];
}
