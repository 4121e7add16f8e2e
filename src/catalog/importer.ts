/**
 * Imports a wine list CSV: the X-Wines columns (WineID, WineName, Type, Grapes, Harmonize, ...) or the
 * simpler shop layout (name, type, grapes, pairings, country, region, winery, abv, body, acidity, price,
 * currency, stock; optional id, elaborate, website, vintages, rating, rating_count). Header names are
 * case-insensitive. Lists are separated by `;` (or `|`, or `,`) or written as Python-style literals.
 *
 * Every data row is either written or reported back with its row number (the header is row 1) and the
 * reason; rows are upserted by id, so importing the same file twice changes nothing.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Database } from '../db/index.js';
import {
  fold,
  normalizeAcidity,
  normalizeBody,
  normalizeWineType,
  parseListCell,
  stableWineId,
} from './normalize.js';
import type { WineInput } from './rows.js';
import { analyzeWines, upsertWines } from './rows.js';
import type { ImportReport, Wine } from './types.js';
import { WINE_TYPES } from './types.js';

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

type Field =
  | 'id' | 'name' | 'type' | 'elaborate' | 'grapes' | 'pairings' | 'abv' | 'body' | 'acidity' | 'country'
  | 'region' | 'winery' | 'website' | 'vintages' | 'price' | 'currency' | 'stock' | 'rating' | 'ratingCount';

/** Header spellings (folded, letters and digits only) → field. */
const HEADER_FIELDS: Record<string, Field> = {
  wineid: 'id', id: 'id',
  winename: 'name', name: 'name', wine: 'name',
  type: 'type', winetype: 'type', color: 'type', colour: 'type',
  elaborate: 'elaborate',
  grapes: 'grapes', grape: 'grapes', varieties: 'grapes', variety: 'grapes',
  harmonize: 'pairings', pairings: 'pairings', pairing: 'pairings', food: 'pairings', foods: 'pairings',
  abv: 'abv', alcohol: 'abv',
  body: 'body', acidity: 'acidity',
  country: 'country',
  regionname: 'region', region: 'region',
  wineryname: 'winery', winery: 'winery', producer: 'winery',
  website: 'website', url: 'website',
  vintages: 'vintages', vintage: 'vintages',
  price: 'price', currency: 'currency', stock: 'stock', quantity: 'stock', qty: 'stock',
  averagerating: 'rating', rating: 'rating', ratingcount: 'ratingCount', ratings: 'ratingCount',
};

/** X-Wines ids and codes that carry nothing the catalog stores. */
const KNOWN_UNUSED = new Set(['code', 'regionid', 'wineryid']);

const CURRENCY_ALIASES: Record<string, string> = {
  '₽': 'RUB', 'руб': 'RUB', 'руб.': 'RUB', 'р': 'RUB', 'р.': 'RUB', 'rur': 'RUB',
  '$': 'USD', '€': 'EUR', '£': 'GBP',
};

const number = (text: string): number => Number(text.replace(/[\s\u00a0]/g, '').replace(',', '.').replace(/%$/, ''));

const decimal = (label: string, min: number, max: number) =>
  z
    .string()
    .transform(number)
    .pipe(z.number({ error: `${label}: not a number` }).min(min, `${label}: below ${min}`).max(max, `${label}: above ${max}`));

const wholeNumber = (label: string, max: number) =>
  z
    .string()
    .transform(number)
    .pipe(
      z
        .number({ error: `${label}: not a number` })
        .int(`${label}: expected a whole number`)
        .min(0, `${label}: cannot be negative`)
        .max(max, `${label}: too large`),
    );

const FIELD_SCHEMAS = {
  id: wholeNumber('id', 2_147_483_647).refine((id) => id > 0, 'id: must be positive'),
  abv: decimal('abv', 0, 100),
  price: decimal('price', 0, 1e9),
  stock: wholeNumber('stock', 2_147_483_647),
  rating: decimal('rating', 0, 5),
  ratingCount: wholeNumber('rating_count', 2_147_483_647),
} as const;

