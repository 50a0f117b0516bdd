// The pure rules behind the residents' pages, over the demo council's real views: which stream
// a sitting plays and what the player says about it, the recording's chapters and vote
// markers with their `?t=` links, the front page's order, finding a member by name, and what
// a screen reader is told as the sitting moves on.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ON_AIR } from '../../protocol/model.ts';
import { message } from '../../protocol/messages.ts';
import { formatElapsed as formatOffset } from '../../protocol/onAirFields.ts';
import { rollGroups } from '../../protocol/onAirScene.ts';
import { currentVote } from '../../protocol/viewQueries.ts';
import type { BodyView, VideoRecordingView, SittingSummary, SittingView } from '../../protocol/views.ts';
import { chapterAt, chapters, linkTime, parseLinkTime, voteAt, voteMarkers } from '../../client/src/lib/chapters.ts';
import { embedSnippet, pageTarget, sitePaths } from '../../client/src/lib/siteUrls.ts';
import { indexSittings } from '../../client/src/lib/sittingsIndex.ts';
import { sourceFor, stageOf } from '../../client/src/lib/stage.ts';
import { announcements, filterGroups } from '../../client/src/lib/votes.ts';
import {
  castAll,
  closeSitting,
  closeVote,
  demoCouncil,
  deputies,
  openSitting,
  openVote,
  register,
  startItem,
  type DomainRecord,
} from '../support/givenWhenThen.ts';

const T0 = Date.parse('2026-12-10T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function step(record: DomainRecord, seconds: number, ...commands: Parameters<DomainRecord['given']>): SittingView {
  record.at = at(seconds);
  return record.given(...commands).sitting();
}

/** The demo plenary taken through two items and two votes (the second adopted). */
function plenary() {
  const r = demoCouncil();
  const scheduled = r.sitting();
  const opened = step(r, 0, openSitting(), register(['mayor', ...deputies(33)]));
  const item1 = step(r, 60, startItem('i1'));
  const voting = step(r, 120, openVote('v1', { itemId: 'i1', subject: 'Про порядок денний' }), ...castAll('v1', deputies(10), 'for'));
  const rejected = step(r, 180, closeVote('v1'));
  const item2 = step(r, 240, startItem('i2'));
  step(r, 300, openVote('v2', { itemId: 'i2', subject: 'Про програму' }), ...castAll('v2', deputies(30), 'for'));
  const adopted = step(r, 360, closeVote('v2'));
  const closed = step(r, 420, closeSitting());
  return { scheduled, opened, item1, voting, rejected, item2, adopted, closed };
}

/** A recording that began 30 s after the opening: marks as MediaService places them (offsets from its start). */
function recorded(view: SittingView): SittingView {
  const offset = (iso: string) => Math.max(0, (Date.parse(iso) - T0 - 30_000) / 1000);
  const marks: VideoRecordingView['marks'] = [];
  for (const item of view.agenda) if (item.startedAt) marks.push({ kind: 'item', id: item.id, at: item.startedAt, offset: offset(item.startedAt) });
  for (const v of view.votes) {
    marks.push({ kind: 'vote-opened', id: v.id, at: v.openedAt, offset: offset(v.openedAt) });
    if (v.closedAt) marks.push({ kind: 'vote-closed', id: v.id, at: v.closedAt, offset: offset(v.closedAt) });
  }
  marks.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { ...view, recording: { status: 'complete', playlist: `/recordings/${view.id}/index.m3u8`, startedAt: at(30), duration: 400, marks } };
}

