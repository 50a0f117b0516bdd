// Every refusal the decider can give: the stable code, a message in both languages, and
// nothing changed — not the world, not the log, not any public view.
import { describe, expect, it } from 'vitest';
import type { CommandInput } from '../../protocol/commands.ts';
import { ERROR_CODES, errorBody, type ErrorCode } from '../../protocol/errors.ts';
import {
  COMMITTEE_SITTING,
  PLENARY,
  cancel,
  cast,
  castAll,
  closeSitting,
  closeVote,
  correct,
  correctItem,
  correctName,
  correctSitting,
  correctTally,
  demoCouncil,
  deputies,
  insertItem,
  moveItem,
  moveVote,
  openSitting,
  openVote,
  postpone,
  register,
  rename,
  startItem,
  tally,
  unregister,
  update,
} from '../support/givenWhenThen.ts';

// Codes only the edges give: sessions, limits, the record's state, and WebRTC's HTTP endpoints (WHIP/WHEP).
const EDGE_ONLY: ErrorCode[] = [
  'unauthorized',
  'forbidden',
  'rate-limited',
  'payload-too-large',
  'stale-seq',
  'read-only',
  'cross-origin',
  'internal',
  'webrtc-unavailable',
  'bad-stream-key',
  'bad-sdp',
  'publisher-busy',
  'no-program',
  'link-expired',
  'link-revoked',
  'bad-link',
  'interpreter-busy',
];

const quorate: CommandInput[] = [openSitting(), register(deputies(30))];
const closedRollCall: CommandInput[] = [...quorate, openVote('rc'), ...castAll('rc', deputies(20), 'for'), closeVote('rc')];
const openSecret: CommandInput[] = [...quorate, openVote('s', { ballot: 'secret' })];
const closedSecret: CommandInput[] = [...openSecret, tally('s', 20, 5, 1), closeVote('s')];
const closedSitting: CommandInput[] = [...quorate, closeSitting()];

interface Case {
  code: ErrorCode;
  what: string;
  given: CommandInput[];
  when: CommandInput;
}

