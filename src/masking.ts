/**
 * Redaction of secrets and personal data: the user's message where it enters the agent, everything sent
 * to Langfuse (span inputs/outputs, score comments, user ids) and every log line.
 *
 * Cost is linear in the input length. JavaScript regexes backtrack, so every pattern here is written so
 * that one match attempt either succeeds or fails after looking at a bounded stretch, or starts only at
 * the beginning of a run of the characters it consumes (a lookbehind of the same class), so a failing
 * run is scanned once, not once per position. test/masking.test.ts checks this with a
 * property test; `npm run bench:masking` measures it.
 *
 * Replacements never contain quotes or backslashes and no pattern matches across a quote, so masking
 * JSON text keeps it valid JSON. Serialised values are still masked as values (parse, mask strings,
 * serialise) because a match may otherwise start inside an escape such as `\n`.
 */
import { createHash } from 'node:crypto';
import { moduleCache } from './shared/index.js';

export const REDACTED = {
  apiKey: '[REDACTED_API_KEY]',
  bearer: 'Bearer [REDACTED_TOKEN]',
  basic: 'Basic [REDACTED_TOKEN]',
  token: '[REDACTED_TOKEN]',
  secret: '[REDACTED_SECRET]',
  credentials: '[REDACTED_CREDENTIALS]',
  email: '[REDACTED_EMAIL]',
  phone: '[REDACTED_PHONE]',
  card: '[REDACTED_CARD]',
  iban: '[REDACTED_IBAN]',
  custom: '[REDACTED]',
} as const;

// --- secrets --------------------------------------------------------------------------------------

