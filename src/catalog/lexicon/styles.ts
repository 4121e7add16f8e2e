/**
 * Words for the wine itself: its type, sweetness, body, acidity and strength, and the style words that only
 * describe it ("fruity", "elegant"). Each word says what it means in the catalog's own terms; search turns
 * the same words into full-text descriptors (`search`).
 */
import type { Acidity, Body, WineType } from '../types.js';
import { ADJECTIVE, forms } from './forms.js';

export interface WineStyle {
  types: WineType[];
  /** Words that also name a country (cava is Spanish). */
  country?: string;
  /** Words that also say "dry" (brut). */
  dry?: boolean;
  /**
   * A place-named style (Champagne, Prosecco, Cava): "not Champagne" leaves out the place, not every
   * sparkling wine.
   */
  appellation?: string;
  /** Full-text descriptors for search. */
  search: string[];
}

export interface StyleTerm<S> {
  words: string[];
  sense: S;
}

const style = (types: WineType[], words: string[], search: string[], more: Omit<WineStyle, 'types' | 'search'> = {}): StyleTerm<WineStyle> => ({
  words,
  sense: { types, search, ...more },
});

/** Type words. A dessert or port type is sweet by nature, in a request and in a wine's name. */
export const TYPE_WORDS: readonly StyleTerm<WineStyle>[] = [
  style(['dessert', 'port'], ['десертн*', 'dessert wine', 'sweet wine', 'ледян* вин*', 'айсвайн*', 'ice wine', 'icewine', 'eiswein', 'late harvest', 'поздн* сбор*', 'sauternes', 'сотерн*', 'sticky|stickies'], ['dessert', 'sweet']),
  style(['port', 'dessert'], ['креплен*', 'fortified', 'мадер*', 'madeira', 'марсал*', 'marsala'], ['fortified']),
  style(['port'], ['портвейн*', 'port', 'porto', 'порто', 'tawny', 'ruby port'], ['port']),
  style(['dessert'], ['херес*', 'шерри', 'sherry|sherries'], ['sherry'], { country: 'Spain' }),
  style(['sparkling'], ['брют*', 'brut', 'extra brut', 'экстра брют*'], ['sparkling', 'brut'], { dry: true }),
  style(['sparkling'], ['кава', 'cava'], ['sparkling', 'cava'], { country: 'Spain', appellation: 'Cava' }),
  style(['sparkling'], ['просекко', 'prosecco'], ['sparkling', 'prosecco'], { country: 'Italy', appellation: 'Prosecco' }),
  style(['sparkling'], ['франчакорт*', 'franciacorta'], ['sparkling', 'franciacorta'], { country: 'Italy', appellation: 'Franciacorta' }),
  style(['sparkling'], ['креман*', 'cremant'], ['sparkling', 'cremant'], { country: 'France', appellation: 'Crémant' }),
  style(['sparkling'], ['champagne'], ['sparkling', 'champagne'], { appellation: 'Champagne' }),
  // «Шампанское» is any sparkling wine in Russian speech; "without champagne" still leaves out the region.
  style(['sparkling'], ['шампанск*'], ['sparkling', 'champagne'], { appellation: 'Champagne' }),
  style(['sparkling'], ['игрист*', 'шипуч*', 'пузырьки|пузырьками|пузырьков', 'пузырист*', 'sparkling', 'bubbly', 'bubbles', 'fizz', 'fizzy', 'spumante', 'espumante', 'sekt', 'pet nat', 'petillant'], ['sparkling']),
  style(['rose'], [forms('розов', ADJECTIVE), 'розовенькое', 'розе', 'rose', 'rosado', 'rosato', 'pink', 'blush'], ['rose']),
  style(['orange'], [forms('оранжев', ADJECTIVE), forms('янтарн', ADJECTIVE), 'orange', 'amber wine', 'skin contact'], ['orange']),
  style(['red'], [forms('красн', ADJECTIVE), 'красненькое', 'red', 'rouge', 'rosso', 'tinto'], ['red']),
  style(['white'], [forms('бел', ADJECTIVE), 'беленькое', 'white', 'blanc', 'bianco', 'branco', 'blanco'], ['white']),
];

/**
 * - dry: sweet wines are out;
 * - offDry: neither dry nor sweet, left to search;
 * - semiSweet and sweet: sweet wines are wanted.
 */
export type Sweetness = 'dry' | 'offDry' | 'semiSweet' | 'sweet';

export interface SweetnessSense {
  level: Sweetness;
  /**
   * Names a sweet style of its own (Auslese, Moscato d'Asti) rather than sweetness in general, so it does
   * not by itself ask for a dessert wine: X-Wines files many of them as white or sparkling.
   */
  style?: boolean;
}

const sweetness = (level: Sweetness, words: string[], more: Omit<SweetnessSense, 'level'> = {}): StyleTerm<SweetnessSense> => ({
  words,
  sense: { level, ...more },
});

/** Read in requests and in wine names alike (a "Riesling Spätlese" is sweet, a "Spätlese Trocken" dry). */
export const SWEETNESS_WORDS: readonly StyleTerm<SweetnessSense>[] = [
  sweetness('dry', [forms('сух', ADJECTIVE), 'сухенькое', 'несладк*', 'dry', 'sec', 'trocken', 'seco', 'secco']),
  sweetness('offDry', ['полусух*', 'off dry', 'semi dry', 'medium dry', 'halbtrocken', 'feinherb']),
  sweetness('semiSweet', ['полусладк*', 'semi sweet', 'medium sweet', 'demi sec', 'amabile', 'abboccato', 'lieblich']),
  sweetness('sweet', [forms('сладк', ADJECTIVE), 'сладенькое', 'sweet', 'doux', 'dolce', 'dulce', 'suss']),
  // Also a food (desserts): "something sweet for dessert" asks for a sweet wine as well.
  sweetness('sweet', ['something sweet', 'что нибудь сладкое', 'что то сладкое']),
  // Sweet styles that X-Wines also files as white or sparkling; the dessert-wine words are TYPE_WORDS.
  sweetness('sweet', ['auslese', 'beerenauslese', 'trockenbeerenauslese', 'spatlese', 'aszu', 'passito', 'recioto', 'vin santo', 'moscato d asti', 'vendange tardive', 'selection de grains nobles', 'barsac'], { style: true }),
];

