import type { Patterns } from './index.js';

export interface Grape extends Patterns {
  /** The grape as the X-Wines dataset spells it. */
  name: string;
  colour: 'red' | 'white';
  /** Russian name for replies. */
  ru: string;
  /** Other dataset spellings of the same variety (Spätburgunder is Pinot Noir); a wine with any of them matches. */
  synonyms: string[];
  /** The variety's widely known style, as full-text descriptors of its wines ("tannic bold blackcurrant"). */
  style: string;
}

/** A word that names several grapes: search takes them all, a request the first, the one people usually mean. */
export interface GrapeFamily {
  words: string[];
  /** Dataset spellings, the usual meaning first. */
  grapes: [string, ...string[]];
}

const grape = (name: string, colour: Grape['colour'], ru: string, words: string[], synonyms: string[] = [], style = ''): Grape => ({
  name,
  colour,
  ru,
  words,
  synonyms,
  style,
});

/**
 * Longer names first: "каберне фран" must win over "каберне", "совиньон блан" over "блан" (white). Russian
 * forms cover the usual endings ("пино нуара", "шардоне", "рислинга").
 */
export const GRAPES: readonly Grape[] = [
  grape('Cabernet Franc', 'red', 'каберне фран', ['каберне фран*', 'cabernet franc'], [], 'herbal fresh red-fruit'),
  grape('Cabernet Sauvignon', 'red', 'каберне совиньон', ['каберне совиньон*', 'cabernet sauvignon', 'cab sauv', 'cab sav'], [], 'tannic bold structured blackcurrant'),
  grape('Sauvignon Blanc', 'white', 'совиньон блан', ['совиньон блан*', 'совиньон*', 'sauvignon blanc', 'sauvignon', 'sauv blanc'], [], 'crisp zesty citrus herbal fresh fruity'),
  grape('Pinot Noir', 'red', 'пино нуар', ['пино нуар*', 'пинот нуар*', 'пино неро', 'шпетбургундер*', 'pinot noir', 'pinot nero', 'spatburgunder'], ['Pinot Nero', 'Spätburgunder'], 'fruity elegant silky red-fruit romantic'),
  grape('Pinot Grigio', 'white', 'пино гриджо', ['пино гриджо', 'pinot grigio'], ['Pinot Gris'], 'crisp fresh light fruity'),
  grape('Pinot Gris', 'white', 'пино гри', ['пино гри', 'pinot gris', 'grauburgunder'], ['Pinot Grigio'], 'aromatic fruity round'),
  grape('Pinot Blanc', 'white', 'пино блан', ['пино блан*', 'pinot blanc', 'pinot bianco', 'weissburgunder'], ['Weissburgunder', 'Pinot Bianco']),
  grape('Pinot Meunier', 'red', 'пино менье', ['пино менье', 'pinot meunier', 'meunier']),
  grape('Chenin Blanc', 'white', 'шенен блан', ['шенен блан*', 'шенен*', 'chenin blanc', 'chenin'], [], 'fruity crisp honey'),
  grape('Grenache Blanc', 'white', 'гренаш блан', ['гренаш блан*', 'grenache blanc']),
  grape('Chardonnay', 'white', 'шардоне', ['шардоне', 'chardonnay'], [], 'round citrus'),
  grape('Merlot', 'red', 'мерло', ['мерло', 'merlot'], [], 'fruity smooth soft plum'),
  grape('Syrah/Shiraz', 'red', 'сира (шираз)', ['шираз*', 'сира', 'сирах*', 'syrah', 'shiraz'], [], 'peppery spicy dark-fruit bold'),
  grape('Petite Sirah', 'red', 'пти сира', ['пти сира', 'petite sirah', 'petite syrah']),
  grape('Riesling', 'white', 'рислинг', ['рислинг*', 'riesling'], [], 'aromatic fruity crisp floral'),
  grape('Malbec', 'red', 'мальбек', ['мальбек*', 'malbec'], [], 'fruity plum bold'),
  grape('Tempranillo', 'red', 'темпранильо', ['темпранильо', 'темпранийо', 'тинто фино', 'тинта рориш', 'арагонеш', 'tempranillo', 'tinta roriz', 'aragonez', 'tinto fino', 'tinta de toro'], ['Tinta Roriz', 'Aragonez', 'Tinto Fino'], 'savory cherry'),
  grape('Sangiovese', 'red', 'санджовезе', ['санджовезе', 'sangiovese'], [], 'cherry savory crisp'),
  grape('Nebbiolo', 'red', 'неббиоло', ['неббиоло', 'nebbiolo'], [], 'tannic elegant floral'),
  grape('Grenache', 'red', 'гренаш', ['гренаш*', 'гарнача', 'garnacha', 'grenache'], ['Garnacha', 'Garnacha Tinta'], 'fruity juicy spicy'),
  grape('Carmenère', 'red', 'карменер', ['карменер*', 'carmenere'], [], 'fruity herbal smooth'),
  grape('Zinfandel', 'red', 'зинфандель', ['зинфандел*', 'zinfandel'], ['Primitivo'], 'fruity jammy spicy'),
  grape('Primitivo', 'red', 'примитиво', ['примитиво', 'primitivo'], ['Zinfandel'], 'fruity jammy spicy'),
  grape('Touriga Nacional', 'red', 'турига насьонал', ['турига насьонал*', 'touriga nacional'], [], 'floral dark-fruit bold'),
  grape('Gamay', 'red', 'гаме', ['гаме', 'гамэ', 'gamay'], [], 'fruity juicy light red-fruit'),
  grape('Viognier', 'white', 'вионье', ['вионье', 'viognier'], [], 'aromatic floral fruity'),
  grape('Gewürztraminer', 'white', 'гевюрцтраминер', ['гевюрцтраминер*', 'гевюрц*', 'траминер*', 'gewurztraminer', 'gewurz', 'traminer'], ['Traminer'], 'aromatic floral spicy fruity'),
  grape('Grüner Veltliner', 'white', 'грюнер вельтлинер', ['грюнер вельтлинер*', 'грюнер*', 'gruner veltliner', 'gruner', 'gruener veltliner'], [], 'crisp peppery fresh'),
  grape('Muscat/Moscato', 'white', 'мускат', ['мускат*', 'москато', 'moscato', 'muscat', 'muscatel', 'moscatel', 'muskateller'], [
    'Muscat/Moscato Bianco',
    'Muscat/Moscato Giallo',
    'Muscat Blanc',
    'Muscat of Alexandria',
    'Muscat of Hamburg',
    'Muscat/Muscatel',
    'Moscatel',
    'Gelber Muskateller',
  ], 'aromatic sweet fruity floral'),
  grape('Barbera', 'red', 'барбера', ['барбера', 'barbera'], [], 'fruity crisp cherry'),
  grape('Tannat', 'red', 'таннат', ['таннат*', 'tannat'], [], 'tannic bold'),
  grape('Pinotage', 'red', 'пинотаж', ['пинотаж*', 'pinotage'], [], 'smoky fruity'),
  grape('Alvarinho', 'white', 'альвариньо', ['альбариньо', 'альвариньо', 'алварину', 'albarino', 'alvarinho'], ['Albariño'], 'crisp citrus fresh'),
  grape('Sémillon', 'white', 'семильон', ['семильон*', 'semillon'], [], 'round honey'),
  grape('Petit Verdot', 'red', 'пти вердо', ['пти вердо', 'petit verdot']),
  grape('Malvasia', 'white', 'мальвазия', ['мальвази*', 'malvasia', 'malvazia'], ['Malvasia Fina']),
  grape('Cinsault', 'red', 'сенсо', ['сенсо', 'cinsault', 'cinsaut']),
  grape('Mourvedre', 'red', 'мурведр', ['мурведр*', 'монастрел*', 'mourvedre', 'monastrell', 'mataro'], ['Monastrell']),
  grape('Carignan/Cariñena', 'red', 'кариньян', ['кариньян*', 'carignan', 'carinena', 'carignano']),
  grape('Corvina', 'red', 'корвина', ['корвина', 'corvina'], [], 'cherry fruity'),
  grape('Glera/Prosecco', 'white', 'глера', ['глера', 'glera', 'prosecco grape'], [], 'fruity fresh light'),
  grape('Furmint', 'white', 'фурминт', ['фурминт*', 'furmint']),
  grape('Assyrtiko', 'white', 'ассиртико', ['ассиртико', 'assyrtiko']),
  grape('Saperavi', 'red', 'саперави', ['саперави', 'saperavi']),
  grape('Rkatsiteli', 'white', 'ркацители', ['ркацители', 'rkatsiteli']),
  grape('Dolcetto', 'red', 'дольчетто', ['дольчетто', 'dolcetto'], [], 'fruity soft'),
  grape('Montepulciano', 'red', 'монтепульчано', ['монтепульчано', 'montepulciano'], [], 'fruity smooth'),
  grape('Aglianico', 'red', 'альянико', ['альянико', 'aglianico']),
  grape("Nero d'Avola", 'red', 'неро д’авола', ['неро д авола', 'неро давола', 'nero d avola', 'nero davola']),
  grape('Vermentino', 'white', 'верментино', ['верментино', 'vermentino'], [], 'crisp fresh'),
  grape('Verdejo', 'white', 'вердехо', ['вердехо', 'verdejo'], [], 'crisp fresh'),
  grape('Trebbiano', 'white', 'треббьяно', ['треббьяно', 'треббиано', 'trebbiano', 'ugni blanc'], ['Ugni Blanc', "Trebbiano D'Abruzzo"]),
  grape('Aligoté', 'white', 'алиготе', ['алиготе', 'aligote']),
  grape('Müller-Thurgau', 'white', 'мюллер-тургау', ['мюллер тургау', 'muller thurgau', 'mueller thurgau']),
  grape('Pedro Ximenez', 'white', 'педро хименес', ['педро хименес*', 'pedro ximenez', 'px']),
  grape('Palomino', 'white', 'паломино', ['паломино', 'palomino']),
  grape('Lambrusco', 'red', 'ламбруско', ['ламбруско', 'lambrusco'], [], 'fruity fizzy'),
  grape('Blaufränkisch', 'red', 'блауфранкиш', ['блауфранкиш*', 'blaufrankisch', 'lemberger'], ['Lemberger']),
  grape('Zweigelt', 'red', 'цвайгельт', ['цвайгельт*', 'zweigelt']),
  grape('Krasnostop Zolotovsky', 'red', 'красностоп', ['красностоп*', 'krasnostop']),
];

export const GRAPE_FAMILIES: readonly GrapeFamily[] = [
  { words: ['каберне*', 'cabernet'], grapes: ['Cabernet Sauvignon', 'Cabernet Franc'] },
  { words: ['турига', 'touriga'], grapes: ['Touriga Nacional', 'Touriga Franca'] },
];
