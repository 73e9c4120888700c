/**
 * `food_type` → food-safety categories (docs/food-safety.md §1), by keyword lists kept as data.
 *
 * Matching, in plain words:
 * - Case-, accent- and punctuation-insensitive whole words: "Crème-Brûlée" reads as "creme brulee",
 *   "chickens" never matches inside "chickpeas".
 * - Plurals: a word also matches its singular ("thighs", "patties", "sausages", "loaves").
 * - Longest phrase first, and a matched phrase consumes its words: "duck egg" is an egg, not
 *   duck; "chicken of the woods" is a mushroom; "sea bass" is one fish.
 * - A food can match several categories, and then every matching rule applies
 *   ("ground turkey" is poultry and ground).
 * - Cuts ("breast", "thigh", "wing", "loin", "belly", "steak", ...) name a part, not an animal.
 *   They count only when no animal (poultry, red meat, fish) is named: "breast" alone is poultry,
 *   "lamb breast" is red meat, "salmon belly" is fish. Eggs and plants do not silence cuts, so
 *   "steak and eggs" keeps its steak and "steak with potatoes" is never exempt.
 * - Nothing matched (or no food_type): `['unknown']`, and the conservative general rules apply.
 */

export type FoodCategory = 'poultry' | 'ground' | 'red_meat' | 'fish' | 'egg' | 'plant_dairy' | 'unknown';

/** Canonical order of categories in results (stable output, readable tests). */
const CATEGORY_ORDER: readonly FoodCategory[] = [
  'poultry',
  'ground',
  'red_meat',
  'fish',
  'egg',
  'plant_dairy',
  'unknown',
];

/** Categories whose names silence cut words (see the module comment). */
const ANIMAL_CATEGORIES: ReadonlySet<FoodCategory> = new Set(['poultry', 'red_meat', 'fish']);

interface KeywordList {
  readonly category: Exclude<FoodCategory, 'unknown'>;
  /** Words and phrases naming the food (written singular). */
  readonly names: readonly string[];
  /** Cut words implying this category only when no animal is named. */
  readonly cuts?: readonly string[];
}

