// The open-data tables as .xlsx (LibreOffice's default CSV import garbles the UTF-8 CSVs'
// Cyrillic; a workbook has no encoding to guess): the same columns as the CSVs, counts as
// numbers, times as dates in the council's zone, the header row frozen. String cells are
// never formulas in a workbook, so text is kept exactly as written (no CSV neutralising).
import ExcelJS from 'exceljs';
import { wallClock } from './localTime.ts';
import { MOTION_COLUMNS, motionRows, VOTING_COLUMNS, votingRows, type ColumnType, type OpenDataOptions } from './openData.ts';
import type { Publication } from './publication.ts';

const WIDTH: Record<ColumnType, number> = { text: 24, integer: 12, dateTime: 20 };

async function workbook(
  sheet: string,
  columns: Record<string, ColumnType>,
  rows: Record<string, string | number>[],
  timeZone: string,
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'radacast';
  const ws = book.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = Object.entries(columns).map(([key, type]) => ({
    header: key,
    key,
    width: key === 'title' || key === 'motionTitle' || key === 'text' ? 60 : WIDTH[type],
    ...(type === 'dateTime' ? { style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) {
    const typed: Record<string, string | number | Date> = { ...row };
    for (const [key, type] of Object.entries(columns)) {
      // Excel dates have no zone: the council's wall-clock time, as the CSV's offset time reads.
      if (type === 'dateTime' && typeof row[key] === 'string' && row[key] !== '') typed[key] = wallClock(row[key], timeZone);
    }
    ws.addRow(typed);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const motionsXlsx = (pub: Publication, opts: OpenDataOptions): Promise<Buffer> =>
  workbook('motions', MOTION_COLUMNS, motionRows(pub, opts), opts.timeZone);

export const votingsXlsx = (pub: Publication, opts: OpenDataOptions): Promise<Buffer> =>
  workbook('votings', VOTING_COLUMNS, votingRows(pub), opts.timeZone);
