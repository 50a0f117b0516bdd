// Well-formed Unicode at every edge: a string holding a lone UTF-16 surrogate (e.g. "\ud800",
// which JSON may carry as an escape) cannot be stored as UTF-8 and read back unchanged, so it
// would break the hash chain of the record. Every input (HTTP bodies and queries, socket
// events, settings) is walked once before anything parses it; the store checks again.

/** In a /u regex a surrogate pair is one code point; only a lone surrogate is category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

interface Visit {
  value: unknown;
  key: string | number | null;
  parent: Visit | null;
}

function pathOf(visit: Visit, base: (string | number)[]): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let v: Visit | null = visit; v && v.key !== null; v = v.parent) keys.push(v.key);
  return [...base, ...keys.reverse()];
}

/**
 * The path of the first string (value or object key) in `value` that is not well-formed
 * Unicode, or null when all are. Walks arrays and plain objects without recursion, so a deeply
 * nested payload cannot overflow the stack.
 */
export function illFormedPath(value: unknown, base: (string | number)[] = []): (string | number)[] | null {
  const stack: Visit[] = [{ value, key: null, parent: null }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const v = visit.value;
    if (typeof v === 'string') {
      if (!isWellFormedText(v)) return pathOf(visit, base);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i -= 1) stack.push({ value: v[i], key: i, parent: visit });
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        if (!isWellFormedText(key)) return pathOf({ value: key, key: '(key)', parent: visit }, base);
        stack.push({ value: child, key, parent: visit });
      }
    }
  }
  return null;
}

export const ILL_FORMED_MESSAGE = 'text that is not well-formed Unicode (a lone surrogate)';
