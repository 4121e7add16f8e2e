// The chat page. Plain DOM, no framework, no inline script (the CSP allows scripts from this origin only).
// It talks to the same API as everyone else: POST /api/v1/chat (streamed), POST /api/v1/feedback and
// GET /api/v1/sessions/:id/messages, keeping the session pair the server issued in localStorage.
import { browserLanguage, LANGUAGES, TEXTS } from './i18n.js';

const MAX_MESSAGE_LENGTH = 4000;
const SESSION_KEY = 'sommelier.session';
const LANGUAGE_KEY = 'sommelier.language';

const $ = (id) => document.getElementById(id);
const main = $('main');
const log = $('log');
const intro = $('intro');
const form = $('ask');
const input = $('message');
const send = $('send');
const newChat = $('new-chat');
const languageButton = $('language');
const status = $('status');

/** Everything shown, so a language switch can draw it again. */
const state = {
  language: 'en',
  /** @type {{role: 'user'|'assistant'|'error', content: string, answer?: object, errorKey?: string, errorArg?: unknown}[]} */
  turns: [],
  busy: false,
};

const t = () => TEXTS[state.language];

// --- Storage ---------------------------------------------------------------------------------------------

function storedSession() {
  try {
    const value = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null');
    return value && typeof value.sessionId === 'string' && typeof value.sessionToken === 'string' ? value : null;
  } catch {
    return null;
  }
}

function keepSession(sessionId, sessionToken) {
  if (!sessionId || !sessionToken) return;
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify({ sessionId, sessionToken }));
  } catch {
    // Private mode without storage: the conversation simply does not survive a reload.
  }
}

function forgetSession() {
  try {
    localStorage.removeItem(SESSION_KEY);
  } catch {
    // nothing kept, nothing to forget
  }
}

function chosenLanguage() {
  try {
    const saved = localStorage.getItem(LANGUAGE_KEY);
    if (LANGUAGES.includes(saved)) return saved;
  } catch {
    // fall through to the browser's preference
  }
  return browserLanguage(navigator.languages?.length ? navigator.languages : [navigator.language ?? 'en']);
}

// --- Small DOM helpers -------------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** `**bold**` and wine names in bold; everything else as text (never HTML from the answer). */
function inline(text, names) {
  const parts = [];
  const pattern = names.length > 0 ? new RegExp(`\\*\\*(.+?)\\*\\*|(${names.map(escapeRegExp).join('|')})`, 'g') : /\*\*(.+?)\*\*/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(el('strong', { text: match[1] ?? match[2] }));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Paragraphs, numbered and bulleted lists: the shapes the sommelier's answers take. */
function formatAnswer(text, names) {
  const blocks = text.split(/\n{2,}/).map((block) => block.trim()).filter(Boolean);
  return blocks.map((block) => {
    const lines = block.split('\n');
    if (lines.every((line) => /^\d+[.)]\s/.test(line))) {
      return el('ol', {}, lines.map((line) => el('li', {}, inline(line.replace(/^\d+[.)]\s+/, ''), names))));
    }
    if (lines.every((line) => /^[-•*]\s/.test(line))) {
      return el('ul', {}, lines.map((line) => el('li', {}, inline(line.replace(/^[-•*]\s+/, ''), names))));
    }
    const paragraph = el('p');
    lines.forEach((line, i) => {
      if (i > 0) paragraph.append(el('br'));
      paragraph.append(...inline(line, names));
    });
    return paragraph;
  });
}

// --- Wine cards --------------------------------------------------------------------------------------------

function number(value, digits) {
  return new Intl.NumberFormat(state.language, { maximumFractionDigits: digits }).format(value);
}

function priceText(wine) {
  if (wine.price === null || wine.price === undefined) return null;
  try {
    if (wine.currency) return new Intl.NumberFormat(state.language, { style: 'currency', currency: wine.currency }).format(wine.price);
  } catch {
    // an unknown currency code: show it as written
  }
  return `${number(wine.price, 2)}${wine.currency ? ` ${wine.currency}` : ''}`;
}

