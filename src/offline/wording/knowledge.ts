/**
 * What the offline engine knows about wine beyond the catalog, in both languages: grape and style profiles
 * and short explanations of common topics. Facts from the catalog's own wines are added to them when a
 * question is answered (./index.ts, ../questions.ts).
 */
import type { UnsupportedTopic, WineTopic } from '../../catalog/lexicon/index.js';
import type { Language } from '../../understanding/index.js';

export type Both<T = string> = Record<Language, T>;

/** Widely known character of a grape, by its dataset name. */
export const GRAPE_PROFILE: Readonly<Record<string, Both>> = {
  'Cabernet Sauvignon': {
    en: 'Cabernet Sauvignon has small, thick-skinned berries: firm tannins, deep colour, blackcurrant and cedar, and it needs time or food to soften.',
    ru: 'У каберне совиньон мелкие толстокожие ягоды: плотные танины, глубокий цвет, чёрная смородина и кедр; ему нужно время или еда, чтобы смягчиться.',
  },
  Merlot: {
    en: 'Merlot ripens earlier and is rounder: softer tannins, plum and cherry fruit, and it is approachable young.',
    ru: 'Мерло созревает раньше и мягче: танины круглее, во вкусе слива и вишня, пить его приятно уже молодым.',
  },
  'Pinot Noir': {
    en: 'Pinot Noir is thin-skinned and light in tannin: red-fruited, silky and fresh, at its best from cool climates such as Burgundy.',
    ru: 'Пино нуар тонкокожий и малотанинный: красные ягоды, шелковистость и свежесть; лучше всего удаётся в прохладном климате, например в Бургундии.',
  },
  'Syrah/Shiraz': {
    en: 'Syrah (Shiraz in Australia) gives dark fruit, black pepper and firm structure; cool-climate Syrah is peppery, warm-climate Shiraz riper and richer.',
    ru: 'Сира (в Австралии — шираз) даёт тёмные ягоды, чёрный перец и плотную структуру; в прохладном климате она перечная, в тёплом — спелая и насыщенная.',
  },
  Malbec: {
    en: 'Malbec gives deep colour, plum and blackberry fruit and soft, ripe tannins; Argentina (Mendoza) made it famous.',
    ru: 'Мальбек даёт густой цвет, сливу и ежевику и мягкие спелые танины; прославила его Аргентина (Мендоса).',
  },
  Tempranillo: {
    en: 'Tempranillo, Spain\'s great red (Rioja, Ribera del Duero, where it is called Tinto Fino), has cherry and savoury notes and medium acidity.',
    ru: 'Темпранильо — главный красный сорт Испании (Риоха, Рибера-дель-Дуэро, где его зовут тинто фино): вишня, пряные ноты, умеренная кислотность.',
  },
  Sangiovese: {
    en: 'Sangiovese, the grape of Chianti and Brunello, has cherry fruit, high acidity and firm, drying tannins that suit tomato dishes.',
    ru: 'Санджовезе — сорт кьянти и брунелло: вишня, высокая кислотность и терпкие танины, прекрасно идёт к блюдам с томатами.',
  },
  Nebbiolo: {
    en: 'Nebbiolo (Barolo, Barbaresco) is pale but powerful: very high tannin and acidity, rose and tar aromas, long-lived.',
    ru: 'Неббиоло (бароло, барбареско) светлый по цвету, но мощный: очень высокие танины и кислотность, ароматы розы и смолы, долго живёт.',
  },
  Grenache: {
    en: 'Grenache (Garnacha in Spain) is juicy and warm: red fruit, spice, soft tannin and often high alcohol.',
    ru: 'Гренаш (в Испании — гарнача) сочный и тёплый: красные ягоды, специи, мягкие танины и часто высокий алкоголь.',
  },
  Zinfandel: {
    en: 'Zinfandel (Primitivo in Italy) is ripe and jammy, with spice and often high alcohol.',
    ru: 'Зинфандель (в Италии — примитиво) спелый, джемовый, пряный и часто крепкий.',
  },
  Primitivo: {
    en: 'Primitivo (Zinfandel in California) is ripe and jammy, with spice and often high alcohol.',
    ru: 'Примитиво (в Калифорнии — зинфандель) спелый, джемовый, пряный и часто крепкий.',
  },
  'Cabernet Franc': {
    en: 'Cabernet Franc is lighter than Cabernet Sauvignon: red fruit, herbal and leafy notes, fresh acidity.',
    ru: 'Каберне фран легче каберне совиньон: красные ягоды, травянистые ноты и свежая кислотность.',
  },
  Carmenère: {
    en: 'Carmenère, Chile\'s signature red, is soft and fruity with a green-pepper, herbal note.',
    ru: 'Карменер — визитная карточка Чили: мягкий и фруктовый, с нотой зелёного перца.',
  },
  Gamay: {
    en: 'Gamay (Beaujolais) is light and juicy, low in tannin, best slightly chilled.',
    ru: 'Гаме (божоле) лёгкий и сочный, с низкими танинами; его хорошо чуть охладить.',
  },
  Mourvedre: {
    en: 'Mourvèdre (Monastrell in Spain, Mataro in Australia) is dark, meaty and tannic, often blended with Grenache and Syrah.',
    ru: 'Мурведр (в Испании — монастрель) тёмный, мясистый и танинный; его часто смешивают с гренашем и сирой.',
  },
  Chardonnay: {
    en: 'Chardonnay is a neutral grape that shows where it grows and how it is made: crisp and mineral in Chablis, round and rich in warmer places.',
    ru: 'Шардоне — нейтральный сорт, который показывает место и руку винодела: в Шабли он свежий и минеральный, в тёплых краях — округлый и насыщенный.',
  },
  'Sauvignon Blanc': {
    en: 'Sauvignon Blanc is aromatic and crisp: citrus, gooseberry and green, herbal notes, with high acidity.',
    ru: 'Совиньон блан ароматный и свежий: цитрусы, крыжовник, зелёные травянистые ноты и высокая кислотность.',
  },
  Riesling: {
    en: 'Riesling is aromatic with very high acidity; it is made in every style from bone dry to lusciously sweet (Auslese, Eiswein), so the label matters.',
    ru: 'Рислинг ароматен и очень кислотен; его делают во всех стилях — от совсем сухого до очень сладкого (ауслезе, айсвайн), поэтому важно читать этикетку.',
  },
  'Chenin Blanc': {
    en: 'Chenin Blanc has high acidity and apple and honey notes, made dry, off-dry, sweet and sparkling.',
    ru: 'Шенен блан — высокая кислотность, яблоко и мёд; бывает сухим, полусухим, сладким и игристым.',
  },
  'Pinot Grigio': {
    en: 'Pinot Grigio (Pinot Gris in France) is light and fresh in the Italian style, rounder and spicier in Alsace.',
    ru: 'Пино гриджо (во Франции — пино гри) в итальянском стиле лёгкий и свежий, в Эльзасе — круглее и прянее.',
  },
  Gewürztraminer: {
    en: 'Gewürztraminer is intensely aromatic (lychee, rose) with low acidity and often a touch of sweetness.',
    ru: 'Гевюрцтраминер очень ароматен (личи, роза), с низкой кислотностью и часто с лёгкой сладостью.',
  },
  Viognier: {
    en: 'Viognier is aromatic and full, with apricot and blossom and soft acidity.',
    ru: 'Вионье ароматный и полнотелый: абрикос, цветы и мягкая кислотность.',
  },
  'Muscat/Moscato': {
    en: 'Muscat is the grapiest of grapes: floral and fruity, from dry to sweet and sparkling (Moscato d\'Asti).',
    ru: 'Мускат — самый «виноградный» сорт: цветочный и фруктовый, от сухого до сладкого и игристого (москато д’асти).',
  },
  Alvarinho: {
    en: 'Albariño (Alvarinho in Portugal) is crisp and saline, with citrus and stone fruit: a seafood wine.',
    ru: 'Альбариньо (в Португалии — алварину) свежий и солоноватый, с цитрусами и косточковыми фруктами — вино к морепродуктам.',
  },
  'Touriga Nacional': {
    en: 'Touriga Nacional, Portugal\'s leading red, is dark and floral with firm tannin, the backbone of Port and Douro reds.',
    ru: 'Турига насьонал — главный красный сорт Португалии: тёмный, цветочный, с плотными танинами; основа портвейнов и вин Дору.',
  },
};

