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
import type { Database } from './database.js';
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

/** One CSV row → a wine, or a RowError whose message says which column is wrong. */
function wineFromCells(cells: Cells, source: string): WineInput {
  const text = (field: Field): string | null => {
    const value = cells[field]?.trim();
    return value === undefined || value === '' ? null : value;
  };
  const name = text('name');
  if (!name) throw new RowError('name: missing');
  if (name.length > 300) throw new RowError('name: longer than 300 characters');
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
    grapes: listField('grapes', cells.grapes ?? ''),
    pairings: listField('pairings', cells.pairings ?? ''),
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

/** Parses and validates a wine CSV without touching the database. */
export function parseWinesCsv(csv: string, source = 'import'): ParsedCsv {
  const rejected: { row: number; reason: string }[] = [];
  const records: { row: number; cells: string[] }[] = [];
  // Incremented per record as the parser sees it, so the header is row 1 and rows match a spreadsheet.
  let row = 0;
  try {
    const parsed: string[][] = parse(csv, {
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
    void parsed;
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

  const wines: ParsedCsv['wines'] = [];
  const seen = new Map<number, number>();
  for (const record of data) {
    if (record.cells.length !== header.cells.length) {
      rejected.push({
        row: record.row,
        reason: `expected ${header.cells.length} columns, found ${record.cells.length}`,
      });
      continue;
    }
    const cells: Cells = {};
    fields.forEach((field, index) => {
      if (field && cells[field] === undefined) cells[field] = record.cells[index] ?? '';
    });
    try {
      const wine = wineFromCells(cells, source);
      const earlier = seen.get(wine.id);
      if (earlier !== undefined) throw new RowError(`duplicate: same wine id ${wine.id} as row ${earlier}`);
      seen.set(wine.id, record.row);
      wines.push({ row: record.row, wine });
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      rejected.push({ row: record.row, reason: error.message });
    }
  }
  rejected.sort((a, b) => a.row - b.row);
  return { wines, rejected, total: data.length + rejected.filter((r) => r.reason.startsWith('unreadable')).length, ignoredColumns };
}

export interface ImportOptions {
  /** Recorded per wine (`xwines` for the bundled data). */
  source?: string;
  /** Called as rows are parsed and written: (rows done, rows total). */
  onProgress?: (done: number, total: number) => void;
}

/** Parses, validates and upserts a wine CSV in one transaction. */
export async function importWinesCsv(db: Database, csv: string, options: ImportOptions = {}): Promise<ImportReport> {
  const parsed = parseWinesCsv(csv, options.source ?? 'import');
  const wines = parsed.wines.map((entry) => entry.wine);
  const valid = wines.length;
  options.onProgress?.(0, parsed.total);
  const inserted = await db.transaction((tx) =>
    upsertWines(tx, wines, (done) => options.onProgress?.(done + (parsed.total - valid), parsed.total)),
  );
  if (valid > 0) await analyzeWines(db);
  options.onProgress?.(parsed.total, parsed.total);
  return {
    total: parsed.total,
    inserted,
    updated: valid - inserted,
    rejected: parsed.rejected,
    ignoredColumns: parsed.ignoredColumns,
  };
}
