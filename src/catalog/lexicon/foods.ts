import { forms, NOUN } from './forms.js';
import type { Patterns } from './index.js';

/** How a dataset pairing (X-Wines `Harmonize`) reads in a reply, and which others count as it. */
export interface PairingInfo {
  /** Dataset pairings that count as this one when checking a wine ("Chicken" is Poultry). */
  satisfiedBy: string[];
  /** Russian, dative after "к": "к говядине". */
  ruTo: string;
  /** English noun phrase: "beef". */
  en: string;
}

// In search order: a food searched under more than three pairings describes only the first in wines' search text.
const CHEESES = ['Maturated Cheese', 'Hard Cheese', 'Soft Cheese', 'Goat Cheese', 'Blue Cheese', 'Cheese'] as const;
const SWEETS = ['Sweet Dessert', 'Dessert', 'Cake', 'Chocolate', 'Fruit Dessert', 'Soufflé', 'Cream'] as const;

const pairing = (ruTo: string, en: string, alsoSatisfiedBy: readonly string[] = []) => ({ ruTo, en, alsoSatisfiedBy });

const RAW_PAIRINGS = {
  Beef: pairing('говядине', 'beef', ['Barbecue']),
  Lamb: pairing('баранине', 'lamb'),
  'Game Meat': pairing('дичи', 'game', ['Duck']),
  Pork: pairing('свинине', 'pork'),
  Veal: pairing('телятине', 'veal'),
  Poultry: pairing('птице', 'poultry', ['Chicken', 'Duck']),
  Shellfish: pairing('морепродуктам', 'shellfish', ['Seafood']),
  'Rich Fish': pairing('жирной рыбе', 'rich fish', ['Fish']),
  'Lean Fish': pairing('нежирной рыбе', 'lean fish', ['Fish', 'Codfish']),
  Pasta: pairing('пасте', 'pasta', ['Pizza', 'Risotto', 'Tomato Dishes']),
  'Spicy Food': pairing('острым блюдам', 'spicy food'),
  Cheese: pairing('сырам', 'cheese', CHEESES),
  // The dataset's plain "Cheese" means any cheese, so it suits a request for a particular one.
  'Maturated Cheese': pairing('выдержанным сырам', 'aged cheese', ['Hard Cheese', 'Cheese']),
  'Hard Cheese': pairing('твёрдым сырам', 'hard cheese', ['Maturated Cheese', 'Cheese']),
  'Soft Cheese': pairing('мягким сырам', 'soft cheese', ['Cheese']),
  'Goat Cheese': pairing('козьему сыру', 'goat cheese', ['Cheese']),
  'Blue Cheese': pairing('сырам с плесенью', 'blue cheese', ['Cheese']),
  'Cured Meat': pairing('мясным деликатесам', 'cured meat', ['Ham', 'Cold Cuts']),
  Appetizer: pairing('закускам', 'appetizers', ['Aperitif', 'Snack', 'Cold Cuts', 'Cured Meat']),
  Snack: pairing('снекам', 'snacks', ['Appetizer', 'French Fries']),
  'Sweet Dessert': pairing('десертам', 'desserts', SWEETS),
  'Fruit Dessert': pairing('фруктовым десертам', 'fruit desserts', ['Fruit', 'Sweet Dessert']),
  Vegetarian: pairing('вегетарианским блюдам', 'vegetarian dishes', ['Salad']),
  Mushrooms: pairing('грибам', 'mushrooms'),
  Salad: pairing('салатам', 'salads', ['Vegetarian']),
  Fruit: pairing('фруктам', 'fruit', ['Fruit Dessert']),
  // The rarer dataset pairings only need display names.
  Seafood: pairing('морепродуктам', 'seafood', ['Shellfish']),
  Chicken: pairing('курице', 'chicken', ['Poultry']),
  Cake: pairing('торту', 'cake'),
  Fish: pairing('рыбе', 'fish', ['Lean Fish', 'Rich Fish', 'Codfish']),
  Grilled: pairing('блюдам на гриле', 'grilled dishes'),
  Aperitif: pairing('аперитиву', 'an aperitif'),
  Pizza: pairing('пицце', 'pizza'),
  Ham: pairing('ветчине', 'ham'),
  Chocolate: pairing('шоколаду', 'chocolate'),
  'Tomato Dishes': pairing('блюдам с томатами', 'tomato dishes'),
  Barbecue: pairing('барбекю', 'barbecue'),
  Risotto: pairing('ризотто', 'risotto'),
  'Light Stews': pairing('лёгкому рагу', 'light stews'),
  'Cold Cuts': pairing('мясной нарезке', 'cold cuts'),
  Codfish: pairing('треске', 'cod'),
  Soufflé: pairing('суфле', 'soufflé'),
  Cream: pairing('сливочным десертам', 'cream desserts'),
  Dessert: pairing('десертам', 'desserts'),
  'French Fries': pairing('картофелю фри', 'french fries'),
  Duck: pairing('утке', 'duck'),
};