/** Place-named sparkling styles, by the region the catalog files them under; `ruOf` reads "среди лучших …". */
export const STYLE_PROFILE: Readonly<Record<string, Both & { ruOf: string }>> = {
  Champagne: {
    en: 'Champagne comes only from the Champagne region of France, mostly from Chardonnay, Pinot Noir and Pinot Meunier, and gets its bubbles from a second fermentation in the bottle, with long ageing on the lees: fine bubbles, high acidity, toast and brioche notes.',
    ru: 'Шампанское делают только в регионе Шампань во Франции, в основном из шардоне, пино нуар и пино менье; пузырьки появляются при втором брожении в бутылке, а потом вино долго выдерживают на осадке: тонкий перляж, высокая кислотность, ноты тоста и бриоши.',
    ruOf: 'шампанских вин',
  },
  Prosecco: {
    en: 'Prosecco comes from north-east Italy, from the Glera grape, and gets its bubbles in large tanks (the Charmat method): lighter, fruitier and softer, with pear and apple and frothier bubbles, made to drink young — and usually much cheaper.',
    ru: 'Просекко делают на северо-востоке Италии из сорта глера, а пузырьки получают в больших резервуарах (метод Шарма): оно легче, фруктовее и мягче, с грушей и яблоком, его пьют молодым — и стоит оно обычно намного дешевле.',
    ruOf: 'просекко',
  },
  Cava: {
    en: "Cava is Spain's traditional-method sparkling wine, mostly from Macabeo, Xarel-lo and Parellada: made like Champagne, but earthier and usually less expensive.",
    ru: 'Кава — испанское игристое классическим методом, в основном из макабео, шарелло и парельяды: делается как шампанское, но проще и обычно дешевле.',
    ruOf: 'кав',
  },
  Crémant: {
    en: 'Crémant is French sparkling wine made like Champagne but outside the region (Loire, Burgundy, Alsace): similar style, gentler price.',
    ru: 'Креман — французское игристое, сделанное как шампанское, но за пределами Шампани (Луара, Бургундия, Эльзас): похожий стиль, мягче цена.',
    ruOf: 'креманов',
  },
  Franciacorta: {
    en: "Franciacorta is Italy's traditional-method sparkling wine from Lombardy, made like Champagne from Chardonnay and Pinot Noir.",
    ru: 'Франчакорта — итальянское игристое классическим методом из Ломбардии, из шардоне и пино нуар.',
    ruOf: 'франчакорт',
  },
};

