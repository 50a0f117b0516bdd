// JSON.parse that also knows where things are: the line of the first syntax error (the
// browser's own message does not always say), and the line each array element starts on, so
// an import can report a bad item by its line. Strict JSON (RFC 8259), nothing more.

export type JsonResult =
  | { ok: true; value: unknown; /** The line each element of a parsed array starts on. */ elementLines: (array: unknown[]) => number[] }
  | { ok: false; line: number };

class JsonSyntaxError extends Error {
  constructor(readonly at: number) {
    super(`invalid JSON [at:${at}]`);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const LITERALS: [string, unknown][] = [
  ['true', true],
  ['false', false],
  ['null', null],
];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

export function parseJsonWithLines(input: string): JsonResult {
  const text = input.replace(/^\uFEFF/, '');
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineAt = (offset: number): number => {
    // The number of lines begun at or before the offset (the starts are in order).
    const next = lineStarts.findIndex((start) => start > offset);
    return next === -1 ? lineStarts.length : next;
  };
  /** Where each element of each parsed array begins (offsets). */
  const starts = new WeakMap<unknown[], number[]>();
  let i = 0;

  const skip = () => {
    while (i < text.length && WHITESPACE.has(text.charAt(i))) i += 1;
  };
  const expect = (ch: string) => {
    skip();
    if (text[i] !== ch) throw new JsonSyntaxError(i);
    i += 1;
  };
  const match = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return null;
    i += m[0].length;
    return m[0];
  };

  function value(): unknown {
    skip();
    const ch = text[i];
    if (ch === '{') {
      i += 1;
      const obj: Record<string, unknown> = {};
      skip();
      if (text[i] === '}') return (i += 1), obj;
      for (;;) {
        skip();
        const key = match(STRING);
        if (key === null) throw new JsonSyntaxError(i);
        expect(':');
        obj[String(JSON.parse(key))] = value();
        skip();
        if (text[i] === ',') i += 1;
        else if (text[i] === '}') return (i += 1), obj;
        else throw new JsonSyntaxError(i);
      }
    }
    if (ch === '[') {
      i += 1;
      const arr: unknown[] = [];
      const offsets: number[] = [];
      starts.set(arr, offsets);
      skip();
      if (text[i] === ']') return (i += 1), arr;
      for (;;) {
        skip();
        offsets.push(i);
        arr.push(value());
        skip();
        if (text[i] === ',') i += 1;
        else if (text[i] === ']') return (i += 1), arr;
        else throw new JsonSyntaxError(i);
      }
    }
    if (ch === '"') {
      const s = match(STRING);
      if (s === null) throw new JsonSyntaxError(i);
      return JSON.parse(s);
    }
    for (const [word, literal] of LITERALS) {
      if (text.startsWith(word, i)) return (i += word.length), literal;
    }
    const n = match(NUMBER);
    if (n === null) throw new JsonSyntaxError(i);
    return Number(n);
  }

  try {
    const result = value();
    skip();
    if (i < text.length) throw new JsonSyntaxError(i);
    return {
      ok: true,
      value: result,
      elementLines: (array) => (starts.get(array) ?? []).map(lineAt),
    };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, line: lineAt(Math.min(err.at, text.length)) };
    throw err;
  }
}
