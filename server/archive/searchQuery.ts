// Turns what a resident typed into an FTS5 query that tolerates Ukrainian inflection: each word
// loses a common case ending and becomes a prefix, so "бюджет", "бюджету" and "бюджетної" all
// find "бюджету", "бюджетний", "бюджетної". Every word must match (AND).

/** Case endings of nouns and adjectives, longest first; stripped only when a stem of 4+ letters remains. */
const ENDINGS = [
  'ами', 'ями', 'ого', 'ому', 'ими', 'іми', 'ій', 'ої', 'ий', 'ей', 'ів', 'їв', 'их', 'им', 'ах', 'ях', 'ам', 'ям',
  'ою', 'ею', 'ом', 'ем', 'а', 'я', 'у', 'ю', 'і', 'и', 'е', 'о', 'ї', 'ь', 'й',
];
const MIN_STEM = 4;
/**
 * A word shorter than this is matched whole, not as a prefix: a one- or two-letter prefix would
 * merge most of the index's terms, a cost any resident could ask for twenty times in one query.
 */
const MIN_PREFIX = 3;

export function stem(word: string): string {
  for (const ending of ENDINGS) {
    if (word.endsWith(ending) && word.length - ending.length >= MIN_STEM) return word.slice(0, -ending.length);
  }
  return word;
}

/** The FTS5 MATCH expression for `text`, or null when it holds no word to search for. */
export function ftsQuery(text: string): string | null {
  const words = text.toLocaleLowerCase('uk-UA').normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  // Quoted, so a word like NEAR or AND is a word, not an operator.
  return words
    .slice(0, 20)
    .map((w) => (w.length < MIN_PREFIX ? `"${w}"` : `"${stem(w)}"*`))
    .join(' ');
}