describe('what the player plays and says', () => {
  const v = plenary();

  it('plays the room live for a live sitting, and for a scheduled one only when the room is on it', () => {
    expect(sourceFor(v.voting, false)).toEqual({ kind: 'live', url: '/hls/plenary/index.m3u8' });
    expect(sourceFor(v.scheduled, true)).toEqual({ kind: 'live', url: '/hls/plenary/index.m3u8' });
    expect(sourceFor(v.scheduled, false)).toBeNull();
  });

  it('plays a closed sitting from its recording once complete, and nothing before', () => {
    const done = recorded(v.closed);
    expect(sourceFor(done, true)).toEqual({ kind: 'recording', url: '/recordings/demo-plenary/index.m3u8' });
    expect(sourceFor({ ...done, recording: { ...done.recording!, status: 'recording' } }, true)).toBeNull();
    expect(sourceFor(v.closed, true)).toBeNull();
  });

  it('names each situation: not started, live, waiting for the picture, a break, ended', () => {
    const live = { answered: true, onAir: DEFAULT_ON_AIR };
    expect(stageOf({ view: null, answered: false, onAir: null, video: 'idle' })).toEqual({ kind: 'loading' });
    expect(stageOf({ view: null, answered: true, onAir: null, video: 'idle' })).toEqual({ kind: 'no-sitting' });
    expect(stageOf({ ...live, view: v.scheduled, video: 'showing' })).toEqual({ kind: 'not-started', scheduledAt: v.scheduled.scheduledAt });
    expect(stageOf({ ...live, view: v.voting, video: 'showing' })).toEqual({ kind: 'live' });
    expect(stageOf({ ...live, view: v.voting, video: 'stalled' })).toEqual({ kind: 'live' });
    expect(stageOf({ ...live, view: v.voting, video: 'unavailable' })).toEqual({ kind: 'waiting' });
    const onBreak = { ...DEFAULT_ON_AIR, scene: 'break' as const, breakText: 'Перерва на обід', breakUntil: at(3600) };
    expect(stageOf({ answered: true, onAir: onBreak, view: v.voting, video: 'showing' })).toEqual({ kind: 'break', text: 'Перерва на обід', until: at(3600) });
    expect(stageOf({ ...live, view: recorded(v.closed), video: 'showing' })).toEqual({ kind: 'ended', recording: 'available' });
    expect(stageOf({ ...live, view: v.closed, video: 'idle' })).toEqual({ kind: 'ended', recording: 'none' });
  });
});

describe('chapters, vote markers and deep links of a recording', () => {
  const view = recorded(plenary().closed);

  it('has a chapter per item taken up, each ending where the next begins', () => {
    expect(chapters(view).map((c) => [c.itemId, c.start, c.end])).toEqual([
      ['i1', 30, 210],
      ['i2', 210, 400],
    ]);
  });

  it('has a marker at every vote, from its opening to its closing, with its result', () => {
    expect(voteMarkers(view)).toEqual([
      // Each vote by its published title: the item's, then the formula.
      { voteId: 'v1', subject: 'Про затвердження порядку денного пленарного засідання — Про порядок денний', result: 'rejected', start: 90, end: 150 },
      { voteId: 'v2', subject: 'Про внесення змін до Міської цільової програми «Ефективна влада. Конкурентне місто» на 2025–2027 роки — Про програму', result: 'adopted', start: 270, end: 330 },
    ]);
  });

  it('follows the playhead: the chapter and the vote at a moment', () => {
    const list = chapters(view);
    const markers = voteMarkers(view);
    expect(chapterAt(list, 10)).toBeNull();
    expect(chapterAt(list, 100)?.itemId).toBe('i1');
    expect(chapterAt(list, 210)?.itemId).toBe('i2');
    expect(voteAt(markers, 89)).toBeNull();
    expect(voteAt(markers, 200)?.voteId).toBe('v1');
    expect(voteAt(markers, 399)?.voteId).toBe('v2');
  });

  it('has nothing to mark without a recording', () => {
    expect(chapters(plenary().closed)).toEqual([]);
    expect(voteMarkers(plenary().closed)).toEqual([]);
  });

  it('links a moment as whole seconds, never later than the moment', () => {
    expect(sitePaths.moment('demo-plenary', 270.9)).toBe('/sittings/demo-plenary?t=270');
    expect(linkTime(-3)).toBe(0);
  });

  it('reads ?t= as seconds or 1h2m3s, and refuses anything else', () => {
    expect(parseLinkTime('?t=270')).toBe(270);
    expect(parseLinkTime('?t=12.5')).toBe(12.5);
    expect(parseLinkTime('?t=4m30s')).toBe(270);
    expect(parseLinkTime('?t=1h2m3s')).toBe(3723);
    for (const bad of ['', '?t=', '?t=-5', '?t=abc', '?t=5x', '?lang=en']) expect(parseLinkTime(bad)).toBeNull();
  });

  it('writes offsets the way players do', () => {
    expect(formatOffset(0)).toBe('0:00');
    expect(formatOffset(75.9)).toBe('1:15');
    expect(formatOffset(3675)).toBe('1:01:15');
  });
});