/** A pairing category as the dataset spells it. */
export type PairingName = keyof typeof RAW_PAIRINGS;

/** Every pairing category of the dataset, by its dataset spelling. */
export const PAIRINGS: Record<string, PairingInfo> = Object.fromEntries(
  Object.entries(RAW_PAIRINGS).map(([name, { ruTo, en, alsoSatisfiedBy }]) => [
    name,
    { ruTo, en, satisfiedBy: [name, ...alsoSatisfiedBy] },
  ]),
);

/** How search finds wines for a food. */
export interface FoodSearch {
  /** Pairings under which a wine suits the food: what the catalog's pairing filter accepts. */
  pairings: readonly PairingName[];
  /** English terms looked up in the wines' full-text search text. */
  terms: readonly string[];
}

export interface Food extends Patterns {
  /** The one pairing a request for this food asks for. */
  pairing: PairingName;
  /** Russian phrase after "к": "стейку". */
  ruTo: string;
  /** English noun: "steak". */
  en: string;
  /** Generic words ("мясо", "fish") lose to specific ones ("стейк", "salmon") in the same message. */
  generic?: boolean;
  /**
   * A dish with a usual main ingredient (шашлык is pork, a steak beef): a meat or fish named with it wins
   * ("шашлык из курицы", "salmon steak", "kebab of lamb"); see `linkedIngredients`.
   */
  dish?: boolean;
  search: FoodSearch;
}

const food = (
  pairingName: PairingName,
  ruTo: string,
  en: string,
  words: string[],
  search: FoodSearch = { pairings: [pairingName], terms: [pairingName.toLowerCase()] },
  more: Pick<Food, 'generic' | 'searchOnly' | 'dish'> = {},
): Food => ({ pairing: pairingName, ruTo, en, words, search, ...more });

