import type { Patterns } from './index.js';

export interface Country extends Patterns {
  /** English, as in the dataset's Country column. */
  name: string;
  /** Russian name for replies. */
  ru: string;
  /** Russian "из …" form for replies. */
  ruFrom: string;
}

const country = (name: string, ru: string, ruFrom: string, words: string[], searchOnly?: string[]): Country => ({
  name,
  ru,
  ruFrom,
  words,
  searchOnly,
});

/**
 * Adjectives as well as names ("французское", "Italian"). Words that double as something else in a
 * conversation are search-only: "русском"/"English" (the reply language); "turkey" (the bird) and "us"
 * (the pronoun) are left out altogether.
 */
export const COUNTRIES: readonly Country[] = [
  country('France', 'Франция', 'из Франции', ['франц*', 'france', 'french']),
  country('Italy', 'Италия', 'из Италии', ['итал*', 'italy', 'italian']),
  country('United States', 'США', 'из США', ['сша', 'америк*', 'usa', 'united states', 'america', 'american']),
  country('Portugal', 'Португалия', 'из Португалии', ['португал*', 'portugal', 'portuguese']),
  country('Chile', 'Чили', 'из Чили', ['чили', 'чилийск*', 'chile', 'chilean']),
  // "Герман*" would also read the name Герман.
  country('Germany', 'Германия', 'из Германии', ['германи*', 'германск*', 'немецк*', 'germany', 'german']),
  country('Argentina', 'Аргентина', 'из Аргентины', ['аргентин*', 'argentina', 'argentinian', 'argentine', 'argentinean']),
  country('Brazil', 'Бразилия', 'из Бразилии', ['бразил*', 'brazil', 'brazilian']),
  country('Spain', 'Испания', 'из Испании', ['испан*', 'spain', 'spanish']),
  country('Australia', 'Австралия', 'из Австралии', ['австрал*', 'australia', 'australian', 'aussie']),
  country('New Zealand', 'Новая Зеландия', 'из Новой Зеландии', ['нов* зеланди*', 'новозеландск*', 'зеланд*', 'new zealand', 'nz']),
  country('South Africa', 'ЮАР', 'из ЮАР', ['юар', 'южн* африк*', 'южноафриканск*', 'south africa', 'south african']),
  country('Canada', 'Канада', 'из Канады', ['канад*', 'canada', 'canadian']),
  country('Austria', 'Австрия', 'из Австрии', ['австри*', 'austria', 'austrian']),
  // "Грец*" would also read грецкий орех (walnut).
  country('Greece', 'Греция', 'из Греции', ['греци*', 'греческ*', 'greece', 'greek']),
  country('Uruguay', 'Уругвай', 'из Уругвая', ['уругва*', 'uruguay', 'uruguayan']),
  country('Mexico', 'Мексика', 'из Мексики', ['мексик*', 'mexico', 'mexican', 'mexican wine']),
  country('Hungary', 'Венгрия', 'из Венгрии', ['венгр*', 'венгерск*', 'hungary', 'hungarian']),
  country('Russia', 'Россия', 'из России', ['росси*', 'russia', 'russian wine*'], ['русск*', 'russian']),
  country('Ukraine', 'Украина', 'из Украины', ['украин*', 'ukraine', 'ukrainian']),
  country('Moldova', 'Молдова', 'из Молдовы', ['молдов*', 'молдав*', 'moldova', 'moldovan']),
  country('Georgia', 'Грузия', 'из Грузии', ['грузи*', 'georgia', 'georgian']),
  country('Malta', 'Мальта', 'с Мальты', ['мальт*', 'malta', 'maltese']),
  country('Lebanon', 'Ливан', 'из Ливана', ['ливан*', 'lebanon', 'lebanese']),
  country('Switzerland', 'Швейцария', 'из Швейцарии', ['швейцар*', 'switzerland', 'swiss']),
  // "Чех*" would also read чехол (a case).
  country('Czech Republic', 'Чехия', 'из Чехии', ['чехи*', 'чешск*', 'czech republic', 'czechia', 'czech']),
  country('Romania', 'Румыния', 'из Румынии', ['румын*', 'romania', 'romanian']),
  country('United Kingdom', 'Великобритания', 'из Великобритании', ['великобритани*', 'британ*', 'англи', 'англия', 'uk', 'united kingdom', 'england', 'britain', 'british'], ['англи*', 'english']),
  country('Israel', 'Израиль', 'из Израиля', ['израил*', 'israel', 'israeli']),
  country('Turkey', 'Турция', 'из Турции', ['турци*', 'турецк*', 'turkish', 'turkey wine']),
  country('Slovenia', 'Словения', 'из Словении', ['словени*', 'словенск*', 'slovenia', 'slovenian']),
  country('Croatia', 'Хорватия', 'из Хорватии', ['хорвати*', 'хорватск*', 'croatia', 'croatian']),
  country('Bulgaria', 'Болгария', 'из Болгарии', ['болгари*', 'болгарск*', 'bulgaria', 'bulgarian']),
  // Countries the bundled catalog has no wines from: a request for them is answered honestly.
  country('Japan', 'Япония', 'из Японии', ['япони*', 'японск*', 'japan', 'japanese']),
  country('China', 'Китай', 'из Китая', ['китай', 'китая', 'китае', 'китайск*', 'china', 'chinese']),
  country('Armenia', 'Армения', 'из Армении', ['армени*', 'армянск*', 'armenia', 'armenian']),
  country('Cyprus', 'Кипр', 'с Кипра', ['кипр*', 'cyprus', 'cypriot']),
  country('Serbia', 'Сербия', 'из Сербии', ['серби*', 'сербск*', 'serbia', 'serbian']),
  country('Slovakia', 'Словакия', 'из Словакии', ['словаки*', 'словацк*', 'slovakia', 'slovak']),
  country('Morocco', 'Марокко', 'из Марокко', ['марокк*', 'morocco', 'moroccan']),
  country('India', 'Индия', 'из Индии', ['инди', 'индия', 'индии', 'india'], ['indian wine']),
  country('Peru', 'Перу', 'из Перу', ['перу', 'peru', 'peruvian']),
];

