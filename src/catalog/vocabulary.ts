/**
 * Wine and food words in English and Russian, used to turn what people type ("стейку", "лёгкое",
 * "something for oysters") into catalog terms. Each entry lists patterns: a space-separated phrase whose
 * words match exactly (English plurals folded), or by prefix when they end in `*` (Russian stems cover
 * every case form: "стейк*" matches стейк, стейка, стейку, стейком).
 *
 * An entry can carry several roles: `search` terms for full-text ranking, `pairings` (folded X-Wines
 * `Harmonize` categories) for the pairing filter, and country/region/grape keys for those filters.
 */
import { fold, words } from './normalize.js';
import type { WineType } from './types.js';

export interface VocabularyEntry {
  patterns: string[];
  /** English terms (phrases allowed) looked up in the wines' search text. */
  search?: string[];
  /** Folded pairing categories this food matches. */
  pairings?: string[];
  /** Folded country name. */
  country?: string;
  /** Folded region names, including the sub-regions a person means by the broader name. */
  regions?: string[];
  /** Folded grape names (synonyms included). */
  grapes?: string[];
  type?: WineType;
}

const CHEESES = ['maturated cheese', 'hard cheese', 'soft cheese', 'goat cheese', 'blue cheese', 'cheese'];
const FISH = ['rich fish', 'lean fish', 'fish', 'codfish'];
const MEATS = ['beef', 'lamb', 'game meat', 'pork', 'veal'];

