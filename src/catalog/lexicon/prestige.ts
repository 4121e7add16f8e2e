/**
 * Famously expensive wines and classifications. The bundled catalog has no prices, so when a person asks
 * for something cheaper or names a budget, these are never offered as the answer: a Grand Cru or a
 * Château Lafite is not "cheaper" in any shop. Matched against a wine's name and producer.
 */
export const PRESTIGE_WORDS: readonly string[] = [
  // Classifications and top cuvées.
  'grand cru', 'grand cru classe', 'premier cru', '1er cru', 'premier grand cru', 'premier grand cru classe', 'cru classe',
  'grand vin', 'tete de cuvee', 'prestige cuvee', 'cuvee prestige', 'riserva speciale',
  // Bordeaux and Burgundy.
  'lafite', 'chateau latour', 'mouton rothschild', 'haut brion', 'petrus', 'le pin', 'cheval blanc', 'ausone', 'yquem', 'chateau palmer', 'lynch bages',
  'pichon', 'leoville', 'cos d estournel', 'montrose', 'romanee', 'la tache', 'richebourg', 'musigny', 'chambertin', 'montrachet',
  'corton charlemagne', 'leflaive', 'coche dury', 'domaine leroy', 'armand rousseau', 'roumier', 'dujac', 'comtes lafon', 'raveneau', 'dauvissat',
  // Champagne.
  'dom perignon', 'krug', 'cristal', 'clos du mesnil', 'sir winston churchill', 'comtes de champagne', 'belle epoque', 'grande dame',
  'oenotheque', 'dom ruinart',
  // Rhône, Italy, Spain, Germany.
  'hermitage la chapelle', 'la mouline', 'la landonne', 'la turque', 'chave', 'rayas',
  'sassicaia', 'ornellaia', 'masseto', 'solaia', 'tignanello', 'gaja', 'giacomo conterno', 'monfortino', 'quintarelli', 'dal forno',
  'biondi santi', 'soldera', 'vega sicilia', 'unico', 'pingus', 'l ermita', 'egon muller', 'scharzhofberger', 'trockenbeerenauslese',
  // New World icons.
  'grange', 'hill of grace', 'screaming eagle', 'harlan', 'colgin', 'opus one', 'dominus', 'sine qua non', 'scarecrow',
  'monte bello', 'insignia', 'special selection', 'caymus', 'eisele vineyard', 'ix estate', 'almaviva', 'don melchor', 'adrianna', 'solari', 'ovid', 'fortis', 'promontory', 'tychson hill',
];