/** Short answers to general questions. */
export const TOPIC: Readonly<Record<WineTopic | UnsupportedTopic, Both>> = {
  tannin: {
    en: 'Tannins are compounds from grape skins, seeds and stems (and oak) that make the mouth feel dry and grippy, like strong tea. Thick-skinned red grapes such as Cabernet Sauvignon and Nebbiolo are the most tannic; white wines have almost none. Tannin softens with age and with fatty, protein-rich food, which is why tannic reds suit steak.',
    ru: 'Танины — вещества из кожицы, косточек и гребней винограда (и из дуба), от которых во рту сухо и вяжет, как от крепкого чая. Больше всего их у толстокожих красных сортов — каберне совиньон, неббиоло; в белых их почти нет. С возрастом и с жирной белковой едой танины смягчаются — поэтому танинные красные хороши к стейку.',
  },
  acidity: {
    en: 'Acidity is what makes a wine taste fresh and makes your mouth water. High-acid wines (Sauvignon Blanc, Riesling, Champagne) cut through rich and salty food; low-acid ones feel rounder and softer. The catalog gives every wine\'s acidity as low, medium or high.',
    ru: 'Кислотность делает вино свежим и вызывает слюноотделение. Вина с высокой кислотностью (совиньон блан, рислинг, шампанское) хорошо «режут» жирную и солёную еду, с низкой — кажутся круглее и мягче. В каталоге у каждого вина указана кислотность: низкая, средняя или высокая.',
  },
  body: {
    en: 'Body is how heavy a wine feels in the mouth, from light (like skimmed milk) to full (like cream). Alcohol, extract and sugar add body. The catalog gives every wine\'s body from very light to very full; lighter wines suit lighter food.',
    ru: 'Полнота (тело) — то, насколько вино ощущается тяжёлым во рту: от лёгкого, как обезжиренное молоко, до полнотелого, как сливки. Полноту добавляют алкоголь, экстракт и сахар. В каталоге у каждого вина указана полнота — от очень лёгкой до очень полной; к лёгкой еде подходят более лёгкие вина.',
  },
  sweetness: {
    en: 'Sweetness is the sugar left after fermentation. Dry wines have almost none, off-dry a little, and dessert wines (Sauternes, Tokaji, Eiswein, Port) a lot. The catalog files sweet wines as dessert wines or ports; a few sweet whites are named for their style (Spätlese, Auslese).',
    ru: 'Сладость — это сахар, оставшийся после брожения. В сухих винах его почти нет, в полусухих немного, в десертных (сотерн, токай, айсвайн, портвейн) — много. В каталоге сладкие вина отмечены как десертные или портвейны; несколько сладких белых названы по стилю (шпетлезе, ауслезе).',
  },
  temperature: {
    en: 'Serve sparkling wine at 6–8 °C, whites and rosés at 8–12 °C, light reds at 12–14 °C and fuller reds at 16–18 °C. Too warm and a wine tastes alcoholic, too cold and it tastes of little.',
    ru: 'Игристое подают при 6–8 °C, белые и розовые — при 8–12 °C, лёгкие красные — при 12–14 °C, насыщенные красные — при 16–18 °C. Слишком тёплое вино кажется спиртовым, слишком холодное — безвкусным.',
  },
  decanting: {
    en: 'Decant young, tannic reds for an hour or two to soften them, and old reds just before serving to leave the sediment behind. Most whites, rosés and everyday reds need no decanting.',
    ru: 'Молодые танинные красные стоит декантировать за час-два, чтобы они смягчились, а старые — прямо перед подачей, чтобы оставить осадок в бутылке. Большинству белых, розовых и повседневных красных декантер не нужен.',
  },
  storage: {
    en: 'An opened bottle of still wine keeps 2–3 days in the fridge with the cork back in (fuller reds and whites a little longer); sparkling wine a day or two with a stopper; fortified wines such as Port a few weeks. Unopened bottles like a dark, cool place at a steady 10–15 °C, lying down if they have a cork.',
    ru: 'Открытая бутылка тихого вина хранится 2–3 дня в холодильнике под пробкой (насыщенные — чуть дольше), игристое — день-два под специальной пробкой, крепленые вина вроде портвейна — несколько недель. Закрытые бутылки любят тёмное прохладное место с ровной температурой 10–15 °C, а с натуральной пробкой — лёжа.',
  },
  oak: {
    en: 'Oak barrels add vanilla, toast and spice and soften a wine by letting a little air in; stainless steel keeps it crisp and fruity. The catalog has no oak information, so I cannot tell you which of its wines were oaked.',
    ru: 'Дубовые бочки добавляют вину ваниль, тост и специи и смягчают его, пропуская немного воздуха; в стальных ёмкостях вино остаётся свежим и фруктовым. В каталоге нет сведений о выдержке в дубе, поэтому сказать, какие из его вин выдерживались в бочке, я не могу.',
  },
  organic: {
    en: 'Organic wines come from grapes grown without synthetic chemicals; biodynamic farming adds its own rules; "natural" wines are made with minimal intervention. The catalog does not say which of its wines are organic, biodynamic or natural.',
    ru: 'Органические вина делают из винограда, выращенного без синтетической химии; биодинамика добавляет свои правила; «натуральные» вина делают с минимальным вмешательством. В каталоге не отмечено, какие вина органические, биодинамические или натуральные.',
  },
  sulfites: {
    en: 'Sulphites protect wine from oxidation and bacteria; almost every wine contains some, dry reds usually the least and sweet whites the most. The catalog has no sulphite information.',
    ru: 'Сульфиты защищают вино от окисления и бактерий; они есть почти в любом вине, меньше всего обычно в сухих красных, больше всего в сладких белых. В каталоге нет сведений о сульфитах.',
  },
  kosher: {
    en: 'Kosher wine is made under rabbinical supervision. The catalog does not say which of its wines are kosher.',
    ru: 'Кошерное вино делают под надзором раввината. В каталоге не отмечено, какие вина кошерные.',
  },
  ageing: {
    en: 'Most wines are made to be drunk within a few years; tannic reds, high-acid whites and sweet wines can improve for decades. The catalog lists vintages but has no information on how the wines were aged.',
    ru: 'Большинство вин делают, чтобы пить в первые годы; танинные красные, кислотные белые и сладкие вина могут улучшаться десятилетиями. В каталоге указаны урожаи, но нет сведений о выдержке.',
  },
};