/** One recommended wine: what it is and where from, then its facts as short labelled chips. */
function wineCard(wine, index) {
  const texts = t();
  const translate = (table, value) => table[value] ?? value;
  const place = [wine.country ? translate(texts.countries, wine.country) : null, wine.region].filter(Boolean).join(', ');
  const facts = [];
  const fact = (kind, label, value) =>
    value && facts.push(el('div', { class: `fact fact-${kind}` }, el('dt', { text: label }), el('dd', { text: value })));
  fact('grapes', texts.grapes, wine.grapes.join(', '));
  fact('body', texts.body, wine.body ? translate(texts.bodies, wine.body) : null);
  fact('acidity', texts.acidity, wine.acidity ? translate(texts.acidities, wine.acidity) : null);
  fact('abv', texts.abv, wine.abv !== null ? `${number(wine.abv, 1)}%` : null);
  fact('rating', texts.rating, wine.rating !== null ? `★ ${texts.ratingValue(number(wine.rating, 1))}` : null);
  const price = priceText(wine);
  if (price) {
    const stock = wine.stock === null || wine.stock === undefined ? null : wine.stock > 0 ? texts.inStock(wine.stock) : texts.outOfStock;
    fact('price', texts.price, stock ? `${price} · ${stock}` : price);
  }
  const pairings = wine.pairings.map((pairing) => translate(texts.pairings, pairing));
  return el(
    'li',
    { class: `card type-${wine.type}`, 'data-wine-id': wine.id, 'aria-labelledby': `wine-${index}` },
    el('p', { class: 'card-kind' }, translate(texts.types, wine.type), place ? ` · ${place}` : ''),
    el('h3', { class: 'card-name', id: `wine-${index}`, text: wine.name }),
    wine.winery ? el('p', { class: 'card-winery', text: wine.winery }) : null,
    facts.length > 0 ? el('dl', { class: 'card-facts' }, facts) : null,
    pairings.length > 0 ? el('p', { class: 'card-pairings' }, el('span', { class: 'label', text: `${texts.pairsWith}: ` }), pairings.join(', ')) : null,
  );
}

// --- Turns ---------------------------------------------------------------------------------------------------

let answerCount = 0;

function userBubble(content) {
  return el('div', { class: 'turn user' }, el('p', { class: 'visually-hidden', text: `${t().you}:` }), el('div', { class: 'msg user', text: content }));
}

function errorBubble(turn) {
  const message = t().errors[turn.errorKey];
  return el('p', { class: 'turn error', role: 'alert', text: typeof message === 'function' ? message(turn.errorArg) : message });
}

/** An answer: the text, the wine cards beside it, then the vote buttons (and the trace link when traced). */
function answerNode(turn) {
  const answer = turn.answer ?? {};
  const recommendations = answer.recommendations ?? [];
  answerCount += 1;
  const headingId = `answer-${answerCount}`;
  const node = el('article', { class: `turn answer${recommendations.length > 0 ? ' has-cards' : ''}`, 'aria-labelledby': headingId });
  node.append(el('h2', { class: 'visually-hidden', id: headingId, text: t().sommelier }));
  // The text with its vote row under it; the cards beside them (wide screens) or between them (narrow).
  const main = el('div', { class: 'answer-main' }, el('div', { class: 'msg bot text' }, formatAnswer(turn.content, recommendations.map((wine) => wine.name))));
  if (answer.answerId) main.append(feedbackRow(turn));
  node.append(main);
  if (recommendations.length > 0) {
    node.append(
      el('section', { class: 'wines', 'aria-label': t().winesLabel }, el('ul', { class: 'cards' }, recommendations.map((wine, i) => wineCard(wine, `${answerCount}-${i}`)))),
    );
  }
  return node;
}

function feedbackRow(turn) {
  const texts = t();
  const answer = turn.answer;
  const row = el('div', { class: 'meta', role: 'group', 'aria-label': texts.rate });
  const note = el('span', { class: 'vote-note', role: 'status' });
  const buttons = [
    [1, '👍', texts.good],
    [-1, '👎', texts.bad],
  ].map(([value, label, name]) => {
    const button = el('button', {
      type: 'button',
      class: 'fb',
      'data-value': value,
      'aria-label': name,
      title: name,
      'aria-pressed': String(answer.feedback?.value === value),
      text: label,
    });
    button.addEventListener('click', () => vote(turn, value, buttons, note));
    return button;
  });
  row.append(el('span', { class: 'rate-label', text: texts.rate }), ...buttons, note);
  if (answer.traceUrl) {
    row.append(el('a', { class: 'trace', href: answer.traceUrl, target: '_blank', rel: 'noopener noreferrer', text: texts.trace }));
  }
  return row;
}