describe('the front page', () => {
  const body = (id: string, kind: BodyView['kind'], name: string): BodyView => ({ id, kind, name, seats: 3, head: null, factions: [], members: [] });
  const sitting = (id: string, bodyId: string, status: SittingSummary['status'], day: number): SittingSummary => ({
    id,
    bodyId,
    title: id,
    room: 'plenary',
    scheduledAt: `2026-12-${String(day).padStart(2, '0')}T10:00:00+02:00`,
    status,
    openedAt: status === 'scheduled' ? null : `2026-12-${String(day).padStart(2, '0')}T10:05:00+02:00`,
    closedAt: status === 'closed' ? `2026-12-${String(day).padStart(2, '0')}T14:00:00+02:00` : null,
    seq: 1,
    votes: 0,
  });
  const bodies = [body('budget', 'committee', 'Бюджетна комісія'), body('exec', 'executive', 'Виконавчий комітет'), body('council', 'council', 'Міська рада')];
  const index = indexSittings(bodies, [
    sitting('s-old', 'council', 'closed', 1),
    sitting('s-new', 'council', 'closed', 8),
    sitting('s-live', 'exec', 'live', 10),
    sitting('s-late', 'budget', 'scheduled', 20),
    sitting('s-soon', 'council', 'scheduled', 12),
  ]);

  it('lists what is live, then what comes next (soonest first)', () => {
    expect(index.live.map((s) => s.id)).toEqual(['s-live']);
    expect(index.upcoming.map((s) => s.id)).toEqual(['s-soon', 's-late']);
  });

  it('keeps a cancelled sitting among the upcoming ones, marked, until its day has passed', () => {
    const cancelled = { ...sitting('s-off', 'council', 'cancelled', 15), openedAt: null, cancelled: { at: '2026-12-09T09:00:00+02:00', reason: 'Перенесено' } };
    const all = [sitting('s-soon', 'council', 'scheduled', 12), cancelled];
    expect(indexSittings(bodies, all, Date.parse('2026-12-10T00:00:00Z')).upcoming.map((s) => [s.id, s.cancelled?.reason ?? null])).toEqual([
      ['s-soon', null],
      ['s-off', 'Перенесено'],
    ]);
    expect(indexSittings(bodies, all, Date.parse('2026-12-17T00:00:00Z')).upcoming.map((s) => s.id)).toEqual(['s-soon']);
    expect(indexSittings(bodies, all).past[0]!.sittings).toEqual([]);
  });

  it('keeps the record by body: the council, the executive committee, then committees; newest first', () => {
    expect(index.past.map((g) => g.body.id)).toEqual(['council', 'exec', 'budget']);
    expect(index.past[0]!.sittings.map((s) => s.id)).toEqual(['s-new', 's-old']);
    expect(index.past[1]!.sittings).toEqual([]);
  });
});

