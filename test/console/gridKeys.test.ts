// The vote grid's keyboard mapping, as the clerk presses it.
import { describe, expect, it } from 'vitest';
import { gridKey } from '../../client/console/src/lib/gridKeys.ts';

describe('vote grid keys', () => {
  it('moves with the arrows, Home and End, and stays inside the grid', () => {
    const at = { row: 2, col: 1 };
    expect(gridKey('ArrowDown', at, 5)).toEqual({ kind: 'move', to: { row: 3, col: 1 } });
    expect(gridKey('ArrowUp', at, 5)).toEqual({ kind: 'move', to: { row: 1, col: 1 } });
    expect(gridKey('ArrowRight', at, 5)).toEqual({ kind: 'move', to: { row: 2, col: 2 } });
    expect(gridKey('ArrowLeft', { row: 2, col: 0 }, 5)).toEqual({ kind: 'move', to: { row: 2, col: 0 } });
    expect(gridKey('ArrowDown', { row: 4, col: 3 }, 5)).toEqual({ kind: 'move', to: { row: 4, col: 3 } });
    expect(gridKey('ArrowRight', { row: 4, col: 3 }, 5)).toEqual({ kind: 'move', to: { row: 4, col: 3 } });
    expect(gridKey('Home', at, 5)).toEqual({ kind: 'move', to: { row: 0, col: 1 } });
    expect(gridKey('End', at, 5)).toEqual({ kind: 'move', to: { row: 4, col: 1 } });
  });

  it('records the choice of the digit shown on its button', () => {
    expect(gridKey('1', { row: 3, col: 2 }, 5)).toEqual({ kind: 'cast', row: 3, choice: 'for' });
    expect(gridKey('2', { row: 3, col: 2 }, 5)).toEqual({ kind: 'cast', row: 3, choice: 'against' });
    expect(gridKey('3', { row: 0, col: 0 }, 5)).toEqual({ kind: 'cast', row: 0, choice: 'abstain' });
    expect(gridKey('4', { row: 0, col: 0 }, 5)).toEqual({ kind: 'cast', row: 0, choice: 'not-voting' });
  });

  it('ignores other keys and an empty grid', () => {
    expect(gridKey('5', { row: 0, col: 0 }, 5)).toBeNull();
    expect(gridKey('Tab', { row: 0, col: 0 }, 5)).toBeNull();
    expect(gridKey('1', { row: 0, col: 0 }, 0)).toBeNull();
  });
});