/** `scheme://user:password@host`: the user info goes, the scheme and host stay. */
const URL_CREDENTIALS = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/)[^\s/?#@"'\\<>]+@/g;
const BEARER = /\bbearer\s{1,10}[A-Za-z0-9._~+/-]{8,}=*/gi;
/** `Basic <base64>`; the lookahead wants a digit, `+`, `/` or `=` so that "Basic understanding" stays. */
const BASIC = /\bBasic\s{1,10}(?=[A-Za-z0-9+/]{0,200}[0-9+/=])[A-Za-z0-9+/]{8,}=*/g;
/** A JWT: base64url header `eyJ…` (`{"`), payload and signature, with or without `Bearer` in front. */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
/**
 * Keys and tokens with a recognisable prefix: OpenAI/OpenRouter/Anthropic/Langfuse `sk-…`, Langfuse
 * `pk-lf-…`, Stripe, Google, AWS access key ids, GitHub (`ghp_` and friends, fine-grained `github_pat_`),
 * GitLab, Slack (`xox?-`, `xapp-`) and Telegram bot tokens (`<bot id>:AA…`).
 */
const PREFIXED_KEY = new RegExp(
  '(?<![A-Za-z0-9_-])(?:' +
    [
      'sk-[A-Za-z0-9][A-Za-z0-9_-]{11,}',
      'pk-lf-[A-Za-z0-9][A-Za-z0-9-]{7,}',
      '(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}',
      'AIza[A-Za-z0-9_-]{35}',
      '(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}(?![A-Za-z0-9])',
      'gh[pousr]_[A-Za-z0-9]{30,}',
      'github_pat_[A-Za-z0-9_]{30,}',
      'glpat-[A-Za-z0-9_-]{20,}',
      'xox[abeoprs]-[A-Za-z0-9-]{10,}',
      'xapp-\\d-[A-Za-z0-9-]{10,}',
      '\\d{6,12}:AA[A-Za-z0-9_-]{30,}',
    ].join('|') +
    ')',
  'g',
);
/**
 * `password: x`, `db_password=x`, `"api_key": "x"`, `?token=x&`, `пароль: x`: the name stays, the value
 * goes. Names are a secret word with up to four `word_`/`word-` prefixes (`aws_secret_access_key`).
 * The value is a quoted string or runs to whitespace, a quote or a list separator.
 */
const SECRET_NAMES =
  'api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|secret|password|passwd|pwd|passphrase|' +
  'token|credentials?|пароль';
const SECRET_ASSIGNMENT = new RegExp(
  `(?<![A-Za-z0-9_-])((?:[A-Za-z0-9]{1,20}[_-]){0,4}(?:${SECRET_NAMES}))` +
    `(\\\\?["']?[ \\t]{0,3}[:=][ \\t]{0,3})` +
    `(\\\\?"[^"\\\\\\n]{1,200}\\\\?"|'[^'\\\\\\n]{1,200}'|[^\\s"'\\\\,;&}<>]{1,200})`,
  'gi',
);
/** Every name SECRET_ASSIGNMENT knows contains one of these: the scan is skipped for text without one. */
const SECRET_NAME_HINT = /key|token|secret|passw|pwd|passphrase|credential|пароль/i;

// --- personal data --------------------------------------------------------------------------------

/** Local part, `@`, dot-separated labels; Unicode letters count (`иван@почта.рф`). */
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** Country code, check digits, 11–30 more letters or digits in groups of four; confirmed by mod 97. */
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/gi;
/**
 * 13–19 digits starting like a card network: ungrouped, in groups of four joined by one kind of space,
 * dash or dot, or Amex's 4-6-5; the digit count and the Luhn check confirm.
 */
const CARD = /(?<!\d)(?:[2-6]\d{12,18}|[2-6]\d{3}([ .-])(?:\d{4}\1){1,3}\d{1,4}|3[47]\d{2}([ .-])\d{6}\2\d{5})(?!\d)/g;
/**
 * A run of digit groups joined by one to three of ` .-()`, optionally after `+`: candidates for one or
 * more phone numbers, split and judged by `maskPhoneRun`. Never fails once started, so linear.
 */
const DIGIT_RUN = /(?<![A-Za-z0-9_])\+?\(?\d+(?:[ .()-]{1,3}\d+)*\)?/g;

/** The ASCII identifier characters: digits glued to them are part of an id, not a phone number. */
const isIdentifierChar = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;

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

/** ISO 13616: move the first four characters to the end, letters to 10..35, the number mod 97 is 1. */
function isIban(candidate: string): boolean {
  const compact = candidate.replace(/ /g, '').toUpperCase();
  if (compact.length < 15 || compact.length > 34) return false;
  const rotated = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rotated.length; i += 1) {
    const code = rotated.charCodeAt(i);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

interface DigitGroup {
  /** The separator before this group ('' for the first). */
  separator: string;
  digits: string;
  /** Offset of the separator's start inside the run. */
  start: number;
}

const YEAR = /^(?:19|20)\d\d$/;
const RUSSIAN_MOBILE = /^[78]9\d{9}$/;

/** How a separator reads: a plain space, a dot, or one of the phone punctuations (dash, brackets). */
const separatorStyle = (separator: string): 'space' | 'dot' | 'phone' =>
  separator.includes('.') ? 'dot' : /^ +$/.test(separator) ? 'space' : 'phone';

/**
 * Is this candidate a phone number? 9–15 digits (E.164 allows 15), written like one: with `+`, in three
 * or more groups, in two groups of ten or more digits, or as a bare Russian mobile (89161234567).
 * Lists of years and decimal numbers (many one-digit groups) are not.
 */
function isPhone(groups: readonly DigitGroup[], plus: boolean): boolean {
  let digits = 0;
  let singles = 0;
  for (const group of groups) {
    digits += group.digits.length;
    if (group.digits.length === 1) singles += 1;
  }
  if (digits < 9 || digits > 15 || singles > 2) return false;
  if (groups.every((group) => YEAR.test(group.digits))) return false;
  if (plus || groups.length >= 3) return true;
  if (groups.length === 2) return digits >= 10;
  return RUSSIAN_MOBILE.test(groups[0]!.digits);
}

/**
 * Splits a run of digit groups into phone numbers and masks each. Neighbours are told apart by the
 * length (two full numbers never join, nothing grows past 15 digits), by a plain space after a number
 * written with dashes or brackets ("555-123-4567 555-765-4321"), and by a change between dot and space
 * styles (a price list "12.50 13.75" is no phone).
 */
function maskPhoneRun(run: string, plus: boolean): string {
  const groups: DigitGroup[] = [];
  const group = /(\D*)(\d+)/g;
  for (let m = group.exec(run); m !== null; m = group.exec(run)) {
    groups.push({ separator: m[1]!, digits: m[2]!, start: m.index });
  }
  let out = '';
  let candidate: DigitGroup[] = [];
  let candidateDigits = 0;
  let candidatePlus = plus;
  let styles = new Set<string>();
  let emitted = 0;

  const flush = (end: number): void => {
    if (candidate.length === 0) return;
    // The separator before the candidate stays, except an opening `+` or `(` that belongs to the number.
    const first = candidate[0]!;
    const textStart = first.start + first.separator.replace(/[+(]+$/, '').length;
    const masked = isPhone(candidate, candidatePlus);
    out += run.slice(emitted, textStart) + (masked ? REDACTED.phone : run.slice(textStart, end));
    emitted = end;
    candidate = [];
    candidateDigits = 0;
    candidatePlus = false;
    styles = new Set();
  };

  for (const next of groups) {
    if (candidate.length > 0) {
      const style = separatorStyle(next.separator);
      const mixesDotsAndSpaces = (style === 'dot' && styles.has('space')) || (style === 'space' && styles.has('dot'));
      const endsNumber = candidateDigits >= 10 && style === 'space' && (styles.has('phone') || styles.has('dot'));
      const tooLong = candidateDigits + next.digits.length > 15;
      const twoNumbers = candidateDigits >= 9 && next.digits.length >= 9;
      if (mixesDotsAndSpaces || endsNumber || tooLong || twoNumbers) flush(next.start);
      else styles.add(style);
    }
    candidate.push(next);
    candidateDigits += next.digits.length;
  }
  flush(run.length);
  return out + run.slice(emitted);
}

// --- configuration --------------------------------------------------------------------------------

let extraPatterns: readonly RegExp[] = [];

/**
 * Strings that masking left unchanged, so nothing to hide: the tool schemas and system prompt repeat in
 * every generation's input, and looking them up is much cheaper than scanning them again. Only clean
 * strings are kept, never one that held something to mask. Module-level like the patterns they depend on
 * (masking is process-wide: the logger and the Langfuse SDK call it), and emptied when those change.
 * Bounded by bytes: user text of any length passes through here (4,096 strings of 4,096 characters
 * would be 32 MiB).
 */
/** Per generation of the cache: it holds up to twice this many (src/shared/bounded-cache.ts). */
const KNOWN_CLEAN_ENTRIES_PER_GENERATION = 4096;
const KNOWN_CLEAN_MAX_LENGTH = 4096;
const KNOWN_CLEAN_MAX_BYTES = 2 * 1024 * 1024;
const knownClean = moduleCache<string, true>('masking.knownClean', KNOWN_CLEAN_ENTRIES_PER_GENERATION, { maxBytes: KNOWN_CLEAN_MAX_BYTES });
/** The same for JSON string literals as written (escapes and all): no decoding needed to skip them. */
const knownCleanLiterals = moduleCache<string, true>('masking.knownCleanLiterals', KNOWN_CLEAN_ENTRIES_PER_GENERATION, { maxBytes: KNOWN_CLEAN_MAX_BYTES });

function remember(cache: typeof knownClean, text: string): void {
  if (text.length <= KNOWN_CLEAN_MAX_LENGTH) cache.set(text, true);
}

function redactRepeated(text: string): string {
  if (text.length <= KNOWN_CLEAN_MAX_LENGTH && knownClean.get(text)) return text;
  const out = redactText(text);
  if (out === text) remember(knownClean, text);
  return out;
}

/**
 * Operator patterns (MASKING_EXTRA_PATTERNS), applied before the built-in ones and replaced by
 * `[REDACTED]`. Validated by `compileExtraPattern`; this process-wide list is set once at start-up.
 */
export function setExtraMaskingPatterns(patterns: readonly RegExp[]): void {
  knownClean.clear();
  knownCleanLiterals.clear();
  extraPatterns = patterns.map((pattern) => new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`));
}

const MAX_EXTRA_PATTERN_LENGTH = 500;

/**
 * Compiles one operator pattern, or says why it is refused: invalid syntax, back-references, or a
 * quantified group that itself holds an unbounded quantifier (`(a+)+`, `(\w*)*`, `(x+){2,}`) — the
 * shape behind catastrophic backtracking. Overlapping alternatives (`(a|a)*`) are not detected: the
 * docs ask operators to keep patterns to anchored, unambiguous shapes.
 */
export function compileExtraPattern(source: string): RegExp | string {
  if (source.length === 0 || source.length > MAX_EXTRA_PATTERN_LENGTH) return `must be 1-${MAX_EXTRA_PATTERN_LENGTH} characters`;
  let compiled: RegExp;
  try {
    compiled = new RegExp(source, 'gu');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (compiled.test('')) return 'matches the empty string';
  const problem = backtrackingRisk(source);
  return problem ?? compiled;
}

/** The quantifier at `at` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`) as its maximum count, or null. */
function readQuantifier(source: string, at: number): { max: number } | null {
  const char = source[at];
  if (char === '*' || char === '+') return { max: Number.POSITIVE_INFINITY };
  if (char === '?') return { max: 1 };
  if (char !== '{') return null;
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at, at + 24));
  if (!braces) return null;
  if (braces[2] === undefined) return { max: Number(braces[1]) };
  return { max: braces[3] === '' ? Number.POSITIVE_INFINITY : Number(braces[3]) };
}

/** A small scan of the pattern's syntax: groups, classes, escapes and quantifiers. */
function backtrackingRisk(source: string): string | null {
  // For each open group: does it contain an unbounded quantifier (directly or in a nested group)?
  const stack: boolean[] = [];
  let lastGroupUnbounded = false;
  let lastWasGroupEnd = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i]!;
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) return 'back-references are not allowed';
      i += 1;
      lastWasGroupEnd = false;
      continue;
    }
    if (char === '[') {
      // Skip the class; `]` right after `[` or `[^` is a literal.
      let j = i + 1;
      if (source[j] === '^') j += 1;
      if (source[j] === ']') j += 1;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      i = j;
      lastWasGroupEnd = false;
      continue;
    }
    if (char === '(') {
      stack.push(false);
      lastWasGroupEnd = false;
      continue;
    }
    if (char === ')') {
      lastGroupUnbounded = stack.pop() ?? false;
      if (lastGroupUnbounded && stack.length > 0) stack[stack.length - 1] = true;
      lastWasGroupEnd = true;
      continue;
    }
    const quantifier = readQuantifier(source, i);
    if (quantifier === null) {
      lastWasGroupEnd = false;
      continue;
    }
    if (quantifier.max >= 2 && lastWasGroupEnd && lastGroupUnbounded) {
      return 'a repeated group holds an unbounded quantifier (catastrophic backtracking)';
    }
    const unbounded = quantifier.max === Number.POSITIVE_INFINITY;
    if (unbounded && stack.length > 0) stack[stack.length - 1] = true;
    lastWasGroupEnd = false;
  }
  return null;
}