const FOODS: VocabularyEntry[] = [
  { patterns: ['beef', 'steak', 'burger', 'brisket', 'ribeye', 'sirloin', 'roast beef', 'стейк*', 'говядин*', 'говяж*', 'бифштекс*', 'ростбиф*', 'бургер*', 'антрекот*'], pairings: ['beef'], search: ['beef', 'steak'] },
  { patterns: ['meat', 'red meat', 'мяс*'], pairings: MEATS, search: ['meat'] },
  { patterns: ['lamb', 'mutton', 'баранин*', 'барашк*', 'ягнен*', 'ягнят*'], pairings: ['lamb'], search: ['lamb'] },
  { patterns: ['game', 'venison', 'boar', 'rabbit', 'дичь', 'дичи', 'дичью', 'оленин*', 'кабан*', 'кролик*'], pairings: ['game meat'], search: ['game'] },
  { patterns: ['duck', 'утк*', 'утин*'], pairings: ['duck', 'game meat', 'poultry'], search: ['duck', 'game'] },
  { patterns: ['pork', 'свинин*', 'свиные', 'свиная', 'свиной'], pairings: ['pork'], search: ['pork'] },
  { patterns: ['ham', 'bacon', 'ветчин*', 'бекон*', 'окорок*'], pairings: ['ham', 'pork', 'cured meat'], search: ['ham', 'pork'] },
  { patterns: ['charcuterie', 'salami', 'prosciutto', 'jamon', 'sausage', 'cold cut', 'cured meat', 'салями', 'хамон*', 'прошутто', 'колбас*', 'сосиск*', 'нарезк*'], pairings: ['cured meat', 'cold cuts', 'ham'], search: ['charcuterie', 'cured'] },
  { patterns: ['poultry', 'chicken', 'turkey', 'куриц*', 'курин*', 'курочк*', 'цыпл*', 'индейк*', 'птиц*'], pairings: ['poultry', 'chicken'], search: ['poultry', 'chicken'] },
  { patterns: ['veal', 'телятин*', 'телячь*'], pairings: ['veal'], search: ['veal'] },
  { patterns: ['fish', 'рыб*'], pairings: [...FISH, 'seafood'], search: ['fish'] },
  { patterns: ['salmon', 'tuna', 'trout', 'mackerel', 'лосос*', 'семг*', 'семуж*', 'тунец', 'тунц*', 'форел*', 'скумбри*'], pairings: ['rich fish', 'fish'], search: ['fish', 'salmon'] },
  { patterns: ['cod', 'sea bass', 'bass', 'halibut', 'sole', 'white fish', 'треск*', 'судак*', 'дорадо', 'сибас*', 'палтус*', 'камбал*', 'минта*'], pairings: ['lean fish', 'codfish', 'fish'], search: ['fish', 'cod'] },
  { patterns: ['shellfish', 'seafood', 'oyster', 'shrimp', 'prawn', 'lobster', 'crab', 'mussel', 'scallop', 'clam', 'squid', 'octopus', 'устриц*', 'морепродукт*', 'креветк*', 'омар*', 'лобстер*', 'краб*', 'миди*', 'гребешк*', 'кальмар*', 'осьминог*', 'лангуст*'], pairings: ['shellfish', 'seafood'], search: ['shellfish', 'seafood', 'oyster'] },
  { patterns: ['sushi', 'sashimi', 'суши', 'сашими'], pairings: ['lean fish', 'rich fish', 'shellfish', 'seafood'], search: ['sushi', 'fish'] },
  { patterns: ['cheese', 'cheeses', 'сыр', 'сыра', 'сыру', 'сыре', 'сыром', 'сыры', 'сыров', 'сырам', 'сырами', 'сырах', 'сырная', 'сырной', 'сырную', 'сырное', 'сырн*'], pairings: CHEESES, search: ['cheese'] },
  { patterns: ['parmesan', 'cheddar', 'gouda', 'manchego', 'hard cheese', 'пармезан*', 'чеддер*', 'гауд*', 'твердый сыр', 'твердые сыры'], pairings: ['hard cheese', 'maturated cheese', 'cheese'], search: ['cheese'] },
  { patterns: ['brie', 'camembert', 'soft cheese', 'бри', 'камамбер*', 'мягкий сыр', 'мягкие сыры'], pairings: ['soft cheese', 'cheese'], search: ['cheese'] },
  { patterns: ['goat cheese', 'chevre', 'козий сыр', 'козьим сыром', 'козьего сыра', 'козий', 'козь*'], pairings: ['goat cheese', 'cheese'], search: ['goat cheese'] },
  { patterns: ['blue cheese', 'roquefort', 'gorgonzola', 'stilton', 'рокфор*', 'горгонзол*', 'дорблю', 'голубой сыр', 'плесень*', 'плесенью'], pairings: ['blue cheese', 'cheese'], search: ['blue cheese'] },
  { patterns: ['pasta', 'spaghetti', 'lasagna', 'lasagne', 'паст*', 'спагетти', 'лазань*', 'макарон*'], pairings: ['pasta'], search: ['pasta'] },
  { patterns: ['risotto', 'ризотто'], pairings: ['risotto', 'pasta'], search: ['risotto', 'pasta'] },
  { patterns: ['pizza', 'пицц*'], pairings: ['pizza', 'tomato dishes', 'pasta'], search: ['pizza'] },
  { patterns: ['spicy', 'curry', 'thai', 'indian', 'mexican', 'chili', 'остр*', 'пикантн*', 'карри', 'тайск*', 'индийск*', 'мексиканск*'], pairings: ['spicy food'], search: ['spicy'] },
  { patterns: ['vegetarian', 'vegan', 'vegetable', 'veggie', 'вегетариан*', 'веган*', 'овощ*'], pairings: ['vegetarian', 'salad'], search: ['vegetarian', 'vegetables'] },
  { patterns: ['salad', 'салат*'], pairings: ['salad', 'vegetarian'], search: ['salad'] },
  { patterns: ['mushroom', 'truffle', 'гриб*', 'трюфел*'], pairings: ['mushrooms'], search: ['mushrooms'] },
  { patterns: ['dessert', 'cake', 'pie', 'pastry', 'десерт*', 'торт*', 'пирожн*', 'пирог*', 'выпечк*'], pairings: ['sweet dessert', 'fruit dessert', 'cake', 'dessert'], search: ['dessert'] },
  { patterns: ['chocolate', 'шоколад*'], pairings: ['chocolate', 'sweet dessert'], search: ['chocolate', 'dessert'] },
  { patterns: ['fruit', 'berries', 'фрукты', 'фруктами', 'ягоды', 'ягодами'], pairings: ['fruit', 'fruit dessert'], search: ['fruit'] },
  { patterns: ['appetizer', 'starter', 'canape', 'tapas', 'antipasti', 'закуск*', 'канапе', 'тапас*', 'антипаст*'], pairings: ['appetizer', 'snack', 'cold cuts', 'cured meat'], search: ['appetizer'] },
  { patterns: ['snack', 'chips', 'nuts', 'popcorn', 'снек*', 'чипс*', 'орех*', 'попкорн*'], pairings: ['snack'], search: ['snack'] },
  { patterns: ['barbecue', 'bbq', 'grill', 'grilled', 'kebab', 'шашлык*', 'барбекю', 'гриль', 'мангал*', 'кебаб*'], pairings: ['barbecue', 'grilled', 'beef', 'lamb', 'pork'], search: ['barbecue', 'grilled', 'lamb', 'beef'] },
  { patterns: ['aperitif', 'аперитив*'], pairings: ['aperitif', 'appetizer'], search: ['aperitif'] },
  { patterns: ['fries', 'french fries', 'картошк*', 'картофел*', 'фри'], pairings: ['french fries', 'snack'], search: ['fries'] },
];

