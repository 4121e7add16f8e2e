/** The offline engine's Russian. */
import { PAIRINGS, type UnsupportedTopic, type WineTopic } from '../../../catalog/lexicon/index.js';
import type { Acidity, Body, WineType } from '../../../catalog/types.js';
import type { ConstraintKey, SmallTalk } from '../../../understanding/index.js';
import { capitalize, choose, countryEntry, formatNumber, grapeEntry, joinList, regionEntry } from './shared.js';
import type { GrapeFacts, NearMiss, Opening, PriceNote, RequestSummary, WineLine, Wording } from './types.js';

/** Adjectives agree with "вино" (neuter); port is "портвейн" (masculine). */
const TYPE: Record<WineType, string> = {
  red: 'красное', white: 'белое', rose: 'розовое', orange: 'оранжевое', sparkling: 'игристое', dessert: 'десертное', port: 'портвейн',
};
const BODY_NEUTER: Record<Body, string> = {
  very_light: 'очень лёгкое', light: 'лёгкое', medium: 'средней полноты', full: 'полнотелое', very_full: 'очень полнотелое',
};
const BODY_MASCULINE: Record<Body, string> = {
  very_light: 'очень лёгкий', light: 'лёгкий', medium: 'средней полноты', full: 'полнотелый', very_full: 'очень полнотелый',
};
const ACIDITY: Record<Acidity, string> = { high: 'с высокой кислотностью', medium: 'со средней кислотностью', low: 'с мягкой кислотностью' };

const number = (value: number, digits = 1, keepZeros = false) => formatNumber(value, true, digits, keepZeros);
const and = (items: readonly string[]) => joinList(items, 'и');
const or = (items: readonly string[]) => joinList(items, 'или');
const grape = (name: string) => grapeEntry(name)?.ru ?? name;
const country = (name: string) => countryEntry(name)?.ru ?? name;
const fromPlace = (countryName: string | undefined, regionName: string | undefined): string => {
  if (regionName) return regionEntry(regionName)?.ruFrom ?? `из региона ${regionName}`;
  if (countryName) return countryEntry(countryName)?.ruFrom ?? `из страны ${countryName}`;
  return '';
};
/** "говядине" for "к говядине". */
const pairing = (name: string) => PAIRINGS[name]?.ruTo ?? name.toLowerCase();
const body = (value: Body, type: WineType | null) => (type === 'port' ? BODY_MASCULINE : BODY_NEUTER)[value];

/** 1 оценка, 2 оценки, 5 оценок (11–14 take the last form). */
function plural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

function bodyRange(bodies: readonly Body[]): string {
  const set = new Set(bodies);
  const is = (...expected: Body[]) => expected.length === set.size && expected.every((b) => set.has(b));
  if (is('very_light', 'light') || is('light')) return 'лёгкое';
  if (is('full', 'very_full') || is('full')) return 'полнотелое';
  if (is('very_light', 'light', 'medium')) return 'не слишком тяжёлое';
  if (is('medium', 'full', 'very_full')) return 'насыщенное';
  return bodies.map((b) => BODY_NEUTER[b]).join(' или ');
}

const BROADEN: Record<ConstraintKey, string> = {
  type: 'вино другого цвета или стиля',
  sweetness: 'вино другой сладости',
  sweet: 'более сладкие вина',
  country: 'другие страны',
  region: 'соседние регионы',
  grape: 'другие сорта',
  pairing: 'вина без явной рекомендации к этому блюду',
  body: 'вино другой полноты',
  acidity: 'другую кислотность',
  abv: 'другую крепость',
  rating: 'вина с оценкой чуть ниже',
  price: 'вина без указанной цены',
};

const SERVING: Record<WineType, string> = {
  red: 'Красное лучше подать при 16–18 °C.',
  white: 'Белое стоит охладить до 8–12 °C.',
  rose: 'Розовое хорошо охладить до 8–10 °C.',
  orange: 'Оранжевое вино лучше слегка охладить, до 12–14 °C.',
  sparkling: 'Игристое подавайте хорошо охлаждённым, при 6–8 °C.',
  dessert: 'Десертные вина раскрываются при 10–12 °C.',
  port: 'Портвейн подают при 14–18 °C.',
};