/** A place on one of the catalog's scales (body, acidity) and the descriptor search looks it up by. */
export interface ScaleSense<T> {
  levels: T[];
  search: string;
}

const on = <T>(levels: T[], search: string, words: string[]): StyleTerm<ScaleSense<T>> => ({ words, sense: { levels, search } });

export const BODY_WORDS: readonly StyleTerm<ScaleSense<Body>>[] = [
  on<Body>(['very_light'], 'light', ['очень|совсем легк*', 'very light [bodied]', 'ultra|super light']),
  on<Body>(['very_full'], 'bold', ['очень полнотел*|насыщенн*|плотн*|тяжел*|мощн*', 'very full [bodied]', 'very heavy|bold|rich', 'massive']),
  on<Body>(['medium'], 'medium', ['средн* тел*|полнот*|насыщенност*|плотност*', 'средней полноты', 'средне полнотел*', 'medium [bodied|body|weight]']),
  on<Body>(['very_light', 'light'], 'light', ['легк*', 'легоньк*', 'light [bodied]', 'lightweight', 'delicate']),
  on<Body>(['full', 'very_full'], 'bold', ['полнотел*', 'насыщенн*', 'плотн*', 'тяжел*', 'мощн*', 'full [bodied|body]', 'bold', 'heavy', 'big', 'powerful', 'robust', 'rich', 'hearty']),
];

export const ACIDITY_WORDS: readonly StyleTerm<ScaleSense<Acidity>>[] = [
  on<Acidity>(['low'], 'smooth', ['низк*|мягк*|небольш*|маленьк* кислотн*', 'некисл*', 'low|soft acid*']),
  on<Acidity>(['medium'], 'balanced', ['средн*|умеренн* кислотн*', 'medium|moderate acid*']),
  on<Acidity>(['high'], 'crisp', ['высок*|ярк*|свеж*|хорош* кислотн*', 'кислинк*', 'кислотн*', forms('кисл', ADJECTIVE), 'кисленькое', 'high|bright|good acid*', 'lots of acidity', 'acidic', 'acidity', 'crisp', 'zesty', 'tart']),
];

/** Alcohol: "крепкое" asks for the strongest first, "некрепкое" for a soft upper bound. */
export type Strength = 'high' | 'low';

export const STRENGTH_WORDS: readonly StyleTerm<Strength>[] = [
  { words: ['крепк*', 'strong', 'high alcohol', 'boozy'], sense: 'high' },
  { words: ['некрепк*', 'слабоалкогольн*', 'малоалкогольн*', 'low alcohol|abv', 'lower abv', 'light in alcohol'], sense: 'low' },
];

/** What a general question about a wine word is about. */
export type WineTopic = 'tannin' | 'acidity' | 'body' | 'sweetness' | 'temperature' | 'decanting' | 'storage';

export interface DescriptorSense {
  /** Full-text descriptor; none for words that only name a topic of a question ("температура"). */
  search?: string;
  topic?: WineTopic;
}

const descriptor = (search: string | null, words: string[], topic?: WineTopic): StyleTerm<DescriptorSense> => ({
  words,
  sense: { ...(search ? { search } : {}), ...(topic ? { topic } : {}) },
});

/** Style words a request keeps for semantic search: the catalog has no column for them. */
export const DESCRIPTOR_WORDS: readonly StyleTerm<DescriptorSense>[] = [
  descriptor('easy', ['easy', 'easy drinking', 'простое', 'простенькое', 'легкопьющ*']),
  descriptor('fruity', ['fruity', 'fruit forward', 'juicy', 'фруктов*', 'ягодн*', 'сочн*']),
  descriptor('fresh', ['fresh', 'refreshing', 'свеж*', 'освежающ*']),
  descriptor('crisp', ['bright']),
  descriptor('tannic', ['tannic', 'tannin', 'tannins', 'танин*', 'таннин*', 'терпк*'], 'tannin'),
  descriptor('smooth', ['smooth', 'soft', 'mellow', 'round', 'мягк*', 'бархатист*', 'округл*']),
  descriptor('elegant', ['elegant', 'refined', 'элегантн*', 'изысканн*', 'утонченн*']),
  descriptor('aromatic', ['aromatic', 'floral', 'ароматн*', 'цветочн*']),
  descriptor('peppery', ['spicy wine', 'peppery', 'прян*']),
  descriptor(null, ['body', 'тело', 'полнота|полноту|полноты'], 'body'),
  descriptor(null, ['sweetness', 'сладост*', 'сахар*'], 'sweetness'),
  descriptor(null, ['кислотность|кислотности'], 'acidity'),
  descriptor(null, ['temperature', 'температур*', 'chill', 'охлажд*'], 'temperature'),
  descriptor(null, ['decant*', 'декант*', 'breathe', 'дышать|подышать'], 'decanting'),
  descriptor(null, ['open bottle', 'opened bottle', 'открыт* бутылк*', 'хранить', 'хранится', 'храниться', 'store', 'keep'], 'storage'),
];