function numberField(field: keyof typeof FIELD_SCHEMAS, raw: string): number {
  const result = FIELD_SCHEMAS[field].safeParse(raw);
  if (!result.success) throw new RowError(result.error.issues[0]?.message ?? `${field}: invalid`);
  return result.data;
}

class RowError extends Error {}

function listField(label: string, raw: string): string[] {
  try {
    return parseListCell(raw);
  } catch (error) {
    throw new RowError(`${label}: ${error instanceof Error ? error.message : 'invalid list'}`);
  }
}

function vintagesField(raw: string): (number | 'N.V.')[] {
  return listField('vintages', raw).map((item) => {
    if (/^\d{4}$/.test(item)) return Number(item);
    if (/^n\.?\s*v\.?$/i.test(item)) return 'N.V.';
    throw new RowError(`vintages: "${item}" is neither a year nor N.V.`);
  });
}

function currencyField(raw: string): string {
  const folded = fold(raw);
  const alias = CURRENCY_ALIASES[folded];
  if (alias) return alias;
  if (/^[a-z]{3}$/.test(folded)) return folded.toUpperCase();
  throw new RowError(`currency: "${raw}" is not a 3-letter code such as RUB, EUR or USD`);
}

type Cells = Partial<Record<Field, string>>;

/**
 * Longest text a field may hold. Wine names run to ~120 characters in X-Wines; anything far longer is a
 * pasted description or junk, and it would be printed in chat.
 */
const MAX_LENGTH: Partial<Record<Field, number>> = {
  name: 200, winery: 200, country: 80, region: 150, elaborate: 150, website: 500, type: 40, body: 40, acidity: 40, currency: 10,
};
/** Longest item of a list cell, and most items. */
const MAX_ITEM_LENGTH = 80;
const MAX_ITEMS = 30;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return first: the OWASP
 * "CSV injection" characters). Such a row is rejected, not cleaned up: a formula is never a fact about a
 * wine, and a cleaned-up "=cmd()" would still be printed in chat.
 */
const FORMULA = /^[=+\-@\t\r]/;

const formulaReason = (field: string, value: string): string =>
  `${field}: starts with "${value.charAt(0).replace('\t', '\\t').replace('\r', '\\r')}" like a spreadsheet formula; rows with formula-like text are rejected`;

function checkText(field: Field, value: string): void {
  const limit = MAX_LENGTH[field];
  if (limit !== undefined && value.length > limit) {
    throw new RowError(`${field}: ${value.length.toLocaleString('en-US')} characters, more than the ${limit} allowed`);
  }
  if (FORMULA.test(value)) throw new RowError(formulaReason(field, value));
}

function checkItems(label: string, items: string[]): string[] {
  if (items.length > MAX_ITEMS) throw new RowError(`${label}: ${items.length} items, more than the ${MAX_ITEMS} allowed`);
  for (const item of items) {
    if (item.length > MAX_ITEM_LENGTH) {
      throw new RowError(`${label}: an item of ${item.length.toLocaleString('en-US')} characters, more than the ${MAX_ITEM_LENGTH} allowed`);
    }
    if (FORMULA.test(item)) throw new RowError(formulaReason(label, item));
  }
  return items;
}

/** Fields whose cells are numbers: a leading "-" or "+" there is a sign, checked by the number rules. */
const NUMERIC: ReadonlySet<Field> = new Set(['id', 'abv', 'price', 'stock', 'rating', 'ratingCount']);