const UNSUPPORTED: Record<UnsupportedTopic, string> = {
  oak: 'в каталоге нет сведений о выдержке в дубе',
  organic: 'в каталоге не отмечено, какие вина органические, биодинамические или натуральные',
  sulfites: 'в каталоге нет сведений о сульфитах',
  kosher: 'в каталоге не отмечено, какие вина кошерные',
  ageing: 'в каталоге нет сведений о выдержке вин',
};

const GRAPE_PROFILE: Record<string, string> = {
  'Cabernet Sauvignon': 'У каберне совиньон мелкие толстокожие ягоды: плотные танины, глубокий цвет, чёрная смородина и кедр; ему нужно время или еда, чтобы смягчиться.',
  Merlot: 'Мерло созревает раньше и мягче: танины круглее, во вкусе слива и вишня, пить его приятно уже молодым.',
  'Pinot Noir': 'Пино нуар тонкокожий и малотанинный: красные ягоды, шелковистость и свежесть; лучше всего удаётся в прохладном климате, например в Бургундии.',
  'Syrah/Shiraz': 'Сира (в Австралии — шираз) даёт тёмные ягоды, чёрный перец и плотную структуру; в прохладном климате она перечная, в тёплом — спелая и насыщенная.',
  Malbec: 'Мальбек даёт густой цвет, сливу и ежевику и мягкие спелые танины; прославила его Аргентина (Мендоса).',
  Tempranillo: 'Темпранильо — главный красный сорт Испании (Риоха, Рибера-дель-Дуэро, где его зовут тинто фино): вишня, пряные ноты, умеренная кислотность.',
  Sangiovese: 'Санджовезе — сорт кьянти и брунелло: вишня, высокая кислотность и терпкие танины, прекрасно идёт к блюдам с томатами.',
  Nebbiolo: 'Неббиоло (бароло, барбареско) светлый по цвету, но мощный: очень высокие танины и кислотность, ароматы розы и смолы, долго живёт.',
  Grenache: 'Гренаш (в Испании — гарнача) сочный и тёплый: красные ягоды, специи, мягкие танины и часто высокий алкоголь.',
  Zinfandel: 'Зинфандель (в Италии — примитиво) спелый, джемовый, пряный и часто крепкий.',
  Primitivo: 'Примитиво (в Калифорнии — зинфандель) спелый, джемовый, пряный и часто крепкий.',
  'Cabernet Franc': 'Каберне фран легче каберне совиньон: красные ягоды, травянистые ноты и свежая кислотность.',
  Carmenère: 'Карменер — визитная карточка Чили: мягкий и фруктовый, с нотой зелёного перца.',
  Gamay: 'Гаме (божоле) лёгкий и сочный, с низкими танинами; его хорошо чуть охладить.',
  Mourvedre: 'Мурведр (в Испании — монастрель) тёмный, мясистый и танинный; его часто смешивают с гренашем и сирой.',
  Chardonnay: 'Шардоне — нейтральный сорт, который показывает место и руку винодела: в Шабли он свежий и минеральный, в тёплых краях — округлый и насыщенный.',
  'Sauvignon Blanc': 'Совиньон блан ароматный и свежий: цитрусы, крыжовник, зелёные травянистые ноты и высокая кислотность.',
  Riesling: 'Рислинг ароматен и очень кислотен; его делают во всех стилях — от совсем сухого до очень сладкого (ауслезе, айсвайн), поэтому важно читать этикетку.',
  'Chenin Blanc': 'Шенен блан — высокая кислотность, яблоко и мёд; бывает сухим, полусухим, сладким и игристым.',
  'Pinot Grigio': 'Пино гриджо (во Франции — пино гри) в итальянском стиле лёгкий и свежий, в Эльзасе — круглее и прянее.',
  Gewürztraminer: 'Гевюрцтраминер очень ароматен (личи, роза), с низкой кислотностью и часто с лёгкой сладостью.',
  Viognier: 'Вионье ароматный и полнотелый: абрикос, цветы и мягкая кислотность.',
  'Muscat/Moscato': 'Мускат — самый «виноградный» сорт: цветочный и фруктовый, от сухого до сладкого и игристого (москато д’асти).',
  Alvarinho: 'Альбариньо (в Португалии — алварину) свежий и солоноватый, с цитрусами и косточковыми фруктами — вино к морепродуктам.',
  'Touriga Nacional': 'Турига насьонал — главный красный сорт Португалии: тёмный, цветочный, с плотными танинами; основа портвейнов и вин Дору.',
};