// --- masking --------------------------------------------------------------------------------------

const hasDigit = /\d/;
/** Something every prefixed key contains: most text has none, and the key scan is skipped. */
const PREFIXED_KEY_HINT = /sk-|pk-lf-|_live_|_test_|AIza|A[BCGIKNPRS][A-Z]A[A-Z0-9]|gh[pousr]_|github_pat_|glpat-|xox|xapp-|:AA/;
/**
 * Text without any of these cannot match a built-in pattern (each needs a digit, `@`, `://` or one of
 * the words). Serialised inputs hold hundreds of short strings (tool schemas): one test each instead of
 * ten scans.
 */
const ANY_HINT = new RegExp(`[0-9@]|://|bearer|Basic|eyJ|${PREFIXED_KEY_HINT.source}|${SECRET_NAME_HINT.source}`, 'i');

/** Redacts secrets and personal data in one string. */
export function redactText(text: string): string {
  let out = text;
  for (const pattern of extraPatterns) out = out.replace(pattern, REDACTED.custom);
  if (!ANY_HINT.test(out)) return out;
  if (out.includes('://')) out = out.replace(URL_CREDENTIALS, (_match, scheme: string) => `${scheme}${REDACTED.credentials}@`);
  if (/bearer/i.test(out)) out = out.replace(BEARER, REDACTED.bearer);
  if (out.includes('Basic')) out = out.replace(BASIC, REDACTED.basic);
  if (out.includes('eyJ')) out = out.replace(JWT, REDACTED.token);
  if (PREFIXED_KEY_HINT.test(out)) out = out.replace(PREFIXED_KEY, REDACTED.apiKey);
  if (SECRET_NAME_HINT.test(out)) {
    out = out.replace(SECRET_ASSIGNMENT, (_match, name: string, separator: string, value: string) => {
      const quote = /^\\?["']/.exec(value)?.[0] ?? '';
      return `${name}${separator}${quote}${REDACTED.secret}${quote}`;
    });
  }
  if (out.includes('@')) out = out.replace(EMAIL, REDACTED.email);
  if (!hasDigit.test(out)) return out;
  out = out.replace(IBAN, (match) => (isIban(match) ? REDACTED.iban : match));
  out = out.replace(CARD, (match: string) => {
    const digits = match.replace(/\D/g, '');
    return digits.length >= 13 && digits.length <= 19 && passesLuhn(digits) ? REDACTED.card : match;
  });
  return out.replace(DIGIT_RUN, (match: string, offset: number, whole: string) => {
    // Fewer than nine characters cannot hold the nine digits of the shortest phone number.
    if (match.length < 9) return match;
    // Digits glued to letters on either side are part of an identifier (a hash, a trace id).
    const after = whole.charCodeAt(offset + match.length);
    if (!Number.isNaN(after) && isIdentifierChar(after)) return match;
    const plus = match.startsWith('+') || whole[offset - 1] === '+';
    return maskPhoneRun(match, plus);
  });
}

/** Field names whose string value is a secret whatever it looks like (`password`, `apiKey`, `x-auth-token`). */
const SECRET_FIELD = /password|passwd|secret|token|apikey|accesskey|privatekey|authorization|cookie|credential/;

/** Field names are few (they come from code and schemas), but a key of a user's JSON can be any length. */
const secretFieldNames = moduleCache<string, boolean>('masking.secretFieldNames', 1024, { maxBytes: 256 * 1024 });

export function isSecretFieldName(name: string): boolean {
  return secretFieldNames.through(name, (field) => SECRET_FIELD.test(field.toLowerCase().replace(/[_-]/g, '')));
}

const isPlainObject = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
};