describe('votes as a resident follows them', () => {
  const v = plenary();

  it('the current vote is the open one, else the one closed last', () => {
    expect(currentVote(v.item1)).toBeNull();
    expect(currentVote(v.voting)?.id).toBe('v1');
    expect(currentVote(v.rejected)?.id).toBe('v1');
    expect(currentVote(v.adopted)?.id).toBe('v2');
  });

  it('finds a member by part of the name, whatever the case or the apostrophe, within the faction groups', () => {
    const vote = v.adopted.votes.find((x) => x.id === 'v2')!;
    const groups = rollGroups(v.adopted, vote)!;
    const all = groups.flatMap((g) => g.members);
    const someone = all.find((m) => m.id === 'd05')!;
    const surname = someone.name.split(' ')[0]!;
    const found = filterGroups(groups, `  ${surname.toUpperCase()} `);
    expect(found.flatMap((g) => g.members).map((m) => m.id)).toContain('d05');
    expect(found.every((g) => g.members.length > 0)).toBe(true);
    expect(filterGroups(groups, '').flatMap((g) => g.members)).toHaveLength(all.length);
    expect(filterGroups(groups, 'Немає-такого-імені')).toEqual([]);
    const apostrophe = [{ kind: 'none' as const, factionId: null, name: null, members: [{ id: 'x', name: 'Мар’яненко Ольга', choice: 'for' as const }] }];
    expect(filterGroups(apostrophe, "мар'ян")).toHaveLength(1);
    expect(filterGroups(apostrophe, 'марʼян')).toHaveLength(1);
  });

  it('announces the item taken up, a vote opened, each result with its counts, and the end', () => {
    const text = (before: SittingView, after: SittingView) => announcements(before, after).map((a) => message(a.key, 'uk', a.params));
    expect(text(v.opened, v.item1)).toEqual([expect.stringContaining('Розглядається питання 1')]);
    expect(text(v.item1, v.voting)).toEqual([expect.stringContaining('Розпочато голосування: Про затвердження порядку денного пленарного засідання — Про порядок денний')]);
    expect(text(v.voting, v.rejected)).toEqual([
      'Голосування «Про затвердження порядку денного пленарного засідання — Про порядок денний»: рішення не прийнято. За 10 (потрібно 22), проти 0, утрималися 0, не голосували 24, відсутні 9.',
    ]);
    // Opened and closed between two shown states (e.g. after a reconnect): only the result is worth saying.
    expect(text(v.item2, v.adopted)).toEqual([
      'Голосування «Про внесення змін до Міської цільової програми «Ефективна влада. Конкурентне місто» на 2025–2027 роки — Про програму»: рішення прийнято. За 30, проти 0, утрималися 0, не голосували 4, відсутні 9.',
    ]);
    expect(text(v.adopted, v.closed)).toEqual([expect.stringContaining('завершено')]);
    expect(announcements(v.voting, v.voting)).toEqual([]);
    expect(announcements(null, v.voting)).toEqual([]);
  });
});

describe('page addresses and the embed code', () => {
  it('reads what a page is about from its path, refusing what is no id', () => {
    expect(pageTarget('/live/plenary')).toEqual({ kind: 'live', room: 'plenary' });
    expect(pageTarget('/live/plenary/')).toEqual({ kind: 'live', room: 'plenary' });
    expect(pageTarget('/sittings/demo-plenary')).toEqual({ kind: 'sitting', id: 'demo-plenary' });
    expect(pageTarget('/embed/committee-room')).toEqual({ kind: 'embed', room: 'committee-room' });
    for (const bad of ['/', '/live/', '/sittings/a/votes', '/live/%E0%A4%A', '/live/..', '/embed/a%20b']) expect(pageTarget(bad)).toBeNull();
  });

  it('embeds the room player in an iframe with a title, in the page language', () => {
    const code = embedSnippet('https://rada.example', 'plenary', 'Пленарне засідання "67"', 'en');
    expect(code).toContain('src="https://rada.example/embed/plenary?lang=en"');
    expect(code).toContain('title="Пленарне засідання &quot;67&quot;"');
    expect(code).toContain('allowfullscreen');
    expect(embedSnippet('https://rada.example', 'plenary', 'x', 'uk')).toContain('src="https://rada.example/embed/plenary"');
  });
});