/** Place-named sparkling styles, by the region the catalog files them under; `of` reads "среди лучших …". */
const STYLE_PROFILE: Record<string, { text: string; of: string }> = {
  Champagne: {
    text: 'Шампанское делают только в регионе Шампань во Франции, в основном из шардоне, пино нуар и пино менье; пузырьки появляются при втором брожении в бутылке, а потом вино долго выдерживают на осадке: тонкий перляж, высокая кислотность, ноты тоста и бриоши.',
    of: 'шампанских вин',
  },
  Prosecco: {
    text: 'Просекко делают на северо-востоке Италии из сорта глера, а пузырьки получают в больших резервуарах (метод Шарма): оно легче, фруктовее и мягче, с грушей и яблоком, его пьют молодым — и стоит оно обычно намного дешевле.',
    of: 'просекко',
  },
  Cava: { text: 'Кава — испанское игристое классическим методом, в основном из макабео, шарелло и парельяды: делается как шампанское, но проще и обычно дешевле.', of: 'кав' },
  Crémant: { text: 'Креман — французское игристое, сделанное как шампанское, но за пределами Шампани (Луара, Бургундия, Эльзас): похожий стиль, мягче цена.', of: 'креманов' },
  Franciacorta: { text: 'Франчакорта — итальянское игристое классическим методом из Ломбардии, из шардоне и пино нуар.', of: 'франчакорт' },
};

const SMALL_TALK: Record<SmallTalk, string> = {
  thanks: 'Пожалуйста, рад был помочь! Если понадобится ещё вино — к ужину, в подарок или просто так, — пишите.',
  greeting:
    'Здравствуйте! Я ваш сомелье. Расскажите, к какому блюду или поводу нужно вино и что вам по душе — цвет, страна, сорт. Например: «красное сухое к стейку» или «лёгкое белое к устрицам».',
  offTopic:
    'Я сомелье, так что с этим помочь не смогу. Расскажите о блюде, поводе или вине, которое вам нравится, — и я подберу бутылку.',
};