export const FOOD_KEYWORDS: readonly KeywordList[] = [
  {
    category: 'poultry',
    names: [
      'poultry',
      'chicken',
      'turkey',
      'duck',
      'duckling',
      'goose',
      'quail',
      'pheasant',
      'hen',
      'capon',
      'guinea fowl',
      'guineafowl',
      'fowl',
      'poussin',
      'partridge',
      'grouse',
      'squab',
      'pigeon',
      'woodcock',
      'ostrich',
      'emu',
      'rooster',
      'cockerel',
      'pullet',
      'broiler',
      'chook',
      'coq',
      'turducken',
      'magret',
      'foie gras',
      'giblet',
      'gizzard',
      'drumette',
      'wingette',
      'buffalo wing',
    ],
    cuts: ['breast', 'thigh', 'drumstick', 'wing', 'leg quarter'],
  },
  {
    category: 'ground',
    names: [
      'ground',
      'minced',
      'mince',
      'burger',
      'hamburger',
      'cheeseburger',
      'patty',
      'sausage',
      'meatball',
      'meatloaf',
      'kofta',
      'kofte',
      'kefta',
      'keema',
      'cevapi',
      'cevapcici',
      'frikadelle',
      'frikadeller',
      'rissole',
      'forcemeat',
      'pate',
      'terrine',
      'haggis',
      'bratwurst',
      'chorizo',
      'kielbasa',
      'merguez',
      'andouille',
      'boerewors',
      'banger',
      'frankfurter',
      'hot dog',
      'hotdog',
      'wiener',
      'weisswurst',
      'bockwurst',
      'knackwurst',
      'boudin',
      'seekh kebab',
      'lula kebab',
    ],
  },
  {
    category: 'red_meat',
    names: [
      // animals
      'beef',
      'veal',
      'lamb',
      'mutton',
      'hogget',
      'pork',
      'pig',
      'hog',
      'goat',
      'venison',
      'deer',
      'elk',
      'moose',
      'bison',
      'boar',
      'caribou',
      'reindeer',
      'kangaroo',
      'antelope',
      'wagyu',
      'carne',
      // cuts and preparations that name the animal on their own
      'ribeye',
      'rib eye',
      'sirloin',
      'striploin',
      'strip loin',
      'new york strip',
      'strip steak',
      't bone',
      'porterhouse',
      'filet mignon',
      'chateaubriand',
      'brisket',
      'chuck',
      'short rib',
      'prime rib',
      'spare rib',
      'sparerib',
      'baby back',
      'tri tip',
      'tritip',
      'picanha',
      'flank',
      'skirt steak',
      'hanger steak',
      'flat iron',
      'bavette',
      'onglet',
      'entrecote',
      'tomahawk',
      'top round',
      'eye of round',
      'bottom round',
      'rump',
      'oxtail',
      'osso buco',
      'ossobuco',
      'sweetbread',
      'pastrami',
      'bulgogi',
      'carnitas',
      'char siu',
      'porchetta',
      'ham',
      'gammon',
      'bacon',
      'pancetta',
      'guanciale',
      'jowl',
    ],
    cuts: [
      'steak',
      'chop',
      'cutlet',
      'loin',
      'tenderloin',
      'belly',
      'shoulder',
      'shank',
      'cheek',
      'tongue',
      'rib',
      'rack',
      'joint',
      'butt',
      'hock',
    ],
  },
  {
    category: 'fish',
    names: [
      'fish',
      'seafood',
      'shellfish',
      'salmon',
      'tuna',
      'ahi',
      'albacore',
      'bonito',
      'cod',
      'codfish',
      'black cod',
      'sablefish',
      'halibut',
      'trout',
      'arctic char',
      'sea bass',
      'seabass',
      'bass',
      'branzino',
      'bream',
      'snapper',
      'grouper',
      'mackerel',
      'sardine',
      'anchovy',
      'herring',
      'haddock',
      'hake',
      'pollock',
      'pollack',
      'coley',
      'sole',
      'plaice',
      'turbot',
      'flounder',
      'brill',
      'monkfish',
      'swordfish',
      'mahi',
      'tilapia',
      'catfish',
      'carp',
      'perch',
      'pike',
      'walleye',
      'john dory',
      'dory',
      'barramundi',
      'sturgeon',
      'eel',
      'unagi',
      'cobia',
      'yellowtail',
      'hamachi',
      'kingfish',
      'skate',
      'lingcod',
      'rockfish',
      'whitefish',
      'pompano',
      'wahoo',
      'mullet',
      'shrimp',
      'prawn',
      'langoustine',
      'scampi',
      'lobster',
      'crayfish',
      'crawfish',
      'crab',
      'scallop',
      'clam',
      'mussel',
      'oyster',
      'cockle',
      'octopus',
      'squid',
      'calamari',
      'cuttlefish',
      'abalone',
      'conch',
      'whelk',
      'sea urchin',
      'roe',
      'caviar',
    ],
  },
  {
    category: 'egg',
    names: [
      'egg',
      'yolk',
      'egg white',
      'duck egg',
      'quail egg',
      'goose egg',
      'chicken egg',
      'hen egg',
      'hen s egg',
      'omelette',
      'omelet',
      'frittata',
      'tamago',
      'onsen tamago',
      'egg bite',
      'quiche',
    ],
  },
  {
    category: 'plant_dairy',
    names: [
      // vegetables, pulses, grains
      'vegetable',
      'veg',
      'veggie',
      'potato',
      'sweet potato',
      'yam',
      'carrot',
      'parsnip',
      'turnip',
      'rutabaga',
      'beet',
      'beetroot',
      'radish',
      'celeriac',
      'celery',
      'fennel',
      'leek',
      'onion',
      'shallot',
      'garlic',
      'asparagus',
      'artichoke',
      'broccoli',
      'broccolini',
      'cauliflower',
      'cabbage',
      'brussels sprout',
      'sprout',
      'kale',
      'chard',
      'spinach',
      'corn',
      'sweetcorn',
      'pea',
      'bean',
      'green bean',
      'edamame',
      'chickpea',
      'lentil',
      'squash',
      'pumpkin',
      'zucchini',
      'courgette',
      'eggplant',
      'aubergine',
      'tomato',
      'pepper',
      'bell pepper',
      'chili',
      'chilli',
      'capsicum',
      'cucumber',
      'mushroom',
      'oyster mushroom',
      'chicken of the woods',
      'hen of the woods',
      'okra',
      'bok choy',
      'pak choi',
      'tofu',
      'tempeh',
      'seitan',
      'rice',
      'risotto',
      'oat',
      'oatmeal',
      'porridge',
      'quinoa',
      'polenta',
      'grain',
      // plant dishes that borrow meat words
      'veggie burger',
      'vegan burger',
      'bean burger',
      'veggie sausage',
      'vegan sausage',
      'cauliflower steak',
      'celeriac steak',
      // fruit
      'fruit',
      'apple',
      'pear',
      'peach',
      'nectarine',
      'plum',
      'apricot',
      'cherry',
      'berry',
      'strawberry',
      'blueberry',
      'raspberry',
      'blackberry',
      'cranberry',
      'mango',
      'pineapple',
      'banana',
      'rhubarb',
      'quince',
      'fig',
      'grape',
      'citrus',
      'orange',
      'lemon',
      'lime',
      'grapefruit',
      'melon',
      'watermelon',
      // dairy, desserts, infusions
      'yogurt',
      'yoghurt',
      'custard',
      'creme brulee',
      'creme anglaise',
      'pot de creme',
      'flan',
      'panna cotta',
      'cheesecake',
      'cheese',
      'milk',
      'cream',
      'butter',
      'ghee',
      'dulce de leche',
      'chocolate',
      'caramel',
      'honey',
      'syrup',
      'jam',
      'compote',
      'infusion',
      'oil',
    ],
  },
];

