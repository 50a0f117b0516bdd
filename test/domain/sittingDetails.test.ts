// A sitting's details before it opens: title, date and room can change; a sitting that will not
// be held is cancelled with a reason, and nothing more can happen in it.
import { describe, expect, it } from 'vitest';
import { AT, COMMITTEE_SITTING, PLENARY, cancel, demoCouncil, openSitting, update } from '../support/givenWhenThen.ts';

describe('changing a sitting before it opens', () => {
  it('records the new title, date and room, and nothing for no change', () => {
    const record = demoCouncil();
    const events = record.run(update({ title: 'Пленарне засідання 67 сесії (перенесене)', scheduledAt: '2026-12-17T10:00:00+02:00' }));
    expect(events).toEqual([
      {
        type: 'sitting.updated',
        title: 'Пленарне засідання 67 сесії (перенесене)',
        scheduledAt: '2026-12-17T10:00:00+02:00',
        room: record.sitting().room,
      },
    ]);
    record.given(update({ room: 'committee-room' }));
    expect(record.sitting()).toMatchObject({
      title: 'Пленарне засідання 67 сесії (перенесене)',
      scheduledAt: '2026-12-17T10:00:00+02:00',
      room: 'committee-room',
      status: 'scheduled',
    });
    expect(record.run(update({ room: 'committee-room' }))).toEqual([]);
    expect(record.replayed().views()).toEqual(record.views());
  });

  it('opens the sitting in its new room', () => {
    const record = demoCouncil().given(update({ room: 'committee-room' }, COMMITTEE_SITTING), update({ room: 'committee-room' }), openSitting());
    // The committee sitting now shares the room; it cannot open while the plenary is live there.
    record.refused(openSitting(COMMITTEE_SITTING), 'room-busy');
  });
});

describe('cancelling a sitting', () => {
  it('marks it cancelled with the reason, for every listing and view', () => {
    const record = demoCouncil();
    expect(record.run(cancel('Перенесено на 17 грудня'))).toEqual([{ type: 'sitting.cancelled', reason: 'Перенесено на 17 грудня' }]);
    expect(record.sitting()).toMatchObject({ status: 'cancelled', openedAt: null, closedAt: null, cancelled: { at: AT, reason: 'Перенесено на 17 грудня' } });
    expect(record.sitting(COMMITTEE_SITTING)).not.toHaveProperty('cancelled');
    expect(record.replayed().sitting(PLENARY)).toEqual(record.sitting());
  });
});