async function vote(turn, value, buttons, note) {
  const session = storedSession();
  note.textContent = '';
  try {
    const response = await fetch('/api/v1/feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: session?.sessionId, sessionToken: session?.sessionToken, answerId: turn.answer.answerId, value }),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    turn.answer.feedback = { value, comment: null };
    for (const button of buttons) button.setAttribute('aria-pressed', String(Number(button.dataset.value) === value));
    note.textContent = t().voteSaved;
  } catch {
    note.textContent = t().voteFailed;
  }
  note.scrollIntoView({ block: 'nearest' });
}

function render() {
  answerCount = 0;
  log.replaceChildren(intro, ...state.turns.map(turnNode));
}

function turnNode(turn) {
  if (turn.role === 'user') return userBubble(turn.content);
  if (turn.role === 'error') return errorBubble(turn);
  return answerNode(turn);
}

function addTurn(turn) {
  state.turns.push(turn);
  const node = turnNode(turn);
  log.append(node);
  return node;
}

// --- Scrolling: the start of what is new, never hidden behind the input -----------------------------------

const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');

function showStart(node, options = {}) {
  const box = main.getBoundingClientRect();
  const top = node.getBoundingClientRect().top;
  // Already in view with some of it showing: leave the reader where they are.
  if (!options.always && top >= box.top && top <= box.bottom - 64) return;
  node.scrollIntoView({ block: 'start', behavior: options.instant || reducedMotion.matches ? 'auto' : 'smooth' });
}

/** The question at the top of the view and its answer below it (or the answer alone, after a long question). */
function showExchange(question, answer, options) {
  const gap = answer.getBoundingClientRect().top - question.getBoundingClientRect().top;
  showStart(gap < main.clientHeight / 3 ? question : answer, options);
}

// --- Language --------------------------------------------------------------------------------------------------

function applyLanguage(language) {
  state.language = language;
  const texts = t();
  document.documentElement.lang = language;
  document.title = texts.title;
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = texts[node.dataset.text];
  input.placeholder = texts.placeholder;
  // A narrow screen shows the other language's code; the button's name is the whole phrase either way.
  languageButton.replaceChildren(
    el('span', { class: 'long', text: texts.switchTo }),
    el('span', { class: 'short', 'aria-hidden': 'true', text: language === 'ru' ? 'EN' : 'RU' }),
  );
  languageButton.setAttribute('lang', language === 'ru' ? 'en' : 'ru');
  languageButton.setAttribute('aria-label', texts.switchLabel);
  send.textContent = state.busy ? texts.sending : texts.send;
  const examples = $('examples');
  examples.replaceChildren(
    ...texts.examples.map((example) => {
      const button = el('button', { type: 'button', class: 'example', text: example });
      button.addEventListener('click', () => {
        input.value = example;
        input.focus();
      });
      return el('li', {}, button);
    }),
  );
  render();
}

// --- Asking --------------------------------------------------------------------------------------------------

/** Which message to show for a failed request, in the page's language. */
function errorFor(status, code, message) {
  if (status === 0) return { errorKey: 'network' };
  if (status === 401) return { errorKey: 'auth' };
  if (status === 429) return { errorKey: 'busy' };
  if (status === 502 || status === 503 || code === 'llm_unavailable') return { errorKey: 'llm' };
  if (status === 413 || (code === 'invalid_request' && message.length > MAX_MESSAGE_LENGTH)) return { errorKey: 'tooLong', errorArg: MAX_MESSAGE_LENGTH };
  if (status >= 400 && status < 500) return { errorKey: 'rejected' };
  return { errorKey: 'server' };
}

/** Reads server-sent events from a fetch body, calling `on(event, data)` for each. */
async function readEvents(body, on) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) on(event, JSON.parse(data.join('\n')));
    }
  }
}

function setBusy(busy) {
  state.busy = busy;
  send.disabled = busy;
  send.textContent = busy ? t().sending : t().send;
  form.setAttribute('aria-busy', String(busy));
}

