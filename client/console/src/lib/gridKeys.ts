// The vote grid's keyboard: arrows move between members (rows) and choices (columns), Home/End
// jump to the first or last member, and a digit records that choice for the focused member.
// Pure, so the mapping is tested apart from the page.
import { CHOICES, type Choice } from '../../../../protocol/model.ts';

export interface GridFocus {
  row: number;
  col: number;
}

export type GridAction = { kind: 'move'; to: GridFocus } | { kind: 'cast'; row: number; choice: Choice };

/** The key shown on each choice button: 1 За, 2 Проти, 3 Утримався, 4 Не голосував. */
export const CHOICE_KEYS: Record<Choice, string> = { for: '1', against: '2', abstain: '3', 'not-voting': '4' };

export function gridKey(key: string, focus: GridFocus, rows: number): GridAction | null {
  if (rows === 0) return null;
  const cols = CHOICES.length;
  const move = (row: number, col: number): GridAction => ({
    kind: 'move',
    to: { row: Math.max(0, Math.min(rows - 1, row)), col: Math.max(0, Math.min(cols - 1, col)) },
  });
  switch (key) {
    case 'ArrowDown':
      return move(focus.row + 1, focus.col);
    case 'ArrowUp':
      return move(focus.row - 1, focus.col);
    case 'ArrowRight':
      return move(focus.row, focus.col + 1);
    case 'ArrowLeft':
      return move(focus.row, focus.col - 1);
    case 'Home':
      return move(0, focus.col);
    case 'End':
      return move(rows - 1, focus.col);
    default: {
      const choice = CHOICES.find((c) => CHOICE_KEYS[c] === key);
      return choice ? { kind: 'cast', row: focus.row, choice } : null;
    }
  }
}
