/**
 * Redaction of secrets and personal data before anything leaves the process for Langfuse.
 *
 * Replacements never contain quotes or backslashes and no pattern matches across a quote, so masking
 * the JSON text the SDK serialises (inputs, outputs) keeps it valid JSON.
 */

export const REDACTED = {
  apiKey: '[REDACTED_API_KEY]',
  bearer: 'Bearer [REDACTED_TOKEN]',
  secret: '[REDACTED_SECRET]',
  email: '[REDACTED_EMAIL]',
  phone: '[REDACTED_PHONE]',
  card: '[REDACTED_CARD]',
} as const;

// Provider keys: OpenAI/OpenRouter `sk-...` (incl. `sk-or-v1-`, `sk-proj-`), Langfuse `sk-lf-`/`pk-lf-`.
const API_KEY = /\b(?:sk-[A-Za-z0-9][A-Za-z0-9_-]{11,}|pk-lf-[A-Za-z0-9][A-Za-z0-9-]{7,})/g;
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi;
// `password=...`, `"api_key": "..."` and friends: keep the name, drop the value.
const SECRET_ASSIGNMENT =
  /\b((?:api[_-]?key|access[_-]?token|auth[_-]?token|secret[_-]?key|client[_-]?secret|password|passwd)\\?["']?\s*[:=]\s*\\?["']?)([^\s"'\\,;}]{4,})/gi;
/** Every name SECRET_ASSIGNMENT knows contains one of these. */
const SECRET_NAME_HINT = /key|token|secret|passw/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// 13–19 digits starting like a card network (2–6), optionally grouped by single spaces or dashes;
// confirmed with the Luhn check.
const CARD = /(?<![\d-])[2-6](?:[ -]?\d){12,18}(?![\d-])/g;
// International (+...) or grouped numbers; confirmed by counting 9–15 digits, so years, dates
// ("2019-2021", "2024-05-01") and wine ids stay readable.
const PHONE = /(?<![\w+])(?:\+\d[\d\s().-]{6,}\d|\(?\d{2,4}\)?[\s.-]\d{2,4}[\s.-]\d{2,5}(?:[\s.-]\d{2,5})*)(?![\w])/g;

function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

const digitCount = (text: string): number => text.replace(/\D/g, '').length;
/** "2015 2016 2018" is a list of vintages, not a phone number. */
const isYearList = (text: string): boolean =>
  text.split(/[\s.-]+/).every((group) => /^(?:19|20)\d\d$/.test(group));

/** Redacts secrets and personal data in one string. */
export function redactText(text: string): string {
  let out = text;
  if (out.includes('-')) out = out.replace(API_KEY, REDACTED.apiKey);
  if (/bearer/i.test(out)) out = out.replace(BEARER, REDACTED.bearer);
  // Cheap guard first: the assignment pattern scans every position of long JSON inputs.
  if (SECRET_NAME_HINT.test(out)) out = out.replace(SECRET_ASSIGNMENT, (_match, name: string) => `${name}${REDACTED.secret}`);
  if (out.includes('@')) out = out.replace(EMAIL, REDACTED.email);
  if (/\d{4}/.test(out)) {
    out = out.replace(CARD, (match) => (passesLuhn(match.replace(/\D/g, '')) ? REDACTED.card : match));
  }
  if (/\d/.test(out)) {
    out = out.replace(PHONE, (match) => {
      const digits = digitCount(match);
      return digits >= 9 && digits <= 15 && !isYearList(match) ? REDACTED.phone : match;
    });
  }
  return out;
}

/** Redacts every string inside a value (strings, arrays, plain objects); other values pass through. */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactValue(inner)]));
  }
  return value;
}

/** The `mask` option of LangfuseSpanProcessor: it receives attribute values (serialised strings, mostly). */
export const langfuseMask = ({ data }: { data: unknown }): unknown => redactValue(data);