/** One CSV row → a wine, or a RowError whose message says which column is wrong. */
function wineFromCells(cells: Cells, source: string): WineInput {
  for (const [field, raw] of Object.entries(cells) as [Field, string][]) {
    const value = raw.trim();
    if (value !== '' && !NUMERIC.has(field) && field !== 'grapes' && field !== 'pairings' && field !== 'vintages') checkText(field, value);
  }
  const text = (field: Field): string | null => {
    const value = cells[field]?.trim();
    return value === undefined || value === '' ? null : value;
  };
  const name = text('name');
  if (!name) throw new RowError('name: missing');
  const rawType = text('type');
  if (!rawType) throw new RowError('type: missing');
  const type = normalizeWineType(rawType);
  if (!type) throw new RowError(`type: unknown wine type "${rawType}" (expected ${WINE_TYPES.join(', ')})`);
  const rawBody = text('body');
  const body = rawBody === null ? null : normalizeBody(rawBody);
  if (rawBody !== null && body === null) {
    throw new RowError(`body: unknown body "${rawBody}" (expected very light, light, medium, full or very full)`);
  }
  const rawAcidity = text('acidity');
  const acidity = rawAcidity === null ? null : normalizeAcidity(rawAcidity);
  if (rawAcidity !== null && acidity === null) {
    throw new RowError(`acidity: unknown acidity "${rawAcidity}" (expected low, medium or high)`);
  }
  const winery = text('winery');
  const rawId = text('id');
  const price = text('price');
  const rawRating = text('rating');
  const rawCount = text('ratingCount');
  const rating = rawRating === null ? null : numberField('rating', rawRating);
  const ratingCount = rawCount === null ? 0 : numberField('ratingCount', rawCount);
  const rawCurrency = text('currency');
  const wine: Wine = {
    id: rawId === null ? stableWineId(name, winery) : numberField('id', rawId),
    name,
    type,
    elaborate: text('elaborate'),
    grapes: checkItems('grapes', listField('grapes', cells.grapes ?? '')),
    pairings: checkItems('pairings', listField('pairings', cells.pairings ?? '')),
    body,
    acidity,
    abv: text('abv') === null ? null : numberField('abv', text('abv') ?? ''),
    country: text('country'),
    region: text('region'),
    winery,
    website: text('website'),
    vintages: vintagesField(cells.vintages ?? ''),
    rating,
    ratingCount: rating === null ? 0 : ratingCount,
    price: price === null ? null : numberField('price', price),
    currency: rawCurrency === null ? null : currencyField(rawCurrency),
    stock: text('stock') === null ? null : numberField('stock', text('stock') ?? ''),
  };
  return { ...wine, source };
}

export interface ParsedCsv {
  wines: { row: number; wine: WineInput }[];
  rejected: { row: number; reason: string }[];
  total: number;
  ignoredColumns: string[];
}

function detectDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const count = (char: string) => header.split(char).length - 1;
  return count(';') > count(',') ? ';' : count('\t') > count(',') ? '\t' : ',';
}

interface Records {
  header: string[];
  data: { row: number; cells: string[] }[];
  rejected: { row: number; reason: string }[];
  fields: (Field | undefined)[];
  ignoredColumns: string[];
}