/** Lower-case, strip accents (NFKD then drop combining marks), split on anything not a letter or digit. */
export function foodWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** A word and the singulars it may be the plural of; keywords are written singular. */
function singularForms(word: string): string[] {
  const forms = [word];
  if (word.length > 4 && word.endsWith('ies')) forms.push(word.slice(0, -3) + 'y'); // patties → patty
  if (word.length > 4 && word.endsWith('ves')) forms.push(word.slice(0, -3) + 'f'); // loaves → loaf
  if (word.length > 3 && word.endsWith('es')) forms.push(word.slice(0, -2)); // tomatoes → tomato
  if (word.length > 2 && word.endsWith('s') && !word.endsWith('ss')) forms.push(word.slice(0, -1)); // eggs → egg
  return forms;
}

interface Keyword {
  readonly words: readonly string[];
  readonly category: Exclude<FoodCategory, 'unknown'>;
  readonly isCut: boolean;
}

/** Keywords indexed by first word, longest phrase first, built once from FOOD_KEYWORDS. */
const KEYWORDS_BY_FIRST_WORD: ReadonlyMap<string, readonly Keyword[]> = (() => {
  const index = new Map<string, Keyword[]>();
  for (const list of FOOD_KEYWORDS) {
    const entries = [
      ...list.names.map((phrase) => ({ phrase, isCut: false })),
      ...(list.cuts ?? []).map((phrase) => ({ phrase, isCut: true })),
    ];
    for (const { phrase, isCut } of entries) {
      const words = foodWords(phrase);
      const bucket = index.get(words[0]) ?? [];
      bucket.push({ words, category: list.category, isCut });
      index.set(words[0], bucket);
    }
  }
  for (const bucket of index.values()) bucket.sort((a, b) => b.words.length - a.words.length);
  return index;
})();

function wordMatches(textWord: string, keywordWord: string): boolean {
  return singularForms(textWord).includes(keywordWord);
}

/** The longest keyword starting at `words[start]`, if any. */
function longestKeywordAt(words: readonly string[], start: number): Keyword | undefined {
  let best: Keyword | undefined;
  for (const form of singularForms(words[start])) {
    for (const keyword of KEYWORDS_BY_FIRST_WORD.get(form) ?? []) {
      if (best && best.words.length >= keyword.words.length) break; // buckets are longest first
      const fits =
        start + keyword.words.length <= words.length &&
        keyword.words.every((kw, offset) => offset === 0 || wordMatches(words[start + offset], kw));
      if (fits) {
        best = keyword;
        break;
      }
    }
  }
  return best;
}

/** Every keyword in `text`, scanning left to right; a matched phrase consumes its words. */
function findKeywords(text: string): Keyword[] {
  const words = foodWords(text);
  const found: Keyword[] = [];
  for (let i = 0; i < words.length;) {
    const keyword = longestKeywordAt(words, i);
    if (keyword) {
      found.push(keyword);
      i += keyword.words.length;
    } else {
      i += 1;
    }
  }
  return found;
}

/**
 * Categories of a food, in canonical order; `['unknown']` when nothing matched or no food_type.
 * Never empty, never contains 'unknown' together with another category.
 */
export function classifyFood(foodType: string | null): FoodCategory[] {
  if (foodType === null) return ['unknown'];
  const keywords = findKeywords(foodType);
  const namesAnimal = keywords.some((k) => !k.isCut && ANIMAL_CATEGORIES.has(k.category));
  const categories = new Set<FoodCategory>(keywords.filter((k) => !(k.isCut && namesAnimal)).map((k) => k.category));
  if (categories.size === 0) return ['unknown'];
  return CATEGORY_ORDER.filter((c) => categories.has(c));
}