const cases: Case[] = [
  { code: 'not-found', what: 'attendance for an unknown sitting', given: [], when: register(['d01'], 'no-such-sitting') },
  {
    code: 'not-found',
    what: 'a sitting of an unknown body',
    given: [],
    when: { type: 'sitting.create', sitting: { id: 's2', bodyId: 'no-body', title: 'x', room: 'plenary', scheduledAt: '2026-12-11T10:00:00+02:00' } },
  },
  {
    code: 'not-found',
    what: 'a sitting in an unknown room',
    given: [],
    when: { type: 'sitting.create', sitting: { id: 's2', bodyId: 'council', title: 'x', room: 'attic', scheduledAt: '2026-12-11T10:00:00+02:00' } },
  },
  { code: 'not-found', what: 'starting an unknown item', given: quorate, when: startItem('i99') },
  { code: 'not-found', what: 'a vote on an unknown item', given: quorate, when: openVote('v', { itemId: 'i99' }) },
  { code: 'not-found', what: 'a cast in an unknown vote', given: quorate, when: cast('nope', 'd01', 'for') },
  { code: 'not-found', what: 'correcting an unknown vote', given: closedRollCall, when: correct('nope', 'd01', 'against') },
  { code: 'no-quorum', what: 'a vote with 21 of 42 registered', given: [openSitting(), register(deputies(21))], when: openVote('v') },
  { code: 'vote-not-open', what: 'a cast after the close', given: closedRollCall, when: cast('rc', 'd25', 'for') },
  { code: 'vote-not-open', what: 'closing twice', given: closedRollCall, when: closeVote('rc') },
  { code: 'vote-not-open', what: 'a tally after the close', given: closedSecret, when: tally('s', 21, 5, 1) },
  { code: 'vote-not-closed', what: 'correcting an open vote', given: [...quorate, openVote('v'), cast('v', 'd01', 'for')], when: correct('v', 'd01', 'against') },
  { code: 'not-a-member', what: 'registering a stranger', given: quorate, when: register(['d01', 'd99']) },
  { code: 'not-a-member', what: 'a cast by a stranger', given: [...quorate, openVote('v')], when: cast('v', 'd99', 'for') },
  { code: 'not-a-member', what: 'correcting a stranger', given: closedRollCall, when: correct('rc', 'd99', 'for') },
  {
    code: 'not-a-member',
    what: 'a council deputy voting in a committee he is not on',
    given: [openSitting(COMMITTEE_SITTING), register(['d36', 'd02', 'd23', 'd14'], COMMITTEE_SITTING), openVote('c', {}, COMMITTEE_SITTING)],
    when: cast('c', 'd01', 'for', COMMITTEE_SITTING),
  },
  { code: 'not-present', what: 'a cast by an unregistered deputy', given: [...quorate, openVote('v')], when: cast('v', 'd40', 'for') },
  { code: 'not-present', what: 'a cast by the absent mayor', given: [...quorate, openVote('v')], when: cast('v', 'mayor', 'for') },
  { code: 'sitting-not-live', what: 'starting an item before the opening', given: [], when: startItem('i1') },
  { code: 'sitting-not-live', what: 'a vote before the opening', given: [register(deputies(30))], when: openVote('v') },
  { code: 'sitting-not-live', what: 'closing a sitting that never opened', given: [], when: closeSitting() },
  { code: 'sitting-closed', what: 'attendance after the close', given: closedSitting, when: register(['d40']) },
  { code: 'sitting-closed', what: 'reopening', given: closedSitting, when: openSitting() },
  { code: 'sitting-closed', what: 'a new agenda after the close', given: closedSitting, when: { type: 'agenda.set', sittingId: PLENARY, agenda: [] } },
  { code: 'sitting-closed', what: 'an item after the close', given: closedSitting, when: startItem('i1') },
  { code: 'sitting-closed', what: 'a vote after the close', given: closedSitting, when: openVote('v') },
  { code: 'sitting-closed', what: 'closing twice', given: closedSitting, when: closeSitting() },
  { code: 'sitting-live', what: 'opening twice', given: [openSitting()], when: openSitting() },
  {
    code: 'room-busy',
    what: 'a second sitting in the same hall',
    given: [
      { type: 'sitting.create', sitting: { id: 'extra', bodyId: 'council', title: 'Позачергове', room: 'plenary', scheduledAt: '2026-12-10T15:00:00+02:00' } },
      openSitting(),
    ],
    when: openSitting('extra'),
  },
  { code: 'no-preview', what: 'a take with nothing cued', given: [], when: { type: 'overlay.take', room: 'plenary' } },
  {
    code: 'break-in-past',
    what: 'a break cued to end before now',
    given: [],
    when: { type: 'overlay.preview', room: 'plenary', scene: 'break', breakUntil: '2026-12-10T11:00:00+02:00' },
  },
  { code: 'vote-open', what: 'a second vote while one is open', given: [...quorate, openVote('v')], when: openVote('w') },
  { code: 'vote-open', what: 'the next item while a vote is open', given: [...quorate, startItem('i1'), openVote('v')], when: startItem('i2') },
  { code: 'vote-open', what: 'closing the sitting while a vote is open', given: [...quorate, openVote('v')], when: closeSitting() },
  { code: 'item-done', what: 'restarting a finished item', given: [...quorate, startItem('i1'), startItem('i2')], when: startItem('i1') },
  { code: 'agenda-started', what: 'a new agenda once an item started', given: [...quorate, startItem('i1')], when: { type: 'agenda.set', sittingId: PLENARY, agenda: [] } },
  { code: 'wrong-ballot', what: 'a named cast in a secret ballot', given: openSecret, when: cast('s', 'd01', 'for') },
  { code: 'wrong-ballot', what: 'totals for a roll-call vote', given: [...quorate, openVote('v')], when: tally('v', 10, 0, 0) },
  { code: 'wrong-ballot', what: 'correcting a secret ballot', given: closedSecret, when: correct('s', 'd01', 'for') },
  { code: 'tally-exceeds-present', what: 'totals above the members present', given: openSecret, when: tally('s', 20, 10, 1) },
  { code: 'tally-exceeds-present', what: 'a deputy leaving below the entered totals', given: [...openSecret, tally('s', 20, 5, 5)], when: unregister(['d01']) },
  { code: 'tally-missing', what: 'closing a secret ballot without totals', given: openSecret, when: closeVote('s') },
  { code: 'duplicate-id', what: 'creating a sitting twice', given: [], when: { type: 'sitting.create', sitting: { id: PLENARY, bodyId: 'council', title: 'x', room: 'plenary', scheduledAt: '2026-12-10T10:00:00+02:00' } } },
  { code: 'duplicate-id', what: 'reusing a vote id', given: closedRollCall, when: openVote('rc') },
  { code: 'no-change', what: 'a correction to the same choice', given: closedRollCall, when: correct('rc', 'd01', 'for') },
  { code: 'no-change', what: 'a registration correction of a member already absent', given: closedRollCall, when: correct('rc', 'd40', 'absent') },
  // — corrections —
  { code: 'no-change', what: 'correcting an item to its recorded title', given: quorate, when: correctItem('i1', { number: '1' }) },
  { code: 'no-change', what: 'correcting a secret ballot to its recorded totals', given: closedSecret, when: correctTally('s', 20, 5, 1) },
  { code: 'sitting-not-live', what: 'correcting an item before the sitting opened', given: [], when: correctItem('i1', { title: 'Інша назва' }) },
  { code: 'sitting-cancelled', what: 'correcting a cancelled sitting', given: [cancel()], when: correctSitting({ title: 'Інша назва' }) },
  { code: 'not-a-member', what: 'correcting the name of someone not on the roster', given: quorate, when: correctName('nobody', 'Хтось') },
  { code: 'wrong-ballot', what: 'correcting a roll-call vote’s totals', given: closedRollCall, when: correctTally('rc', 20, 0, 0) },
  { code: 'vote-not-closed', what: 'correcting the totals of an open secret ballot', given: [...openSecret, tally('s', 20, 5, 1)], when: correctTally('s', 21, 5, 1) },
  { code: 'tally-exceeds-present', what: 'corrected totals above the members present at the close', given: closedSecret, when: correctTally('s', 20, 10, 1) },
  // — a vote moved to another item (slips) —
  { code: 'no-change', what: 'moving a vote to the item it is on', given: [...quorate, startItem('i1'), openVote('v')], when: moveVote('v', 'i1') },
  { code: 'no-change', what: 'moving a procedural vote to no item', given: [...quorate, openVote('v', { itemId: null })], when: moveVote('v', null) },
  { code: 'not-found', what: 'moving a vote to an unknown item', given: closedRollCall, when: moveVote('rc', 'i99') },
  { code: 'not-found', what: 'moving an unknown vote', given: closedRollCall, when: moveVote('nope', 'i2') },
  { code: 'sitting-not-live', what: 'moving a vote before the sitting opened', given: [], when: moveVote('v', 'i2') },
  { code: 'sitting-cancelled', what: 'moving a vote in a cancelled sitting', given: [cancel()], when: moveVote('v', 'i2') },
  // — vote subject, agenda during the sitting, sitting details (issue 11) —
  { code: 'not-found', what: 'renaming an unknown vote', given: closedRollCall, when: rename('nope', 'whole') },
  { code: 'no-change', what: 'a rename to the same subject', given: [...quorate, openVote('v', { stage: 'whole', subject: '' })], when: rename('v', 'whole') },
  { code: 'sitting-closed', what: 'inserting an item after the close', given: closedSitting, when: insertItem('x1') },
  { code: 'sitting-cancelled', what: 'inserting an item into a cancelled sitting', given: [cancel()], when: insertItem('x1') },
  { code: 'duplicate-id', what: 'inserting an item with an id in use', given: quorate, when: insertItem('i3') },
  { code: 'not-found', what: 'inserting after an unknown item', given: quorate, when: insertItem('x1', 'i99') },
  { code: 'item-started', what: 'moving the current item', given: [...quorate, startItem('i1')], when: moveItem('i1', 'i3') },
  { code: 'item-started', what: 'moving a finished item', given: [...quorate, startItem('i1'), startItem('i2')], when: moveItem('i1', 'i5') },
  { code: 'invalid', what: 'moving an item after itself', given: quorate, when: moveItem('i3', 'i3') },
  { code: 'not-found', what: 'moving after an unknown item', given: quorate, when: moveItem('i3', 'i99') },
  { code: 'sitting-closed', what: 'moving an item after the close', given: closedSitting, when: moveItem('i3', null) },
  { code: 'sitting-not-live', what: 'postponing before the opening', given: [], when: postpone('i2') },
  { code: 'item-done', what: 'postponing a finished item', given: [...quorate, startItem('i1'), startItem('i2')], when: postpone('i1') },
  { code: 'vote-open', what: 'postponing the item under a vote', given: [...quorate, startItem('i1'), openVote('v')], when: postpone('i1') },
  { code: 'not-found', what: 'postponing an unknown item', given: quorate, when: postpone('i99') },
  { code: 'sitting-live', what: 'changing the details of a live sitting', given: [openSitting()], when: update({ title: 'Нова назва' }) },
  { code: 'sitting-closed', what: 'changing the details of a closed sitting', given: closedSitting, when: update({ title: 'Нова назва' }) },
  { code: 'sitting-cancelled', what: 'changing the details of a cancelled sitting', given: [cancel()], when: update({ title: 'Нова назва' }) },
  { code: 'not-found', what: 'moving a sitting to an unknown room', given: [], when: update({ room: 'attic' }) },
  { code: 'sitting-live', what: 'cancelling a live sitting', given: [openSitting()], when: cancel() },
  { code: 'sitting-closed', what: 'cancelling a closed sitting', given: closedSitting, when: cancel() },
  { code: 'sitting-cancelled', what: 'cancelling twice', given: [cancel()], when: cancel() },
  { code: 'sitting-cancelled', what: 'opening a cancelled sitting', given: [cancel()], when: openSitting() },
  { code: 'sitting-cancelled', what: 'registering in a cancelled sitting', given: [cancel()], when: register(['d01']) },
];

describe('refusals', () => {
  it.each(cases)('$code: $what', ({ code, given, when }) => {
    const record = demoCouncil().given(...given);
    const error = record.refused(when, code);
    const { messages } = errorBody(error.code, error.context);
    for (const text of [messages.uk, messages.en]) {
      expect(text.length).toBeGreaterThan(0);
      expect(text, 'every placeholder is filled from the context').not.toMatch(/\{\w+\}/);
    }
    expect(messages.uk).not.toBe(messages.en);
  });

  it('covers every code the decider can give', () => {
    const covered = new Set(cases.map((c) => c.code));
    expect([...covered].sort()).toEqual(ERROR_CODES.filter((c) => !EDGE_ONLY.includes(c)).sort());
  });
});