async function ask(message) {
  const texts = t();
  addTurn({ role: 'user', content: message });
  const thinking = el('div', { class: 'turn answer pending', role: 'status' }, el('div', { class: 'msg bot thinking' }, el('span', { class: 'dots', 'aria-hidden': 'true' }, el('i'), el('i'), el('i')), el('span', { text: texts.thinking })));
  log.append(thinking);
  const question = thinking.previousElementSibling;
  // The question goes to the top of the view and the answer grows below it. The answer's box is at least
  // the rest of the view high, so there is room to scroll the question up even before the text arrives.
  const gap = thinking.getBoundingClientRect().top - question.getBoundingClientRect().top;
  const room = `${Math.max(0, Math.floor(main.clientHeight - gap - 40))}px`;
  thinking.style.minHeight = room;
  showExchange(question, thinking, { always: true, instant: true });
  setBusy(true);

  const session = storedSession();
  let streamedText = null;
  const finish = (turn) => {
    thinking.remove();
    const node = addTurn(turn);
    if (turn.role === 'assistant') node.style.minHeight = room;
    showStart(node);
    return node;
  };
  try {
    const response = await fetch('/api/v1/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ message, channel: 'web', ...(session ? { sessionId: session.sessionId, sessionToken: session.sessionToken } : {}) }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      finish({ role: 'error', ...errorFor(response.status, body?.error?.code, message) });
      // The question goes back into the box, to shorten or resend.
      if (!input.value) input.value = message;
      return;
    }
    let result = null;
    let failed = false;
    const onEvent = (event, data) => {
      if (event === 'delta') {
        if (streamedText === null) {
          // The first words replace the thinking indicator: from here on the answer is being read.
          thinking.classList.remove('pending');
          thinking.removeAttribute('role');
          streamedText = el('div', { class: 'msg bot text streaming', 'aria-busy': 'true' });
          thinking.replaceChildren(streamedText);
        }
        streamedText.append(data.text);
      } else if (event === 'discard' && streamedText) {
        streamedText.replaceChildren();
      } else if (event === 'done') {
        result = data;
      } else if (event === 'error') {
        failed = true;
      }
    };
    if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) await readEvents(response.body, onEvent);
    else result = await response.json();
    if (!result) {
      finish({ role: 'error', errorKey: failed ? 'stream' : 'server' });
      return;
    }
    keepSession(result.sessionId, result.sessionToken);
    finish({
      role: 'assistant',
      content: result.reply,
      answer: { answerId: result.answerId, traceUrl: result.traceUrl, recommendations: result.recommendations, feedback: null },
    });
  } catch {
    finish({ role: 'error', errorKey: 'network' });
    if (!input.value) input.value = message;
  } finally {
    setBusy(false);
    input.focus();
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const message = input.value.trim();
  if (!message || state.busy) return;
  input.value = '';
  void ask(message);
});

input.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter is a new line; an IME composition's Enter is the IME's.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

newChat.addEventListener('click', () => {
  forgetSession();
  state.turns = [];
  render();
  status.textContent = '';
  main.scrollTo({ top: 0 });
  input.focus();
});

languageButton.addEventListener('click', () => {
  const next = state.language === 'ru' ? 'en' : 'ru';
  try {
    localStorage.setItem(LANGUAGE_KEY, next);
  } catch {
    // the choice lasts for this page only
  }
  applyLanguage(next);
});

// --- Restoring the conversation after a reload --------------------------------------------------------------

async function restore() {
  const session = storedSession();
  if (!session) return;
  status.textContent = t().restoring;
  try {
    const response = await fetch(`/api/v1/sessions/${encodeURIComponent(session.sessionId)}/messages`, {
      headers: { 'x-session-token': session.sessionToken },
    });
    if (response.status === 403 || response.status === 404) {
      // Not ours any more (a new server secret, a retention cleanup): start afresh rather than show nothing.
      forgetSession();
      addTurn({ role: 'error', errorKey: 'restore' });
      return;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = await response.json();
    state.turns = body.messages.map((message) =>
      message.role === 'user'
        ? { role: 'user', content: message.content }
        : {
            role: 'assistant',
            content: message.content,
            answer: { answerId: message.answerId, traceUrl: message.traceUrl, recommendations: message.recommendations, feedback: message.feedback },
          },
    );
    render();
    // Back where the conversation left off: the last question and the start of its answer.
    const answers = log.querySelectorAll('.turn.answer');
    const last = answers[answers.length - 1];
    if (last) {
      const question = last.previousElementSibling;
      if (question?.classList.contains('user')) showExchange(question, last, { always: true, instant: true });
      else showStart(last, { always: true, instant: true });
    }
  } catch {
    addTurn({ role: 'error', errorKey: 'network' });
  } finally {
    status.textContent = '';
  }
}

input.maxLength = MAX_MESSAGE_LENGTH;
applyLanguage(chosenLanguage());
document.body.dataset.ready = 'true';
void restore().finally(() => {
  document.body.dataset.restored = 'true';
});