export interface Region extends Patterns {
  /** The region as a filter receives it. */
  name: string;
  /**
   * Where the dataset files it; a request that names no country gets this one. Left out where that would
   * overrule the person (Crimea), so the request keeps the country they name, if any.
   */
  country?: string;
  /** Russian "из …" form for replies. */
  ruFrom: string;
  /** English name for replies, where the filter's name reads otherwise ("Bourgogne" is Burgundy). */
  en: string;
  /**
   * Dataset regions inside this one (X-Wines files Pauillac under "Pauillac", not "Bordeaux"). Requests
   * match them as whole words within a wine's region, search as exact region names, so a part of a name
   * ("Médoc") serves requests and a full one ("Haut-Médoc") search.
   */
  subregions: string[];
}

const region = (
  name: string,
  countryName: string | undefined,
  ruFrom: string,
  words: string[],
  subregions: string[] = [],
  searchOnly?: string[],
): Region => ({ name, country: countryName, ruFrom, en: REGION_EN[name] ?? name, words, subregions, searchOnly });

const REGION_EN: Record<string, string> = {
  Bourgogne: 'Burgundy', Rhone: 'the Rhône Valley', Loire: 'the Loire Valley', Toscana: 'Tuscany', Piemonte: 'Piedmont',
  Sicilia: 'Sicily', Douro: 'the Douro Valley', 'Crimeia (Крим)': 'Crimea', Mosel: 'the Mosel',
};