// Searches shared by several foods. A food without one is searched as its own pairing.
const MEAT: FoodSearch = { pairings: ['Beef', 'Lamb', 'Game Meat', 'Pork', 'Veal'], terms: ['meat'] };
const BEEF: FoodSearch = { pairings: ['Beef'], terms: ['beef', 'steak'] };
const GAME: FoodSearch = { pairings: ['Game Meat'], terms: ['game'] };
const DUCK: FoodSearch = { pairings: ['Duck', 'Game Meat', 'Poultry'], terms: ['duck', 'game'] };
const HAM: FoodSearch = { pairings: ['Ham', 'Pork', 'Cured Meat'], terms: ['ham', 'pork'] };
const CHARCUTERIE: FoodSearch = { pairings: ['Cured Meat', 'Cold Cuts', 'Ham'], terms: ['charcuterie', 'cured'] };
const POULTRY: FoodSearch = { pairings: ['Poultry', 'Chicken'], terms: ['poultry', 'chicken'] };
const BARBECUE: FoodSearch = { pairings: ['Barbecue', 'Grilled', 'Beef', 'Lamb', 'Pork'], terms: ['barbecue', 'grilled', 'lamb', 'beef'] };
const ANY_FISH: FoodSearch = { pairings: ['Rich Fish', 'Lean Fish', 'Fish', 'Codfish', 'Seafood'], terms: ['fish'] };
const RICH_FISH: FoodSearch = { pairings: ['Rich Fish', 'Fish'], terms: ['fish', 'salmon'] };
const LEAN_FISH: FoodSearch = { pairings: ['Lean Fish', 'Codfish', 'Fish'], terms: ['fish', 'cod'] };
const SHELLFISH: FoodSearch = { pairings: ['Shellfish', 'Seafood'], terms: ['shellfish', 'seafood', 'oyster'] };
const SUSHI: FoodSearch = { pairings: ['Lean Fish', 'Rich Fish', 'Shellfish', 'Seafood'], terms: ['sushi', 'fish'] };
const CHEESE: FoodSearch = { pairings: CHEESES, terms: ['cheese'] };
const HARD_CHEESE: FoodSearch = { pairings: ['Hard Cheese', 'Maturated Cheese', 'Cheese'], terms: ['cheese'] };
const SOFT_CHEESE: FoodSearch = { pairings: ['Soft Cheese', 'Cheese'], terms: ['cheese'] };
const GOAT_CHEESE: FoodSearch = { pairings: ['Goat Cheese', 'Cheese'], terms: ['goat cheese'] };
const BLUE_CHEESE: FoodSearch = { pairings: ['Blue Cheese', 'Cheese'], terms: ['blue cheese'] };
const PIZZA: FoodSearch = { pairings: ['Pizza', 'Tomato Dishes', 'Pasta'], terms: ['pizza'] };
const RISOTTO: FoodSearch = { pairings: ['Risotto', 'Pasta'], terms: ['risotto', 'pasta'] };
const SPICY: FoodSearch = { pairings: ['Spicy Food'], terms: ['spicy'] };
const VEGETARIAN: FoodSearch = { pairings: ['Vegetarian', 'Salad'], terms: ['vegetarian', 'vegetables'] };
const SALAD: FoodSearch = { pairings: ['Salad', 'Vegetarian'], terms: ['salad'] };
const DESSERT: FoodSearch = { pairings: ['Sweet Dessert', 'Fruit Dessert', 'Cake', 'Dessert'], terms: ['dessert'] };
const CHOCOLATE: FoodSearch = { pairings: ['Chocolate', 'Sweet Dessert'], terms: ['chocolate', 'dessert'] };
const FRUIT: FoodSearch = { pairings: ['Fruit', 'Fruit Dessert'], terms: ['fruit'] };
const APPETIZER: FoodSearch = { pairings: ['Appetizer', 'Snack', 'Cold Cuts', 'Cured Meat'], terms: ['appetizer'] };
const APERITIF: FoodSearch = { pairings: ['Aperitif', 'Appetizer'], terms: ['aperitif'] };
const FRIES: FoodSearch = { pairings: ['French Fries', 'Snack'], terms: ['fries'] };

/**
 * Readers take the longest phrase at each word, so "белая рыба" is a food before "белая" is a colour. When
 * two entries match the same words, the earlier one names the food in replies. Several entries may share a
 * pairing and a name for replies and differ only in how they are searched.
 */