const TOPIC: Record<WineTopic | UnsupportedTopic, string> = {
  tannin:
    'Танины — вещества из кожицы, косточек и гребней винограда (и из дуба), от которых во рту сухо и вяжет, как от крепкого чая. Больше всего их у толстокожих красных сортов — каберне совиньон, неббиоло; в белых их почти нет. С возрастом и с жирной белковой едой танины смягчаются — поэтому танинные красные хороши к стейку.',
  acidity:
    'Кислотность делает вино свежим и вызывает слюноотделение. Вина с высокой кислотностью (совиньон блан, рислинг, шампанское) хорошо «режут» жирную и солёную еду, с низкой — кажутся круглее и мягче. В каталоге у каждого вина указана кислотность: низкая, средняя или высокая.',
  body:
    'Полнота (тело) — то, насколько вино ощущается тяжёлым во рту: от лёгкого, как обезжиренное молоко, до полнотелого, как сливки. Полноту добавляют алкоголь, экстракт и сахар. В каталоге у каждого вина указана полнота — от очень лёгкой до очень полной; к лёгкой еде подходят более лёгкие вина.',
  sweetness:
    'Сладость — это сахар, оставшийся после брожения. В сухих винах его почти нет, в полусухих немного, в десертных (сотерн, токай, айсвайн, портвейн) — много. В каталоге сладкие вина отмечены как десертные или портвейны; несколько сладких белых названы по стилю (шпетлезе, ауслезе).',
  temperature:
    'Игристое подают при 6–8 °C, белые и розовые — при 8–12 °C, лёгкие красные — при 12–14 °C, насыщенные красные — при 16–18 °C. Слишком тёплое вино кажется спиртовым, слишком холодное — безвкусным.',
  decanting:
    'Молодые танинные красные стоит декантировать за час-два, чтобы они смягчились, а старые — прямо перед подачей, чтобы оставить осадок в бутылке. Большинству белых, розовых и повседневных красных декантер не нужен.',
  storage:
    'Открытая бутылка тихого вина хранится 2–3 дня в холодильнике под пробкой (насыщенные — чуть дольше), игристое — день-два под специальной пробкой, крепленые вина вроде портвейна — несколько недель. Закрытые бутылки любят тёмное прохладное место с ровной температурой 10–15 °C, а с натуральной пробкой — лёжа.',
  oak:
    'Дубовые бочки добавляют вину ваниль, тост и специи и смягчают его, пропуская немного воздуха; в стальных ёмкостях вино остаётся свежим и фруктовым. В каталоге нет сведений о выдержке в дубе, поэтому сказать, какие из его вин выдерживались в бочке, я не могу.',
  organic:
    'Органические вина делают из винограда, выращенного без синтетической химии; биодинамика добавляет свои правила; «натуральные» вина делают с минимальным вмешательством. В каталоге не отмечено, какие вина органические, биодинамические или натуральные.',
  sulfites:
    'Сульфиты защищают вино от окисления и бактерий; они есть почти в любом вине, меньше всего обычно в сухих красных, больше всего в сладких белых. В каталоге нет сведений о сульфитах.',
  kosher: 'Кошерное вино делают под надзором раввината. В каталоге не отмечено, какие вина кошерные.',
  ageing:
    'Большинство вин делают, чтобы пить в первые годы; танинные красные, кислотные белые и сладкие вина могут улучшаться десятилетиями. В каталоге указаны урожаи, но нет сведений о выдержке.',
};

const BODY_PLURAL: Record<Body, string> = {
  very_light: 'очень лёгкие', light: 'лёгкие', medium: 'вина средней полноты', full: 'полнотелые', very_full: 'очень полнотелые',
};

function grapeFacts(facts: GrapeFacts, of = `вин из сорта ${grape(facts.grape)}`): string {
  if (facts.seen === 0) return `${capitalize(of)} в каталоге нет.`;
  const parts = [`Среди лучших ${of} в этом каталоге ${facts.body ? `больше всего ${BODY_PLURAL[facts.body]}` : 'встречаются разные стили'}`];
  if (facts.pairings.length > 0) parts.push(`их советуют к ${and(facts.pairings.map(pairing))}`);
  if (facts.countries.length > 0) parts.push(`чаще всего они ${and(facts.countries.map((c) => countryEntry(c)?.ruFrom ?? c))}`);
  return `${parts.join('; ')}.`;
}

function example(facts: GrapeFacts): string | null {
  const wine = facts.example;
  if (!wine) return null;
  const where = [wine.winery, wine.country ? country(wine.country) : null].filter(Boolean).join(', ');
  return `«${wine.name}»${where ? ` (${where})` : ''}`;
}

