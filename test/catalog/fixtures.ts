/** A shop's own list in the simple layout, with seven bad rows (one a duplicate) among three good ones. */
export const SHOP_CSV = [
  'name,type,grapes,pairings,country,region,winery,abv,body,acidity,price,currency,stock,notes',
  'Casa Nova Tinto,Red,Touriga Nacional;Tinta Roriz,Beef;Lamb,Portugal,Douro,Casa Nova,13.5,Full-bodied,Medium,1290,RUB,12,house red',
  'Brisa Rosé,Rosé,"[\'Grenache\', \'Cinsault\']","[\'Shellfish\', \'Salad\']",France,Provence,Brisa,12.5,light,high,"990,50",₽,4,',
  'Nameless type,Blue,Merlot,Beef,France,,Somebody,13,medium,medium,,,,',
  ',Red,Merlot,Beef,France,,Nobody,13,medium,medium,,,,',
  'Too Strong,White,Chardonnay,Fish,France,,X,140,medium,medium,,,,',
  'Odd Body,White,Chardonnay,Fish,France,,Y,12,creamy,medium,,,,',
  'Bad Price,Sparkling,Chardonnay,Snack,Italy,,Z,11,light,high,-5,EUR,1,',
  'Short row,Red,Merlot',
  'Porto Velho,Dessert/Port,Touriga Franca,Sweet Dessert,Portugal,Porto,Velho,20,Very full-bodied,low,,,,',
  'Casa Nova Tinto,Red,Touriga Nacional,Beef,Portugal,Douro,Casa Nova,13.5,full,medium,1290,RUB,12,',
].join('\n');