export const FOODS: readonly Food[] = [
  // Phrases first.
  food('Beef', 'красному мясу', 'red meat', ['красн* мяс*', 'red meat'], MEAT),
  food('Poultry', 'белому мясу', 'white meat', ['бел* мяс*', 'white meat'], POULTRY),
  food('Lean Fish', 'белой рыбе', 'white fish', ['бел* рыб*', 'white fish', 'whitefish'], LEAN_FISH),
  food('Rich Fish', 'жирной рыбе', 'oily fish', ['жирн* рыб*', 'oily fish', 'fatty fish', 'rich fish']),
  food('Mushrooms', 'белым грибам', 'porcini', ['бел* гриб*', 'porcini']),
  food('Blue Cheese', 'сыру с плесенью', 'blue cheese', ['голуб* сыр*', 'сыр* с плесень*', 'сыр* с голуб* плесень*', 'плесень*', 'горгонзол*', 'рокфор*', 'стилтон*', 'дор блю', 'дорблю', 'blue cheese', 'gorgonzola', 'roquefort', 'stilton'], BLUE_CHEESE),
  food('Goat Cheese', 'козьему сыру', 'goat cheese', ['коз* сыр*', 'козий', 'козь*', 'шевр*', 'goat cheese', 'chevre'], GOAT_CHEESE),
  food('Soft Cheese', 'мягким сырам', 'soft cheese', ['мягк* сыр*', 'бри', 'камамбер*', 'моцарелл*', 'буррат*', 'рикотт*', 'soft cheese', 'brie', 'camembert', 'mozzarella', 'burrata', 'ricotta'], SOFT_CHEESE),
  food('Hard Cheese', 'твёрдым сырам', 'hard cheese', ['тверд* сыр*', 'пармезан*', 'пармиджан*', 'пекорино', 'грана падано', 'чеддер*', 'гауд*', 'комте', 'манчего', 'hard cheese', 'parmesan', 'parmigiano', 'pecorino', 'grana padano', 'cheddar', 'gouda', 'comte', 'manchego'], HARD_CHEESE),
  food('Maturated Cheese', 'выдержанным сырам', 'aged cheese', ['выдержанн* сыр*', 'aged cheese', 'mature cheese', 'matured cheese', 'maturated cheese']),
  food('Sweet Dessert', 'чизкейку', 'cheesecake', ['чизкейк*', 'cheesecake'], DESSERT),
  food('Fruit Dessert', 'фруктовому десерту', 'fruit dessert', ['фруктов* десерт*', 'ягодн* десерт*', 'фруктов* пирог*', 'яблочн* пирог*', 'штрудел*', 'fruit dessert', 'fruit tart', 'berry dessert', 'apple pie', 'strudel']),
  food('Cured Meat', 'мясной нарезке', 'charcuterie', ['мясн* нарезк*', 'мясн* тарелк*', 'нарезк*', 'хамон*', 'прошутто', 'салями', 'колбас*', 'чоризо', 'jamon', 'prosciutto', 'salami', 'charcuterie', 'cold cuts', 'chorizo', 'cured meat'], CHARCUTERIE),
  food('Cured Meat', 'мясной нарезке', 'charcuterie', ['ветчин*', 'бекон*', 'окорок*', 'ham', 'bacon'], HAM),
  food('Spicy Food', 'острым блюдам', 'spicy food', ['тайск* кухн*', 'индийск* кухн*', 'азиатск* кухн*', 'мексиканск* кухн*', 'thai food', 'indian food', 'asian food', 'mexican food', 'thai curry'], SPICY),
  food('Sweet Dessert', 'сладкому', 'something sweet', ['к сладкому', 'под сладкое', 'со сладким', 'something sweet'], DESSERT),
  food('Pork', 'свиным рёбрышкам', 'pork ribs', ['свин* ребр*', 'pork ribs', 'pulled pork', 'pork chop', 'pork belly']),
  food('Lamb', 'каре ягнёнка', 'rack of lamb', ['каре ягнен*', 'rack of lamb']),
  food('Lamb', 'бараньим отбивным', 'lamb chops', ['баранья|бараньи|бараньим отбивн*', 'lamb chop']),

  // Single words.
  food('Beef', 'стейку', 'steak', ['стейк*', 'антрекот*', 'рибай*', 'тартар*', 'филе миньон', 'steak', 'ribeye', 'rib eye', 'sirloin', 'filet mignon', 'tartare'], BEEF, { dish: true }),
  food('Beef', 'говядине', 'beef', ['говядин*', 'говяж*', 'бифштекс*', 'ростбиф*', 'beef', 'roast beef', 'brisket'], BEEF),
  food('Beef', 'бургеру', 'burger', ['бургер*', 'гамбургер*', 'чизбургер*', 'burger', 'hamburger', 'cheeseburger'], BEEF, { dish: true }),
  food('Beef', 'гуляшу', 'goulash', ['гуляш*', 'пельмен*', 'котлет*', 'голубц*', 'goulash', 'meatball', 'stew'], { pairings: ['Beef'], terms: ['beef'] }, { dish: true }),
  food('Lamb', 'баранине', 'lamb', ['баран*', 'барашк*', 'ягнен*', 'ягнят*', 'lamb', 'mutton']),
  food('Lamb', 'плову', 'pilaf', ['плов*', 'pilaf', 'plov'], { pairings: ['Lamb'], terms: ['lamb'] }, { dish: true }),
  food('Lamb', 'хинкали', 'khinkali', ['хинкал*', 'khinkali'], { pairings: ['Lamb', 'Beef'], terms: ['lamb', 'beef'] }, { dish: true }),
  food('Game Meat', 'дичи', 'game', ['дичь', 'дичи', 'дичью', 'оленин*', 'кабан*', 'лосятин*', 'зайчатин*', 'заяц', 'зайца', 'кролик*', 'крольчатин*', 'фазан*', 'рябчик*', 'venison', 'game', 'wild boar', 'boar', 'rabbit', 'hare', 'pheasant', 'elk', 'moose'], GAME),
  food('Pork', 'свинине', 'pork', ['свин*', 'рульк*', 'карбонад*', 'буженин*', 'pork']),
  food('Pork', 'рёбрышкам', 'ribs', ['ребрышк*', 'ребр*', 'ribs', 'spare ribs'], { pairings: ['Pork', 'Barbecue'], terms: ['pork', 'barbecue'] }, { dish: true }),
  // Шашлык is pork unless said otherwise; search looks for it, kebabs and sausages as barbecue and charcuterie.
  food('Pork', 'шашлыку', 'shashlik', ['шашлык*', 'shashlik'], BARBECUE, { dish: true }),
  food('Beef', 'кебабу', 'kebab', ['кебаб*', 'шаурм*', 'kebab', 'shish kebab', 'skewers'], BARBECUE, { dish: true }),
  food('Pork', 'колбаскам', 'sausages', ['сосиск*', 'колбаск*', 'sausage', 'bratwurst'], CHARCUTERIE, { dish: true }),
  food('Veal', 'телятине', 'veal', ['телятин*', 'теляч*', 'оссобуко', 'шницел*', 'veal', 'osso buco', 'ossobuco', 'schnitzel']),
  food('Poultry', 'курице', 'chicken', ['куриц*', 'курин*', 'курочк*', 'цыпл*', 'chicken', 'roast chicken'], POULTRY),
  food('Poultry', 'индейке', 'turkey', ['индейк*', 'индюш*', 'turkey'], POULTRY),
  // "Гус*" would also read "густое" (dense), so the goose comes in its case forms.
  food('Poultry', 'утке', 'duck', ['утк*', 'утин*', 'утят*', 'гусь', 'гуся', 'гусем', 'гусю', 'гусе', 'гусин*', 'перепел*', 'duck', 'duck breast', 'goose', 'quail'], DUCK),
  food('Poultry', 'птице', 'poultry', ['птиц*', 'poultry', 'fowl'], POULTRY),
  food('Shellfish', 'устрицам', 'oysters', ['устриц*', 'oyster'], SHELLFISH),
  food('Shellfish', 'мидиям', 'mussels', ['миди*', 'mussel'], SHELLFISH),
  food('Shellfish', 'креветкам', 'shrimp', ['креветк*', 'лангустин*', 'shrimp', 'prawn', 'langoustine'], SHELLFISH),
  food('Shellfish', 'лобстеру', 'lobster', ['омар*', 'лобстер*', 'лангуст*', 'краб*', 'гребешк*', 'lobster', 'crab', 'scallop', 'clam'], SHELLFISH),
  food('Shellfish', 'морепродуктам', 'seafood', ['морепродукт*', 'море продукт*', 'морск* гад*', 'кальмар*', 'осьминог*', 'раки', 'раков', 'раками', 'ракам', 'seafood', 'sea food', 'shellfish', 'calamari', 'squid', 'octopus', 'crayfish', 'fruits de mer', 'frutti di mare'], SHELLFISH),
  food('Rich Fish', 'лососю', 'salmon', ['лосос*', 'семг*', 'семуж*', 'форел*', 'кижуч*', 'нерк*', 'salmon', 'trout'], RICH_FISH),
  food('Rich Fish', 'тунцу', 'tuna', ['тунц*', 'тунец', 'скумбри*', 'сельд*', 'селедк*', 'угор*', 'угря', 'угрем', 'сардин*', 'tuna', 'mackerel', 'herring', 'eel', 'sardine', 'anchov*'], RICH_FISH),
  food('Fish', 'суши', 'sushi', ['суши', 'роллы', 'роллам', 'роллов', 'сашими', 'sushi', 'sashimi', 'rolls'], SUSHI),
  food('Lean Fish', 'треске', 'cod', ['треск*', 'судак*', 'сибас*', 'дорад*', 'палтус*', 'камбал*', 'щук*', 'окун*', 'тилапи*', 'хек*', 'минта*', 'cod', 'sea bass', 'seabass', 'bass', 'dorado', 'sea bream', 'bream', 'halibut', 'sole', 'pike', 'perch', 'tilapia', 'haddock', 'turbot', 'fish and chips'], LEAN_FISH),
  // "Паст*" would also read пастила and пастеризованное.
  food('Pasta', 'пасте', 'pasta', ['паста', 'пасты', 'пасте', 'пасту', 'пастой', 'пастам', 'пастами', 'пастах', 'спагетти', 'лазань*', 'равиоли', 'карбонар*', 'болоньез*', 'феттучин*', 'тальятелл*', 'ньокки', 'пенне', 'макарон*', 'pasta', 'spaghetti', 'lasagna', 'lasagne', 'ravioli', 'carbonara', 'bolognese', 'fettuccine', 'tagliatelle', 'gnocchi', 'penne', 'macaroni']),
  food('Pasta', 'пицце', 'pizza', ['пицц*', 'pizza'], PIZZA),
  food('Pasta', 'ризотто', 'risotto', ['ризотто', 'risotto'], RISOTTO),
  // "Остр*" would also read остров (island) and острота (wit).
  food('Spicy Food', 'острым блюдам', 'spicy food', ['острое', 'острой', 'острая', 'острую', 'острым', 'острые', 'острых', 'острыми', 'острый', 'острого', 'острому', 'остром', 'остреньк*', 'пикантн*', 'тайск*', 'индийск*', 'карри', 'spicy', 'curry', 'hot food', 'szechuan', 'sichuan', 'thai', 'indian', 'chili', 'taco'], SPICY, { searchOnly: ['мексиканск*', 'mexican'] }),
  food('Cheese', 'сыру', 'cheese', ['сыр', 'сыра', 'сыру', 'сыром', 'сыре', 'сыры', 'сыров', 'сырам', 'сырами', 'сырах', 'сырн* тарелк*', 'сырн* ассорти', 'сырн*', 'cheese', 'cheese plate', 'cheese board'], CHEESE, { generic: true }),
  food('Appetizer', 'закускам', 'appetizers', ['закуск*', 'канапе', 'тапас*', 'брускетт*', 'антипаст*', 'фуршет*', 'appetizer', 'starter', 'canape', 'tapas', 'bruschetta', 'antipasti', 'antipasto', 'finger food', 'hors d oeuvre'], APPETIZER),
  food('Appetizer', 'закускам', 'appetizers', ['аперитив*', 'aperitif', 'aperitivo'], APERITIF),
  // Plain "crisps" would fold onto "crisp", the acidity word.
  food('Snack', 'снекам', 'snacks', ['снек*', 'чипс*', 'орешк*', 'орех*', 'попкорн*', 'крекер*', 'snack', 'chips', 'potato crisps', 'nuts', 'popcorn', 'crackers', 'pretzel']),
  // Plain "fries" folds onto "fry", as in a stir-fry.
  food('Snack', 'картофелю фри', 'french fries', ['фри', 'картошк* фри', 'картофел* фри', 'french fries'], FRIES, { searchOnly: ['картошк*', 'картофел*', 'fries'] }),
  food('Sweet Dessert', 'десерту', 'dessert', [forms('десерт', NOUN), 'dessert'], DESSERT, { generic: true }),
  food('Sweet Dessert', 'шоколаду', 'chocolate', ['шоколад*', 'chocolate'], CHOCOLATE),
  // "Торт*" would also read тортилья and тортеллини.
  food('Sweet Dessert', 'шоколаду', 'chocolate', ['тирамису', 'торт', 'торта', 'торту', 'тортом', 'торте', 'торты', 'тортов', 'тортам', 'тортами', 'тортах', 'тортик*', 'пирожн*', 'морожен*', 'выпечк*', 'пирог*', 'крем брюле', 'tiramisu', 'cake', 'ice cream', 'pastry', 'pie', 'brownie', 'brownies', 'creme brulee', 'macaron'], DESSERT),
  // Nouns only: "фруктовое", "ягодное" describe a wine's taste, not the food it goes with.
  food('Fruit', 'фруктам', 'fruit', ['фрукт', 'фрукта', 'фрукту', 'фруктом', 'фрукте', 'фрукты', 'фруктов', 'фруктам', 'фруктами', 'фруктах', 'ягода', 'ягоды', 'ягоде', 'ягоду', 'ягодой', 'ягод', 'ягодам', 'ягодами', 'ягодах', 'ягодк*', 'клубник*', 'fruit', 'berries', 'strawberries'], FRUIT),
  food('Vegetarian', 'овощам', 'vegetables', ['вегетариан*', 'веган*', 'овощ*', 'тофу', 'постн*', 'vegetarian', 'vegan', 'veggie', 'veggies', 'vegetable', 'tofu', 'plant based'], VEGETARIAN),
  food('Mushrooms', 'грибам', 'mushrooms', ['гриб*', 'трюфел*', 'лисичк*', 'шампиньон*', 'mushroom', 'truffle', 'chanterelle']),
  food('Salad', 'салату', 'salad', ['салат*', 'salad'], SALAD),
  // Generic words last and weak: "мясо" or "fish" only decide when nothing more specific was said.
  // "Мяс*" would also read мясистое (meaty), a wine's style.
  food('Beef', 'мясу', 'meat', ['мясо', 'мяса', 'мясу', 'мясом', 'мясе', 'мясн*', 'meat'], MEAT, { generic: true }),
  food('Beef', 'барбекю', 'barbecue', ['барбекю', 'гриль', 'гриле', 'мангал*', 'bbq', 'barbecue', 'grill', 'grilled'], BARBECUE, { generic: true }),
  food('Fish', 'рыбе', 'fish', ['рыб*', 'fish'], ANY_FISH, { generic: true }),
];

