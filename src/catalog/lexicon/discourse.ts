/**
 * The words around the wine words: negation, comparisons with an earlier answer, orderings, greetings,
 * questions, the words for "wine" itself, topics the catalog has no data on, and the filler words that mean
 * nothing to a search.
 */

/** "не", "no", "without": the next wine word is excluded ("не совиньон", "no dessert wines"). */
export const NEGATION_WORDS = [
  'не', 'нет', 'ни', 'без', 'кроме', 'только не', 'ничего', 'никаких|никакого|никакое', 'исключая',
  'not', 'no', 'without', 'except', 'excluding', 'but not', 'anything but', 'nothing', 'avoid', 'dont', 'don t', 'do not',
  'isn t', 'aren t', 'wasn t', 'doesn t', 'is not', 'are not', 'other than',
  'rather than', 'instead of', 'вместо',
];

/** Words a negation reaches across: "не слишком тяжёлое", "not too sweet", "don't want red". */
export const NEGATION_FILLERS = [
  'слишком', 'очень', 'совсем', 'хочу', 'надо', 'нужно', 'люблю', 'любит', 'too', 'very', 'so', 'overly', 'any', 'a', 'the', 'want', 'like', 'need', 'fan of', 'big',
];

/** "no red or rosé", "ни красное, ни розовое": a negation carries on across these. */
export const ALTERNATION_WORDS = ['or', 'nor', 'или', 'ни', 'либо'];

/** Follow-up comparatives: they change the previous request instead of starting a new one. */
export const COMPARATIVE_WORDS = {
  lighter: ['полегче', 'легче', 'менее насыщенн*|тяжел*|плотн*', 'lighter', 'less heavy|full|bold'],
  heavier: ['потяжелее', 'тяжелее', 'понасыщеннее', 'насыщеннее', 'поплотнее', 'плотнее', 'помощнее', 'мощнее', 'heavier', 'bolder', 'fuller', 'richer', 'more full bodied', 'more body', 'bigger'],
  stronger: ['покрепче', 'крепче', 'stronger', 'more alcohol', 'higher alcohol'],
  weaker: ['послабее', 'слабее', 'менее крепк*', 'weaker', 'less alcohol|strong', 'lower alcohol'],
  cheaper: ['подешевле', 'дешевле', 'cheaper', 'less expensive', 'more affordable', 'lower price'],
  pricier: ['подороже', 'дороже', 'pricier', 'more expensive', 'fancier'],
  fresher: ['посвежее', 'покислее', 'кислее', 'fresher', 'crisper', 'more acidic|acidity|acid'],
  sweeter: ['послаще', 'слаще', 'sweeter'],
  drier: ['посуше', 'суше', 'drier', 'dryer'],
  other: ['еще', 'другое', 'другие', 'другой', 'другого', 'другим', 'другую', 'иное', 'иначе', 'альтернатив*', 'more', 'other', 'others', 'another', 'else', 'instead', 'alternative|alternatives', 'different'],
} as const;

export type Comparative = keyof typeof COMPARATIVE_WORDS;

/** Orderings a request implies. */
export const ORDER_WORDS = {
  popularity: ['популярн*', 'народн*', 'popular', 'best selling', 'bestseller', 'most rated', 'crowd pleaser', 'crowd pleasing'],
  cheap: ['дешев*', 'недорог*', 'бюджетн*', 'доступн* по цене', 'cheap', 'inexpensive', 'affordable', 'budget', 'good value', 'value for money'],
  expensive: ['дорог*', 'премиальн*', 'элитн*', 'expensive', 'premium', 'luxury', 'splurge'],
  topRated: ['лучш*', 'топов*', 'высок* рейтинг*', 'высокорейтингов*', 'высоко оцен*', 'top rated', 'highest rated', 'best rated', 'highly rated', 'top', 'best'],
} as const;

export type Order = keyof typeof ORDER_WORDS;

export const SMALL_TALK_WORDS = {
  greeting: [
    'привет*', 'здравствуй*', 'здрасте', 'добр* день|вечер|утро', 'доброго времени суток', 'салют', 'хай', 'hi', 'hello', 'hey', 'hiya',
    'good morning|evening|afternoon', 'greetings', 'что ты умеешь|можешь', 'кто ты', 'what can you do', 'who are you',
  ],
  thanks: [
    'спасибо', 'спасиб*', 'благодарю', 'thanks', 'thank you', 'thx', 'ty', 'cheers', 'отлично', 'супер', 'класс', 'great', 'perfect', 'awesome',
    'cool', 'nice', 'это все|всё', 'that s all|it', 'that is all', 'bye', 'goodbye', 'пока', 'до свидания',
  ],
} as const;

