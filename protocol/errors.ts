// The stable error codes every answer uses, and the one shape a refusal takes on the wire.
// Clients branch on `code`, never on message text.
import { serverRenderedMessage } from './messages/serverRendered.ts';

export const ERROR_CODES = [
  'invalid',
  'unauthorized',
  'forbidden',
  'not-found',
  'rate-limited',
  'payload-too-large',
  'no-quorum',
  'vote-not-open',
  'vote-not-closed',
  'not-a-member',
  'not-present',
  'sitting-not-live',
  'sitting-closed',
  'sitting-live',
  'room-busy',
  'vote-open',
  'item-done',
  'agenda-started',
  // — agenda and sitting details during the sitting (issue 11) —
  'item-started',
  'sitting-cancelled',
  'wrong-ballot',
  'tally-exceeds-present',
  'tally-missing',
  'no-preview',
  // — corrections —
  'no-change',
  'break-in-past',
  'stale-seq',
  'duplicate-id',
  'read-only',
  'cross-origin',
  'internal',
  // — WebRTC (issue 17) —
  'webrtc-unavailable',
  'bad-stream-key',
  'publisher-busy',
  'bad-sdp',
  'no-program',
  // — interpreter and preview links (issue 17) —
  'link-expired',
  'link-revoked',
  'bad-link',
  'interpreter-busy',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface Issue {
  path: (string | number)[];
  message: string;
}

export interface ErrorBody {
  code: ErrorCode;
  /** Ukrainian text for the person at the screen. */
  message: string;
  /** The same text in both languages of the catalogue. */
  messages: { uk: string; en: string };
  /** What the error is about, e.g. {sittingId, voteId}; shown in brackets in logs. */
  context?: Record<string, string | number>;
  issues?: Issue[];
}

export function errorBody(code: ErrorCode, context?: Record<string, string | number>, issues?: Issue[]): ErrorBody {
  const key = `error.${code}` as const;
  const texts = { uk: serverRenderedMessage(key, 'uk', context), en: serverRenderedMessage(key, 'en', context) };
  return {
    code,
    message: texts.uk,
    messages: texts,
    ...(context && Object.keys(context).length > 0 ? { context } : {}),
    ...(issues ? { issues } : {}),
  };
}
