// A tiny safe-by-default HTML builder for the server-rendered pages: every interpolated value
// is escaped unless it is itself built with `html`, so names and reasons typed by a clerk can
// never inject markup.

export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Tagged template: `html\`<td>${name}</td>\`` escapes `name`; nested `html` fragments and arrays pass through. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  // A template has one more string than values: each string after the first follows a value.
  return new SafeHtml(strings.reduce((out, text, i) => out + render(values[i - 1]) + text));
}
