// A vote's subject: the item (chosen, never typed) and a stage from the usual formulas or free
// text, composed into the one title that goes on air and into the record; vote.rename corrects
// it visibly, with a reason, like a choice correction.
import { describe, expect, it } from 'vitest';
import { Command } from '../../protocol/commands.ts';
import { motionText, voteTitle } from '../../protocol/voteTitle.ts';
import {
  AT,
  PLENARY,
  castAll,
  closeSitting,
  closeVote,
  demoCouncil,
  deputies,
  openSitting,
  openVote,
  register,
  rename,
  startItem,
} from '../support/givenWhenThen.ts';

const ITEM = 'Про бюджет Житомирської міської територіальної громади на 2027 рік';

describe('composing a vote title', () => {
  it('joins the item and the stage with a dash, never gluing them', () => {
    expect(voteTitle(ITEM, { stage: 'basis-and-whole', subject: '' })).toBe(`${ITEM} — за основу і в цілому`);
    expect(voteTitle(ITEM, { stage: 'amendment', subject: '3' })).toBe(`${ITEM} — поправка № 3`);
    expect(voteTitle(ITEM, { stage: 'basis', subject: 'з урахуванням висновку комісії' })).toBe(`${ITEM} — за основу: з урахуванням висновку комісії`);
    expect(voteTitle(ITEM, { stage: null, subject: 'Про зняття питання з розгляду' })).toBe(`${ITEM} — Про зняття питання з розгляду`);
  });

  it('stands alone without an item, and in English for English pages', () => {
    expect(voteTitle(null, { stage: 'procedural', subject: 'про перерву' })).toBe('Процедурне: про перерву');
    expect(voteTitle(null, { stage: 'from-floor', subject: '' }, 'en')).toBe('From the floor');
    expect(motionText({ stage: 'whole', subject: '' }, 'en')).toBe('as a whole');
  });

  it('keeps a subject written out in full (as before stages) instead of naming the item twice', () => {
    expect(voteTitle(ITEM, { stage: null, subject: `${ITEM} (в цілому)` })).toBe(`${ITEM} (в цілому)`);
    expect(voteTitle(ITEM, { stage: null, subject: ITEM })).toBe(ITEM);
  });

  it('refuses a vote with neither stage nor subject, and an amendment without its number', () => {
    const open = { type: 'vote.open', sittingId: PLENARY, voteId: 'v' };
    expect(Command.safeParse({ ...open, subject: '  ' }).success).toBe(false);
    expect(Command.safeParse({ ...open, stage: 'amendment' }).success).toBe(false);
    expect(Command.safeParse({ ...open, stage: 'whole' }).success).toBe(true);
    expect(Command.safeParse({ ...open, subject: 'За основу' }).success).toBe(true);
  });
});

describe('a vote opened with a stage', () => {
  const onItem = () => demoCouncil().given(openSitting(), register(deputies(30)), startItem('i2'));

  it('records the stage and publishes the composed title', () => {
    const record = onItem();
    const events = record.run(openVote('v', { stage: 'basis-and-whole', subject: '' }));
    expect(events).toEqual([expect.objectContaining({ type: 'vote.opened', stage: 'basis-and-whole', subject: '' })]);
    const item = record.sitting().agenda.find((i) => i.id === 'i2')!;
    expect(record.vote('v')).toMatchObject({ stage: 'basis-and-whole', subject: 'за основу і в цілому', title: `${item.title} — за основу і в цілому` });
  });

  it('accepts the old form (subject only) and composes it with the item', () => {
    const record = onItem().given(openVote('v', { subject: 'За основу і в цілому' }));
    const item = record.sitting().agenda.find((i) => i.id === 'i2')!;
    expect(record.vote('v')).toMatchObject({ stage: null, subject: 'За основу і в цілому', title: `${item.title} — За основу і в цілому` });
  });
});

describe('renaming a vote', () => {
  const closed = () =>
    demoCouncil().given(openSitting(), register(deputies(30)), startItem('i2'), openVote('v', { stage: 'basis', subject: '' }), ...castAll('v', deputies(22), 'for'), closeVote('v'));

  it('changes the title of a closed vote and keeps the change visible with its reason', () => {
    const record = closed();
    const before = record.vote('v');
    record.at = '2026-12-10T12:30:00.000Z';
    const events = record.run(rename('v', 'basis-and-whole', '', 'Голосували за основу і в цілому'));
    expect(events).toEqual([
      {
        type: 'vote.renamed',
        voteId: 'v',
        from: { stage: 'basis', subject: '' },
        to: { stage: 'basis-and-whole', subject: '' },
        reason: 'Голосували за основу і в цілому',
      },
    ]);
    const after = record.vote('v');
    const item = record.sitting().agenda.find((i) => i.id === 'i2')!;
    expect(after.title).toBe(`${item.title} — за основу і в цілому`);
    expect(after.renames).toEqual([
      { from: `${item.title} — за основу`, to: `${item.title} — за основу і в цілому`, reason: 'Голосували за основу і в цілому', at: '2026-12-10T12:30:00.000Z' },
    ]);
    // Nothing else about the vote changes: counts, result and choices stay as closed.
    const { title: _t, subject: _s, stage: _st, renames: _r, ...rest } = after;
    const { title: _t0, subject: _s0, stage: _st0, ...rest0 } = before;
    expect(rest).toEqual(rest0);
    expect(record.replayed().vote('v')).toEqual(after);
  });

  it('renames an open vote too, and after the sitting closed', () => {
    const record = demoCouncil().given(openSitting(), register(deputies(30)), openVote('v', { subject: 'Про перерву' }));
    record.given(rename('v', 'procedural', 'про перерву на 15 хвилин'));
    expect(record.vote('v')).toMatchObject({ status: 'open', title: 'Процедурне: про перерву на 15 хвилин', renames: [expect.objectContaining({ at: AT })] });
    record.given(closeVote('v'), closeSitting(), rename('v', 'procedural', 'про перерву на 20 хвилин'));
    expect(record.vote('v').renames).toHaveLength(2);
  });

  it('refuses a rename that changes nothing, or without a reason', () => {
    const record = closed();
    record.refused(rename('v', 'basis'), 'no-change');
    expect(Command.safeParse({ type: 'vote.rename', sittingId: PLENARY, voteId: 'v', stage: 'whole', reason: ' ' }).success).toBe(false);
  });
});