const STYLES: VocabularyEntry[] = [
  { patterns: ['light', 'lightweight', 'легк*', 'легон*'], search: ['light'] },
  { patterns: ['easy', 'easy drinking', 'простое', 'простенькое', 'легкопьющ*'], search: ['easy'] },
  { patterns: ['fruity', 'fruit forward', 'juicy', 'фрукт*', 'ягодн*', 'сочн*'], search: ['fruity'] },
  { patterns: ['fresh', 'refreshing', 'свеж*', 'освежающ*'], search: ['fresh'] },
  { patterns: ['crisp', 'zesty', 'bright', 'хрустящ*', 'бодрящ*'], search: ['crisp'] },
  { patterns: ['acidic', 'high acidity', 'кисл*', 'кислотн*'], search: ['crisp'] },
  { patterns: ['dry', 'off dry', 'semi dry', 'сух*', 'полусух*'], search: ['dry'] },
  { patterns: ['sweet', 'semi sweet', 'сладк*', 'полусладк*'], search: ['sweet'] },
  { patterns: ['bold', 'rich', 'full', 'full bodied', 'powerful', 'robust', 'heavy', 'big', 'полнотел*', 'насыщенн*', 'мощн*', 'плотн*', 'тяжел*'], search: ['bold'] },
  { patterns: ['medium', 'medium bodied', 'средн*'], search: ['medium'] },
  { patterns: ['tannic', 'tannins', 'танин*', 'таннин*', 'терпк*'], search: ['tannic'] },
  { patterns: ['smooth', 'soft', 'mellow', 'round', 'мягк*', 'бархатист*', 'округл*'], search: ['smooth'] },
  { patterns: ['elegant', 'refined', 'элегантн*', 'изысканн*', 'утонченн*'], search: ['elegant'] },
  { patterns: ['aromatic', 'floral', 'ароматн*', 'цветочн*'], search: ['aromatic'] },
  { patterns: ['spicy wine', 'peppery', 'прян*'], search: ['peppery'] },
  { patterns: ['picnic', 'outdoor', 'outdoors', 'пикник*', 'природ*'], search: ['picnic'] },
  { patterns: ['summer', 'hot day', 'terrace', 'beach', 'лето', 'летом', 'летн*', 'жара', 'жару', 'жаркий', 'жаркую', 'жарко', 'терас*', 'пляж*'], search: ['summer'] },
  { patterns: ['winter', 'cold evening', 'fireplace', 'зим*', 'камин*'], search: ['winter'] },
  { patterns: ['celebration', 'celebrate', 'party', 'festive', 'wedding', 'new year', 'birthday', 'toast', 'праздн*', 'вечеринк*', 'торжеств*', 'свадьб*', 'новый год', 'новогодн*', 'день рождения', 'отмет*', 'тост*'], search: ['celebration'] },
  { patterns: ['bubbles', 'bubbly', 'fizzy', 'sparkling', 'игрист*', 'пузыр*', 'шипуч*', 'шампанск*'], search: ['sparkling'], type: 'sparkling' },
  { patterns: ['romantic', 'date', 'романтич*', 'свидани*'], search: ['romantic'] },
  { patterns: ['dinner', 'ужин*'], search: ['dinner'] },
  { patterns: ['gift', 'present', 'подар*'], search: ['gift'] },
  { patterns: ['low alcohol', 'low abv', 'некрепк*', 'слабоалкогольн*'], search: ['low alcohol'] },
  { patterns: ['strong', 'high alcohol', 'крепк*'], search: ['strong'] },
  { patterns: ['oak', 'oaky', 'barrel', 'дуб*', 'бочк*'], search: ['oak'] },
  { patterns: ['red', 'красн*'], search: ['red'], type: 'red' },
  { patterns: ['white', 'бел*'], search: ['white'], type: 'white' },
  { patterns: ['rose', 'pink', 'розов*', 'розе'], search: ['rose'], type: 'rose' },
  { patterns: ['dessert wine', 'десертн*'], search: ['dessert'], type: 'dessert' },
  { patterns: ['port', 'fortified', 'портвейн*', 'креплен*'], search: ['port'], type: 'port' },
];

