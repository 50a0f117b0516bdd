// What a room's on-air overlay shows at a given moment: the scene the clerk chose (or the one a
// page fixed), and in `auto` the one that follows the sitting — the agenda caption when an item
// starts, the live counter while a vote is open, the result for the hold time after it closes,
// then back to the caption. Pure (the server time comes in), so the overlay page and
// GET /api/rooms/:room/overlay.json show the same picture. Secret ballots never carry choices.
import type { OnAir, Scene } from './model.ts';
import { registration, type Registration } from './registration.ts';
import { groupRoster, type RosterGroup } from './rosterGroups.ts';
import { currentItem, currentVote, itemById, lastClosedVote, openVote } from './viewQueries.ts';
import type { AgendaItemView, Counts, SittingView, VoteChoice, VoteView } from './views.ts';

export interface ItemCaption {
  id: string;
  number: string;
  title: string;
  rapporteur: string | null;
  draftNumber: string | null;
}

export interface VoteFacts {
  id: string;
  /** The vote's published title (item and formula). */
  subject: string;
  ballot: VoteView['ballot'];
  rule: VoteView['rule'];
  status: VoteView['status'];
  composition: number;
  required: number;
  counts: Counts;
  result: VoteView['result'];
  /** Seconds from opening to now (open) or to closing (closed). */
  elapsedSeconds: number;
  /** Opened by the clerk without a quorum. */
  forced: boolean;
  /** A secret ballot still open: the counting commission is at work, no totals or clock to show. */
  counting: boolean;
}

export interface RollMember {
  id: string;
  name: string;
  /** null: not in the vote's composition (e.g. a mayor who did not take part); `pending` while open. */
  choice: VoteChoice | null;
}

export type RollGroup = RosterGroup<RollMember>;

export type OnAirFrame =
  | { scene: 'none' }
  | { scene: 'agenda'; item: ItemCaption }
  | { scene: 'vote'; vote: VoteFacts; item: ItemCaption | null }
  | { scene: 'result'; vote: VoteFacts; item: ItemCaption | null }
  | { scene: 'attendance'; registration: Registration; composition: number }
  /** `groups` is null for a secret ballot: totals only. */
  | { scene: 'roll'; vote: VoteFacts; item: ItemCaption | null; groups: RollGroup[] | null }
  | { scene: 'break'; text: string | null; until: string | null };

export type FrameScene = OnAirFrame['scene'];

export interface OnAirPicture {
  /** The scene asked for: the clerk's choice, or the page's fixed one. */
  mode: Scene;
  frame: OnAirFrame;
  /** Server time (ms) at which `auto` changes by itself (a result's hold ends); else null. */
  changesAt: number | null;
  /** The sitting is live. */
  live: boolean;
  /**
   * The small live bug shows: the sitting is live, the graphics are not switched off, and no
   * full-screen scene (roll table, break slate — which carries its own clock) covers it.
   */
  bug: boolean;
}

const NONE: OnAirFrame = { scene: 'none' };

function caption(item: AgendaItemView): ItemCaption {
  return { id: item.id, number: item.number, title: item.title, rapporteur: item.rapporteur, draftNumber: item.draftNumber };
}

function itemOf(view: SittingView, itemId: string | null): ItemCaption | null {
  const item = itemById(view, itemId);
  return item ? caption(item) : null;
}

/** Whole seconds from the vote's opening to `now` (server time, ms) while open, else to its closing. */
export function elapsedSeconds(vote: VoteView, now: number): number {
  const end = vote.closedAt === null ? now : Date.parse(vote.closedAt);
  return Math.max(0, Math.floor((end - Date.parse(vote.openedAt)) / 1000));
}

export function voteFacts(vote: VoteView, now: number): VoteFacts {
  return {
    id: vote.id,
    subject: vote.title,
    ballot: vote.ballot,
    rule: vote.rule,
    status: vote.status,
    composition: vote.composition,
    required: vote.required,
    counts: vote.counts,
    result: vote.result,
    elapsedSeconds: elapsedSeconds(vote, now),
    forced: vote.forced !== null,
    counting: vote.ballot === 'secret' && vote.status === 'open',
  };
}

/** The open vote, else the one closed last, else the one opened last. */
function latestVote(view: SittingView): VoteView | undefined {
  return currentVote(view) ?? view.votes.at(-1);
}

/** The current item, else the one started last. */
function latestItem(view: SittingView): AgendaItemView | undefined {
  const current = currentItem(view);
  if (current) return current;
  return view.agenda
    .flatMap((item) => (item.startedAt === null ? [] : [{ item, startedAt: Date.parse(item.startedAt) }]))
    .sort((a, b) => a.startedAt - b.startedAt)
    .at(-1)?.item;
}