/** A message starting with one of these continues the conversation ("а из Италии?", "and cheaper?"). */
export const OPENER_WORDS = ['а', 'и', 'но', 'ну', 'тогда', 'ладно', 'хорошо', 'ок', 'окей', 'and', 'but', 'so', 'also', 'ok', 'okay', 'then', 'what about', 'how about', 'maybe', 'perhaps'];

/** The words for "wine" and for asking for one: a message with them is a request of its own. */
export const WINE_NOUNS = ['вино|вина|вину|вином|вине|винцо|винишко|вин', 'бутылк*|бутылочк*', 'wine|wines', 'bottle|bottles', 'vino'];

export const ASKING_WORDS = [
  'посоветуй*', 'порекомендуй*', 'подскаж*|подскажи*', 'подбер*', 'предлож*', 'хочу', 'хотел*', 'хотим', 'хочется', 'нужн*', 'нужен', 'ищу', 'ищем',
  'recommend', 'suggest', 'need', 'want', 'looking for', 'find me', 'show me', 'pick', 'give me',
];

/** General questions about wine rather than requests for a bottle. */
export const QUESTION_WORDS = {
  compare: ['difference|differences', 'differ|differs', 'разниц*', 'отлича*', 'отличие', 'versus', 'vs', 'compared to|with', 'сравни*'],
  define: ['what is|are', 'what s', 'что такое', 'что значит', 'tell me about', 'расскажи*|расскажите о|об|про', 'explain', 'объясни*', 'what does', 'what do you know about', 'meaning of'],
  how: [
    'how', 'как', 'why', 'почему', 'зачем', 'сколько', 'how long', 'when', 'когда', 'при какой', 'нужно|надо|стоит|можно ли',
    'should i|you|we', 'do i need to', 'is it worth',
  ],
} as const;

export type QuestionCue = keyof typeof QUESTION_WORDS;

/** A dish word followed by one of these and a meat or fish is made of it ("шашлык из баранины", "kebab of lamb"). */
export const DISH_LINK_WORDS = ['из', 'of', 'made of|from|with', 'from'];

/** Things people ask about that the catalog holds no data on; a reply says so instead of claiming them. */
export type UnsupportedTopic = 'oak' | 'organic' | 'sulfites' | 'kosher' | 'ageing';

export const UNSUPPORTED_WORDS: Record<UnsupportedTopic, string[]> = {
  oak: ['oak', 'oaky', 'oaked', 'unoaked', 'barrel|barrels', 'barrique', 'дуб*', 'бочк*', 'баррик*'],
  organic: ['organic', 'biodynamic', 'natural wine', 'natural', 'органич*', 'биодинамич*', 'натуральн*'],
  sulfites: ['sulfite*', 'sulphite*', 'сульфит*', 'серы'],
  kosher: ['kosher', 'кошерн*'],
  ageing: ['aged', 'ageing', 'aging', 'cellar', 'выдержанн*', 'выдержк*'],
};

/** Words that carry no meaning for search or for a request once everything else is read. */
export const STOPWORDS = `
  посоветовать посоветуете посоветуешь порекомендовать порекомендуете порекомендуешь подскажете подскажешь
  предложите предложишь взять возьму возьмем взял налить открыть открою брать беру рекомендуешь рекомендуете
  рекомендация рекомендации подобрать помоги помогите хотела хотелось надо выбрать выбери купить найди
  найдите найти есть что-нибудь что-то какое-нибудь какое-то какой-нибудь нибудь какое какой какую какие каких
  что мне нам меня нас для к ко под с со из и а или на в во по о об у но же ли бы пожалуйста плиз можно можешь
  можете это этот эта эту эти тот та то было был будет очень хорошее хороший хорошую хорошего вкусное вкусный
  вкусного отличное отличный приятное пусть чтобы чем как так тоже ну вот его ее их сегодня вечером подходящее
  подходящий подойдет подойдут подходит подошло подойти сочетается сочетание пару пара варианты вариант
  вариантов самое самые самый ещё от до при над за себя себе вам вас ты вы я мы он она они какая-нибудь
  какое-либо будь блюду блюда блюдо блюдам стиле стиль типа тип сорт сорта сорту сортом страны страна регион
  региона из-за подать подавать выпить попить пить любим любите любят нравится нравятся обожает обожаю оно ему
  ей им её него неё нее мой моя мое моё мои наш наша наше наши бокал это лучше
  around about pour drink drinking likes loves love enjoys enjoy he she they her him his them i i'd id im i'm
  me my we us our you your please recommendation recommendations suggestion wants wanted needs look get choose
  would could can some something anything a an the for with to from of in on and or that which what good nice
  great goes go going pair pairs pairing paired match matches matching well should is are be it its this these
  those any option options do does have has had tell help will shall may might kind type sort style region
  country grape variety one ones also just really very much more bit little maybe perhaps i'll let lets let's
  serve served but only than too so if glass tonight tonite as at by`
  .split(/\s+/)
  .filter(Boolean);