const COUNTRIES: VocabularyEntry[] = [
  { patterns: ['france', 'french', 'франц*'], country: 'france' },
  { patterns: ['italy', 'italian', 'итал*'], country: 'italy' },
  { patterns: ['spain', 'spanish', 'испан*'], country: 'spain' },
  { patterns: ['portugal', 'portuguese', 'португал*'], country: 'portugal' },
  { patterns: ['germany', 'german', 'герман*', 'немецк*'], country: 'germany' },
  { patterns: ['austria', 'austrian', 'австри*'], country: 'austria' },
  { patterns: ['united states', 'usa', 'america', 'american', 'сша', 'америк*'], country: 'united states' },
  { patterns: ['chile', 'chilean', 'чили', 'чилийск*'], country: 'chile' },
  { patterns: ['argentina', 'argentinian', 'argentine', 'аргентин*'], country: 'argentina' },
  { patterns: ['australia', 'australian', 'австрал*'], country: 'australia' },
  { patterns: ['new zealand', 'новая зеландия', 'новой зеландии', 'новую зеландию', 'новозеландск*', 'зеланд*'], country: 'new zealand' },
  { patterns: ['south africa', 'south african', 'юар', 'южная африка', 'южной африки', 'южноафриканск*'], country: 'south africa' },
  { patterns: ['brazil', 'brazilian', 'бразил*'], country: 'brazil' },
  { patterns: ['canada', 'canadian', 'канад*'], country: 'canada' },
  { patterns: ['greece', 'greek', 'грец*', 'греческ*'], country: 'greece' },
  { patterns: ['hungary', 'hungarian', 'венгр*', 'венгерск*'], country: 'hungary' },
  { patterns: ['uruguay', 'уругва*'], country: 'uruguay' },
  { patterns: ['mexico', 'mexican wine', 'мексик*'], country: 'mexico' },
  { patterns: ['russia', 'russian', 'росси*', 'российск*', 'русск*'], country: 'russia' },
  { patterns: ['ukraine', 'ukrainian', 'украин*'], country: 'ukraine' },
  { patterns: ['georgia', 'georgian', 'грузи*', 'грузинск*'], country: 'georgia' },
  { patterns: ['moldova', 'moldovan', 'молдав*', 'молдов*'], country: 'moldova' },
  { patterns: ['switzerland', 'swiss', 'швейцар*'], country: 'switzerland' },
  { patterns: ['israel', 'israeli', 'израил*'], country: 'israel' },
  { patterns: ['lebanon', 'lebanese', 'ливан*'], country: 'lebanon' },
  { patterns: ['romania', 'romanian', 'румын*'], country: 'romania' },
  { patterns: ['czech republic', 'czechia', 'czech', 'чех*', 'чешск*'], country: 'czech republic' },
  { patterns: ['slovenia', 'slovenian', 'словени*'], country: 'slovenia' },
  { patterns: ['croatia', 'croatian', 'хорвати*'], country: 'croatia' },
  { patterns: ['turkey wine', 'turkish', 'турци*', 'турецк*'], country: 'turkey' },
  { patterns: ['united kingdom', 'england', 'english', 'britain', 'british', 'великобритани*', 'британ*', 'англи*'], country: 'united kingdom' },
  { patterns: ['malta', 'maltese', 'мальт*'], country: 'malta' },
];