/**
 * Redacts every string inside a value (strings, arrays, plain objects), and the whole string under a
 * secret-named field; other values pass through.
 */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactRepeated(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object' && isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, typeof inner === 'string' && isSecretFieldName(key) ? REDACTED.secret : redactValue(inner)]),
    );
  }
  return value;
}

const BACKSLASH = 92;
const COLON = 58;
const isJsonSpace = (code: number): boolean => code === 32 || code === 10 || code === 13 || code === 9;

/** Thrown inside `redactJsonText` when the text is not the JSON it looked like. */
class NotJson extends Error {}

/** What JSON may hold outside its strings: structure, numbers, true, false, null (sticky: used in place). */
const JSON_OUTSIDE_STRINGS = /[\s{}[\]:,0-9eE.+\-truefalsn]*/y;
const MASK_TOKEN = /\[REDACTED(?:_[A-Z]+)*\]/g;

/**
 * Masks the string values of JSON text without parsing the whole document: each string literal is found
 * with indexOf, decoded only if it holds an escape, masked as a value (strings that are themselves JSON,
 * like tool arguments, one level further) and written back escaped. Between the strings only JSON
 * structure is accepted, and a long number there (a phone or card number sent as a number) is masked
 * into a string, so the JSON stays valid. Text with nothing to mask comes back as the same string.
 */