/** Reads the CSV into rows; a file with no name or type column is refused outright. */
function readRecords(csv: string): Records {
  const rejected: { row: number; reason: string }[] = [];
  const records: { row: number; cells: string[] }[] = [];
  // Incremented per record as the parser sees it, so the header is row 1 and rows match a spreadsheet.
  let row = 0;
  try {
    parse(csv, {
      bom: true,
      delimiter: detectDelimiter(csv.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        row += 1;
        rejected.push({ row, reason: `unreadable CSV: ${error?.message ?? 'syntax error'}` });
        return undefined;
      },
      on_record: (record: string[]) => {
        row += 1;
        records.push({ row, cells: record });
        return record;
      },
    });
  } catch (error) {
    rejected.push({
      row: row + 1,
      reason: `unreadable CSV, the rest of the file was not read: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const [header, ...data] = records;
  if (!header) throw new ImportError('the file is empty: expected a header row');
  const fields = header.cells.map((name) => HEADER_FIELDS[fold(name).replace(/[^a-z0-9]/g, '')]);
  const present = new Set(fields);
  if (!present.has('name')) throw new ImportError('no "name" (or "WineName") column in the header row');
  if (!present.has('type')) throw new ImportError('no "type" column in the header row');
  const ignoredColumns = header.cells.filter(
    (name, index) => fields[index] === undefined && !KNOWN_UNUSED.has(fold(name).replace(/[^a-z0-9]/g, '')),
  );
  return { header: header.cells, data, rejected, fields, ignoredColumns };
}

/** Checks rows one by one; keeps the ids seen so far to report a duplicate by the wine's name. */
class RowChecker {
  readonly wines: ParsedCsv['wines'] = [];
  private readonly seen = new Map<number, { row: number; name: string }>();

  constructor(
    private readonly records: Records,
    private readonly source: string,
  ) {}

  check(record: { row: number; cells: string[] }): void {
    const { header, fields, rejected } = this.records;
    if (record.cells.length !== header.length) {
      rejected.push({ row: record.row, reason: `expected ${header.length} columns, found ${record.cells.length}` });
      return;
    }
    const cells: Cells = {};
    fields.forEach((field, index) => {
      if (field && cells[field] === undefined) cells[field] = record.cells[index] ?? '';
    });
    try {
      const wine = wineFromCells(cells, this.source);
      const earlier = this.seen.get(wine.id);
      if (earlier !== undefined) {
        const by = wine.winery ? ` by ${wine.winery}` : '';
        const sameId = fold(earlier.name) === fold(wine.name) ? '' : ` ("${earlier.name}", the same wine id ${wine.id})`;
        throw new RowError(`duplicate: "${wine.name}"${by} is already row ${earlier.row}${sameId}`);
      }
      this.seen.set(wine.id, { row: record.row, name: wine.name });
      this.wines.push({ row: record.row, wine });
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      rejected.push({ row: record.row, reason: error.message });
    }
  }

  result(): ParsedCsv {
    const { data, rejected, ignoredColumns } = this.records;
    rejected.sort((a, b) => a.row - b.row);
    return { wines: this.wines, rejected, total: data.length + rejected.filter((r) => r.reason.startsWith('unreadable')).length, ignoredColumns };
  }
}

/** Parses and validates a wine CSV without touching the database. */
export function parseWinesCsv(csv: string, source = 'import'): ParsedCsv {
  const records = readRecords(csv);
  const checker = new RowChecker(records, source);
  for (const record of records.data) checker.check(record);
  return checker.result();
}

/** What an import is doing: checking rows, then writing them. */
export type ImportStage = 'checking' | 'writing';

export interface ImportOptions {
  /** Recorded per wine (`xwines` for the bundled data). */
  source?: string;
  /** Called as rows are checked and then written: (rows done, rows total, stage). */
  onProgress?: (done: number, total: number, stage: ImportStage) => void;
}

/** Rows checked between two progress reports; the event loop runs in between, so a progress bar can draw. */
const CHECK_CHUNK = 500;

/** Parses, validates and upserts a wine CSV in one transaction. */
export async function importWinesCsv(db: Database, csv: string, options: ImportOptions = {}): Promise<ImportReport> {
  const records = readRecords(csv);
  const checker = new RowChecker(records, options.source ?? 'import');
  const rows = records.data.length;
  for (let start = 0; start < rows; start += CHECK_CHUNK) {
    options.onProgress?.(start, rows, 'checking');
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (const record of records.data.slice(start, start + CHECK_CHUNK)) checker.check(record);
  }
  options.onProgress?.(rows, rows, 'checking');
  const parsed = checker.result();
  const wines = parsed.wines.map((entry) => entry.wine);
  const valid = wines.length;
  options.onProgress?.(0, valid, 'writing');
  const inserted = await db.transaction((tx) => upsertWines(tx, wines, (done) => options.onProgress?.(done, valid, 'writing')));
  if (valid > 0) await analyzeWines(db);
  options.onProgress?.(valid, valid, 'writing');
  return {
    total: parsed.total,
    inserted,
    updated: valid - inserted,
    rejected: parsed.rejected,
    ignoredColumns: parsed.ignoredColumns,
  };
}
