import { wordPattern } from '../text.js';

export interface CountryEntry {
  /** English, as in the dataset's Country column. */
  name: string;
  pattern: RegExp;
  /** Russian name for replies. */
  ru: string;
  /** Russian "из …" form for replies. */
  ruFrom: string;
}

const country = (name: string, ru: string, ruFrom: string, patterns: string[]): CountryEntry => ({
  name,
  ru,
  ruFrom,
  pattern: wordPattern(...patterns),
});

/**
 * Adjectives as well as names ("французское", "Italian"). Words that double as something else are left
 * out on purpose: "русском"/"English" (the reply language), "turkey" (the bird), "us" (the pronoun).
 */
export const COUNTRIES: CountryEntry[] = [
  country('France', 'Франция', 'из Франции', ['франци*', 'французск*', 'france', 'french']),
  country('Italy', 'Италия', 'из Италии', ['итали*', 'итальянск*', 'italy', 'italian']),
  country('United States', 'США', 'из США', ['сша', 'америк*', 'американск*', 'usa', 'united states', 'america', 'american']),
  country('Portugal', 'Португалия', 'из Португалии', ['португал*', 'portugal', 'portuguese']),
  country('Chile', 'Чили', 'из Чили', ['чили', 'чилийск*', 'chile', 'chilean']),
  country('Germany', 'Германия', 'из Германии', ['германи*', 'немецк*', 'germany', 'german']),
  country('Argentina', 'Аргентина', 'из Аргентины', ['аргентин*', 'argentina', 'argentinian', 'argentine', 'argentinean']),
  country('Brazil', 'Бразилия', 'из Бразилии', ['бразили*', 'бразильск*', 'brazil', 'brazilian']),
  country('Spain', 'Испания', 'из Испании', ['испани*', 'испанск*', 'spain', 'spanish']),
  country('Australia', 'Австралия', 'из Австралии', ['австрали*', 'australia', 'australian', 'aussie']),
  country('New Zealand', 'Новая Зеландия', 'из Новой Зеландии', ['нов* зеланди*', 'новозеландск*', 'new zealand', 'nz']),
  country('South Africa', 'ЮАР', 'из ЮАР', ['юар', 'южн* африк*', 'южноафриканск*', 'south africa', 'south african']),
  country('Canada', 'Канада', 'из Канады', ['канад*', 'canada', 'canadian']),
  country('Austria', 'Австрия', 'из Австрии', ['австри*', 'austria', 'austrian']),
  country('Greece', 'Греция', 'из Греции', ['греци*', 'греческ*', 'greece', 'greek']),
  country('Uruguay', 'Уругвай', 'из Уругвая', ['уругва*', 'uruguay', 'uruguayan']),
  country('Mexico', 'Мексика', 'из Мексики', ['мексик*', 'мексиканск*', 'mexico', 'mexican']),
  country('Hungary', 'Венгрия', 'из Венгрии', ['венгри*', 'венгерск*', 'hungary', 'hungarian']),
  country('Russia', 'Россия', 'из России', ['росси*', 'российск*', 'russia', 'russian wine*']),
  country('Ukraine', 'Украина', 'из Украины', ['украин*', 'ukraine', 'ukrainian']),
  country('Moldova', 'Молдова', 'из Молдовы', ['молдов*', 'молдави*', 'молдавск*', 'moldova', 'moldovan']),
  country('Georgia', 'Грузия', 'из Грузии', ['грузи*', 'грузинск*', 'georgia', 'georgian']),
  country('Malta', 'Мальта', 'с Мальты', ['мальта', 'мальты', 'мальте', 'мальтийск*', 'malta', 'maltese']),
  country('Lebanon', 'Ливан', 'из Ливана', ['ливан*', 'lebanon', 'lebanese']),
  country('Switzerland', 'Швейцария', 'из Швейцарии', ['швейцари*', 'швейцарск*', 'switzerland', 'swiss']),
  country('Czech Republic', 'Чехия', 'из Чехии', ['чехи*', 'чешск*', 'czech', 'czechia']),
  country('Romania', 'Румыния', 'из Румынии', ['румыни*', 'румынск*', 'romania', 'romanian']),
  country('United Kingdom', 'Великобритания', 'из Великобритании', ['великобритани*', 'британи*', 'британск*', 'англи', 'англия', 'uk', 'united kingdom', 'england', 'british']),
  country('Israel', 'Израиль', 'из Израиля', ['израил*', 'israel', 'israeli']),
  country('Turkey', 'Турция', 'из Турции', ['турци*', 'турецк*', 'turkish']),
  country('Slovenia', 'Словения', 'из Словении', ['словени*', 'словенск*', 'slovenia', 'slovenian']),
  country('Croatia', 'Хорватия', 'из Хорватии', ['хорвати*', 'хорватск*', 'croatia', 'croatian']),
  country('Bulgaria', 'Болгария', 'из Болгарии', ['болгари*', 'болгарск*', 'bulgaria', 'bulgarian']),
];