function redactJsonText(text: string): string {
  let out = '';
  let emitted = 0;
  let key: string | null = null;
  let at = 0;

  /** Checks text[at, end) is JSON structure; masks a long number in it. */
  const between = (end: number): void => {
    JSON_OUTSIDE_STRINGS.lastIndex = at;
    JSON_OUTSIDE_STRINGS.test(text);
    if (JSON_OUTSIDE_STRINGS.lastIndex < end) throw new NotJson();
    let digits = 0;
    for (let i = at; i < end; i += 1) {
      const code = text.charCodeAt(i);
      if (code >= 48 && code <= 57) digits += 1;
    }
    if (digits < 9) return;
    const segment = text.slice(at, end);
    const masked = redactText(segment);
    if (masked === segment) return;
    out += text.slice(emitted, at) + masked.replace(MASK_TOKEN, '"$&"');
    emitted = end;
  };

  for (;;) {
    const open = text.indexOf('"', at);
    if (open < 0) break;
    between(open);
    let close = open + 1;
    for (;;) {
      close = text.indexOf('"', close);
      if (close < 0) throw new NotJson();
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes += 1;
      if (backslashes % 2 === 0) break;
      close += 1;
    }
    const literal = text.slice(open + 1, close);
    at = close + 1;
    let next = at;
    while (isJsonSpace(text.charCodeAt(next))) next += 1;
    const isKey = text.charCodeAt(next) === COLON;
    const secretField = !isKey && key !== null && isSecretFieldName(key);
    if (!isKey && !secretField && knownCleanLiterals.get(literal)) {
      key = null;
      continue;
    }
    const escaped = literal.includes('\\');
    const value = escaped ? (JSON.parse(`"${literal}"`) as string) : literal;
    if (isKey) {
      key = value;
      continue;
    }
    const first = value.charCodeAt(0);
    const masked = secretField ? REDACTED.secret : first === 123 || first === 91 ? redactSerialized(value) : redactRepeated(value);
    key = null;
    if (masked === value) {
      remember(knownCleanLiterals, literal);
      continue;
    }
    out += text.slice(emitted, open) + JSON.stringify(masked);
    emitted = at;
  }
  between(text.length);
  return emitted === 0 ? text : out + text.slice(emitted);
}

