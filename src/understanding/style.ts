import type { Acidity, Body, WineType } from '../catalog/types.js';
import { wordPattern } from './text.js';

export interface TypeEntry {
  types: WineType[];
  pattern: RegExp;
  /** Words that also name a country or mean "dry" (cava is Spanish, brut is dry). */
  country?: string;
  dry?: boolean;
  /** Read before foods, so "dessert wine" is a type and not the food "dessert". */
  early?: boolean;
}

const type = (types: WineType[], patterns: string[], extra: Omit<TypeEntry, 'types' | 'pattern'> = {}): TypeEntry => ({
  types,
  pattern: wordPattern(...patterns),
  ...extra,
});

const RED = ['красн*', 'red', 'reds', 'rouge', 'rosso', 'tinto'];
const WHITE = ['бел(ое|ого|ому|ым|ом|ые|ых|ыми|ая|ой|ую|енькое)', 'white', 'whites', 'blanc', 'bianco', 'branco', 'blanco'];
const ROSE = ['розов*', 'розе', 'rose', 'roses', 'rosado', 'rosato', 'pink'];
const SPARKLING = ['игрист*', 'шампанск*', 'шипуч*', 'пузырьк*', 'пузырист*', 'sparkling', 'champagne', 'bubbly', 'bubbles', 'fizz', 'fizzy', 'spumante', 'espumante', 'sekt', 'pet nat'];
const SWEET = ['сладк*', 'sweet'];

/** Type words; "dessert wine" is read here before "dessert" can be taken for the food. */
export const TYPES: TypeEntry[] = [
  type(['dessert', 'port'], ['десертн*', 'dessert wines?', 'sweet wines?', 'ледян* вин*', 'айсвайн*', 'ice wines?', 'icewines?', 'eiswein', 'late harvest', 'поздн* сбор*', 'sauternes', 'сотерн*', 'stickies', 'sticky'], { early: true }),
  type(['dessert', 'port'], ['креплен*', 'fortified', 'мадер*', 'madeira', 'марсал*', 'marsala']),
  type(['port'], ['портвейн*', 'port', 'ports', 'porto', 'порто', 'tawny', 'ruby port']),
  type(['dessert'], ['херес*', 'шерри', 'sherry', 'sherries'], { country: 'Spain' }),
  type(['sparkling'], ['брют*', 'brut', 'extra brut', 'экстра брют*'], { dry: true }),
  type(['sparkling'], ['кава', 'cava'], { country: 'Spain' }),
  type(['sparkling'], ['просекко', 'prosecco', 'франчакорт*', 'franciacorta', 'asti spumante'], { country: 'Italy' }),
  type(['sparkling'], ['креман*', 'cremant'], { country: 'France' }),
  type(['sparkling'], SPARKLING),
  type(['rose'], ROSE),
  type(['red'], RED),
  type(['white'], WHITE),
];

/** "не красное", "кроме белого", "no sparkling", "not sweet": these exclude instead of include. */
const NEGATION = '(не|кроме|без|not|no|except|anything but|nothing)';
export const NEGATED_TYPES: TypeEntry[] = [
  type(['dessert', 'port'], [...SWEET, 'десертн*', 'dessert wines?'].map((p) => `${NEGATION} ${p}`), { early: true }),
  type(['dessert', 'port'], ['несладк*'], { early: true }),
  type(['sparkling'], [...SPARKLING, 'пузыр*'].map((p) => `${NEGATION} ${p}`)),
  type(['port'], ['портвейн*', 'port', 'ports'].map((p) => `${NEGATION} ${p}`)),
  type(['rose'], ROSE.map((p) => `${NEGATION} ${p}`)),
  type(['red'], RED.map((p) => `${NEGATION} ${p}`)),
  type(['white'], WHITE.map((p) => `${NEGATION} ${p}`)),
];

/** Semi-dry and semi-sweet mean neither "dry" nor "sweet"; they are read first and left to semantic search. */
export const SEMI_SWEETNESS = wordPattern('полусух*', 'полусладк*', 'off dry', 'semi dry', 'semi sweet', 'medium dry', 'medium sweet', 'demi sec', 'halbtrocken', 'feinherb');
export const SWEET_WORDS = wordPattern(...SWEET);
export const DRY_WORDS = wordPattern('сух(ое|ого|ому|им|ом|ие|их|ими|ая|ой|ую|енькое)', 'dry', 'sec', 'trocken', 'seco', 'secco');

export interface BodyEntry {
  body: Body[];
  pattern: RegExp;
}

const body = (bodies: Body[], patterns: string[]): BodyEntry => ({ body: bodies, pattern: wordPattern(...patterns) });

/** Most specific first: "очень лёгкое" before "лёгкое", "не тяжёлое" before "тяжёлое". */
export const BODIES_READ: BodyEntry[] = [
  body(['very_light'], ['очень легк*', 'совсем легк*', 'very light', 'very light bodied', 'ultra light', 'super light']),
  body(['very_full'], ['очень полнотел*', 'очень насыщенн*', 'очень плотн*', 'очень тяжел*', 'очень мощн*', 'very full', 'very full bodied', 'very heavy', 'very bold', 'very rich', 'massive']),
  body(['very_light', 'light', 'medium'], ['(не|not) (слишком |очень |too |very |so )?(тяжел*|насыщенн*|плотн*|мощн*|heavy|bold|full bodied)']),
  body(['medium'], ['средн* (тел*|полнот*|насыщенност*|плотност*)', 'средней полноты', 'средне полнотел*', 'medium bodied', 'medium body', 'medium weight', 'medium']),
  body(['very_light', 'light'], ['легк*', 'легоньк*', 'light', 'light bodied', 'lightweight', 'delicate']),
  body(['full', 'very_full'], ['полнотел*', 'насыщенн*', 'плотн*', 'тяжел*', 'мощн*', 'full', 'full bodied', 'full body', 'bold', 'heavy', 'big', 'powerful', 'robust', 'rich', 'hearty', 'fuller bodied']),
];