const BORDEAUX = ['bordeaux', 'bordeaux superieur', 'cotes de bordeaux', 'francs-cotes de bordeaux', 'cotes de bourg', 'saint-emilion grand cru', 'pauillac', 'margaux', 'saint-julien', 'saint-estephe', 'pomerol', 'pessac-leognan', 'graves', 'haut-medoc', 'listrac-medoc', 'moulis-en-medoc', 'fronsac', 'sauternes'];
const BURGUNDY = ['bourgogne', 'bourgogne aligote', 'chablis', 'petit chablis', "chablis 1er cru 'montmains'", 'meursault', "meursault 1er cru 'la piece sous le bois'", 'pommard', 'gevrey-chambertin', 'nuits-saint-georges', 'chambolle-musigny', 'santenay', 'mercurey', 'pouilly-fuisse', 'corton-charlemagne grand cru', 'cremant de bourgogne'];

const REGIONS: VocabularyEntry[] = [
  { patterns: ['bordeaux', 'бордо'], regions: BORDEAUX },
  { patterns: ['burgundy', 'bourgogne', 'бургунд*'], regions: BURGUNDY },
  { patterns: ['champagne', 'шампань'], regions: ['champagne', "champagne grand cru 'ambonnay'", "champagne grand cru 'bouzy'", "champagne grand cru 'le mesnil-sur-oger'"] },
  { patterns: ['beaujolais', 'божоле'], regions: ['beaujolais', 'beaujolais-villages', 'fleurie', 'morgon'] },
  { patterns: ['rhone', 'рона', 'роны'], regions: ['rhone valley', 'cotes-du-rhone', 'chateauneuf-du-pape', 'gigondas', 'vacqueyras'] },
  { patterns: ['loire', 'луара', 'луары'], regions: ['upper loire', 'sancerre', 'pouilly-fume', 'cremant de loire'] },
  { patterns: ['alsace', 'эльзас*'], regions: ['alsace', "cremant d'alsace"] },
  { patterns: ['provence', 'прованс*'], regions: ['provence', 'cotes de provence', 'bandol'] },
  { patterns: ['chablis', 'шабли'], regions: ['chablis', 'petit chablis', "chablis 1er cru 'montmains'"] },
  { patterns: ['sancerre', 'сансер*'], regions: ['sancerre'] },
  { patterns: ['tuscany', 'toscana', 'тоскан*'], regions: ['toscana', 'costa toscana', 'maremma toscana', 'chianti', 'chianti classico', 'chianti colli senesi', 'brunello di montalcino', 'rosso di montalcino', 'vin santo del chianti classico'] },
  { patterns: ['chianti', 'кьянти'], regions: ['chianti', 'chianti classico', 'chianti colli senesi', 'vin santo del chianti classico'] },
  { patterns: ['piedmont', 'piemonte', 'пьемонт*'], regions: ['piemonte', 'barolo', 'barbaresco', 'langhe', "barbera d'alba", "barbera d'asti", "dolcetto d'alba", 'asti', "moscato d'asti", 'gavi', "brachetto d'acqui"] },
  { patterns: ['barolo', 'бароло'], regions: ['barolo'] },
  { patterns: ['veneto', 'венето'], regions: ['veneto', 'valpolicella', 'valpolicella classico', 'valpolicella ripasso', 'amarone della valpolicella', 'amarone della valpolicella classico', 'bardolino classico', 'prosecco', 'conegliano-valdobbiadene prosecco', 'soave'] },
  { patterns: ['valpolicella', 'amarone', 'вальполичелл*', 'амароне'], regions: ['valpolicella', 'valpolicella classico', 'valpolicella ripasso', 'amarone della valpolicella', 'amarone della valpolicella classico', 'recioto della valpolicella classico'] },
  { patterns: ['rioja', 'риох*'], regions: ['rioja'] },
  { patterns: ['ribera del duero', 'рибера*'], regions: ['ribera del duero'] },
  { patterns: ['priorat', 'приорат*'], regions: ['priorat'] },
  { patterns: ['douro', 'дору', 'доуру'], regions: ['douro', 'duriense', 'porto'] },
  { patterns: ['porto', 'oporto', 'порту', 'порто'], regions: ['porto'] },
  { patterns: ['vinho verde', 'винью верде', 'виньо верде'], regions: ['vinho verde', 'minho'] },
  { patterns: ['mendoza', 'мендос*'], regions: ['mendoza', 'lujan de cuyo', 'uco valley', 'tupungato', 'san rafael'] },
  { patterns: ['napa', 'napa valley', 'напа'], regions: ['napa valley', 'oakville', 'rutherford', 'stags leap district', 'yountville', 'mount veeder', 'los carneros'] },
  { patterns: ['california', 'калифорни*'], regions: ['california', 'napa valley', 'sonoma coast', 'sonoma county', 'sonoma valley', 'paso robles', 'russian river valley', 'central coast', 'lodi', 'north coast', 'alexander valley', 'anderson valley', 'dry creek valley', 'knights valley', 'santa barbara county', 'monterey county', 'temecula valley', 'amador county', 'los carneros', 'oakville', 'rutherford', 'stags leap district', 'yountville', 'mount veeder', 'arroyo seco', 'cucamonga valley', 'happy canyon of santa barbara'] },
  { patterns: ['marlborough', 'мальборо'], regions: ['marlborough'] },
  { patterns: ['mosel', 'мозел*'], regions: ['mosel', 'brauneberg'] },
  { patterns: ['tokaj', 'tokaji', 'токай*'], regions: ['tokaj'] },
  { patterns: ['crimea', 'крым*'], regions: ['crimeia (крим)'] },
];