/**
 * Redacts a string that may be serialised JSON (what the Langfuse SDK puts in input/output attributes):
 * string values are masked as values, so that a mask never cuts an escape (`\n` before a phone number)
 * and a bare number is never replaced by text. Anything that is not JSON is masked as text.
 */
export function redactSerialized(text: string): string {
  const first = text.charCodeAt(0);
  // '{' or '[': the only shapes the SDK serialises objects and arrays to.
  if (first !== 123 && first !== 91) return redactText(text);
  try {
    return redactJsonText(text);
  } catch (error) {
    if (error instanceof NotJson || error instanceof SyntaxError) return redactText(text);
    throw error;
  }
}

/** The `mask` option of LangfuseSpanProcessor: it receives attribute values (serialised strings, mostly). */
export const langfuseMask = ({ data }: { data: unknown }): unknown => {
  if (typeof data === 'string') return redactSerialized(data);
  return redactValue(data);
};

/** A score with its free-text comment (a user's feedback) masked. */
export function maskScoreComment<T extends { comment?: string | null | undefined }>(score: T): T {
  return typeof score.comment === 'string' ? { ...score, comment: redactText(score.comment) } : score;
}

/**
 * A user id that is itself personal data (an e-mail address, a phone number) leaves as
 * `user:<first 16 hex of its SHA-256>`: the same person keeps one id in Langfuse, the address is gone.
 * Pseudonymous, not anonymous: whoever already knows the address can compute the hash.
 */
export function maskUserId(userId: string): string;
export function maskUserId(userId: string | null): string | null;
export function maskUserId(userId: string | null): string | null {
  if (userId === null || redactText(userId) === userId) return userId;
  return `user:${createHash('sha256').update(userId.trim().toLowerCase()).digest('hex').slice(0, 16)}`;
}