export interface AcidityEntry {
  acidity: Acidity[];
  pattern: RegExp;
}

const acidity = (levels: Acidity[], patterns: string[]): AcidityEntry => ({ acidity: levels, pattern: wordPattern(...patterns) });

export const ACIDITIES_READ: AcidityEntry[] = [
  acidity(['low'], ['низк* кислотн*', 'мягк* кислотн*', 'небольш* кислотн*', 'маленьк* кислотн*', 'без кислинк*', 'некисл*', 'не кисл*', 'не кислотн*', 'low acid*', 'soft acid*', 'not (too )?acidic', 'mellow']),
  acidity(['medium'], ['средн* кислотн*', 'умеренн* кислотн*', 'medium acid*', 'moderate acid*']),
  acidity(['high'], ['высок* кислотн*', 'ярк* кислотн*', 'свеж* кислотн*', 'хорош* кислотн*', 'с кислинк*', 'кислотн*', 'кисл(ое|ая|ый|ые|енькое)', 'high acid*', 'acidic', 'crisp', 'zesty', 'tart', 'bright acidity', 'lots of acidity', 'good acidity', 'acidity']),
];

/** Follow-up comparatives: they change the previous request instead of starting a new one. */
export const COMPARATIVES = {
  lighter: wordPattern('полегче', 'легче', 'менее насыщенн*', 'менее тяжел*', 'менее плотн*', 'lighter', 'less heavy', 'less full', 'less bold'),
  heavier: wordPattern('потяжелее', 'тяжелее', 'понасыщеннее', 'насыщеннее', 'поплотнее', 'плотнее', 'помощнее', 'мощнее', 'heavier', 'bolder', 'fuller', 'richer', 'more full bodied', 'more body', 'bigger'),
  stronger: wordPattern('покрепче', 'крепче', 'stronger', 'more alcohol', 'higher alcohol'),
  weaker: wordPattern('послабее', 'слабее', 'менее крепк*', 'weaker', 'less alcohol', 'lower alcohol', 'less strong'),
  cheaper: wordPattern('подешевле', 'дешевле', 'cheaper', 'less expensive', 'more affordable', 'lower price'),
  pricier: wordPattern('подороже', 'дороже', 'pricier', 'more expensive', 'fancier'),
  fresher: wordPattern('посвежее', 'покислее', 'кислее', 'fresher', 'crisper', 'more acidic', 'more acidity', 'more acid'),
  sweeter: wordPattern('послаще', 'слаще', 'sweeter'),
  drier: wordPattern('посуше', 'суше', 'drier', 'dryer'),
  other: wordPattern('еще', 'другое', 'другие', 'другой', 'другого', 'другим', 'другую', 'иное', 'иначе', 'альтернатив*', 'вместо', 'more', 'other', 'others', 'another', 'else', 'instead', 'alternatives?', 'different'),
} as const;

export const FOLLOW_UP_OPENERS = /^\s*(а|и|но|ну|тогда|ладно|хорошо|ок|окей|and|but|so|also|ok|okay|then|what about|how about|maybe|perhaps)(?![\p{L}\p{N}])/u;

export const SORT_WORDS = {
  popularity: wordPattern('популярн*', 'народн*', 'popular', 'best selling', 'bestsellers?', 'most rated', 'crowd pleasers?', 'crowd pleasing'),
  cheap: wordPattern('дешев*', 'недорог*', 'бюджетн*', 'доступн* по цене', 'cheap', 'inexpensive', 'affordable', 'budget', 'good value', 'value for money'),
  expensive: wordPattern('дорог(ое|ую|ого|ие|их)', 'премиальн*', 'элитн*', 'expensive', 'premium', 'luxury', 'splurge'),
  strong: wordPattern('крепк(ое|ого|ую|ие|их|ая)', 'strong', 'high alcohol', 'boozy'),
  lowAlcohol: wordPattern('(не|not) (слишком |очень |too |very |so )?(крепк*|strong|boozy)', 'некрепк*', 'слабоалкогольн*', 'малоалкогольн*', 'low alcohol', 'low abv', 'lower abv', 'light in alcohol'),
  topRated: wordPattern('лучш*', 'топов*', 'высок* рейтинг*', 'высокорейтингов*', 'высоко оцен*', 'top rated', 'highest rated', 'best rated', 'highly rated', 'top', 'best'),
} as const;

export const GREETINGS = wordPattern('привет*', 'здравствуй*', 'здрасте', 'добр* (день|вечер|утро)', 'доброго времени суток', 'салют', 'хай', 'hi', 'hello', 'hey', 'hiya', 'good (morning|evening|afternoon)', 'greetings');
export const THANKS = wordPattern('спасибо', 'спасиб*', 'благодарю', 'thanks', 'thank you', 'thx', 'ty', 'cheers', 'отлично', 'супер', 'класс', 'great', 'perfect', 'awesome', 'cool', 'nice');