/** The roster grouped as in the hall, each member with their choice; null for a secret ballot. */
export function rollGroups(view: SittingView, vote: VoteView): RollGroup[] | null {
  if (vote.ballot === 'secret' || !vote.choices) return null;
  const choices = vote.choices;
  return groupRoster(view.body, view.roster).map((g) => ({
    ...g,
    members: g.members.map((m): RollMember => ({ id: m.id, name: m.name, choice: choices[m.id] ?? null })),
  }));
}

function autoFrame(view: SittingView, onAir: OnAir, now: number): { frame: OnAirFrame; changesAt: number | null } {
  const open = openVote(view);
  if (open) return { frame: { scene: 'vote', vote: voteFacts(open, now), item: itemOf(view, open.itemId) }, changesAt: null };
  const current = currentItem(view);
  const closed = lastClosedVote(view);
  if (closed) {
    const closedAt = Date.parse(closed.closedAt);
    const holdEnds = closedAt + onAir.resultHoldSeconds * 1000;
    // An item started after the vote closed takes the screen at once: the latest moment wins.
    const itemStartedLater = current?.startedAt != null && Date.parse(current.startedAt) > closedAt;
    if (now < holdEnds && !itemStartedLater) {
      return { frame: { scene: 'result', vote: voteFacts(closed, now), item: itemOf(view, closed.itemId) }, changesAt: holdEnds };
    }
  }
  return { frame: current ? { scene: 'agenda', item: caption(current) } : NONE, changesAt: null };
}

function fixedFrame(view: SittingView | null, scene: Exclude<Scene, 'auto'>, onAir: OnAir, now: number): OnAirFrame {
  if (scene === 'off') return NONE;
  if (scene === 'break') return { scene: 'break', text: onAir.breakText, until: onAir.breakUntil };
  if (!view) return NONE;
  switch (scene) {
    case 'agenda': {
      const item = latestItem(view);
      return item ? { scene: 'agenda', item: caption(item) } : NONE;
    }
    case 'vote': {
      const vote = latestVote(view);
      return vote ? { scene: 'vote', vote: voteFacts(vote, now), item: itemOf(view, vote.itemId) } : NONE;
    }
    case 'result': {
      const vote = lastClosedVote(view);
      return vote ? { scene: 'result', vote: voteFacts(vote, now), item: itemOf(view, vote.itemId) } : NONE;
    }
    case 'attendance':
      return { scene: 'attendance', registration: registration(view), composition: view.composition };
    case 'roll': {
      const vote = latestVote(view);
      if (!vote) return NONE;
      return { scene: 'roll', vote: voteFacts(vote, now), item: itemOf(view, vote.itemId), groups: rollGroups(view, vote) };
    }
    default: {
      const never: never = scene;
      throw new Error(`unknown scene [${String(never)}]`);
    }
  }
}

/**
 * The picture on air: `view` is the sitting the room follows (null when none), `onAir` the
 * room's on-air state, `now` the server time in ms, and `fixed` a scene the page pinned.
 */
export function onAirScene(view: SittingView | null, onAir: OnAir, now: number, fixed?: Scene): OnAirPicture {
  const mode = fixed ?? onAir.scene;
  const { frame, changesAt } =
    mode === 'auto' ? (view ? autoFrame(view, onAir, now) : { frame: NONE, changesAt: null }) : { frame: fixedFrame(view, mode, onAir, now), changesAt: null };
  const live = view?.status === 'live';
  const fullScreen = frame.scene === 'roll' || frame.scene === 'break';
  return { mode, frame, changesAt, live, bug: live && mode !== 'off' && !fullScreen };
}

/** The room's state once its cue is taken: the cue on air, and what was on air cued in its place. */
export function afterTake(onAir: OnAir): OnAir {
  if (onAir.preview === null) return onAir;
  const { scene, breakText, breakUntil } = onAir;
  return { ...onAir, ...onAir.preview, preview: { scene, breakText, breakUntil } };
}

/** What the preview bus shows: the picture a take would put on air; nothing while nothing is cued. */
export function previewOnAir(onAir: OnAir): OnAir {
  return onAir.preview === null ? { ...onAir, scene: 'off' } : afterTake(onAir);
}

/** Tells frames apart for animation: a new key animates out the old graphic and in the new one. */
export function frameKey(frame: OnAirFrame): string {
  switch (frame.scene) {
    case 'agenda':
      return `agenda:${frame.item.id}`;
    case 'vote':
    case 'result':
    case 'roll':
      return `${frame.scene}:${frame.vote.id}`;
    default:
      return frame.scene;
  }
}
