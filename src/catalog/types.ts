export const WINE_TYPES = ['red', 'white', 'rose', 'orange', 'sparkling', 'dessert', 'port'] as const;
export type WineType = (typeof WINE_TYPES)[number];

/** Ordered lightest → heaviest so ranges and "lighter than" comparisons work on the index. */
export const BODIES = ['very_light', 'light', 'medium', 'full', 'very_full'] as const;
export type Body = (typeof BODIES)[number];

export const ACIDITIES = ['low', 'medium', 'high'] as const;
export type Acidity = (typeof ACIDITIES)[number];

export interface Wine {
  id: number;
  name: string;
  type: WineType;
  /** e.g. "Varietal/100%", "Assemblage/Blend" */
  elaborate: string | null;
  grapes: string[];
  /** Food pairings, the dataset's `Harmonize` (English names such as "Beef", "Shellfish"). */
  pairings: string[];
  body: Body | null;
  acidity: Acidity | null;
  abv: number | null;
  country: string | null;
  region: string | null;
  winery: string | null;
  website: string | null;
  /** Years, newest first; non-vintage wines list "N.V.". */
  vintages: (number | 'N.V.')[];
  /** Average of user ratings 1–5, null when nobody rated it. */
  rating: number | null;
  ratingCount: number;
  /** Only when a shop's own list provides them; X-Wines has none and we never invent them. */
  price: number | null;
  currency: string | null;
  stock: number | null;
}

export const WINE_SORTS = ['rating', 'popularity', 'abv_asc', 'abv_desc', 'price_asc', 'price_desc', 'name'] as const;
export type WineSort = (typeof WINE_SORTS)[number];

/** Structured filters shared by the `search_wines` tool and `GET /api/v1/wines`. */
export interface WineFilters {
  type?: WineType | WineType[];
  /** Exclude these types, e.g. "dry" excludes dessert and port. */
  excludeTypes?: WineType[];
  /** Leave out wines with any of these grapes ("not Sauvignon Blanc"), countries or regions ("not Champagne"). */
  excludeGrapes?: string[];
  excludeCountries?: string[];
  excludeRegions?: string[];
  country?: string;
  region?: string;
  grape?: string;
  /** A food; matched against pairings, English or Russian ("steak", "стейк" → Beef). */
  pairing?: string;
  body?: Body | Body[];
  acidity?: Acidity | Acidity[];
  minAbv?: number;
  maxAbv?: number;
  minRating?: number;
  minPrice?: number;
  maxPrice?: number;
  sort?: WineSort;
  limit?: number;
  offset?: number;
}

export interface SemanticQuery {
  query: string;
  /** Optional hard filters applied before ranking. */
  filters?: Omit<WineFilters, 'sort' | 'offset'>;
  limit?: number;
}

export interface ScoredWine {
  wine: Wine;
  /** Higher is more similar; comparable only within one result. */
  score: number;
}

export interface ImportReport {
  total: number;
  inserted: number;
  updated: number;
  rejected: { row: number; reason: string }[];
  /** Header columns the importer does not know and ignored (e.g. X-Wines' RegionID). */
  ignoredColumns?: string[];
}

export interface Catalog {
  searchWines(filters: WineFilters): Promise<Wine[]>;
  semanticSearch(query: SemanticQuery): Promise<ScoredWine[]>;
  getWine(id: number): Promise<Wine | null>;
  getWines(ids: number[]): Promise<Wine[]>;
  count(): Promise<number>;
  /** Forgets what the catalog remembers about its contents (after an import). */
  invalidate?(): void;
}