/** Whether a food named with a dish says what the dish is made of: a meat, a fish or a vegetable, not "meat" or "grilled". */
function madeOf(food: Food): boolean {
  return !food.dish && food.search !== MEAT && food.search !== BARBECUE;
}

export interface FoodPhrase {
  food: Food;
  /** First word index and length in words. */
  at: number;
  length: number;
}

/**
 * The dishes whose usual ingredient the person overrode: a meat or fish right before the dish ("salmon
 * steak", "куриный шашлык"), right after it ("стейк лосося"), or after a link word ("шашлык из баранины",
 * "kebab of lamb", one more word allowed: "из молодой баранины"). `linkAt(i)` is the length of a link word
 * phrase starting at word i, or 0. Returns the dish phrases to disregard.
 */
export function overriddenDishes(phrases: readonly FoodPhrase[], linkAt: (index: number) => number): Set<FoodPhrase> {
  const overridden = new Set<FoodPhrase>();
  for (const dish of phrases) {
    if (!dish.food.dish) continue;
    const end = dish.at + dish.length;
    const link = linkAt(end);
    const linked = phrases.some(
      (other) =>
        other !== dish &&
        madeOf(other.food) &&
        other.food.pairing !== dish.food.pairing &&
        (other.at + other.length === dish.at || other.at === end || (link > 0 && other.at >= end + link && other.at <= end + link + 1)),
    );
    if (linked) overridden.add(dish);
  }
  return overridden;
}
