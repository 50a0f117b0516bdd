// The on-air picture as flat text fields for vMix / CasparCG-style data sources
// (GET /api/rooms/:room/overlay.json), and the time formats the overlay page shares with it.
// Every field is always present — empty when the scene does not use it — so a title designer
// can bind the same columns whatever is on air.
import { LOCALES, type Lang, type MessageParams } from './messages/lookup.ts';
import { overlayMessage as message, type OverlayMessageKey } from './messages/overlay.ts';
import type { OnAirPicture, VoteFacts } from './onAirScene.ts';
import { registrationText } from './registration.ts';

export type FieldValue = string | number | boolean;

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** "14:05" in the given time zone (the viewer's own when omitted). */
export function formatClock(at: number | string, lang: Lang, timeZone?: string): string {
  const key = `${lang}|${timeZone ?? ''}`;
  let format = clockFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    clockFormats.set(key, format);
  }
  return format.format(typeof at === 'number' ? at : Date.parse(at));
}

/** "4:07", or "1:04:07" past an hour. */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

function resultText(result: VoteFacts['result'], lang: Lang): string {
  return result === null ? '' : message(result === 'adopted' ? 'overlay.result.adopted' : 'overlay.result.rejected', lang);
}

export interface FieldContext {
  room: string;
  roomName: string;
  sittingId: string | null;
  sittingTitle: string;
  council: string;
  lang: Lang;
  /** The council's time zone, for the clock and the break's end. */
  timeZone: string;
  now: number;
}

export function overlayFields(picture: OnAirPicture, ctx: FieldContext): Record<string, FieldValue> {
  const { frame } = picture;
  const t = (key: OverlayMessageKey, params?: MessageParams) => message(key, ctx.lang, params);
  const fields: Record<string, FieldValue> = {
    room: ctx.room,
    roomName: ctx.roomName,
    sittingId: ctx.sittingId ?? '',
    sittingTitle: ctx.sittingTitle,
    council: ctx.council,
    live: picture.live,
    liveText: picture.live ? t('overlay.live') : '',
    mode: picture.mode,
    scene: frame.scene,
    clock: formatClock(ctx.now, ctx.lang, ctx.timeZone),
    serverTime: new Date(ctx.now).toISOString(),
    itemNumber: '',
    itemText: '',
    title: '',
    rapporteur: '',
    draftNumber: '',
    voteId: '',
    subject: '',
    ballot: '',
    rule: '',
    ruleText: '',
    voteStatus: '',
    voteText: '',
    for: '',
    against: '',
    abstain: '',
    notVoting: '',
    pending: '',
    absent: '',
    composition: '',
    required: '',
    requiredText: '',
    elapsed: '',
    elapsedSeconds: '',
    result: '',
    resultText: '',
    present: '',
    quorum: '',
    quorumMet: '',
    quorumText: '',
    breakText: '',
    breakUntil: '',
    seats: '',
    headPresent: '',
    registrationText: '',
    countingText: '',
  };
  const item = frame.scene === 'agenda' || frame.scene === 'vote' || frame.scene === 'result' || frame.scene === 'roll' ? frame.item : null;
  if (item) {
    Object.assign(fields, {
      itemNumber: item.number,
      itemText: t('overlay.item', { number: item.number }),
      title: item.title,
      rapporteur: item.rapporteur ?? '',
      draftNumber: item.draftNumber ?? '',
    });
  }
  if (frame.scene === 'vote' || frame.scene === 'result' || frame.scene === 'roll') {
    const v = frame.vote;
    Object.assign(fields, {
      voteId: v.id,
      subject: v.subject,
      ballot: v.ballot,
      rule: v.rule,
      ruleText: t(`overlay.rule.${v.rule}`),
      voteStatus: v.status,
      voteText: t(v.status === 'open' ? 'overlay.vote.open' : 'overlay.vote.closed'),
      for: v.counts.for,
      against: v.counts.against,
      abstain: v.counts.abstain,
      notVoting: v.counts.notVoting,
      /** While open: present members with nothing entered yet (not "did not vote"). */
      pending: v.counts.pending,
      absent: v.counts.absent,
      composition: v.composition,
      required: v.required,
      requiredText: t('overlay.vote.required', { required: v.required, composition: v.composition }),
      elapsed: formatElapsed(v.elapsedSeconds),
      elapsedSeconds: v.elapsedSeconds,
      result: v.result ?? '',
      resultText: resultText(v.result, ctx.lang),
    });
    // While a secret ballot is open the totals are not known yet: no zeros, no running clock.
    if (v.counting) {
      Object.assign(fields, { for: '', against: '', abstain: '', notVoting: '', absent: '', elapsed: '', elapsedSeconds: '', countingText: t('overlay.vote.counting') });
    }
  }
  if (frame.scene === 'attendance') {
    const r = frame.registration;
    Object.assign(fields, {
      present: r.registered,
      seats: r.seats,
      headPresent: r.head?.present ?? '',
      registrationText: registrationText(r, ctx.lang),
      quorum: r.needed,
      quorumMet: r.met,
      quorumText: t(r.met ? 'overlay.quorum.met' : 'overlay.quorum.notMet'),
      composition: frame.composition,
    });
  }
  if (frame.scene === 'break') {
    Object.assign(fields, {
      breakText: frame.text ?? t('overlay.break.default'),
      breakUntil: frame.until ? formatClock(frame.until, ctx.lang, ctx.timeZone) : '',
    });
  }
  return fields;
}