export const REGIONS: readonly Region[] = [
  region('Bordeaux', 'France', 'из Бордо', ['бордо', 'бордоск*', 'bordeaux'], [
    'Pauillac', 'Margaux', 'Saint-Émilion', 'Saint-Émilion Grand Cru', 'Pessac-Léognan', 'Saint-Julien', 'Saint-Estèphe',
    'Médoc', 'Haut-Médoc', 'Listrac-Médoc', 'Moulis-en-Médoc', 'Pomerol', 'Graves', 'Sauternes', 'Entre-Deux-Mers',
    'Listrac', 'Moulis', 'Fronsac', 'Barsac', 'Lalande-de-Pomerol', 'Côtes de Bourg', 'Blaye', 'Castillon',
    'Bordeaux Supérieur', 'Côtes de Bordeaux', 'Francs-Côtes de Bordeaux',
  ]),
  region('Bourgogne', 'France', 'из Бургундии', ['бургунд*', 'burgundy', 'bourgogne'], [
    'Chablis', 'Petit Chablis', "Chablis 1er Cru 'Montmains'", 'Gevrey-Chambertin', 'Meursault',
    "Meursault 1er Cru 'La pièce sous le Bois'", 'Puligny', 'Chassagne', 'Beaune', 'Nuits', 'Nuits-Saint-Georges',
    'Pommard', 'Volnay', 'Vosne', 'Chambolle', 'Chambolle-Musigny', 'Morey', 'Corton', 'Corton-Charlemagne Grand Cru',
    'Mâcon', 'Pouilly-Fuissé', 'Santenay', 'Marsannay', 'Givry', 'Mercurey', 'Rully', 'Montrachet', 'Vougeot',
    'Savigny', 'Auxey', 'Saint-Aubin', 'Monthélie', 'Fixin', 'Bourgogne Aligoté', 'Crémant de Bourgogne',
  ]),
  // Plain "champagne" is the wine, not the region, in a request.
  region('Champagne', 'France', 'из Шампани', ['шампань', 'шампани', 'champagne region', 'from champagne'], [
    "Champagne Grand Cru 'Ambonnay'", "Champagne Grand Cru 'Bouzy'", "Champagne Grand Cru 'Le Mesnil-sur-Oger'",
  ], ['champagne']),
  region('Chablis', 'France', 'из Шабли', ['шабли', 'chablis'], ['Petit Chablis', "Chablis 1er Cru 'Montmains'"]),
  region('Sancerre', 'France', 'из Сансера', ['сансер*', 'sancerre']),
  region('Alsace', 'France', 'из Эльзаса', ['эльзас*', 'alsace', 'alsatian'], ["Crémant d'Alsace"]),
  region('Loire', 'France', 'из долины Луары', ['луар*', 'loire'], [
    'Upper Loire', 'Sancerre', 'Vouvray', 'Pouilly-Fumé', 'Muscadet', 'Chinon', 'Anjou', 'Saumur', 'Touraine',
    'Savennières', 'Crémant de Loire',
  ]),
  region('Rhone', 'France', 'из долины Роны', ['рона', 'роны', 'роне', 'долин* рон*', 'rhone'], [
    'Rhone Valley', 'Côtes-du-Rhône', 'Châteauneuf-du-Pape', 'Chateauneuf', 'Côte-Rôtie', 'Hermitage', 'Gigondas',
    'Vacqueyras', 'Condrieu', 'Saint-Joseph', 'Cornas', 'Tavel', 'Lirac', 'Rasteau', 'Ventoux',
  ]),
  region('Provence', 'France', 'из Прованса', ['прованс*', 'provence', 'provencal'], ['Côtes de Provence', 'Bandol', 'Cassis']),
  region('Beaujolais', 'France', 'из Божоле', ['божоле', 'beaujolais'], [
    'Beaujolais-Villages', 'Morgon', 'Fleurie', 'Moulin-à-Vent', 'Brouilly', 'Juliénas',
  ]),
  region('Languedoc', 'France', 'из Лангедока', ['лангедок*', 'languedoc'], ["Pays d'Oc", 'Minervois', 'Corbières', 'Picpoul']),
  region('Toscana', 'Italy', 'из Тосканы', ['тоскан*', 'tuscany', 'tuscan', 'toscana'], [
    'Chianti', 'Chianti Classico', 'Chianti Colli Senesi', 'Vin Santo del Chianti Classico', 'Brunello',
    'Brunello di Montalcino', 'Rosso di Montalcino', 'Montalcino', 'Bolgheri', 'Vino Nobile', 'Maremma',
    'Maremma Toscana', 'Costa Toscana', 'Morellino', 'Carmignano',
  ]),
  region('Chianti', 'Italy', 'из Кьянти', ['кьянти', 'chianti'], ['Chianti Classico', 'Chianti Colli Senesi', 'Vin Santo del Chianti Classico']),
  region('Piemonte', 'Italy', 'из Пьемонта', ['пьемонт*', 'piedmont', 'piemonte'], [
    'Barolo', 'Barbaresco', 'Langhe', "Barbera d'Alba", "Barbera d'Asti", "Dolcetto d'Alba", "Moscato d'Asti",
    "Brachetto d'Acqui", 'Roero', 'Gavi', 'Asti', 'Alba', 'Dogliani', 'Monferrato',
  ]),
  region('Barolo', 'Italy', 'из Бароло', ['бароло', 'barolo']),
  region('Barbaresco', 'Italy', 'из Барбареско', ['барбареско', 'barbaresco']),
  region('Veneto', 'Italy', 'из Венето', ['венето', 'veneto'], [
    'Valpolicella', 'Valpolicella Classico', 'Valpolicella Ripasso', 'Amarone', 'Amarone della Valpolicella',
    'Amarone della Valpolicella Classico', 'Soave', 'Prosecco', 'Conegliano', 'Conegliano-Valdobbiadene Prosecco',
    'Bardolino', 'Bardolino Classico',
  ]),
  region('Valpolicella', 'Italy', 'из Вальполичеллы', ['вальполичелл*', 'амароне', 'valpolicella', 'amarone'], [
    'Valpolicella Classico', 'Valpolicella Ripasso', 'Amarone', 'Amarone della Valpolicella',
    'Amarone della Valpolicella Classico', 'Recioto della Valpolicella Classico',
  ]),
  region('Sicilia', 'Italy', 'с Сицилии', ['сицили*', 'sicily', 'sicilia', 'sicilian'], ['Etna', 'Terre Siciliane']),
  region('Rioja', 'Spain', 'из Риохи', ['риох*', 'rioja']),
  region('Ribera del Duero', 'Spain', 'из Рибера-дель-Дуэро', ['рибер* дель дуэро', 'рибера*', 'ribera del duero', 'ribera']),
  region('Priorat', 'Spain', 'из Приората', ['приорат*', 'priorat', 'priorato']),
  region('Douro', 'Portugal', 'из долины Дору', ['дору', 'доуру', 'дуэро', 'douro'], ['Duriense', 'Porto']),
  // "Porto" and "порто" are port wine in a request.
  region('Porto', 'Portugal', 'из Порту', ['порту', 'oporto'], [], ['porto', 'порто']),
  region('Vinho Verde', 'Portugal', 'из Винью-Верде', ['винью верде', 'виньо верде', 'vinho verde'], ['Minho']),
  region('Alentejo', 'Portugal', 'из Алентежу', ['алентежу', 'alentejo', 'alentejano'], ['Alentejano']),
  region('Mosel', 'Germany', 'с Мозеля', ['мозел*', 'mosel', 'moselle'], ['Mosel-Saar-Ruwer', 'Brauneberg']),
  region('Rheingau', 'Germany', 'из Рейнгау', ['рейнгау', 'rheingau']),
  region('Pfalz', 'Germany', 'из Пфальца', ['пфальц*', 'pfalz']),
  region('Tokaj', 'Hungary', 'из Токая', ['токай*', 'tokaj', 'tokaji']),
  region('Napa Valley', 'United States', 'из долины Напа', ['напа', 'нап* валли', 'napa', 'napa valley'], [
    'Oakville', 'Rutherford', 'Stags Leap District', 'Yountville', 'Mount Veeder', 'Los Carneros',
  ]),
  region('Sonoma', 'United States', 'из Сономы', ['сонома', 'sonoma'], ['Russian River', 'Sonoma Coast', 'Alexander Valley', 'Dry Creek']),
  region('California', 'United States', 'из Калифорнии', ['калифорни*', 'california', 'californian'], [
    'Napa', 'Napa Valley', 'Sonoma', 'Sonoma Coast', 'Sonoma County', 'Sonoma Valley', 'Paso Robles', 'Central Coast',
    'North Coast', 'Russian River', 'Russian River Valley', 'Anderson Valley', 'Santa Barbara', 'Santa Barbara County',
    'Happy Canyon of Santa Barbara', 'Lodi', 'Mendocino', 'Monterey', 'Monterey County', 'Santa Cruz',
    'Santa Rita Hills', 'Santa Lucia', 'Carneros', 'Los Carneros', 'Oakville', 'Rutherford', 'Stags Leap',
    'Stags Leap District', 'Yountville', 'Mount Veeder', 'Howell Mountain', 'Alexander Valley', 'Dry Creek Valley',
    'Knights Valley', 'Temecula Valley', 'Amador County', 'Arroyo Seco', 'Cucamonga Valley', 'Livermore',
  ]),
  region('Oregon', 'United States', 'из Орегона', ['орегон*', 'oregon'], ['Willamette', 'Dundee Hills', 'Eola', 'Chehalem']),
  region('Washington', 'United States', 'из штата Вашингтон', ['washington state'], ['Columbia Valley', 'Walla Walla', 'Yakima', 'Red Mountain']),
  region('Mendoza', 'Argentina', 'из Мендосы', ['мендос*', 'mendoza'], ['Luján de Cuyo', 'Uco', 'Uco Valley', 'Tupungato', 'Maipú', 'San Rafael']),
  region('Marlborough', 'New Zealand', 'из Мальборо', ['мальборо', 'marlborough']),
  region('Barossa', 'Australia', 'из Баросы', ['баросс*', 'barossa']),
  region('Stellenbosch', 'South Africa', 'из Стелленбоса', ['стелленбос*', 'stellenbosch']),
  // Named as X-Wines spells it, so full-text search finds its wines by the name.
  region('Crimeia (Крим)', undefined, 'из Крыма', ['крым*', 'crimea']),
];