export const russian: Wording = {
  language: 'ru',
  bareRequest: 'вино',

  request(s: RequestSummary): string {
    const onlyPort = s.types.length === 1 && s.types[0] === 'port';
    const sweetPair = s.types.length === 2 && s.types.includes('dessert') && s.types.includes('port');
    const parts: string[] = [];
    const bodyWords = !onlyPort && s.bodies?.length ? bodyRange(s.bodies) : '';
    // "средней полноты" follows the noun: "красное вино средней полноты".
    const bodyAfter = bodyWords.startsWith('средней');
    if (bodyWords && !bodyAfter) parts.push(bodyWords);
    if (!onlyPort && s.dry) parts.push('сухое');
    if (s.sweet && !sweetPair) parts.push('сладкое');
    if (sweetPair) parts.push('сладкое');
    else if (!onlyPort && s.types.length) parts.push(s.types.map((t) => TYPE[t]).join(' или '));
    parts.push(s.grape ? grape(s.grape) : onlyPort ? 'портвейн' : 'вино');
    if (bodyAfter) parts.push(bodyWords);
    if (s.acidity) parts.push(ACIDITY[s.acidity]);
    const place = fromPlace(s.country, s.region);
    if (place) parts.push(place);
    if (s.minAbv !== undefined && s.maxAbv !== undefined) parts.push(`крепостью ${number(s.minAbv)}–${number(s.maxAbv)}%`);
    else if (s.maxAbv !== undefined) parts.push(`крепостью до ${number(s.maxAbv)}%`);
    else if (s.minAbv !== undefined) parts.push(`крепостью от ${number(s.minAbv)}%`);
    if (s.minRating !== undefined) parts.push(`с оценкой от ${number(s.minRating)}`);
    if (s.food) parts.push(`к ${s.food.ruTo}`);
    for (const occasion of s.occasions) parts.push(occasion.ru);
    let text = parts.join(' ');
    const excluded = [
      ...s.excludedTypes.map((t) => TYPE[t]),
      ...s.excludedGrapes.map(grape),
      ...s.excludedCountries.map((c) => countryEntry(c)?.ruFrom ?? c),
      ...s.excludedRegions.map((r) => regionEntry(r)?.ruFrom ?? r),
    ];
    if (excluded.length) text += `, но не ${excluded.join(' и не ')}`;
    return text;
  },

  wineLine(line: WineLine): string {
    const { wine, detail } = line;
    const place = [wine.country ? country(wine.country) : null, detail.region ? wine.region : null].filter(Boolean).join(', ');
    const who = [detail.winery ? wine.winery : null, place].filter(Boolean).join(', ');
    const head = `${line.index}. «${wine.name}»${who ? ` — ${who}` : ''}.`;
    const style: string[] = [];
    if (wine.type && detail.type) style.push(`${TYPE[wine.type]}${line.sweet ? (wine.type === 'port' ? ' (сладкий)' : ' (сладкое)') : ''}`);
    else if (line.sweet) style.push('сладкое');
    if (wine.body) style.push(body(wine.body, wine.type));
    if (wine.acidity && line.showAcidity) style.push(ACIDITY[wine.acidity]);
    if (detail.grapes && wine.grapes.length > 0) {
      const grapes = wine.grapes.slice(0, 3).map(grape);
      const more = wine.grapes.length > 3 ? ' и др.' : '';
      style.push(grapes.length === 1 ? (grapes[0] ?? '') : `купаж: ${and(grapes)}${more}`);
    }
    if (wine.abv !== null) style.push(`${number(wine.abv)}%`);
    const sentences: string[] = [];
    if (style.length) sentences.push(`${capitalize(style.join(', '))}.`);
    const why: string[] = [];
    if (line.matchedFood) {
      const also = line.otherPairings.length ? `, а также к ${and(line.otherPairings.map(pairing))}` : '';
      why.push(`Хорошо подойдёт к ${line.matchedFood.ruTo}${also}`);
    } else if (line.otherPairings.length) {
      why.push(`Подходит к ${and(line.otherPairings.map(pairing))}`);
    }
    if (wine.rating !== null) {
      const count = wine.ratingCount ?? 0;
      const votes = count > 0 ? ` (${count.toLocaleString('ru-RU').replace(/\u00a0/g, ' ')} ${plural(count, 'оценка', 'оценки', 'оценок')})` : '';
      why.push(`${why.length ? 'средняя оценка' : 'Средняя оценка'} ${number(wine.rating, 1, true)} из 5${votes}`);
    }
    if (why.length) sentences.push(`${why.join('; ')}.`);
    if (wine.price !== null) sentences.push(`Цена в каталоге: ${number(wine.price, 2)}${wine.currency ? ` ${wine.currency}` : ''}.`);
    if (line.differs) {
      const list = line.differs.keys.map((key) => violation(key, line)).join('; ');
      sentences.push(`${line.differs.core ? 'Отличие от запроса' : 'Чуть за рамками запроса'}: ${list}.`);
    }
    return `${head} ${sentences.join(' ')}`.trim();
  },

  opening(o: Opening): string {
    switch (o.kind) {
      case 'unsure':
        return 'Не уверен, что правильно понял запрос, поэтому вот вина с самыми высокими оценками в каталоге:';
      case 'general':
        return `Вот несколько вин, которые я бы посоветовал${o.occasions.length ? ` ${and(o.occasions.map((x) => x.ru))}` : ''}:`;
      case 'widened':
        return `Строго под все условия — ${o.summary} — вариантов в каталоге мало, поэтому я немного расширил поиск (отличия отмечены у каждого вина):`;
      case 'matches':
        return choose(
          [
            `С удовольствием! ${capitalize(o.summary)} — вот что я нашёл в каталоге:`,
            `Подобрал для вас ${o.summary}. Вот лучшие варианты из каталога:`,
            `Отличный запрос — ${o.summary}. Вот что могу предложить:`,
          ],
          o.seed,
        );
      case 'onlyFew':
        return `Точно под ваш запрос — ${o.summary} — в каталоге нашлось ${o.count === 1 ? 'только одно вино' : 'только два вина'}:`;
    }
  },

  nothingFound(summary, broaden) {
    return `К сожалению, в каталоге не нашлось ничего${summary !== 'вино' ? ` под ваш запрос — ${summary}` : ' подходящего'}. ${broaden}`;
  },

  broaden(keys) {
    const hints = keys.slice(0, 2).map((key) => BROADEN[key]);
    return hints.length
      ? `Если готовы рассмотреть ${hints.join(' или ')}, напишите — подберу ещё варианты.`
      : 'Опишите повод, блюдо или любимый стиль подробнее — и я поищу ещё.';
  },

  noPrices(note: PriceNote) {
    const budget = note.budget;
    const limit = budget?.max ?? budget?.min;
    const cost =
      limit !== undefined
        ? `Цен в каталоге нет, поэтому уложиться в ${budget?.max !== undefined ? 'бюджет до' : 'цену от'} ${number(limit, 2)}${budget?.currency ? ` ${budget.currency}` : ''} я проверить не могу`
        : 'Цен в каталоге нет, поэтому сравнить вина по стоимости я не могу';
    return note.prestigeLeftOut
      ? `${cost}: я не стал предлагать заведомо дорогие вина и выбрал популярные вина с хорошими оценками.`
      : `${cost} — выбрал лучшие по остальным условиям.`;
  },

  noOthers: () => 'Других вариантов под эти условия в каталоге нет.',
  describeMore: () => 'Расскажите, к какому блюду или поводу нужно вино и какой стиль вам ближе, — подберу точнее.',

  unsupported(topics) {
    return `${capitalize(and(topics.map((topic) => UNSUPPORTED[topic])))}, поэтому учесть это я не могу.`;
  },

  servingTip: (type) => SERVING[type],

  invitation: (seed) =>
    choose(
      [
        'Если хотите, подберу что-то полегче, из другой страны или к другому блюду.',
        'Скажите, если нужно уточнить — по стране, сорту или блюду.',
        'Хотите другие варианты — просто скажите, что поменять.',
      ],
      seed,
    ),

  smallTalk: (kind) => SMALL_TALK[kind],

  nearMiss(n: NearMiss) {
    const options = n.alternatives.map((alternative) => {
      switch (alternative.key) {
        case 'country':
          return `такое же вино ${or(alternative.countries.map((c) => countryEntry(c)?.ruFrom ?? c))}`;
        case 'region':
          return `такое же вино из других регионов (${or(alternative.regions)})`;
        case 'type':
          return `${or(alternative.types.map((t) => TYPE[t]))} вместо него`;
        case 'grape':
          return `другие сорта (${or(alternative.grapes.map(grape))})`;
        case 'body':
          return `вина другой полноты (${or(alternative.bodies.map((b) => BODY_NEUTER[b]))})`;
        case 'pairing':
          return `вина без явной рекомендации ${n.food ? `к ${n.food.ruTo}` : 'к этому блюду'}`;
        case 'sweetness':
          return 'вина другой сладости';
      }
    });
    return [
      `Точно под ваш запрос — ${n.summary} — в каталоге ничего не нашлось, поэтому не буду предлагать то, о чём вы не просили.`,
      options.length ? `Зато есть ${options.join('; или ')}. Скажите, что выбрать, — и я подберу конкретные вина.` : '',
    ]
      .filter(Boolean)
      .join(' ');
  },

  noSearch: () => 'Сейчас я не могу заглянуть в каталог, поэтому не буду называть вина наугад. Попробуйте, пожалуйста, спросить ещё раз.',
  catalogDown: () => 'Не получилось обратиться к каталогу вин — попробуйте, пожалуйста, ещё раз чуть позже.',

  compareGrapes(a, b) {
    const profiles = [GRAPE_PROFILE[a.grape], GRAPE_PROFILE[b.grape]].filter(Boolean).join(' ');
    const examples = [example(a), example(b)].filter((x): x is string => x !== null);
    return [
      profiles || `${capitalize(grape(a.grape))} и ${grape(b.grape)} — разные сорта винограда.`,
      `${grapeFacts(a)} ${grapeFacts(b)}`,
      examples.length ? `Чтобы почувствовать разницу, попробуйте рядом ${and(examples)}.` : '',
    ]
      .filter(Boolean)
      .join('\n\n');
  },

  compareStyles(a, b) {
    const [one, other] = [STYLE_PROFILE[a.grape], STYLE_PROFILE[b.grape]];
    const examples = [example(a), example(b)].filter((x): x is string => x !== null);
    return [
      [one?.text, other?.text].filter(Boolean).join(' '),
      `${grapeFacts(a, one?.of ?? a.grape)} ${grapeFacts(b, other?.of ?? b.grape)}`,
      examples.length ? `Чтобы почувствовать разницу, попробуйте рядом ${and(examples)}.` : '',
    ]
      .filter(Boolean)
      .join('\n\n');
  },

  aboutGrape(facts) {
    const sample = example(facts);
    return [GRAPE_PROFILE[facts.grape] ?? '', grapeFacts(facts), sample ? `Хороший пример: ${sample}.` : '']
      .filter(Boolean)
      .join('\n\n');
  },

  aboutTopic: (topic) => TOPIC[topic],
};

