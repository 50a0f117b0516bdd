// A small RFC 4180 reader and writer for the console's imports: quoted fields (with "" and
// line breaks inside), comma, semicolon (what spreadsheets in a Ukrainian locale write) or tab
// delimiters, a byte-order mark, CRLF. Each row keeps the line it starts on, for error reports.

export type Delimiter = ',' | ';' | '\t';

export interface CsvRow {
  /** 1-based line of the file where the row starts. */
  line: number;
  cells: string[];
}

export type CsvResult = { ok: true; rows: CsvRow[] } | { ok: false; line: number };

const DELIMITERS: Delimiter[] = [';', '\t', ','];

/** The delimiter used most in the first line outside quotes (comma when there is none). */
export function detectDelimiter(text: string): Delimiter {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const unquoted = first.replace(/"[^"]*"/g, '');
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = unquoted.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/** Reads every row; blank lines are skipped. Fails with the line of an unclosed quote. */
export function parseCsv(input: string, delimiter: Delimiter = detectDelimiter(input)): CsvResult {
  const text = input.replace(/^\uFEFF/, '');
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteLine = 0;
  const endRow = () => {
    cells.push(cell);
    if (cells.length > 1 || cell.trim() !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line += 1;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      quoted = true;
      quoteLine = line;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else cell += ch;
  }
  if (quoted) return { ok: false, line: quoteLine };
  endRow();
  return { ok: true, rows };
}

function quote(value: string, delimiter: Delimiter): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(rows: string[][], delimiter: Delimiter = ','): string {
  return rows.map((r) => r.map((v) => quote(v, delimiter)).join(delimiter)).join('\n') + '\n';
}