const GRAPES: VocabularyEntry[] = [
  { patterns: ['pinot noir', 'pinot nero', 'spatburgunder', 'пино нуар*', 'пино неро'], grapes: ['pinot noir', 'pinot nero', 'spatburgunder'] },
  { patterns: ['cabernet', 'каберне'], grapes: ['cabernet sauvignon', 'cabernet franc'] },
  { patterns: ['cabernet sauvignon', 'каберне совиньон*'], grapes: ['cabernet sauvignon'] },
  { patterns: ['cabernet franc', 'каберне фран*'], grapes: ['cabernet franc'] },
  { patterns: ['merlot', 'мерло'], grapes: ['merlot'] },
  { patterns: ['chardonnay', 'шардоне'], grapes: ['chardonnay'] },
  { patterns: ['sauvignon blanc', 'совиньон блан*', 'совиньон'], grapes: ['sauvignon blanc'] },
  { patterns: ['riesling', 'рислинг*'], grapes: ['riesling'] },
  { patterns: ['malbec', 'мальбек*'], grapes: ['malbec'] },
  { patterns: ['syrah', 'shiraz', 'сира', 'шираз*'], grapes: ['syrah/shiraz', 'syrah', 'shiraz'] },
  { patterns: ['tempranillo', 'tinta roriz', 'aragonez', 'tinto fino', 'темпранильо', 'темпранийо'], grapes: ['tempranillo', 'tinta roriz', 'aragonez', 'tinto fino'] },
  { patterns: ['grenache', 'garnacha', 'гренаш*', 'гарнача'], grapes: ['grenache', 'garnacha', 'garnacha tinta'] },
  { patterns: ['sangiovese', 'санджовезе'], grapes: ['sangiovese'] },
  { patterns: ['nebbiolo', 'неббиоло'], grapes: ['nebbiolo'] },
  { patterns: ['pinot grigio', 'pinot gris', 'пино гриджо', 'пино гри'], grapes: ['pinot grigio', 'pinot gris'] },
  { patterns: ['pinot blanc', 'weissburgunder', 'пино блан'], grapes: ['pinot blanc', 'weissburgunder'] },
  { patterns: ['muscat', 'moscato', 'muscatel', 'мускат*', 'москато'], grapes: ['muscat', 'moscato', 'muscat blanc', 'muscat of alexandria', 'muscatel', 'moscato bianco', 'moscato giallo', 'gelber muskateller'] },
  { patterns: ['gewurztraminer', 'гевюрцтраминер*', 'траминер*'], grapes: ['gewurztraminer', 'traminer'] },
  { patterns: ['zinfandel', 'primitivo', 'зинфандел*', 'примитиво'], grapes: ['zinfandel', 'primitivo'] },
  { patterns: ['carmenere', 'карменер*'], grapes: ['carmenere'] },
  { patterns: ['chenin blanc', 'chenin', 'шенен блан', 'шенен'], grapes: ['chenin blanc'] },
  { patterns: ['gamay', 'гаме', 'гамэ'], grapes: ['gamay'] },
  { patterns: ['pinotage', 'пинотаж*'], grapes: ['pinotage'] },
  { patterns: ['viognier', 'вионье'], grapes: ['viognier'] },
  { patterns: ['barbera', 'барбера'], grapes: ['barbera'] },
  { patterns: ['glera', 'prosecco grape', 'глера'], grapes: ['glera', 'prosecco'] },
  { patterns: ['touriga nacional', 'турига насьонал*'], grapes: ['touriga nacional'] },
  { patterns: ['mourvedre', 'monastrell', 'мурведр*', 'монастрель'], grapes: ['mourvedre', 'monastrell'] },
  { patterns: ['carignan', 'carinena', 'кариньян*'], grapes: ['carignan', 'carinena'] },
  { patterns: ['albarino', 'alvarinho', 'альбариньо', 'алварину'], grapes: ['albarino', 'alvarinho'] },
  { patterns: ['gruner veltliner', 'грюнер*'], grapes: ['gruner veltliner'] },
  { patterns: ['tannat', 'таннат*'], grapes: ['tannat'] },
  { patterns: ['saperavi', 'саперави'], grapes: ['saperavi'] },
  { patterns: ['rkatsiteli', 'ркацители'], grapes: ['rkatsiteli'] },
  { patterns: ['semillon', 'семильон*'], grapes: ['semillon'] },
  { patterns: ['petit verdot', 'пти вердо'], grapes: ['petit verdot'] },
  { patterns: ['cinsault', 'сенсо'], grapes: ['cinsault'] },
  { patterns: ['furmint', 'фурминт*'], grapes: ['furmint'] },
  { patterns: ['krasnostop', 'красностоп*'], grapes: ['krasnostop zolotovsky'] },
];