function violation(key: ConstraintKey, line: WineLine): string {
  const { wine } = line;
  switch (key) {
    case 'type':
      return wine.type ? `это ${TYPE[wine.type]}` : 'другой тип';
    case 'sweetness':
      return line.sweet ? 'это сладкое вино' : 'это не сладкое вино';
    case 'sweet':
      return 'это сладкое вино';
    case 'country':
      return `страна — ${wine.country ? country(wine.country) : 'не указана'}`;
    case 'region':
      return `регион — ${wine.region ?? 'не указан'}`;
    case 'grape':
      return `сорт — ${wine.grapes.map(grape).join(', ') || 'не указан'}`;
    case 'pairing':
      return `в рекомендациях к нему нет ${line.food ? 'блюд вроде вашего' : 'этой еды'}`;
    case 'body':
      return wine.body ? `полнота — ${body(wine.body, wine.type)}` : 'полнота не указана';
    case 'acidity':
      return wine.acidity ? ACIDITY[wine.acidity] : 'кислотность не указана';
    case 'abv':
      return wine.abv !== null ? `крепость ${number(wine.abv)}%` : 'крепость не указана';
    case 'rating':
      return wine.rating !== null ? `оценка ${number(wine.rating, 1, true)}` : 'без оценок';
    case 'price':
      return wine.price !== null ? `цена ${number(wine.price, 2)}` : 'цена не указана';
  }
}
