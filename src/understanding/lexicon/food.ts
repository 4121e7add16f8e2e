import { normalize, wordPattern } from '../text.js';

/** How the dataset's pairings (X-Wines `Harmonize`) read in a reply. */
export interface PairingInfo {
  /** Dataset pairings that count as this one when checking a wine ("Chicken" is Poultry). */
  satisfiedBy: string[];
  /** Russian, dative after "к": "к говядине". */
  ruTo: string;
  /** English noun phrase: "beef". */
  en: string;
}

const CHEESES = ['Cheese', 'Maturated Cheese', 'Hard Cheese', 'Soft Cheese', 'Goat Cheese', 'Blue Cheese'];
const SWEETS = ['Sweet Dessert', 'Dessert', 'Cake', 'Chocolate', 'Fruit Dessert', 'Soufflé', 'Cream'];

const info = (ruTo: string, en: string, satisfiedBy: string[] = []): Omit<PairingInfo, 'satisfiedBy'> & { extra: string[] } => ({
  ruTo,
  en,
  extra: satisfiedBy,
});

const RAW_PAIRINGS: Record<string, ReturnType<typeof info>> = {
  Beef: info('говядине', 'beef', ['Barbecue']),
  Lamb: info('баранине', 'lamb'),
  'Game Meat': info('дичи', 'game', ['Duck']),
  Pork: info('свинине', 'pork'),
  Veal: info('телятине', 'veal'),
  Poultry: info('птице', 'poultry', ['Chicken', 'Duck']),
  Shellfish: info('морепродуктам', 'shellfish', ['Seafood']),
  'Rich Fish': info('жирной рыбе', 'rich fish', ['Fish']),
  'Lean Fish': info('нежирной рыбе', 'lean fish', ['Fish', 'Codfish']),
  Pasta: info('пасте', 'pasta', ['Pizza', 'Risotto', 'Tomato Dishes']),
  'Spicy Food': info('острым блюдам', 'spicy food'),
  Cheese: info('сырам', 'cheese', CHEESES),
  // The dataset's plain "Cheese" means any cheese, so it suits a request for a particular one.
  'Maturated Cheese': info('выдержанным сырам', 'aged cheese', ['Hard Cheese', 'Cheese']),
  'Hard Cheese': info('твёрдым сырам', 'hard cheese', ['Maturated Cheese', 'Cheese']),
  'Soft Cheese': info('мягким сырам', 'soft cheese', ['Cheese']),
  'Goat Cheese': info('козьему сыру', 'goat cheese', ['Cheese']),
  'Blue Cheese': info('сырам с плесенью', 'blue cheese', ['Cheese']),
  'Cured Meat': info('мясным деликатесам', 'cured meat', ['Ham', 'Cold Cuts']),
  Appetizer: info('закускам', 'appetizers', ['Aperitif', 'Snack', 'Cold Cuts', 'Cured Meat']),
  Snack: info('снекам', 'snacks', ['Appetizer', 'French Fries']),
  'Sweet Dessert': info('десертам', 'desserts', SWEETS),
  'Fruit Dessert': info('фруктовым десертам', 'fruit desserts', ['Fruit', 'Sweet Dessert']),
  Vegetarian: info('вегетарианским блюдам', 'vegetarian dishes', ['Salad']),
  Mushrooms: info('грибам', 'mushrooms'),
  Salad: info('салатам', 'salads', ['Vegetarian']),
  Fruit: info('фруктам', 'fruit', ['Fruit Dessert']),
  // The rarer dataset pairings only need display names.
  Seafood: info('морепродуктам', 'seafood', ['Shellfish']),
  Chicken: info('курице', 'chicken', ['Poultry']),
  Cake: info('торту', 'cake'),
  Fish: info('рыбе', 'fish', ['Lean Fish', 'Rich Fish', 'Codfish']),
  Grilled: info('блюдам на гриле', 'grilled dishes'),
  Aperitif: info('аперитиву', 'an aperitif'),
  Pizza: info('пицце', 'pizza'),
  Ham: info('ветчине', 'ham'),
  Chocolate: info('шоколаду', 'chocolate'),
  'Tomato Dishes': info('блюдам с томатами', 'tomato dishes'),
  Barbecue: info('барбекю', 'barbecue'),
  Risotto: info('ризотто', 'risotto'),
  'Light Stews': info('лёгкому рагу', 'light stews'),
  'Cold Cuts': info('мясной нарезке', 'cold cuts'),
  Codfish: info('треске', 'cod'),
  Soufflé: info('суфле', 'soufflé'),
  Cream: info('сливочным десертам', 'cream desserts'),
  Dessert: info('десертам', 'desserts'),
  'French Fries': info('картофелю фри', 'french fries'),
  Duck: info('утке', 'duck'),
};