export const VOCABULARY: readonly VocabularyEntry[] = [...FOODS, ...STYLES, ...COUNTRIES, ...REGIONS, ...GRAPES];

/** Query words that carry no meaning for ranking. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  [
    'a', 'an', 'the', 'and', 'or', 'for', 'with', 'to', 'of', 'in', 'on', 'at', 'by', 'from', 'as', 'is', 'are', 'be',
    'i', 'me', 'my', 'we', 'us', 'our', 'you', 'it', 'its', 'that', 'this', 'these', 'what', 'which', 'some',
    'something', 'anything', 'any', 'wine', 'wines', 'bottle', 'bottles', 'glass', 'want', 'need', 'like', 'would',
    'please', 'good', 'nice', 'great', 'go', 'goes', 'going', 'pair', 'pairs', 'pairing', 'match', 'recommend',
    'suggest', 'can', 'could', 'should', 'kind', 'sort', 'type', 'drink', 'drinking', 'serve', 'tonight', 'looking',
    'find', 'show', 'give', 'get', 'best', 'really', 'very', 'quite', 'well', 'too', 'also', 'bit', 'little',
    'и', 'или', 'а', 'но', 'для', 'с', 'со', 'к', 'ко', 'в', 'во', 'на', 'по', 'под', 'из', 'о', 'об', 'что', 'чтобы',
    'нибудь', 'то', 'какое', 'какой', 'какую', 'какие', 'вино', 'вина', 'вину', 'вином', 'винцо', 'бутылка', 'бутылку',
    'хочу', 'хотим', 'хотелось', 'бы', 'нужно', 'нужен', 'нужна', 'нужны', 'посоветуй', 'посоветуйте', 'подбери',
    'подберите', 'порекомендуй', 'порекомендуйте', 'мне', 'нам', 'я', 'мы', 'пожалуйста', 'хорошее', 'хороший',
    'хорошую', 'подойдет', 'подойдут', 'подходит', 'подходящее', 'есть', 'ли', 'можно', 'какое-нибудь', 'что-нибудь',
    'очень', 'самое', 'лучшее', 'бокал', 'выпить', 'попить', 'сегодня', 'вечером', 'это', 'этот', 'эту',
  ].map(fold),
);

interface CompiledPattern {
  tokens: { text: string; prefix: boolean }[];
  entry: VocabularyEntry;
}

/** English plurals and possessives fold onto the singular so "oysters" finds "oyster". */
export function singular(word: string): string {
  if (/[а-я]/.test(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

const COMPILED: CompiledPattern[] = VOCABULARY.flatMap((entry) =>
  entry.patterns.map((pattern) => ({
    entry,
    tokens: fold(pattern)
      .split(/\s+/)
      .map((token) =>
        token.endsWith('*')
          ? { text: token.slice(0, -1), prefix: true }
          : { text: singular(token.replace(/[^\p{L}\p{N}]/gu, '')), prefix: false },
      ),
  })),
).sort((a, b) => b.tokens.length - a.tokens.length);

function tokenMatches(pattern: { text: string; prefix: boolean }, word: string): boolean {
  return pattern.prefix ? word.startsWith(pattern.text) : singular(word) === pattern.text;
}

export interface PhraseMatch {
  /** The words of the text this match consumed. */
  words: string[];
  entries: VocabularyEntry[];
}

/**
 * Reads a text left to right, taking the longest vocabulary phrase at each word; words no entry knows
 * come back with `entries: []`. Stopwords are dropped.
 */
export function analyze(text: string): PhraseMatch[] {
  const input = words(text);
  const matches: PhraseMatch[] = [];
  let index = 0;
  while (index < input.length) {
    let best: { length: number; entries: VocabularyEntry[] } | null = null;
    for (const pattern of COMPILED) {
      const length = pattern.tokens.length;
      if (best && length < best.length) break;
      if (index + length > input.length) continue;
      const fits = pattern.tokens.every((token, offset) => tokenMatches(token, input[index + offset] ?? ''));
      if (!fits) continue;
      if (best) {
        if (!best.entries.includes(pattern.entry)) best.entries.push(pattern.entry);
      } else {
        best = { length, entries: [pattern.entry] };
      }
    }
    if (best) {
      matches.push({ words: input.slice(index, index + best.length), entries: best.entries });
      index += best.length;
      continue;
    }
    const word = input[index] ?? '';
    if (!STOPWORDS.has(word)) matches.push({ words: [word], entries: [] });
    index += 1;
  }
  return matches;
}

/** Filter values recur on every search ("red", "beef", "France"); their vocabulary lookups are kept. */
const WHOLE_TERM_CACHE_SIZE = 1000;
const wholeTermEntries = new Map<string, readonly VocabularyEntry[]>();

/** Entries whose pattern covers the whole text ("Пино Нуар", "Бордо", "стейку"), for filter values. */
export function entriesForWholeTerm(text: string): VocabularyEntry[] {
  let entries = wholeTermEntries.get(text);
  if (entries === undefined) {
    const matches = analyze(text);
    entries = matches.length === 1 ? (matches[0]?.entries ?? []) : [];
    if (wholeTermEntries.size >= WHOLE_TERM_CACHE_SIZE) wholeTermEntries.clear();
    wholeTermEntries.set(text, entries);
  }
  // A copy: callers may sort or extend their list without touching the cached one.
  return [...entries];
}

const PAIRING_CATEGORIES = new Set(FOODS.flatMap((entry) => entry.pairings ?? []));

/** Whether a folded term is itself one of the catalog's pairing categories ("game meat", "lean fish"). */
export function isPairingCategory(folded: string): boolean {
  return PAIRING_CATEGORIES.has(folded);
}

/** English food words for a pairing category, so a wine paired with "Shellfish" is found by "oysters". */
export function foodWordsForPairing(pairingKey: string): string[] {
  const found = new Set<string>();
  for (const entry of FOODS) {
    if (!entry.pairings?.includes(pairingKey)) continue;
    // Broad entries ("meat" → five categories) would tag every wine; only the specific ones describe it.
    if (entry.pairings.length > 3 && entry.pairings[0] !== pairingKey) continue;
    for (const pattern of entry.patterns) {
      if (!/[а-я*]/.test(pattern)) found.add(fold(pattern));
    }
  }
  return [...found];
}
