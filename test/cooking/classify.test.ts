import { classifyFood, foodWords, FOOD_KEYWORDS, type FoodCategory } from '../../app/cooking/food-safety/classify';

function expectCategories(cases: Array<[string, FoodCategory[]]>) {
  test.each(cases)('%j → %j', (food, categories) => {
    expect(classifyFood(food)).toEqual(categories);
  });
}

describe('classifyFood: the categories of docs/food-safety.md §1', () => {
  expectCategories([
    ['chicken', ['poultry']],
    ['turkey', ['poultry']],
    ['duck breast', ['poultry']],
    ['guinea fowl', ['poultry']],
    ['quail', ['poultry']],
    ['foie gras', ['poultry']],
    ['ground beef', ['ground', 'red_meat']],
    ['minced lamb', ['ground', 'red_meat']],
    ['burger patty', ['ground']],
    ['meatballs', ['ground']],
    ['kofta', ['ground']],
    ['ribeye steak', ['red_meat']],
    ['beef short rib', ['red_meat']],
    ['pork chop', ['red_meat']],
    ['lamb shank', ['red_meat']],
    ['venison loin', ['red_meat']],
    ['brisket', ['red_meat']],
    ['salmon fillet', ['fish']],
    ['cod', ['fish']],
    ['lobster tail', ['fish']],
    ['sea bass', ['fish']],
    ['octopus', ['fish']],
    ['eggs', ['egg']],
    ['egg yolk', ['egg']],
    ['carrots', ['plant_dairy']],
    ['yogurt', ['plant_dairy']],
    ['custard', ['plant_dairy']],
    ['corn on the cob', ['plant_dairy']],
    ['chocolate', ['plant_dairy']],
  ]);
});

describe('classifyFood: plurals and common modifiers', () => {
  expectCategories([
    ['chicken thighs', ['poultry']],
    ['boneless skinless chicken breast', ['poultry']],
    ['Boneless, skinless chicken breasts (organic)', ['poultry']],
    ['bone-in pork chops', ['red_meat']],
    ['beef patties', ['ground', 'red_meat']],
    ['pork sausages', ['ground', 'red_meat']],
    ['shrimps', ['fish']],
    ['scallops', ['fish']],
    ['anchovies', ['fish']],
    ['short ribs', ['red_meat']],
    ['guinea fowls', ['poultry']],
    ['meatloaves', ['ground']],
    ['tomatoes', ['plant_dairy']],
    ['mixed berries', ['plant_dairy']],
    ['free-range duck eggs', ['egg']],
    ['wild-caught Alaskan salmon', ['fish']],
  ]);
});

describe('classifyFood: several categories at once (every matching rule applies)', () => {
  expectCategories([
    ['ground turkey', ['poultry', 'ground']],
    ['chicken sausage', ['poultry', 'ground']],
    ['turkey burger', ['poultry', 'ground']],
    ['bacon-wrapped chicken', ['poultry', 'red_meat']],
    ['steak and eggs', ['red_meat', 'egg']],
    ['egg custard', ['egg', 'plant_dairy']],
    ['chicken with carrots', ['poultry', 'plant_dairy']],
    ['surf and turf: lobster and beef', ['red_meat', 'fish']],
  ]);
});

describe('classifyFood: cut words count only when no animal is named', () => {
  expectCategories([
    ['breast', ['poultry']],
    ['thighs', ['poultry']],
    ['buffalo wings', ['poultry']],
    ['lamb breast', ['red_meat']],
    ['tenderloin', ['red_meat']],
    ['chicken tenderloins', ['poultry']],
    ['pork belly', ['red_meat']],
    ['salmon belly', ['fish']],
    ['cod loin', ['fish']],
    ['tuna steak', ['fish']],
    ['steak', ['red_meat']],
    // Eggs and plants do not silence cuts: these must never become exempt.
    ['steak with potatoes', ['red_meat', 'plant_dairy']],
  ]);
});

describe('classifyFood: whole words and phrases, longest first', () => {
  expectCategories([
    ['chickpeas', ['plant_dairy']], // not chicken
    ['eggplant', ['plant_dairy']], // not egg
    ['hamburger', ['ground']], // not ham
    ['pigeon', ['poultry']], // not pig
    ['sirloin', ['red_meat']],
    ['corned beef', ['red_meat']], // not corn
    ['chicken of the woods', ['plant_dairy']], // a mushroom
    ['hen of the woods', ['plant_dairy']],
    ['oyster mushrooms', ['plant_dairy']],
    ['quail eggs', ['egg']], // an egg, not a quail
    ["hen's eggs", ['egg']],
    ['veggie burger', ['plant_dairy']],
    ['cauliflower steak', ['plant_dairy']],
    ['T-bone', ['red_meat']],
  ]);
});

describe('classifyFood: case, accents and Unicode', () => {
  expectCategories([
    ['CHICKEN BREAST', ['poultry']],
    ['Crème Brûlée', ['plant_dairy']],
    ['creme brulee', ['plant_dairy']],
    ['Pâté de campagne', ['ground']],
    ['Entrecôte', ['red_meat']],
    ['ｃｈｉｃｋｅｎ', ['poultry']], // full-width letters
    ['SALMÓN', ['fish']], // accents are ignored
  ]);
});

describe('classifyFood: unknown', () => {
  expectCategories([
    ['', ['unknown']],
    ['   ', ['unknown']],
    ['mystery meat', ['unknown']],
    ['something tasty', ['unknown']],
    ['🍗', ['unknown']],
  ]);

  test('no food_type at all is unknown', () => {
    expect(classifyFood(null)).toEqual(['unknown']);
  });
});

describe('foodWords', () => {
  test('lower-cases, strips accents and splits on anything that is not a letter or digit', () => {
    expect(foodWords("  Crème-Brûlée, hen's EGGS / 2x ")).toEqual(['creme', 'brulee', 'hen', 's', 'eggs', '2x']);
  });
});

describe('the keyword lists', () => {
  const phrases = FOOD_KEYWORDS.flatMap((list) => [...list.names, ...(list.cuts ?? [])]);

  test('are written in their normalised form, so they can match at all', () => {
    for (const phrase of phrases) expect(foodWords(phrase).join(' ')).toBe(phrase.replace(/-/g, ' '));
  });

  test('list each phrase once, in one category', () => {
    const seen = new Map<string, number>();
    for (const phrase of phrases) seen.set(phrase, (seen.get(phrase) ?? 0) + 1);
    expect([...seen].filter(([, count]) => count > 1)).toEqual([]);
  });

  test('every listed name classifies as its own category when it stands alone', () => {
    for (const list of FOOD_KEYWORDS) {
      for (const name of list.names) expect([name, classifyFood(name)]).toEqual([name, [list.category]]);
    }
  });
});