export interface RegionEntry {
  /** What `search_wines` receives as `region`. */
  name: string;
  country: string;
  pattern: RegExp;
  /**
   * Dataset region names (or parts of them) that lie inside this region: X-Wines files Pauillac under
   * "Pauillac", not "Bordeaux", so asking for Bordeaux must accept it.
   */
  includes: string[];
  /** Russian "из …" form for replies. */
  ruFrom: string;
}

const region = (
  ruFrom: string,
  name: string,
  countryName: string,
  patterns: string[],
  includes: string[] = [],
): RegionEntry => ({
  name,
  ruFrom,
  country: countryName,
  pattern: wordPattern(...patterns),
  includes: [name, ...includes],
});

export const REGIONS: RegionEntry[] = [
  region('из Бордо', 'Bordeaux', 'France', ['бордо', 'бордоск*', 'bordeaux'], [
    'Pauillac', 'Margaux', 'Saint-Émilion', 'Saint-Emilion', 'Pessac-Léognan', 'Saint-Julien', 'Saint-Estèphe',
    'Médoc', 'Medoc', 'Pomerol', 'Graves', 'Sauternes', 'Entre-Deux-Mers', 'Listrac', 'Moulis', 'Fronsac', 'Barsac',
    'Lalande-de-Pomerol', 'Côtes de Bourg', 'Blaye', 'Castillon',
  ]),
  region('из Бургундии', 'Bourgogne', 'France', ['бургунди*', 'бургундск*', 'burgundy', 'bourgogne'], [
    'Chablis', 'Gevrey-Chambertin', 'Meursault', 'Puligny', 'Chassagne', 'Beaune', 'Nuits', 'Pommard', 'Volnay',
    'Vosne', 'Chambolle', 'Morey', 'Corton', 'Mâcon', 'Macon', 'Pouilly-Fuissé', 'Santenay', 'Marsannay', 'Givry',
    'Mercurey', 'Rully', 'Montrachet', 'Vougeot', 'Savigny', 'Auxey', 'Saint-Aubin', 'Monthélie', 'Fixin',
  ]),
  region('из Шампани', 'Champagne', 'France', ['шампан(ь|и)', 'champagne region', 'from champagne'], []),
  region('из Шабли', 'Chablis', 'France', ['шабли', 'chablis']),
  region('из Сансера', 'Sancerre', 'France', ['сансер*', 'sancerre']),
  region('из Эльзаса', 'Alsace', 'France', ['эльзас*', 'alsace', 'alsatian']),
  region('из долины Луары', 'Loire', 'France', ['луар*', 'loire'], ['Sancerre', 'Vouvray', 'Pouilly-Fumé', 'Muscadet', 'Chinon', 'Anjou', 'Saumur', 'Touraine', 'Savennières']),
  region('из долины Роны', 'Rhone', 'France', ['рон(а|ы|е)', 'долин* рон*', 'rhone'], [
    'Rhône', 'Châteauneuf-du-Pape', 'Chateauneuf', 'Côte-Rôtie', 'Hermitage', 'Gigondas', 'Vacqueyras', 'Condrieu',
    'Saint-Joseph', 'Cornas', 'Tavel', 'Lirac', 'Rasteau', 'Ventoux',
  ]),
  region('из Прованса', 'Provence', 'France', ['прованс*', 'provence', 'provencal'], ['Côtes de Provence', 'Bandol', 'Cassis']),
  region('из Божоле', 'Beaujolais', 'France', ['божоле', 'beaujolais'], ['Morgon', 'Fleurie', 'Moulin-à-Vent', 'Brouilly', 'Juliénas']),
  region('из Лангедока', 'Languedoc', 'France', ['лангедок*', 'languedoc'], ['Pays d\'Oc', 'Minervois', 'Corbières', 'Picpoul']),
  region('из Тосканы', 'Toscana', 'Italy', ['тоскан*', 'tuscany', 'tuscan', 'toscana'], ['Chianti', 'Brunello', 'Montalcino', 'Bolgheri', 'Vino Nobile', 'Maremma', 'Morellino', 'Carmignano']),
  region('из Кьянти', 'Chianti', 'Italy', ['кьянти', 'chianti']),
  region('из Пьемонта', 'Piemonte', 'Italy', ['пьемонт*', 'piedmont', 'piemonte'], [
    'Barolo', 'Barbaresco', 'Langhe', "Barbera d'Alba", "Barbera d'Asti", "Moscato d'Asti", 'Roero', 'Gavi', 'Asti',
    'Alba', 'Dogliani', 'Monferrato',
  ]),
  region('из Бароло', 'Barolo', 'Italy', ['бароло', 'barolo']),
  region('из Барбареско', 'Barbaresco', 'Italy', ['барбареско', 'barbaresco']),
  region('из Венето', 'Veneto', 'Italy', ['венето', 'veneto'], ['Valpolicella', 'Amarone', 'Soave', 'Prosecco', 'Bardolino', 'Conegliano']),
  region('из Вальполичеллы', 'Valpolicella', 'Italy', ['вальполичелл*', 'амароне', 'valpolicella', 'amarone'], ['Amarone']),
  region('с Сицилии', 'Sicilia', 'Italy', ['сицили*', 'sicily', 'sicilia', 'sicilian'], ['Etna', 'Terre Siciliane']),
  region('из Риохи', 'Rioja', 'Spain', ['риох*', 'rioja']),
  region('из Рибера-дель-Дуэро', 'Ribera del Duero', 'Spain', ['рибер* дель дуэро', 'ribera del duero', 'ribera']),
  region('из Приората', 'Priorat', 'Spain', ['приорат*', 'priorat', 'priorato']),
  region('из долины Дору', 'Douro', 'Portugal', ['дору', 'дуэро', 'douro']),
  region('из Порту', 'Porto', 'Portugal', ['порту', 'oporto']),
  region('из Винью-Верде', 'Vinho Verde', 'Portugal', ['винью верде', 'винью-верде', 'vinho verde']),
  region('из Алентежу', 'Alentejo', 'Portugal', ['алентежу', 'alentejo', 'alentejano'], ['Alentejano']),
  region('с Мозеля', 'Mosel', 'Germany', ['мозел*', 'мозель', 'mosel', 'moselle'], ['Mosel-Saar-Ruwer']),
  region('из Рейнгау', 'Rheingau', 'Germany', ['рейнгау', 'rheingau']),
  region('из Пфальца', 'Pfalz', 'Germany', ['пфальц*', 'pfalz']),
  region('из Токая', 'Tokaj', 'Hungary', ['токай*', 'tokaj', 'tokaji']),
  region('из долины Напа', 'Napa Valley', 'United States', ['напа', 'нап* валли', 'napa', 'napa valley']),
  region('из Сономы', 'Sonoma', 'United States', ['сонома', 'sonoma'], ['Russian River', 'Sonoma Coast', 'Alexander Valley', 'Dry Creek']),
  region('из Калифорнии', 'California', 'United States', ['калифорни*', 'california', 'californian'], [
    'Napa', 'Sonoma', 'Paso Robles', 'Central Coast', 'Russian River', 'Anderson Valley', 'Santa Barbara', 'Lodi',
    'Mendocino', 'Monterey', 'Santa Cruz', 'Santa Rita Hills', 'Santa Lucia', 'Carneros', 'Oakville', 'Rutherford',
    'Stags Leap', 'Howell Mountain', 'Alexander Valley', 'Livermore',
  ]),
  region('из Орегона', 'Oregon', 'United States', ['орегон*', 'oregon'], ['Willamette', 'Dundee Hills', 'Eola', 'Chehalem']),
  region('из штата Вашингтон', 'Washington', 'United States', ['washington state'], ['Columbia Valley', 'Walla Walla', 'Yakima', 'Red Mountain']),
  region('из Мендосы', 'Mendoza', 'Argentina', ['мендос*', 'mendoza'], ['Lujan de Cuyo', 'Luján de Cuyo', 'Uco', 'Tupungato', 'Maipú']),
  region('из Мальборо', 'Marlborough', 'New Zealand', ['мальборо', 'marlborough']),
  region('из Баросы', 'Barossa', 'Australia', ['баросс*', 'barossa']),
  region('из Стелленбоса', 'Stellenbosch', 'South Africa', ['стелленбос*', 'stellenbosch']),
];