export const PAIRINGS: Record<string, PairingInfo> = Object.fromEntries(
  Object.entries(RAW_PAIRINGS).map(([name, { ruTo, en, extra }]) => [name, { ruTo, en, satisfiedBy: [name, ...extra] }]),
);

export interface FoodEntry {
  /** Canonical dataset pairing. */
  pairing: string;
  pattern: RegExp;
  /** Generic words ("мясо", "fish") lose to specific ones ("стейк", "salmon") in the same message. */
  weight: 1 | 2;
  /** Russian phrase after "к": "стейку". */
  ruTo: string;
  /** English noun: "steak". */
  en: string;
}

const food = (pairing: string, ruTo: string, en: string, patterns: string[], weight: 1 | 2 = 2): FoodEntry => ({
  pairing,
  ruTo,
  en,
  pattern: wordPattern(...patterns),
  weight,
});

/**
 * Order matters: phrases that contain a colour or another food ("белая рыба", "красное мясо", "стейк из
 * лосося", "cheesecake") come before the words they contain, so they are read and blanked out first.
 */
export const FOODS: FoodEntry[] = [
  // Phrases first.
  food('Rich Fish', 'стейку из рыбы', 'fish steak', ['стейк* из (лосос*|семг*|тунц*|тунца|форел*|рыб*)', '(salmon|tuna|swordfish|fish) steaks?']),
  food('Beef', 'красному мясу', 'red meat', ['красн* мяс*', 'red meat']),
  food('Poultry', 'белому мясу', 'white meat', ['бел* мяс*', 'white meat']),
  food('Lean Fish', 'белой рыбе', 'white fish', ['бел* рыб*', 'white fish', 'whitefish']),
  food('Rich Fish', 'жирной рыбе', 'oily fish', ['жирн* рыб*', 'oily fish', 'fatty fish', 'rich fish']),
  food('Mushrooms', 'белым грибам', 'porcini', ['бел* гриб*', 'porcini']),
  food('Blue Cheese', 'сыру с плесенью', 'blue cheese', ['голуб* сыр*', 'сыр* с (голуб* )?плесень*', 'горгонзол*', 'рокфор*', 'стилтон*', 'дор блю', 'дорблю', 'blue cheeses?', 'gorgonzola', 'roquefort', 'stilton']),
  food('Goat Cheese', 'козьему сыру', 'goat cheese', ['коз* сыр*', 'шевр*', 'goats? cheeses?', 'chevre']),
  food('Soft Cheese', 'мягким сырам', 'soft cheese', ['мягк* сыр*', 'бри', 'камамбер*', 'моцарелл*', 'буррат*', 'рикотт*', 'soft cheeses?', 'brie', 'camembert', 'mozzarella', 'burrata', 'ricotta']),
  food('Hard Cheese', 'твёрдым сырам', 'hard cheese', ['тверд* сыр*', 'пармезан*', 'пармиджан*', 'пекорино', 'грана падано', 'чеддер*', 'гауд*', 'комте', 'манчего', 'hard cheeses?', 'parmesan', 'parmigiano', 'pecorino', 'grana padano', 'cheddar', 'gouda', 'comte', 'manchego']),
  food('Maturated Cheese', 'выдержанным сырам', 'aged cheese', ['выдержанн* сыр*', 'aged cheeses?', 'matured? cheeses?', 'maturated cheeses?']),
  food('Sweet Dessert', 'чизкейку', 'cheesecake', ['чизкейк*', 'cheesecakes?']),
  food('Fruit Dessert', 'фруктовому десерту', 'fruit dessert', ['фруктов* десерт*', 'ягодн* десерт*', 'фруктов* пирог*', 'яблочн* пирог*', 'штрудел*', 'fruit desserts?', 'fruit tarts?', 'berry desserts?', 'apple pie', 'strudel']),
  food('Cured Meat', 'мясной нарезке', 'charcuterie', ['мясн* нарезк*', 'мясн* тарелк*', 'нарезк*', 'хамон*', 'прошутто', 'салями', 'колбас*', 'ветчин*', 'бекон*', 'чоризо', 'jamon', 'prosciutto', 'salami', 'charcuterie', 'ham', 'bacon', 'cold cuts', 'chorizo']),
  food('Spicy Food', 'острым блюдам', 'spicy food', ['тайск* кухн*', 'индийск* кухн*', 'азиатск* кухн*', 'мексиканск* кухн*', 'thai food', 'indian food', 'asian food', 'mexican food', 'thai curry']),
  food('Sweet Dessert', 'сладкому', 'something sweet', ['к сладкому', 'под сладкое', 'со сладким', 'something sweet']),
  food('Pork', 'свиным рёбрышкам', 'pork ribs', ['свин* ребр*', 'pork ribs', 'pulled pork', 'pork chops?', 'pork belly']),
  food('Lamb', 'каре ягнёнка', 'rack of lamb', ['каре ягнен*', 'rack of lamb', 'lamb chops?']),

  // Single words.
  food('Beef', 'стейку', 'steak', ['стейк*', 'steaks?', 'ribeye', 'rib eye', 'sirloin', 'рибай*', 'филе миньон', 'filet mignon', 'тартар*', 'tartare']),
  food('Beef', 'говядине', 'beef', ['говядин*', 'говяж*', 'бифштекс*', 'ростбиф*', 'beef', 'roast beef', 'brisket']),
  food('Beef', 'бургеру', 'burger', ['бургер*', 'гамбургер*', 'чизбургер*', 'burgers?', 'hamburgers?', 'cheeseburgers?']),
  food('Beef', 'гуляшу', 'goulash', ['гуляш*', 'пельмен*', 'котлет*', 'голубц*', 'goulash', 'meatballs?']),
  food('Lamb', 'баранине', 'lamb', ['баранин*', 'ягнятин*', 'ягнен*', 'баран*', 'плов*', 'хинкал*', 'lamb', 'mutton']),
  food('Game Meat', 'дичи', 'game', ['дичь', 'дичи', 'дичью', 'оленин*', 'кабан*', 'кабанятин*', 'лосятин*', 'зайчатин*', 'заяц', 'зайца', 'кролик*', 'крольчатин*', 'фазан*', 'рябчик*', 'venison', 'game', 'wild boar', 'boar', 'rabbit', 'hare', 'pheasant', 'elk', 'moose']),
  food('Pork', 'свинине', 'pork', ['свинин*', 'свин*', 'шашлык*', 'рульк*', 'ребрышк*', 'карбонад*', 'буженин*', 'pork', 'ribs', 'spare ribs', 'sausages?', 'колбаск*']),
  food('Veal', 'телятине', 'veal', ['телятин*', 'теляч*', 'оссобуко', 'veal', 'osso buco', 'ossobuco', 'schnitzel', 'шницел*']),
  food('Poultry', 'курице', 'chicken', ['куриц*', 'курин*', 'курочк*', 'цыплен*', 'цыплят*', 'chicken', 'roast chicken']),
  food('Poultry', 'индейке', 'turkey', ['индейк*', 'индюш*', 'turkey']),
  food('Poultry', 'утке', 'duck', ['утк(а|и|е|у|ой)', 'утин*', 'утят*', 'duck', 'duck breast', 'гус(ь|я|ем|ю|е)', 'гусин*', 'goose', 'перепел*', 'quail']),
  food('Poultry', 'птице', 'poultry', ['птиц*', 'poultry', 'fowl']),
  food('Shellfish', 'устрицам', 'oysters', ['устриц*', 'oysters?']),
  food('Shellfish', 'мидиям', 'mussels', ['мид(ии|ий|иям|иями|иях|ия)', 'mussels?']),
  food('Shellfish', 'креветкам', 'shrimp', ['креветк*', 'лангустин*', 'shrimps?', 'prawns?', 'langoustines?']),
  food('Shellfish', 'лобстеру', 'lobster', ['омар*', 'лобстер*', 'лангуст*', 'краб*', 'гребешк*', 'lobsters?', 'crabs?', 'scallops?', 'clams?']),
  food('Shellfish', 'морепродуктам', 'seafood', ['морепродукт*', 'море продукт*', 'морск* гад*', 'кальмар*', 'осьминог*', 'рак(и|ов|ами|ам)', 'seafood', 'sea food', 'shellfish', 'calamari', 'squid', 'octopus', 'crayfish', 'fruits de mer', 'frutti di mare']),
  food('Rich Fish', 'лососю', 'salmon', ['лосос*', 'семг*', 'форел*', 'кижуч*', 'нерк*', 'salmon', 'trout']),
  food('Rich Fish', 'тунцу', 'tuna', ['тунц*', 'тунец', 'скумбри*', 'сельд*', 'селедк*', 'угор*', 'угря', 'угрем', 'сардин*', 'tuna', 'mackerel', 'herring', 'eel', 'sardines?', 'anchov*']),
  food('Fish', 'суши', 'sushi', ['суши', 'ролл(ы|ам|ов)', 'сашими', 'sushi', 'sashimi', 'rolls']),
  food('Lean Fish', 'треске', 'cod', ['треск(а|и|е|у|ой)', 'судак*', 'сибас*', 'дорад*', 'палтус*', 'камбал*', 'щук*', 'окун*', 'тилапи*', 'хек*', 'минта*', 'cod', 'sea bass', 'seabass', 'bass', 'dorado', 'sea bream', 'bream', 'halibut', 'sole', 'pike', 'perch', 'tilapia', 'haddock', 'turbot', 'fish and chips']),
  food('Pasta', 'пасте', 'pasta', ['паст(а|ы|е|у|ой)', 'спагетти', 'лазань*', 'равиоли', 'карбонар*', 'болоньез*', 'феттучин*', 'тальятелл*', 'ньокки', 'пенне', 'макарон*', 'pasta', 'spaghetti', 'lasagna', 'lasagne', 'ravioli', 'carbonara', 'bolognese', 'fettuccine', 'tagliatelle', 'gnocchi', 'penne', 'macaroni']),
  food('Pasta', 'пицце', 'pizza', ['пицц*', 'pizzas?']),
  food('Pasta', 'ризотто', 'risotto', ['ризотто', 'risotto']),
  food('Spicy Food', 'острым блюдам', 'spicy food', ['остр(ое|ой|ая|ую|ым|ые|ых|ыми|еньк*)', 'карри', 'spicy', 'curry', 'curries', 'hot food', 'szechuan', 'sichuan', 'thai', 'indian', 'tacos?']),
  food('Cheese', 'сыру', 'cheese', ['сыр', 'сыра', 'сыру', 'сыром', 'сыре', 'сыры', 'сыров', 'сырам', 'сырами', 'сырах', 'сырн* тарелк*', 'сырн* ассорти', 'сырн*', 'cheeses?', 'cheese (plate|board)s?'], 1),
  food('Appetizer', 'закускам', 'appetizers', ['закуск*', 'канапе', 'тапас', 'брускетт*', 'антипаст*', 'аперитив*', 'фуршет*', 'appetizers?', 'starters?', 'canapes?', 'tapas', 'bruschetta', 'antipasti', 'antipasto', 'aperitifs?', 'aperitivo', 'finger food', 'hors d oeuvres?']),
  food('Snack', 'снекам', 'snacks', ['снек*', 'чипс*', 'орешк*', 'орех*', 'попкорн*', 'крекер*', 'snacks?', 'chips', 'crisps', 'nuts', 'popcorn', 'crackers', 'pretzels?']),
  food('Sweet Dessert', 'десерту', 'dessert', ['десерт', 'десерта', 'десерту', 'десертом', 'десерте', 'десерты', 'десертов', 'десертам', 'десертами', 'desserts?'], 1),
  food('Sweet Dessert', 'шоколаду', 'chocolate', ['шоколад*', 'тирамису', 'торт', 'торта', 'торту', 'тортом', 'торты', 'тортов', 'тортам', 'тортик*', 'пирожн*', 'морожен*', 'выпечк*', 'пирог*', 'крем брюле', 'chocolate', 'tiramisu', 'cakes?', 'ice cream', 'pastry', 'pastries', 'pies?', 'brownies?', 'creme brulee', 'macarons?']),
  food('Fruit', 'фруктам', 'fruit', ['фрукт*', 'ягод*', 'клубник*', 'fruits?', 'berries', 'strawberries']),
  food('Vegetarian', 'овощам', 'vegetables', ['вегетариан*', 'веган*', 'овощ*', 'тофу', 'постн*', 'vegetarian', 'vegan', 'veggies?', 'vegetables?', 'tofu', 'plant based']),
  food('Mushrooms', 'грибам', 'mushrooms', ['гриб*', 'трюфел*', 'лисичк*', 'шампиньон*', 'mushrooms?', 'truffles?', 'chanterelles?']),
  food('Salad', 'салату', 'salad', ['салат*', 'salads?']),
  // Generic words last and weak: "мясо" or "fish" only decide when nothing more specific was said.
  food('Beef', 'мясу', 'meat', ['мяс(о|а|у|ом|е)', 'мясн*', 'meats?'], 1),
  food('Beef', 'барбекю', 'barbecue', ['барбекю', 'гриль', 'гриле', 'мангал*', 'bbq', 'barbecue', 'grill', 'grilled'], 1),
  food('Fish', 'рыбе', 'fish', ['рыб*', 'fish'], 1),
];

/** How to name the food a person asked about: their own dish ("к стейку") rather than the category. */
export function describeFood(foodWords: readonly string[], pairing: string | undefined): { ruTo: string; en: string } | null {
  for (const word of foodWords) {
    const normalized = normalize(word);
    const entry = FOODS.find((food) => {
      food.pattern.lastIndex = 0;
      return food.pattern.test(normalized) && (pairing === undefined || food.pairing === pairing);
    });
    if (entry) return { ruTo: entry.ruTo, en: entry.en };
  }
  if (pairing === undefined) return null;
  const info = PAIRINGS[pairing];
  return { ruTo: info?.ruTo ?? pairing.toLowerCase(), en: info?.en ?? pairing.toLowerCase() };
}
